//! Whether the process answers, and whether it can serve.

use actix_web::HttpResponse;
use actix_web::web::Data;

use crate::State;
use crate::errors::ApiError;

pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "ok" }))
}

pub async fn readyz(state: Data<State>) -> Result<HttpResponse, ApiError> {
    state.service.check_ready().await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({ "status": "ready" })))
}
