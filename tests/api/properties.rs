//! The seed's correctness properties 1 to 15, each through the HTTP API on the store the run
//! chose (PostgreSQL, or SQLite with TEST_STORAGE=sqlite), 100 generated cases each. Properties
//! about what a store holds start every case from an empty store, so that a shrunk
//! counterexample reproduces on its own.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Map, Value, json};

use crate::helpers::{TestApp, spawn_app};

const CATEGORIES: [&str; 4] = ["billing", "technical", "account", "general"];
const PRIORITIES: [&str; 4] = ["low", "medium", "high", "critical"];
const STATUSES: [&str; 4] = ["open", "in_progress", "resolved", "closed"];

fn runner() -> TestRunner {
    TestRunner::new(Config { cases: 100, failure_persistence: None, ..Config::default() })
}

fn non_blank(text: &str) -> bool {
    !text.trim().is_empty()
}

fn title() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9 ,.!?'-]{0,40}",
        "\\PC{1,200}".prop_filter("non-blank", |t| non_blank(t)),
        " {0,3}[Éé🎫ß]{1,3} {0,3}",
    ]
}

fn description() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-zÀ-ÿ0-9][A-Za-zÀ-ÿ0-9 ,.!?'\n-]{0,120}",
        "\\PC{1,300}".prop_filter("non-blank", |t| non_blank(t)),
    ]
}

fn choice(values: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::sample::select(values).prop_map(str::to_owned)
}

#[derive(Clone, Debug)]
struct ValidTicket {
    title: String,
    description: String,
    category: String,
    priority: String,
}

impl ValidTicket {
    fn json(&self) -> Value {
        json!({"title": self.title, "description": self.description, "category": self.category, "priority": self.priority})
    }
}

fn valid_ticket() -> impl Strategy<Value = ValidTicket> {
    (title(), description(), choice(&CATEGORIES), choice(&PRIORITIES))
        .prop_map(|(title, description, category, priority)| ValidTicket { title, description, category, priority })
}

/// One field of a submitted ticket: absent, valid, or invalid in some way.
#[derive(Clone, Debug)]
enum Field {
    Absent,
    Valid(String),
    Invalid(Value),
}

fn title_field() -> impl Strategy<Value = Field> {
    prop_oneof![
        4 => title().prop_map(Field::Valid),
        1 => Just(Field::Absent),
        1 => "[a-zé🎫 ]{201,230}".prop_filter("non-blank", |t| non_blank(t)).prop_map(|t| Field::Invalid(json!(t))),
        1 => "[ \t\n]{0,4}".prop_map(|t| Field::Invalid(json!(t))),
        1 => Just(Field::Invalid(Value::Null)),
    ]
}

fn description_field() -> impl Strategy<Value = Field> {
    prop_oneof![
        5 => description().prop_map(Field::Valid),
        1 => Just(Field::Absent),
        1 => "[ \t\n]{0,4}".prop_map(|t| Field::Invalid(json!(t))),
        1 => Just(Field::Invalid(json!(42))),
    ]
}

fn choice_field(values: &'static [&'static str], required: bool) -> impl Strategy<Value = Field> {
    let absent = if required { 1 } else { 3 };
    prop_oneof![
        5 => choice(values).prop_map(Field::Valid),
        absent => Just(Field::Absent),
        1 => prop_oneof![Just("".to_owned()), "[A-Za-z_]{1,12}".prop_filter("not a choice", move |v| !values.contains(&v.as_str()))]
            .prop_map(|v| Field::Invalid(json!(v))),
        1 => proptest::sample::select(values).prop_map(|v| Field::Invalid(json!(v.to_uppercase()))),
    ]
}

#[derive(Clone, Debug)]
struct Submission {
    fields: Vec<(&'static str, Field)>,
}

impl Submission {
    fn body(&self) -> Value {
        let mut object = Map::new();
        for (name, field) in &self.fields {
            match field {
                Field::Absent => {}
                Field::Valid(text) => {
                    object.insert((*name).into(), json!(text));
                }
                Field::Invalid(value) => {
                    object.insert((*name).into(), value.clone());
                }
            }
        }
        Value::Object(object)
    }

