//! The ticket repository on PostgreSQL: the shared Diesel queries (`adapters-sql`) over an r2d2
//! pool, with migrations from `migrations/postgres/` embedded in the binary and run at start.

use std::time::Duration;

use adapters_sql::{DieselRepository, Manager, Pool};
use diesel::PgConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

pub type PostgresRepository = DieselRepository<PgConnection>;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

/// How to reach PostgreSQL.
#[derive(Clone)]
pub struct PostgresSettings {
    /// A libpq URL, `postgres://user:password@host:port/database`.
    pub url: String,
    pub pool_size: u32,
    /// How long a request waits for a connection before the store counts as unavailable.
    pub connect_timeout: Duration,
}

impl std::fmt::Debug for PostgresSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresSettings")
            .field("url", &redact_password(&self.url))
            .field("pool_size", &self.pool_size)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

/// Why the repository could not start.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(
        "cannot connect to PostgreSQL at {url}: {source}. Check that the server is running and that DATABASE_URL is right"
    )]
    Connect { url: String, source: diesel::r2d2::PoolError },
    #[error("cannot bring the PostgreSQL schema up to date: {0}")]
    Migrate(String),
}

/// Connects, runs pending migrations, and returns a repository over a pool of connections.
pub fn connect(settings: &PostgresSettings) -> Result<PostgresRepository, SetupError> {
    let manager = Manager::<PgConnection>::new(&settings.url);
    let pool = Pool::builder()
        .test_on_check_out(false)
        .max_size(settings.pool_size)
        .min_idle(Some(1))
        .connection_timeout(settings.connect_timeout)
        .build(manager)
        .map_err(|source| SetupError::Connect { url: redact_password(&settings.url), source })?;
    let mut connection =
        pool.get().map_err(|source| SetupError::Connect { url: redact_password(&settings.url), source })?;
    connection
        .connection()
        .run_pending_migrations(MIGRATIONS)
        .map_err(|error| SetupError::Migrate(error.to_string()))?;
    drop(connection);
    Ok(DieselRepository::new(pool, format!("PostgreSQL at {}", redact_password(&settings.url))))
}

/// The URL with any password replaced by `***`, fit for logs.
pub fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((userinfo, host)) = rest.rsplit_once('@') else { return url.to_owned() };
    match userinfo.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_password;

    #[test]
    fn passwords_never_reach_a_log_line() {
        assert_eq!(redact_password("postgres://app:s3cr@t@db:5432/tickets"), "postgres://app:***@db:5432/tickets");
        assert_eq!(redact_password("postgres://app@db/tickets"), "postgres://app@db/tickets");
        assert_eq!(redact_password("postgres:///tickets?host=/run"), "postgres:///tickets?host=/run");
    }
}
