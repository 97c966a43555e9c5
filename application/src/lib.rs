//! The use cases of the support-ticket system, written against the domain's ports only.
//! Which adapters stand behind the ports is decided by the binary that builds a [`TicketService`].

mod access;
mod classify;
mod clock;
mod service;

pub use access::{
    AccessPolicy, AccessService, AccessStores, IssuedToken, LoginError, Secret, SetupError, SignedIn, TOKEN_PREFIX,
    TokenError,
};
pub use classify::{ClassifyPolicy, Suggestion, SuggestionSource};
pub use clock::SystemClock;
pub use service::{
    CreateTicketError, Created, GetTicketError, HistoryPage, IDEMPOTENCY_KEY_LIFETIME, TicketService, UpdateTicketError,
};
