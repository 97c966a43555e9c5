//! Signing in and out, the signed-in principal, and the first run's setup.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::web::{Data, Payload};
use actix_web::{HttpRequest, HttpResponse, HttpResponseBuilder};
use application::{LoginError, SetupError};
use domain::{AccountDraft, AccountRequest, AccountWriteError, Principal, Role, ValidationErrors, messages};

use crate::State;
use crate::access::{Caller, SESSION_COOKIE};
use crate::body::{combine, read_object, text_field};
use crate::client::{client_address, client_key};
use crate::errors::{ApiError, rate_limited};
use crate::json::{AccountJson, TokenJson};

const UNABLE_TO_LOG_IN: &str = "Unable to log in with provided credentials.";

pub async fn login(request: HttpRequest, payload: Payload, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let object = read_object(&request, payload, &state.settings).await?;
    let mut errors = ValidationErrors::new();
    let email = required_text(text_field(&object, "email", &mut errors), "email", &mut errors);
    let password = required_text(text_field(&object, "password", &mut errors), "password", &mut errors);
    let (Some(email), Some(password)) = (email, password) else { return Err(ApiError::Invalid(errors)) };
    let client = client_key(client_address(&request));
    match state.access.log_in(&email, &password, &client).await {
        Ok(signed_in) => Ok(private(HttpResponse::Ok())
            .cookie(session_cookie(&state, signed_in.session.expose()))
            .json(AccountJson::from(&signed_in.account))),
        Err(LoginError::InvalidCredentials) => {
            Err(ApiError::Invalid(ValidationErrors::single("non_field_errors", UNABLE_TO_LOG_IN)))
        }
        Err(LoginError::Throttled { retry_after_secs }) => Err(rate_limited("login")(retry_after_secs)),
        Err(LoginError::Store(error)) => Err(error.into()),
    }
}

pub async fn logout(request: HttpRequest, state: Data<State>) -> Result<HttpResponse, ApiError> {
    if let Some(cookie) = request.cookie(SESSION_COOKIE) {
        state.access.log_out(cookie.value()).await?;
    }
    let mut gone = session_cookie(&state, "");
    gone.make_removal();
    Ok(private(HttpResponse::NoContent()).cookie(gone).finish())
}

/// The account signed in, or for a program the token it uses.
pub async fn me(request: HttpRequest) -> Result<HttpResponse, ApiError> {
    match Caller::of(&request).principal {
        Principal::Account(account) => Ok(private(HttpResponse::Ok()).json(AccountJson::from(&account))),
        Principal::Token(token) => Ok(private(HttpResponse::Ok()).json(TokenJson::from(&token))),
        Principal::Anonymous => Err(ApiError::NotAuthenticated),
    }
}

pub async fn setup_status(state: Data<State>) -> Result<HttpResponse, ApiError> {
    let required = state.access.setup_required().await?;
    Ok(private(HttpResponse::Ok()).json(serde_json::json!({ "setup_required": required })))
}

/// Creates the first admin with the one-time code the server printed, and signs them in.
pub async fn set_up(request: HttpRequest, payload: Payload, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let object = read_object(&request, payload, &state.settings).await?;
    let mut type_errors = ValidationErrors::new();
    let code = text_field(&object, "code", &mut type_errors);
    let draft = AccountDraft {
        email: text_field(&object, "email", &mut type_errors),
        name: text_field(&object, "name", &mut type_errors),
        role: None,
        password: text_field(&object, "password", &mut type_errors),
    };
    if code.is_none() && !type_errors.has("code") {
        type_errors.add("code", messages::REQUIRED);
    }
    let account = combine(type_errors, AccountRequest::parse(draft, Some(Role::Admin)))?;
    match state.access.set_up(code.as_deref().unwrap_or_default(), account).await {
        Ok(signed_in) => Ok(private(HttpResponse::Created())
            .cookie(session_cookie(&state, signed_in.session.expose()))
            .json(AccountJson::from(&signed_in.account))),
        Err(SetupError::InvalidCode) => Err(ApiError::ForbiddenBecause("The setup code is not valid.")),
        Err(SetupError::AlreadyDone) => Err(ApiError::Conflict("Setup is complete: sign in instead.")),
        Err(SetupError::Write(error)) => Err(account_write_error(error)),
    }
}

pub fn account_write_error(error: AccountWriteError) -> ApiError {
    match error {
        AccountWriteError::EmailTaken => {
            ApiError::Invalid(ValidationErrors::single("email", "An account with this email already exists."))
        }
        AccountWriteError::LastAdmin => ApiError::Invalid(ValidationErrors::single(
            "non_field_errors",
            "This change would leave no active admin. Make another account an admin first.",
        )),
        AccountWriteError::Store(error) => error.into(),
    }
}

/// A required text field, not blank, in DRF's words.
fn required_text(value: Option<String>, field: &'static str, errors: &mut ValidationErrors) -> Option<String> {
    match value {
        None if !errors.has(field) => {
            errors.add(field, messages::REQUIRED);
            None
        }
        Some(text) if text.is_empty() => {
            errors.add(field, messages::BLANK);
            None
        }
        other => other,
    }
}

/// The session cookie: HttpOnly, SameSite=Lax, for the whole site, Secure behind https; it lasts
/// as long as a session may (the server ends an idle one sooner).
fn session_cookie(state: &State, value: &str) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, value.to_owned())
        .http_only(true)
        .same_site(SameSite::Lax)
        .path("/")
        .secure(state.settings.hosts.scheme() == "https")
        .max_age(CookieDuration::days(30))
        .finish()
}

/// Answers about who is signed in are never stored by a cache.
pub fn private(mut response: HttpResponseBuilder) -> HttpResponseBuilder {
    response.insert_header(CacheControl(vec![CacheDirective::NoStore]));
    response
}
