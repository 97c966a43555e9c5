//! Who may call what, generated from the router's own route table: every endpoint × every kind of
//! caller, each answered as the endpoint's access level says. A new endpoint is in the table, so
//! it is in this test.

use adapters_http::{Access, Endpoint, SESSION_COOKIE, endpoints};
use reqwest::Method;
use reqwest::blocking::{Client, Response};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Caller {
    Anyone,
    AgentByCookie,
    AgentByToken,
    Admin,
    RevokedToken,
    ExpiredSession,
    DisabledAccount,
    AgentFromAnotherSite,
}

const CALLERS: [Caller; 8] = [
    Caller::Anyone,
    Caller::AgentByCookie,
    Caller::AgentByToken,
    Caller::Admin,
    Caller::RevokedToken,
    Caller::ExpiredSession,
    Caller::DisabledAccount,
    Caller::AgentFromAnotherSite,
];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Answer {
    /// Anything but 401 and 403: the handler ran (it may still find the input wrong).
    Allowed,
    NotAuthenticated,
    InvalidToken,
    Forbidden,
}

/// The endpoint's method as the HTTP client spells it.
fn method(endpoint: &Endpoint) -> Method {
    Method::from_bytes(endpoint.method.as_str().as_bytes()).expect("a method")
}

fn unsafe_method(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// What the policy promises `caller` on `endpoint`, public submissions being open.
fn expected(endpoint: &Endpoint, caller: Caller) -> Answer {
    if endpoint.access == Access::Operator {
        // The tests call from this machine, to which it is open whoever calls (tests/operations.rs
        // calls from elsewhere).
        return Answer::Allowed;
    }
    let open_to_anyone = matches!(endpoint.access, Access::Public | Access::Submission);
    match caller {
        Caller::Anyone | Caller::ExpiredSession | Caller::DisabledAccount => {
            if open_to_anyone {
                Answer::Allowed
            } else {
                Answer::NotAuthenticated
            }
        }
        Caller::RevokedToken => Answer::InvalidToken,
        Caller::AgentFromAnotherSite if unsafe_method(&method(endpoint)) => Answer::Forbidden,
        Caller::AgentByCookie | Caller::AgentByToken | Caller::AgentFromAnotherSite => {
            if endpoint.access == Access::Admin { Answer::Forbidden } else { Answer::Allowed }
        }
        Caller::Admin => Answer::Allowed,
    }
}

fn answer_of(response: Response) -> (Answer, u16, String) {
    let status = response.status().as_u16();
    let www_authenticate = response.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_owned());
    let body: Value = response.json().unwrap_or(Value::Null);
    let detail = body["detail"].as_str().unwrap_or_default().to_owned();
    let answer = match status {
        401 => {
            assert_eq!(www_authenticate.as_deref(), Some("Bearer realm=\"api\""), "a 401 names its scheme");
            match detail.as_str() {
                "Authentication credentials were not provided." => Answer::NotAuthenticated,
                "Invalid token." => Answer::InvalidToken,
                other => panic!("an unexpected 401 detail: {other:?}"),
            }
        }
        403 => Answer::Forbidden,
        _ => Answer::Allowed,
    };
    (answer, status, detail)
}

/// Sets up the callers that need no fresh session for each request.
struct World {
    agent_token: String,
    revoked_token: String,
    agent_email: String,
}

const AGENT_PASSWORD: &str = "an agent password";

fn world(app: &TestApp) -> World {
    let agent_email = "agent@example.com".to_owned();
    create_agent(app, &agent_email);
    let token = |name: &str| {
        let response = app.post_json("/api/tokens/", &json!({"name": name, "role": "agent"}));
        assert_eq!(response.status(), 201);
        let body: Value = response.json().unwrap();
        (body["id"].as_i64().unwrap(), body["token"].as_str().unwrap().to_owned())
    };
    let (_, agent_token) = token("agent program");
    let (revoked_id, revoked_token) = token("revoked program");
    assert_eq!(app.request(Method::DELETE, &format!("/api/tokens/{revoked_id}/")).send().unwrap().status(), 204);
    World { agent_token, revoked_token, agent_email }
}

fn create_agent(app: &TestApp, email: &str) -> i64 {
    let response = app.post_json(
        "/api/accounts/",
        &json!({"email": email, "name": "An Agent", "role": "agent", "password": AGENT_PASSWORD}),
    );
    assert_eq!(response.status(), 201, "creating {email}");
    response.json::<Value>().unwrap()["id"].as_i64().unwrap()
}

