//! The OpenAPI 3.1 document of this API, made from the route table: every endpoint in the table
//! is in the document with its access level as security, and nothing else is. Each endpoint's
//! operation (parameters, bodies, every answer it can give) is written next to its handler's
//! registration in [`crate::routes`], with the shapes below.

use serde_json::{Map, Value, json};

use domain::{TITLE_MAX_CHARS, TicketLimits};

use crate::HttpSettings;
use crate::access::Access;
use crate::routes::Endpoint;

/// The document of `endpoints` as this server runs them: its limits and whether anyone may submit.
pub fn document(endpoints: &[Endpoint], settings: &HttpSettings) -> Value {
    let mut paths = Map::new();
    for endpoint in endpoints {
        let path = spec_path(endpoint.path);
        let mut operation = (endpoint.doc)();
        operation["security"] = security(endpoint.access, settings.public_submissions);
        let unsafe_method = !matches!(endpoint.method.as_str(), "GET" | "HEAD" | "OPTIONS");
        if let Some(responses) = operation["responses"].as_object_mut() {
            // Any call with a bad token is refused; an unsafe one with the cookie from another site
            // is forbidden, as is any admin's call to an agent.
            responses.entry("401").or_insert_with(|| response_ref("Unauthorized"));
            if unsafe_method || endpoint.access == Access::Admin {
                responses.entry("403").or_insert_with(|| response_ref("Forbidden"));
            }
        }
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[endpoint.method.as_str().to_ascii_lowercase()] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "helpdesk",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The support-ticket API: the seed's ticket endpoints, sign-in, accounts and API tokens. \
                Errors keep Django REST Framework's shapes: `{\"field\": [\"message\"]}` for invalid input, \
                `{\"detail\": \"message\"}` otherwise. Every path also answers without its trailing slash.",
        },
        "paths": paths,
        "components": {
            "schemas": schemas(&settings.ticket_limits),
            "responses": responses(),
            "securitySchemes": {
                "bearer": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "An API token (`hd_…`) from `helpdesk tokens create` or POST /api/tokens/.",
                },
                "metricsToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "METRICS_TOKEN, for /metrics from another machine (this machine needs none).",
                },
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": crate::access::SESSION_COOKIE,
                    "description": "The browser session from POST /api/auth/login/. Unsafe requests with it must \
                        come from the server's own origin (Origin or Referer).",
                },
            },
        },
    })
}

/// The path as clients write it: the seed's trailing slash on API paths (files have none).
pub fn spec_path(route: &str) -> String {
    if route.starts_with("/api/") && !route.ends_with(".json") && route != "/api/docs" {
        format!("{route}/")
    } else {
        route.to_owned()
    }
}

fn security(access: Access, public_submissions: bool) -> Value {
    match access {
        Access::Public => json!([]),
        Access::Submission if public_submissions => json!([{}, {"bearer": []}, {"session": []}]),
        Access::Submission => json!([{"bearer": []}, {"session": []}]),
        Access::Agent | Access::Admin => json!([{"bearer": []}, {"session": []}]),
        Access::Operator => json!([{}, {"metricsToken": []}]),
    }
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn response_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/responses/{name}")})
}

/// A JSON answer of `schema` (a `$ref` name or an inline schema).
pub fn json_response(description: &str, schema: Value) -> Value {
    json!({"description": description, "content": {"application/json": {"schema": schema}}})
}

/// An operation: its id, summary, the answers it gives besides the usual errors, and the rest.
pub struct Operation {
    value: Value,
}

impl Operation {
    pub fn new(operation_id: &str, summary: &str, tag: &str) -> Self {
        Self { value: json!({"operationId": operation_id, "summary": summary, "tags": [tag], "responses": {}}) }
    }

    pub fn describe(mut self, description: &str) -> Self {
        self.value["description"] = json!(description);
        self
    }

    pub fn answers(mut self, status: u16, response: Value) -> Self {
        self.value["responses"][status.to_string()] = response;
        self
    }

    /// Answers with the shared response `name` of the components.
    pub fn may(self, status: u16, name: &str) -> Self {
        self.answers(status, response_ref(name))
    }

    pub fn body(mut self, schema: &str) -> Self {
        self.value["requestBody"] =
            json!({"required": true, "content": {"application/json": {"schema": schema_ref(schema)}}});
        self.may(400, "BadRequest")
            .may(408, "RequestTimeout")
            .may(413, "PayloadTooLarge")
            .may(415, "UnsupportedMediaType")
    }

    /// A body of changes, which a partial update may leave out: without one nothing changes.
    pub fn changes(self, schema: &str) -> Self {
        let mut operation = self.body(schema);
        operation.value["requestBody"]["required"] = false.into();
        operation
    }

