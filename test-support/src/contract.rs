//! The contract every [`TicketRepository`] adapter must keep, written once and run against each
//! adapter with [`repository_contract_tests!`](crate::repository_contract_tests).
//!
//! Each check takes a fresh, empty store and asserts one clause of the contract documented on
//! the port (domain/src/ports.rs) and in the domain types it uses: `TicketFilter::matches` and
//! `search_key` for what a list shows, `Cursor::precedes` for where a page starts.

use std::collections::BTreeSet;
use std::sync::Arc;

use crate::TicketBuilder;
use chrono::{DateTime, TimeDelta, Utc};
use domain::{
    Actor, Breakdown, Category, Choice, Cursor, EventKind, Filing, IdempotencyKey, KeyedCreate, KeyedOutcome,
    ListParams, NewTicket, Priority, StatsSnapshot, Status, Ticket, TicketDraft, TicketField, TicketFilter, TicketId,
    TicketPatch, TicketRepository, UpdateOutcome,
};

/// Runs the whole contract against one adapter: one test per check, in a module named
/// `contract`, so `cargo test` lists `contract::create_returns_the_ticket_as_given` and so on.
///
/// The argument is anything callable with no arguments that returns a future of
/// `(guard, repository)`: the guard (a `TestDatabase`, a temporary directory…) is kept alive until
/// the test ends, and `&*repository` must coerce to `&dyn TicketRepository` (an
/// `Arc<dyn TicketRepository>`, an `Arc<YourRepository>`, a `Box`…). It is called once per test,
/// so every check gets a fresh, empty store. The expression is resolved inside the generated
/// `mod contract`, which glob-imports its parent (`use super::*`).
///
/// ```ignore
/// async fn fresh_repository() -> (TestDatabase, Arc<dyn TicketRepository>) { … }
///
/// test_support::repository_contract_tests!(fresh_repository);
/// // or, with a closure:
/// test_support::repository_contract_tests!(|| async { (TempDir::new(), Arc::new(open_in(…))) });
/// ```
///
/// The calling crate needs `tokio` (with `macros` and `rt-multi-thread`) among its
/// dev-dependencies: each test is a `#[tokio::test(flavor = "multi_thread", worker_threads = 2)]`.
#[macro_export]
macro_rules! repository_contract_tests {
    (@tests $make:expr; $($check:ident),+ $(,)?) => {
        mod contract {
            #[allow(unused_imports)]
            use super::*;

            $(
                #[::tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $check() {
                    let (_guard, repository) = ($make)().await;
                    $crate::contract::$check(&*repository).await;
                }
            )+
        }
    };
    ($make:expr $(,)?) => {
        $crate::repository_contract_tests!(@tests $make;
            create_returns_the_ticket_as_given,
            create_keeps_text_verbatim,
            create_keeps_a_given_status,
            created_at_is_utc_with_microsecond_precision,
            ids_increase_with_each_create,
            concurrent_creates_get_distinct_ids,
            concurrent_creates_are_each_stored_and_counted,
            search_over_many_tickets_finds_rare_and_common_terms,
            search_with_filters_pages_exactly_whichever_way_it_reads,
            search_reads_on_in_list_order_after_a_long_walk,
            category_change_is_seen_by_a_filtered_search,
            a_word_too_long_for_an_index_key_is_stored_and_searched,
            get_returns_the_stored_ticket,
            get_of_a_missing_id_is_none,
            update_changes_exactly_the_patched_fields,
            update_of_every_field_keeps_id_and_created_at,
            update_leaves_other_tickets_alone,
            update_is_seen_by_search,
            an_empty_patch_returns_the_ticket_unchanged,
            update_of_a_missing_id_is_none,
            list_of_an_empty_store_is_empty,
            list_is_newest_first_then_highest_id_first,
            list_respects_the_limit,
            list_after_a_cursor_is_strictly_after,
            a_cursor_on_the_same_instant_is_ordered_by_id,
            pages_of_two_cover_every_ticket_once_in_order,
            list_filters_by_category,
            list_filters_by_priority,
            list_filters_by_status,
            list_combines_filters,
            filtered_pages_cover_every_match_once,
            search_matches_title_or_description,
            search_ignores_case_beyond_ascii,
            search_compares_search_keys,
            search_wildcards_are_literal,
            search_agrees_with_the_domain_rule,
            stats_of_an_empty_store_are_zero,
            stats_count_every_ticket,
            stats_follow_updates,
            check_ready_is_ok,
            versions_start_at_one_and_rise_with_each_change,
            a_change_against_an_old_version_is_stale_and_writes_nothing,
            of_racing_changes_against_one_version_exactly_one_wins,
            history_records_the_creator_and_every_field_change,
            replaying_the_history_gives_the_ticket_as_it_is,
            a_keyed_create_files_one_ticket_however_often_it_is_sent,
            an_expired_key_is_forgotten,
        );
    };
}

// ---------------------------------------------------------------------------------------------
// create

/// `create` assigns a positive id and a creation time close to now, and keeps every field.
pub async fn create_returns_the_ticket_as_given(repo: &dyn TicketRepository) {
    let before = Utc::now();
    let created = create(repo, ticket("Cannot log in", "Password reset email never arrives", "account", "high")).await;
    let after = Utc::now();
    assert!(created.id.get() > 0, "ids are positive: {created:?}");
    assert_eq!(created.title.as_str(), "Cannot log in");
    assert_eq!(created.description.as_str(), "Password reset email never arrives");
    assert_eq!(created.category, Category::Account);
    assert_eq!(created.priority, Priority::High);
    assert_eq!(created.status, Status::Open, "a ticket created without a status is open");
    assert_close_to_now(created.created_at, before, after);
    assert_eq!(get(repo, created.id).await, Some(created.clone()), "get returns what create returned");
}

/// Titles and descriptions come back byte for byte: surrounding whitespace, emoji, accents,
/// control characters, quotes and titles of the full 200 characters.
pub async fn create_keeps_text_verbatim(repo: &dyn TicketRepository) {
    let texts: [(String, String); 6] = [
        ("  Login fails \t".into(), "\n\tsee below\r\n  ".into()),
        ("🎫 Ticket 🚀".into(), "Emoji 👩‍💻 with a zero-width joiner, and a flag 🇫🇷".into()),
        ("x".repeat(200), "the longest title allowed, in ASCII".into()),
        ("🎫".repeat(200), "the longest title allowed, in 4-byte characters".into()),
        ("Ünïcödé e\u{301} ΟΔΟΣ Дом 日本語 عربى".into(), "It's \"quoted\"; 100% _under_ \\back\\slash' --".into()),
        (" ".repeat(5) + "." + &" ".repeat(194), "\u{a0}non-breaking space\u{200b}zero-width space".into()),
    ];
    let mut created = Vec::new();
    for (title, description) in &texts {
        let ticket = create(repo, ticket(title, description, "general", "low")).await;
        assert_eq!(ticket.title.as_str(), title, "create keeps the title verbatim");
        assert_eq!(ticket.description.as_str(), description, "create keeps the description verbatim");
        created.push(ticket);
    }
    for ticket in &created {
        assert_eq!(get(repo, ticket.id).await.as_ref(), Some(ticket), "get returns the text verbatim");
    }
    assert_eq!(list_all(repo, TicketFilter::default()).await, newest_first(&created), "list returns it verbatim");
}

/// A status given at creation is stored; without one the ticket is open.
pub async fn create_keeps_a_given_status(repo: &dyn TicketRepository) {
    for status in Status::ALL {
        let new = builder("t", "d", "billing", "low").status(status.as_str()).build();
        let created = create(repo, new).await;
        assert_eq!(created.status, *status);
        assert_eq!(get(repo, created.id).await.map(|t| t.status), Some(*status));
    }
}

