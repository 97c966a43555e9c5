//! Versions and conditional writes, idempotent creates, and the history of every ticket, through
//! the API; with properties over generated cases on the store the run chose.

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;
use reqwest::blocking::Response;
use serde_json::{Value, json};

use crate::helpers::{TestApp, next_link, spawn_app};

const STALE: &str = "The ticket was changed by someone else since you read it.";

fn etag(response: &Response) -> String {
    response.headers()["etag"].to_str().unwrap().to_owned()
}

fn patch_if(app: &TestApp, id: i64, if_match: Option<&str>, body: &Value) -> Response {
    let mut request = app.request(Method::PATCH, &format!("/api/tickets/{id}/")).json(body);
    if let Some(tag) = if_match {
        request = request.header("if-match", tag);
    }
    request.send().unwrap()
}

fn ticket_body(title: &str) -> Value {
    json!({"title": title, "description": "It broke", "category": "technical", "priority": "high"})
}

/// Every entry of the ticket's history, following the Link header.
fn history(app: &TestApp, id: i64, limit: usize) -> Vec<Value> {
    let mut events = Vec::new();
    let mut next = Some(app.url(&format!("/api/tickets/{id}/history/?limit={limit}")));
    while let Some(url) = next.take() {
        let response = app.get_url(&url);
        assert_eq!(response.status(), 200, "{url}");
        next = next_link(&response);
        events.extend(response.json::<Vec<Value>>().unwrap());
    }
    events
}

#[test]
fn get_and_patch_answer_with_the_version_as_a_strong_etag() {
    let app = spawn_app();
    let created = app.post_json("/api/tickets/", &ticket_body("Printer"));
    assert_eq!(etag(&created), "\"1\"");
    let id = created.json::<Value>().unwrap()["id"].as_i64().unwrap();
    let read = app.get(&format!("/api/tickets/{id}/"));
    assert_eq!(etag(&read), "\"1\"");
    let body: Value = read.json().unwrap();
    let fields: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(fields, ["id", "title", "description", "category", "priority", "status", "created_at"], "the seed's");
    let changed = patch_if(&app, id, Some("\"1\""), &json!({"status": "resolved"}));
    assert_eq!(changed.status(), 200);
    assert_eq!(etag(&changed), "\"2\"");
    let unconditional = patch_if(&app, id, None, &json!({"priority": "low"}));
    assert_eq!(unconditional.status(), 200, "the seed's clients send no If-Match");
    assert_eq!(etag(&unconditional), "\"3\"");
}

#[test]
fn a_patch_against_an_old_version_is_412_and_writes_nothing() {
    let app = spawn_app();
    let ticket = app.create_ticket("Printer", "It broke", "technical", "high");
    let id = ticket["id"].as_i64().unwrap();
    assert_eq!(patch_if(&app, id, Some("\"1\""), &json!({"status": "resolved"})).status(), 200);
    for stale in ["\"1\"", "W/\"2\"", "\"x\"", "garbage"] {
        let response = patch_if(&app, id, Some(stale), &json!({"status": "closed", "title": "Mine"}));
        assert_eq!(response.status(), 412, "{stale}");
        assert_eq!(etag(&response), "\"2\"", "the current version comes back");
        assert_eq!(response.json::<Value>().unwrap(), json!({"detail": STALE}));
    }
    assert_eq!(patch_if(&app, id, Some("*"), &json!({"priority": "low"})).status(), 200, "* matches any version");
    let stored = app.get(&format!("/api/tickets/{id}/")).json::<Value>().unwrap();
    assert_eq!((stored["status"].as_str(), stored["title"].as_str()), (Some("resolved"), Some("Printer")));
}

#[test]
fn a_keyed_create_is_replayed_not_repeated() {
    let app = spawn_app();
    let post = |key: &str, body: &Value| {
        app.request(Method::POST, "/api/tickets/").header("idempotency-key", key).json(body).send().unwrap()
    };
    let first = post("order-77", &ticket_body("Printer"));
    assert_eq!(first.status(), 201);
    assert!(!first.headers().contains_key("idempotent-replayed"));
    let first: Value = first.json().unwrap();
    let id = first["id"].as_i64().unwrap();
    assert_eq!(patch_if(&app, id, None, &json!({"status": "closed"})).status(), 200);

    let retry = post("order-77", &ticket_body("Printer"));
    assert_eq!(retry.status(), 201);
    assert_eq!(retry.headers()["idempotent-replayed"], "true");
    assert_eq!(retry.json::<Value>().unwrap(), first, "the first answer, as it was");

    let other = post("order-77", &ticket_body("Something else"));
    assert_eq!(other.status(), 422);
    assert_eq!(
        other.json::<Value>().unwrap(),
        json!({"detail": "This Idempotency-Key was already used with a different request."})
    );
    for bad in ["", &"k".repeat(256)] {
        let response = post(bad, &ticket_body("Printer"));
        assert_eq!(response.status(), 400, "{bad:?}");
    }
    assert_eq!(app.count_sql("true"), 1);
}