    pub fn parameter(mut self, parameter: Value) -> Self {
        match self.value["parameters"].as_array_mut() {
            Some(parameters) => parameters.push(parameter),
            None => self.value["parameters"] = json!([parameter]),
        }
        self
    }

    /// The `{id}` in the path: a positive whole number; any other id names nothing (404).
    pub fn id(self, what: &str) -> Self {
        self.parameter(json!({
            "name": "id", "in": "path", "required": true,
            "description": format!("The {what}'s id."),
            "schema": {"type": "integer", "minimum": 1},
        }))
        .may(404, "NotFound")
    }

    /// `limit` and `cursor`, for a list paged by keyset with a `Link` header; `cursor_pattern`
    /// is the shape of the list's cursors.
    pub fn paged(self, cursor_pattern: &str) -> Self {
        self.parameter(json!({
            "name": "limit", "in": "query", "required": false,
            "description": "How many to answer, 1 to 1000 (default 100).",
            "schema": {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100},
        }))
        .parameter(json!({
            "name": "cursor", "in": "query", "required": false,
            "description": "Where the page starts: copy it from the previous page's Link header.",
            "schema": {"type": "string", "pattern": cursor_pattern},
        }))
    }

    /// What any call that reads or writes the store may answer: 503 while it is unreachable.
    pub fn stored(self) -> Self {
        self.may(503, "Unavailable")
    }

    pub fn link(mut self, status: u16, name: &str, operation_id: &str, parameter: &str, value: &str) -> Self {
        self.value["responses"][status.to_string()]["links"][name] =
            json!({"operationId": operation_id, "parameters": {parameter: value}});
        self
    }

    pub fn build(self) -> Value {
        self.value
    }
}

fn choice(values: &[&str]) -> Value {
    json!({"type": "string", "enum": values})
}

const CATEGORIES: [&str; 4] = ["billing", "technical", "account", "general"];
const PRIORITIES: [&str; 4] = ["low", "medium", "high", "critical"];
const STATUSES: [&str; 4] = ["open", "in_progress", "resolved", "closed"];
const ROLES: [&str; 2] = ["agent", "admin"];

/// A person's or a token's name as the domain takes it: 1 to 100 characters, no control
/// character, not only white space (as Rust's `char::is_whitespace` counts it).
fn name_schema() -> Value {
    const ALLOWED: &str = r"[^\u0000-\u001F\u007F-\u009F]";
    const VISIBLE: &str = r"[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
    json!({"type": "string", "minLength": 1, "maxLength": 100, "pattern": format!("^{ALLOWED}*{VISIBLE}{ALLOWED}*$")})
}

/// Ticket text as the domain takes it: no NUL, not only white space.
fn ticket_text(max_chars: usize) -> Value {
    const VISIBLE: &str = r"[^\u0000\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]";
    json!({"type": "string", "minLength": 1, "maxLength": max_chars, "pattern": format!("^[^\\u0000]*{VISIBLE}[^\\u0000]*$")})
}