/// `created_at` is in UTC with microsecond precision: never finer, and not coarser either (among
/// 20 tickets at least one is off a whole millisecond). Tickets created one after another are
/// never older than the ones before. It comes back unchanged from `get` and `list`.
pub async fn created_at_is_utc_with_microsecond_precision(repo: &dyn TicketRepository) {
    let mut created = Vec::new();
    for i in 0..20 {
        created.push(create(repo, numbered(i)).await);
    }
    for ticket in &created {
        assert_eq!(ticket.created_at.timestamp_subsec_nanos() % 1_000, 0, "no finer than a microsecond: {ticket:?}");
        assert_eq!(get(repo, ticket.id).await.map(|t| t.created_at), Some(ticket.created_at), "get keeps created_at");
    }
    assert!(
        created.iter().any(|t| t.created_at.timestamp_subsec_micros() % 1_000 != 0),
        "created_at should carry microseconds, but all 20 fall on whole milliseconds: {:?}",
        created.iter().map(|t| t.created_at).collect::<Vec<_>>()
    );
    assert_eq!(list_all(repo, TicketFilter::default()).await, newest_first(&created), "list keeps created_at");
    for pair in created.windows(2) {
        assert!(
            pair[1].created_at >= pair[0].created_at,
            "a ticket created after another is not older: {:?} then {:?}",
            pair[0],
            pair[1]
        );
    }
}

/// Ids are assigned in increasing order.
pub async fn ids_increase_with_each_create(repo: &dyn TicketRepository) {
    let mut previous: Option<TicketId> = None;
    for i in 0..8 {
        let ticket = create(repo, numbered(i)).await;
        if let Some(previous) = previous {
            assert!(ticket.id > previous, "id {:?} was assigned after {previous:?}", ticket.id);
        }
        previous = Some(ticket.id);
    }
}

/// Creates running at the same time all succeed, with distinct ids, and are all readable.
pub async fn concurrent_creates_get_distinct_ids(repo: &dyn TicketRepository) {
    let (a, b, c, d, e, f) = tokio::join!(
        repo.create(filing(numbered(0))),
        repo.create(filing(numbered(1))),
        repo.create(filing(numbered(2))),
        repo.create(filing(numbered(3))),
        repo.create(filing(numbered(4))),
        repo.create(filing(numbered(5))),
    );
    let created: Vec<Ticket> = [a, b, c, d, e, f].into_iter().map(|r| r.expect("a concurrent create")).collect();
    let ids: BTreeSet<TicketId> = created.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), 6, "six creates, six distinct ids: {ids:?}");
    for ticket in &created {
        assert_eq!(get(repo, ticket.id).await.as_ref(), Some(ticket));
    }
    assert_eq!(list_all(repo, TicketFilter::default()).await, newest_first(&created));
}

/// Many creates at once, which a store may write together, are each stored and each counted.
pub async fn concurrent_creates_are_each_stored_and_counted(repo: &dyn TicketRepository) {
    let statuses = ["open", "in_progress", "resolved", "closed", "open"];
    let tickets: Vec<NewTicket> = (0..40)
        .map(|i| {
            TicketBuilder::numbered(i)
                .category(Category::ALL[i % Category::ALL.len()].as_str())
                .priority(Priority::ALL[(i / 4) % Priority::ALL.len()].as_str())
                .status(statuses[i % statuses.len()])
                .build()
        })
        .collect();
    let outcomes =
        futures_util::future::join_all(tickets.iter().cloned().map(|ticket| repo.create(filing(ticket)))).await;
    let created: Vec<Ticket> = outcomes.into_iter().map(|outcome| outcome.expect("a concurrent create")).collect();
    for (ticket, new) in created.iter().zip(&tickets) {
        assert_eq!((&ticket.title, ticket.category, ticket.status), (&new.title, new.category, new.status));
    }
    assert_eq!(repo.stats().await.expect("stats"), expected_stats(&created));
    assert_eq!(list_all(repo, TicketFilter::default()).await, newest_first(&created));
}

/// Over enough tickets that a store may look rare terms up in an index and scan for common ones,
/// every search, filtered or not and page after page, lists exactly what the domain's rule says.
pub async fn search_over_many_tickets_finds_rare_and_common_terms(repo: &dyn TicketRepository) {
    let statuses = ["open", "closed", "resolved", "in_progress"];
    let tickets: Vec<NewTicket> = (0..1500)
        .map(|i| {
            let description = match i {
                _ if i % 500 == 7 => format!("Our zeppelin order {i} never arrived"),
                _ if i % 700 == 11 => format!("Code 50%_off and say \"hi\" to ticket {i}"),
                _ if i % 3 == 0 => format!("I forgot my password again, ticket {i}"),
                _ => format!("Something else entirely, ticket {i}"),
            };
            let title = if i == 1234 { "Straße nach ZÜRICH gesperrt".to_owned() } else { format!("Ticket {i}") };
            builder(&title, &description, "general", "low").status(statuses[i % statuses.len()]).build()
        })
        .collect();
    let created = create_all(repo, &tickets, 100).await;
    for term in ["zeppelin", "50%_off", "\"hi\"", "straße nach zürich", "password", "ticket 149"] {
        for status in [None, Some("open")] {
            let filter = filter(params(None, None, status, Some(term)));
            let (walked, _) = walk(repo, filter.clone(), 20).await;
            assert_eq!(walked, matching(&created, &filter), "search {term:?} with status {status:?}");
        }
    }
}

/// A search with filters pages exactly whether its page comes from walking the tickets in list
/// order, from the text index, or from both (a store may walk a bounded number of tickets and then
/// ask its index for the older ones): terms common and rare, alone, common in one category and
/// searched in another, with one filter or all three, in small pages over a thousand tickets.
pub async fn search_with_filters_pages_exactly_whichever_way_it_reads(repo: &dyn TicketRepository) {
    let categories = ["technical", "billing", "account", "general"];
    let priorities = ["low", "medium", "high", "critical"];
    let statuses = ["open", "closed", "resolved", "in_progress"];
    let tickets: Vec<NewTicket> = (0..1200)
        .map(|i| {
            let category = categories[i % 4];
            let mut description = format!("Ticket number {i} about something");
            if i % 4 == 1 && i % 3 != 0 || i == 77 || i == 1001 {
                description.push_str(" synced to Salesforce");
            }
            if i % 97 == 5 {
                description.push_str(" near the zeppelin hangar");
            }
            if i % 9 == 2 {
                description.push_str(" with a password");
            }
            if i % 50 == 3 {
                description.push_str(&format!(" under code zedpart{i}"));
            }
            builder(&format!("Question {i}"), &description, category, priorities[(i / 4) % 4])
                .status(statuses[(i / 16) % 4])
                .build()
        })
        .collect();
    let created = create_all(repo, &tickets, 100).await;
    let cases = [
        params(None, None, None, Some("salesforce")),
        params(Some("general"), None, None, Some("salesforce")),
        params(Some("billing"), None, None, Some("salesforce")),
        params(None, Some("critical"), Some("open"), Some("salesforce")),
        params(None, None, None, Some("zeppelin")),
        params(None, None, Some("closed"), Some("zeppelin")),
        params(Some("account"), Some("high"), Some("resolved"), Some("password")),
        params(Some("technical"), None, None, Some("password")),
        params(None, Some("low"), None, Some("ticket number 1")),
        params(None, None, None, Some("quokka")),
        params(None, None, None, Some("zedpart")),
        params(None, None, Some("closed"), Some("DPART")),
        params(None, None, None, Some("ab")),
    ];
    for p in cases {
        let f = filter(p);
        for limit in [2, 7, 20] {
            let (walked, _) = walk(repo, f.clone(), limit).await;
            assert_eq!(walked, matching(&created, &f), "{f:?} in pages of {limit}");
        }
    }
}

