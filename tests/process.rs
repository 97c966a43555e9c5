//! The server as a process: every create it acknowledged survives SIGKILL in the middle of a
//! burst of creates, on PostgreSQL and on SQLite; and Ctrl-C lets the request in flight finish.

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;
#[allow(dead_code)]
#[path = "support/round_robin.rs"]
mod round_robin;
#[allow(dead_code)]
#[path = "support/server.rs"]
mod server;

use std::collections::BTreeSet;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use reqwest::blocking::Client;
use serde_json::{Value, json};
use test_support::{FakeOpenAi, TestDatabase};

use helpers::TestStore;
use server::{Server, admin_token};

fn acknowledged_creates_survive_a_kill(database_url: &str) {
    let token = admin_token(database_url);
    let server = Server::start(database_url);
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let writers: Vec<_> = (0..4)
        .map(|writer| {
            let (address, acknowledged, token) = (server.address.clone(), Arc::clone(&acknowledged), token.clone());
            std::thread::spawn(move || {
                let client = Client::builder().timeout(Duration::from_secs(5)).build().unwrap();
                for n in 0.. {
                    let body = json!({"title": format!("w{writer} n{n}"), "description": "burst", "category": "general", "priority": "low"});
                    let request = client.post(format!("{address}/api/tickets/")).bearer_auth(&token).json(&body);
                    let Ok(response) = request.send() else { break };
                    if response.status() != 201 {
                        break;
                    }
                    let Ok(ticket) = response.json::<Value>() else { break };
                    acknowledged.lock().unwrap().insert(ticket["id"].as_i64().unwrap());
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 200 {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill();
    for writer in writers {
        writer.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let restarted = Server::start(database_url);
    let client = helpers::client_with_token(&token);
    let mut stored = BTreeSet::new();
    let mut next = Some(format!("{}/api/tickets/?limit=1000", restarted.address));
    while let Some(url) = next.take() {
        let response = client.get(&url).send().unwrap();
        next = helpers::next_link(&response);
        stored.extend(response.json::<Vec<Value>>().unwrap().iter().map(|t| t["id"].as_i64().unwrap()));
    }
    let lost: Vec<_> = acknowledged.difference(&stored).collect();
    assert!(lost.is_empty(), "{} of {} acknowledged tickets lost: {lost:?}", lost.len(), acknowledged.len());
}

#[test]
fn on_postgres_acknowledged_creates_survive_a_kill() {
    let database = TestDatabase::new();
    acknowledged_creates_survive_a_kill(&database.url);
}

#[test]
fn on_sqlite_acknowledged_creates_survive_a_kill() {
    let store = TestStore::Sqlite(helpers::SqliteFile::new());
    acknowledged_creates_survive_a_kill(&store.url());
}

#[test]
fn ctrl_c_lets_the_request_in_flight_finish_then_stops() {
    let store = TestStore::Sqlite(helpers::SqliteFile::new());
    let llm = FakeOpenAi::start();
    llm.answers_after(r#"{"category": "billing", "priority": "high"}"#, Duration::from_millis(1500));
    let server =
        Server::start_with(&store.url(), &[("OPENAI_BASE_URL", &llm.base_url()), ("OPENAI_TIMEOUT_MS", "10000")]);
    let url = format!("{}/api/tickets/classify/", server.address);
    let in_flight = std::thread::spawn(move || {
        let client = Client::builder().timeout(Duration::from_secs(20)).build().unwrap();
        client.post(url).json(&json!({"description": "I was charged twice"})).send()
    });
    assert!(llm.wait_for_request(Duration::from_secs(10)), "the request reaches the LLM");

    let status = Command::new("kill").args(["-INT", &server.child.id().to_string()]).status().unwrap();
    assert!(status.success());

    let response = in_flight.join().unwrap().expect("the request in flight gets its answer");
    assert_eq!(response.status(), 200);
    assert_eq!(response.json::<Value>().unwrap()["source"], "llm");
    let mut server = server;
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            assert!(exit.success(), "the server exits cleanly: {exit}");
            break;
        }
        assert!(Instant::now() < deadline, "the server stops after Ctrl-C");
        std::thread::sleep(Duration::from_millis(50));
    }
}
