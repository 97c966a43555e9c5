//! The API as a client meets it: the real server on a free port, over a fresh store per test: a
//! PostgreSQL database (from `make test`'s throwaway cluster, or TEST_DATABASE_URL), or with
//! TEST_STORAGE=sqlite a SQLite file.

mod auth;
mod authorization;
mod classify;
mod errors;
mod helpers;
mod history;
mod hostile;
mod listing;
mod properties;
#[allow(dead_code)]
#[path = "../support/server.rs"]
mod server;
mod tickets;
