//! The repository contract (test-support's `contract` module), run against SQLite: every test
//! gets its own database file in a directory removed when the test ends.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use adapters_sqlite::SqliteSettings;
use domain::TicketRepository;

struct TempDir(PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

async fn fresh_repository() -> (TempDir, Arc<dyn TicketRepository>) {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "helpdesk-contract-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let settings = SqliteSettings {
        pool_size: 2,
        busy_timeout: Duration::from_secs(5),
        ..SqliteSettings::new(dir.join("tickets.sqlite3"))
    };
    let repository = tokio::task::spawn_blocking(move || adapters_sqlite::connect(&settings))
        .await
        .expect("open the test database")
        .expect("open the test database");
    (TempDir(dir), Arc::new(repository))
}

test_support::repository_contract_tests!(fresh_repository);

async fn fresh_store() -> (TempDir, Arc<adapters_sqlite::SqliteRepository>) {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let dir = std::env::temp_dir().join(format!(
        "helpdesk-access-contract-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let settings = SqliteSettings {
        pool_size: 4,
        busy_timeout: Duration::from_secs(5),
        ..SqliteSettings::new(dir.join("tickets.sqlite3"))
    };
    let repository = tokio::task::spawn_blocking(move || adapters_sqlite::connect(&settings))
        .await
        .expect("open the test database")
        .expect("open the test database");
    (TempDir(dir), Arc::new(repository))
}

test_support::access_contract_tests!(fresh_store);

mod upgrade {
    use diesel::migration::{MigrationConnection, MigrationSource};
    use diesel::{Connection, RunQueryDsl};
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
    use test_support::upgrade::{self, SQLITE_PREVIOUS_RELEASE};

    use super::*;

    const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/sqlite");

    fn versions() -> Vec<String> {
        let migrations =
            MigrationSource::<diesel::sqlite::Sqlite>::migrations(&MIGRATIONS).expect("the embedded migrations");
        migrations.iter().map(|migration| migration.name().version().to_string()).collect()
    }

    #[test]
    fn migrations_added_since_the_previous_release_come_after_its_own() {
        upgrade::assert_new_migrations_come_last(versions(), SQLITE_PREVIOUS_RELEASE);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_store_of_the_previous_release_upgrades_with_its_tickets() {
        let (dir, _) = fresh_repository().await;
        let path = dir.0.join("old.sqlite3");
        let repository = tokio::task::spawn_blocking(move || {
            let mut connection =
                diesel::SqliteConnection::establish(&path.to_string_lossy()).expect("create the old store");
            let migrations =
                MigrationSource::<diesel::sqlite::Sqlite>::migrations(&MIGRATIONS).expect("the embedded migrations");
            connection.setup().expect("the migrations table");
            for migration in &migrations {
                let version = migration.name().version().to_string();
                if SQLITE_PREVIOUS_RELEASE.iter().any(|released| released.replace('-', "") == version.replace('-', ""))
                {
                    connection.run_migration(migration).expect("a migration of the previous release");
                }
            }
            diesel::sql_query(upgrade::insert_old_tickets_sql()).execute(&mut connection).expect("old tickets");
            drop(connection);
            let settings = SqliteSettings { pool_size: 2, ..SqliteSettings::new(path) };
            adapters_sqlite::connect(&settings).expect("the upgrade")
        })
        .await
        .expect("set up a store of the previous release");
        upgrade::an_upgraded_store_keeps_its_tickets(&repository).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn stats_survive_the_last_migration_going_down_and_up() {
        let (dir, repository) = fresh_repository().await;
        let path = dir.0.join("tickets.sqlite3");
        test_support::contract::stats_survive_the_last_migration_going_down_and_up(
            &*repository,
            || {
                let mut connection =
                    diesel::SqliteConnection::establish(&path.to_string_lossy()).expect("open the test database");
                connection.revert_last_migration(MIGRATIONS).expect("revert the last migration");
            },
            || {
                let settings = SqliteSettings {
                    pool_size: 2,
                    busy_timeout: Duration::from_secs(5),
                    ..SqliteSettings::new(path.clone())
                };
                Arc::new(adapters_sqlite::connect(&settings).expect("migrate again"))
            },
        )
        .await;
    }
}
