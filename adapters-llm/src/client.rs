use std::error::Error;
use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use domain::{Classification, ClassifierError, TicketClassifier};
use reqwest::header::{AUTHORIZATION, HeaderValue, RETRY_AFTER};
use reqwest::{Client, Response, StatusCode, Url};
use serde_json::Value;
use tokio::time::{Instant, sleep, timeout_at};
use tracing::warn;

use crate::answer::read_response;
use crate::request::{cap_chars, chat_request};
use crate::settings::LlmSettings;

/// The wait before the retry when the server does not say how long to wait.
const RETRY_BACKOFF: Duration = Duration::from_millis(200);
/// The least time worth giving the retry; with less left, the first failure stands.
const MIN_RETRY_BUDGET: Duration = Duration::from_millis(100);

/// Why an [`OpenAiClassifier`] cannot be built from its settings.
#[derive(Debug, thiserror::Error)]
pub enum LlmSetupError {
    #[error("invalid LLM base URL {url:?}: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
    #[error("the LLM API key contains characters that cannot be sent in an HTTP header")]
    InvalidApiKey,
    #[error("cannot build the HTTP client for the LLM API")]
    HttpClient(#[source] reqwest::Error),
}

/// Classifies tickets by asking an OpenAI-compatible chat-completions API.
pub struct OpenAiClassifier {
    client: Client,
    endpoint: Url,
    /// Marked sensitive, so that reqwest never prints it either.
    authorization: Option<HeaderValue>,
    model: String,
    timeout: Duration,
    max_description_chars: usize,
    shown_base_url: String,
}

enum Attempt {
    Done(Result<Classification, ClassifierError>),
    /// Worth one retry, after `wait` if the server asked for it.
    Retryable {
        reason: String,
        wait: Option<Duration>,
    },
}

impl OpenAiClassifier {
    pub fn new(settings: LlmSettings) -> Result<Self, LlmSetupError> {
        let base_url = settings.base_url.trim().trim_end_matches('/');
        let endpoint = endpoint(base_url)?;
        let authorization = settings.api_key.as_deref().map(bearer).transpose()?;
        let client = Client::builder().build().map_err(LlmSetupError::HttpClient)?;
        Ok(Self {
            client,
            endpoint,
            authorization,
            shown_base_url: without_credentials(base_url),
            model: settings.model,
            timeout: settings.timeout,
            max_description_chars: settings.max_description_chars,
        })
    }

    async fn call_with_retry(&self, body: &Value, deadline: Instant) -> Result<Classification, ClassifierError> {
        let (reason, wait) = match self.attempt(body, deadline).await {
            Attempt::Done(result) => return result,
            Attempt::Retryable { reason, wait } => (reason, wait.unwrap_or(RETRY_BACKOFF)),
        };
        let left = deadline.saturating_duration_since(Instant::now());
        if wait.saturating_add(MIN_RETRY_BUDGET) > left {
            return Err(ClassifierError::Unavailable(format!("{reason}; no time left to retry")));
        }
        warn!(model = %self.model, %reason, retry_in = ?wait, "LLM call failed; retrying once");
        sleep(wait).await;
        match self.attempt(body, deadline).await {
            Attempt::Done(result) => result,
            Attempt::Retryable { reason, .. } => {
                Err(ClassifierError::Unavailable(format!("{reason} (after one retry)")))
            }
        }
    }

    async fn attempt(&self, body: &Value, deadline: Instant) -> Attempt {
        let left = deadline.saturating_duration_since(Instant::now());
        let mut request = self.client.post(self.endpoint.clone()).timeout(left).json(body);
        if let Some(authorization) = &self.authorization {
            request = request.header(AUTHORIZATION, authorization.clone());
        }
        let response = match request.send().await {
            Ok(response) => response,
            Err(e) if e.is_timeout() => return Attempt::Done(Err(self.timed_out())),
            Err(e) => {
                return Attempt::Retryable {
                    reason: format!("cannot reach the API: {}", error_chain(&e.without_url())),
                    wait: None,
                };
            }
        };
        let status = response.status();
        if status.is_success() {
            return Attempt::Done(match response.bytes().await {
                Ok(body) => read_response(&body),
                Err(e) if e.is_timeout() => Err(self.timed_out()),
                Err(e) => Err(ClassifierError::Unavailable(format!(
                    "cannot read the API's answer: {}",
                    error_chain(&e.without_url())
                ))),
            });
        }
        // The error body is left out on purpose: OpenAI echoes part of a rejected key in it.
        let reason = format!("the API answered HTTP {status}");
        if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
            Attempt::Retryable { reason, wait: retry_after(&response) }
        } else {
            Attempt::Done(Err(ClassifierError::Unavailable(reason)))
        }
    }

    fn timed_out(&self) -> ClassifierError {
        ClassifierError::Unavailable(format!("{NO_ANSWER_WITHIN} {:?}", self.timeout))
    }
}

