//! API tokens, managed by admins. A token's secret is in the answer that creates it and nowhere
//! else, ever.

use actix_web::web::{self, Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use domain::{Choice, Principal, Role, TokenId, TokenName, ValidationErrors, messages};

use crate::State;
use crate::access::Caller;
use crate::auth::private;
use crate::body::{integer_field, read_object, text_field};
use crate::errors::ApiError;
use crate::json::{IssuedTokenJson, TokenJson};

/// Up to ten years.
const MAX_EXPIRY_DAYS: u32 = 3650;

pub async fn list(state: Data<State>) -> Result<HttpResponse, ApiError> {
    let tokens = state.access.list_tokens().await?;
    Ok(private(HttpResponse::Ok()).json(tokens.iter().map(TokenJson::from).collect::<Vec<_>>()))
}

pub async fn create(request: HttpRequest, payload: Payload, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let object = read_object(&request, payload, &state.settings).await?;
    let mut errors = ValidationErrors::new();
    let name = match text_field(&object, "name", &mut errors) {
        Some(text) => {
            TokenName::parse(&text).map_err(|problems| problems.into_iter().for_each(|p| errors.add("name", p))).ok()
        }
        None if !errors.has("name") => {
            errors.add("name", messages::REQUIRED);
            None
        }
        None => None,
    };
    let role = match text_field(&object, "role", &mut errors) {
        Some(label) => Role::parse(&label).or_else(|| {
            errors.add("role", messages::invalid_choice(&label));
            None
        }),
        None if !errors.has("role") => {
            errors.add("role", messages::REQUIRED);
            None
        }
        None => None,
    };
    let expires_in_days = integer_field(&object, "expires_in_days", 1..=MAX_EXPIRY_DAYS, &mut errors);
    let (Some(name), Some(role)) = (name, role) else { return Err(ApiError::Invalid(errors)) };
    if !errors.is_empty() {
        return Err(ApiError::Invalid(errors));
    }
    let creator = match Caller::of(&request).principal {
        Principal::Account(account) => Some(account.id),
        _ => None,
    };
    let issued = state.access.create_token(name, role, expires_in_days, creator).await?;
    Ok(private(HttpResponse::Created()).json(IssuedTokenJson::new(&issued.token, issued.secret.expose())))
}

pub async fn revoke(id: web::Path<String>, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let id = TokenId::parse(&id).ok_or(ApiError::NotFound)?;
    if state.access.revoke_token(id).await? {
        Ok(private(HttpResponse::NoContent()).finish())
    } else {
        Err(ApiError::NotFound)
    }
}
