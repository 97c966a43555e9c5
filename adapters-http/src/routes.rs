//! Every endpoint with who may call it: the route table is the authorization policy.

use actix_web::http::Method;
use actix_web::web::{self, ServiceConfig};
use actix_web::{FromRequest, Handler, HttpRequest, HttpResponse, Responder, ResponseError, Route};

use actix_web::web::Data;
use serde_json::Value;

use crate::access::{Access, Policy};
use crate::errors::ApiError;
use crate::{State, accounts, auth, docs, health, operations, tickets, tokens, web_ui};

/// One endpoint: a method on a route pattern, who may call it, and its OpenAPI operation.
#[derive(Clone, Debug)]
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
    pub doc: fn() -> Value,
}

fn endpoint<F, Args>(
    method: Method,
    path: &'static str,
    access: Access,
    handler: F,
    doc: fn() -> Value,
) -> (Endpoint, Route)
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    (Endpoint { method: method.clone(), path, access, doc }, web::method(method).to(handler))
}

/// Every endpoint, in the order its pattern must be tried (`/api/tickets/stats` before
/// `/api/tickets/{id}`). Paths have no trailing slash: requests are matched without theirs.
fn table() -> Vec<(Endpoint, Route)> {
    use Access::{Admin, Agent, Operator, Public, Submission};
    vec![
        endpoint(Method::GET, "/api/tickets", Agent, tickets::list, docs::list_tickets),
        endpoint(Method::POST, "/api/tickets", Submission, tickets::create, docs::create_ticket),
        endpoint(Method::GET, "/api/tickets/stats", Agent, tickets::stats, docs::ticket_stats),
        endpoint(Method::POST, "/api/tickets/classify", Submission, tickets::classify, docs::classify_ticket),
        endpoint(Method::GET, "/api/tickets/{id}", Agent, tickets::get, docs::get_ticket),
        endpoint(Method::PATCH, "/api/tickets/{id}", Agent, tickets::update, docs::update_ticket),
        endpoint(Method::GET, "/api/tickets/{id}/history", Agent, tickets::history, docs::ticket_history),
        endpoint(Method::POST, "/api/auth/login", Public, auth::login, docs::log_in),
        endpoint(Method::POST, "/api/auth/logout", Public, auth::logout, docs::log_out),
        endpoint(Method::GET, "/api/auth/me", Agent, auth::me, docs::who_am_i),
        endpoint(Method::GET, "/api/auth/setup", Public, auth::setup_status, docs::setup_status),
        endpoint(Method::POST, "/api/auth/setup", Public, auth::set_up, docs::set_up),
        endpoint(Method::GET, "/api/accounts", Admin, accounts::list, docs::list_accounts),
        endpoint(Method::POST, "/api/accounts", Admin, accounts::create, docs::create_account),
        endpoint(Method::PATCH, "/api/accounts/{id}", Admin, accounts::update, docs::update_account),
        endpoint(Method::GET, "/api/tokens", Admin, tokens::list, docs::list_tokens),
        endpoint(Method::POST, "/api/tokens", Admin, tokens::create, docs::create_token),
        endpoint(Method::DELETE, "/api/tokens/{id}", Admin, tokens::revoke, docs::revoke_token),
        endpoint(Method::GET, "/api/openapi.json", Public, openapi_json, docs::openapi_json),
        endpoint(Method::GET, "/api/docs", Public, web_ui::api_docs, docs::api_docs),
        endpoint(Method::GET, "/healthz", Public, health::healthz, docs::healthz),
        endpoint(Method::GET, "/readyz", Public, health::readyz, docs::readyz),
        endpoint(Method::GET, "/metrics", Operator, operations::metrics, docs::metrics),
    ]
}

/// Every endpoint, for the policy and for tests that walk them all.
pub fn endpoints() -> Vec<Endpoint> {
    table().into_iter().map(|(endpoint, _)| endpoint).collect()
}

pub fn policy() -> Policy {
    Policy::new(endpoints().into_iter().map(|endpoint| (endpoint.method, endpoint.path, endpoint.access)))
}

/// Registers every endpoint, a 405 for the other methods on its path.
pub fn register(config: &mut ServiceConfig) {
    let mut resources: Vec<(&'static str, Vec<Route>, Vec<Method>)> = Vec::new();
    for (endpoint, route) in table() {
        match resources.iter_mut().find(|(path, _, _)| *path == endpoint.path) {
            Some((_, routes, methods)) => {
                routes.push(route);
                methods.push(endpoint.method);
            }
            None => resources.push((endpoint.path, vec![route], vec![endpoint.method])),
        }
    }
    for (path, routes, methods) in resources {
        let allow = methods.iter().map(Method::as_str).collect::<Vec<_>>().join(", ");
        let mut resource = web::resource(path).default_service(web::to(move |request: HttpRequest| {
            let allow = allow.clone();
            async move { method_not_allowed(request, &allow) }
        }));
        for route in routes {
            resource = resource.route(route);
        }
        config.service(resource);
    }
}

/// The OpenAPI document, made once from the route table.
async fn openapi_json(state: Data<State>) -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(state.openapi.clone())
}

/// The OpenAPI document of every endpoint, as a server with `settings` runs them.
pub fn openapi(settings: &crate::HttpSettings) -> Value {
    crate::openapi::document(&endpoints(), settings)
}

/// 405, with the methods the path has in `Allow`.
fn method_not_allowed(request: HttpRequest, allow: &str) -> HttpResponse {
    let mut response = ApiError::MethodNotAllowed(request.method().to_string()).error_response();
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(allow) {
        response.headers_mut().insert(actix_web::http::header::ALLOW, value);
    }
    response
}