/// A store that walks the tickets of a word may stop after a bounded number and read the rest
/// another way: the pages stay exact across that seam. 5,000 tickets share a common word, a few
/// of the oldest and a few of the newest of them critical; 100 newer critical tickets lack it.
pub async fn search_reads_on_in_list_order_after_a_long_walk(repo: &dyn TicketRepository) {
    let tickets = (0..5100).map(|i| {
        if i >= 5000 {
            return builder(&format!("Other question {i}"), "nothing alike", "billing", "critical").build();
        }
        let priority = if (3..4996).contains(&i) { "low" } else { "critical" };
        builder(&format!("Common question {i}"), "the usual words", "technical", priority).build()
    });
    let tickets: Vec<NewTicket> = tickets.collect();
    let created = create_all(repo, &tickets, 250).await;
    let f = filter(params(None, Some("critical"), None, Some("common")));
    let expected = matching(&created, &f);
    assert_eq!(expected.len(), 7);
    for limit in [2, 5, 20] {
        let (walked, _) = walk(repo, f.clone(), limit).await;
        assert_eq!(walked, expected, "in pages of {limit}");
    }
}

/// A run of letters longer than any index key takes (a pasted key or hash) is stored and found
/// by any part of it, as text of any other kind.
pub async fn a_word_too_long_for_an_index_key_is_stored_and_searched(repo: &dyn TicketRepository) {
    let long_word = format!("{}quokka{}", "k".repeat(3000), "q".repeat(3000));
    let pasted = create(repo, ticket("Key rejected", &format!("The key {long_word} fails"), "technical", "high")).await;
    create(repo, ticket("Other", "Nothing pasted", "technical", "high")).await;
    assert_search(repo, "QUOKKA", &[&pasted]).await;
    assert_search(repo, "kkkquokkaqqq", &[&pasted]).await;
    assert_search(repo, "key kkk", &[&pasted]).await;
    assert_search(repo, "quokkas", &[]).await;
}

/// A search filtered by category finds a ticket under its new category, not its old one.
pub async fn category_change_is_seen_by_a_filtered_search(repo: &dyn TicketRepository) {
    let moved = create(repo, ticket("Invoice zeppelin", "Charged twice", "billing", "high")).await;
    let moved = update(repo, moved.id, TicketDraft { category: Some("account".into()), ..Default::default() })
        .await
        .expect("the ticket exists");
    let in_category = |category: &str| filter(params(Some(category), None, None, Some("zeppelin")));
    assert_eq!(list_all(repo, in_category("billing")).await, Vec::<Ticket>::new());
    assert_eq!(list_all(repo, in_category("account")).await, vec![moved]);
}

// ---------------------------------------------------------------------------------------------
// get

/// `get` returns each stored ticket, not some other one.
pub async fn get_returns_the_stored_ticket(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    for ticket in &created {
        assert_eq!(get(repo, ticket.id).await.as_ref(), Some(ticket));
    }
}

/// `get` of an id that names no ticket is `None`, not an error.
pub async fn get_of_a_missing_id_is_none(repo: &dyn TicketRepository) {
    assert_eq!(get(repo, id(1)).await, None, "an empty store has no ticket 1");
    let ticket = create(repo, numbered(0)).await;
    assert_eq!(get(repo, id(ticket.id.get() + 1)).await, None, "the next id is not assigned yet");
    assert_eq!(get(repo, id(i64::MAX)).await, None);
}

// ---------------------------------------------------------------------------------------------
// update

/// Each patch changes the fields it names and nothing else, and the change is stored.
pub async fn update_changes_exactly_the_patched_fields(repo: &dyn TicketRepository) {
    let original = create(repo, ticket("Old title", "Old description", "billing", "low")).await;
    let patches = [
        TicketDraft { title: Some("  New title 🎫 ".into()), ..Default::default() },
        TicketDraft { description: Some("New description\n".into()), ..Default::default() },
        TicketDraft { category: Some("technical".into()), ..Default::default() },
        TicketDraft { priority: Some("critical".into()), ..Default::default() },
        TicketDraft { status: Some("in_progress".into()), ..Default::default() },
        TicketDraft { status: Some("closed".into()), priority: Some("medium".into()), ..Default::default() },
    ];
    let mut current = original.clone();
    for draft in patches {
        let patch = TicketPatch::parse(draft.clone()).expect("a valid patch");
        let expected = Ticket { version: current.version + 1, ..patch.clone().apply_to(current.clone()) };
        assert_ne!(expected, current, "each patch changes something: {draft:?}");
        let updated = update_with(repo, current.id, patch).await.expect("the ticket exists");
        assert_eq!(updated, expected, "update returns the ticket with exactly {draft:?} changed");
        assert_eq!(get(repo, current.id).await.as_ref(), Some(&expected), "the change is stored");
        current = updated;
    }
    assert_eq!(current.title.as_str(), "  New title 🎫 ");
    assert_eq!(current.description.as_str(), "New description\n");
    assert_eq!(current.category, Category::Technical);
    assert_eq!(current.priority, Priority::Medium);
    assert_eq!(current.status, Status::Closed);
    assert_eq!((current.id, current.created_at), (original.id, original.created_at));
}

/// A patch of every field at once keeps the id and the creation time.
pub async fn update_of_every_field_keeps_id_and_created_at(repo: &dyn TicketRepository) {
    let original = create(repo, ticket("Before", "before", "general", "low")).await;
    let draft = TicketDraft {
        title: Some("After".into()),
        description: Some("after".into()),
        category: Some("account".into()),
        priority: Some("high".into()),
        status: Some("resolved".into()),
    };
    let updated = update(repo, original.id, draft).await.expect("the ticket exists");
    let expected = Ticket {
        id: original.id,
        title: title("After"),
        description: domain::Description::parse("after".into()).unwrap(),
        category: Category::Account,
        priority: Priority::High,
        status: Status::Resolved,
        created_at: original.created_at,
        version: 2,
    };
    assert_eq!(updated, expected);
    assert_eq!(get(repo, original.id).await, Some(expected.clone()));
    assert_eq!(list_all(repo, TicketFilter::default()).await, [expected], "update neither adds nor moves a ticket");
}

/// Updating one ticket leaves every other ticket as it was.
pub async fn update_leaves_other_tickets_alone(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    let target = &created[3];
    let draft = TicketDraft {
        title: Some("Changed".into()),
        description: Some("changed".into()),
        category: Some("general".into()),
        priority: Some("critical".into()),
        status: Some("closed".into()),
    };
    let updated = update(repo, target.id, draft).await.expect("the ticket exists");
    let expected: Vec<Ticket> =
        created.iter().map(|t| if t.id == target.id { updated.clone() } else { t.clone() }).collect();
    for ticket in &expected {
        assert_eq!(get(repo, ticket.id).await.as_ref(), Some(ticket));
    }
    assert_eq!(list_all(repo, TicketFilter::default()).await, newest_first(&expected));
}

/// Search sees the text an update wrote, and no longer the text it replaced.
pub async fn update_is_seen_by_search(repo: &dyn TicketRepository) {
    let printer = create(repo, ticket("Printer on fire", "Smoke everywhere", "technical", "critical")).await;
    let other = create(repo, ticket("Unrelated", "Nothing to see", "general", "low")).await;
    assert_search(repo, "FIRE", &[&printer]).await;

    let updated = update(repo, printer.id, TicketDraft { title: Some("Scanner jammed".into()), ..Default::default() })
        .await
        .expect("the ticket exists");
    // The old title is no longer searched.
    assert_search(repo, "fire", &[]).await;
    // The new title is searched.
    assert_search(repo, "JAMMED", &[&updated]).await;
    // The description is unchanged.
    assert_search(repo, "smoke", &[&updated]).await;

    let updated = update(repo, printer.id, TicketDraft { description: Some("Paper Ézé".into()), ..Default::default() })
        .await
        .expect("the ticket exists");
    // The old description is no longer searched.
    assert_search(repo, "smoke", &[]).await;
    // The new description is searched.
    assert_search(repo, "ÉZÉ", &[&updated]).await;
    // The title is still searched.
    assert_search(repo, "jammed", &[&updated]).await;
    assert_search(repo, "nothing", &[&other]).await;
}

