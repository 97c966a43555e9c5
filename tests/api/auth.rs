//! Signing in and out, sessions, the first admin, accounts and tokens, through the API.

use reqwest::Method;
use reqwest::blocking::Client;
use serde_json::{Value, json};

use crate::helpers::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, client_signed_in, client_with_token, spawn_app};

fn login(app: &TestApp, email: &str, password: &str) -> reqwest::blocking::Response {
    app.anonymous(Method::POST, "/api/auth/login/").json(&json!({"email": email, "password": password})).send().unwrap()
}

fn create_account(app: &TestApp, email: &str, role: &str) -> Value {
    let response = app.post_json(
        "/api/accounts/",
        &json!({"email": email, "name": "Ann Agent", "role": role, "password": "a long enough password"}),
    );
    assert_eq!(response.status(), 201);
    response.json().unwrap()
}

#[test]
fn signing_in_sets_a_safe_session_cookie_and_answers_the_account() {
    let app = spawn_app();
    let response = login(&app, "ADMIN@example.com", ADMIN_PASSWORD);
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    for attribute in ["helpdesk_session=", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie}");
    }
    assert!(!cookie.contains("Secure"), "no Secure flag on a plain-http public URL: {cookie}");
    let account: Value = response.json().unwrap();
    assert_eq!(account["email"], ADMIN_EMAIL);
    assert_eq!(account["role"], "admin");
    let fields: Vec<&str> = account.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(fields, ["id", "email", "name", "role", "disabled", "created_at"], "no hash, no password");
}

#[test]
fn behind_https_the_cookie_is_secure() {
    let app = crate::helpers::spawn_app_with(&[("PUBLIC_URL", "https://desk.example.com")]);
    let response = login(&app, ADMIN_EMAIL, ADMIN_PASSWORD);
    assert_eq!(response.status(), 200);
    assert!(response.headers()["set-cookie"].to_str().unwrap().contains("Secure"));
}

#[test]
fn a_wrong_email_and_a_wrong_password_get_the_same_answer() {
    let app = spawn_app();
    let wrong_password = login(&app, ADMIN_EMAIL, "not the password at all");
    let wrong_email = login(&app, "nobody@example.com", ADMIN_PASSWORD);
    for response in [wrong_password, wrong_email] {
        assert_eq!(response.status(), 400);
        assert_eq!(
            response.json::<Value>().unwrap(),
            json!({"non_field_errors": ["Unable to log in with provided credentials."]})
        );
    }
    let missing = app.anonymous(Method::POST, "/api/auth/login/").json(&json!({"email": ""})).send().unwrap();
    assert_eq!(missing.status(), 400);
    assert_eq!(
        missing.json::<Value>().unwrap(),
        json!({"email": ["This field may not be blank."], "password": ["This field is required."]})
    );
}

#[test]
fn the_sixth_failure_in_a_row_is_throttled_and_a_success_resets_the_count() {
    let app = spawn_app();
    create_account(&app, "ann@example.com", "agent");
    for _ in 0..4 {
        assert_eq!(login(&app, "ann@example.com", "wrong password!").status(), 400);
    }
    assert_eq!(login(&app, "ann@example.com", "a long enough password").status(), 200, "a success resets");
    for attempt in 1..=5 {
        assert_eq!(login(&app, "ann@example.com", "wrong password!").status(), 400, "failure {attempt}");
    }
    let throttled = login(&app, "ann@example.com", "a long enough password");
    assert_eq!(throttled.status(), 429, "the sixth attempt waits, even with the right password");
    let wait: u64 = throttled.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=30).contains(&wait), "{wait}");
    assert_eq!(
        throttled.json::<Value>().unwrap()["detail"],
        format!("Request was throttled. Expected available in {wait} seconds.")
    );
}

#[test]
fn me_answers_who_is_signed_in_and_logout_ends_the_session() {
    let app = spawn_app();
    let browser = client_signed_in(&app.address, ADMIN_EMAIL, ADMIN_PASSWORD);
    let me: Value = browser.get(app.url("/api/auth/me/")).send().unwrap().json().unwrap();
    assert_eq!(me["email"], ADMIN_EMAIL);
    assert_eq!(browser.get(app.url("/api/tickets/")).send().unwrap().status(), 200);

    let logout = browser.post(app.url("/api/auth/logout/")).send().unwrap();
    assert_eq!(logout.status(), 204);
    assert_eq!(browser.get(app.url("/api/auth/me/")).send().unwrap().status(), 401);
    assert_eq!(browser.get(app.url("/api/tickets/")).send().unwrap().status(), 401);
}

