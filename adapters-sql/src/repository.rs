//! The repository over a pool of Diesel connections, and the one path every query takes to a
//! connection. A request's time to wait is one deadline, `T` = the pool's connection timeout
//! (`DATABASE_TIMEOUT_SECS`), shared by the steps it may wait in:
//!
//! ```text
//!  read or PATCH (async task)                      create (async task)
//!   │                                               │
//!   ├─ 1. a turn: FIFO semaphore, one permit         ├─ queued on the CreateQueue (batch.rs);
//!   │     per request connection (pool size minus    │  waits for its batch's answer
//!   │     the create writers); waits ≤ T             ▼
//!   │                                               writer thread (2 on PostgreSQL, 1 on SQLite):
//!   ├─ 2. spawn_blocking: off the executor           takes up to 64 queued creates at once
//!   │                                                │
//!   └──────────────┬─────────────────────────────────┘
//!                  ▼
//!       3. pool.get_timeout(what is left of T; a writer thread gets all of T)
//!       4. SQLite only, writes only: the in-process writer lock, held for one statement or
//!          transaction, so writers queue here in order instead of in SQLite's busy handler
//!       5. the query (on SQLite a writer of another process is waited for up to T: busy_timeout)
//! ```
//!
//! Steps 1 and 3 failing in time answer `Unavailable` (503): "no connection came free". The
//! turn exists because r2d2 lets a newcomer take a just-returned connection ahead of the threads
//! already waiting, so under load some requests would wait many times longer than the rest.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::r2d2::R2D2Connection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use domain::{
    Actor, Cursor, Filing, History, KeyedCreate, KeyedOutcome, Readiness, RepositoryError, StatsSnapshot, Ticket,
    TicketFilter, TicketId, TicketPatch, TicketRepository, UpdateOutcome,
};

use tokio::sync::Semaphore;

use crate::batch::CreateQueue;
use crate::pool::Pool;
use crate::rows::CorruptRow;

/// The ticket queries, implemented once per backend connection by [`crate::ticket_queries!`].
pub trait TicketQueries: R2D2Connection + 'static {
    /// Inserts the tickets in one statement and returns them in the same order.
    fn insert_tickets(&mut self, filings: &[Filing]) -> Result<Vec<Ticket>, QueryError>;
    /// Inserts the ticket and claims the key in one transaction, or finds the key's earlier use;
    /// [`Refusal::KeyTaken`] when another request claimed it meanwhile (ask again).
    fn insert_ticket_once(&mut self, filing: &Filing, key: &KeyedCreate) -> Result<KeyedOutcome, QueryError>;
    fn find_ticket(&mut self, id: TicketId) -> Result<Option<Ticket>, QueryError>;
    /// Reads the ticket, checks its version, writes the changed fields with the next version and
    /// one event per changed field, in one transaction; reads again if the ticket changed meanwhile.
    fn update_ticket(
        &mut self,
        id: TicketId,
        patch: &TicketPatch,
        expected_version: Option<u64>,
        actor: &Actor,
    ) -> Result<UpdateOutcome, QueryError>;
    fn ticket_history(&mut self, id: TicketId, after: i64, limit: usize) -> Result<Option<History>, QueryError>;
    fn forget_idempotency_keys(&mut self, before: DateTime<Utc>) -> Result<u64, QueryError>;
    fn list_tickets(
        &mut self,
        filter: &TicketFilter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<Ticket>, QueryError>;
    fn ticket_stats(&mut self) -> Result<StatsSnapshot, QueryError>;
}

/// Every connection that requests may use stayed in use for the whole connection timeout.
#[derive(Debug, thiserror::Error)]
#[error("no database connection came free within {timeout:?}")]
struct Busy {
    timeout: Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Diesel(#[from] DieselError),
    #[error(transparent)]
    Corrupt(#[from] CorruptRow),
    /// A write the data's own rules refuse; its transaction is rolled back.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The migrations applied could not be read.
    #[error("cannot read the applied migrations: {0}")]
    Schema(Box<dyn std::error::Error + Send + Sync>),
    /// The work ran past its deadline ([`crate::deadline`]) and stopped between its statements.
    #[error("the time limit of its statements passed")]
    PastDeadline,
}

/// Why a write was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// It would leave no enabled admin.
    LastAdmin,
    /// Another request claimed the idempotency key first.
    KeyTaken,
}

/// Tickets in a SQL database reached through a pool of Diesel connections of type `C`.
pub struct DieselRepository<C: R2D2Connection + 'static> {
    store: Arc<Store<C>>,
    /// One permit per pooled connection that requests may use, handed out in arrival order.
    turns: Arc<Semaphore>,
    creates: CreateQueue,
    label: String,
    pending_migrations: Option<SchemaCheck<C>>,
}

/// Names the migrations the release has and the database has not applied.
pub type SchemaCheck<C> = fn(&mut C) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>>;