/// A new session's cookie value for `email`.
fn session(app: &TestApp, email: &str) -> String {
    let response = Client::new()
        .post(app.url("/api/auth/login/"))
        .json(&json!({"email": email, "password": AGENT_PASSWORD}))
        .send()
        .unwrap();
    assert_eq!(response.status(), 200, "signing in as {email}");
    let cookie = response.cookies().find(|cookie| cookie.name() == SESSION_COOKIE).expect("a session cookie");
    cookie.value().to_owned()
}

fn call(app: &TestApp, world: &World, endpoint: &Endpoint, caller: Caller, n: usize) -> Response {
    let path = endpoint.path.replace("{id}", "999999");
    let mut request = Client::new().request(method(endpoint), app.url(&format!("{path}/")));
    if unsafe_method(&method(endpoint)) {
        request = request.json(&json!({}));
    }
    let with_cookie = |request: reqwest::blocking::RequestBuilder, value: String, origin: &str| {
        request.header("cookie", format!("{SESSION_COOKIE}={value}")).header("origin", origin)
    };
    let request = match caller {
        Caller::Anyone => request,
        Caller::AgentByCookie => with_cookie(request, session(app, &world.agent_email), &app.address),
        Caller::AgentByToken => request.bearer_auth(&world.agent_token),
        Caller::Admin => request.bearer_auth(&app.token),
        Caller::RevokedToken => request.bearer_auth(&world.revoked_token),
        Caller::ExpiredSession => {
            let cookie = session(app, &world.agent_email);
            app.age_sessions_of(&world.agent_email, 9);
            with_cookie(request, cookie, &app.address)
        }
        Caller::DisabledAccount => {
            let email = format!("disabled-{n}@example.com");
            let id = create_agent(app, &email);
            let cookie = session(app, &email);
            let disabled = app.patch_json(&format!("/api/accounts/{id}/"), &json!({"disabled": true}));
            assert_eq!(disabled.status(), 200);
            with_cookie(request, cookie, &app.address)
        }
        Caller::AgentFromAnotherSite => with_cookie(request, session(app, &world.agent_email), "http://evil.example"),
    };
    request.send().expect("a response")
}

#[test]
fn every_endpoint_answers_every_kind_of_caller_as_its_access_level_says() {
    let app = spawn_app();
    let world = world(&app);
    let endpoints = endpoints();
    assert!(endpoints.len() >= 19, "the route table lists every endpoint: {endpoints:?}");
    let mut wrong = Vec::new();
    for (n, endpoint) in endpoints.iter().enumerate() {
        for caller in CALLERS {
            let (answer, status, detail) = answer_of(call(&app, &world, endpoint, caller, n));
            let expected = expected(endpoint, caller);
            if answer != expected {
                wrong.push(format!(
                    "{} {} as {caller:?}: expected {expected:?}, got {status} {detail:?}",
                    endpoint.method, endpoint.path
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{} wrong answers:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn with_public_submissions_closed_nothing_is_open_but_signing_in_and_health() {
    let app = crate::helpers::spawn_app_with(&[("PUBLIC_SUBMISSIONS", "false")]);
    for endpoint in endpoints() {
        let path = endpoint.path.replace("{id}", "999999");
        let mut request = app.anonymous(method(&endpoint), &format!("{path}/"));
        if unsafe_method(&method(&endpoint)) {
            request = request.json(&json!({}));
        }
        let (answer, status, _) = answer_of(request.send().unwrap());
        let expected = if matches!(endpoint.access, Access::Public | Access::Operator) {
            Answer::Allowed
        } else {
            Answer::NotAuthenticated
        };
        assert_eq!(answer, expected, "{} {} answered {status}", endpoint.method, endpoint.path);
    }
}

#[test]
fn a_method_a_route_does_not_have_is_refused_to_the_anonymous_and_not_allowed_to_agents() {
    let app = spawn_app();
    let anonymous = app.anonymous(Method::DELETE, "/api/tickets/").send().unwrap();
    assert_eq!(anonymous.status(), 401);
    let signed_in = app.request(Method::DELETE, "/api/tickets/").send().unwrap();
    assert_eq!(signed_in.status(), 405);
}
