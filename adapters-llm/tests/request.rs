//! What the classifier sends.

mod common;

use adapters_llm::OpenAiClassifier;
use common::*;
use domain::{Category, Priority};
use serde_json::{Value, json};
use wiremock::MockServer;
use wiremock::matchers::header;

async fn received_requests(server: &MockServer) -> Vec<wiremock::Request> {
    server.received_requests().await.expect("request recording is on")
}

#[tokio::test]
async fn the_body_carries_the_model_the_schema_and_the_capped_description() {
    let server = MockServer::start().await;
    chat_completions()
        .respond_with(answer(r#"{"category":"general","priority":"low"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let mut settings = settings(&server.uri(), Some(API_KEY));
    settings.max_description_chars = 12;
    let classifier = OpenAiClassifier::new(settings).unwrap();

    let result = classify_in_time(&classifier, "Ça ne marche pas du tout, aidez-moi").await;
    assert_classified(result, Category::General, Priority::Low);

    let requests = received_requests(&server).await;
    let body: Value = requests[0].body_json().unwrap();
    assert_eq!(body["model"], "test-model");
    assert_eq!(body["temperature"], 0);
    assert!(body["max_tokens"].as_u64().is_some_and(|n| n > 0 && n <= 100));
    assert_eq!(
        body["response_format"],
        json!({
            "type": "json_schema",
            "json_schema": {
                "name": "ticket_classification",
                "strict": true,
                "schema": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["category", "priority"],
                    "properties": {
                        "category": { "type": "string", "enum": ["billing", "technical", "account", "general"] },
                        "priority": { "type": "string", "enum": ["low", "medium", "high", "critical"] },
                    },
                },
            },
        })
    );
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["role"], "system");
    let prompt = messages[0]["content"].as_str().unwrap();
    for term in ["billing", "account", "technical", "general", "critical", "JSON only"] {
        assert!(prompt.contains(term), "the prompt lacks {term:?}");
    }
    assert_eq!(messages[1], json!({ "role": "user", "content": "Ça ne marche" }));
    server.verify().await;
}

#[tokio::test]
async fn the_key_is_sent_as_a_bearer_token() {
    let server = MockServer::start().await;
    chat_completions()
        .and(header("authorization", format!("Bearer {API_KEY}").as_str()))
        .respond_with(answer(r#"{"category":"account","priority":"high"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let result = classify_in_time(&classifier(&server.uri()), "I cannot sign in").await;
    assert_classified(result, Category::Account, Priority::High);
    server.verify().await;
}

#[tokio::test]
async fn without_a_key_there_is_no_authorization_header() {
    let server = MockServer::start().await;
    chat_completions()
        .respond_with(answer(r#"{"category":"account","priority":"high"}"#))
        .expect(1)
        .mount(&server)
        .await;
    let classifier = OpenAiClassifier::new(settings(&server.uri(), None)).unwrap();
    let result = classify_in_time(&classifier, "I cannot sign in").await;
    assert_classified(result, Category::Account, Priority::High);

    let requests = received_requests(&server).await;
    assert!(requests[0].headers.get("authorization").is_none());
    server.verify().await;
}
