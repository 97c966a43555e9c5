//! Whether the process answers, and whether it can serve; if not, which part is not ready.

use actix_web::HttpResponse;
use actix_web::http::header::RETRY_AFTER;
use actix_web::web::Data;
use domain::{Readiness, RepositoryError};
use serde_json::json;

use crate::State;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({ "status": "ok" }))
}

pub async fn readyz(state: Data<State>) -> HttpResponse {
    match state.service.check_ready().await {
        Ok(Readiness::Ready) => {
            HttpResponse::Ok().json(json!({"status": "ready", "database": "ok", "migrations": "applied"}))
        }
        Ok(Readiness::SchemaBehind { pending }) => not_ready(json!({
            "status": "not ready",
            "database": "ok",
            "migrations": "pending",
            "pending_migrations": pending,
            "detail": "The database's schema is older than this release. Restart the server: it applies \
                       its migrations at start.",
        })),
        Err(error) => {
            let (database, detail) = match error {
                RepositoryError::Unavailable(_) => {
                    ("unreachable", "The database does not answer; the server reconnects by itself once it does.")
                }
                RepositoryError::TimedOut(_) => ("slow", "The database did not answer in time."),
                RepositoryError::Unexpected(_) => {
                    ("error", "The database answered with an error; see the server's log.")
                }
            };
            tracing::warn!(error = %error, "not ready");
            not_ready(json!({"status": "not ready", "database": database, "migrations": "unknown", "detail": detail}))
        }
    }
}

fn not_ready(body: serde_json::Value) -> HttpResponse {
    HttpResponse::ServiceUnavailable().insert_header((RETRY_AFTER, "5")).json(body)
}
