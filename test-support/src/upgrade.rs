//! Upgrading a store that an earlier release created: its migrations, its rows, then this
//! release's migrations over them. Each storage adapter runs these with its own migrations.

use std::collections::BTreeSet;

use domain::{
    Actor, Category, Choice, Filing, ListParams, Priority, Status, TicketFilter, TicketPatch, TicketRepository,
    UpdateOutcome,
};

use crate::TicketBuilder;

/// The migrations of the previous release (commit afaf2ea), per backend: a store it created has
/// run exactly these.
pub const POSTGRES_PREVIOUS_RELEASE: &[&str] =
    &["2026-11-25-000000", "2026-11-26-000000", "2026-11-26-000001", "2026-11-27-000000"];
pub const SQLITE_PREVIOUS_RELEASE: &[&str] = &[
    "2026-11-25-000000",
    "2026-11-26-000000",
    "2026-11-26-000001",
    "2026-11-26-000002",
    "2026-11-26-000003",
    "2026-11-27-000000",
];

/// Tickets as the previous release stored them: title, description, category, priority, status.
pub const OLD_TICKETS: [(&str, &str, &str, &str, &str); 4] = [
    ("Refund please", "Charged twice in March", "billing", "high", "open"),
    ("Login loop", "The sign-in page reloads forever", "account", "critical", "in_progress"),
    ("Dark mode", "Would love a dark theme", "general", "low", "closed"),
    ("Écran noir", "Mon ÉCRAN reste noir au démarrage", "technical", "medium", "open"),
];

/// An INSERT of [`OLD_TICKETS`] into the tickets table of the first release, with the lower-cased
/// search copies that release wrote beside the text; the database stamps `created_at`.
pub fn insert_old_tickets_sql() -> String {
    let rows: Vec<String> = OLD_TICKETS
        .iter()
        .map(|(title, description, category, priority, status)| {
            format!(
                "('{title}', '{description}', '{category}', '{priority}', '{status}', '{}', '{}')",
                domain::search_key(title),
                domain::search_key(description)
            )
        })
        .collect();
    format!(
        "INSERT INTO tickets (title, description, category, priority, status, search_title, search_description) \
         VALUES {}",
        rows.join(", ")
    )
}

/// Diesel names a migration by the digits of its folder's date prefix; so do these checks.
fn digits(version: &str) -> String {
    version.chars().filter(char::is_ascii_digit).collect()
}

/// Migrations are numbered in the order they were written: every migration that the previous
/// release did not have comes after every one it had, and none of its migrations went missing.
pub fn assert_new_migrations_come_last(versions: impl IntoIterator<Item = String>, previous_release: &[&str]) {
    let versions: BTreeSet<String> = versions.into_iter().map(|v| digits(&v)).collect();
    let released: BTreeSet<String> = previous_release.iter().map(|v| digits(v)).collect();
    let missing: Vec<_> = released.difference(&versions).collect();
    assert!(missing.is_empty(), "released migrations must never be removed or renamed: {missing:?}");
    let last_released = released.iter().max().expect("the previous release had migrations");
    for version in versions.difference(&released) {
        assert!(
            version > last_released,
            "migration {version} is new since the previous release, so it must be numbered after {last_released}"
        );
    }
}

/// After the upgrade, the old tickets read back as they were stored, are counted, searched and
/// changed like new ones, and new tickets follow them.
pub async fn an_upgraded_store_keeps_its_tickets(repo: &dyn TicketRepository) {
    let listed = repo.list(TicketFilter::default(), None, 100).await.expect("list");
    let fields: BTreeSet<(String, String, &str, &str, &str)> = listed
        .iter()
        .map(|t| {
            (
                t.title.as_str().to_owned(),
                t.description.as_str().to_owned(),
                t.category.as_str(),
                t.priority.as_str(),
                t.status.as_str(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String, &str, &str, &str)> =
        OLD_TICKETS.iter().map(|(t, d, c, p, s)| ((*t).to_owned(), (*d).to_owned(), *c, *p, *s)).collect();
    assert_eq!(fields, expected, "every old ticket reads back as stored");

    let stats = repo.stats().await.expect("stats");
    assert_eq!(stats.total, OLD_TICKETS.len() as u64);
    assert_eq!(stats.open, 2);
    assert_eq!(stats.by_priority.get(Priority::Critical), 1);
    assert_eq!(stats.by_category.get(Category::Technical), 1);

    let (search, _) =
        ListParams { search: Some("écran".into()), ..ListParams::default() }.parse().expect("a valid search");
    let found = repo.list(search, None, 10).await.expect("search");
    assert_eq!(found.len(), 1, "old tickets are found by search");

    let old = found.into_iter().next().expect("a ticket");
    let patch = TicketPatch { status: Some(Status::Resolved), ..TicketPatch::default() };
    let UpdateOutcome::Updated(changed) = repo.update(old.id, patch, Some(1), Actor::Public).await.expect("update")
    else {
        panic!("an old ticket is at version 1 and changes like a new one")
    };
    let history = repo.history(old.id, 0, 10).await.expect("history").expect("the old ticket");
    assert_eq!(history.created_by, Actor::Unrecorded, "an old ticket's creator was not recorded");
    assert_eq!(history.changes.len(), 1);
    assert_eq!(changed.status, Status::Resolved);
    assert_eq!(repo.stats().await.expect("stats").open, 1, "a change to an old ticket is counted");

    let new = repo
        .create(Filing { ticket: TicketBuilder::new().title("After the upgrade").build(), actor: Actor::Public })
        .await
        .expect("create");
    assert!(listed.iter().all(|old| old.id < new.id), "new ids follow the old ones");
    assert_eq!(repo.stats().await.expect("stats").total, OLD_TICKETS.len() as u64 + 1);
}
