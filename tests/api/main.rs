//! The API as a client meets it: the real server on a free port, over a fresh PostgreSQL
//! database per test (from `make test`'s throwaway cluster, or TEST_DATABASE_URL).

mod classify;
mod errors;
mod helpers;
mod listing;
mod properties;
mod tickets;
