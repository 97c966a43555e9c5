//! The JSON shapes of the API's answers. Only this crate knows JSON: the domain has no serde.

use application::{Suggestion, SuggestionSource};
use chrono::SecondsFormat;
use chrono::{DateTime, Utc};
use domain::{Account, Actor, ApiToken, Breakdown, Choice, Confidence, EventKind, Ticket, TicketEvent, TicketStats};
use serde::Serialize;
use serde_json::{Map, Value};

#[derive(Serialize)]
pub struct TicketJson<'a> {
    id: i64,
    title: &'a str,
    description: &'a str,
    category: &'static str,
    priority: &'static str,
    status: &'static str,
    created_at: String,
}

impl<'a> From<&'a Ticket> for TicketJson<'a> {
    fn from(ticket: &'a Ticket) -> Self {
        Self {
            id: ticket.id.get(),
            title: ticket.title.as_str(),
            description: ticket.description.as_str(),
            category: ticket.category.as_str(),
            priority: ticket.priority.as_str(),
            status: ticket.status.as_str(),
            created_at: timestamp(ticket.created_at),
        }
    }
}

/// RFC 3339 in UTC with `Z`, with as many decimals as the time needs (none, 3, 6 or 9).
pub fn timestamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

#[derive(Serialize)]
pub struct AccountJson<'a> {
    id: i64,
    email: &'a str,
    name: &'a str,
    role: &'static str,
    disabled: bool,
    created_at: String,
}

impl<'a> From<&'a Account> for AccountJson<'a> {
    fn from(account: &'a Account) -> Self {
        Self {
            id: account.id.get(),
            email: account.email.as_str(),
            name: account.name.as_str(),
            role: account.role.as_str(),
            disabled: account.disabled,
            created_at: timestamp(account.created_at),
        }
    }
}

#[derive(Serialize)]
pub struct CreatorJson<'a> {
    id: i64,
    name: &'a str,
}

/// A token as listed: never its secret.
#[derive(Serialize)]
pub struct TokenJson<'a> {
    id: i64,
    name: &'a str,
    role: &'static str,
    created_by: Option<CreatorJson<'a>>,
    created_at: String,
    last_used_at: Option<String>,
    expires_at: Option<String>,
}

impl<'a> From<&'a ApiToken> for TokenJson<'a> {
    fn from(token: &'a ApiToken) -> Self {
        Self {
            id: token.id.get(),
            name: token.name.as_str(),
            role: token.role.as_str(),
            created_by: token
                .created_by
                .as_ref()
                .map(|creator| CreatorJson { id: creator.id.get(), name: creator.name.as_str() }),
            created_at: timestamp(token.created_at),
            last_used_at: token.last_used_at.map(timestamp),
            expires_at: token.expires_at.map(timestamp),
        }
    }
}

/// A token just created: the listing, and the token itself, shown this once.
#[derive(Serialize)]
pub struct IssuedTokenJson<'a> {
    #[serde(flatten)]
    listed: TokenJson<'a>,
    token: &'a str,
}

impl<'a> IssuedTokenJson<'a> {
    pub fn new(token: &'a ApiToken, secret: &'a str) -> Self {
        Self { listed: TokenJson::from(token), token: secret }
    }
}

#[derive(Serialize)]
pub struct StatsJson {
    total_tickets: u64,
    open_tickets: u64,
    avg_tickets_per_day: f64,
    priority_breakdown: Map<String, Value>,
    category_breakdown: Map<String, Value>,
}

impl From<&TicketStats> for StatsJson {
    fn from(stats: &TicketStats) -> Self {
        Self {
            total_tickets: stats.total_tickets,
            open_tickets: stats.open_tickets,
            avg_tickets_per_day: stats.avg_tickets_per_day,
            priority_breakdown: breakdown(&stats.priority_breakdown),
            category_breakdown: breakdown(&stats.category_breakdown),
        }
    }
}

fn breakdown<C: Choice>(counts: &Breakdown<C>) -> Map<String, Value> {
    counts.iter().map(|(choice, count)| (choice.as_str().to_owned(), Value::from(count))).collect()
}

#[derive(Serialize)]
pub struct SuggestionJson<'a> {
    suggested_category: &'static str,
    suggested_priority: &'static str,
    source: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    confidence: Option<ConfidenceJson>,
}

/// Each label's confidence, rounded to two decimals.
#[derive(Serialize)]
struct ConfidenceJson {
    category: f64,
    priority: f64,
}

impl From<Confidence> for ConfidenceJson {
    fn from(confidence: Confidence) -> Self {
        let rounded = |p: f64| (p * 100.0).round() / 100.0;
        Self { category: rounded(confidence.category), priority: rounded(confidence.priority) }
    }
}

impl<'a> From<&'a Suggestion> for SuggestionJson<'a> {
    fn from(suggestion: &'a Suggestion) -> Self {
        Self {
            suggested_category: suggestion.classification.category.as_str(),
            suggested_priority: suggestion.classification.priority.as_str(),
            source: match suggestion.source {
                SuggestionSource::Llm => "llm",
                SuggestionSource::Offline => "offline",
            },
            note: suggestion.note.as_deref(),
            confidence: suggestion.confidence.map(ConfidenceJson::from),
        }
    }
}

/// An entry of a ticket's history.
#[derive(Serialize)]
pub struct EventJson<'a> {
    id: i64,
    version: u64,
    at: String,
    actor: ActorJson<'a>,
    action: &'static str,
    field: Option<&'static str>,
    from: Option<&'a str>,
    to: Option<&'a str>,
}

#[derive(Serialize)]
pub struct ActorJson<'a> {
    kind: &'static str,
    id: Option<i64>,
    name: &'a str,
}

impl<'a> From<&'a Actor> for ActorJson<'a> {
    fn from(actor: &'a Actor) -> Self {
        Self { kind: actor.kind(), id: actor.id(), name: actor.name() }
    }
}

impl<'a> From<&'a TicketEvent> for EventJson<'a> {
    fn from(event: &'a TicketEvent) -> Self {
        let (action, field, from, to) = match &event.kind {
            EventKind::Created => ("created", None, None, None),
            EventKind::Changed(change) => {
                ("changed", Some(change.field.as_str()), Some(change.from.as_str()), Some(change.to.as_str()))
            }
        };
        Self {
            id: event.id,
            version: event.version,
            at: timestamp(event.at),
            actor: ActorJson::from(&event.actor),
            action,
            field,
            from,
            to,
        }
    }
}
