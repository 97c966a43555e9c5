//! A fresh, empty PostgreSQL database for each test, on the server named by `TEST_DATABASE_URL`
//! (`make test` starts a throwaway cluster and sets it). Dropped when the test ends.
//!
//! Also the repository contract every storage adapter runs: see [`contract`] and
//! [`repository_contract_tests!`].

pub mod access_contract;
pub mod builders;
pub mod contract;
mod fake_openai;
pub mod upgrade;

pub use builders::TicketBuilder;
pub use fake_openai::FakeOpenAi;

use std::sync::atomic::{AtomicU32, Ordering};

use diesel::prelude::*;

pub struct TestDatabase {
    /// The server and database to drop at the end, when this value created it.
    owned: Option<(String, String)>,
    pub url: String,
}

impl TestDatabase {
    pub fn new() -> Self {
        let admin_url = std::env::var("TEST_DATABASE_URL").unwrap_or_else(|_| {
            panic!(
                "TEST_DATABASE_URL is not set. Run the tests with `make test`, which starts a throwaway \
                 PostgreSQL, or point TEST_DATABASE_URL at a server where this user may create databases"
            )
        });
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let name = format!("test_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let mut admin = connect(&admin_url);
        diesel::sql_query(format!("CREATE DATABASE {name}")).execute(&mut admin).expect("create a test database");
        let url = with_database(&admin_url, &name);
        Self { owned: Some((admin_url, name)), url }
    }

    /// A database that someone else created and cleans up.
    pub fn existing(url: String) -> Self {
        Self { owned: None, url }
    }

    /// A direct connection, for checking what the application stored.
    pub fn connect(&self) -> PgConnection {
        connect(&self.url)
    }
}

impl Default for TestDatabase {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin_url, name)) = &self.owned else { return };
        if let Ok(mut admin) = PgConnection::establish(admin_url) {
            let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).execute(&mut admin);
        }
    }
}

fn connect(url: &str) -> PgConnection {
    PgConnection::establish(url).unwrap_or_else(|error| panic!("cannot connect to the test PostgreSQL: {error}"))
}

/// `url` with its database name replaced by `name`; query parameters are kept.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[scheme_end..].find('/').map_or(base.len(), |i| scheme_end + i);
    let mut result = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        result.push('?');
        result.push_str(query);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_swapped_and_the_rest_kept() {
        assert_eq!(with_database("postgres://u@h:5/postgres", "t1"), "postgres://u@h:5/t1");
        assert_eq!(with_database("postgres://u@h:5", "t1"), "postgres://u@h:5/t1");
        assert_eq!(
            with_database("postgresql:///postgres?host=/tmp/pg&port=5", "t1"),
            "postgresql:///t1?host=/tmp/pg&port=5"
        );
    }
}
