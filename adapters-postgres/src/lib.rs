//! The ticket repository on PostgreSQL: the shared Diesel queries (`adapters-sql`) over an r2d2
//! pool, with migrations from `migrations/postgres/` embedded in the binary and run at start.

use std::time::Duration;

use adapters_sql::{DieselRepository, Manager, Pool, Tracked};
use diesel::connection::SimpleConnection;
use diesel::r2d2::CustomizeConnection;
use diesel::{Connection, PgConnection};
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
    /// Past this, PostgreSQL stops a statement (`statement_timeout`) and frees its connection.
    pub statement_timeout: Duration,
}

impl PostgresSettings {
    /// The settings for `url`, with 8 connections, 3 s to wait for one, and 5 s per statement.
    pub fn new(url: String) -> Self {
        Self { url, pool_size: 8, connect_timeout: Duration::from_secs(3), statement_timeout: Duration::from_secs(5) }
    }
}

impl std::fmt::Debug for PostgresSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresSettings")
            .field("url", &redact_password(&self.url))
            .field("pool_size", &self.pool_size)
            .field("connect_timeout", &self.connect_timeout)
            .field("statement_timeout", &self.statement_timeout)
            .finish()
    }
}

/// Why the repository could not start.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error(
        "cannot connect to PostgreSQL at {url}: {reason}. Check that the server is running and that DATABASE_URL is right"
    )]
    Connect { url: String, reason: String },
    #[error("cannot bring the PostgreSQL schema up to date: {0}")]
    Migrate(String),
}

/// Connects, runs pending migrations, and returns a repository over a pool of connections.
pub fn connect(settings: &PostgresSettings) -> Result<PostgresRepository, SetupError> {
    migrate(settings)?;
    let manager = Manager::<PgConnection>::new(&settings.url);
    let pool = Pool::builder()
        .test_on_check_out(false)
        .max_size(settings.pool_size)
        .min_idle(Some(1))
        .connection_timeout(settings.connect_timeout)
        .connection_customizer(Box::new(StatementTimeout(settings.statement_timeout)))
        .build(manager)
        .map_err(|source| SetupError::Connect { url: redact_password(&settings.url), reason: source.to_string() })?;
    Ok(DieselRepository::new(
        pool,
        format!("PostgreSQL at {}", redact_password(&settings.url)),
        settings.statement_timeout,
    )
    .checking_schema(pending_migrations))
}

fn pending_migrations(connection: &mut PgConnection) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
    Ok(connection.pending_migrations(MIGRATIONS)?.iter().map(|migration| migration.name().to_string()).collect())
}

/// Brings the schema up to date on a connection of its own: a migration may take longer than a
/// request's statement may.
fn migrate(settings: &PostgresSettings) -> Result<(), SetupError> {
    let mut connection = PgConnection::establish(&settings.url)
        .map_err(|source| SetupError::Connect { url: redact_password(&settings.url), reason: source.to_string() })?;
    connection.run_pending_migrations(MIGRATIONS).map_err(|error| SetupError::Migrate(error.to_string()))?;
    Ok(())
}

#[derive(Debug)]
struct StatementTimeout(Duration);

impl CustomizeConnection<Tracked<PgConnection>, diesel::r2d2::Error> for StatementTimeout {
    fn on_acquire(&self, tracked: &mut Tracked<PgConnection>) -> Result<(), diesel::r2d2::Error> {
        tracked
            .connection()
            .batch_execute(&format!("SET statement_timeout = {}", self.0.as_millis().max(1)))
            .map_err(diesel::r2d2::Error::QueryError)
    }
}

/// The URL with any password replaced by `***`, in its user information or in a `password=`
/// parameter, fit for logs.
pub fn redact_password(url: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, Some(query)),
        None => (url, None),
    };
    let base = match base.split_once("://").and_then(|(scheme, rest)| Some((scheme, rest.rsplit_once('@')?))) {
        Some((scheme, (userinfo, host))) => match userinfo.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
            None => base.to_owned(),
        },
        None => base.to_owned(),
    };
    match query {
        None => base,
        Some(query) => {
            let parameters: Vec<String> = query
                .split('&')
                .map(|pair| match pair.split_once('=') {
                    Some((name, _)) if name.eq_ignore_ascii_case("password") => format!("{name}=***"),
                    _ => pair.to_owned(),
                })
                .collect();
            format!("{base}?{}", parameters.join("&"))
        }
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
        assert_eq!(
            redact_password("postgres://app@db/tickets?sslmode=require&password=s3cret&x=1"),
            "postgres://app@db/tickets?sslmode=require&password=***&x=1"
        );
    }
}
