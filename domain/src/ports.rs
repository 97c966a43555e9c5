//! The ports: what the application needs from the outside world. Adapters implement them.

use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::access::{
    Account, AccountChanges, AccountId, Actor, ApiToken, LoginFailures, NewAccount, NewToken, Password, PasswordHash,
    SecretDigest, Session, TokenId,
};
use crate::archive::{AccountRecord, ArchiveExtent, BatchWritten, TicketBatch, TokenRecord, Written};
use crate::classification::{Assessment, Classification, ClassifierError};
use crate::history::{Filing, History, KeyedCreate, KeyedOutcome, UpdateOutcome};
use crate::listing::{Cursor, TicketFilter};
use crate::stats::StatsSnapshot;
use crate::ticket::{Ticket, TicketId, TicketPatch};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// Why the ticket store could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum RepositoryError {
    /// The store cannot be reached now; the same request may succeed later.
    #[error("the ticket store is unavailable")]
    Unavailable(#[source] BoxError),
    /// The store stopped a statement that ran past its time limit; the connection is fine.
    #[error("the ticket store stopped a statement that ran past its time limit")]
    TimedOut(#[source] BoxError),
    /// Anything else: a bug or a broken store.
    #[error("the ticket store failed")]
    Unexpected(#[source] BoxError),
}

/// Where tickets live.
///
/// Contract, for every adapter: ids are assigned in increasing order and never reused;
/// `created_at` is assigned by the store at creation, in UTC with microsecond precision; a new
/// ticket is at version 1 and each change raises the version by one; a change and its history
/// events are written together or not at all; a ticket is readable by every later call once
/// `create` or `update` has returned.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait TicketRepository: Send + Sync {
    async fn create(&self, filing: Filing) -> Result<Ticket, RepositoryError>;

    /// Creates the ticket unless `key` was used already (and not forgotten): then the first use's
    /// ticket, or `KeyReused` when it was used for a different request. However many run at once
    /// with one key, one ticket is created.
    async fn create_once(&self, filing: Filing, key: KeyedCreate) -> Result<KeyedOutcome, RepositoryError>;

    async fn get(&self, id: TicketId) -> Result<Option<Ticket>, RepositoryError>;

    /// Applies `patch` as `actor` if the ticket is at `expected_version` (any version when
    /// `None`), raising its version and recording one event per field that changes. Of two
    /// changes made against the same version, one is `Stale`.
    async fn update(
        &self,
        id: TicketId,
        patch: TicketPatch,
        expected_version: Option<u64>,
        actor: Actor,
    ) -> Result<UpdateOutcome, RepositoryError>;

    /// The ticket, its creator and up to `limit` of its changes after event `after` (0: from the
    /// first), oldest first; `None` if there is no such ticket.
    async fn history(&self, id: TicketId, after: i64, limit: usize) -> Result<Option<History>, RepositoryError>;

    /// Forgets the idempotency keys first used before `before`.
    async fn forget_idempotency_keys(&self, before: DateTime<Utc>) -> Result<u64, RepositoryError>;

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

    /// Whether the store answers and its schema is the one this release expects.
    async fn check_ready(&self) -> Result<Readiness, RepositoryError>;
}

/// What a store that answers says of its schema.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    /// Migrations this release has and the store has not applied, by name.
    SchemaBehind {
        pending: Vec<String>,
    },
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

/// Why an account could not be written.
#[derive(Debug, thiserror::Error)]
pub enum AccountWriteError {
    #[error("an account with this email already exists")]
    EmailTaken,
    #[error("the change would leave no active admin")]
    LastAdmin,
    #[error(transparent)]
    Store(#[from] RepositoryError),
}

/// Where accounts live. Contract: e-mail keys are unique; `update_account` and
/// `create_first_account` are atomic (two at once cannot both pass their check).
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait AccountRepository: Send + Sync {
    async fn create_account(&self, account: NewAccount) -> Result<Account, AccountWriteError>;

    /// Stores `account` only while no account exists; `None` if one already does.
    async fn create_first_account(&self, account: NewAccount) -> Result<Option<Account>, AccountWriteError>;

    async fn count_accounts(&self) -> Result<u64, RepositoryError>;

    async fn find_account(&self, id: AccountId) -> Result<Option<Account>, RepositoryError>;

    /// The account whose e-mail key is `email_key`, with its password hash, to check a sign-in.
    async fn find_login(&self, email_key: &str) -> Result<Option<(Account, PasswordHash)>, RepositoryError>;

    /// Every account, oldest first.
    async fn list_accounts(&self) -> Result<Vec<Account>, RepositoryError>;

    /// Applies `changes`, refusing any that would leave no enabled admin, and ends the account's
    /// sessions in the same transaction when `changes.ends_sessions()`. `None`: no such account.
    async fn update_account(
        &self,
        id: AccountId,
        changes: AccountChanges,
    ) -> Result<Option<Account>, AccountWriteError>;
}

/// Where browser sessions live, by the digest of their secret id.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait SessionRepository: Send + Sync {
    async fn create_session(
        &self,
        digest: SecretDigest,
        account: AccountId,
        now: DateTime<Utc>,
    ) -> Result<(), RepositoryError>;

    /// The session with its account as it is now, expired or not: the caller judges.
    async fn find_session(&self, digest: SecretDigest) -> Result<Option<Session>, RepositoryError>;

    async fn touch_session(&self, digest: SecretDigest, now: DateTime<Utc>) -> Result<(), RepositoryError>;

    async fn delete_session(&self, digest: SecretDigest) -> Result<(), RepositoryError>;

    /// Deletes every session last seen before `idle_since` or created before `created_before`.
    async fn delete_expired_sessions(
        &self,
        idle_since: DateTime<Utc>,
        created_before: DateTime<Utc>,
    ) -> Result<u64, RepositoryError>;
}

/// Where API tokens live, by the digest of their secret.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait TokenRepository: Send + Sync {
    async fn create_token(&self, token: NewToken) -> Result<ApiToken, RepositoryError>;

    /// A token that was not revoked, expired or not: the caller judges.
    async fn find_token(&self, digest: SecretDigest) -> Result<Option<ApiToken>, RepositoryError>;

    /// Every token not revoked, oldest first.
    async fn list_tokens(&self) -> Result<Vec<ApiToken>, RepositoryError>;

    /// `false` when there is no such token, or it was revoked already.
    async fn revoke_token(&self, id: TokenId, now: DateTime<Utc>) -> Result<bool, RepositoryError>;

    async fn touch_token(&self, id: TokenId, now: DateTime<Utc>) -> Result<(), RepositoryError>;
}