#[test]
fn a_cookie_without_its_own_origin_cannot_write() {
    let app = spawn_app();
    let response = login(&app, ADMIN_EMAIL, ADMIN_PASSWORD);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let ticket = json!({"title": "t", "description": "d", "category": "general", "priority": "low"});
    let post = |origin: Option<&str>, referer: Option<&str>| {
        let mut request = Client::new().post(app.url("/api/tickets/")).header("cookie", &cookie).json(&ticket);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(referer) = referer {
            request = request.header("referer", referer);
        }
        request.send().unwrap().status()
    };
    assert_eq!(post(Some("http://evil.example"), None), 403);
    assert_eq!(post(Some("null"), None), 403);
    assert_eq!(post(None, None), 403, "neither Origin nor Referer");
    assert_eq!(post(None, Some("http://evil.example/page")), 403);
    assert_eq!(post(Some(&app.address), None), 201);
    assert_eq!(post(None, Some(&format!("{}/tickets/1", app.address))), 201);
    let get =
        Client::new().get(app.url("/api/tickets/")).header("cookie", &cookie).header("origin", "http://evil.example");
    assert_eq!(get.send().unwrap().status(), 200, "reading is not a cross-site write");
}

#[test]
fn the_public_form_stays_open_to_anyone() {
    let app = spawn_app();
    let ticket =
        json!({"title": "Printer", "description": "It is on fire", "category": "technical", "priority": "high"});
    assert_eq!(app.anonymous(Method::POST, "/api/tickets/").json(&ticket).send().unwrap().status(), 201);
    let suggestion = app.anonymous(Method::POST, "/api/tickets/classify/").json(&json!({"description": "x y"})).send();
    assert_eq!(suggestion.unwrap().status(), 200);
    assert_eq!(app.anonymous(Method::GET, "/api/tickets/").send().unwrap().status(), 401);
    assert_eq!(app.anonymous(Method::GET, "/api/tickets/1/").send().unwrap().status(), 401);
}

#[test]
fn admins_manage_accounts_and_a_disabled_account_is_signed_out_everywhere() {
    let app = spawn_app();
    let ann = create_account(&app, "Ann@Example.com", "agent");
    let duplicate = app.post_json(
        "/api/accounts/",
        &json!({"email": "ann@EXAMPLE.com", "name": "Another", "role": "agent", "password": "a long enough password"}),
    );
    assert_eq!(duplicate.status(), 400);
    assert_eq!(duplicate.json::<Value>().unwrap(), json!({"email": ["An account with this email already exists."]}));
    let bad =
        app.post_json("/api/accounts/", &json!({"email": "nope", "name": "", "role": "boss", "password": "short"}));
    assert_eq!(bad.status(), 400);
    assert_eq!(
        bad.json::<Value>().unwrap(),
        json!({
            "email": ["Enter a valid email address."],
            "name": ["This field may not be blank."],
            "password": ["This password is too short. It must contain at least 12 characters."],
            "role": ["\"boss\" is not a valid choice."],
        })
    );

    let browser = client_signed_in(&app.address, "ann@example.com", "a long enough password");
    assert_eq!(browser.get(app.url("/api/tickets/")).send().unwrap().status(), 200);
    assert_eq!(browser.get(app.url("/api/accounts/")).send().unwrap().status(), 403, "an agent is no admin");

    let id = ann["id"].as_i64().unwrap();
    let renamed = app.patch_json(&format!("/api/accounts/{id}/"), &json!({"name": "Ann B.", "role": "admin"}));
    assert_eq!(renamed.json::<Value>().unwrap()["role"], "admin");
    let disabled = app.patch_json(&format!("/api/accounts/{id}/"), &json!({"disabled": true}));
    assert_eq!(disabled.status(), 200);
    assert_eq!(browser.get(app.url("/api/tickets/")).send().unwrap().status(), 401, "its sessions ended");
    assert_eq!(login(&app, "ann@example.com", "a long enough password").status(), 400, "it cannot sign in");
    let listed: Vec<Value> = app.get("/api/accounts/").json().unwrap();
    assert_eq!(
        listed.iter().map(|a| a["email"].as_str().unwrap()).collect::<Vec<_>>(),
        [ADMIN_EMAIL, "Ann@Example.com"]
    );
}

