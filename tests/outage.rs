//! PostgreSQL going away and coming back, on a cluster of this test's own.

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;
#[allow(dead_code)]
#[path = "support/round_robin.rs"]
mod round_robin;
#[allow(dead_code)]
#[path = "support/server.rs"]
mod server;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use test_support::TestDatabase;

use crate::helpers::{TestStore, spawn_app_on};

/// A PostgreSQL cluster of this test's own, so it can be stopped without disturbing others.
struct PrivateCluster {
    dir: PathBuf,
}

impl PrivateCluster {
    fn start() -> (Self, String) {
        let dir = std::env::temp_dir().join(format!("helpdesk-resilience-{}", std::process::id()));
        let cluster = Self { dir };
        let url = cluster.script("start");
        (cluster, url)
    }

    fn script(&self, action: &str) -> String {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/pg-cluster.sh");
        let output = Command::new(script).arg(action).arg(&self.dir).output().expect("run pg-cluster.sh");
        assert!(output.status.success(), "pg-cluster.sh {action}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).expect("a URL").trim().to_owned()
    }
}

impl Drop for PrivateCluster {
    fn drop(&mut self) {
        self.script("stop");
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[test]
fn a_stopped_database_gives_503_within_seconds_and_the_service_recovers_by_itself() {
    let (cluster, url) = PrivateCluster::start();
    let app = spawn_app_on(TestStore::Postgres(TestDatabase::existing(url)), &[("DATABASE_TIMEOUT_SECS", "2")]);
    let created = app.create_ticket("Before the outage", "d", "general", "low");

    cluster.script("stop");

    for (method, path) in
        [("GET", "/api/tickets/"), ("GET", "/api/tickets/stats/"), ("POST", "/api/tickets/"), ("GET", "/readyz")]
    {
        let started = Instant::now();
        let response = match method {
            "GET" => app.get(path),
            _ => app
                .post_json(path, &json!({"title": "t", "description": "d", "category": "general", "priority": "low"})),
        };
        assert_eq!(response.status(), 503, "{method} {path}");
        assert!(started.elapsed() < Duration::from_secs(5), "{method} {path} took {:?}", started.elapsed());
        assert!(response.headers().contains_key("retry-after"));
        assert!(response.json::<Value>().unwrap()["detail"].is_string());
    }
    assert_eq!(app.get("/healthz").status(), 200, "the process still answers");

    cluster.script("start");

    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let response = app.get("/api/tickets/");
        if response.status() == 200 {
            let tickets: Vec<Value> = response.json().unwrap();
            assert_eq!(tickets, vec![created]);
            break;
        }
        assert!(Instant::now() < deadline, "still {} after the database came back", response.status());
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(app.get("/readyz").status(), 200);
}
