//! A fake OpenAI-compatible server over real HTTP (wiremock), for tests that run the whole
//! server with an LLM configured. It serves `POST /v1/chat/completions` as told.

use std::time::{Duration, Instant};

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

pub struct FakeOpenAi {
    runtime: tokio::runtime::Runtime,
    server: MockServer,
}

impl FakeOpenAi {
    /// Starts the server; until told otherwise it answers `{"category": "general", "priority": "low"}`.
    /// For synchronous tests: it runs on a runtime of its own.
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime for the fake LLM");
        let server = runtime.block_on(MockServer::start());
        let fake = Self { runtime, server };
        fake.answers(r#"{"category": "general", "priority": "low"}"#);
        fake
    }

    /// What to put in `OPENAI_BASE_URL`.
    pub fn base_url(&self) -> String {
        format!("{}/v1", self.server.uri())
    }

    /// From now on, every request is answered 200 with a completion whose message is `content`.
    pub fn answers(&self, content: &str) {
        self.answers_after(content, Duration::ZERO);
    }

    /// As [`Self::answers`], each answer sent `delay` after its request arrived.
    pub fn answers_after(&self, content: &str, delay: Duration) {
        let completion = json!({
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        });
        self.respond_with(ResponseTemplate::new(200).set_body_json(completion).set_delay(delay));
    }

    /// From now on, every request is answered with `status` and a body that is no completion.
    pub fn fails_with(&self, status: u16) {
        self.respond_with(ResponseTemplate::new(status).set_body_string("upstream trouble"));
    }

    /// How many requests arrived since the answer was last set.
    pub fn requests(&self) -> usize {
        self.runtime.block_on(self.server.received_requests()).map_or(0, |requests| requests.len())
    }

    /// Waits until a request has arrived, for at most `timeout`; says whether one did.
    pub fn wait_for_request(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while self.requests() == 0 {
            if Instant::now() >= deadline {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        true
    }

    fn respond_with(&self, template: ResponseTemplate) {
        self.runtime.block_on(async {
            self.server.reset().await;
            Mock::given(method("POST"))
                .and(path("/v1/chat/completions"))
                .respond_with(template)
                .mount(&self.server)
                .await;
        });
    }
}
