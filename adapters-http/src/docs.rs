//! Each endpoint's OpenAPI operation, named in the route table next to its handler.

use serde_json::{Value, json};

use crate::openapi::{Operation, json_response};

/// A list's cursor: the position's microseconds and id, in hex; empty is the first page.
const LIST_CURSOR: &str = "^([0-9a-fA-F]{1,13}-0*[1-9a-fA-F][0-9a-fA-F]{0,14})?$";
/// A history's cursor: the last entry's id, in hex; empty is the first page.
const HISTORY_CURSOR: &str = "^(0*[1-9a-fA-F][0-9a-fA-F]{0,14})?$";

fn schema(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn array_of(name: &str) -> Value {
    json!({"type": "array", "items": schema(name)})
}

fn link_header(mut response: Value) -> Value {
    response["headers"]["Link"] = json!({
        "description": "`<URL>; rel=\"next\"` while more pages exist: the same query with the cursor moved on.",
        "schema": {"type": "string"},
    });
    response
}

fn retry_after_header(mut response: Value) -> Value {
    response["headers"]["Retry-After"] =
        json!({"description": "Seconds to wait before asking again.", "schema": {"type": "integer", "minimum": 1}});
    response
}

fn etag_header(mut response: Value) -> Value {
    response["headers"]["ETag"] = json!({"description": "The ticket's version, e.g. \"3\"; send it back in If-Match.", "schema": {"type": "string"}});
    response
}

fn cookie_header(mut response: Value) -> Value {
    response["headers"]["Set-Cookie"] = json!({
        "description": "The session cookie: HttpOnly, SameSite=Lax, Path=/, Secure behind https.",
        "schema": {"type": "string"},
    });
    response
}

/// A filter of the list: one of the choices, or empty for any (as an empty form field sends it).
fn filter(name: &str, schema_name: &str, description: &str) -> Value {
    json!({
        "name": name, "in": "query", "required": false,
        "description": format!("{description} Empty is any."),
        "schema": {"anyOf": [schema(schema_name), {"const": ""}]},
    })
}

pub fn list_tickets() -> Value {
    Operation::new("listTickets", "List tickets, newest first", "tickets")
        .describe("Keyset-paged: follow the Link header to the end to see every matching ticket exactly once.")
        .parameter(filter("category", "Category", "Only tickets of this category."))
        .parameter(filter("priority", "Priority", "Only tickets of this priority."))
        .parameter(filter("status", "Status", "Only tickets of this status."))
        .parameter(json!({
            "name": "search", "in": "query", "required": false,
            "description": "Only tickets whose title or description contains this, ignoring case in any alphabet; no NUL characters.",
            "schema": {"type": "string", "maxLength": 200, "pattern": "^[^\\u0000]*$"},
        }))
        .paged(LIST_CURSOR)
        .answers(
            200,
            link_header(json_response("A page of tickets.", json!({"type": "array", "items": schema("Ticket")}))),
        )
        .may(400, "BadRequest")
        .stored()
        .build()
}

pub fn create_ticket() -> Value {
    Operation::new("createTicket", "File a ticket", "tickets")
        .describe(
            "Open to anyone while public submissions are on. With an Idempotency-Key, a retry of the same \
            request within 24 hours answers the first answer again and files nothing.",
        )
        .parameter(json!({
            "name": "Idempotency-Key", "in": "header", "required": false,
            "description": "A name for this create, 1 to 255 printable ASCII characters, new for each new ticket.",
            "schema": {"type": "string", "minLength": 1, "maxLength": 255, "pattern": "^[ -~]+$"},
        }))
        .body("NewTicket")
        .answers(201, {
            let mut created = etag_header(json_response("The ticket.", schema("Ticket")));
            created["headers"]["Idempotent-Replayed"] =
                json!({"description": "`true` on a retry's answer.", "schema": {"type": "string", "enum": ["true"]}});
            created
        })
        .link(201, "GetTicket", "getTicket", "id", "$response.body#/id")
        .link(201, "UpdateTicket", "updateTicket", "id", "$response.body#/id")
        .link(201, "TicketHistory", "ticketHistory", "id", "$response.body#/id")
        .may(422, "Unprocessable")
        .may(429, "TooManyRequests")
        .stored()
        .build()
}

pub fn ticket_stats() -> Value {
    Operation::new("ticketStats", "Count the tickets", "tickets")
        .answers(200, json_response("Counts over every ticket.", schema("Stats")))
        .stored()
        .build()
}

pub fn classify_ticket() -> Value {
    Operation::new("classifyTicket", "Suggest a category and priority", "tickets")
        .describe(
            "From the LLM when one is configured and within budget, else from the offline classifier (with a note).",
        )
        .body("ClassifyRequest")
        .answers(200, json_response("The suggestion.", schema("Suggestion")))
        .may(429, "TooManyRequests")
        .build()
}

pub fn get_ticket() -> Value {
    Operation::new("getTicket", "Read a ticket", "tickets")
        .id("ticket")
        .answers(200, etag_header(json_response("The ticket.", schema("Ticket"))))
        .stored()
        .build()
}

pub fn update_ticket() -> Value {
    Operation::new("updateTicket", "Change a ticket", "tickets")
        .describe("With If-Match, only if the ticket is still at that version; otherwise 412 and nothing is written.")
        .id("ticket")
        .parameter(json!({
            "name": "If-Match", "in": "header", "required": false,
            "description": "The ETag the change was made against, or * for any version.",
            "schema": {"type": "string"},
        }))
        .changes("TicketChanges")
        .answers(200, etag_header(json_response("The ticket as changed.", schema("Ticket"))))
        .may(412, "PreconditionFailed")
        .stored()
        .build()
}

pub fn ticket_history() -> Value {
    Operation::new("ticketHistory", "Read a ticket's history, oldest first", "tickets")
        .id("ticket")
        .paged(HISTORY_CURSOR)
        .answers(200, link_header(json_response("A page of the history.", array_of("Event"))))
        .may(400, "BadRequest")
        .stored()
        .build()
}

pub fn log_in() -> Value {
    Operation::new("logIn", "Sign in", "auth")
        .describe(
            "A wrong e-mail and a wrong password get the same answer. After 5 failures for an account or \
            from a client, the next attempts wait (429).",
        )
        .body("Login")
        .answers(200, cookie_header(json_response("The account, signed in.", schema("Account"))))
        .may(429, "TooManyRequests")
        .stored()
        .build()
}

pub fn log_out() -> Value {
    Operation::new("logOut", "Sign out", "auth")
        .answers(204, json!({"description": "The session is gone."}))
        .stored()
        .build()
}

pub fn who_am_i() -> Value {
    Operation::new("whoAmI", "Who is signed in", "auth")
        .answers(
            200,
            json_response(
                "The account signed in, or for a program its token.",
                json!({"oneOf": [schema("Account"), schema("Token")]}),
            ),
        )
        .stored()
        .build()
}

pub fn setup_status() -> Value {
    Operation::new("setupStatus", "Whether the first admin is still to be made", "auth")
        .answers(200, json_response("Whether setup is required.", schema("SetupStatus")))
        .stored()
        .build()
}

pub fn set_up() -> Value {
    Operation::new("setUp", "Make the first admin with the one-time setup code", "auth")
        .body("Setup")
        .answers(201, cookie_header(json_response("The first admin, signed in.", schema("Account"))))
        .may(409, "Conflict")
        .stored()
        .build()
}

pub fn list_accounts() -> Value {
    Operation::new("listAccounts", "List the accounts", "accounts")
        .answers(200, json_response("Every account, oldest first.", array_of("Account")))
        .stored()
        .build()
}

pub fn create_account() -> Value {
    Operation::new("createAccount", "Make an account", "accounts")
        .body("NewAccount")
        .answers(201, json_response("The account.", schema("Account")))
        .link(201, "UpdateAccount", "updateAccount", "id", "$response.body#/id")
        .stored()
        .build()
}

pub fn update_account() -> Value {
    Operation::new("updateAccount", "Change an account", "accounts")
        .describe("The last enabled admin can be neither disabled nor demoted (400).")
        .id("account")
        .changes("AccountChanges")
        .answers(200, json_response("The account as changed.", schema("Account")))
        .stored()
        .build()
}

pub fn list_tokens() -> Value {
    Operation::new("listTokens", "List the API tokens", "tokens")
        .answers(200, json_response("Every token not revoked; never a token's secret.", array_of("Token")))
        .stored()
        .build()
}

pub fn create_token() -> Value {
    Operation::new("createToken", "Make an API token", "tokens")
        .body("NewToken")
        .answers(201, json_response("The token, with its secret shown this once.", schema("IssuedToken")))
        .link(201, "RevokeToken", "revokeToken", "id", "$response.body#/id")
        .stored()
        .build()
}

pub fn revoke_token() -> Value {
    Operation::new("revokeToken", "Revoke an API token", "tokens")
        .id("token")
        .answers(204, json!({"description": "Revoked: it is refused from the next request on."}))
        .stored()
        .build()
}

pub fn healthz() -> Value {
    Operation::new("health", "Whether the process answers", "operations")
        .answers(200, json_response("It does.", schema("Health")))
        .build()
}

pub fn readyz() -> Value {
    Operation::new(
        "readiness",
        "Whether the server can serve: its store answers, with this release's schema",
        "operations",
    )
    .answers(200, json_response("Ready.", schema("Readiness")))
    .answers(503, retry_after_header(json_response("Not ready, and which part is not.", schema("Readiness"))))
    .build()
}

pub fn metrics() -> Value {
    Operation::new("metrics", "The server's metrics, in Prometheus' text format", "operations")
        .describe(
            "Open to this machine; from elsewhere only with `Authorization: Bearer $METRICS_TOKEN` \
             (403 while no METRICS_TOKEN is set). 404 when the server runs with METRICS=false.",
        )
        .answers(
            200,
            json!({
                "description": "Prometheus text exposition format 0.0.4.",
                "content": {"text/plain": {"schema": {"type": "string"}}},
            }),
        )
        .may(404, "NotFound")
        .build()
}

pub fn openapi_json() -> Value {
    Operation::new("openApi", "This document", "operations")
        .answers(200, json_response("The OpenAPI 3.1 document.", json!({"type": "object"})))
        .build()
}

pub fn api_docs() -> Value {
    Operation::new("apiDocs", "This document, to read in a browser", "operations")
        .answers(
            200,
            json!({"description": "The docs page.", "content": {"text/html": {"schema": {"type": "string"}}}}),
        )
        .answers(
            404,
            json_response("The web UI (with the docs page) was not built into this server.", schema("Detail")),
        )
        .build()
}