#[test]
fn keys_are_scoped_to_the_caller() {
    let app = spawn_app();
    let as_admin = app.request(Method::POST, "/api/tickets/").header("idempotency-key", "k1").json(&ticket_body("A"));
    assert_eq!(as_admin.send().unwrap().status(), 201);
    let anonymous =
        app.anonymous(Method::POST, "/api/tickets/").header("idempotency-key", "k1").json(&ticket_body("B"));
    assert_eq!(anonymous.send().unwrap().status(), 201, "another caller's key of the same name is its own");
    assert_eq!(app.count_sql("true"), 2);
}

#[test]
fn the_history_names_who_did_what_oldest_first_in_pages() {
    let app = spawn_app();
    let created = app
        .anonymous(Method::POST, "/api/tickets/")
        .json(&ticket_body("From the form"))
        .send()
        .unwrap()
        .json::<Value>()
        .unwrap();
    let id = created["id"].as_i64().unwrap();
    for status in ["in_progress", "resolved", "closed"] {
        assert_eq!(patch_if(&app, id, None, &json!({"status": status, "priority": "low"})).status(), 200);
    }
    let events = history(&app, id, 2);
    assert_eq!(events.len(), 1 + 3 + 1, "created, three status changes and one priority change");
    assert_eq!(events[0]["action"], "created");
    assert_eq!(events[0]["actor"], json!({"kind": "public", "id": null, "name": "public submission"}));
    assert_eq!((events[0]["version"].as_i64(), events[0]["at"].as_str()), (Some(1), created["created_at"].as_str()));
    let agent = match crate::helpers::TestAuth::from_env() {
        crate::helpers::TestAuth::Token => ("token", "tests"),
        crate::helpers::TestAuth::Cookie => ("account", "Test Admin"),
    };
    let changed: Vec<(String, String, String, i64)> = events[1..]
        .iter()
        .map(|e| {
            assert_eq!(e["action"], "changed");
            assert_eq!((e["actor"]["kind"].as_str(), e["actor"]["name"].as_str()), (Some(agent.0), Some(agent.1)));
            (
                e["field"].as_str().unwrap().into(),
                e["from"].as_str().unwrap().into(),
                e["to"].as_str().unwrap().into(),
                e["version"].as_i64().unwrap(),
            )
        })
        .collect();
    let expected = [
        ("priority", "high", "low", 2),
        ("status", "open", "in_progress", 2),
        ("status", "in_progress", "resolved", 3),
        ("status", "resolved", "closed", 4),
    ];
    let expected: Vec<(String, String, String, i64)> =
        expected.iter().map(|(f, a, b, v)| (f.to_string(), a.to_string(), b.to_string(), *v)).collect();
    assert_eq!(changed, expected);
    assert_eq!(app.get("/api/tickets/999999/history/").status(), 404);
    assert_eq!(app.anonymous(Method::GET, &format!("/api/tickets/{id}/history/")).send().unwrap().status(), 401);
    assert_eq!(app.get(&format!("/api/tickets/{id}/history/?cursor=zz")).status(), 400);
}

fn runner() -> TestRunner {
    TestRunner::new(Config { cases: 100, failure_persistence: None, ..Config::default() })
}

fn field_change() -> impl Strategy<Value = (String, String)> {
    prop_oneof![
        proptest::sample::select(&["open", "in_progress", "resolved", "closed"][..])
            .prop_map(|v| ("status".to_owned(), v.to_owned())),
        proptest::sample::select(&["low", "medium", "high", "critical"][..])
            .prop_map(|v| ("priority".to_owned(), v.to_owned())),
        proptest::sample::select(&["billing", "technical", "account", "general"][..])
            .prop_map(|v| ("category".to_owned(), v.to_owned())),
        "[A-Za-z][A-Za-z ]{0,20}".prop_map(|v| ("title".to_owned(), v)),
        "[a-z][a-z ]{0,30}".prop_map(|v| ("description".to_owned(), v)),
    ]
}

