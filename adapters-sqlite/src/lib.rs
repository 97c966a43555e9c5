//! The ticket repository on an embedded SQLite file: the shared Diesel queries (`adapters-sql`)
//! over an r2d2 pool, with migrations from `migrations/sqlite/` embedded and run at start.
//!
//! Every connection uses WAL journaling, so readers never wait for the writer, and a busy timeout,
//! so concurrent writers queue instead of failing with "database is locked". With WAL, a commit
//! is in the file before the call returns: an acknowledged write survives the process being
//! killed (`synchronous = NORMAL`; losing power can take the last commits, `FULL` would not).
//! Connections read the file through a shared memory map (up to SQLite's 2 GiB maximum) rather
//! than copying each page into their own cache: at a million tickets that doubles search
//! throughput. The mapped pages are the kernel's page cache, shared and reclaimable.

use std::path::{Path, PathBuf};
use std::time::Duration;

use adapters_sql::{DieselRepository, Manager, Pool, Tracked};
use diesel::connection::SimpleConnection;
use diesel::r2d2::CustomizeConnection;
use diesel::{Connection, RunQueryDsl, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

/// The SQL functions a connection to the store needs before it writes tickets (the word index's
/// triggers call them); every connection the repository opens has them.
pub use adapters_sql::sqlite::register_functions;

pub type SqliteRepository = DieselRepository<SqliteConnection>;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

/// Where the SQLite file is and how many connections read it.
#[derive(Clone, Debug)]
pub struct SqliteSettings {
    pub path: PathBuf,
    pub pool_size: u32,
    /// How long a request waits for a connection, or for another writer, before failing.
    pub busy_timeout: Duration,
    /// Past this, a search stops and frees its connection (SQLite has no statement timeout of
    /// its own: the costly statements check it row by row).
    pub statement_timeout: Duration,
}

impl SqliteSettings {
    /// The settings for the file at `path`, with 8 connections, 3 s to wait, and 5 s per statement.
    pub fn new(path: PathBuf) -> Self {
        Self { path, pool_size: 8, busy_timeout: Duration::from_secs(3), statement_timeout: Duration::from_secs(5) }
    }
}

/// Why the repository could not start.
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    #[error("cannot create the directory {dir} for the SQLite database: {source}")]
    CreateDir { dir: PathBuf, source: std::io::Error },
    #[error("cannot open the SQLite database {path}: {source}. Check the path in DATABASE_URL and its permissions")]
    Open { path: PathBuf, source: Box<dyn std::error::Error + Send + Sync> },
    #[error("cannot bring the SQLite schema up to date: {0}")]
    Migrate(String),
}

/// Opens (creating if needed) the database file, runs pending migrations, and returns a
/// repository over a pool of connections.
pub fn connect(settings: &SqliteSettings) -> Result<SqliteRepository, SetupError> {
    if let Some(dir) = settings.path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| SetupError::CreateDir { dir: dir.to_owned(), source })?;
    }
    prepare_file(settings)?;
    let manager = Manager::<SqliteConnection>::new(settings.path.to_string_lossy());
    let pool = Pool::builder()
        .test_on_check_out(false)
        .max_size(settings.pool_size)
        .connection_timeout(settings.busy_timeout)
        .connection_customizer(Box::new(Pragmas { busy_timeout: settings.busy_timeout }))
        .build(manager)
        .map_err(|source| SetupError::Open { path: settings.path.clone(), source: Box::new(source) })?;
    Ok(DieselRepository::with_one_writer(
        pool,
        format!("SQLite at {}", display(&settings.path)),
        settings.statement_timeout,
    )
    .checking_schema(pending_migrations))
}

fn pending_migrations(
    connection: &mut SqliteConnection,
) -> Result<Vec<String>, Box<dyn std::error::Error + Send + Sync>> {
    Ok(connection.pending_migrations(MIGRATIONS)?.iter().map(|migration| migration.name().to_string()).collect())
}