/// Failed sign-ins, by key (an account's e-mail key, a client's address), shared by every server.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait LoginAttemptRepository: Send + Sync {
    async fn login_failures(&self, key: &str) -> Result<Option<LoginFailures>, RepositoryError>;

    /// Counts one more failure under `key` at `now`, and returns the count.
    async fn record_login_failure(&self, key: &str, now: DateTime<Utc>) -> Result<LoginFailures, RepositoryError>;

    async fn forget_login_failures(&self, key: &str) -> Result<(), RepositoryError>;

    /// Forgets every key whose last failure was before `before`.
    async fn forget_login_failures_before(&self, before: DateTime<Utc>) -> Result<u64, RepositoryError>;
}

/// Hashes and checks passwords; slow on purpose, so implementations keep it off the executor.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait PasswordHasher: Send + Sync {
    async fn hash(&self, password: &Password) -> PasswordHash;

    /// Whether `password` is the one `hash` was made from. A malformed hash matches nothing.
    async fn verify(&self, password: &Password, hash: &PasswordHash) -> bool;
}

/// A whole store read and written table by table with its ids: what `export`, `import` and
/// `copy` move. Any two stores can be moved into each other through it.
///
/// Contract, for every adapter:
/// - a read answers up to `limit` rows with ids above `after`, in increasing id order; a batch
///   of tickets carries their events that are not newer than the ticket as read (an event's
///   version is at most its ticket's), so the tickets and events of one batch agree even while
///   the store is written to;
/// - a write stores every row with its own id, in one transaction per call; a row whose id is
///   present already is skipped and left as it is, and so are the events of a skipped ticket;
///   rows the store's rules refuse (a taken e-mail, an unknown creator) fail the whole call;
/// - after a write, ids the store assigns itself are above every id written;
/// - an account without a password hash is stored so that no password signs it in.
#[cfg_attr(feature = "mocks", mockall::automock)]
#[async_trait]
pub trait Archive: Send + Sync {
    /// How many rows each table holds, and its highest id.
    async fn extent(&self) -> Result<ArchiveExtent, RepositoryError>;

    async fn read_accounts(&self, after: i64, limit: usize) -> Result<Vec<AccountRecord>, RepositoryError>;

    async fn read_tokens(&self, after: i64, limit: usize) -> Result<Vec<TokenRecord>, RepositoryError>;

    async fn read_tickets(&self, after: i64, limit: usize) -> Result<TicketBatch, RepositoryError>;

    async fn write_accounts(&self, accounts: Vec<AccountRecord>) -> Result<Written, RepositoryError>;

    async fn write_tokens(&self, tokens: Vec<TokenRecord>) -> Result<Written, RepositoryError>;

    async fn write_tickets(&self, batch: TicketBatch) -> Result<BatchWritten, RepositoryError>;
}
