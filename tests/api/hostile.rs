//! A hostile client, one attack per test, each with the answer it must get and a time bound
//! measured here. The bounds are generous: they prove "bounded", not "fast".

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use reqwest::Method;
use reqwest::blocking::Client;
use serde_json::{Value, json};
use test_support::FakeOpenAi;

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

fn ticket(description: &str) -> Value {
    json!({"title": "Big", "description": description, "category": "general", "priority": "low"})
}

fn port(app: &TestApp) -> u16 {
    app.address.rsplit(':').next().unwrap().parse().unwrap()
}

#[test]
fn a_search_term_over_200_characters_is_refused() {
    let app = spawn_app();
    let response = app.get(&format!("/api/tickets/?search={}", "x".repeat(201)));
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().unwrap(),
        json!({"search": ["Ensure this field has no more than 200 characters."]})
    );
    let term = "é".repeat(200);
    assert_eq!(app.get(&format!("/api/tickets/?search={term}")).status(), 200, "200 characters, not bytes");
}

/// Tickets whose description is the longest allowed, none holding the term, which has no run of
/// three word characters for the word index to narrow by: a search reads and compares every one
/// of them, in list order.
fn fill_with_worst_cases(app: &TestApp, count: usize) -> String {
    // Straight in the store: the server's creates would run into the short time limits the
    // tests give it.
    app.insert_directly(count, "Big", &"a".repeat(65_536));
    "ba".to_owned()
}

