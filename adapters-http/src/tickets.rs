//! The ticket endpoints.

use std::convert::Infallible;
use std::time::Instant;

use actix_web::http::header;
use actix_web::web::{self, Bytes, Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use domain::{
    Description, IdempotencyKey, Limit, ListParams, NewTicket, Page, Principal, RepositoryError, Ticket, TicketId,
    TicketPatch, ValidationErrors,
};

use crate::State;
use crate::access::Caller;
use crate::body::{combine, read_object, text_field, ticket_draft};
use crate::client::{client_address, client_key};
use crate::errors::{ApiError, rate_limited};
use crate::json::{EventJson, StatsJson, SuggestionJson, TicketJson};

/// The header a client names a create with, so that a retry files nothing new.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

pub async fn create(request: HttpRequest, payload: Payload, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let key = match request.headers().get(IDEMPOTENCY_KEY) {
        None => None,
        Some(value) => Some(value.to_str().ok().and_then(IdempotencyKey::parse).ok_or(ApiError::BadIdempotencyKey)?),
    };
    let object = read_object(&request, payload, &state.settings).await?;
    let (draft, type_errors) = ticket_draft(&object);
    let ticket = combine(type_errors, NewTicket::parse_within(draft, &state.settings.ticket_limits))?;
    let principal = Caller::of(&request).principal;
    if principal == Principal::Anonymous {
        state.create_limiter.check(&caller_key(&request), Instant::now()).map_err(rate_limited("public_create"))?;
    }
    let created = state.service.create_ticket(ticket, &principal, key).await?;
    if !created.replayed {
        let by = match principal {
            Principal::Anonymous => "public",
            Principal::Account(_) => "account",
            Principal::Token(_) => "token",
        };
        metrics::counter!("tickets_created_total", "by" => by).increment(1);
    }
    let mut response = HttpResponse::Created();
    response.insert_header(etag(&created.ticket));
    if created.replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    Ok(response.json(TicketJson::from(&created.ticket)))
}

pub async fn get(id: web::Path<String>, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let id = TicketId::parse(&id).ok_or(ApiError::NotFound)?;
    let ticket = state.service.get_ticket(id).await?;
    Ok(HttpResponse::Ok().insert_header(etag(&ticket)).json(TicketJson::from(&ticket)))
}

/// A ticket's version as a strong entity tag: `"3"`.
fn etag(ticket: &Ticket) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{}\"", ticket.version))
}

/// The version an `If-Match` header asks for: `None` without the header or with `*` (any);
/// `Some(None)` when it names nothing this server could have sent (no version matches it).
fn if_match(request: &HttpRequest) -> Option<Option<u64>> {
    let value = request.headers().get(header::IF_MATCH)?.to_str().ok().map(str::trim);
    if value == Some("*") {
        return None;
    }
    Some(
        value
            .and_then(|tag| tag.strip_prefix('"')?.strip_suffix('"'))
            .filter(|version| !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|version| version.parse().ok()),
    )
}

pub async fn update(
    request: HttpRequest,
    id: web::Path<String>,
    payload: Payload,
    state: Data<State>,
) -> Result<HttpResponse, ApiError> {
    let id = TicketId::parse(&id).ok_or(ApiError::NotFound)?;
    let object = read_object(&request, payload, &state.settings).await?;
    let (draft, type_errors) = ticket_draft(&object);
    let patch = combine(type_errors, TicketPatch::parse_within(draft, &state.settings.ticket_limits))?;
    // A tag no version can match: version 0 never exists, so the change is refused as stale.
    let expected = if_match(&request).map(|version| version.unwrap_or(0));
    let principal = Caller::of(&request).principal;
    let ticket = state.service.update_ticket(id, patch, expected, &principal).await?;
    Ok(HttpResponse::Ok().insert_header(etag(&ticket)).json(TicketJson::from(&ticket)))
}

/// A ticket's history, oldest first, paged like the list.
pub async fn history(
    request: HttpRequest,
    id: web::Path<String>,
    state: Data<State>,
) -> Result<HttpResponse, ApiError> {
    let id = TicketId::parse(&id).ok_or(ApiError::NotFound)?;
    let query = query_pairs(&request, &["limit", "cursor"])?;
    let mut errors = ValidationErrors::new();
    let limit = match parameter(&query, "limit") {
        None | Some("") => Limit::DEFAULT,
        Some(text) => text.trim().parse().ok().and_then(Limit::new).unwrap_or_else(|| {
            errors.add("limit", format!("Ensure this value is a whole number from 1 to {}.", Limit::MAX));
            Limit::DEFAULT
        }),
    };
    let after = match parameter(&query, "cursor") {
        None | Some("") => 0,
        Some(token) => i64::from_str_radix(token, 16).ok().filter(|after| *after > 0).unwrap_or_else(|| {
            errors.add("cursor", "Invalid cursor. Follow the Link header of the previous page.");
            0
        }),
    };
    errors.into_result(())?;
    let page = state.service.history(id, after, limit.get()).await?;
    let mut response = HttpResponse::Ok();
    if let Some(next) = page.next {
        let base_url = state.settings.hosts.base_url(&request);
        let path = format!("/api/tickets/{}/history/", id.get());
        response.insert_header((header::LINK, next_link(&base_url, &path, &query, &format!("{next:x}"))));
    }
    Ok(response.json(page.events.iter().map(EventJson::from).collect::<Vec<_>>()))
}