/// Replaying a ticket's history from its creation (the first answer) gives the ticket as it is.
#[test]
fn property_replaying_the_history_from_the_creation_gives_the_ticket_as_it_is() {
    let app = spawn_app();
    let changes = proptest::collection::vec(proptest::collection::vec(field_change(), 1..4), 0..6);
    runner()
        .run(&changes, |patches| {
            let created: Value = app.post_json("/api/tickets/", &ticket_body("Start")).json().unwrap();
            let id = created["id"].as_i64().unwrap();
            for patch in &patches {
                let body: serde_json::Map<String, Value> = patch.iter().map(|(f, v)| (f.clone(), json!(v))).collect();
                prop_assert_eq!(patch_if(&app, id, None, &Value::Object(body)).status(), 200);
            }
            let mut replayed: BTreeMap<String, Value> =
                created.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            for event in history(&app, id, 3).iter().skip(1) {
                let field = event["field"].as_str().unwrap();
                prop_assert_eq!(&replayed[field], &event["from"], "each change finds the value it changed");
                replayed.insert(field.to_owned(), event["to"].clone());
            }
            let now: Value = app.get(&format!("/api/tickets/{id}/")).json().unwrap();
            let now: BTreeMap<String, Value> =
                now.as_object().unwrap().iter().map(|(k, v)| (k.clone(), v.clone())).collect();
            prop_assert_eq!(replayed, now);
            Ok(())
        })
        .unwrap();
}

/// Clients that each read, then write with If-Match, in any interleaving: every acknowledged write
/// built on the one before it (none was lost without a 412), and the history holds each.
#[test]
fn property_no_acknowledged_change_is_lost_without_a_412() {
    let app = spawn_app();
    let steps = proptest::collection::vec((0..3usize, any::<bool>(), field_change()), 1..14);
    runner()
        .run(&steps, |steps| {
            let created: Value = app.post_json("/api/tickets/", &ticket_body("Shared")).json().unwrap();
            let id = created["id"].as_i64().unwrap();
            let mut seen: [Option<String>; 3] = [None, None, None];
            let mut acknowledged: Vec<(u64, u64)> = Vec::new();
            for (client, read, (field, value)) in steps {
                if read || seen[client].is_none() {
                    seen[client] = Some(etag(&app.get(&format!("/api/tickets/{id}/"))));
                    continue;
                }
                let tag = seen[client].clone().unwrap();
                let response = patch_if(&app, id, Some(&tag), &json!({field: value}));
                let version = |tag: &str| tag.trim_matches('"').parse::<u64>().unwrap();
                match response.status().as_u16() {
                    200 => {
                        let new = etag(&response);
                        acknowledged.push((version(&tag), version(&new)));
                        seen[client] = Some(new);
                    }
                    412 => seen[client] = None,
                    other => prop_assert!(false, "unexpected {}", other),
                }
            }
            let mut current = 1;
            for (based_on, became) in &acknowledged {
                prop_assert_eq!(*based_on, current, "an acknowledged write was made against the version before it");
                prop_assert!(*became == current || *became == current + 1);
                current = *became;
            }
            let events = history(&app, id, 100);
            let versions: std::collections::BTreeSet<u64> =
                events.iter().map(|e| e["version"].as_u64().unwrap()).collect();
            for (_, became) in &acknowledged {
                prop_assert!(versions.contains(became), "version {} is in the history", became);
            }
            Ok(())
        })
        .unwrap();
}

/// Any number of retries of one keyed POST, one after another or all at once, leave one ticket.
#[test]
fn property_retries_of_one_keyed_post_leave_one_ticket() {
    let app = spawn_app();
    let cases = (1..6usize, any::<bool>(), "[a-z0-9-]{1,40}");
    runner()
        .run(&cases, |(retries, concurrent, key)| {
            app.clear_tickets();
            let body = ticket_body("Keyed");
            let send = || {
                app.request(Method::POST, "/api/tickets/").header("idempotency-key", &key).json(&body).send().unwrap()
            };
            let answers: Vec<(u16, i64)> = if concurrent {
                std::thread::scope(|scope| {
                    let threads: Vec<_> = (0..=retries).map(|_| scope.spawn(send)).collect();
                    threads.into_iter().map(|t| t.join().unwrap()).map(status_and_id).collect()
                })
            } else {
                (0..=retries).map(|_| status_and_id(send())).collect()
            };
            prop_assert!(answers.iter().all(|(status, _)| *status == 201), "{:?}", answers);
            prop_assert!(answers.windows(2).all(|pair| pair[0].1 == pair[1].1), "one ticket: {:?}", answers);
            prop_assert_eq!(app.count_sql("true"), 1);
            Ok(())
        })
        .unwrap();
}

fn status_and_id(response: Response) -> (u16, i64) {
    let status = response.status().as_u16();
    let id = response.json::<Value>().map(|body| body["id"].as_i64().unwrap_or(0)).unwrap_or(0);
    (status, id)
}