fn schemas(limits: &TicketLimits) -> Value {
    let name = name_schema();
    let title = ticket_text(TITLE_MAX_CHARS);
    let description = ticket_text(limits.description_max_chars);
    let time = json!({"type": "string", "format": "date-time"});
    let optional_time = json!({"type": ["string", "null"], "format": "date-time"});
    let token = json!({
        "type": "object",
        "properties": {
            "id": {"type": "integer", "minimum": 1},
            "name": {"type": "string"},
            "role": schema_ref("Role"),
            "created_by": {"oneOf": [{"type": "null"}, schema_ref("Creator")]},
            "created_at": time,
            "last_used_at": optional_time,
            "expires_at": optional_time,
        },
        "required": ["id", "name", "role", "created_by", "created_at", "last_used_at", "expires_at"],
        "additionalProperties": false,
    });
    let mut issued_token = json!({"description": "A new token: the listing, and the token itself, shown this once."});
    issued_token.as_object_mut().expect("an object").extend(token.as_object().expect("an object").clone());
    issued_token["properties"]["token"] = json!({"type": "string", "pattern": "^hd_[A-Za-z0-9]{43}$"});
    issued_token["required"].as_array_mut().expect("a list").push(json!("token"));
    let counts = |keys: &[&str]| {
        let properties: Map<String, Value> =
            keys.iter().map(|key| ((*key).to_owned(), json!({"type": "integer", "minimum": 0}))).collect();
        json!({"type": "object", "properties": properties, "required": keys, "additionalProperties": false})
    };
    json!({
        "Category": choice(&CATEGORIES),
        "Priority": choice(&PRIORITIES),
        "Status": choice(&STATUSES),
        "Role": choice(&ROLES),
        "Ticket": {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "title": {"type": "string", "minLength": 1, "maxLength": 200},
                "description": {"type": "string", "minLength": 1},
                "category": schema_ref("Category"),
                "priority": schema_ref("Priority"),
                "status": schema_ref("Status"),
                "created_at": time,
            },
            "required": ["id", "title", "description", "category", "priority", "status", "created_at"],
            "additionalProperties": false,
        },
        "NewTicket": {
            "type": "object",
            "description": "Title and description may not be blank or contain NUL characters; text is kept exactly as sent.",
            "properties": {
                "title": title.clone(),
                "description": description.clone(),
                "category": schema_ref("Category"),
                "priority": schema_ref("Priority"),
                "status": schema_ref("Status"),
            },
            "required": ["title", "description", "category", "priority"],
            "examples": [{
                "title": "Charged twice for March",
                "description": "My card was charged twice for the March invoice. Please refund one of the payments.",
                "category": "billing",
                "priority": "high",
            }],
        },
        "TicketChanges": {
            "type": "object",
            "description": "Any of the fields; the others stay as they are.",
            "examples": [{"status": "in_progress"}, {"priority": "critical", "category": "technical"}],
            "properties": {
                "title": title.clone(),
                "description": description.clone(),
                "category": schema_ref("Category"),
                "priority": schema_ref("Priority"),
                "status": schema_ref("Status"),
            },
        },
        "Stats": {
            "type": "object",
            "properties": {
                "total_tickets": {"type": "integer", "minimum": 0},
                "open_tickets": {"type": "integer", "minimum": 0},
                "avg_tickets_per_day": {"type": "number", "minimum": 0},
                "priority_breakdown": counts(&PRIORITIES),
                "category_breakdown": counts(&CATEGORIES),
            },
            "required": ["total_tickets", "open_tickets", "avg_tickets_per_day", "priority_breakdown", "category_breakdown"],
            "additionalProperties": false,
        },
        "ClassifyRequest": {
            "type": "object",
            "properties": {"description": description.clone()},
            "required": ["description"],
            "examples": [{"description": "The app crashes every time I open the settings page."}],
        },
        "Suggestion": {
            "type": "object",
            "properties": {
                "suggested_category": schema_ref("Category"),
                "suggested_priority": schema_ref("Priority"),
                "source": choice(&["llm", "offline"]),
                "note": {"type": "string", "description": "Why the suggestion is not the LLM's."},
                "confidence": {
                    "type": "object",
                    "description": "How likely each label is right, calibrated: of suggestions given 0.8, about 80% are right.",
                    "properties": {
                        "category": {"type": "number", "minimum": 0, "maximum": 1},
                        "priority": {"type": "number", "minimum": 0, "maximum": 1},
                    },
                    "required": ["category", "priority"],
                    "additionalProperties": false,
                },
            },
            "required": ["suggested_category", "suggested_priority", "source"],
            "additionalProperties": false,
        },
        "Actor": {
            "type": "object",
            "properties": {
                "kind": choice(&["public", "account", "token", "unrecorded"]),
                "id": {"type": ["integer", "null"]},
                "name": {"type": "string"},
            },
            "required": ["kind", "id", "name"],
            "additionalProperties": false,
        },
        "Event": {
            "type": "object",
            "description": "An entry of a ticket's history: its creation (field, from and to null), or one field's change.",
            "properties": {
                "id": {"type": "integer", "minimum": 0},
                "version": {"type": "integer", "minimum": 1},
                "at": time,
                "actor": schema_ref("Actor"),
                "action": choice(&["created", "changed"]),
                "field": {"type": ["string", "null"], "enum": ["title", "description", "category", "priority", "status", null]},
                "from": {"type": ["string", "null"]},
                "to": {"type": ["string", "null"]},
            },
            "required": ["id", "version", "at", "actor", "action", "field", "from", "to"],
            "additionalProperties": false,
        },
        "Account": {
            "type": "object",
            "properties": {
                "id": {"type": "integer", "minimum": 1},
                "email": {"type": "string"},
                "name": {"type": "string"},
                "role": schema_ref("Role"),
                "disabled": {"type": "boolean"},
                "created_at": time,
            },
            "required": ["id", "email", "name", "role", "disabled", "created_at"],
            "additionalProperties": false,
        },
        "NewAccount": {
            "type": "object",
            "properties": {
                "email": {"type": "string", "format": "email", "maxLength": 254},
                "name": name.clone(),
                "role": schema_ref("Role"),
                "password": {"type": "string", "minLength": 12, "maxLength": 1000},
            },
            "required": ["email", "name", "role", "password"],
            "examples": [{"email": "sam@example.com", "name": "Sam Agent", "role": "agent", "password": "correct horse battery"}],
        },
        "AccountChanges": {
            "type": "object",
            "description": "Any of the fields. Disabling an account or giving it a new password ends its sessions.",
            "examples": [{"role": "admin"}, {"disabled": true}],
            "properties": {
                "name": name.clone(),
                "role": schema_ref("Role"),
                "disabled": {"type": "boolean"},
                "password": {"type": "string", "minLength": 12, "maxLength": 1000},
            },
        },
        "Token": token,
        "IssuedToken": issued_token,
        "Creator": {
            "type": "object",
            "properties": {"id": {"type": "integer", "minimum": 1}, "name": {"type": "string"}},
            "required": ["id", "name"],
            "additionalProperties": false,
        },
        "NewToken": {
            "type": "object",
            "properties": {
                "name": name.clone(),
                "role": schema_ref("Role"),
                "expires_in_days": {"type": "integer", "minimum": 1, "maximum": 3650},
            },
            "required": ["name", "role"],
            "examples": [{"name": "CRM sync", "role": "agent", "expires_in_days": 90}],
        },
        "Login": {
            "type": "object",
            "properties": {"email": {"type": "string", "minLength": 1}, "password": {"type": "string", "minLength": 1}},
            "required": ["email", "password"],
            "examples": [{"email": "sam@example.com", "password": "correct horse battery"}],
        },
        "Setup": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "description": "The one-time code the server printed in its log."},
                "email": {"type": "string", "format": "email", "maxLength": 254},
                "name": name.clone(),
                "password": {"type": "string", "minLength": 12, "maxLength": 1000},
            },
            "required": ["code", "email", "name", "password"],
        },
        "SetupStatus": {
            "type": "object",
            "properties": {"setup_required": {"type": "boolean"}},
            "required": ["setup_required"],
            "additionalProperties": false,
        },
        "Health": {
            "type": "object",
            "properties": {"status": {"const": "ok"}},
            "required": ["status"],
        },
        "Readiness": {
            "type": "object",
            "description": "Which part is ready. When one is not: `database` unreachable, slow or error \
                (then `migrations` is unknown), or `migrations` pending, naming them.",
            "properties": {
                "status": choice(&["ready", "not ready"]),
                "database": choice(&["ok", "unreachable", "slow", "error"]),
                "migrations": choice(&["applied", "pending", "unknown"]),
                "pending_migrations": {"type": "array", "items": {"type": "string"}},
                "detail": {"type": "string"},
            },
            "required": ["status", "database", "migrations"],
        },
        "FieldErrors": {
            "type": "object",
            "description": "Every invalid field with its messages; non_field_errors for the request as a whole.",
            "additionalProperties": {"type": "array", "items": {"type": "string"}, "minItems": 1},
            "minProperties": 1,
        },
        "Detail": {
            "type": "object",
            "properties": {"detail": {"type": "string"}},
            "required": ["detail"],
        },
    })
}

