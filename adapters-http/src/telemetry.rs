//! What every request leaves behind: its request id (taken from `X-Request-Id` when well-formed,
//! else made here; echoed in the answer and carried by every log line the request causes), one
//! log line when its answer has been sent, and its metrics. No body, token, cookie, password or
//! raw path is ever logged: the route is the pattern the request matched.

use std::fmt;
use std::hash::{BuildHasher, RandomState};
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Instant;

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use domain::Principal;
use tracing::Instrument;

use crate::access::Caller;
use crate::client::client_address;

pub static REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The route label of a request that matched no route: one series for every scanner's URL.
const UNMATCHED: &str = "unmatched";

/// Names the request, runs it inside a span that carries its id, and observes its answer.
pub async fn observe(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<Observed>, actix_web::Error> {
    let started = Instant::now();
    let id = request_id(&request);
    let span = tracing::info_span!("request", request_id = %id);
    let client = client_address(request.request());
    let method = request.method().clone();
    let in_flight = InFlight::enter();
    // Handlers' errors are answers by now; an error here is actix's own, and it answers it.
    let mut response = next.call(request).instrument(span.clone()).await?.map_into_boxed_body();
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID.clone(), value);
    }
    let finished = Finished {
        span,
        started,
        method,
        route: response.request().match_pattern().unwrap_or_else(|| UNMATCHED.to_owned()),
        status: response.status(),
        client,
        principal: PrincipalLabel::of(&Caller::of(response.request()).principal),
        _in_flight: in_flight,
    };
    Ok(response.map_body(|_, body| Observed { body: Some(body), bytes: 0, finished: Some(finished) }))
}

/// The client's id when it is one we may echo (letters, digits and `-_.:`, at most 128),
/// otherwise a new one.
fn request_id(request: &ServiceRequest) -> String {
    request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| {
            (1..=128).contains(&id.len())
                && id.bytes().all(|byte| byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b':'))
        })
        .map(str::to_owned)
        .unwrap_or_else(new_request_id)
}

/// 32 hex digits: a number random per process, then a count. Unique across instances with
/// overwhelming likelihood, and never the same twice in one process.
fn new_request_id() -> String {
    static PROCESS: LazyLock<u64> = LazyLock::new(|| RandomState::new().hash_one(std::process::id()));
    static COUNT: AtomicU64 = AtomicU64::new(0);
    format!("{:016x}{:016x}", *PROCESS, COUNT.fetch_add(1, Ordering::Relaxed))
}

/// Who made the request, as its log line names them: `account:3`, `token:7` or `-`.
#[derive(Clone, Copy)]
enum PrincipalLabel {
    Anonymous,
    Account(i64),
    Token(i64),
}

impl PrincipalLabel {
    fn of(principal: &Principal) -> Self {
        match principal {
            Principal::Anonymous => Self::Anonymous,
            Principal::Account(account) => Self::Account(account.id.get()),
            Principal::Token(token) => Self::Token(token.id.get()),
        }
    }
}

impl fmt::Display for PrincipalLabel {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Anonymous => formatter.write_str("-"),
            Self::Account(id) => write!(formatter, "account:{id}"),
            Self::Token(id) => write!(formatter, "token:{id}"),
        }
    }
}

/// The client's address, or `-` when it is not known.
struct ClientLabel(Option<IpAddr>);

impl fmt::Display for ClientLabel {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(address) => address.fmt(formatter),
            None => formatter.write_str("-"),
        }
    }
}

/// The answer's body, counted as it is sent; the request is logged and measured when it is
/// done with (sent, or dropped by a client that went away).
pub struct Observed {
    body: Option<BoxBody>,
    bytes: u64,
    finished: Option<Finished>,
}

impl MessageBody for Observed {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.body.as_ref().map_or(BodySize::None, MessageBody::size)
    }

    fn poll_next(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let Some(body) = self.body.as_mut() else { return Poll::Ready(None) };
        let polled = Pin::new(body).poll_next(context);
        if let Poll::Ready(Some(Ok(chunk))) = &polled {
            self.bytes += chunk.len() as u64;
        }
        polled
    }

    fn try_into_bytes(mut self) -> Result<Bytes, Self> {
        let Some(body) = self.body.take() else { return Ok(Bytes::new()) };
        match body.try_into_bytes() {
            Ok(bytes) => {
                self.bytes = bytes.len() as u64;
                Ok(bytes)
            }
            Err(body) => {
                self.body = Some(body);
                Err(self)
            }
        }
    }
}

impl Drop for Observed {
    fn drop(&mut self) {
        if let Some(finished) = self.finished.take() {
            finished.record(self.bytes);
        }
    }
}

struct Finished {
    span: tracing::Span,
    started: Instant,
    method: Method,
    route: String,
    status: StatusCode,
    client: Option<IpAddr>,
    principal: PrincipalLabel,
    _in_flight: InFlight,
}

impl Finished {
    fn record(self, bytes: u64) {
        let elapsed = self.started.elapsed();
        {
            let _entered = self.span.enter();
            tracing::info!(
                target: "helpdesk::request",
                method = %self.method,
                route = %self.route,
                status = self.status.as_u16(),
                duration_ms = (elapsed.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
                bytes,
                client = %ClientLabel(self.client),
                principal = %self.principal,
                "answered",
            );
        }
        metrics::histogram!(
            "http_request_duration_seconds",
            "method" => method_label(&self.method),
            "route" => self.route,
            "status" => status_class(self.status),
        )
        .record(elapsed.as_secs_f64());
    }
}

/// The method as a label, without allocating for the ones the API answers.
fn method_label(method: &Method) -> metrics::SharedString {
    match *method {
        Method::GET => "GET".into(),
        Method::POST => "POST".into(),
        Method::PATCH => "PATCH".into(),
        Method::DELETE => "DELETE".into(),
        Method::HEAD => "HEAD".into(),
        Method::OPTIONS => "OPTIONS".into(),
        Method::PUT => "PUT".into(),
        _ => method.to_string().into(),
    }
}

fn status_class(status: StatusCode) -> &'static str {
    match status.as_u16() {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

/// Counts the request in flight until dropped.
struct InFlight;

impl InFlight {
    fn enter() -> Self {
        metrics::gauge!("http_requests_in_flight").increment(1.0);
        Self
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        metrics::gauge!("http_requests_in_flight").decrement(1.0);
    }
}
