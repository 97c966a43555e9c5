//! Every endpoint with who may call it: the route table is the authorization policy.

use actix_web::http::Method;
use actix_web::web::{self, ServiceConfig};
use actix_web::{FromRequest, Handler, HttpRequest, HttpResponse, Responder, ResponseError, Route};

use crate::access::{Access, Policy};
use crate::errors::ApiError;
use crate::{accounts, auth, health, tickets, tokens};

/// One endpoint: a method on a route pattern, and who may call it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

fn endpoint<F, Args>(method: Method, path: &'static str, access: Access, handler: F) -> (Endpoint, Route)
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    (Endpoint { method: method.clone(), path, access }, web::method(method).to(handler))
}

/// Every endpoint, in the order its pattern must be tried (`/api/tickets/stats` before
/// `/api/tickets/{id}`). Paths have no trailing slash: requests are matched without theirs.
fn table() -> Vec<(Endpoint, Route)> {
    use Access::{Admin, Agent, Public, Submission};
    vec![
        endpoint(Method::GET, "/api/tickets", Agent, tickets::list),
        endpoint(Method::POST, "/api/tickets", Submission, tickets::create),
        endpoint(Method::GET, "/api/tickets/stats", Agent, tickets::stats),
        endpoint(Method::POST, "/api/tickets/classify", Submission, tickets::classify),
        endpoint(Method::GET, "/api/tickets/{id}", Agent, tickets::get),
        endpoint(Method::PATCH, "/api/tickets/{id}", Agent, tickets::update),
        endpoint(Method::GET, "/api/tickets/{id}/history", Agent, tickets::history),
        endpoint(Method::POST, "/api/auth/login", Public, auth::login),
        endpoint(Method::POST, "/api/auth/logout", Public, auth::logout),
        endpoint(Method::GET, "/api/auth/me", Agent, auth::me),
        endpoint(Method::GET, "/api/auth/setup", Public, auth::setup_status),
        endpoint(Method::POST, "/api/auth/setup", Public, auth::set_up),
        endpoint(Method::GET, "/api/accounts", Admin, accounts::list),
        endpoint(Method::POST, "/api/accounts", Admin, accounts::create),
        endpoint(Method::PATCH, "/api/accounts/{id}", Admin, accounts::update),
        endpoint(Method::GET, "/api/tokens", Admin, tokens::list),
        endpoint(Method::POST, "/api/tokens", Admin, tokens::create),
        endpoint(Method::DELETE, "/api/tokens/{id}", Admin, tokens::revoke),
        endpoint(Method::GET, "/healthz", Public, health::healthz),
        endpoint(Method::GET, "/readyz", Public, health::readyz),
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
    let mut resources: Vec<(&'static str, Vec<Route>)> = Vec::new();
    for (endpoint, route) in table() {
        match resources.iter_mut().find(|(path, _)| *path == endpoint.path) {
            Some((_, routes)) => routes.push(route),
            None => resources.push((endpoint.path, vec![route])),
        }
    }
    for (path, routes) in resources {
        let mut resource = web::resource(path).default_service(web::to(method_not_allowed));
        for route in routes {
            resource = resource.route(route);
        }
        config.service(resource);
    }
}

async fn method_not_allowed(request: HttpRequest) -> HttpResponse {
    ApiError::MethodNotAllowed(request.method().to_string()).error_response()
}
