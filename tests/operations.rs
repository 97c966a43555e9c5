//! What an operator sees of the server process: its metrics, its request log under request ids,
//! and its readiness, which names what is not ready.

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;
#[allow(dead_code)]
#[path = "support/round_robin.rs"]
mod round_robin;
#[allow(dead_code)]
#[path = "support/server.rs"]
mod server;

use diesel::connection::SimpleConnection;
use diesel::{Connection, SqliteConnection};
use prometheus_parse::{Scrape, Value as Metric};
use reqwest::blocking::Client;
use serde_json::{Value, json};

use helpers::{SqliteFile, TestStore, client_with_token};
use server::{Server, admin_token};

fn scrape(server: &Server) -> Scrape {
    let response = Client::new().get(format!("{}/metrics", server.address)).send().unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = response.text().unwrap();
    Scrape::parse(text.lines().map(|line| Ok(line.to_owned()))).expect("Prometheus' text format")
}

/// The value of the series `name` with `labels`: a counter's or gauge's value, a histogram's count.
fn value(scrape: &Scrape, name: &str, labels: &[(&str, &str)]) -> f64 {
    scrape
        .samples
        .iter()
        .filter(|sample| sample.metric == name)
        .filter(|sample| labels.iter().all(|(label, value)| sample.labels.get(label) == Some(value)))
        .map(|sample| match &sample.value {
            Metric::Counter(value) | Metric::Gauge(value) | Metric::Untyped(value) => *value,
            Metric::Histogram(buckets) => buckets.iter().map(|bucket| bucket.count).fold(0.0, f64::max),
            Metric::Summary(_) => panic!("{name} is a summary"),
        })
        .sum()
}

fn new_ticket(title: &str) -> Value {
    json!({"title": title, "description": "It broke.", "category": "technical", "priority": "low"})
}

#[test]
fn the_metrics_count_what_the_requests_did() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let server = Server::start(&store.url());
    let client = client_with_token(&admin_token(&store.url()));
    let before = scrape(&server);

    for n in 0..3 {
        let response = Client::new()
            .post(format!("{}/api/tickets/", server.address))
            .json(&new_ticket(&format!("Public {n}")))
            .send()
            .unwrap();
        assert_eq!(response.status(), 201);
    }
    assert_eq!(client.get(format!("{}/api/tickets/", server.address)).send().unwrap().status(), 200);
    assert_eq!(Client::new().get(format!("{}/api/tickets/stats/", server.address)).send().unwrap().status(), 401);
    for _ in 0..2 {
        let response = Client::new()
            .post(format!("{}/api/tickets/classify/", server.address))
            .json(&json!({"description": "I was charged twice"}))
            .send()
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    let after = scrape(&server);

    let moved = |name: &str, labels: &[(&str, &str)]| value(&after, name, labels) - value(&before, name, labels);
    assert_eq!(moved("tickets_created_total", &[("by", "public")]), 3.0);
    let created = [("method", "POST"), ("route", "/api/tickets"), ("status", "2xx")];
    assert_eq!(moved("http_request_duration_seconds", &created), 3.0);
    let listed = [("method", "GET"), ("route", "/api/tickets"), ("status", "2xx")];
    assert_eq!(moved("http_request_duration_seconds", &listed), 1.0);
    let refused = [("method", "GET"), ("route", "/api/tickets/stats"), ("status", "4xx")];
    assert_eq!(moved("http_request_duration_seconds", &refused), 1.0);
    assert_eq!(moved("classify_suggestions_total", &[("source", "offline"), ("reason", "no_llm")]), 2.0);
    assert!(moved("db_statement_duration_seconds", &[("operation", "list")]) >= 1.0);
    assert!(moved("db_statement_duration_seconds", &[("operation", "create_batch")]) >= 1.0);
    assert!(moved("db_pool_wait_seconds", &[]) >= 1.0);
    assert!(value(&after, "db_pool_connections", &[]) >= 1.0);
    assert!(value(&after, "http_requests_in_flight", &[]) >= 1.0, "the scrape itself is in flight");
    assert!(after.samples.iter().all(|sample| sample.metric != "http_request_duration_seconds"
        || sample.labels.get("route").is_some_and(|route| !route.contains("999"))));
}