/// Turns on WAL journaling, which the file keeps, and brings the schema up to date, on one
/// connection before the pool opens the others: they would otherwise race the migrations for
/// the file's lock.
fn prepare_file(settings: &SqliteSettings) -> Result<(), SetupError> {
    let mut connection = SqliteConnection::establish(&settings.path.to_string_lossy())
        .map_err(|source| SetupError::Open { path: settings.path.clone(), source: Box::new(source) })?;
    connection
        .batch_execute(&format!(
            "PRAGMA busy_timeout = {}; PRAGMA journal_mode = WAL;",
            settings.busy_timeout.as_millis()
        ))
        .map_err(|error| SetupError::Migrate(error.to_string()))?;
    adapters_sql::sqlite::register_functions(&mut connection)
        .map_err(|error| SetupError::Migrate(error.to_string()))?;
    connection.run_pending_migrations(MIGRATIONS).map_err(|error| SetupError::Migrate(error.to_string()))?;
    Ok(())
}

/// Why a backup failed.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("there is no SQLite store at {0}")]
    Missing(PathBuf),
    #[error("the backup's path must be UTF-8: {0}")]
    Path(PathBuf),
    #[error("cannot back up the SQLite store {path}: {reason}")]
    Sqlite { path: PathBuf, reason: String },
}

/// What a backup holds.
#[derive(Clone, Copy, Debug)]
pub struct Backup {
    pub tickets: u64,
    pub bytes: u64,
}

/// Writes a consistent copy of the store to `to`, a new file, while servers may go on writing:
/// `VACUUM INTO` reads one snapshot of the store, as any reader does in WAL mode, and writes it
/// compacted. The copy is then checked (`quick_check`) and its tickets counted.
pub fn backup(settings: &SqliteSettings, to: &Path) -> Result<Backup, BackupError> {
    let failed = |path: &Path| {
        let path = path.to_owned();
        move |error: diesel::result::Error| BackupError::Sqlite { path, reason: error.to_string() }
    };
    if !settings.path.is_file() {
        return Err(BackupError::Missing(settings.path.clone()));
    }
    let target = to.to_str().ok_or_else(|| BackupError::Path(to.to_owned()))?;
    let mut store = SqliteConnection::establish(&settings.path.to_string_lossy())
        .map_err(|source| BackupError::Sqlite { path: settings.path.clone(), reason: source.to_string() })?;
    store
        .batch_execute(&format!("PRAGMA busy_timeout = {};", settings.busy_timeout.as_millis()))
        .map_err(failed(&settings.path))?;
    diesel::sql_query("VACUUM INTO ?")
        .bind::<diesel::sql_types::Text, _>(target)
        .execute(&mut store)
        .map_err(failed(&settings.path))?;
    let mut copy = SqliteConnection::establish(target)
        .map_err(|source| BackupError::Sqlite { path: to.to_owned(), reason: source.to_string() })?;
    let check: Check = diesel::sql_query("PRAGMA quick_check").get_result(&mut copy).map_err(failed(to))?;
    if check.quick_check != "ok" {
        return Err(BackupError::Sqlite {
            path: to.to_owned(),
            reason: format!("the copy is damaged: {}", check.quick_check),
        });
    }
    let counted: Counted =
        diesel::sql_query("SELECT count(*) AS tickets FROM tickets").get_result(&mut copy).map_err(failed(to))?;
    let bytes = std::fs::metadata(to).map(|metadata| metadata.len()).unwrap_or(0);
    Ok(Backup { tickets: u64::try_from(counted.tickets).unwrap_or(0), bytes })
}

#[derive(diesel::QueryableByName)]
struct Check {
    #[diesel(sql_type = diesel::sql_types::Text)]
    quick_check: String,
}

#[derive(diesel::QueryableByName)]
struct Counted {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    tickets: i64,
}

fn display(path: &Path) -> String {
    std::path::absolute(path).unwrap_or_else(|_| path.to_owned()).display().to_string()
}

#[derive(Debug)]
struct Pragmas {
    busy_timeout: Duration,
}

impl CustomizeConnection<Tracked<SqliteConnection>, diesel::r2d2::Error> for Pragmas {
    fn on_acquire(&self, tracked: &mut Tracked<SqliteConnection>) -> Result<(), diesel::r2d2::Error> {
        let connection = tracked.connection();
        connection
            .batch_execute(&format!(
                "PRAGMA busy_timeout = {}; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = 2147418112; \
                 PRAGMA foreign_keys = ON;",
                self.busy_timeout.as_millis()
            ))
            .map_err(diesel::r2d2::Error::QueryError)?;
        adapters_sql::sqlite::register_functions(connection).map_err(diesel::r2d2::Error::QueryError)
    }
}
