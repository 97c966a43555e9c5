//! The process's metrics recorder: every `metrics::…!` call in the adapters lands here, and
//! `GET /metrics` renders it.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use adapters_http::MetricsRenderer;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};

/// Upper bounds of the duration histograms, in seconds: 1 ms to 10 s.
const SECONDS: [f64; 13] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

/// The renderer of the process-wide recorder, installed by the first caller. Histograms are
/// drained every few seconds whether or not anyone scrapes; gauges read from elsewhere are set
/// by `before_render` at each scrape.
pub fn renderer(before_render: Arc<dyn Fn() + Send + Sync>) -> MetricsRenderer {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    let handle = HANDLE.get_or_init(|| {
        let recorder =
            PrometheusBuilder::new().set_buckets(&SECONDS).expect("the buckets are not empty").build_recorder();
        let handle = recorder.handle();
        if metrics::set_global_recorder(recorder).is_err() {
            tracing::warn!("another metrics recorder is installed: /metrics will stay empty");
        }
        let upkeep = handle.clone();
        std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(Duration::from_secs(5));
                    upkeep.run_upkeep();
                }
            })
            .expect("start the metrics upkeep thread");
        describe();
        handle
    });
    let handle = handle.clone();
    MetricsRenderer::new(move || {
        before_render();
        handle.render()
    })
}

fn describe() {
    use metrics::{Unit, describe_counter, describe_gauge, describe_histogram};
    describe_histogram!("http_request_duration_seconds", Unit::Seconds, "Time to answer a request, by route pattern.");
    describe_gauge!("http_requests_in_flight", "Requests being answered now.");
    describe_counter!("http_requests_rate_limited_total", "Requests refused with 429, by limit.");
    describe_counter!("tickets_created_total", "Tickets filed (a replayed create counts once).");
    describe_histogram!(
        "db_statement_duration_seconds",
        Unit::Seconds,
        "Time a unit of work held its connection, by operation."
    );
    describe_histogram!("db_pool_wait_seconds", Unit::Seconds, "Time a request waited for its turn and a connection.");
    describe_counter!("db_pool_timeouts_total", "Requests that found no connection in time (503).");
    describe_gauge!("db_pool_connections", "Connections the pool holds.");
    describe_gauge!("db_pool_idle_connections", "Connections the pool holds unused.");
    describe_counter!("llm_calls_total", "Calls to the LLM, by outcome: ok, timeout, error, rate_capped.");
    describe_counter!("llm_tokens_total", "Tokens the LLM reported using, by kind: prompt, completion.");
    describe_counter!("classify_suggestions_total", "Suggestions given, by source (llm, offline) and why offline.");
    describe_counter!("classify_cache_hits_total", "Suggestions answered from the cache of LLM answers.");
}