/// An empty patch returns the ticket as it is and changes nothing.
pub async fn an_empty_patch_returns_the_ticket_unchanged(repo: &dyn TicketRepository) {
    let created = create(repo, ticket(" Keep me ", "as I am", "billing", "medium")).await;
    let patch = TicketPatch::parse(TicketDraft::default()).expect("an empty patch");
    assert!(patch.is_empty());
    let returned = repo.update(created.id, patch, None, Actor::Public).await.expect("update");
    assert_eq!(returned, UpdateOutcome::Unchanged(created.clone()));
    assert_eq!(get(repo, created.id).await.as_ref(), Some(&created));
}

/// Updating an id that names no ticket is `None` and creates nothing, with or without changes.
pub async fn update_of_a_missing_id_is_none(repo: &dyn TicketRepository) {
    let draft = TicketDraft { title: Some("Ghost".into()), status: Some("closed".into()), ..Default::default() };
    assert_eq!(update(repo, id(1), draft.clone()).await, None, "an empty store has no ticket 1");
    let existing = create(repo, numbered(0)).await;
    let missing = id(existing.id.get() + 1000);
    assert_eq!(update(repo, missing, draft).await, None);
    assert_eq!(update(repo, missing, TicketDraft::default()).await, None, "an empty patch of a missing ticket");
    assert_eq!(list_all(repo, TicketFilter::default()).await, std::slice::from_ref(&existing), "no ticket was created");
    assert_eq!(get(repo, missing).await, None);
    let next = create(repo, numbered(1)).await;
    assert_eq!(next.title.as_str(), "Ticket 1", "a later create is unaffected");
    assert_eq!(next.status, Status::Open);
}

// ---------------------------------------------------------------------------------------------
// list: order and pages

/// An empty store lists nothing, with or without a filter or a cursor.
pub async fn list_of_an_empty_store_is_empty(repo: &dyn TicketRepository) {
    assert_eq!(list_all(repo, TicketFilter::default()).await, []);
    assert_search(repo, "a", &[]).await;
    let cursor = Cursor { created_at: Utc::now(), id: id(i64::MAX) };
    assert_eq!(repo.list(TicketFilter::default(), Some(cursor), 10).await.expect("list"), []);
}

/// Newest first, and on equal creation times the highest id first: the list is the tickets
/// sorted by `(created_at, id)` descending, with no pair listed twice.
pub async fn list_is_newest_first_then_highest_id_first(repo: &dyn TicketRepository) {
    let mut created = Vec::new();
    for i in 0..12 {
        created.push(create(repo, numbered(i)).await);
    }
    let listed = list_all(repo, TicketFilter::default()).await;
    assert_eq!(listed, newest_first(&created));
    for pair in listed.windows(2) {
        assert!(key(&pair[0]) > key(&pair[1]), "{:?} is listed before {:?}", key(&pair[0]), key(&pair[1]));
    }
}

/// At most `limit` tickets, the first ones in list order.
pub async fn list_respects_the_limit(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    let all = newest_first(&created);
    for limit in [1, 2, 3, all.len() - 1, all.len(), all.len() + 1, 1000] {
        let listed = repo.list(TicketFilter::default(), None, limit).await.expect("list");
        assert_eq!(listed, all[..limit.min(all.len())], "limit {limit}");
    }
    let billing = filter(ListParams { category: Some("billing".into()), ..Default::default() });
    let listed = repo.list(billing.clone(), None, 2).await.expect("list");
    assert_eq!(listed, matching(&created, &billing)[..2], "the limit applies after the filter");
}

/// After a cursor, exactly the tickets that come after it in list order: never the cursor's own
/// ticket, never one before it.
pub async fn list_after_a_cursor_is_strictly_after(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    let all = newest_first(&created);
    for (i, ticket) in all.iter().enumerate() {
        let listed = repo.list(TicketFilter::default(), Some(Cursor::after(ticket)), 1000).await.expect("list");
        assert_eq!(listed, all[i + 1..], "after ticket {i} in list order");
    }
    let newest = &all[0];
    let future = Cursor { created_at: newest.created_at + TimeDelta::seconds(1), id: id(1) };
    assert_eq!(repo.list(TicketFilter::default(), Some(future), 1000).await.expect("list"), all, "after the future");
    let past = Cursor { created_at: all.last().unwrap().created_at - TimeDelta::microseconds(1), id: id(i64::MAX) };
    assert_eq!(repo.list(TicketFilter::default(), Some(past), 1000).await.expect("list"), [], "after the oldest");
}

/// A cursor at the same instant as a ticket, whatever its id, is placed by id: the ticket is
/// listed after a cursor with a higher id and not after one with its own id or a lower one.
/// (The port cannot set `created_at`, so ties are made with cursors instead of tickets.)
pub async fn a_cursor_on_the_same_instant_is_ordered_by_id(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    let all = newest_first(&created);
    for ticket in [&all[1], &all[4], &all[all.len() - 1]] {
        let at = |id_value: i64| Cursor { created_at: ticket.created_at, id: id(id_value) };
        let mut cases = vec![
            (at(i64::MAX), true),
            (at(ticket.id.get() + 1), true),
            (at(ticket.id.get()), false),
            (Cursor { created_at: ticket.created_at + TimeDelta::microseconds(1), id: id(1) }, true),
            (Cursor { created_at: ticket.created_at - TimeDelta::microseconds(1), id: id(i64::MAX) }, false),
        ];
        if ticket.id.get() > 1 {
            cases.push((at(ticket.id.get() - 1), false));
        }
        for (cursor, includes_ticket) in cases {
            let listed = repo.list(TicketFilter::default(), Some(cursor), 1000).await.expect("list");
            let expected: Vec<Ticket> = all.iter().filter(|t| cursor.precedes(t)).cloned().collect();
            assert_eq!(listed, expected, "after {cursor:?}");
            assert_eq!(
                listed.iter().any(|t| t.id == ticket.id),
                includes_ticket,
                "ticket {:?} after {cursor:?}",
                ticket.id
            );
        }
    }
}

/// Walking pages of two with `Cursor::after(last)` yields every ticket exactly once, in list
/// order, then an empty page.
pub async fn pages_of_two_cover_every_ticket_once_in_order(repo: &dyn TicketRepository) {
    let mut created = Vec::new();
    for i in 0..7 {
        created.push(create(repo, numbered(i)).await);
    }
    let (walked, sizes) = walk(repo, TicketFilter::default(), 2).await;
    assert_eq!(sizes, [2, 2, 2, 1, 0]);
    assert_eq!(walked, newest_first(&created));
}

// ---------------------------------------------------------------------------------------------
// list: filters

/// A category filter lists exactly that category's tickets, in list order.
pub async fn list_filters_by_category(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    for (category, expected) in [("billing", 3), ("technical", 3), ("account", 2), ("general", 2)] {
        let f = filter(ListParams { category: Some(category.into()), ..Default::default() });
        assert_filtered(repo, &created, &f, expected).await;
    }
}

/// A priority filter lists exactly that priority's tickets, in list order.
pub async fn list_filters_by_priority(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    for (priority, expected) in [("low", 3), ("medium", 2), ("high", 3), ("critical", 2)] {
        let f = filter(ListParams { priority: Some(priority.into()), ..Default::default() });
        assert_filtered(repo, &created, &f, expected).await;
    }
}

/// A status filter lists exactly the tickets in that status, in list order.
pub async fn list_filters_by_status(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    for (status, expected) in [("open", 4), ("in_progress", 2), ("resolved", 2), ("closed", 2)] {
        let f = filter(ListParams { status: Some(status.into()), ..Default::default() });
        assert_filtered(repo, &created, &f, expected).await;
    }
}