#[async_trait]
impl TicketClassifier for OpenAiClassifier {
    async fn classify(&self, description: &str) -> Result<Classification, ClassifierError> {
        let deadline = Instant::now() + self.timeout;
        let body = chat_request(&self.model, cap_chars(description, self.max_description_chars));
        let result =
            timeout_at(deadline, self.call_with_retry(&body, deadline)).await.unwrap_or_else(|_| Err(self.timed_out()));
        metrics::counter!("llm_calls_total", "outcome" => outcome(&result)).increment(1);
        if let Err(error) = &result {
            warn!(
                model = %self.model,
                description_chars = description.chars().count(),
                %error,
                "LLM classification failed"
            );
        }
        result
    }

    fn describe(&self) -> String {
        format!("OpenAI-compatible model {} at {}", self.model, self.shown_base_url)
    }
}

impl fmt::Debug for OpenAiClassifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OpenAiClassifier")
            .field("base_url", &self.shown_base_url)
            .field("authorization", &self.authorization.as_ref().map(|_| "<redacted>"))
            .field("model", &self.model)
            .field("timeout", &self.timeout)
            .field("max_description_chars", &self.max_description_chars)
            .finish_non_exhaustive()
    }
}

const NO_ANSWER_WITHIN: &str = "no answer within";

/// The label of a call's outcome in `llm_calls_total`.
fn outcome(result: &Result<Classification, ClassifierError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(ClassifierError::InvalidAnswer(_)) => "invalid_answer",
        Err(ClassifierError::Unavailable(reason)) if reason.starts_with(NO_ANSWER_WITHIN) => "timeout",
        Err(ClassifierError::Unavailable(reason)) if reason.contains(&StatusCode::TOO_MANY_REQUESTS.to_string()) => {
            "rate_limited"
        }
        Err(ClassifierError::Unavailable(_)) => "error",
    }
}

fn endpoint(base_url: &str) -> Result<Url, LlmSetupError> {
    let invalid = |reason: String| LlmSetupError::InvalidBaseUrl { url: base_url.to_owned(), reason };
    let url = Url::parse(&format!("{base_url}/chat/completions")).map_err(|e| invalid(e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(invalid("the scheme must be http or https".to_owned()));
    }
    Ok(url)
}

fn bearer(api_key: &str) -> Result<HeaderValue, LlmSetupError> {
    let mut value =
        HeaderValue::from_str(&format!("Bearer {}", api_key.trim())).map_err(|_| LlmSetupError::InvalidApiKey)?;
    value.set_sensitive(true);
    Ok(value)
}

/// `base_url` for logs, without any user name or password written into it.
fn without_credentials(base_url: &str) -> String {
    match Url::parse(base_url) {
        Ok(mut url) => {
            // Both only fail for URLs that cannot hold credentials anyway.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.as_str().trim_end_matches('/').to_owned()
        }
        Err(_) => base_url.to_owned(),
    }
}

/// The server's `Retry-After` in seconds; an HTTP date or garbage counts as "longer than we have".
fn retry_after(response: &Response) -> Option<Duration> {
    let value = response.headers().get(RETRY_AFTER)?;
    let seconds = value.to_str().ok().and_then(|v| v.trim().parse::<u64>().ok());
    Some(seconds.map_or(Duration::MAX, Duration::from_secs))
}

/// An error and its sources, e.g. "error sending request: connection closed before message completed".
fn error_chain(error: &dyn Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(base_url: &str, api_key: Option<&str>) -> LlmSettings {
        LlmSettings::new(Some(base_url.into()), api_key.map(Into::into), None)
    }

    #[test]
    fn posts_to_chat_completions_under_the_base_url() {
        for base_url in ["http://localhost:11434/v1", "http://localhost:11434/v1/"] {
            let classifier = OpenAiClassifier::new(settings(base_url, None)).unwrap();
            assert_eq!(classifier.endpoint.as_str(), "http://localhost:11434/v1/chat/completions");
        }
    }

    #[test]
    fn rejects_unusable_base_urls() {
        for base_url in ["not a url", "ftp://example.com/v1", "localhost:8080"] {
            let result = OpenAiClassifier::new(settings(base_url, None));
            assert!(matches!(result, Err(LlmSetupError::InvalidBaseUrl { .. })), "{base_url}: {result:?}");
        }
    }

    #[test]
    fn rejects_a_key_that_cannot_be_a_header_without_showing_it() {
        let err = OpenAiClassifier::new(settings(crate::DEFAULT_BASE_URL, Some("sk-a\nb"))).unwrap_err();
        assert!(matches!(err, LlmSetupError::InvalidApiKey));
        assert!(!err.to_string().contains("sk-a"));
    }

    #[test]
    fn describe_and_debug_never_show_the_key() {
        let classifier =
            OpenAiClassifier::new(settings("https://user:pass@llm.example.com/v1/", Some("sk-secret"))).unwrap();
        assert_eq!(classifier.describe(), "OpenAI-compatible model gpt-4o-mini at https://llm.example.com/v1");
        let debug = format!("{classifier:?}");
        assert!(!debug.contains("sk-secret"), "{debug}");
    }
}
