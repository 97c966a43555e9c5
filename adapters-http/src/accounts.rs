//! Accounts, managed by admins.

use actix_web::web::{self, Data, Payload};
use actix_web::{HttpRequest, HttpResponse};
use domain::{AccountChangesDraft, AccountChangesRequest, AccountDraft, AccountId, AccountRequest, ValidationErrors};

use crate::State;
use crate::auth::{account_write_error, private};
use crate::body::{bool_field, combine, read_object, text_field};
use crate::errors::ApiError;
use crate::json::AccountJson;

pub async fn list(state: Data<State>) -> Result<HttpResponse, ApiError> {
    let accounts = state.access.list_accounts().await?;
    Ok(private(HttpResponse::Ok()).json(accounts.iter().map(AccountJson::from).collect::<Vec<_>>()))
}

pub async fn create(request: HttpRequest, payload: Payload, state: Data<State>) -> Result<HttpResponse, ApiError> {
    let object = read_object(&request, payload, &state.settings).await?;
    let mut type_errors = ValidationErrors::new();
    let draft = AccountDraft {
        email: text_field(&object, "email", &mut type_errors),
        name: text_field(&object, "name", &mut type_errors),
        role: text_field(&object, "role", &mut type_errors),
        password: text_field(&object, "password", &mut type_errors),
    };
    let account = combine(type_errors, AccountRequest::parse(draft, None))?;
    let created = state.access.create_account(account).await.map_err(account_write_error)?;
    Ok(private(HttpResponse::Created()).json(AccountJson::from(&created)))
}

pub async fn update(
    request: HttpRequest,
    id: web::Path<String>,
    payload: Payload,
    state: Data<State>,
) -> Result<HttpResponse, ApiError> {
    let id = AccountId::parse(&id).ok_or(ApiError::NotFound)?;
    let object = read_object(&request, payload, &state.settings).await?;
    let mut type_errors = ValidationErrors::new();
    let draft = AccountChangesDraft {
        name: text_field(&object, "name", &mut type_errors),
        role: text_field(&object, "role", &mut type_errors),
        disabled: bool_field(&object, "disabled", &mut type_errors),
        password: text_field(&object, "password", &mut type_errors),
    };
    let changes = combine(type_errors, AccountChangesRequest::parse(draft))?;
    let updated = state.access.update_account(id, changes).await.map_err(account_write_error)?;
    let updated = updated.ok_or(ApiError::NotFound)?;
    Ok(private(HttpResponse::Ok()).json(AccountJson::from(&updated)))
}