/// Given conditions all hold at once: category, priority, status and search combined.
pub async fn list_combines_filters(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    let cases = [
        (params(Some("billing"), Some("high"), None, None), 1),
        (params(Some("technical"), None, Some("open"), None), 1),
        (params(None, Some("low"), Some("closed"), None), 1),
        (params(Some("billing"), Some("low"), Some("resolved"), None), 1),
        (params(Some("billing"), Some("low"), Some("open"), None), 0),
        (params(None, None, Some("open"), Some("PASSWORD")), 1),
        (params(Some("technical"), None, None, Some("e")), 3),
        (params(Some("account"), Some("critical"), Some("open"), Some("reset")), 1),
        (params(Some("account"), Some("critical"), Some("closed"), Some("reset")), 0),
        (params(Some("general"), None, None, Some("dashboard")), 0),
    ];
    for (p, expected) in cases {
        assert_filtered(repo, &created, &filter(p), expected).await;
    }
}

/// Pages of a filtered list, walked with cursors, yield every match once and nothing else.
pub async fn filtered_pages_cover_every_match_once(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    for p in [
        params(None, None, Some("open"), None),
        params(Some("technical"), None, None, None),
        params(None, None, None, Some("E")),
        params(Some("billing"), None, None, Some("i")),
    ] {
        let f = filter(p);
        let expected = matching(&created, &f);
        assert!(expected.len() >= 3, "the case needs more than a page: {f:?}");
        let (walked, sizes) = walk(repo, f.clone(), 2).await;
        assert_eq!(walked, expected, "pages of {f:?}");
        assert!(sizes.iter().all(|&n| n <= 2) && sizes.last() == Some(&0));
    }
}

// ---------------------------------------------------------------------------------------------
// list: search

/// A search term matches a ticket whose title or whose description contains it.
pub async fn search_matches_title_or_description(repo: &dyn TicketRepository) {
    let in_title = create(repo, ticket("Refund request", "Charged twice", "billing", "high")).await;
    let in_description = create(repo, ticket("Money back", "I want a refund", "billing", "low")).await;
    let in_both = create(repo, ticket("Refund", "refund please", "billing", "low")).await;
    let in_neither = create(repo, ticket("Login", "Password", "account", "low")).await;
    assert_search(repo, "refund", &[&in_title, &in_description, &in_both]).await;
    // Description only.
    assert_search(repo, "please", &[&in_both]).await;
    // Title only.
    assert_search(repo, "login", &[&in_neither]).await;
    // The whole term must be contained.
    assert_search(repo, "refund login", &[]).await;
    // Title and description are not joined.
    assert_search(repo, "twice money", &[]).await;
    // Title and description are not concatenated.
    assert_search(repo, "requestcharged", &[]).await;
}

/// Case is ignored in every alphabet: "ÉCRAN" finds "écran", "дом" finds "ДОМ", and so on.
pub async fn search_ignores_case_beyond_ascii(repo: &dyn TicketRepository) {
    let french = create(repo, ticket("Mon écran est noir", "depuis ce matin", "technical", "high")).await;
    let russian = create(repo, ticket("Problem", "ДОМАШНИЙ адрес", "account", "low")).await;
    let greek = create(repo, ticket("Σφάλμα σύνδεσης", "Greek", "technical", "low")).await;
    let ascii = create(repo, ticket("LOGIN Broken", "MiXeD CaSe", "account", "low")).await;
    assert_search(repo, "ÉCRAN", &[&french]).await;
    assert_search(repo, "écran", &[&french]).await;
    assert_search(repo, "ÉcRaN EST", &[&french]).await;
    assert_search(repo, "домашний", &[&russian]).await;
    assert_search(repo, "ΣΦΆΛΜΑ", &[&greek]).await;
    assert_search(repo, "login broken", &[&ascii]).await;
    assert_search(repo, "mixed case", &[&ascii]).await;
    // Accents are not ignored, only case.
    assert_search(repo, "ecran", &[]).await;
}

/// A term matches exactly when `search_key(text)` contains `search_key(term)`; `search_key` is
/// Rust's `to_lowercase`, so "STRASSE" does not find "straße" nor "straße" find "STRASSE".
pub async fn search_compares_search_keys(repo: &dyn TicketRepository) {
    let eszett = create(repo, ticket("Hauptstraße 5", "Adresse", "account", "low")).await;
    let double_s = create(repo, ticket("HAUPTSTRASSE 7", "Adresse", "account", "low")).await;
    let dotted = create(repo, ticket("İstanbul office", "Turkish", "general", "low")).await;
    let kelvin = create(repo, ticket("Freezer at 250\u{212a}", "Kelvin sign", "general", "low")).await;
    assert_search(repo, "STRASSE", &[&double_s]).await;
    assert_search(repo, "strasse", &[&double_s]).await;
    assert_search(repo, "STRAßE", &[&eszett]).await;
    assert_search(repo, "straße", &[&eszett]).await;
    assert_search(repo, "HAUPTSTR", &[&eszett, &double_s]).await;
    // "İ" lowers to "i" and a combining dot above, so "istanbul" is not contained, but "i" is.
    assert_search(repo, "istanbul", &[]).await;
    assert_search(repo, "İSTANBUL", &[&dotted]).await;
    assert_search(repo, "i\u{307}s", &[&dotted]).await;
    // The Kelvin sign lowers to an ASCII "k".
    assert_search(repo, "250k", &[&kelvin]).await;
    assert_search(repo, "250\u{212a}", &[&kelvin]).await;
}

/// `%`, `_`, `\`, `*`, `?`, `[` and quotes in a term are matched literally, never as patterns.
pub async fn search_wildcards_are_literal(repo: &dyn TicketRepository) {
    let percent = create(repo, ticket("50% off", "coupon", "billing", "low")).await;
    let fifty = create(repo, ticket("500 off", "coupon", "billing", "low")).await;
    let underscore = create(repo, ticket("user_name field", "form", "account", "low")).await;
    let no_underscore = create(repo, ticket("username field", "userXname", "account", "low")).await;
    let backslash = create(repo, ticket("Path C:\\temp\\x", "windows", "technical", "low")).await;
    let no_backslash = create(repo, ticket("Path C:temp", "tab \\", "technical", "low")).await;
    let glob = create(repo, ticket("Glob [a-c]* and ?", "quote ' and \"", "general", "low")).await;
    let plain = create(repo, ticket("Glob b and x", "nothing", "general", "low")).await;
    assert_search(repo, "50%", &[&percent]).await;
    assert_search(repo, "%", &[&percent]).await;
    assert_search(repo, "0_o", &[]).await;
    assert_search(repo, "r_n", &[&underscore]).await;
    assert_search(repo, "_", &[&underscore]).await;
    assert_search(repo, "C:\\t", &[&backslash]).await;
    assert_search(repo, "\\temp\\", &[&backslash]).await;
    assert_search(repo, "\\", &[&backslash, &no_backslash]).await;
    // Two backslashes appear nowhere.
    assert_search(repo, "\\\\", &[]).await;
    assert_search(repo, "[a-c]", &[&glob]).await;
    assert_search(repo, "glob *", &[]).await;
    assert_search(repo, "]*", &[&glob]).await;
    assert_search(repo, "?", &[&glob]).await;
    assert_search(repo, "' and \"", &[&glob]).await;
    assert_search(repo, "'", &[&glob]).await;
    assert_search(repo, "glob b", &[&plain]).await;
    assert_search(repo, "username", &[&no_underscore]).await;
    assert_search(repo, "50", &[&percent, &fifty]).await;
}

