use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use diesel::r2d2::R2D2Connection;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use domain::{
    Cursor, NewTicket, RepositoryError, StatsSnapshot, Ticket, TicketFilter, TicketId, TicketPatch, TicketRepository,
};

use crate::pool::Pool;
use crate::rows::CorruptRow;

/// The ticket queries, implemented once per backend connection by [`crate::ticket_queries!`].
pub trait TicketQueries: R2D2Connection + 'static {
    fn insert_ticket(&mut self, ticket: &NewTicket) -> Result<Ticket, QueryError>;
    fn find_ticket(&mut self, id: TicketId) -> Result<Option<Ticket>, QueryError>;
    fn update_ticket(&mut self, id: TicketId, patch: &TicketPatch) -> Result<Option<Ticket>, QueryError>;
    fn list_tickets(
        &mut self,
        filter: &TicketFilter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<Ticket>, QueryError>;
    fn ticket_stats(&mut self) -> Result<StatsSnapshot, QueryError>;
}

#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error(transparent)]
    Diesel(#[from] DieselError),
    #[error(transparent)]
    Corrupt(#[from] CorruptRow),
}

/// Tickets in a SQL database reached through a pool of Diesel connections of type `C`.
pub struct DieselRepository<C: R2D2Connection + 'static> {
    pool: Pool<C>,
    label: String,
    /// Held around every write when the database takes one writer at a time.
    writer: Option<Arc<Mutex<()>>>,
}

impl<C: TicketQueries> DieselRepository<C> {
    /// `label` names the store in logs; it must not contain a password.
    pub fn new(pool: Pool<C>, label: String) -> Self {
        Self { pool, label, writer: None }
    }

    /// Lets one write at a time reach the database, for a database that locks the whole file for
    /// a write (SQLite): writers then queue here, in order, instead of sleeping in the database's
    /// busy handler and retrying.
    pub fn one_writer_at_a_time(mut self) -> Self {
        self.writer = Some(Arc::default());
        self
    }

    /// Where the tickets are, for the log line at start.
    pub fn describe(&self) -> &str {
        &self.label
    }

    /// Runs `work` with a pooled connection on a blocking thread, never on the async executor.
    async fn run<T, F>(&self, work: F) -> Result<T, RepositoryError>
    where
        T: Send + 'static,
        F: FnOnce(&mut C) -> Result<T, QueryError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut pooled = pool.get().map_err(|error| RepositoryError::Unavailable(Box::new(error)))?;
            work(pooled.connection()).map_err(|error| {
                let error = repository_error(error);
                if matches!(error, RepositoryError::Unavailable(_)) {
                    pooled.mark_lost();
                }
                error
            })
        })
        .await
        .map_err(|error| RepositoryError::Unexpected(Box::new(error)))?
    }

    async fn write<T, F>(&self, work: F) -> Result<T, RepositoryError>
    where
        T: Send + 'static,
        F: FnOnce(&mut C) -> Result<T, QueryError> + Send + 'static,
    {
        let writer = self.writer.clone();
        self.run(move |conn| {
            let _turn = writer.as_ref().map(|writer| writer.lock().unwrap_or_else(|poisoned| poisoned.into_inner()));
            work(conn)
        })
        .await
    }
}

#[async_trait]
impl<C: TicketQueries> TicketRepository for DieselRepository<C> {
    async fn create(&self, ticket: NewTicket) -> Result<Ticket, RepositoryError> {
        self.write(move |conn| conn.insert_ticket(&ticket)).await
    }

    async fn get(&self, id: TicketId) -> Result<Option<Ticket>, RepositoryError> {
        self.run(move |conn| conn.find_ticket(id)).await
    }

    async fn update(&self, id: TicketId, patch: TicketPatch) -> Result<Option<Ticket>, RepositoryError> {
        self.run(move |conn| if patch.is_empty() { conn.find_ticket(id) } else { conn.update_ticket(id, &patch) }).await
    }

    async fn list(
        &self,
        filter: TicketFilter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<Ticket>, RepositoryError> {
        self.run(move |conn| conn.list_tickets(&filter, after, limit)).await
    }

    async fn stats(&self) -> Result<StatsSnapshot, RepositoryError> {
        self.run(|conn| conn.ticket_stats()).await
    }

    async fn check_ready(&self) -> Result<(), RepositoryError> {
        self.run(|conn| Ok(conn.ping()?)).await
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

/// Lost connections and a busy or shut-down server mean the store is unavailable; anything else
/// is unexpected.
fn repository_error(error: QueryError) -> RepositoryError {
    let unavailable = match &error {
        QueryError::Diesel(DieselError::DatabaseError(kind, info)) => match kind {
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand => true,
            // PostgreSQL's 57P01 admin_shutdown and SQLite's SQLITE_BUSY arrive as unknown errors.
            _ => {
                let message = info.message();
                UNAVAILABLE_SIGNS.iter().any(|sign| message.contains(sign))
            }
        },
        _ => false,
    };
    if unavailable {
        RepositoryError::Unavailable(Box::new(error))
    } else {
        RepositoryError::Unexpected(Box::new(error))
    }
}
