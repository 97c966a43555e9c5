//! The web UI's production bundle, embedded in the binary at build time.

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use rust_embed::RustEmbed;

use crate::errors::ApiError;

#[derive(RustEmbed)]
#[folder = "../web-ui/dist/"]
#[allow_missing = true]
struct Bundle;

/// A file of the bundle, or the app itself for any other page so that its routes work on reload.
pub async fn serve(request: HttpRequest) -> HttpResponse {
    let path = request.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return ApiError::NotFound.error_response();
    }
    if let Some(file) = Bundle::get(path).filter(|_| !path.is_empty()) {
        let caching = if path.starts_with("assets/") {
            // Vite puts a content hash in every name under assets/: a name never changes content.
            vec![
                CacheDirective::Public,
                CacheDirective::MaxAge(31_536_000),
                CacheDirective::Extension("immutable".into(), None),
            ]
        } else {
            vec![CacheDirective::NoCache]
        };
        return HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, file.metadata.mimetype()))
            .insert_header(CacheControl(caching))
            .body(file.data.into_owned());
    }
    match Bundle::get("index.html") {
        Some(index) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header(CacheControl(vec![CacheDirective::NoCache]))
            .body(index.data.into_owned()),
        None => HttpResponse::NotFound().json(serde_json::json!({
            "detail": "The web UI was not built into this server. Build it with `make run` (or `npm run build` \
                       in web-ui/, then rebuild the server); the REST API is at /api/tickets/."
        })),
    }
}