/// Over texts where lower-casing changes length or depends on context, every term lists exactly
/// the tickets the domain's own rule (`TicketFilter::matches`) selects.
pub async fn search_agrees_with_the_domain_rule(repo: &dyn TicketRepository) {
    let texts = [
        "Hauptstraße",
        "STRASSE",
        "İstanbul",
        "ISTANBUL",
        "ΟΔΟΣ ΣΟΦΙΑΣ",
        "σοφία",
        "ǅemal Ǆ ǆ",
        "Ångström Å",
        "Freezer 4\u{212a}",
        "ﬁle ligature",
        "MAßE",
        "e\u{301}cole",
        "ÉCOLE",
        "🎫 TICKET 🎫",
        "100% _done_ \\ok",
    ];
    let mut created = Vec::new();
    for (i, text) in texts.iter().enumerate() {
        // Half in the title, half in the description.
        let (title, description) = if i % 2 == 0 { (*text, "-") } else { ("-", *text) };
        created.push(create(repo, ticket(title, description, "general", "low")).await);
    }
    let terms = [
        "STRASSE",
        "straße",
        "STRAßE",
        "ss",
        "ß",
        "SS",
        "İ",
        "i",
        "I",
        "i\u{307}",
        "istanbul",
        "İSTANBUL",
        "Σ",
        "σ",
        "ς",
        "ΟΔΟΣ",
        "οδος",
        "οδοσ",
        "ΣΟΦΊΑ",
        "ǅ",
        "Ǆ",
        "ǆ",
        "Å",
        "å",
        "\u{212b}",
        "K",
        "k",
        "4k",
        "ﬁ",
        "FI",
        "fi",
        "É",
        "é",
        "e\u{301}",
        "\u{301}",
        "🎫",
        "🎫 t",
        "%",
        "_",
        "\\",
        "% _",
        "-",
        "0%",
        "ecole",
        "ΣΟΦΊΑΣ",
        "%%",
        "__",
    ];
    let mut hits = 0;
    let mut misses = 0;
    for term in terms {
        let f = search(term);
        let expected = matching(&created, &f);
        if expected.is_empty() {
            misses += 1
        } else {
            hits += 1
        }
        assert_eq!(list_all(repo, f).await, expected, "search {term:?}");
    }
    assert!(hits > 20 && misses > 5, "the terms exercise both outcomes: {hits} hit, {misses} missed");
}

// ---------------------------------------------------------------------------------------------
// stats

/// An empty store counts zero everywhere, every breakdown key present, and has no earliest.
pub async fn stats_of_an_empty_store_are_zero(repo: &dyn TicketRepository) {
    let stats = repo.stats().await.expect("stats");
    assert_eq!(stats.total, 0);
    assert_eq!(stats.open, 0);
    assert_eq!(stats.earliest, None);
    assert_eq!(stats.by_priority.iter().collect::<Vec<_>>(), Priority::ALL.iter().map(|&p| (p, 0)).collect::<Vec<_>>());
    assert_eq!(stats.by_category.iter().collect::<Vec<_>>(), Category::ALL.iter().map(|&c| (c, 0)).collect::<Vec<_>>());
    assert_eq!(stats, StatsSnapshot::default());
}

/// Exact counts per priority and category, the open count, and the earliest creation time.
pub async fn stats_count_every_ticket(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    let stats = repo.stats().await.expect("stats");
    assert_eq!(stats.total, 10);
    assert_eq!(stats.open, 4);
    assert_eq!(stats.earliest, created.iter().map(|t| t.created_at).min());
    let priorities: Vec<_> = stats.by_priority.iter().collect();
    assert_eq!(priorities, [(Priority::Low, 3), (Priority::Medium, 2), (Priority::High, 3), (Priority::Critical, 2)]);
    let categories: Vec<_> = stats.by_category.iter().collect();
    assert_eq!(
        categories,
        [(Category::Billing, 3), (Category::Technical, 3), (Category::Account, 2), (Category::General, 2)]
    );
    assert_eq!(stats, expected_stats(&created));
}

/// Stats count tickets as they are now: updates move them between counts.
pub async fn stats_follow_updates(repo: &dyn TicketRepository) {
    let created = create_fixture(repo).await;
    let mut current = created.clone();
    let changes = [
        (0, TicketDraft { status: Some("closed".into()), ..Default::default() }),
        (1, TicketDraft { priority: Some("low".into()), category: Some("general".into()), ..Default::default() }),
        (3, TicketDraft { status: Some("open".into()), ..Default::default() }),
    ];
    for (index, draft) in changes {
        current[index] = update(repo, created[index].id, draft).await.expect("the ticket exists");
    }
    let stats = repo.stats().await.expect("stats");
    assert_eq!(stats, expected_stats(&current));
    assert_eq!(stats.open, 4, "one ticket closed, one reopened");
    assert_eq!(stats.by_priority.get(Priority::Low), 4);
    assert_eq!(stats.by_category.get(Category::General), 3);
    assert_eq!(stats.earliest, created.iter().map(|t| t.created_at).min(), "updates keep the creation times");
}

/// Upgrading a store that already holds tickets keeps its stats: `revert_last_migration` takes the
/// schema one step back (the counts go back to their previous layout) and `reopen` runs the
/// migrations again (the counts are rebuilt from the stored tickets).
pub async fn stats_survive_the_last_migration_going_down_and_up(
    repo: &dyn TicketRepository,
    revert_last_migration: impl FnOnce(),
    reopen: impl FnOnce() -> Arc<dyn TicketRepository>,
) {
    let created = create_fixture(repo).await;
    let mut current = created.clone();
    current[2] = update(repo, created[2].id, TicketDraft { status: Some("open".into()), ..Default::default() })
        .await
        .expect("the ticket exists");
    revert_last_migration();
    let reopened = reopen();
    assert_eq!(reopened.stats().await.expect("stats"), expected_stats(&current));
    let more = create(&*reopened, numbered(99)).await;
    current.push(more);
    assert_eq!(reopened.stats().await.expect("stats"), expected_stats(&current), "the triggers count new tickets");
}

// ---------------------------------------------------------------------------------------------
// readiness

/// A working store is ready, empty or not.
pub async fn check_ready_is_ok(repo: &dyn TicketRepository) {
    assert_eq!(repo.check_ready().await.expect("an empty store answers"), domain::Readiness::Ready);
    create(repo, numbered(0)).await;
    assert_eq!(repo.check_ready().await.expect("a store with tickets answers"), domain::Readiness::Ready);
}

// ---------------------------------------------------------------------------------------------
// versions, history, keyed creates

/// A new ticket is at version 1; each change raises it by one; a patch that changes nothing
/// leaves it.
pub async fn versions_start_at_one_and_rise_with_each_change(repo: &dyn TicketRepository) {
    let created = create(repo, numbered(0)).await;
    assert_eq!(created.version, 1);
    let closed = update(repo, created.id, status_draft("closed")).await.expect("the ticket");
    assert_eq!(closed.version, 2);
    let again = update(repo, created.id, status_draft("closed")).await.expect("the ticket");
    assert_eq!(again.version, 2, "setting a field to its value is no change");
    assert_eq!(get(repo, created.id).await.map(|t| t.version), Some(2));
}

/// A change made against an older version is stale and writes nothing.
pub async fn a_change_against_an_old_version_is_stale_and_writes_nothing(repo: &dyn TicketRepository) {
    let created = create(repo, numbered(0)).await;
    let patch = |status: &str| TicketPatch::parse(status_draft(status)).expect("a valid patch");
    let first = repo.update(created.id, patch("resolved"), Some(1), Actor::Public).await.expect("update");
    let UpdateOutcome::Updated(resolved) = first else { panic!("the first change wins: {first:?}") };
    let second = repo.update(created.id, patch("closed"), Some(1), Actor::Public).await.expect("update");
    assert_eq!(second, UpdateOutcome::Stale(resolved.clone()));
    assert_eq!(get(repo, created.id).await, Some(resolved.clone()), "nothing was written");
    let history = repo.history(created.id, 0, 100).await.expect("history").expect("the ticket");
    assert_eq!(history.changes.len(), 1);
    let missing = repo.update(id(created.id.get() + 100), patch("closed"), Some(1), Actor::Public).await;
    assert_eq!(missing.expect("update"), UpdateOutcome::NotFound);
}

