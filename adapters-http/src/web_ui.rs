//! The web UI: the production bundle embedded in the binary at build time, or files a test gives.

use std::borrow::Cow;
use std::collections::HashMap;

use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, ResponseError};
use rust_embed::RustEmbed;

use crate::State;
use crate::errors::ApiError;

#[derive(RustEmbed)]
#[folder = "../web-ui/dist/"]
#[allow_missing = true]
struct Bundle;

/// Where the web UI's files come from.
#[derive(Clone, Debug, Default)]
pub enum WebUi {
    /// `web-ui/dist/` as it was when the server was built; empty if the UI was not built.
    #[default]
    Embedded,
    /// These files, by path (`index.html`, `assets/app.js`, …).
    Files(HashMap<String, Vec<u8>>),
}

impl WebUi {
    fn file(&self, path: &str) -> Option<(Cow<'static, [u8]>, String)> {
        match self {
            WebUi::Embedded => Bundle::get(path).map(|file| (file.data, file.metadata.mimetype().to_owned())),
            WebUi::Files(files) => files.get(path).map(|data| {
                let mime = mime_guess::from_path(path).first_or_octet_stream().to_string();
                (Cow::Owned(data.clone()), mime)
            }),
        }
    }
}

/// A file of the UI, or the app itself for any other page so that its routes work on reload.
pub async fn serve(request: HttpRequest, state: Data<State>) -> HttpResponse {
    let web_ui = &state.settings.web_ui;
    let path = request.path().trim_start_matches('/');
    if path.starts_with("api/") || path == "api" {
        return ApiError::NotFound.error_response();
    }
    if let Some((data, mime)) = web_ui.file(path).filter(|_| !path.is_empty()) {
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
            .insert_header((header::CONTENT_TYPE, mime))
            .insert_header(CacheControl(caching))
            .body(data.into_owned());
    }
    match web_ui.file("index.html") {
        Some((index, _)) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header(CacheControl(vec![CacheDirective::NoCache]))
            .body(index.into_owned()),
        None => HttpResponse::NotFound().json(serde_json::json!({
            "detail": "The web UI was not built into this server. Build it with `make run` (or `npm run build` \
                       in web-ui/, then rebuild the server); the REST API is at /api/tickets/."
        })),
    }
}

/// The API's docs page, built into the web UI's bundle with its own assets (nothing from a CDN).
pub async fn api_docs(state: Data<State>) -> HttpResponse {
    match state.settings.web_ui.file("api-docs.html") {
        Some((page, _)) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "text/html; charset=utf-8"))
            .insert_header(CacheControl(vec![CacheDirective::NoCache]))
            .body(page.into_owned()),
        None => HttpResponse::NotFound().json(serde_json::json!({
            "detail": "The docs page was not built into this server; build the web UI (make run). The document itself \
                       is at /api/openapi.json."
        })),
    }
}
