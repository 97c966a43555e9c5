//! `GET /metrics`: the process's metrics in Prometheus' text format, for this machine, or for
//! whoever holds `METRICS_TOKEN`.

use std::fmt;
use std::sync::Arc;

use actix_web::dev::ServiceRequest;
use actix_web::http::header;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};

use crate::State;
use crate::errors::ApiError;

/// Renders every metric recorded so far; the composition root knows which recorder holds them.
#[derive(Clone)]
pub struct MetricsRenderer(Arc<dyn Fn() -> String + Send + Sync>);

impl MetricsRenderer {
    pub fn new(render: impl Fn() -> String + Send + Sync + 'static) -> Self {
        Self(Arc::new(render))
    }
}

impl fmt::Debug for MetricsRenderer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MetricsRenderer")
    }
}

/// The secret that opens `/metrics` from elsewhere. Never shown, not even in `Debug`.
#[derive(Clone)]
pub struct MetricsToken(String);

impl MetricsToken {
    /// `None` for an empty token, which would open the metrics to anyone who sends an empty one.
    pub fn new(token: String) -> Option<Self> {
        (!token.is_empty()).then_some(Self(token))
    }

    /// Compares in a time that does not depend on where the two first differ.
    fn matches(&self, offered: &str) -> bool {
        let (expected, offered) = (self.0.as_bytes(), offered.as_bytes());
        expected.len() == offered.len()
            && expected.iter().zip(offered).fold(0u8, |difference, (a, b)| difference | (a ^ b)) == 0
    }
}

impl fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MetricsToken(***)")
    }
}

/// Whether `request` may read the metrics: from this machine (as the proxy rules decide, and not
/// relayed by a proxy nobody trusted), or with the metrics token.
pub fn check(request: &ServiceRequest, state: &State) -> Result<(), ApiError> {
    let settings = &state.settings;
    let local = settings.hosts.client_address(request.request()).is_some_and(|client| client.is_loopback())
        && (settings.hosts.via_trusted_proxy(request.request()) || !relayed(request.request()));
    if local {
        return Ok(());
    }
    let Some(expected) = &settings.metrics_token else { return Err(ApiError::Forbidden) };
    let offered = request
        .headers()
        .get(header::AUTHORIZATION)
        .map(|value| value.to_str().ok().and_then(|value| value.strip_prefix("Bearer ")).unwrap_or_default());
    match offered {
        None => Err(ApiError::NotAuthenticated),
        Some(token) if expected.matches(token.trim()) => Ok(()),
        Some(_) => Err(ApiError::InvalidToken),
    }
}

/// Whether a proxy passed the request on (it says whom for).
fn relayed(request: &HttpRequest) -> bool {
    let headers = request.headers();
    headers.contains_key(header::FORWARDED) || headers.contains_key("x-forwarded-for")
}

pub async fn metrics(state: Data<State>) -> HttpResponse {
    match &state.settings.metrics {
        Some(render) => HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body((render.0)()),
        None => HttpResponse::NotFound().json(serde_json::json!({"detail": "This server records no metrics."})),
    }
}
