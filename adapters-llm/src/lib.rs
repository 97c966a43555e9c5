//! A [`domain::TicketClassifier`] that asks an OpenAI-compatible chat-completions API (OpenAI,
//! Ollama, vLLM, ...) for a ticket's category and priority, within a fixed time bound.

mod answer;
mod client;
mod request;
mod settings;

pub use client::{LlmSetupError, OpenAiClassifier};
pub use settings::{DEFAULT_BASE_URL, DEFAULT_MAX_DESCRIPTION_CHARS, DEFAULT_MODEL, DEFAULT_TIMEOUT, LlmSettings};
