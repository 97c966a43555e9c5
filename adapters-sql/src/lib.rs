//! The Diesel code that every SQL store of tickets shares. The tables are declared once in
//! [`schema`] and the queries once in [`ticket_queries!`]; both are expanded per backend.
//! What differs between backends is named where it is expanded: `postgres.rs` and `sqlite.rs`
//! each implement [`Dialect`] (how a time is stored, who stamps a new row) and give their own
//! search narrowing and id sequences; connection setup and migrations stay in the `adapters-postgres` and
//! `adapters-sqlite` crates.

mod access_queries;
mod access_repository;
mod archive_queries;
mod archive_repository;
mod batch;
pub mod deadline;
mod dialect;
mod pool;
mod queries;
mod repository;
#[doc(hidden)]
pub mod rows;
pub mod schema;
#[doc(hidden)]
pub mod search_walk;

#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

pub use access_repository::{AccessQueries, AccountUpdate};
pub use archive_repository::ArchiveQueries;
pub use dialect::{Dialect, MOST_WORDS, WordIndex};
pub use pool::{Manager, Pool, Tracked};
pub use repository::{DieselRepository, QueryError, Refusal, SchemaCheck, TicketQueries};