pub async fn list(request: HttpRequest, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let query = query_pairs(&request, &["category", "priority", "status", "search", "limit", "cursor"])?;
    let (filter, page) = list_params(&query).parse()?;
    let searching = filter.search.is_some();
    let Page { items, next } = state.service.list_tickets(filter, page).await.map_err(|error| match error {
        RepositoryError::TimedOut(_) if searching => ApiError::SearchTooExpensive,
        error => error.into(),
    })?;
    let mut response = HttpResponse::Ok();
    if let Some(next) = next {
        let base_url = state.settings.hosts.base_url(&request);
        response.insert_header((header::LINK, next_link(&base_url, "/api/tickets/", &query, &next.encode())));
    }
    Ok(response.content_type("application/json").streaming(json_array(items)))
}

/// The tickets as a JSON array, serialised as it is sent, in chunks of about 32 KiB: a page is
/// never held twice, as tickets and as text.
fn json_array(tickets: Vec<Ticket>) -> impl futures_util::Stream<Item = Result<Bytes, Infallible>> {
    const CHUNK: usize = 32 * 1024;
    let mut tickets = tickets.into_iter().peekable();
    let mut opened = false;
    let mut written = 0_usize;
    futures_util::stream::iter(std::iter::from_fn(move || {
        if opened && tickets.peek().is_none() {
            return None;
        }
        let mut chunk = Vec::with_capacity(CHUNK);
        if !opened {
            chunk.push(b'[');
            opened = true;
        }
        while chunk.len() < CHUNK {
            let Some(ticket) = tickets.next() else { break };
            if written > 0 {
                chunk.push(b',');
            }
            written += 1;
            serde_json::to_writer(&mut chunk, &TicketJson::from(&ticket)).expect("a ticket serialises");
        }
        if tickets.peek().is_none() {
            chunk.push(b']');
        }
        Some(Ok(Bytes::from(chunk)))
    }))
}

pub async fn stats(state: Data<State>) -> Result<HttpResponse, ApiError> {
    let stats = state.service.stats().await?;
    Ok(HttpResponse::Ok().json(StatsJson::from(&stats)))
}

pub async fn classify(request: HttpRequest, payload: Payload, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let object = read_object(&request, payload, &state.settings).await?;
    let mut type_errors = ValidationErrors::new();
    let text = text_field(&object, "description", &mut type_errors);
    let description = combine(type_errors, Description::parse_required(text, &state.settings.ticket_limits))?;
    state.classify_limiter.check(&caller_key(&request), Instant::now()).map_err(rate_limited("classify"))?;
    let suggestion = state.service.suggest_classification(&description).await;
    Ok(HttpResponse::Ok().json(SuggestionJson::from(&suggestion)))
}

/// Whom a rate limit counts: a signed-in caller by account or token, anyone else by address
/// (an IPv6 client by its /64).
fn caller_key(request: &HttpRequest) -> String {
    match Caller::of(request).principal {
        Principal::Account(account) => format!("account:{}", account.id.get()),
        Principal::Token(token) => format!("token:{}", token.id.get()),
        Principal::Anonymous => format!("client:{}", client_key(client_address(request))),
    }
}

/// The query's pairs, each of `parameters` at most once: a second value is more likely a client's
/// mistake (or an array where the API takes one value) than a choice, so it is refused, not guessed.
fn query_pairs(request: &HttpRequest, parameters: &[&'static str]) -> Result<Vec<(String, String)>, ApiError> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(request.query_string())
        .map_err(|error| ApiError::BadRequest(format!("Malformed query string: {error}")))?;
    let mut errors = ValidationErrors::new();
    for name in parameters {
        if pairs.iter().filter(|(key, _)| key == name).count() > 1 {
            errors.add(name, "Give this parameter once.");
        }
    }
    Ok(errors.into_result(pairs)?)
}

/// The value of a parameter [`query_pairs`] has let through at most once.
fn parameter<'a>(query: &'a [(String, String)], name: &str) -> Option<&'a str> {
    query.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
}

fn list_params(query: &[(String, String)]) -> ListParams {
    let owned = |name| parameter(query, name).map(str::to_owned);
    ListParams {
        category: owned("category"),
        priority: owned("priority"),
        status: owned("status"),
        search: owned("search"),
        limit: owned("limit"),
        cursor: owned("cursor"),
    }
}

/// An RFC 8288 link to the page after this one: the same query with the cursor moved on.
/// The base URL is the public URL's or this request's own (allowed) `Host`, never a forwarded one.
fn next_link(base_url: &str, path: &str, query: &[(String, String)], cursor: &str) -> String {
    let mut next_query: Vec<(&str, &str)> =
        query.iter().filter(|(key, _)| key != "cursor").map(|(key, value)| (key.as_str(), value.as_str())).collect();
    next_query.push(("cursor", cursor));
    let encoded = serde_urlencoded::to_string(&next_query).unwrap_or_default();
    format!("<{base_url}{path}?{encoded}>; rel=\"next\"")
}
