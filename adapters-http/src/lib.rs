//! The REST API (the seed's, under /api/tickets/) and the web UI bundle, served by actix-web.
//! This crate knows the application's use cases and JSON; it never names a storage or LLM adapter.

mod access;
mod accounts;
mod auth;
mod body;
mod client;
mod docs;
mod errors;
mod health;
mod hosts;
mod json;
mod openapi;
mod operations;
mod rate_limit;
mod routes;
mod telemetry;
mod tickets;
mod tokens;
mod web_ui;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use actix_web::http::KeepAlive;
use actix_web::middleware::{DefaultHeaders, NormalizePath, TrailingSlash, from_fn};
use actix_web::web::{self, Data, ServiceConfig};
use actix_web::{App, HttpServer};
use application::{AccessService, TicketService};
use domain::{TITLE_MAX_CHARS, TicketLimits};

pub use access::{Access, SESSION_COOKIE};
pub use errors::ApiError;
pub use hosts::{Cidr, Hosts, default_allowed_hosts, parse_public_url};
pub use openapi::spec_path;
pub use operations::{MetricsRenderer, MetricsToken};
pub use rate_limit::RateLimit;
pub use routes::{Endpoint, endpoints, openapi};
pub use telemetry::REQUEST_ID;
pub use web_ui::WebUi;

/// How the HTTP side behaves.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    /// Largest request body accepted, in bytes; larger ones get 413.
    pub body_limit_bytes: usize,
    /// The longest text a ticket may have.
    pub ticket_limits: TicketLimits,
    /// Per-caller limit on POST /api/tickets/classify/.
    pub classify_rate: RateLimit,
    /// Per-client limit on tickets filed without signing in.
    pub public_create_rate: RateLimit,
    pub timeouts: Timeouts,
    /// Open connections a worker keeps at most; past them it stops accepting for a while.
    pub max_connections_per_worker: usize,
    /// Worker threads; each runs its own event loop.
    pub workers: usize,
    pub web_ui: WebUi,
    /// Where the server is reached and which host names it answers to.
    pub hosts: Hosts,
    /// Whether anyone may file a ticket and ask for a suggestion without signing in.
    pub public_submissions: bool,
    /// What `GET /metrics` answers; without it, 404.
    pub metrics: Option<MetricsRenderer>,
    /// The bearer token that opens `GET /metrics` to clients other than this machine.
    pub metrics_token: Option<MetricsToken>,
}

/// How long a client may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// To send a request's head (line and headers); 408 past it.
    pub head: Duration,
    /// To send a request's whole body, once the handler reads it; 408 past it.
    pub body: Duration,
    /// An idle kept-alive connection is closed after this.
    pub keep_alive: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self { head: Duration::from_secs(5), body: Duration::from_secs(15), keep_alive: Duration::from_secs(5) }
    }
}

/// The body limit that lets the largest valid ticket through: up to 6 bytes a character (a JSON
/// escape such as `\u0001`) for the longest description and title, plus room for the rest.
pub fn body_limit_for(limits: &TicketLimits) -> usize {
    6 * (limits.description_max_chars + TITLE_MAX_CHARS) + 16 * 1024
}

impl Default for HttpSettings {
    fn default() -> Self {
        let ticket_limits = TicketLimits::default();
        Self {
            body_limit_bytes: body_limit_for(&ticket_limits),
            ticket_limits,
            classify_rate: RateLimit::default(),
            public_create_rate: RateLimit { per_minute: 60, burst: 20 },
            timeouts: Timeouts::default(),
            max_connections_per_worker: 1024,
            workers: 2,
            web_ui: WebUi::Embedded,
            hosts: Hosts::default(),
            public_submissions: true,
            metrics: None,
            metrics_token: None,
        }
    }
}

/// What every handler shares.
pub struct State {
    service: Arc<TicketService>,
    access: Arc<AccessService>,
    settings: HttpSettings,
    classify_limiter: rate_limit::RateLimiter,
    create_limiter: rate_limit::RateLimiter,
    policy: access::Policy,
    /// The OpenAPI document, serialised once.
    openapi: String,
}

impl State {
    pub fn new(service: Arc<TicketService>, access: Arc<AccessService>, settings: HttpSettings) -> Self {
        Self {
            classify_limiter: rate_limit::RateLimiter::new(settings.classify_rate),
            create_limiter: rate_limit::RateLimiter::new(settings.public_create_rate),
            openapi: routes::openapi(&settings).to_string(),
            service,
            access,
            settings,
            policy: routes::policy(),
        }
    }
}

/// Starts serving on `listener`. It stops when its handle says so (`Server::handle`); signals are
/// left to the caller.
pub fn start(listener: TcpListener, state: State) -> std::io::Result<Server> {
    let settings = state.settings.clone();
    let state = Data::new(state);
    let https = settings.hosts.scheme() == "https";
    let server = HttpServer::new(move || {
        App::new()
            .wrap(NormalizePath::new(TrailingSlash::Trim))
            .wrap(security_headers(https))
            .wrap(from_fn(telemetry::observe))
            .configure(routes(state.clone()))
    })
    .workers(settings.workers.max(1))
    .client_request_timeout(settings.timeouts.head)
    .client_disconnect_timeout(Duration::from_secs(1))
    .keep_alive(KeepAlive::Timeout(settings.timeouts.keep_alive))
    .max_connections(settings.max_connections_per_worker)
    .disable_signals()
    .shutdown_timeout(30)
    .listen(listener)?
    .run();
    Ok(server)
}

/// What a browser may do with any answer: no sniffing, no framing, no script or style from
/// elsewhere, no referrer across sites; and over https, https only from now on.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    form-action 'self'; frame-ancestors 'none'";

fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add(("X-Content-Type-Options", "nosniff"))
        .add(("Referrer-Policy", "same-origin"))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
        .add(("X-Frame-Options", "DENY"))
        .add(("Content-Security-Policy", CONTENT_SECURITY_POLICY));
    if https { headers.add(("Strict-Transport-Security", "max-age=31536000; includeSubDomains")) } else { headers }
}

/// Every route, with `state`, behind the access check. Paths are matched without their trailing
/// slash (the caller normalises them), so both forms work.
pub fn routes(state: Data<State>) -> impl FnOnce(&mut ServiceConfig) {
    move |config| {
        config.app_data(state).service(
            web::scope("")
                .wrap(from_fn(access::authorize))
                .configure(routes::register)
                .default_service(web::get().to(web_ui::serve)),
        );
    }
}
