//! The Diesel code that every SQL store of tickets shares. The queries are written once, in
//! [`ticket_queries!`], and expanded for each backend over that backend's own schema; what differs
//! between backends (how a timestamp is stored, connection setup, migrations) stays in
//! `postgres.rs`, `sqlite.rs` and the `adapters-postgres` / `adapters-sqlite` crates.

mod batch;
mod pool;
mod queries;
mod repository;
#[doc(hidden)]
pub mod rows;

#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "sqlite")]
pub mod sqlite;

pub use pool::{Manager, Pool, Tracked};
pub use repository::{DieselRepository, QueryError, TicketQueries};
