//! Suggestions through the API with an LLM configured: a fake OpenAI-compatible server stands in
//! for the LLM, over real HTTP.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app_with};

/// What the fake LLM answers, and how many requests it has had.
struct Script {
    status: u16,
    content: String,
    delay: Duration,
    requests: usize,
}

#[derive(Clone)]
struct FakeLlm {
    script: Arc<Mutex<Script>>,
    address: String,
}

impl FakeLlm {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let script = Arc::new(Mutex::new(Script {
            status: 200,
            content: r#"{"category": "general", "priority": "low"}"#.into(),
            delay: Duration::ZERO,
            requests: 0,
        }));
        let shared = Arc::clone(&script);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let script = Arc::clone(&shared);
                std::thread::spawn(move || answer(stream, &script));
            }
        });
        Self { script, address }
    }

    fn answers(&self, status: u16, content: &str, delay: Duration) {
        let mut script = self.script.lock().unwrap();
        (script.status, script.content, script.delay) = (status, content.to_owned(), delay);
    }

    fn requests(&self) -> usize {
        self.script.lock().unwrap().requests
    }
}

fn answer(mut stream: TcpStream, script: &Mutex<Script>) {
    let mut request = Vec::new();
    let mut buffer = [0; 8192];
    let body_complete = |request: &[u8]| {
        let text = String::from_utf8_lossy(request);
        let Some((head, body)) = text.split_once("\r\n\r\n") else { return false };
        let length = head
            .lines()
            .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
            .and_then(|v| v.parse::<usize>().ok())
            .unwrap_or(0);
        body.len() >= length
    };
    while !body_complete(&request) {
        match stream.read(&mut buffer) {
            Ok(0) | Err(_) => return,
            Ok(read) => request.extend_from_slice(&buffer[..read]),
        }
    }
    let (status, content, delay) = {
        let mut script = script.lock().unwrap();
        script.requests += 1;
        (script.status, script.content.clone(), script.delay)
    };
    std::thread::sleep(delay);
    let body = json!({"choices": [{"message": {"role": "assistant", "content": content}}]}).to_string();
    let response = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
}

fn app_with(llm: &FakeLlm, timeout_ms: &str) -> TestApp {
    spawn_app_with(&[
        ("OPENAI_BASE_URL", &llm.address),
        ("OPENAI_API_KEY", "sk-test"),
        ("OPENAI_TIMEOUT_MS", timeout_ms),
        ("CLASSIFY_BURST", "100000"),
        ("CLASSIFY_RATE_PER_MINUTE", "1000000"),
    ])
}

fn classify(app: &TestApp, description: &str) -> Value {
    let response = app.post_json("/api/tickets/classify/", &json!({"description": description}));
    assert_eq!(response.status(), 200);
    response.json().unwrap()
}

const CATEGORIES: [&str; 4] = ["billing", "technical", "account", "general"];
const PRIORITIES: [&str; 4] = ["low", "medium", "high", "critical"];

#[test]
fn property_16_a_successful_llm_answer_is_returned_with_valid_labels() {
    let llm = FakeLlm::start();
    let app = app_with(&llm, "5000");
    let answer = (
        proptest::sample::select(&CATEGORIES[..]),
        proptest::sample::select(&PRIORITIES[..]),
        any::<bool>(),
        prop_oneof![Just("plain"), Just("fenced"), Just("prose")],
        any::<u64>(),
    );
    TestRunner::new(Config { cases: 100, failure_persistence: None, ..Config::default() })
        .run(&answer, |(category, priority, shout, shape, nonce)| {
            let (shown_category, shown_priority) = if shout {
                (category.to_uppercase(), priority.to_uppercase())
            } else {
                (category.into(), priority.into())
            };
            let json = format!(r#"{{"category": "{shown_category}", "priority": "{shown_priority}"}}"#);
            let content = match shape {
                "plain" => json,
                "fenced" => format!("```json\n{json}\n```"),
                _ => format!("Here is my classification: {json} Hope it helps."),
            };
            llm.answers(200, &content, Duration::ZERO);
            let suggestion = classify(&app, &format!("ticket {nonce}: something is wrong"));
            prop_assert_eq!(&suggestion["suggested_category"], category);
            prop_assert_eq!(&suggestion["suggested_priority"], priority);
            prop_assert_eq!(&suggestion["source"], "llm");
            prop_assert!(suggestion.get("note").is_none());
            Ok(())
        })
        .unwrap();
}

#[test]
fn a_failing_llm_gives_the_offline_answer_with_a_note() {
    let llm = FakeLlm::start();
    let app = app_with(&llm, "2000");
    for (status, content) in [(500, "oops"), (200, r#"{"category": "food", "priority": "low"}"#), (200, "no JSON")] {
        llm.answers(status, content, Duration::ZERO);
        let suggestion = classify(&app, &format!("my invoice is wrong ({status} {content})"));
        assert_eq!(suggestion["source"], "offline", "{content}");
        assert!(suggestion["note"].as_str().unwrap().contains("the LLM"), "{suggestion}");
        assert!(CATEGORIES.contains(&suggestion["suggested_category"].as_str().unwrap()));
    }
}

#[test]
fn a_slow_llm_is_cut_off_at_the_bound() {
    let llm = FakeLlm::start();
    let app = app_with(&llm, "300");
    llm.answers(200, r#"{"category": "billing", "priority": "high"}"#, Duration::from_secs(3));
    let started = Instant::now();
    let suggestion = classify(&app, "charged twice");
    assert!(started.elapsed() < Duration::from_millis(1500), "took {:?}", started.elapsed());
    assert_eq!(suggestion["source"], "offline");
}

#[test]
fn the_same_description_reaches_the_llm_once() {
    let llm = FakeLlm::start();
    let app = app_with(&llm, "5000");
    llm.answers(200, r#"{"category": "billing", "priority": "high"}"#, Duration::ZERO);
    let first = classify(&app, "I was charged twice");
    let second = classify(&app, "I was charged twice");
    assert_eq!(first, second);
    assert_eq!(llm.requests(), 1);
}