/// Of many changes made at once against the same version, exactly one is written.
pub async fn of_racing_changes_against_one_version_exactly_one_wins(repo: &dyn TicketRepository) {
    let created = create(repo, numbered(0)).await;
    let statuses = ["in_progress", "resolved", "closed", "in_progress", "resolved", "closed"];
    let changes = statuses.iter().map(|status| {
        repo.update(created.id, TicketPatch::parse(status_draft(status)).unwrap(), Some(1), Actor::Public)
    });
    let outcomes = futures_util::future::join_all(changes).await;
    let won = outcomes.iter().filter(|outcome| matches!(outcome, Ok(UpdateOutcome::Updated(_)))).count();
    let stale = outcomes.iter().filter(|outcome| matches!(outcome, Ok(UpdateOutcome::Stale(_)))).count();
    assert_eq!((won, stale), (1, statuses.len() - 1), "{outcomes:?}");
    assert_eq!(get(repo, created.id).await.map(|t| t.version), Some(2));
}

/// Every change of a field is recorded with who made it, oldest first, and the creator is kept.
pub async fn history_records_the_creator_and_every_field_change(repo: &dyn TicketRepository) {
    let agent = Actor::Account { id: 7, name: "Ann Agent".into() };
    let program = Actor::Token { id: 3, name: "zapier".into() };
    let created = repo.create(Filing { ticket: numbered(0), actor: program.clone() }).await.expect("create");
    let draft = TicketDraft { status: Some("closed".into()), priority: Some("high".into()), ..Default::default() };
    let patch = TicketPatch::parse(draft).unwrap();
    repo.update(created.id, patch, None, agent.clone()).await.expect("update");
    let retitled = TicketPatch::parse(TicketDraft { title: Some("Renamed".into()), ..Default::default() }).unwrap();
    repo.update(created.id, retitled, None, Actor::Public).await.expect("update");

    let history = repo.history(created.id, 0, 100).await.expect("history").expect("the ticket");
    assert_eq!(history.created_by, program);
    assert_eq!(history.ticket.version, 3);
    let changes: Vec<(TicketField, &str, &str, u64, &Actor)> = history
        .changes
        .iter()
        .map(|event| match &event.kind {
            EventKind::Changed(change) => {
                (change.field, change.from.as_str(), change.to.as_str(), event.version, &event.actor)
            }
            EventKind::Created => panic!("the store keeps changes only"),
        })
        .collect();
    assert_eq!(
        changes,
        [
            (TicketField::Priority, "medium", "high", 2, &agent),
            (TicketField::Status, "open", "closed", 2, &agent),
            (TicketField::Title, "Ticket 0", "Renamed", 3, &Actor::Public),
        ]
    );
    assert!(history.changes.windows(2).all(|pair| pair[0].id < pair[1].id && pair[0].at <= pair[1].at));
    let later = repo.history(created.id, history.changes[0].id, 100).await.expect("history").expect("the ticket");
    assert_eq!(later.changes, history.changes[1..], "after an event, the ones after it");
    let limited = repo.history(created.id, 0, 1).await.expect("history").expect("the ticket");
    assert_eq!(limited.changes, history.changes[..1]);
    assert_eq!(repo.history(id(created.id.get() + 100), 0, 10).await.expect("history"), None);
}

/// Replaying a ticket's recorded changes on the ticket as it was created gives the ticket as it is.
pub async fn replaying_the_history_gives_the_ticket_as_it_is(repo: &dyn TicketRepository) {
    let created = create(repo, ticket("First", "first", "billing", "low")).await;
    let drafts = [
        TicketDraft { title: Some("Second".into()), status: Some("in_progress".into()), ..Default::default() },
        TicketDraft { description: Some("second".into()), ..Default::default() },
        TicketDraft { category: Some("technical".into()), priority: Some("high".into()), ..Default::default() },
        TicketDraft { status: Some("closed".into()), title: Some("Third".into()), ..Default::default() },
    ];
    for draft in drafts {
        update(repo, created.id, draft).await.expect("the ticket");
    }
    let history = repo.history(created.id, 0, 100).await.expect("history").expect("the ticket");
    let start = domain::as_created(&history.ticket, &history.changes);
    assert_eq!(start, created, "the ticket as it was created");
    assert_eq!(domain::replay(start, &history.changes), Ok(history.ticket.clone()));
    assert_eq!(get(repo, created.id).await, Some(history.ticket));
}

fn keyed(key: &str, fingerprint: u8) -> KeyedCreate {
    let now = chrono::Utc::now();
    KeyedCreate {
        scope: "token:1".into(),
        key: IdempotencyKey::parse(key).expect("a valid key"),
        fingerprint: [fingerprint; 32],
        at: now,
        forget_before: now - chrono::Duration::hours(24),
    }
}

/// A key's first use creates; a retry gets the same ticket; another request with it is refused;
/// many at once create one ticket.
pub async fn a_keyed_create_files_one_ticket_however_often_it_is_sent(repo: &dyn TicketRepository) {
    let first = repo.create_once(filing(numbered(0)), keyed("order-1", 1)).await.expect("create");
    let KeyedOutcome::Created(ticket) = first else { panic!("the first use creates: {first:?}") };
    let again = repo.create_once(filing(numbered(0)), keyed("order-1", 1)).await.expect("create");
    assert_eq!(again, KeyedOutcome::Replayed(ticket.id));
    let other = repo.create_once(filing(numbered(9)), keyed("order-1", 2)).await.expect("create");
    assert_eq!(other, KeyedOutcome::KeyReused);
    let elsewhere = KeyedCreate { scope: "token:2".into(), ..keyed("order-1", 2) };
    assert!(
        matches!(repo.create_once(filing(numbered(9)), elsewhere).await, Ok(KeyedOutcome::Created(_))),
        "keys are scoped"
    );

    let racing = (0..8).map(|_| repo.create_once(filing(numbered(1)), keyed("order-2", 3)));
    let outcomes = futures_util::future::join_all(racing).await;
    let created = outcomes.iter().filter(|outcome| matches!(outcome, Ok(KeyedOutcome::Created(_)))).count();
    let replayed = outcomes.iter().filter(|outcome| matches!(outcome, Ok(KeyedOutcome::Replayed(_)))).count();
    assert_eq!((created, replayed), (1, 7), "{outcomes:?}");
    assert_eq!(repo.stats().await.expect("stats").total, 3, "three tickets in all");
}

/// A key older than its lifetime is forgotten: using it again creates a new ticket.
pub async fn an_expired_key_is_forgotten(repo: &dyn TicketRepository) {
    let old = KeyedCreate { at: chrono::Utc::now() - chrono::Duration::hours(30), ..keyed("old", 1) };
    let KeyedOutcome::Created(first) = repo.create_once(filing(numbered(0)), old).await.expect("create") else {
        panic!("the first use creates")
    };
    let fresh = repo.create_once(filing(numbered(0)), keyed("old", 1)).await.expect("create");
    assert!(matches!(&fresh, KeyedOutcome::Created(second) if second.id != first.id), "{fresh:?}");
    assert_eq!(
        repo.forget_idempotency_keys(chrono::Utc::now() + chrono::Duration::seconds(1)).await.expect("forget"),
        1
    );
}

fn status_draft(status: &str) -> TicketDraft {
    TicketDraft { status: Some(status.into()), ..Default::default() }
}

// ---------------------------------------------------------------------------------------------
// helpers

fn builder(title: &str, description: &str, category: &str, priority: &str) -> TicketBuilder {
    TicketBuilder::new().title(title).description(description).category(category).priority(priority)
}

fn ticket(title: &str, description: &str, category: &str, priority: &str) -> NewTicket {
    builder(title, description, category, priority).build()
}

fn numbered(i: usize) -> NewTicket {
    TicketBuilder::numbered(i).build()
}

fn title(text: &str) -> domain::Title {
    domain::Title::parse(text.into()).expect("a valid title")
}

fn id(value: i64) -> TicketId {
    TicketId::new(value).expect("a positive id")
}

fn filing(ticket: NewTicket) -> Filing {
    Filing { ticket, actor: Actor::Public }
}

