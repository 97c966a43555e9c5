//! The support-ticket rules: what a ticket is, what makes one valid, how lists are ordered and
//! paged, how stats are derived, and the ports the outside world plugs into.
//!
//! This crate does no I/O and knows no database, HTTP library or async runtime.

mod access;
mod archive;
mod choices;
mod classification;
mod history;
mod listing;
mod ports;
mod stats;
mod ticket;
mod validation;

pub use access::{
    Account, AccountChanges, AccountChangesDraft, AccountChangesRequest, AccountDraft, AccountId, AccountRequest,
    Actor, ApiToken, Creator, DisplayName, Email, LoginFailures, LoginThrottle, NewAccount, NewToken, Password,
    PasswordHash, Principal, Role, SecretDigest, Session, SessionLifetime, TokenId, TokenName, email_key,
};
pub use archive::{
    ARCHIVE_LIMITS, AccountRecord, ArchiveExtent, BatchWritten, EventRecord, TableExtent, TicketBatch, TicketRecord,
    TokenRecord, Written,
};
pub use choices::{Category, Choice, Priority, Status};
pub use classification::{Assessment, Classification, ClassifierError, Confidence};
pub use history::{
    EventKind, FieldChange, Filing, History, IDEMPOTENCY_KEY_MAX_CHARS, IdempotencyKey, KeyedCreate, KeyedOutcome,
    ReplayError, TicketEvent, TicketField, UpdateOutcome, as_created, changes_between, replay,
};
pub use listing::{
    Cursor, LONG_WORD, LONG_WORD_CHARS, Limit, ListParams, Page, PageRequest, SEARCH_MAX_CHARS, SearchTerm,
    TicketFilter, WordPiece, is_word_char, search_key, words_of,
};
pub use ports::{
    AccountRepository, AccountWriteError, Archive, Clock, LoginAttemptRepository, OfflineClassifier, PasswordHasher,
    Readiness, RepositoryError, SessionRepository, TicketClassifier, TicketRepository, TokenRepository,
};
#[cfg(feature = "mocks")]
pub use ports::{
    MockAccountRepository, MockArchive, MockClock, MockLoginAttemptRepository, MockOfflineClassifier,
    MockPasswordHasher, MockSessionRepository, MockTicketClassifier, MockTicketRepository, MockTokenRepository,
};
pub use stats::{Breakdown, StatsSnapshot, TicketStats, average_per_day};
pub use ticket::{
    Description, NewTicket, TITLE_MAX_CHARS, Ticket, TicketDraft, TicketId, TicketLimits, TicketPatch, Title,
};
pub use validation::{ValidationErrors, messages};
