//! Who a request acts for and whether it may: one middleware in front of every route.
//!
//! Deny by default: a route is reachable only as the policy names it, and the policy is the route
//! table itself ([`crate::routes::endpoints`]), so no route exists without an access level. The
//! middleware checks, in order: the `Host` (only the allowed hosts are served); the credentials
//! (`Authorization: Bearer`, else the session cookie; a bad token is refused, a dead session is
//! nobody); the access level of `(method, route pattern)`; and for unsafe methods the request's
//! origin (a cross-site page can never act with the agent's cookie).

use std::collections::HashMap;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{Method, header};
use actix_web::middleware::Next;
use actix_web::web::Data;
use actix_web::{HttpMessage, HttpRequest, ResponseError};
use domain::{Principal, Role};

use crate::State;
use crate::errors::ApiError;

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "helpdesk_session";

/// Who may call an endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone.
    Public,
    /// Anyone while public submissions are open (the seed's form), else agents.
    Submission,
    /// Agents and admins.
    Agent,
    /// Admins.
    Admin,
    /// Whoever runs the server: this machine, or a bearer of the metrics token. Not an account's
    /// role: an API token opens nothing here.
    Operator,
}

/// `(method, route pattern)` → who may call it.
#[derive(Clone, Debug, Default)]
pub struct Policy {
    rules: HashMap<(Method, &'static str), Access>,
}

impl Policy {
    pub fn new(rules: impl IntoIterator<Item = (Method, &'static str, Access)>) -> Self {
        Self { rules: rules.into_iter().map(|(method, path, access)| ((method, path), access)).collect() }
    }

    pub fn access(&self, method: &Method, pattern: &str) -> Option<Access> {
        self.rules.iter().find(|((m, p), _)| m == method && *p == pattern).map(|(_, access)| *access)
    }
}

/// How a principal proved who it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    None,
    Token,
    Cookie,
}

/// The principal of a request and how it was established, kept in the request's extensions for
/// the handlers.
#[derive(Clone, Debug)]
pub struct Caller {
    pub principal: Principal,
    pub credential: Credential,
}

impl Caller {
    pub fn of(request: &HttpRequest) -> Caller {
        request.extensions().get::<Caller>().cloned().unwrap_or(Caller::anonymous())
    }

    fn anonymous() -> Caller {
        Caller { principal: Principal::Anonymous, credential: Credential::None }
    }
}

pub async fn authorize(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let state = request.app_data::<Data<State>>().cloned().expect("the routes are configured with their state");
    match check(&request, &state).await {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            Ok(next.call(request).await?.map_into_boxed_body())
        }
        Err(error) => Ok(request.into_response(error.error_response())),
    }
}

async fn check(request: &ServiceRequest, state: &State) -> Result<Caller, ApiError> {
    let settings = &state.settings;
    if !settings.hosts.allows(request.headers().get(header::HOST).and_then(|host| host.to_str().ok())) {
        return Err(ApiError::DisallowedHost);
    }
    let Some(pattern) = request.match_pattern() else {
        // No route: the web UI's files (public) or a 404.
        return Ok(Caller::anonymous());
    };
    let access = state.policy.access(request.method(), &pattern);
    if access == Some(Access::Operator) {
        return crate::operations::check(request, state).map(|()| Caller::anonymous());
    }
    let caller = match identify(request, state).await {
        // Who calls an open endpoint does not matter when the store that would tell is down:
        // /healthz must answer while the database does not.
        Err(ApiError::Storage(_)) if access == Some(Access::Public) => Caller::anonymous(),
        other => other?,
    };
    let method = request.method();
    let unsafe_method = !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS);
    if unsafe_method && !settings.hosts.same_origin(request.request()) {
        let cross_site = request.headers().contains_key(header::ORIGIN) || caller.credential == Credential::Cookie;
        if cross_site {
            return Err(ApiError::CrossOrigin);
        }
    }
    let needed = match access {
        Some(Access::Public) => return Ok(caller),
        Some(Access::Submission) if settings.public_submissions => return Ok(caller),
        Some(Access::Submission | Access::Agent) => Role::Agent,
        Some(Access::Admin) => Role::Admin,
        Some(Access::Operator) => unreachable!("checked above"),
        // A method the route does not have: anyone signed in learns it is not allowed.
        None if caller.principal.role().is_some() => return Ok(caller),
        None => return Err(ApiError::NotAuthenticated),
    };
    match caller.principal.role() {
        None => Err(ApiError::NotAuthenticated),
        Some(role) if role == Role::Admin || role == needed => Ok(caller),
        Some(_) => Err(ApiError::Forbidden),
    }
}

/// The principal from the `Authorization` header (which wins when present), else from the
/// session cookie. A bad token is an error; a missing, dead or unknown session is nobody.
async fn identify(request: &ServiceRequest, state: &State) -> Result<Caller, ApiError> {
    if let Some(authorization) = request.headers().get(header::AUTHORIZATION) {
        let token = authorization
            .to_str()
            .ok()
            .and_then(|value| value.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, token)| token.trim())
            .ok_or(ApiError::InvalidToken)?;
        let token = state.access.authenticate_token(token).await?;
        return Ok(Caller { principal: Principal::Token(token), credential: Credential::Token });
    }
    let Some(cookie) = request.cookie(SESSION_COOKIE) else { return Ok(Caller::anonymous()) };
    Ok(match state.access.authenticate_session(cookie.value()).await? {
        Some(account) => Caller { principal: Principal::Account(account), credential: Credential::Cookie },
        None => Caller::anonymous(),
    })
}
