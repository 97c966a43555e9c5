//! Every failure a client can see, in the shapes a client of the seed's Django REST Framework
//! backend already knows: `{"field": ["message", …]}` for invalid input, `{"detail": "…"}` else.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use application::{CreateTicketError, GetTicketError, TokenError, UpdateTicketError};
use domain::{RepositoryError, Ticket, ValidationErrors};
use serde_json::{Map, Value, json};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("invalid input: {0}")]
    Invalid(ValidationErrors),
    #[error("{0}")]
    BadRequest(String),
    #[error("not found")]
    NotFound,
    #[error("method {0} not allowed")]
    MethodNotAllowed(String),
    #[error("unsupported media type {0:?}")]
    UnsupportedMediaType(String),
    #[error("request body over {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("the request body did not arrive in time")]
    RequestTimeout,
    #[error("a search past its time limit")]
    SearchTooExpensive,
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("no credentials")]
    NotAuthenticated,
    #[error("invalid token")]
    InvalidToken,
    #[error("not permitted")]
    Forbidden,
    #[error("{0}")]
    ForbiddenBecause(&'static str),
    #[error("a cross-site unsafe request")]
    CrossOrigin,
    #[error("a Host this server does not answer to")]
    DisallowedHost,
    #[error("{0}")]
    Conflict(&'static str),
    #[error("the ticket changed since it was read")]
    Stale(Box<Ticket>),
    #[error("an idempotency key reused for another request")]
    KeyReused,
    #[error("a malformed Idempotency-Key")]
    BadIdempotencyKey,
    #[error(transparent)]
    Storage(RepositoryError),
}

const BEARER_CHALLENGE: &str = "Bearer realm=\"api\"";

/// How long a client should wait before retrying while the store is unavailable.
const UNAVAILABLE_RETRY_AFTER_SECS: &str = "5";

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Invalid(_) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::RequestTimeout => StatusCode::REQUEST_TIMEOUT,
            ApiError::SearchTooExpensive => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::NotAuthenticated | ApiError::InvalidToken => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::ForbiddenBecause(_) | ApiError::CrossOrigin => StatusCode::FORBIDDEN,
            ApiError::DisallowedHost => StatusCode::BAD_REQUEST,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Stale(_) => StatusCode::PRECONDITION_FAILED,
            ApiError::KeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BadIdempotencyKey => StatusCode::BAD_REQUEST,
            ApiError::Storage(RepositoryError::Unavailable(_) | RepositoryError::TimedOut(_)) => {
                StatusCode::SERVICE_UNAVAILABLE
            }
            ApiError::Storage(RepositoryError::Unexpected(_)) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status_code());
        let body = match self {
            ApiError::Invalid(errors) => field_errors(errors),
            ApiError::BadRequest(detail) => detail_body(detail),
            ApiError::NotFound => detail_body("Not found."),
            ApiError::MethodNotAllowed(method) => detail_body(&format!("Method \"{method}\" not allowed.")),
            ApiError::UnsupportedMediaType(media_type) => detail_body(&format!(
                "Unsupported media type \"{media_type}\" in request. Send JSON with Content-Type: application/json."
            )),
            ApiError::PayloadTooLarge { limit } => {
                detail_body(&format!("Request body is too large: the limit is {limit} bytes."))
            }
            ApiError::RequestTimeout => {
                response.insert_header((header::CONNECTION, "close"));
                detail_body("The request body took too long to arrive. Send it at once and try again.")
            }
            ApiError::SearchTooExpensive => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static(UNAVAILABLE_RETRY_AFTER_SECS)));
                detail_body(
                    "The search was too expensive and was stopped. Search for a longer, more specific term, or add filters.",
                )
            }
            ApiError::Storage(RepositoryError::TimedOut(source)) => {
                tracing::warn!(error = %source, "a statement ran past its time limit");
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static(UNAVAILABLE_RETRY_AFTER_SECS)));
                detail_body("The ticket store took too long to answer and stopped. Try again in a few seconds.")
            }
            ApiError::RateLimited { retry_after_secs } => {
                response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
                detail_body(&format!(
                    "Request was throttled. Expected available in {retry_after_secs} second{}.",
                    if *retry_after_secs == 1 { "" } else { "s" }
                ))
            }
            ApiError::NotAuthenticated => {
                response.insert_header((header::WWW_AUTHENTICATE, BEARER_CHALLENGE));
                detail_body("Authentication credentials were not provided.")
            }
            ApiError::InvalidToken => {
                response.insert_header((header::WWW_AUTHENTICATE, BEARER_CHALLENGE));
                detail_body("Invalid token.")
            }
            ApiError::Forbidden => detail_body("You do not have permission to perform this action."),
            ApiError::ForbiddenBecause(detail) => detail_body(detail),
            ApiError::CrossOrigin => {
                detail_body("CSRF Failed: Origin checking failed - the request does not come from this site's pages.")
            }
            ApiError::DisallowedHost => detail_body(
                "Bad Request: this server does not answer to that host name. Add it to ALLOWED_HOSTS if it is yours.",
            ),
            ApiError::Conflict(detail) => detail_body(detail),
            ApiError::Stale(current) => {
                response.insert_header((header::ETAG, format!("\"{}\"", current.version)));
                detail_body("The ticket was changed by someone else since you read it.")
            }
            ApiError::KeyReused => detail_body("This Idempotency-Key was already used with a different request."),
            ApiError::BadIdempotencyKey => {
                detail_body("The Idempotency-Key header must be 1 to 255 printable ASCII characters.")
            }
            ApiError::Storage(RepositoryError::Unavailable(source)) => {
                tracing::warn!(error = %source, "ticket store unavailable");
                response.insert_header((header::RETRY_AFTER, HeaderValue::from_static(UNAVAILABLE_RETRY_AFTER_SECS)));
                detail_body("The ticket store is unavailable right now. Try again in a few seconds.")
            }
            ApiError::Storage(error @ RepositoryError::Unexpected(source)) => {
                tracing::error!(error = %error, cause = %source, "unexpected storage failure");
                detail_body("A server error occurred.")
            }
        };
        response.json(body)
    }
}

