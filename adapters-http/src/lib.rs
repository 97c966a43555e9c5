//! The REST API (the seed's, under /api/tickets/) and the web UI bundle, served by actix-web.
//! This crate knows the application's use cases and JSON; it never names a storage or LLM adapter.

mod access;
mod accounts;
mod auth;
mod body;
mod client;
mod errors;
mod health;
mod hosts;
mod json;
mod rate_limit;
mod routes;
mod tickets;
mod tokens;
mod web_ui;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{NormalizePath, TrailingSlash, from_fn};
use actix_web::web::{self, Data, ServiceConfig};
use actix_web::{App, HttpServer};
use application::{AccessService, TicketService};
use tracing_actix_web::TracingLogger;

pub use access::{Access, SESSION_COOKIE};
pub use errors::ApiError;
pub use hosts::{Hosts, default_allowed_hosts, parse_public_url};
pub use rate_limit::RateLimit;
pub use routes::{Endpoint, endpoints};
pub use web_ui::WebUi;

/// How the HTTP side behaves.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    /// Largest request body accepted, in bytes; larger ones get 413.
    pub body_limit_bytes: usize,
    /// Per-client limit on POST /api/tickets/classify/.
    pub classify_rate: RateLimit,
    /// Worker threads; each runs its own event loop.
    pub workers: usize,
    pub web_ui: WebUi,
    /// Where the server is reached and which host names it answers to.
    pub hosts: Hosts,
    /// Whether anyone may file a ticket and ask for a suggestion without signing in.
    pub public_submissions: bool,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            body_limit_bytes: 256 * 1024,
            classify_rate: RateLimit::default(),
            workers: 2,
            web_ui: WebUi::Embedded,
            hosts: Hosts::default(),
            public_submissions: true,
        }
    }
}

/// What every handler shares.
pub struct State {
    service: Arc<TicketService>,
    access: Arc<AccessService>,
    settings: HttpSettings,
    classify_limiter: rate_limit::RateLimiter,
    policy: access::Policy,
}

impl State {
    pub fn new(service: Arc<TicketService>, access: Arc<AccessService>, settings: HttpSettings) -> Self {
        let classify_limiter = rate_limit::RateLimiter::new(settings.classify_rate);
        Self { service, access, settings, classify_limiter, policy: routes::policy() }
    }
}

/// Starts serving on `listener`. It stops when its handle says so (`Server::handle`); signals are
/// left to the caller.
pub fn start(listener: TcpListener, state: State) -> std::io::Result<Server> {
    let workers = state.settings.workers.max(1);
    let state = Data::new(state);
    let server = HttpServer::new(move || {
        App::new()
            .wrap(NormalizePath::new(TrailingSlash::Trim))
            .wrap(TracingLogger::default())
            .configure(routes(state.clone()))
    })
    .workers(workers)
    .disable_signals()
    .shutdown_timeout(30)
    .listen(listener)?
    .run();
    Ok(server)
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