    /// The fields the API must name: invalid ones, and required ones left out.
    fn expected_errors(&self) -> BTreeSet<&'static str> {
        self.fields
            .iter()
            .filter(|(name, field)| match field {
                Field::Invalid(_) => true,
                Field::Absent => *name != "status",
                Field::Valid(_) => false,
            })
            .map(|(name, _)| *name)
            .collect()
    }
}

fn submission() -> impl Strategy<Value = Submission> {
    (
        title_field(),
        description_field(),
        choice_field(&CATEGORIES, true),
        choice_field(&PRIORITIES, true),
        choice_field(&STATUSES, false),
    )
        .prop_map(|(title, description, category, priority, status)| Submission {
            fields: vec![
                ("title", title),
                ("description", description),
                ("category", category),
                ("priority", priority),
                ("status", status),
            ],
        })
}

fn error_fields(response: reqwest::blocking::Response) -> BTreeSet<String> {
    let body: Value = response.json().expect("a JSON error");
    body.as_object().expect("field errors").keys().cloned().collect()
}

fn created_at(ticket: &Value) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(ticket["created_at"].as_str().expect("created_at")).expect("RFC 3339").to_utc()
}

#[test]
fn property_1_field_constraints_are_validated() {
    let app = spawn_app();
    runner()
        .run(&submission(), |submission| {
            let response = app.post_json("/api/tickets/", &submission.body());
            let expected = submission.expected_errors();
            if expected.is_empty() {
                prop_assert_eq!(response.status(), 201);
            } else {
                prop_assert_eq!(response.status(), 400);
                let named = error_fields(response);
                prop_assert_eq!(named.iter().map(String::as_str).collect::<BTreeSet<_>>(), expected);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn property_2_tickets_created_without_a_status_are_open() {
    let app = spawn_app();
    runner()
        .run(&valid_ticket(), |ticket| {
            let response = app.post_json("/api/tickets/", &ticket.json());
            prop_assert_eq!(response.status(), 201);
            let created: Value = response.json().unwrap();
            prop_assert_eq!(&created["status"], "open");
            prop_assert_eq!(app.stored(created["id"].as_i64().unwrap()).unwrap().status, "open");
            Ok(())
        })
        .unwrap();
}

#[test]
fn property_3_created_at_is_set_to_now() {
    let app = spawn_app();
    runner()
        .run(&valid_ticket(), |ticket| {
            let before = Utc::now();
            let created: Value = app.post_json("/api/tickets/", &ticket.json()).json().unwrap();
            let after = Utc::now();
            let at = created_at(&created);
            prop_assert!(at >= before - chrono::Duration::seconds(2) && at <= after + chrono::Duration::seconds(2));
            Ok(())
        })
        .unwrap();
}

#[test]
fn property_4_a_created_ticket_is_stored_as_sent() {
    let app = spawn_app();
    runner()
        .run(&valid_ticket(), |ticket| {
            let created: Value = app.post_json("/api/tickets/", &ticket.json()).json().unwrap();
            let stored = app.stored(created["id"].as_i64().unwrap()).expect("stored");
            prop_assert_eq!(stored.title, ticket.title);
            prop_assert_eq!(stored.description, ticket.description);
            prop_assert_eq!(stored.category, ticket.category);
            prop_assert_eq!(stored.priority, ticket.priority);
            Ok(())
        })
        .unwrap();
}

#[test]
fn property_5_invalid_tickets_are_rejected_and_not_stored() {
    let app = spawn_app();
    let invalid = submission().prop_filter("invalid", |s| !s.expected_errors().is_empty());
    runner()
        .run(&invalid, |submission| {
            let before = app.count_sql("true");
            let response = app.post_json("/api/tickets/", &submission.body());
            prop_assert!(response.status().is_client_error(), "{}", response.status());
            prop_assert_eq!(app.count_sql("true"), before);
            Ok(())
        })
        .unwrap();
}

/// Creates `tickets`, moves each back by its offset in seconds (equal offsets tie on created_at)
/// and returns them as the API now shows them.
fn create_backdated(app: &TestApp, tickets: &[(ValidTicket, i64)]) -> Vec<Value> {
    tickets
        .iter()
        .map(|(ticket, offset)| {
            let created: Value = app.post_json("/api/tickets/", &ticket.json()).json().unwrap();
            let id = created["id"].as_i64().unwrap();
            let start: DateTime<Utc> = "2026-06-01T00:00:00Z".parse().unwrap();
            app.set_created_at(Some(id), start - chrono::Duration::seconds(*offset));
            app.get(&format!("/api/tickets/{id}/")).json().unwrap()
        })
        .collect()
}

#[test]
fn property_6_lists_are_newest_first() {
    let app = spawn_app();
    let batch = proptest::collection::vec((valid_ticket(), prop_oneof![Just(0i64), 0i64..400 * 86_400]), 1..8);
    runner()
        .run(&batch, |batch| {
            app.clear_tickets();
            create_backdated(&app, &batch);
            let listed = app.list_all("limit=37");
            let keys: Vec<(DateTime<Utc>, i64)> =
                listed.iter().map(|t| (created_at(t), t["id"].as_i64().unwrap())).collect();
            let mut sorted = keys.clone();
            sorted.sort_by(|a, b| b.cmp(a));
            prop_assert_eq!(keys, sorted);
            prop_assert_eq!(listed.len() as i64, app.count_sql("true"));
            Ok(())
        })
        .unwrap();
}

/// A filter as query parameters, and the rule it stands for.
#[derive(Clone, Debug, Default)]
struct Filter {
    category: Option<String>,
    priority: Option<String>,
    status: Option<String>,
    search: Option<String>,
}

impl Filter {
    fn query(&self) -> String {
        let mut pairs = Vec::new();
        for (name, value) in [
            ("category", &self.category),
            ("priority", &self.priority),
            ("status", &self.status),
            ("search", &self.search),
        ] {
            if let Some(value) = value {
                pairs.push((name, value.as_str()));
            }
        }
        pairs.push(("limit", "50"));
        serde_urlencoded::to_string(pairs).unwrap()
    }

    fn matches(&self, ticket: &Value) -> bool {
        let field = |name: &str| ticket[name].as_str().unwrap_or_default();
        self.category.as_deref().is_none_or(|c| field("category") == c)
            && self.priority.as_deref().is_none_or(|p| field("priority") == p)
            && self.status.as_deref().is_none_or(|s| field("status") == s)
            && self.search.as_deref().is_none_or(|term| {
                let term = term.to_lowercase();
                field("title").to_lowercase().contains(&term) || field("description").to_lowercase().contains(&term)
            })
    }
}

/// A search term: a piece of some existing text with its case changed, or a random word.
fn search_term(corpus: Vec<String>) -> impl Strategy<Value = String> {
    let pieces = proptest::sample::select(corpus).prop_flat_map(|text| {
        let chars: Vec<char> = text.chars().collect();
        let len = chars.len();
        (Just(chars), 0..len.max(1), 1..4usize, any::<bool>()).prop_map(|(chars, start, size, upper)| {
            let piece: String = chars.iter().skip(start).take(size).collect();
            if upper { piece.to_uppercase() } else { piece }
        })
    });
    prop_oneof![3 => pieces, 1 => "[a-zé]{1,3}"]
}

/// Adds a few random tickets with random statuses, so that filters have something to choose from.
fn add_tickets(app: &TestApp, model: &mut Vec<Value>, batch: &[(ValidTicket, usize)]) {
    for (ticket, status) in batch {
        let created: Value = app.post_json("/api/tickets/", &ticket.json()).json().unwrap();
        let updated: Value = app
            .patch_json(&format!("/api/tickets/{}/", created["id"]), &json!({"status": STATUSES[*status]}))
            .json()
            .unwrap();
        model.push(updated);
    }
}

fn check_filter(app: &TestApp, model: &[Value], filter: &Filter) -> Result<(), TestCaseError> {
    let listed = app.list_all(&filter.query());
    for ticket in &listed {
        prop_assert!(filter.matches(ticket), "{ticket} does not match {filter:?}");
    }
    let mut expected: Vec<i64> =
        model.iter().filter(|t| filter.matches(t)).map(|t| t["id"].as_i64().unwrap()).collect();
    expected.sort_by(|a, b| b.cmp(a));
    let got: Vec<i64> = listed.iter().map(|t| t["id"].as_i64().unwrap()).collect();
    prop_assert_eq!(got, expected, "every matching ticket, once, for {:?}", filter);
    Ok(())
}

fn batch() -> impl Strategy<Value = Vec<(ValidTicket, usize)>> {
    proptest::collection::vec((valid_ticket(), 0..4usize), 0..10)
}

/// The tickets of one case, created in an empty store.
fn fresh_tickets(app: &TestApp, batch: &[(ValidTicket, usize)]) -> Vec<Value> {
    app.clear_tickets();
    let mut model = Vec::new();
    add_tickets(app, &mut model, batch);
    model
}

#[test]
fn property_7_a_single_filter_returns_exactly_the_matching_tickets() {
    let app = spawn_app();
    let single = prop_oneof![
        choice(&CATEGORIES).prop_map(|v| Filter { category: Some(v), ..Filter::default() }),
        choice(&PRIORITIES).prop_map(|v| Filter { priority: Some(v), ..Filter::default() }),
        choice(&STATUSES).prop_map(|v| Filter { status: Some(v), ..Filter::default() }),
    ];
    runner()
        .run(&(batch(), single), |(batch, filter)| check_filter(&app, &fresh_tickets(&app, &batch), &filter))
        .unwrap();
}

#[test]
fn property_8_search_returns_exactly_the_tickets_containing_the_term_in_any_case() {
    let app = spawn_app();
    let seed: Vec<(ValidTicket, usize)> = (0..5)
        .map(|i| {
            let ticket = ValidTicket {
                title: format!("Écran {i} STRASSE"),
                description: format!("Straße und Überweisung {i}"),
                category: "general".into(),
                priority: "low".into(),
            };
            (ticket, 0)
        })
        .collect();
    let corpus: Vec<String> = seed.iter().flat_map(|(t, _)| [t.title.clone(), t.description.clone()]).collect();
    runner()
        .run(&(batch(), search_term(corpus)), |(batch, term)| {
            let all: Vec<_> = seed.iter().cloned().chain(batch).collect();
            check_filter(&app, &fresh_tickets(&app, &all), &Filter { search: Some(term), ..Filter::default() })
        })
        .unwrap();
}

#[test]
fn property_9_combined_filters_must_all_hold() {
    let app = spawn_app();
    let filter = (
        proptest::option::of(choice(&CATEGORIES)),
        proptest::option::of(choice(&PRIORITIES)),
        proptest::option::of(choice(&STATUSES)),
        proptest::option::of("[a-eé ]{1,2}"),
    )
        .prop_map(|(category, priority, status, search)| Filter { category, priority, status, search });
    runner()
        .run(&(batch(), filter), |(batch, filter)| check_filter(&app, &fresh_tickets(&app, &batch), &filter))
        .unwrap();
}

fn valid_patch() -> impl Strategy<Value = Value> {
    (
        proptest::option::of(title()),
        proptest::option::of(description()),
        proptest::option::of(choice(&CATEGORIES)),
        proptest::option::of(choice(&PRIORITIES)),
        proptest::option::of(choice(&STATUSES)),
    )
        .prop_map(|(title, description, category, priority, status)| {
            let mut object = Map::new();
            for (name, value) in [
                ("title", title),
                ("description", description),
                ("category", category),
                ("priority", priority),
                ("status", status),
            ] {
                if let Some(value) = value {
                    object.insert(name.into(), json!(value));
                }
            }
            Value::Object(object)
        })
}

#[test]
fn property_10_an_update_is_stored_as_sent() {
    let app = spawn_app();
    runner()
        .run(&(valid_ticket(), valid_patch()), |(ticket, patch)| {
            let created: Value = app.post_json("/api/tickets/", &ticket.json()).json().unwrap();
            let id = created["id"].as_i64().unwrap();
            let response = app.patch_json(&format!("/api/tickets/{id}/"), &patch);
            prop_assert_eq!(response.status(), 200);
            let updated: Value = response.json().unwrap();
            let stored = app.stored(id).unwrap();
            let stored = json!({
                "title": stored.title, "description": stored.description, "category": stored.category,
                "priority": stored.priority, "status": stored.status,
            });
            for field in ["title", "description", "category", "priority", "status"] {
                let expected = patch.get(field).unwrap_or(&created[field]);
                prop_assert_eq!(&updated[field], expected, "{} in the response", field);
                prop_assert_eq!(&stored[field], expected, "{} in the database", field);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn property_11_an_invalid_update_is_rejected_and_changes_nothing() {
    let app = spawn_app();
    let created = app.create_ticket("Unchanged", "stays as it is", "billing", "medium");
    let id = created["id"].as_i64().unwrap();
    let before = app.stored(id).unwrap();
    let invalid = submission()
        .prop_map(|mut s| {
            for (_, field) in &mut s.fields {
                if matches!(field, Field::Absent) {
                    *field = Field::Valid(String::new());
                }
            }
            s
        })
        .prop_filter("has an invalid field", |s| s.fields.iter().any(|(_, f)| matches!(f, Field::Invalid(_))))
        .prop_map(|mut s| {
            s.fields.retain(|(_, f)| !matches!(f, Field::Valid(v) if v.is_empty()));
            s
        });
    runner()
        .run(&invalid, |submission| {
            let response = app.patch_json(&format!("/api/tickets/{id}/"), &submission.body());
            prop_assert_eq!(response.status(), 400);
            let expected: BTreeSet<&str> =
                submission.fields.iter().filter(|(_, f)| matches!(f, Field::Invalid(_))).map(|(n, _)| *n).collect();
            let named = error_fields(response);
            prop_assert_eq!(named.iter().map(String::as_str).collect::<BTreeSet<_>>(), expected);
            prop_assert_eq!(&app.stored(id).unwrap(), &before);
            Ok(())
        })
        .unwrap();
}

/// A random state of the store: some tickets, each given a status, some moved back in time by
/// whole days plus an hour (so that no test runs on a day boundary).
fn store_state() -> impl Strategy<Value = (Vec<(ValidTicket, usize)>, Vec<u32>)> {
    (batch(), proptest::collection::vec(0u32..400, 0..4))
}

/// Brings an empty store to `state` and returns its stats.
fn stats_case(app: &TestApp, (batch, backdates): (Vec<(ValidTicket, usize)>, Vec<u32>)) -> Value {
    let model = fresh_tickets(app, &batch);
    for (ticket, days) in model.iter().rev().zip(backdates) {
        let at = Utc::now() - chrono::Duration::hours(i64::from(days) * 24 + 1);
        app.set_created_at(ticket["id"].as_i64(), at);
    }
    app.get("/api/tickets/stats/").json().unwrap()
}

#[test]
fn property_12_total_tickets_is_the_number_of_tickets() {
    let app = spawn_app();
    runner()
        .run(&store_state(), |state| {
            let stats = stats_case(&app, state);
            prop_assert_eq!(stats["total_tickets"].as_i64(), Some(app.count_sql("true")));
            Ok(())
        })
        .unwrap();
}

#[test]
fn property_13_open_tickets_is_the_number_of_open_tickets() {
    let app = spawn_app();
    runner()
        .run(&store_state(), |state| {
            let stats = stats_case(&app, state);
            prop_assert_eq!(stats["open_tickets"].as_i64(), Some(app.count_sql("status = 'open'")));
            Ok(())
        })
        .unwrap();
}

#[test]
fn property_14_average_per_day_is_total_over_days_since_the_first_ticket() {
    let app = spawn_app();
    runner()
        .run(&store_state(), |state| {
            let stats = stats_case(&app, state);
            let total = app.count_sql("true");
            let expected = if total == 0 {
                0.0
            } else {
                let earliest = app.earliest_created_at().expect("a first ticket");
                let days = (Utc::now() - earliest).num_days() + 1;
                format!("{:.1}", total as f64 / days as f64).parse::<f64>().unwrap()
            };
            prop_assert_eq!(stats["avg_tickets_per_day"].as_f64(), Some(expected));
            Ok(())
        })
        .unwrap();
}

#[test]
fn property_15_breakdowns_add_up_to_the_total_with_every_key() {
    let app = spawn_app();
    runner()
        .run(&store_state(), |state| {
            let stats = stats_case(&app, state);
            let total = stats["total_tickets"].as_u64().unwrap();
            for (breakdown, keys, column) in
                [("priority_breakdown", PRIORITIES, "priority"), ("category_breakdown", CATEGORIES, "category")]
            {
                let counts = stats[breakdown].as_object().unwrap();
                prop_assert_eq!(
                    counts.keys().cloned().collect::<BTreeSet<_>>(),
                    keys.iter().map(|k| k.to_string()).collect()
                );
                prop_assert_eq!(counts.values().map(|v| v.as_u64().unwrap()).sum::<u64>(), total);
                for key in keys {
                    prop_assert_eq!(counts[key].as_i64(), Some(app.count_sql(&format!("{column} = '{key}'"))));
                }
            }
            Ok(())
        })
        .unwrap();
}
