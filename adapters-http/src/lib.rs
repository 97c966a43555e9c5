//! The REST API (the seed's, under /api/tickets/) and the web UI bundle, served by actix-web.
//! This crate knows the application's use cases and JSON; it never names a storage or LLM adapter.

mod body;
mod errors;
mod json;
mod rate_limit;
mod tickets;
mod web_ui;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{NormalizePath, TrailingSlash};
use actix_web::web::{self, Data, ServiceConfig};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer, ResponseError};
use application::TicketService;
use tracing_actix_web::TracingLogger;

pub use errors::ApiError;
pub use rate_limit::RateLimit;
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
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self { body_limit_bytes: 256 * 1024, classify_rate: RateLimit::default(), workers: 2, web_ui: WebUi::Embedded }
    }
}

/// What every handler shares.
pub struct State {
    service: Arc<TicketService>,
    settings: HttpSettings,
    classify_limiter: rate_limit::RateLimiter,
}

impl State {
    pub fn new(service: Arc<TicketService>, settings: HttpSettings) -> Self {
        let classify_limiter = rate_limit::RateLimiter::new(settings.classify_rate);
        Self { service, settings, classify_limiter }
    }
}

/// Starts serving on `listener`. It stops when its handle says so (`Server::handle`); signals are
/// left to the caller.
pub fn start(listener: TcpListener, service: Arc<TicketService>, settings: HttpSettings) -> std::io::Result<Server> {
    let workers = settings.workers.max(1);
    let state = Data::new(State::new(service, settings));
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

/// Every route, with `state`. Paths are matched without their trailing slash, so both forms work.
pub fn routes(state: Data<State>) -> impl FnOnce(&mut ServiceConfig) {
    move |config| {
        config
            .app_data(state)
            .service(
                web::resource("/api/tickets")
                    .route(web::get().to(tickets::list))
                    .route(web::post().to(tickets::create))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/api/tickets/stats")
                    .route(web::get().to(tickets::stats))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/api/tickets/classify")
                    .route(web::post().to(tickets::classify))
                    .default_service(web::to(method_not_allowed)),
            )
            .service(
                web::resource("/api/tickets/{id}")
                    .route(web::get().to(tickets::get))
                    .route(web::patch().to(tickets::update))
                    .default_service(web::to(method_not_allowed)),
            )
            .route("/healthz", web::get().to(healthz))
            .route("/readyz", web::get().to(readyz))
            .default_service(web::get().to(web_ui::serve));
    }
}

async fn method_not_allowed(request: HttpRequest) -> HttpResponse {
    ApiError::MethodNotAllowed(request.method().to_string()).error_response()
}

async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

async fn readyz(state: Data<State>) -> Result<HttpResponse, ApiError> {
    state.service.check_ready().await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })))
}