fn detail_body(detail: &str) -> Value {
    json!({ "detail": detail })
}

fn field_errors(errors: &ValidationErrors) -> Value {
    let fields: Map<String, Value> =
        errors.iter().map(|(field, messages)| (field.to_owned(), json!(messages))).collect();
    Value::Object(fields)
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        ApiError::Invalid(errors)
    }
}

impl From<RepositoryError> for ApiError {
    fn from(error: RepositoryError) -> Self {
        ApiError::Storage(error)
    }
}

impl From<GetTicketError> for ApiError {
    fn from(error: GetTicketError) -> Self {
        match error {
            GetTicketError::NotFound(_) => ApiError::NotFound,
            GetTicketError::Storage(error) => ApiError::Storage(error),
        }
    }
}

impl From<UpdateTicketError> for ApiError {
    fn from(error: UpdateTicketError) -> Self {
        match error {
            UpdateTicketError::NotFound(_) => ApiError::NotFound,
            UpdateTicketError::Conflict(current) => ApiError::Stale(current),
            UpdateTicketError::Storage(error) => ApiError::Storage(error),
        }
    }
}

impl From<TokenError> for ApiError {
    fn from(error: TokenError) -> Self {
        match error {
            TokenError::Invalid => ApiError::InvalidToken,
            TokenError::Store(error) => ApiError::Storage(error),
        }
    }
}

impl From<CreateTicketError> for ApiError {
    fn from(error: CreateTicketError) -> Self {
        match error {
            CreateTicketError::KeyReused => ApiError::KeyReused,
            CreateTicketError::Storage(error) => ApiError::Storage(error),
        }
    }
}

/// The 429 of the limit named `limit`, counted in `http_requests_rate_limited_total`.
pub(crate) fn rate_limited(limit: &'static str) -> impl FnOnce(u64) -> ApiError {
    move |retry_after_secs| {
        metrics::counter!("http_requests_rate_limited_total", "limit" => limit).increment(1);
        ApiError::RateLimited { retry_after_secs }
    }
}
