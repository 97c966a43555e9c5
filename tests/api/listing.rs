use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};

use crate::helpers::{next_link, spawn_app};

#[test]
fn the_seeds_list_example_filters_and_searches() {
    let app = spawn_app();
    app.create_ticket("Cannot access my account", "I keep getting an error", "technical", "high");
    app.create_ticket("Other", "I keep getting an error", "billing", "high");
    app.create_ticket("Fine", "all good", "technical", "low");
    let tickets: Vec<Value> = app.get("/api/tickets/?category=technical&search=error").json().unwrap();
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["title"], "Cannot access my account");
}

#[test]
fn pages_follow_the_link_header_to_the_end_and_keep_the_filters() {
    let app = spawn_app();
    for i in 0..7 {
        app.create_ticket(&format!("ticket {i}"), "words", if i % 2 == 0 { "billing" } else { "general" }, "low");
    }
    let first = app.get("/api/tickets/?category=billing&limit=2");
    let link = next_link(&first).expect("a next link");
    assert!(link.starts_with(&app.address), "{link}");
    assert!(link.contains("category=billing") && link.contains("limit=2") && link.contains("cursor="), "{link}");
    let raw = first.headers()["link"].to_str().unwrap().to_owned();
    assert!(raw.ends_with("; rel=\"next\""), "{raw}");

    let titles: Vec<_> =
        app.list_all("category=billing&limit=2").iter().map(|t| t["title"].as_str().unwrap().to_owned()).collect();
    assert_eq!(titles, ["ticket 6", "ticket 4", "ticket 2", "ticket 0"]);

    let last = app.get("/api/tickets/?limit=10");
    assert!(next_link(&last).is_none(), "no link on the last page");
}

#[test]
fn ties_on_created_at_are_ordered_by_id_descending() {
    let app = spawn_app();
    for i in 0..5 {
        app.create_ticket(&format!("t{i}"), "d", "general", "low");
    }
    app.set_created_at(None, "2026-01-01T00:00:00Z".parse().unwrap());
    let ids: Vec<i64> = app.list_all("limit=2").iter().map(|t| t["id"].as_i64().unwrap()).collect();
    let mut expected = ids.clone();
    expected.sort_by(|a, b| b.cmp(a));
    assert_eq!(ids, expected);
    assert_eq!(ids.len(), 5);
}

#[test]
fn walking_the_pages_while_tickets_arrive_yields_every_earlier_ticket_exactly_once() {
    let app = Arc::new(spawn_app());
    for i in 0..60 {
        app.create_ticket(&format!("before {i}"), "d", "general", "low");
    }
    let done = Arc::new(AtomicBool::new(false));
    let writer = {
        let (app, done) = (Arc::clone(&app), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut written = 0;
            while !done.load(Ordering::SeqCst) && written < 200 {
                app.create_ticket(&format!("during {written}"), "d", "general", "low");
                written += 1;
            }
        })
    };
    let seen = app.list_all("limit=7");
    done.store(true, Ordering::SeqCst);
    writer.join().unwrap();

    let ids: Vec<i64> = seen.iter().map(|t| t["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len(), "no ticket twice");
    let before: HashSet<_> =
        seen.iter().filter_map(|t| t["title"].as_str()).filter(|t| t.starts_with("before")).collect();
    assert_eq!(before.len(), 60, "every ticket that existed is seen");
}

#[test]
fn a_limit_over_1000_is_refused_and_the_default_page_is_100() {
    let app = spawn_app();
    assert_eq!(app.get("/api/tickets/?limit=1001").status(), 400);
    for i in 0..101 {
        app.post_json(
            "/api/tickets/",
            &json!({"title": format!("t{i}"), "description": "d", "category": "general", "priority": "low"}),
        );
    }
    let first = app.get("/api/tickets/");
    assert!(next_link(&first).is_some());
    assert_eq!(first.json::<Vec<Value>>().unwrap().len(), 100);
}

#[test]
fn a_parameter_given_twice_is_refused_not_guessed() {
    let app = spawn_app();
    let id = app.create_ticket("Printer", "jammed", "technical", "low")["id"].as_i64().unwrap();
    for path in [
        "/api/tickets/?limit=5&limit=".to_owned(),
        "/api/tickets/?status=open&status=closed".to_owned(),
        format!("/api/tickets/{id}/history/?limit=true&limit="),
    ] {
        let response = app.get(&path);
        assert_eq!(response.status(), 400, "{path}");
        let body: Value = response.json().unwrap();
        let field = if path.contains("status=") { "status" } else { "limit" };
        assert_eq!(body, json!({ field: ["Give this parameter once."] }), "{path}");
    }
    assert_eq!(app.get("/api/tickets/?limit=5&search=").status(), 200);
}
