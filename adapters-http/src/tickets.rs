//! The ticket endpoints.

use std::time::Instant;

use actix_web::http::header;
use actix_web::web::{self, Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use domain::{Description, ListParams, NewTicket, Page, TicketId, TicketPatch, ValidationErrors};

use crate::State;
use crate::body::{combine, read_object, text_field, ticket_draft};
use crate::errors::ApiError;
use crate::json::{StatsJson, SuggestionJson, TicketJson};

pub async fn create(request: HttpRequest, payload: Payload, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let object = read_object(&request, payload, state.settings.body_limit_bytes).await?;
    let (draft, type_errors) = ticket_draft(&object);
    let ticket = combine(type_errors, NewTicket::parse(draft))?;
    let created = state.service.create_ticket(ticket).await?;
    Ok(HttpResponse::Created().json(TicketJson::from(&created)))
}

pub async fn get(id: web::Path<String>, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let id = TicketId::parse(&id).ok_or(ApiError::NotFound)?;
    let ticket = state.service.get_ticket(id).await?;
    Ok(HttpResponse::Ok().json(TicketJson::from(&ticket)))
}

pub async fn update(
    request: HttpRequest,
    id: web::Path<String>,
    payload: Payload,
    state: Data<State>,
) -> Result<HttpResponse, ApiError> {
    let id = TicketId::parse(&id).ok_or(ApiError::NotFound)?;
    let object = read_object(&request, payload, state.settings.body_limit_bytes).await?;
    let (draft, type_errors) = ticket_draft(&object);
    let patch = combine(type_errors, TicketPatch::parse(draft))?;
    let ticket = state.service.update_ticket(id, patch).await?;
    Ok(HttpResponse::Ok().json(TicketJson::from(&ticket)))
}

pub async fn list(request: HttpRequest, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let query = query_pairs(&request)?;
    let (filter, page) = list_params(&query).parse()?;
    let Page { items, next } = state.service.list_tickets(filter, page).await?;
    let mut response = HttpResponse::Ok();
    if let Some(next) = next {
        response
            .insert_header((header::LINK, next_link(&state.settings.hosts.base_url(&request), &query, &next.encode())));
    }
    Ok(response.json(items.iter().map(TicketJson::from).collect::<Vec<_>>()))
}

pub async fn stats(state: Data<State>) -> Result<HttpResponse, ApiError> {
    let stats = state.service.stats().await?;
    Ok(HttpResponse::Ok().json(StatsJson::from(&stats)))
}

pub async fn classify(request: HttpRequest, payload: Payload, state: Data<State>) -> Result<HttpResponse, ApiError> {
    if let Some(client) = request.peer_addr() {
        state
            .classify_limiter
            .check(client.ip(), Instant::now())
            .map_err(|retry_after_secs| ApiError::RateLimited { retry_after_secs })?;
    }
    let object = read_object(&request, payload, state.settings.body_limit_bytes).await?;
    let mut type_errors = ValidationErrors::new();
    let text = text_field(&object, "description", &mut type_errors);
    let description = combine(type_errors, Description::parse_required(text))?;
    let suggestion = state.service.suggest_classification(&description).await;
    Ok(HttpResponse::Ok().json(SuggestionJson::from(&suggestion)))
}

fn query_pairs(request: &HttpRequest) -> Result<Vec<(String, String)>, ApiError> {
    serde_urlencoded::from_str(request.query_string())
        .map_err(|error| ApiError::BadRequest(format!("Malformed query string: {error}")))
}

/// The list parameters; when one is given twice the last one counts, as in Django.
fn list_params(query: &[(String, String)]) -> ListParams {
    let last = |name: &str| query.iter().rev().find(|(key, _)| key == name).map(|(_, value)| value.clone());
    ListParams {
        category: last("category"),
        priority: last("priority"),
        status: last("status"),
        search: last("search"),
        limit: last("limit"),
        cursor: last("cursor"),
    }
}

/// An RFC 8288 link to the page after this one: the same query with the cursor moved on.
/// The base URL is the public URL's or this request's own (allowed) `Host`, never a forwarded one.
fn next_link(base_url: &str, query: &[(String, String)], cursor: &str) -> String {
    let mut next_query: Vec<(&str, &str)> =
        query.iter().filter(|(key, _)| key != "cursor").map(|(key, value)| (key.as_str(), value.as_str())).collect();
    next_query.push(("cursor", cursor));
    let encoded = serde_urlencoded::to_string(&next_query).unwrap_or_default();
    format!("<{base_url}/api/tickets/?{encoded}>; rel=\"next\"")
}