#[test]
fn an_unmatched_path_is_one_series_whatever_its_text() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let server = Server::start(&store.url());
    for path in ["/wp-login.php", "/.env", "/api/nothing/here", "/api/tickets/1/nothing"] {
        Client::new().get(format!("{}{path}", server.address)).send().unwrap();
    }
    let scrape = scrape(&server);
    let routes: Vec<&str> = scrape
        .samples
        .iter()
        .filter(|sample| sample.metric == "http_request_duration_seconds")
        .filter_map(|sample| sample.labels.get("route"))
        .collect();
    assert!(routes.iter().all(|route| !route.contains("wp-login") && !route.contains(".env")), "{routes:?}");
    assert!(value(&scrape, "http_request_duration_seconds", &[("route", "unmatched")]) >= 3.0);
}

#[test]
fn with_metrics_off_there_is_no_metrics_route() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let server = Server::start_with(&store.url(), &[("METRICS", "false")]);
    Client::new().get(format!("{}/api/tickets/stats/", server.address)).send().unwrap();
    let response = Client::new().get(format!("{}/metrics", server.address)).send().unwrap();
    assert_eq!(response.status(), 404);
}

#[test]
fn from_elsewhere_the_metrics_need_the_metrics_token() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let url = store.url();
    // Behind a trusted proxy on this machine, a forwarded client is elsewhere.
    let elsewhere = |server: &Server, token: Option<&str>| {
        let mut request =
            Client::new().get(format!("{}/metrics", server.address)).header("x-forwarded-for", "203.0.113.7");
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().unwrap();
        (response.status().as_u16(), response.text().unwrap())
    };

    let closed = Server::start_with(&url, &[("TRUSTED_PROXIES", "127.0.0.1")]);
    assert_eq!(elsewhere(&closed, None).0, 403, "no METRICS_TOKEN: only this machine");
    let api_token = admin_token(&url);
    assert_eq!(elsewhere(&closed, Some(&api_token)).0, 403, "an API token opens nothing here");
    drop(closed);

    let server = Server::start_with(&url, &[("TRUSTED_PROXIES", "127.0.0.1"), ("METRICS_TOKEN", "a metrics secret")]);
    let (status, body) = elsewhere(&server, None);
    assert_eq!(status, 401);
    assert!(body.contains("Authentication credentials were not provided."), "{body}");
    let (status, body) = elsewhere(&server, Some("a metrics secreT"));
    assert_eq!(status, 401);
    assert!(body.contains("Invalid token."), "{body}");
    assert_eq!(elsewhere(&server, Some(&api_token)).0, 401);
    let (status, body) = elsewhere(&server, Some("a metrics secret"));
    assert_eq!(status, 200);
    assert!(body.contains("http_request_duration_seconds"));
    assert!(!server.log().contains("a metrics secret"), "the token is never logged");

    // A proxy nobody trusted relays from elsewhere too: this machine is its peer, not the client.
    let untrusted = Server::start_with(&url, &[("METRICS_TOKEN", "a metrics secret")]);
    assert_eq!(elsewhere(&untrusted, None).0, 401);
    let local = Client::new().get(format!("{}/metrics", untrusted.address)).send().unwrap();
    assert_eq!(local.status(), 200, "this machine needs no token");
}

#[test]
fn a_request_id_comes_back_and_marks_every_line_the_request_logs() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let server = Server::start_with(&store.url(), &[("RUST_LOG", "info")]);
    let token = admin_token(&store.url());
    let client = client_with_token(&token);

    let sent = client
        .get(format!("{}/api/tickets/?status=open", server.address))
        .header("x-request-id", "support-case-4711")
        .send()
        .unwrap();
    assert_eq!(sent.headers()["x-request-id"], "support-case-4711");
    let malformed = Client::new()
        .get(format!("{}/api/tickets/", server.address))
        .header("x-request-id", "two words; <script>")
        .send()
        .unwrap();
    let made = malformed.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(made.len() == 32 && made.bytes().all(|b| b.is_ascii_hexdigit()), "a new id instead: {made}");
    let long = "x".repeat(129);
    let too_long =
        Client::new().get(format!("{}/healthz", server.address)).header("x-request-id", &long).send().unwrap();
    assert_ne!(too_long.headers()["x-request-id"], long.as_str());

    let log = wait_for(&server, "support-case-4711");
    let line = log.lines().find(|line| line.contains("support-case-4711")).unwrap();
    for field in ["method=GET", "route=/api/tickets", "status=200", "duration_ms=", "bytes=", "client=127.0.0.1"] {
        assert!(line.contains(field), "{field} in {line}");
    }
    assert!(line.contains("principal=token:"), "{line}");
    assert!(!line.contains("status=open"), "no query string: {line}");
    assert!(!log.contains(&token), "no token in the log");
    let anonymous = log.lines().find(|line| line.contains(&made)).unwrap();
    assert!(anonymous.contains("status=401") && anonymous.contains("principal=-"), "{anonymous}");
}

