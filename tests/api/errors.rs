use reqwest::Method;
use serde_json::{Value, json};

use crate::helpers::spawn_app;

#[test]
fn every_bad_field_is_named_at_once_with_drf_messages() {
    let app = spawn_app();
    let response = app.post_json(
        "/api/tickets/",
        &json!({"title": "x".repeat(201), "description": "   ", "category": "food", "status": null, "priority": 3}),
    );
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().unwrap(),
        json!({
            "title": ["Ensure this field has no more than 200 characters."],
            "description": ["This field may not be blank."],
            "category": ["\"food\" is not a valid choice."],
            "priority": ["Not a valid string."],
            "status": ["This field may not be null."]
        })
    );
    assert_eq!(app.count_sql("true"), 0);
}

#[test]
fn a_missing_body_names_every_required_field() {
    let app = spawn_app();
    let response = app.request(Method::POST, "/api/tickets/").send().unwrap();
    assert_eq!(response.status(), 400);
    let body: Value = response.json().unwrap();
    for field in ["title", "description", "category", "priority"] {
        assert_eq!(body[field], json!(["This field is required."]), "{field}");
    }
}

#[test]
fn nul_characters_are_refused_with_a_clear_message() {
    let app = spawn_app();
    let response = app.post_json(
        "/api/tickets/",
        &json!({"title": "a\u{0}b", "description": "d", "category": "general", "priority": "low"}),
    );
    assert_eq!(response.status(), 400);
    assert_eq!(response.json::<Value>().unwrap(), json!({"title": ["Null characters are not allowed."]}));
    assert_eq!(app.get("/api/tickets/?search=%00").status(), 400);
}

#[test]
fn malformed_json_is_a_400_with_detail() {
    let app = spawn_app();
    let response = app
        .request(Method::POST, "/api/tickets/")
        .header("content-type", "application/json")
        .body("{\"title\": ")
        .send()
        .unwrap();
    assert_eq!(response.status(), 400);
    assert!(response.json::<Value>().unwrap()["detail"].as_str().unwrap().starts_with("JSON parse error"));
}

#[test]
fn a_json_value_that_is_not_an_object_is_refused() {
    let app = spawn_app();
    let response = app.post_json("/api/tickets/", &json!(["a"]));
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().unwrap(),
        json!({"non_field_errors": ["Invalid data. Expected a dictionary, but got list."]})
    );
}

#[test]
fn a_write_that_is_not_json_is_a_415() {
    let app = spawn_app();
    let response =
        app.request(Method::POST, "/api/tickets/").header("content-type", "text/plain").body("title=x").send().unwrap();
    assert_eq!(response.status(), 415);
    assert!(response.json::<Value>().unwrap()["detail"].as_str().unwrap().contains("text/plain"));
}

#[test]
fn a_body_over_the_limit_is_a_413() {
    let app = spawn_app();
    let huge = json!({"title": "t", "description": "x".repeat(500 * 1024), "category": "general", "priority": "low"});
    let response = app.post_json("/api/tickets/", &huge);
    assert_eq!(response.status(), 413);
    let limit = adapters_http::body_limit_for(&domain::TicketLimits::default());
    assert!(response.json::<Value>().unwrap()["detail"].as_str().unwrap().contains(&format!("{limit} bytes")));
    assert_eq!(app.count_sql("true"), 0);
}

#[test]
fn unknown_or_non_numeric_ids_are_404_not_found() {
    let app = spawn_app();
    for path in ["/api/tickets/12345/", "/api/tickets/abc/", "/api/tickets/-1", "/api/tickets/99999999999999999999/"] {
        let response = app.get(path);
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.json::<Value>().unwrap(), json!({"detail": "Not found."}), "{path}");
    }
    let response = app.patch_json("/api/tickets/12345/", &json!({"status": "closed"}));
    assert_eq!(response.status(), 404);
}

#[test]
fn an_invalid_patch_names_its_fields_and_changes_nothing() {
    let app = spawn_app();
    let created = app.create_ticket("t", "d", "general", "low");
    let id = created["id"].as_i64().unwrap();
    let response = app.patch_json(&format!("/api/tickets/{id}/"), &json!({"status": "done", "title": ""}));
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().unwrap(),
        json!({"status": ["\"done\" is not a valid choice."], "title": ["This field may not be blank."]})
    );
    assert_eq!(app.stored(id).unwrap().status, "open");
}

#[test]
fn bad_list_parameters_are_named() {
    let app = spawn_app();
    let response = app.get("/api/tickets/?category=food&limit=0&cursor=nonsense");
    assert_eq!(response.status(), 400);
    let body: Value = response.json().unwrap();
    assert_eq!(body["category"], json!(["\"food\" is not a valid choice."]));
    assert!(body["limit"].is_array());
    assert!(body["cursor"].is_array());
}

#[test]
fn other_methods_are_405_and_unknown_api_paths_404_with_json() {
    let app = spawn_app();
    let response = app.request(Method::DELETE, "/api/tickets/").send().unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.json::<Value>().unwrap(), json!({"detail": "Method \"DELETE\" not allowed."}));
    let response = app.get("/api/nothing-here/");
    assert_eq!(response.status(), 404);
    assert_eq!(response.json::<Value>().unwrap(), json!({"detail": "Not found."}));
}

#[test]
fn classify_requires_a_description() {
    let app = spawn_app();
    for (body, message) in [
        (json!({}), "This field is required."),
        (json!({"description": "  "}), "This field may not be blank."),
        (json!({"description": 5}), "Not a valid string."),
    ] {
        let response = app.post_json("/api/tickets/classify/", &body);
        assert_eq!(response.status(), 400, "{body}");
        assert_eq!(response.json::<Value>().unwrap(), json!({"description": [message]}), "{body}");
    }
}

#[test]
fn classify_is_rate_limited_per_client_with_retry_after() {
    if crate::helpers::alternating_instances() {
        return; // each instance keeps this limit for itself (see the README)
    }
    let app = crate::helpers::spawn_app_with(&[("CLASSIFY_BURST", "2"), ("CLASSIFY_RATE_PER_MINUTE", "1")]);
    let body = json!({"description": "my invoice is wrong"});
    assert_eq!(app.post_json("/api/tickets/classify/", &body).status(), 200);
    assert_eq!(app.post_json("/api/tickets/classify/", &body).status(), 200);
    let limited = app.post_json("/api/tickets/classify/", &body);
    assert_eq!(limited.status(), 429);
    let retry_after: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    assert!(limited.json::<Value>().unwrap()["detail"].is_string());
}
