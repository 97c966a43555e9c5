//! The ports: what the application needs from the outside world. Adapters implement them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::classification::{Assessment, Classification, ClassifierError};
use crate::listing::{Cursor, TicketFilter};
use crate::stats::StatsSnapshot;
use crate::ticket::{NewTicket, Ticket, TicketId, TicketPatch};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why the ticket store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum RepositoryError {
    /// The store cannot be reached now; the same request may succeed later.
    #[error("the ticket store is unavailable")]
    Unavailable(#[source] BoxError),
    /// Anything else: a bug or a broken store.
    #[error("the ticket store failed")]
    Unexpected(#[source] BoxError),
}

/// Where tickets live.
///
/// Contract, for every adapter: ids are assigned in increasing order and never reused;
/// `created_at` is assigned by the store at creation, in UTC with microsecond precision; a
/// ticket is readable by every later call once `create` or `update` has returned.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait TicketRepository: Send + Sync {
    async fn create(&self, ticket: NewTicket) -> Result<Ticket, RepositoryError>;

    async fn get(&self, id: TicketId) -> Result<Option<Ticket>, RepositoryError>;

    /// Applies `patch` and returns the updated ticket, or `None` if there is no such ticket.
    /// An empty patch returns the ticket unchanged.
    async fn update(&self, id: TicketId, patch: TicketPatch) -> Result<Option<Ticket>, RepositoryError>;

    /// Up to `limit` tickets matching `filter`, newest first (then highest id first), starting
    /// strictly after `after`.
    async fn list(
        &self,
        filter: TicketFilter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<Ticket>, RepositoryError>;

    /// Counts over every ticket, from one consistent snapshot.
    async fn stats(&self) -> Result<StatsSnapshot, RepositoryError>;

    /// `Ok` when the store answers.
    async fn check_ready(&self) -> Result<(), RepositoryError>;
}

/// Suggests a category and priority from a ticket's description; may be remote and may fail.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait TicketClassifier: Send + Sync {
    async fn classify(&self, description: &str) -> Result<Classification, ClassifierError>;

    /// What to call this classifier in logs, e.g. "openai-compatible gpt-4o-mini at …".
    fn describe(&self) -> String;
}

/// A classifier that always answers, at once and without I/O: the fallback for the others.
#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait OfflineClassifier: Send + Sync {
    fn classify(&self, description: &str) -> Classification;

    /// The classification with how sure the classifier is of it; `None` when it cannot tell.
    fn assess(&self, description: &str) -> Assessment {
        Assessment { classification: self.classify(description), confidence: None }
    }

    fn describe(&self) -> String;
}

/// The time now, injected so that time-dependent rules can be tested.
#[cfg_attr(feature = "mocks", mockall::automock)]
pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;
}
