//! Valid tickets for tests, built from the fields a test cares about.

use chrono::{DateTime, Utc};
use domain::{NewTicket, Ticket, TicketDraft, TicketId};

/// A ticket whose every field has a valid default; a test sets the ones it cares about. Text
/// goes through the domain's rules like a client's, so a builder never makes what no client could.
#[derive(Clone, Debug)]
pub struct TicketBuilder {
    draft: TicketDraft,
}

impl Default for TicketBuilder {
    fn default() -> Self {
        Self {
            draft: TicketDraft {
                title: Some("Ticket".into()),
                description: Some("Something broke".into()),
                category: Some("general".into()),
                priority: Some("medium".into()),
                status: None,
            },
        }
    }
}

impl TicketBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// "Ticket {i}", described as "Description {i}".
    pub fn numbered(i: usize) -> Self {
        Self::new().title(&format!("Ticket {i}")).description(&format!("Description {i}"))
    }

    pub fn title(mut self, title: &str) -> Self {
        self.draft.title = Some(title.into());
        self
    }

    pub fn description(mut self, description: &str) -> Self {
        self.draft.description = Some(description.into());
        self
    }

    pub fn category(mut self, category: &str) -> Self {
        self.draft.category = Some(category.into());
        self
    }

    pub fn priority(mut self, priority: &str) -> Self {
        self.draft.priority = Some(priority.into());
        self
    }

    pub fn status(mut self, status: &str) -> Self {
        self.draft.status = Some(status.into());
        self
    }

    /// The fields as a client would send them.
    pub fn draft(&self) -> TicketDraft {
        self.draft.clone()
    }

    /// The ticket to store. Panics if a field set by the test breaks a rule.
    pub fn build(&self) -> NewTicket {
        NewTicket::parse(self.draft()).unwrap_or_else(|errors| panic!("a test built an invalid ticket: {errors}"))
    }

    /// The ticket as a store returns it, with the id and creation time a store would assign.
    pub fn stored(&self, id: i64, created_at: DateTime<Utc>) -> Ticket {
        let new = self.build();
        Ticket {
            id: TicketId::new(id).expect("a positive id"),
            title: new.title,
            description: new.description,
            category: new.category,
            priority: new.priority,
            status: new.status,
            created_at,
            version: 1,
        }
    }
}
