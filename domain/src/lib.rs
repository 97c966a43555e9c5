//! The support-ticket rules: what a ticket is, what makes one valid, how lists are ordered and
//! paged, how stats are derived, and the ports the outside world plugs into.
//!
//! This crate does no I/O and knows no database, HTTP library or async runtime.

mod choices;
mod classification;
mod listing;
mod ports;
mod stats;
mod ticket;
mod validation;

pub use choices::{Category, Choice, Priority, Status};
pub use classification::{Assessment, Classification, ClassifierError, Confidence};
pub use listing::{Cursor, Limit, ListParams, Page, PageRequest, SearchTerm, TicketFilter, search_key};
pub use ports::{Clock, OfflineClassifier, RepositoryError, TicketClassifier, TicketRepository};
#[cfg(feature = "mocks")]
pub use ports::{MockClock, MockOfflineClassifier, MockTicketClassifier, MockTicketRepository};
pub use stats::{Breakdown, StatsSnapshot, TicketStats, average_per_day};
pub use ticket::{Description, NewTicket, Ticket, TicketDraft, TicketId, TicketPatch, Title};
pub use validation::{ValidationErrors, messages};
