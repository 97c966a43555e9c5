//! Suggestions through the API with an LLM configured: a fake OpenAI-compatible server stands in
//! for the LLM, over real HTTP.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{Value, json};
use test_support::FakeOpenAi;

use crate::helpers::{TestApp, spawn_app_with};

fn app_with(llm: &FakeOpenAi, timeout_ms: &str) -> TestApp {
    spawn_app_with(&[
        ("OPENAI_BASE_URL", &llm.base_url()),
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
    let llm = FakeOpenAi::start();
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
            llm.answers(&content);
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
    let llm = FakeOpenAi::start();
    let app = app_with(&llm, "2000");
    let failures: [(&str, &dyn Fn()); 3] = [
        ("a 500", &|| llm.fails_with(500)),
        ("a label outside the choices", &|| llm.answers(r#"{"category": "food", "priority": "low"}"#)),
        ("no JSON", &|| llm.answers("no JSON")),
    ];
    for (failure, answer_so) in failures {
        answer_so();
        let suggestion = classify(&app, &format!("my invoice is wrong ({failure})"));
        assert_eq!(suggestion["source"], "offline", "{failure}");
        assert!(suggestion["note"].as_str().unwrap().contains("the LLM"), "{suggestion}");
        assert!(CATEGORIES.contains(&suggestion["suggested_category"].as_str().unwrap()));
    }
}

/// The bound is 300 ms and the LLM takes 30 s: an answer well before the LLM's shows the call was
/// cut off (the margin is generous: it proves "bounded", not "fast").
#[test]
fn a_slow_llm_is_cut_off_at_the_bound() {
    let llm = FakeOpenAi::start();
    let app = app_with(&llm, "300");
    llm.answers_after(r#"{"category": "billing", "priority": "high"}"#, Duration::from_secs(30));
    let started = Instant::now();
    let suggestion = classify(&app, "charged twice");
    assert!(started.elapsed() < Duration::from_secs(10), "took {:?}", started.elapsed());
    assert_eq!(suggestion["source"], "offline");
}

#[test]
fn the_same_description_reaches_the_llm_once() {
    if crate::helpers::alternating_instances() {
        return; // each instance keeps this limit for itself (see the README)
    }
    let llm = FakeOpenAi::start();
    let app = app_with(&llm, "5000");
    llm.answers(r#"{"category": "billing", "priority": "high"}"#);
    let first = classify(&app, "I was charged twice");
    let second = classify(&app, "I was charged twice");
    assert_eq!(first, second);
    assert_eq!(llm.requests(), 1);
}