#[test]
fn with_log_format_json_every_line_is_an_object_with_the_request_id() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let server = Server::start_with(&store.url(), &[("RUST_LOG", "info"), ("LOG_FORMAT", "json")]);
    Client::new()
        .post(format!("{}/api/tickets/", server.address))
        .header("x-request-id", "json-1")
        .json(&new_ticket("Logged"))
        .send()
        .unwrap();
    let log = wait_for(&server, "json-1");
    let lines: Vec<Value> =
        log.lines().map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("JSON: {line}"))).collect();
    let request = lines.iter().find(|line| line["span"]["request_id"] == "json-1").expect("the request's line");
    assert_eq!(request["fields"]["method"], "POST");
    assert_eq!(request["fields"]["route"], "/api/tickets");
    assert_eq!(request["fields"]["status"], 201);
    assert!(request["fields"]["bytes"].as_u64().unwrap() > 0);
    assert!(!log.contains("It broke."), "never a body");
}

#[test]
fn the_lines_still_waiting_are_written_when_the_server_stops() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let mut server = Server::start_with(&store.url(), &[("RUST_LOG", "info")]);
    let ids: Vec<String> = (0..50).map(|n| format!("before-stop-{n}")).collect();
    let client = Client::new();
    for id in &ids {
        client.get(format!("{}/healthz", server.address)).header("x-request-id", id).send().unwrap();
    }
    let status = std::process::Command::new("kill").args(["-TERM", &server.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while server.child.try_wait().unwrap().is_none() {
        assert!(std::time::Instant::now() < deadline, "the server stops on SIGTERM");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let log = server.log();
    let logged: Vec<&str> = log
        .lines()
        .filter_map(|line| line.split("request_id=").nth(1)?.split('}').next())
        .filter(|id| id.starts_with("before-stop-"))
        .collect();
    assert_eq!(logged, ids, "every request's line, in order");
}

/// The server's log once it holds `text` (a line is written when its answer has been sent).
fn wait_for(server: &Server, text: &str) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    loop {
        let log = server.log();
        if log.contains(text) {
            return log;
        }
        assert!(std::time::Instant::now() < deadline, "{text} never logged:\n{log}");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn readiness_names_the_migrations_a_store_lacks() {
    let file = SqliteFile::new();
    let store = TestStore::Sqlite(file);
    let server = Server::start(&store.url());
    let ready = Client::new().get(format!("{}/readyz", server.address)).send().unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(ready.json::<Value>().unwrap(), json!({"status": "ready", "database": "ok", "migrations": "applied"}));

    let path = store.url().trim_start_matches("sqlite:").to_owned();
    let mut connection = SqliteConnection::establish(&path).unwrap();
    connection
        .batch_execute(
            "DELETE FROM __diesel_schema_migrations WHERE version = (SELECT MAX(version) FROM __diesel_schema_migrations)",
        )
        .unwrap();
    let behind = Client::new().get(format!("{}/readyz", server.address)).send().unwrap();
    assert_eq!(behind.status(), 503);
    assert!(behind.headers().contains_key("retry-after"));
    let body: Value = behind.json().unwrap();
    assert_eq!(body["database"], "ok");
    assert_eq!(body["migrations"], "pending");
    assert_eq!(body["pending_migrations"].as_array().unwrap().len(), 1, "{body}");
    assert!(body["detail"].as_str().unwrap().contains("Restart the server"));
}
