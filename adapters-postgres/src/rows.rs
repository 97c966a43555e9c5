//! Rows as Diesel reads and writes them, and their conversion to and from the domain.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use domain::{Choice, Description, NewTicket, Ticket, TicketId, TicketPatch, Title, search_key};

use crate::schema::tickets;

#[derive(Queryable, Selectable)]
#[diesel(table_name = tickets, check_for_backend(diesel::pg::Pg))]
pub(crate) struct TicketRow {
    id: i64,
    title: String,
    description: String,
    category: String,
    priority: String,
    status: String,
    created_at: DateTime<Utc>,
}

/// A stored row that breaks a domain rule: only a writer that bypassed the constraints makes one.
#[derive(Debug, thiserror::Error)]
#[error("ticket row {id} breaks a domain rule: {field} is invalid")]
pub(crate) struct CorruptRow {
    id: i64,
    field: &'static str,
}

impl TryFrom<TicketRow> for Ticket {
    type Error = CorruptRow;

    fn try_from(row: TicketRow) -> Result<Self, CorruptRow> {
        let id = row.id;
        let corrupt = |field| CorruptRow { id, field };
        Ok(Ticket {
            id: TicketId::new(row.id).ok_or(corrupt("id"))?,
            title: Title::parse(row.title).map_err(|_| corrupt("title"))?,
            description: Description::parse(row.description).map_err(|_| corrupt("description"))?,
            category: Choice::parse(&row.category).ok_or(corrupt("category"))?,
            priority: Choice::parse(&row.priority).ok_or(corrupt("priority"))?,
            status: Choice::parse(&row.status).ok_or(corrupt("status"))?,
            created_at: row.created_at,
        })
    }
}

#[derive(Insertable)]
#[diesel(table_name = tickets)]
pub(crate) struct NewTicketRow<'a> {
    title: &'a str,
    description: &'a str,
    category: &'static str,
    priority: &'static str,
    status: &'static str,
    search_title: String,
    search_description: String,
}

impl<'a> From<&'a NewTicket> for NewTicketRow<'a> {
    fn from(ticket: &'a NewTicket) -> Self {
        Self {
            title: ticket.title.as_str(),
            description: ticket.description.as_str(),
            category: ticket.category.as_str(),
            priority: ticket.priority.as_str(),
            status: ticket.status.as_str(),
            search_title: search_key(ticket.title.as_str()),
            search_description: search_key(ticket.description.as_str()),
        }
    }
}

#[derive(AsChangeset)]
#[diesel(table_name = tickets)]
pub(crate) struct TicketChanges<'a> {
    title: Option<&'a str>,
    description: Option<&'a str>,
    category: Option<&'static str>,
    priority: Option<&'static str>,
    status: Option<&'static str>,
    search_title: Option<String>,
    search_description: Option<String>,
}

impl<'a> From<&'a TicketPatch> for TicketChanges<'a> {
    fn from(patch: &'a TicketPatch) -> Self {
        Self {
            title: patch.title.as_ref().map(Title::as_str),
            description: patch.description.as_ref().map(Description::as_str),
            category: patch.category.map(Choice::as_str),
            priority: patch.priority.map(Choice::as_str),
            status: patch.status.map(Choice::as_str),
            search_title: patch.title.as_ref().map(|t| search_key(t.as_str())),
            search_description: patch.description.as_ref().map(|d| search_key(d.as_str())),
        }
    }
}
