use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[test]
fn the_seeds_create_example_returns_201_and_the_ticket() {
    let app = spawn_app();
    let response = app.post_json(
        "/api/tickets/",
        &json!({
            "title": "Cannot access my account",
            "description": "I've been trying to log in but keep getting an error",
            "category": "account",
            "priority": "high"
        }),
    );
    assert_eq!(response.status(), 201);
    let ticket: Value = response.json().unwrap();
    let keys: Vec<_> = ticket.as_object().unwrap().keys().cloned().collect();
    assert_eq!(keys.len(), 7, "{ticket}");
    for key in ["id", "title", "description", "category", "priority", "status", "created_at"] {
        assert!(ticket.get(key).is_some(), "{key} in {ticket}");
    }
    assert_eq!(ticket["title"], "Cannot access my account");
    assert_eq!(ticket["status"], "open");
    assert!(ticket["created_at"].as_str().unwrap().ends_with('Z'));
}

#[test]
fn id_and_created_at_sent_by_a_client_are_ignored_and_so_are_unknown_fields() {
    let app = spawn_app();
    let response = app.post_json(
        "/api/tickets/",
        &json!({
            "id": 999, "created_at": "2001-01-01T00:00:00Z", "colour": "blue",
            "title": "t", "description": "d", "category": "general", "priority": "low", "status": "closed"
        }),
    );
    assert_eq!(response.status(), 201);
    let ticket: Value = response.json().unwrap();
    assert_ne!(ticket["id"], 999);
    assert!(!ticket["created_at"].as_str().unwrap().starts_with("2001"));
    assert_eq!(ticket["status"], "closed");
    assert!(ticket.get("colour").is_none());
}

#[test]
fn a_ticket_is_read_by_id_with_or_without_the_trailing_slash() {
    let app = spawn_app();
    let created = app.create_ticket("Printer", "It is on fire", "technical", "critical");
    let id = created["id"].as_i64().unwrap();
    for path in [format!("/api/tickets/{id}/"), format!("/api/tickets/{id}")] {
        let response = app.get(&path);
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.json::<Value>().unwrap(), created);
    }
}

#[test]
fn patch_changes_only_the_fields_sent() {
    let app = spawn_app();
    let created = app.create_ticket("Refund", "Charged twice", "billing", "high");
    let id = created["id"].as_i64().unwrap();

    let response = app.patch_json(&format!("/api/tickets/{id}/"), &json!({"status": "in_progress", "id": 5}));

    assert_eq!(response.status(), 200);
    let updated: Value = response.json().unwrap();
    assert_eq!(updated["status"], "in_progress");
    assert_eq!(updated["id"], created["id"]);
    assert_eq!(updated["title"], created["title"]);
    assert_eq!(updated["created_at"], created["created_at"]);
    assert_eq!(app.stored(id).unwrap().status, "in_progress");
}

#[test]
fn an_empty_patch_returns_the_ticket_unchanged() {
    let app = spawn_app();
    let created = app.create_ticket("Refund", "Charged twice", "billing", "high");
    let response = app.patch_json(&format!("/api/tickets/{}", created["id"]), &json!({}));
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().unwrap(), created);
}

#[test]
fn search_ignores_case_in_any_alphabet_and_in_title_or_description() {
    let app = spawn_app();
    app.create_ticket("Mon écran est noir", "depuis ce matin", "technical", "high");
    app.create_ticket("Straße gesperrt", "Die STRASSE", "general", "low");
    app.create_ticket("Invoice", "wrong VAT on ÉCRAN purchase", "billing", "medium");
    app.create_ticket("Nothing", "to see", "general", "low");

    let titles = |query: &str| -> Vec<String> {
        app.list_all(query).iter().map(|t| t["title"].as_str().unwrap().to_owned()).collect()
    };
    assert_eq!(titles("search=%C3%89CRAN"), ["Invoice", "Mon écran est noir"]);
    assert_eq!(titles("search=STRAßE"), ["Straße gesperrt"]);
    assert_eq!(titles("search=strasse"), ["Straße gesperrt"]);
    assert_eq!(titles("search=50%25"), Vec::<String>::new());
    assert_eq!(titles("search=&category=general").len(), 2);
}

#[test]
fn stats_match_the_seeds_shape_with_every_key() {
    let app = spawn_app();
    let empty: Value = app.get("/api/tickets/stats/").json().unwrap();
    assert_eq!(
        empty,
        json!({
            "total_tickets": 0, "open_tickets": 0, "avg_tickets_per_day": 0.0,
            "priority_breakdown": {"low": 0, "medium": 0, "high": 0, "critical": 0},
            "category_breakdown": {"billing": 0, "technical": 0, "account": 0, "general": 0}
        })
    );
    let first = app.create_ticket("a", "b", "billing", "high");
    let second = app.create_ticket("c", "d", "technical", "high");
    app.patch_json(&format!("/api/tickets/{}/", second["id"]), &json!({"status": "closed"}));
    app.set_created_at(first["id"].as_i64(), chrono::Utc::now() - chrono::Duration::hours(3 * 24 + 1));

    let stats: Value = app.get("/api/tickets/stats").json().unwrap();

    assert_eq!(stats["total_tickets"], 2);
    assert_eq!(stats["open_tickets"], 1);
    assert_eq!(stats["avg_tickets_per_day"], 0.5);
    assert_eq!(stats["priority_breakdown"], json!({"low": 0, "medium": 0, "high": 2, "critical": 0}));
    assert_eq!(stats["category_breakdown"], json!({"billing": 1, "technical": 1, "account": 0, "general": 0}));
}

#[test]
fn classify_suggests_a_category_and_priority_and_says_where_it_came_from() {
    let app = spawn_app();
    let response =
        app.post_json("/api/tickets/classify/", &json!({"description": "I was charged twice for my subscription"}));
    assert_eq!(response.status(), 200);
    let suggestion: Value = response.json().unwrap();
    assert!(
        ["billing", "technical", "account", "general"].contains(&suggestion["suggested_category"].as_str().unwrap())
    );
    assert!(["low", "medium", "high", "critical"].contains(&suggestion["suggested_priority"].as_str().unwrap()));
    assert_eq!(suggestion["source"], "offline");
    assert!(suggestion["note"].as_str().unwrap().contains("no LLM is configured"));
}

#[test]
fn health_and_readiness_answer() {
    let app = spawn_app();
    assert_eq!(app.get("/healthz").status(), 200);
    let ready = app.get("/readyz");
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().unwrap()["status"], "ready");
}
