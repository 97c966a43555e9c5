//! Failures, the single retry and the time bound.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use common::*;
use domain::{Category, Priority};
use tokio::net::TcpListener;
use wiremock::{MockServer, ResponseTemplate};

const VALID: &str = r#"{"category":"technical","priority":"medium"}"#;

#[tokio::test]
async fn a_server_error_twice_is_unavailable_after_one_retry() {
    let server = MockServer::start().await;
    chat_completions().respond_with(ResponseTemplate::new(500)).expect(2).mount(&server).await;
    let message = assert_unavailable(classify_in_time(&classifier(&server.uri()), "x").await);
    assert!(message.contains("500"), "{message}");
    server.verify().await;
}

#[tokio::test]
async fn a_server_error_then_an_answer_is_retried() {
    let server = MockServer::start().await;
    chat_completions().respond_with(ResponseTemplate::new(503)).up_to_n_times(1).expect(1).mount(&server).await;
    chat_completions().respond_with(answer(VALID)).expect(1).mount(&server).await;
    let result = classify_in_time(&classifier(&server.uri()), "The export is slow").await;
    assert_classified(result, Category::Technical, Priority::Medium);
    server.verify().await;
}

#[tokio::test]
async fn too_many_requests_with_retry_after_zero_is_retried_at_once() {
    let server = MockServer::start().await;
    chat_completions()
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "0"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    chat_completions().respond_with(answer(VALID)).expect(1).mount(&server).await;
    let result = classify_in_time(&classifier(&server.uri()), "The export is slow").await;
    assert_classified(result, Category::Technical, Priority::Medium);
    server.verify().await;
}

#[tokio::test]
async fn a_retry_after_beyond_the_bound_gives_up_at_once() {
    let server = MockServer::start().await;
    chat_completions()
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "30"))
        .expect(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let message = assert_unavailable(classify_in_time(&classifier(&server.uri()), "x").await);
    assert!(started.elapsed() < BOUND / 2, "took {:?}", started.elapsed());
    assert!(message.contains("429"), "{message}");
    server.verify().await;
}

#[tokio::test]
async fn unauthorized_is_unavailable_without_a_retry_or_the_key() {
    let server = MockServer::start().await;
    let openai_style_body = serde_json::json!({
        "error": { "message": format!("Incorrect API key provided: {API_KEY}"), "code": "invalid_api_key" }
    });
    chat_completions()
        .respond_with(ResponseTemplate::new(401).set_body_json(openai_style_body))
        .expect(1)
        .mount(&server)
        .await;
    let message = assert_unavailable(classify_in_time(&classifier(&server.uri()), "x").await);
    assert!(message.contains("401"), "{message}");
    server.verify().await;
}

#[tokio::test]
async fn an_answer_slower_than_the_bound_is_unavailable_in_time() {
    let server = MockServer::start().await;
    chat_completions().respond_with(answer(VALID).set_delay(TOO_SLOW)).expect(1).mount(&server).await;
    let message = assert_unavailable(classify_in_time(&classifier(&server.uri()), "x").await);
    assert!(message.contains("no answer within"), "{message}");
}

#[tokio::test]
async fn a_slow_retry_still_keeps_to_the_bound() {
    let server = MockServer::start().await;
    chat_completions().respond_with(ResponseTemplate::new(502)).up_to_n_times(1).mount(&server).await;
    chat_completions().respond_with(answer(VALID).set_delay(TOO_SLOW)).mount(&server).await;
    assert_unavailable(classify_in_time(&classifier(&server.uri()), "x").await);
}

#[tokio::test]
async fn a_dropped_connection_is_unavailable_after_one_retry() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&accepted);
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            drop(socket);
        }
    });

    let classifier = classifier(&format!("http://{address}"));
    let message = assert_unavailable(classify_in_time(&classifier, "x").await);
    assert!(message.contains("cannot reach the API"), "{message}");
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn nothing_listening_is_unavailable() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let classifier = classifier(&format!("http://{address}"));
    assert_unavailable(classify_in_time(&classifier, "x").await);
}
