//! The API as a client meets it: the real server on a free port, over a fresh store per test: a
//! PostgreSQL database (from `make test`'s throwaway cluster, or TEST_DATABASE_URL), or with
//! TEST_STORAGE=sqlite a SQLite file. With TEST_INSTANCES=2, two server processes share the store
//! behind a balancer that sends each request to the other one.

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
#[path = "../support/round_robin.rs"]
mod round_robin;
#[allow(dead_code)]
#[path = "../support/server.rs"]
mod server;
mod tickets;