/// The pool, the lock every write holds when the database takes one writer at a time, and the
/// time limit of a unit of work's statements where the database enforces none itself.
struct Store<C: R2D2Connection + 'static> {
    pool: Pool<C>,
    writer: Option<Mutex<()>>,
    statement_limit: Option<Duration>,
}

/// Threads writing batches of creates to a database that takes concurrent writers: while one
/// waits for its commit, the other can write the next batch.
const CONCURRENT_CREATE_WRITERS: u32 = 2;

impl<C: TicketQueries> DieselRepository<C> {
    /// A repository on a database that takes concurrent writers (PostgreSQL). `label` names the
    /// store in logs; it must not contain a password. A search that reads in several statements
    /// stops after `statement_limit` in all ([`crate::deadline`]).
    pub fn new(pool: Pool<C>, label: String, statement_limit: Duration) -> Self {
        Self::build(
            Store { pool, writer: None, statement_limit: Some(statement_limit) },
            label,
            CONCURRENT_CREATE_WRITERS,
        )
    }

    /// A repository on a database that locks the whole file for a write (SQLite): writes queue
    /// here, in order, instead of sleeping in the database's busy handler and retrying. Its
    /// costly statements check `statement_limit` themselves ([`crate::deadline`]).
    pub fn with_one_writer(pool: Pool<C>, label: String, statement_limit: Duration) -> Self {
        Self::build(Store { pool, writer: Some(Mutex::new(())), statement_limit: Some(statement_limit) }, label, 1)
    }

    fn build(store: Store<C>, label: String, create_writers: u32) -> Self {
        let store = Arc::new(store);
        let request_connections = store.pool.max_size().saturating_sub(create_writers).max(1);
        let inserting = Arc::clone(&store);
        let creates = CreateQueue::start(
            create_writers,
            Arc::new(move |filings: &[Filing]| {
                let timeout = inserting.pool.connection_timeout();
                inserting.with_connection("create_batch", Instant::now(), timeout, Access::Write, |conn| {
                    conn.insert_tickets(filings)
                })
            }),
        );
        Self {
            store,
            turns: Arc::new(Semaphore::new(request_connections as usize)),
            creates,
            label,
            pending_migrations: None,
        }
    }

    /// Makes readiness also check that the schema is this release's.
    pub fn checking_schema(mut self, pending_migrations: SchemaCheck<C>) -> Self {
        self.pending_migrations = Some(pending_migrations);
        self
    }

    /// Sets the pool's gauges from its state now: called when the metrics are read, so that a
    /// query pays nothing for them.
    pub fn pool_gauges(&self) -> impl Fn() + Send + Sync + 'static {
        let store = Arc::clone(&self.store);
        move || {
            let state = store.pool.state();
            metrics::gauge!("db_pool_connections").set(state.connections);
            metrics::gauge!("db_pool_idle_connections").set(state.idle_connections);
        }
    }

    /// Where the tickets are, for the log line at start.
    pub fn describe(&self) -> &str {
        &self.label
    }

    /// Runs `work` with a pooled connection on a blocking thread, never on the async executor,
    /// once its turn comes; waiting for the turn and then the connection takes at most the pool's
    /// connection timeout. `operation` names the work in the metrics.
    pub(crate) async fn run<T, F>(&self, operation: &'static str, access: Access, work: F) -> Result<T, RepositoryError>
    where
        T: Send + 'static,
        F: FnOnce(&mut C) -> Result<T, QueryError> + Send + 'static,
    {
        let asked = Instant::now();
        let timeout = self.store.pool.connection_timeout();
        let deadline = asked + timeout;
        let turn = match tokio::time::timeout(timeout, Arc::clone(&self.turns).acquire_owned()).await {
            Ok(turn) => turn.map_err(|error| RepositoryError::Unexpected(Box::new(error)))?,
            Err(_) => {
                metrics::counter!("db_pool_timeouts_total").increment(1);
                return Err(RepositoryError::Unavailable(Box::new(Busy { timeout })));
            }
        };
        let store = Arc::clone(&self.store);
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            store.with_connection(operation, asked, deadline.saturating_duration_since(Instant::now()), access, work)
        })
        .await
        .map_err(|error| RepositoryError::Unexpected(Box::new(error)))?
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
}

