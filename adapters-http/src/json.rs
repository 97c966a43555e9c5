//! The JSON shapes of the API's answers. Only this crate knows JSON: the domain has no serde.

use application::{Suggestion, SuggestionSource};
use chrono::SecondsFormat;
use domain::{Breakdown, Choice, Confidence, Ticket, TicketStats};
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
            created_at: ticket.created_at.to_rfc3339_opts(SecondsFormat::AutoSi, true),
        }
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
