//! What the classifier makes of the model's answers.

mod common;

use common::*;
use domain::{Category, Priority};
use serde_json::json;
use wiremock::{MockServer, ResponseTemplate};

async fn classify_answer(content: &str) -> Result<domain::Classification, domain::ClassifierError> {
    let server = MockServer::start().await;
    chat_completions().respond_with(answer(content)).expect(1).mount(&server).await;
    let result = classify_in_time(&classifier(&server.uri()), "My card was charged twice").await;
    server.verify().await;
    result
}

#[tokio::test]
async fn a_valid_answer_is_the_classification() {
    let result = classify_answer(r#"{"category":"billing","priority":"high"}"#).await;
    assert_classified(result, Category::Billing, Priority::High);
}

#[tokio::test]
async fn json_in_a_markdown_fence_is_accepted() {
    let result = classify_answer("```json\n{\"category\": \"technical\", \"priority\": \"critical\"}\n```").await;
    assert_classified(result, Category::Technical, Priority::Critical);
}

#[tokio::test]
async fn json_with_prose_around_it_is_accepted() {
    let content = "Based on the rubric, this is {\"category\": \"Account\", \"priority\": \"Medium\"}. Thanks!";
    assert_classified(classify_answer(content).await, Category::Account, Priority::Medium);
}

#[tokio::test]
async fn malformed_content_is_an_invalid_answer() {
    let message = assert_invalid(classify_answer("category: billing, priority: {high").await);
    assert!(message.contains("no JSON object"), "{message}");
}

#[tokio::test]
async fn a_label_outside_the_enums_is_an_invalid_answer() {
    let message = assert_invalid(classify_answer(r#"{"category":"shipping","priority":"high"}"#).await);
    assert!(message.contains("shipping"), "{message}");
    assert_invalid(classify_answer(r#"{"category":"billing","priority":"urgent"}"#).await);
}

#[tokio::test]
async fn missing_fields_are_an_invalid_answer() {
    assert_invalid(classify_answer(r#"{"category":"billing"}"#).await);
}

#[tokio::test]
async fn empty_content_is_an_invalid_answer() {
    assert_invalid(classify_answer("").await);
}

#[tokio::test]
async fn a_refusal_is_an_invalid_answer() {
    let server = MockServer::start().await;
    let refusal = completion(json!({
        "role": "assistant",
        "content": null,
        "refusal": "I'm sorry, I can't help with that.",
    }));
    chat_completions().respond_with(ResponseTemplate::new(200).set_body_json(refusal)).expect(1).mount(&server).await;
    let message = assert_invalid(classify_in_time(&classifier(&server.uri()), "…").await);
    assert!(message.contains("refused"), "{message}");
    server.verify().await;
}
