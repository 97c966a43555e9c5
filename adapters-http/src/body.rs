//! Reading a JSON request body: content type, size limit, syntax, and the fields of a ticket.

use actix_web::HttpRequest;
use actix_web::web::{BytesMut, Payload};
use domain::{TicketDraft, ValidationErrors, messages};
use futures_util::StreamExt;
use serde_json::{Map, Value};

use crate::HttpSettings;
use crate::errors::ApiError;

/// The request's JSON object. An empty body without a content type counts as `{}`. The body
/// must arrive whole within the settings' body timeout (408 otherwise) and stay within the body
/// limit (413).
pub async fn read_object(
    request: &HttpRequest,
    payload: Payload,
    settings: &HttpSettings,
) -> Result<Map<String, Value>, ApiError> {
    let limit = settings.body_limit_bytes;
    let declared_length = request
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared_length.is_some_and(|length| length > limit) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    let content_type = request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .map(|value| value.to_str().unwrap_or("").to_owned());

    let body = actix_web::rt::time::timeout(settings.timeouts.body, read_body(payload, limit))
        .await
        .map_err(|_| ApiError::RequestTimeout)??;

    match content_type {
        None if body.iter().all(u8::is_ascii_whitespace) => return Ok(Map::new()),
        None => return Err(ApiError::UnsupportedMediaType(String::new())),
        Some(content_type) if !is_json(&content_type) => return Err(ApiError::UnsupportedMediaType(content_type)),
        Some(_) => {}
    }
    match serde_json::from_slice(&body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(other) => Err(ApiError::Invalid(ValidationErrors::single(
            "non_field_errors",
            format!("Invalid data. Expected a dictionary, but got {}.", json_type_name(&other)),
        ))),
        Err(error) => Err(ApiError::BadRequest(format!("JSON parse error - {error}"))),
    }
}

async fn read_body(mut payload: Payload, limit: usize) -> Result<BytesMut, ApiError> {
    let mut body = BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|error| ApiError::BadRequest(format!("Could not read the request body: {error}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Number(_) => "number",
        Value::String(_) => "str",
        Value::Array(_) => "list",
        Value::Object(_) => "dict",
    }
}

/// The ticket fields of `object` as text, and the fields that were present but not text.
/// Other keys (`id`, `created_at`, anything unknown) are ignored.
pub fn ticket_draft(object: &Map<String, Value>) -> (TicketDraft, ValidationErrors) {
    let mut errors = ValidationErrors::new();
    let mut text = |field: &'static str| text_field(object, field, &mut errors);
    let draft = TicketDraft {
        title: text("title"),
        description: text("description"),
        category: text("category"),
        priority: text("priority"),
        status: text("status"),
    };
    (draft, errors)
}

/// The text of `field`; `None` when absent or when not text (the problem is recorded).
pub fn text_field(object: &Map<String, Value>, field: &'static str, errors: &mut ValidationErrors) -> Option<String> {
    match object.get(field)? {
        Value::String(text) => Some(text.clone()),
        Value::Null => {
            errors.add(field, messages::NULL);
            None
        }
        _ => {
            errors.add(field, messages::NOT_A_STRING);
            None
        }
    }
}

/// The boolean of `field`; `None` when absent or when not a boolean (the problem is recorded).
pub fn bool_field(object: &Map<String, Value>, field: &'static str, errors: &mut ValidationErrors) -> Option<bool> {
    match object.get(field)? {
        Value::Bool(value) => Some(*value),
        Value::Null => {
            errors.add(field, messages::NULL);
            None
        }
        _ => {
            errors.add(field, messages::NOT_A_BOOLEAN);
            None
        }
    }
}

/// The whole number of `field` within `range`; `None` when absent or invalid (the problem is
/// recorded, in DRF's words).
pub fn integer_field(
    object: &Map<String, Value>,
    field: &'static str,
    range: std::ops::RangeInclusive<u32>,
    errors: &mut ValidationErrors,
) -> Option<u32> {
    let value = object.get(field)?;
    let Some(number) = value.as_i64().or_else(|| value.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)) else {
        errors.add(field, if value.is_null() { messages::NULL } else { messages::NOT_AN_INTEGER });
        return None;
    };
    if number < i64::from(*range.start()) {
        errors.add(field, format!("Ensure this value is greater than or equal to {}.", range.start()));
        None
    } else if number > i64::from(*range.end()) {
        errors.add(field, format!("Ensure this value is less than or equal to {}.", range.end()));
        None
    } else {
        u32::try_from(number).ok()
    }
}

/// The parse result, with the type problems found first taking precedence for their fields.
pub fn combine<T>(type_errors: ValidationErrors, parsed: Result<T, ValidationErrors>) -> Result<T, ApiError> {
    match parsed {
        Ok(value) if type_errors.is_empty() => Ok(value),
        Ok(_) => Err(ApiError::Invalid(type_errors)),
        Err(rule_errors) => {
            let mut errors = type_errors;
            errors.merge_missing(rule_errors);
            Err(ApiError::Invalid(errors))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn json_content_types_are_recognised_with_parameters_and_any_case() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(is_json("application/merge-patch+json"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("application/x-www-form-urlencoded"));
    }
}
