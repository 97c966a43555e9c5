//! The whole store read and written in batches with its ids ([`domain::Archive`]), on the same
//! pool and the same path to a connection as the requests.

use async_trait::async_trait;
use diesel::r2d2::R2D2Connection;
use domain::{AccountRecord, Archive, ArchiveExtent, BatchWritten, RepositoryError, TicketBatch, TokenRecord, Written};

use crate::access_repository::AccessQueries;
use crate::repository::{Access, DieselRepository, QueryError, TicketQueries};

/// What an account without a password hash is stored with: no PHC string, so no password
/// matches it.
pub(crate) const NO_PASSWORD_HASH: &str = "!";

/// Most rows in one INSERT statement: under SQLite's 32,766 bound parameters at 13 columns.
pub(crate) const ROWS_PER_STATEMENT: usize = 1000;

/// The archive queries, implemented once per backend connection by [`crate::archive_queries!`].
pub trait ArchiveQueries: R2D2Connection + 'static {
    fn archive_extent(&mut self) -> Result<ArchiveExtent, QueryError>;
    fn read_accounts(&mut self, after: i64, limit: usize) -> Result<Vec<AccountRecord>, QueryError>;
    fn read_tokens(&mut self, after: i64, limit: usize) -> Result<Vec<TokenRecord>, QueryError>;
    fn read_tickets(&mut self, after: i64, limit: usize) -> Result<TicketBatch, QueryError>;
    /// Each write runs in one transaction and moves the id sequences past the ids it wrote.
    fn write_accounts(&mut self, accounts: &[AccountRecord]) -> Result<Written, QueryError>;
    fn write_tokens(&mut self, tokens: &[TokenRecord]) -> Result<Written, QueryError>;
    fn write_tickets(&mut self, batch: &TicketBatch) -> Result<BatchWritten, QueryError>;
}

#[async_trait]
impl<C: TicketQueries + AccessQueries + ArchiveQueries> Archive for DieselRepository<C> {
    async fn extent(&self) -> Result<ArchiveExtent, RepositoryError> {
        self.run("archive_extent", Access::Read, |conn| conn.archive_extent()).await
    }

    async fn read_accounts(&self, after: i64, limit: usize) -> Result<Vec<AccountRecord>, RepositoryError> {
        self.run("archive_read_accounts", Access::Read, move |conn| conn.read_accounts(after, limit)).await
    }

    async fn read_tokens(&self, after: i64, limit: usize) -> Result<Vec<TokenRecord>, RepositoryError> {
        self.run("archive_read_tokens", Access::Read, move |conn| conn.read_tokens(after, limit)).await
    }

    async fn read_tickets(&self, after: i64, limit: usize) -> Result<TicketBatch, RepositoryError> {
        self.run("archive_read_tickets", Access::Read, move |conn| conn.read_tickets(after, limit)).await
    }

    async fn write_accounts(&self, accounts: Vec<AccountRecord>) -> Result<Written, RepositoryError> {
        self.run("archive_write_accounts", Access::Write, move |conn| conn.write_accounts(&accounts)).await
    }

    async fn write_tokens(&self, tokens: Vec<TokenRecord>) -> Result<Written, RepositoryError> {
        self.run("archive_write_tokens", Access::Write, move |conn| conn.write_tokens(&tokens)).await
    }

    async fn write_tickets(&self, batch: TicketBatch) -> Result<BatchWritten, RepositoryError> {
        self.run("archive_write_tickets", Access::Write, move |conn| conn.write_tickets(&batch)).await
    }
}