async fn create(repo: &dyn TicketRepository, new: NewTicket) -> Ticket {
    repo.create(filing(new)).await.expect("create")
}

/// Creates the tickets `at_once` at a time, concurrently, and returns them in the same order.
async fn create_all(repo: &dyn TicketRepository, tickets: &[NewTicket], at_once: usize) -> Vec<Ticket> {
    let mut created = Vec::with_capacity(tickets.len());
    for chunk in tickets.chunks(at_once) {
        let outcomes =
            futures_util::future::join_all(chunk.iter().cloned().map(|ticket| repo.create(filing(ticket)))).await;
        created.extend(outcomes.into_iter().map(|outcome| outcome.expect("create")));
    }
    created
}

async fn get(repo: &dyn TicketRepository, id: TicketId) -> Option<Ticket> {
    repo.get(id).await.expect("get")
}

async fn update(repo: &dyn TicketRepository, id: TicketId, draft: TicketDraft) -> Option<Ticket> {
    update_with(repo, id, TicketPatch::parse(draft).expect("a valid patch")).await
}

/// The ticket after `patch`, by anyone at any version; `None` if there is no such ticket.
async fn update_with(repo: &dyn TicketRepository, id: TicketId, patch: TicketPatch) -> Option<Ticket> {
    match repo.update(id, patch, None, Actor::Public).await.expect("update") {
        UpdateOutcome::Updated(ticket) | UpdateOutcome::Unchanged(ticket) => Some(ticket),
        UpdateOutcome::NotFound => None,
        UpdateOutcome::Stale(ticket) => panic!("an update at any version is never stale: {ticket:?}"),
    }
}

/// Everything the filter selects (the test stores hold far fewer than 1000 tickets).
async fn list_all(repo: &dyn TicketRepository, filter: TicketFilter) -> Vec<Ticket> {
    repo.list(filter, None, 1000).await.expect("list")
}

/// Every page of `limit` from the start, following `Cursor::after(last)`, concatenated; and the
/// size of each page, ending with the first empty one.
async fn walk(repo: &dyn TicketRepository, filter: TicketFilter, limit: usize) -> (Vec<Ticket>, Vec<usize>) {
    let mut walked: Vec<Ticket> = Vec::new();
    let mut sizes = Vec::new();
    loop {
        let after = walked.last().map(Cursor::after);
        let page = repo.list(filter.clone(), after, limit).await.expect("list a page");
        sizes.push(page.len());
        assert!(page.len() <= limit, "a page of {} with limit {limit}", page.len());
        assert!(sizes.len() <= 1000, "paging does not end: {sizes:?}");
        if page.is_empty() {
            return (walked, sizes);
        }
        walked.extend(page);
    }
}

fn filter(params: ListParams) -> TicketFilter {
    params.parse().expect("valid list parameters").0
}

fn search(term: &str) -> TicketFilter {
    let f = filter(ListParams { search: Some(term.into()), ..Default::default() });
    assert!(f.search.is_some(), "{term:?} is a search");
    f
}

fn params(category: Option<&str>, priority: Option<&str>, status: Option<&str>, search: Option<&str>) -> ListParams {
    ListParams {
        category: category.map(Into::into),
        priority: priority.map(Into::into),
        status: status.map(Into::into),
        search: search.map(Into::into),
        ..Default::default()
    }
}

/// The position of a ticket in list order.
fn key(ticket: &Ticket) -> (DateTime<Utc>, TicketId) {
    (ticket.created_at, ticket.id)
}

/// The tickets in list order: `(created_at, id)` descending.
fn newest_first(tickets: &[Ticket]) -> Vec<Ticket> {
    let mut sorted = tickets.to_vec();
    sorted.sort_by_key(|t| std::cmp::Reverse(key(t)));
    sorted
}

/// What a list with `filter` must show, by the domain's rule.
fn matching(tickets: &[Ticket], filter: &TicketFilter) -> Vec<Ticket> {
    newest_first(&tickets.iter().filter(|t| filter.matches(t)).cloned().collect::<Vec<_>>())
}

fn expected_stats(tickets: &[Ticket]) -> StatsSnapshot {
    StatsSnapshot {
        total: tickets.len() as u64,
        open: tickets.iter().filter(|t| t.status == Status::Open).count() as u64,
        earliest: tickets.iter().map(|t| t.created_at).min(),
        by_priority: Breakdown::from_counts(tickets.iter().map(|t| (t.priority, 1))),
        by_category: Breakdown::from_counts(tickets.iter().map(|t| (t.category, 1))),
    }
}

/// Searching `term` lists exactly `expected`, in list order.
async fn assert_search(repo: &dyn TicketRepository, term: &str, expected: &[&Ticket]) {
    let expected: Vec<Ticket> = expected.iter().map(|&t| t.clone()).collect();
    assert_eq!(list_all(repo, search(term)).await, newest_first(&expected), "search {term:?}");
}

async fn assert_filtered(repo: &dyn TicketRepository, created: &[Ticket], filter: &TicketFilter, count: usize) {
    let expected = matching(created, filter);
    assert_eq!(expected.len(), count, "the fixture has {count} tickets matching {filter:?}");
    assert_eq!(list_all(repo, filter.clone()).await, expected, "list with {filter:?}");
}

fn assert_close_to_now(created_at: DateTime<Utc>, before: DateTime<Utc>, after: DateTime<Utc>) {
    let slack = TimeDelta::seconds(2);
    assert!(
        before - slack <= created_at && created_at <= after + slack,
        "created_at {created_at} is not between {before} and {after} (± 2 s)"
    );
}

/// Ten tickets over every category, priority and status, created one after another:
/// categories billing 3, technical 3, account 2, general 2; priorities low 3, medium 2, high 3,
/// critical 2; statuses open 4, in_progress 2, resolved 2, closed 2.
async fn create_fixture(repo: &dyn TicketRepository) -> Vec<Ticket> {
    let rows = [
        ("Refund not received", "I was charged twice", "billing", "high", "open"),
        ("Cannot log in", "Password reset email never arrives", "account", "critical", "open"),
        ("App crashes on start", "Stack trace attached", "technical", "high", "in_progress"),
        ("Invoice address", "Please update my billing address", "billing", "low", "resolved"),
        ("Feature idea", "Dark mode please", "general", "low", "open"),
        ("Screen flickers", "Mon écran clignote", "technical", "medium", "open"),
        ("Two-factor lost", "New phone, lost my codes", "account", "high", "closed"),
        ("Upgrade plan", "How do I upgrade?", "billing", "medium", "in_progress"),
        ("Slow dashboard", "The dashboard takes 30 s to load", "technical", "critical", "resolved"),
        ("Thanks!", "Great support", "general", "low", "closed"),
    ];
    let mut created = Vec::new();
    for (title, description, category, priority, status) in rows {
        let new = builder(title, description, category, priority).status(status).build();
        created.push(create(repo, new).await);
    }
    created
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    /// Every public check that needs only a store runs: the macro's list names exactly the
    /// `pub async fn name(repo: &dyn TicketRepository)` of this file.
    #[test]
    fn the_macro_runs_every_check() {
        let source = include_str!("contract.rs");
        let defined: BTreeSet<&str> = source
            .lines()
            .filter_map(|line| line.strip_prefix("pub async fn "))
            .filter_map(|rest| rest.strip_suffix("(repo: &dyn TicketRepository) {"))
            .collect();
        let list_start = source.find("@tests $make;").expect("the macro's list") + "@tests $make;".len();
        let list_end = list_start + source[list_start..].find(");").expect("the end of the list");
        let listed: Vec<&str> =
            source[list_start..list_end].split(',').map(str::trim).filter(|name| !name.is_empty()).collect();
        assert_eq!(listed.iter().copied().collect::<BTreeSet<_>>(), defined);
        assert_eq!(listed.len(), defined.len(), "no check is listed twice");
        assert!(defined.len() >= 30);
    }
}