impl<C: TicketQueries> Store<C> {
    /// Runs `work` on a pooled connection that comes within `timeout`, holding the writer lock
    /// for a write when writes take turns. The wait since `asked` and the work's own time are
    /// measured under `operation`.
    fn with_connection<T>(
        &self,
        operation: &'static str,
        asked: Instant,
        timeout: Duration,
        access: Access,
        work: impl FnOnce(&mut C) -> Result<T, QueryError>,
    ) -> Result<T, RepositoryError> {
        let mut pooled = self.pool.get_timeout(timeout).map_err(|error| {
            metrics::counter!("db_pool_timeouts_total").increment(1);
            RepositoryError::Unavailable(Box::new(error))
        })?;
        let _turn = match (&self.writer, access) {
            (Some(writer), Access::Write) => Some(writer.lock().unwrap_or_else(PoisonError::into_inner)),
            _ => None,
        };
        let started = Instant::now();
        metrics::histogram!("db_pool_wait_seconds").record(started.duration_since(asked).as_secs_f64());
        let result = crate::deadline::within(self.statement_limit, || work(pooled.connection()));
        metrics::histogram!("db_statement_duration_seconds", "operation" => operation)
            .record(started.elapsed().as_secs_f64());
        result.map_err(|error| {
            let error = repository_error(error);
            if matches!(error, RepositoryError::Unavailable(_)) {
                pooled.mark_lost();
            }
            error
        })
    }
}

#[async_trait]
impl<C: TicketQueries> TicketRepository for DieselRepository<C> {
    async fn create(&self, filing: Filing) -> Result<Ticket, RepositoryError> {
        self.creates.create(filing).await
    }

    async fn create_once(&self, filing: Filing, key: KeyedCreate) -> Result<KeyedOutcome, RepositoryError> {
        self.run("create_once", Access::Write, move |conn| {
            loop {
                match conn.insert_ticket_once(&filing, &key) {
                    Err(QueryError::Refused(Refusal::KeyTaken)) => continue,
                    outcome => return outcome,
                }
            }
        })
        .await
    }

    async fn get(&self, id: TicketId) -> Result<Option<Ticket>, RepositoryError> {
        self.run("get", Access::Read, move |conn| conn.find_ticket(id)).await
    }

    async fn update(
        &self,
        id: TicketId,
        patch: TicketPatch,
        expected_version: Option<u64>,
        actor: Actor,
    ) -> Result<UpdateOutcome, RepositoryError> {
        self.run("update", Access::Write, move |conn| conn.update_ticket(id, &patch, expected_version, &actor)).await
    }

    async fn history(&self, id: TicketId, after: i64, limit: usize) -> Result<Option<History>, RepositoryError> {
        self.run("history", Access::Read, move |conn| conn.ticket_history(id, after, limit)).await
    }

    async fn forget_idempotency_keys(&self, before: DateTime<Utc>) -> Result<u64, RepositoryError> {
        self.run("forget_idempotency_keys", Access::Write, move |conn| conn.forget_idempotency_keys(before)).await
    }

    async fn list(
        &self,
        filter: TicketFilter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<Ticket>, RepositoryError> {
        self.run("list", Access::Read, move |conn| conn.list_tickets(&filter, after, limit)).await
    }

    async fn stats(&self) -> Result<StatsSnapshot, RepositoryError> {
        self.run("stats", Access::Read, |conn| conn.ticket_stats()).await
    }

    async fn check_ready(&self) -> Result<Readiness, RepositoryError> {
        let pending_migrations = self.pending_migrations;
        self.run("check_ready", Access::Read, move |conn| {
            conn.ping()?;
            let pending = match pending_migrations {
                Some(check) => check(conn).map_err(QueryError::Schema)?,
                None => Vec::new(),
            };
            Ok(if pending.is_empty() { Readiness::Ready } else { Readiness::SchemaBehind { pending } })
        })
        .await
    }
}

const UNAVAILABLE_SIGNS: [&str; 6] = [
    "terminating connection",
    "server closed the connection",
    "shutting down",
    "connection to server",
    "database is locked",
    "disk I/O error",
];

/// What a statement stopped by PostgreSQL's statement_timeout (57014) says.
const TIME_LIMIT_SIGN: &str = "canceling statement due to statement timeout";

/// Work past its time limit timed out; lost connections and a busy or shut-down server
/// mean the store is unavailable; anything else is unexpected.
pub(crate) fn repository_error(error: QueryError) -> RepositoryError {
    let message = match &error {
        QueryError::Diesel(DieselError::DatabaseError(kind, info)) => match kind {
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand => {
                return RepositoryError::Unavailable(Box::new(error));
            }
            // PostgreSQL's 57P01 admin_shutdown and SQLite's SQLITE_BUSY arrive as unknown errors.
            _ => info.message().to_owned(),
        },
        QueryError::PastDeadline => return RepositoryError::TimedOut(Box::new(error)),
        _ => return RepositoryError::Unexpected(Box::new(error)),
    };
    if message.contains(TIME_LIMIT_SIGN) {
        RepositoryError::TimedOut(Box::new(error))
    } else if UNAVAILABLE_SIGNS.iter().any(|sign| message.contains(sign)) {
        RepositoryError::Unavailable(Box::new(error))
    } else {
        RepositoryError::Unexpected(Box::new(error))
    }
}