#[test]
fn the_last_admin_can_be_neither_disabled_nor_demoted() {
    let app = spawn_app();
    let admins: Vec<Value> = app.get("/api/accounts/").json().unwrap();
    let id = admins[0]["id"].as_i64().unwrap();
    for change in [json!({"disabled": true}), json!({"role": "agent"})] {
        let response = app.patch_json(&format!("/api/accounts/{id}/"), &change);
        assert_eq!(response.status(), 400, "{change}");
        assert!(response.json::<Value>().unwrap()["non_field_errors"][0].as_str().unwrap().contains("no active admin"));
    }
    assert_eq!(app.patch_json("/api/accounts/999999/", &json!({"name": "x"})).status(), 404);
}

#[test]
fn a_new_password_signs_the_account_out_and_the_new_one_works() {
    let app = spawn_app();
    let ann = create_account(&app, "ann@example.com", "agent");
    let browser = client_signed_in(&app.address, "ann@example.com", "a long enough password");
    let id = ann["id"].as_i64().unwrap();
    assert_eq!(
        app.patch_json(&format!("/api/accounts/{id}/"), &json!({"password": "a brand new password"})).status(),
        200
    );
    assert_eq!(browser.get(app.url("/api/tickets/")).send().unwrap().status(), 401);
    assert_eq!(login(&app, "ann@example.com", "a long enough password").status(), 400);
    assert_eq!(login(&app, "ann@example.com", "a brand new password").status(), 200);
}

#[test]
fn a_token_is_shown_once_works_at_once_and_dies_when_revoked() {
    let app = spawn_app();
    let created = app.post_json("/api/tokens/", &json!({"name": "zapier", "role": "agent", "expires_in_days": 30}));
    assert_eq!(created.status(), 201);
    assert_eq!(created.headers()["cache-control"], "no-store");
    let created: Value = created.json().unwrap();
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("hd_") && token.len() == 46, "{token}");
    assert!(created["expires_at"].is_string());

    let program = client_with_token(&token);
    assert_eq!(program.get(app.url("/api/tickets/")).send().unwrap().status(), 200);
    assert_eq!(program.get(app.url("/api/tokens/")).send().unwrap().status(), 403, "an agent token is no admin");

    let listed: Vec<Value> = app.get("/api/tokens/").json().unwrap();
    let zapier = listed.iter().find(|t| t["name"] == "zapier").expect("listed");
    assert!(zapier.get("token").is_none(), "the secret is never listed: {zapier}");
    assert!(zapier["last_used_at"].is_string(), "its use was recorded");

    let id = created["id"].as_i64().unwrap();
    assert_eq!(app.request(Method::DELETE, &format!("/api/tokens/{id}/")).send().unwrap().status(), 204);
    let refused = program.get(app.url("/api/tickets/")).send().unwrap();
    assert_eq!(refused.status(), 401);
    assert_eq!(refused.json::<Value>().unwrap(), json!({"detail": "Invalid token."}));
    assert_eq!(app.request(Method::DELETE, &format!("/api/tokens/{id}/")).send().unwrap().status(), 404);

    let bad = app.post_json("/api/tokens/", &json!({"name": "", "role": "root", "expires_in_days": 0}));
    assert_eq!(
        bad.json::<Value>().unwrap(),
        json!({
            "expires_in_days": ["Ensure this value is greater than or equal to 1."],
            "name": ["This field may not be blank."],
            "role": ["\"root\" is not a valid choice."],
        })
    );
}

#[test]
fn malformed_authorization_headers_are_invalid_tokens() {
    let app = spawn_app();
    for header in ["Bearer", "Bearer ", "Bearer hd_tooshort", "Bearer not-a-token", "Token abc", "Bearer hd_ é"] {
        let response = Client::new().get(app.url("/api/tickets/")).header("authorization", header).send().unwrap();
        assert_eq!(response.status(), 401, "{header:?}");
        assert_eq!(response.json::<Value>().unwrap()["detail"], "Invalid token.", "{header:?}");
    }
}

#[test]
fn the_first_admin_is_made_with_the_setup_code_only() {
    let app = spawn_app();
    let status: Value = app.anonymous(Method::GET, "/api/auth/setup/").send().unwrap().json().unwrap();
    assert_eq!(status, json!({"setup_required": false}), "the test app has its admin already");
    let response = app
        .anonymous(Method::POST, "/api/auth/setup/")
        .json(&json!({"code": "guess", "email": "me@example.com", "name": "Me", "password": "a long enough password"}))
        .send()
        .unwrap();
    assert_eq!(response.status(), 409);
    assert_eq!(response.json::<Value>().unwrap(), json!({"detail": "Setup is complete: sign in instead."}));
}