fn detail(description: &str) -> Value {
    json_response(description, schema_ref("Detail"))
}

fn with_header(mut response: Value, name: &str, description: &str, schema: Value) -> Value {
    response["headers"][name] = json!({"description": description, "schema": schema});
    response
}

fn responses() -> Value {
    let retry_after = json!({"type": "integer", "minimum": 1});
    json!({
        "BadRequest": json_response(
            "Invalid input: every bad field named at once, or a detail (unparsable JSON, a bad header, a Host this server does not answer to).",
            json!({"oneOf": [schema_ref("FieldErrors"), schema_ref("Detail")]}),
        ),
        "Unauthorized": with_header(
            detail("No credentials (\"Authentication credentials were not provided.\"), or a bad, expired or revoked token (\"Invalid token.\")."),
            "WWW-Authenticate", "Bearer realm=\"api\"", json!({"type": "string"}),
        ),
        "Forbidden": detail("Signed in without the role this needs, or an unsafe request with the session cookie from another site."),
        "NotFound": detail("No such thing (\"Not found.\")."),
        "Conflict": detail("The state does not allow it."),
        "PreconditionFailed": with_header(
            detail("The ticket was changed by someone else since its If-Match version; nothing was written."),
            "ETag", "The ticket's current version.", json!({"type": "string"}),
        ),
        "RequestTimeout": detail("The request's body took longer than the body deadline to arrive."),
        "PayloadTooLarge": detail("The body is over the server's limit."),
        "UnsupportedMediaType": detail("A body that is not JSON."),
        "Unprocessable": detail("The Idempotency-Key was used with a different request."),
        "TooManyRequests": with_header(
            detail("Request was throttled. Expected available in N seconds."),
            "Retry-After", "Seconds to wait.", retry_after.clone(),
        ),
        "Unavailable": with_header(
            detail("The ticket store is unreachable, or a statement (a search) ran past its time limit."),
            "Retry-After", "Seconds to wait.", retry_after,
        ),
    })
}
