//! A fake OpenAI API and the checks every test makes.
#![allow(dead_code)] // each test binary uses a different subset

use std::time::{Duration, Instant};

use adapters_llm::{LlmSettings, OpenAiClassifier};
use domain::{Category, Classification, ClassifierError, Priority, TicketClassifier};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockBuilder, ResponseTemplate};

/// The classifier's time bound in these tests.
pub const BOUND: Duration = Duration::from_secs(2);
/// Slack allowed on top of the bound on a loaded machine: generous, since the checks prove that
/// a call is bounded, not that it is fast. A fake that is too slow takes [`TOO_SLOW`], far beyond.
pub const MARGIN: Duration = Duration::from_secs(4);
/// How long a fake answer takes when it should miss the bound.
pub const TOO_SLOW: Duration = Duration::from_secs(30);

pub const API_KEY: &str = "sk-test-0123456789";

pub fn settings(base_uri: &str, api_key: Option<&str>) -> LlmSettings {
    let mut settings =
        LlmSettings::new(Some(format!("{base_uri}/v1/")), api_key.map(Into::into), Some("test-model".into()));
    settings.timeout = BOUND;
    settings
}

pub fn classifier(base_uri: &str) -> OpenAiClassifier {
    OpenAiClassifier::new(settings(base_uri, Some(API_KEY))).expect("valid settings")
}

pub fn chat_completions() -> MockBuilder {
    Mock::given(method("POST")).and(path("/v1/chat/completions"))
}

pub fn completion(message: Value) -> Value {
    json!({
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [{ "index": 0, "message": message, "finish_reason": "stop" }],
    })
}

/// A 200 whose first choice says `content`.
pub fn answer(content: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(completion(json!({ "role": "assistant", "content": content })))
}

/// Classifies `description` and checks that the call kept to the bound.
pub async fn classify_in_time(
    classifier: &OpenAiClassifier,
    description: &str,
) -> Result<Classification, ClassifierError> {
    let started = Instant::now();
    let result = classifier.classify(description).await;
    let elapsed = started.elapsed();
    assert!(elapsed <= BOUND + MARGIN, "classify took {elapsed:?}");
    result
}

pub fn assert_classified(result: Result<Classification, ClassifierError>, category: Category, priority: Priority) {
    match result {
        Ok(c) => assert_eq!((c.category, c.priority), (category, priority)),
        Err(e) => panic!("expected {category}/{priority}, got {e:?}"),
    }
}

/// Asserts an `InvalidAnswer` and returns its message.
pub fn assert_invalid(result: Result<Classification, ClassifierError>) -> String {
    match result {
        Err(ClassifierError::InvalidAnswer(message)) => message,
        other => panic!("expected InvalidAnswer, got {other:?}"),
    }
}

/// Asserts `Unavailable` and returns its message, which must not show the key.
pub fn assert_unavailable(result: Result<Classification, ClassifierError>) -> String {
    match result {
        Err(ClassifierError::Unavailable(message)) => {
            assert!(!message.contains(API_KEY), "{message}");
            message
        }
        other => panic!("expected Unavailable, got {other:?}"),
    }
}