#[test]
fn a_pathological_search_is_stopped_at_its_time_limit_and_frees_its_connection() {
    let app = spawn_app_with(&[("DATABASE_STATEMENT_TIMEOUT_MS", "100")]);
    let term = fill_with_worst_cases(&app, 600);
    let started = Instant::now();
    let response = app.get(&format!("/api/tickets/?search={term}&limit=5"));
    let took = started.elapsed();
    assert!(took < Duration::from_secs(10), "the search took {took:?}");
    assert_eq!(response.status(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let detail = response.json::<Value>().unwrap()["detail"].as_str().unwrap().to_owned();
    assert!(detail.contains("too expensive"), "{detail}");
    for _ in 0..8 {
        assert_eq!(app.get("/api/tickets/stats/").status(), 200, "the connection went back to the pool");
    }
}

#[test]
fn while_an_expensive_search_runs_out_its_time_other_requests_answer() {
    let app = spawn_app_with(&[("DATABASE_STATEMENT_TIMEOUT_MS", "3000")]);
    let term = fill_with_worst_cases(&app, 600);
    let search = {
        let client = Client::builder().timeout(Duration::from_secs(60)).build().unwrap();
        let (url, token) = (app.url(&format!("/api/tickets/?search={term}")), app.token.clone());
        std::thread::spawn(move || client.get(url).bearer_auth(token).send().unwrap().status())
    };
    std::thread::sleep(Duration::from_millis(300));
    for _ in 0..10 {
        let started = Instant::now();
        assert_eq!(app.get("/api/tickets/?limit=5").status(), 200);
        assert_eq!(app.get("/api/tickets/stats/").status(), 200);
        assert!(started.elapsed() < Duration::from_secs(5), "took {:?}", started.elapsed());
    }
    assert!([200, 503].contains(&search.join().unwrap().as_u16()));
}

#[test]
fn text_longer_than_the_limit_is_refused_and_so_is_a_body_over_the_limit() {
    let app = spawn_app_with(&[("DESCRIPTION_MAX_CHARS", "100")]);
    let response = app.post_json("/api/tickets/", &ticket(&"é".repeat(101)));
    assert_eq!(response.status(), 400);
    assert_eq!(
        response.json::<Value>().unwrap(),
        json!({"description": ["Ensure this field has no more than 100 characters."]})
    );
    assert_eq!(app.post_json("/api/tickets/", &ticket(&"é".repeat(100))).status(), 201);
    let huge = app.post_json("/api/tickets/", &ticket(&"x".repeat(2_000_000)));
    assert_eq!(huge.status(), 413);
    let default = spawn_app();
    assert_eq!(default.post_json("/api/tickets/", &ticket(&"🎫".repeat(65_536))).status(), 201, "the default limit");
}

/// Sends `head` and then `trickle` one byte a second, and returns what came back and when.
fn trickle(app: &TestApp, head: &str, trickle: &str) -> (String, Duration) {
    let mut stream = TcpStream::connect(("127.0.0.1", port(app))).unwrap();
    stream.set_read_timeout(Some(Duration::from_millis(500))).unwrap();
    let started = Instant::now();
    stream.write_all(head.as_bytes()).unwrap();
    let mut answer = Vec::new();
    let mut bytes = trickle.bytes();
    while started.elapsed() < Duration::from_secs(30) {
        let mut buffer = [0; 1024];
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => {
                answer.extend_from_slice(&buffer[..read]);
                break;
            }
            Err(_) => {}
        }
        if let Some(byte) = bytes.next()
            && stream.write_all(&[byte]).is_err()
        {
            break;
        }
        std::thread::sleep(Duration::from_millis(500));
    }
    (String::from_utf8_lossy(&answer).into_owned(), started.elapsed())
}

#[test]
fn a_trickled_body_is_cut_off_with_408_within_the_body_deadline() {
    let app = spawn_app_with(&[("HTTP_BODY_TIMEOUT_SECS", "2")]);
    let head = "POST /api/tickets/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 200\r\n\r\n";
    let (answer, took) = trickle(&app, head, &"x".repeat(200));
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(took < Duration::from_secs(10), "cut off after {took:?}");
}

#[test]
fn a_trickled_head_is_cut_off_within_the_head_deadline() {
    let app = spawn_app_with(&[("HTTP_HEAD_TIMEOUT_SECS", "2")]);
    let (answer, took) = trickle(&app, "GET /api/tickets/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ", &"y".repeat(100));
    assert!(answer.is_empty() || answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(took < Duration::from_secs(10), "cut off after {took:?}");
}

#[test]
fn a_forged_host_is_refused_and_forwarded_headers_from_a_stranger_are_ignored() {
    let app = spawn_app();
    let forged = app.request(Method::GET, "/api/tickets/").header("host", "attacker.example").send().unwrap();
    assert_eq!(forged.status(), 400);
    let rebinding = app.request(Method::GET, "/").header("host", "attacker.example:8000").send().unwrap();
    assert_eq!(rebinding.status(), 400, "DNS rebinding gets nothing, not even the UI");

    for n in 0..3 {
        app.create_ticket(&format!("Ticket {n}"), "d", "general", "low");
    }
    let response = app
        .request(Method::GET, "/api/tickets/?limit=1")
        .header("x-forwarded-host", "attacker.example")
        .header("x-forwarded-proto", "https")
        .header("forwarded", "host=attacker.example;proto=https")
        .send()
        .unwrap();
    let link = response.headers()["link"].to_str().unwrap().to_owned();
    assert!(link.starts_with(&format!("<{}/api/tickets/?", app.address)), "{link}");
    assert!(!link.contains("attacker"));
}

#[test]
fn the_public_url_builds_links_whatever_the_host() {
    let app = spawn_app_with(&[("PUBLIC_URL", "https://desk.example.com"), ("ALLOWED_HOSTS", "127.0.0.1")]);
    for n in 0..2 {
        app.create_ticket(&format!("Ticket {n}"), "d", "general", "low");
    }
    let response = app.get("/api/tickets/?limit=1");
    let link = response.headers()["link"].to_str().unwrap();
    assert!(link.starts_with("<https://desk.example.com/api/tickets/?limit=1&cursor="), "{link}");
    assert_eq!(response.headers()["strict-transport-security"], "max-age=31536000; includeSubDomains");
    let localhost = app.request(Method::GET, "/healthz").header("host", "localhost").send().unwrap();
    assert_eq!(localhost.status(), 400, "ALLOWED_HOSTS replaces the default list");
}

#[test]
fn every_answer_carries_the_security_headers() {
    let app = spawn_app();
    let answers = [
        app.get("/api/tickets/"),
        app.get("/"),
        app.get("/api/nothing/"),
        app.anonymous(Method::GET, "/api/tickets/").send().unwrap(),
        app.get("/healthz"),
    ];
    for response in answers {
        let headers = response.headers();
        let path = response.url().path().to_owned();
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "same-origin", "{path}");
        assert_eq!(headers["cross-origin-opener-policy"], "same-origin", "{path}");
        let csp = headers["content-security-policy"].to_str().unwrap();
        for directive in ["default-src 'self'", "script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
        assert!(!headers.contains_key("strict-transport-security"), "no HSTS over plain http");
    }
}

fn classify(app: &TestApp, forwarded_for: Option<&str>, description: &str) -> reqwest::blocking::Response {
    let mut request = app.anonymous(Method::POST, "/api/tickets/classify/").json(&json!({"description": description}));
    if let Some(address) = forwarded_for {
        request = request.header("x-forwarded-for", address);
    }
    request.send().unwrap()
}

#[test]
fn a_client_cannot_pick_a_fresh_rate_limit_bucket_with_a_forwarded_header() {
    if crate::helpers::alternating_instances() {
        return; // each instance keeps this limit for itself (see the README)
    }
    let app = spawn_app_with(&[("CLASSIFY_BURST", "3"), ("CLASSIFY_RATE_PER_MINUTE", "1")]);
    let statuses: Vec<u16> =
        (0..6).map(|n| classify(&app, Some(&format!("198.51.100.{n}")), "slow app").status().as_u16()).collect();
    assert_eq!(statuses, [200, 200, 200, 429, 429, 429]);
    let limited = classify(&app, None, "slow app");
    let wait: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert_eq!(
        limited.json::<Value>().unwrap()["detail"],
        format!("Request was throttled. Expected available in {wait} seconds.")
    );
}

#[test]
fn behind_a_trusted_proxy_each_forwarded_client_has_its_own_bucket() {
    if crate::helpers::alternating_instances() {
        return; // each instance keeps this limit for itself (see the README)
    }
    let app =
        spawn_app_with(&[("CLASSIFY_BURST", "1"), ("CLASSIFY_RATE_PER_MINUTE", "1"), ("TRUSTED_PROXIES", "127.0.0.1")]);
    for n in 0..5 {
        assert_eq!(classify(&app, Some(&format!("198.51.100.{n}")), "slow app").status(), 200);
    }
    assert_eq!(classify(&app, Some("198.51.100.0"), "slow app").status(), 429);
    assert_eq!(classify(&app, Some("2001:db8:1:2::1"), "slow app").status(), 200);
    assert_eq!(classify(&app, Some("2001:db8:1:2::ffff"), "slow app").status(), 429, "one bucket per IPv6 /64");
}

#[test]
fn invalid_requests_spend_no_rate_limit_and_anonymous_creates_are_limited() {
    if crate::helpers::alternating_instances() {
        return; // each instance keeps this limit for itself (see the README)
    }
    let app = spawn_app_with(&[
        ("CLASSIFY_BURST", "2"),
        ("CLASSIFY_RATE_PER_MINUTE", "1"),
        ("PUBLIC_CREATE_BURST", "2"),
        ("PUBLIC_CREATE_RATE_PER_MINUTE", "1"),
    ]);
    for _ in 0..20 {
        let invalid = app.anonymous(Method::POST, "/api/tickets/classify/").json(&json!({"description": " "})).send();
        assert_eq!(invalid.unwrap().status(), 400);
    }
    assert_eq!(classify(&app, None, "still allowed").status(), 200);
    assert_eq!(classify(&app, None, "still allowed").status(), 200);
    assert_eq!(classify(&app, None, "now limited").status(), 429);

    let anonymous_create =
        || app.anonymous(Method::POST, "/api/tickets/").json(&ticket("from the form")).send().unwrap();
    assert_eq!(anonymous_create().status(), 201);
    assert_eq!(anonymous_create().status(), 201);
    assert_eq!(anonymous_create().status(), 429);
    for _ in 0..5 {
        assert_eq!(app.post_json("/api/tickets/", &ticket("an agent's")).status(), 201, "signed-in creates are not");
    }
}

#[test]
fn the_whole_server_never_calls_the_llm_past_its_caps() {
    if crate::helpers::alternating_instances() {
        return; // each instance keeps this limit for itself (see the README)
    }
    let llm = FakeOpenAi::start();
    llm.answers_after(r#"{"category": "billing", "priority": "high"}"#, Duration::from_millis(1500));
    let app = spawn_app_with(&[
        ("OPENAI_BASE_URL", &llm.base_url()),
        ("OPENAI_TIMEOUT_MS", "10000"),
        ("OPENAI_MAX_CONCURRENT", "1"),
        ("OPENAI_MAX_PER_MINUTE", "2"),
        ("CLASSIFY_BURST", "1000"),
    ]);
    let concurrent: Vec<_> = (0..4)
        .map(|n| {
            let (url, token) = (app.url("/api/tickets/classify/"), app.token.clone());
            std::thread::spawn(move || {
                let body = json!({"description": format!("I was charged twice, case {n}")});
                Client::new().post(url).bearer_auth(token).json(&body).send().unwrap().json::<Value>().unwrap()
            })
        })
        .collect();
    let answers: Vec<Value> = concurrent.into_iter().map(|thread| thread.join().unwrap()).collect();
    let from_llm = answers.iter().filter(|answer| answer["source"] == "llm").count();
    assert_eq!(from_llm, 1, "{answers:?}");
    assert!(answers.iter().any(|answer| answer["note"].as_str().is_some_and(|note| note.contains("busy"))));
    assert_eq!(llm.requests(), 1);

    let later: Vec<Value> = (0..3)
        .map(|n| {
            app.post_json("/api/tickets/classify/", &json!({"description": format!("refund please {n}")}))
                .json()
                .unwrap()
        })
        .collect();
    assert_eq!(later.iter().filter(|answer| answer["source"] == "llm").count(), 1, "2 a minute in all: {later:?}");
    assert!(later.iter().any(|answer| answer["note"].as_str().is_some_and(|note| note.contains("budget"))));
    assert_eq!(llm.requests(), 2);
}

/// The server process's resident memory, in KiB.
fn resident_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("the server's status");
    let line = status.lines().find(|line| line.starts_with("VmRSS:")).expect("VmRSS");
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

#[test]
fn twenty_thousand_clients_leave_the_rate_limiter_bounded() {
    let store = crate::helpers::TestStore::fresh();
    let server = crate::server::Server::start_with(
        &store.url(),
        &[("TRUSTED_PROXIES", "127.0.0.1"), ("CLASSIFY_BURST", "5"), ("HTTP_WORKERS", "2")],
    );
    let send = |from: u32, to: u32| {
        let client = Client::new();
        let url = format!("{}/api/tickets/classify/", server.address);
        for n in from..to {
            let address = format!("10.{}.{}.{}", n >> 16, (n >> 8) & 255, n & 255);
            let response = client
                .post(&url)
                .header("x-forwarded-for", address)
                .json(&json!({"description": "it is slow"}))
                .send()
                .unwrap();
            assert_eq!(response.status(), 200);
        }
    };
    send(0, 1000);
    let before = resident_kib(server.child.id());
    std::thread::scope(|scope| {
        for part in 0..4 {
            scope.spawn(move || send(1000 + part * 5000, 1000 + (part + 1) * 5000));
        }
    });
    let grown = resident_kib(server.child.id()).saturating_sub(before);
    assert!(grown < 16 * 1024, "20,000 clients grew the server by {grown} KiB");
}

#[test]
fn the_metrics_stay_closed_to_a_relayed_client_and_a_forged_request_id_is_not_echoed() {
    let app = spawn_app_with(&[("TRUSTED_PROXIES", "127.0.0.1")]);
    let relayed = app.anonymous(Method::GET, "/metrics").header("x-forwarded-for", "198.51.100.4").send().unwrap();
    assert_eq!(relayed.status(), 403, "no METRICS_TOKEN: nobody but this machine");
    let with_api_token = app
        .anonymous(Method::GET, "/metrics")
        .header("x-forwarded-for", "198.51.100.4")
        .bearer_auth(&app.token)
        .send()
        .unwrap();
    assert_eq!(with_api_token.status(), 403, "an admin's API token is not the metrics token");

    for forged in ["a\r\nSet-Cookie: x=1", "../../etc", &"x".repeat(10_000)] {
        let Ok(response) = app.anonymous(Method::GET, "/healthz").header("x-request-id", forged).send() else {
            continue; // the client itself refused to send it
        };
        assert_eq!(response.status(), 200);
        let echoed = response.headers()["x-request-id"].to_str().unwrap().to_owned();
        assert_ne!(echoed, forged);
        assert!(echoed.bytes().all(|b| b.is_ascii_hexdigit()), "{echoed}");
    }
}
