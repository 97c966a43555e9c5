//! The repository contract (test-support's `contract` module), run against PostgreSQL: every
//! test gets its own fresh database, dropped when the test ends.

use std::sync::Arc;
use std::time::Duration;

use adapters_postgres::PostgresSettings;
use domain::TicketRepository;
use test_support::TestDatabase;

/// A fresh database with the schema in place, and a repository over it. The database lives as
/// long as the returned guard.
async fn fresh_repository() -> (TestDatabase, Arc<dyn TicketRepository>) {
    tokio::task::spawn_blocking(|| {
        let database = TestDatabase::new();
        let settings = PostgresSettings {
            pool_size: 2,
            connect_timeout: Duration::from_secs(3),
            ..PostgresSettings::new(database.url.clone())
        };
        let repository = adapters_postgres::connect(&settings).expect("connect to the test database");
        (database, Arc::new(repository) as Arc<dyn TicketRepository>)
    })
    .await
    .expect("set up a test database")
}

test_support::repository_contract_tests!(fresh_repository);

async fn fresh_store() -> (TestDatabase, Arc<adapters_postgres::PostgresRepository>) {
    tokio::task::spawn_blocking(|| {
        let database = TestDatabase::new();
        let settings = PostgresSettings {
            pool_size: 4,
            connect_timeout: Duration::from_secs(5),
            ..PostgresSettings::new(database.url.clone())
        };
        let repository = adapters_postgres::connect(&settings).expect("connect to the test database");
        (database, Arc::new(repository))
    })
    .await
    .expect("set up a test database")
}

test_support::access_contract_tests!(fresh_store);

mod upgrade {
    use diesel::migration::{MigrationConnection, MigrationSource};
    use diesel::{Connection, RunQueryDsl};
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
    use test_support::upgrade::{self, POSTGRES_PREVIOUS_RELEASE};

    use super::*;

    const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

    fn versions() -> Vec<String> {
        let migrations = MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS).expect("the embedded migrations");
        migrations.iter().map(|migration| migration.name().version().to_string()).collect()
    }

    #[test]
    fn migrations_added_since_the_previous_release_come_after_its_own() {
        upgrade::assert_new_migrations_come_last(versions(), POSTGRES_PREVIOUS_RELEASE);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_store_of_the_previous_release_upgrades_with_its_tickets() {
        let (database, repository) = tokio::task::spawn_blocking(|| {
            let database = TestDatabase::new();
            let mut connection = database.connect();
            let migrations =
                MigrationSource::<diesel::pg::Pg>::migrations(&MIGRATIONS).expect("the embedded migrations");
            connection.setup().expect("the migrations table");
            for migration in &migrations {
                let version = migration.name().version().to_string();
                if POSTGRES_PREVIOUS_RELEASE
                    .iter()
                    .any(|released| released.replace('-', "") == version.replace('-', ""))
                {
                    connection.run_migration(migration).expect("a migration of the previous release");
                }
            }
            diesel::sql_query(upgrade::insert_old_tickets_sql()).execute(&mut connection).expect("old tickets");
            let settings = PostgresSettings {
                pool_size: 2,
                connect_timeout: Duration::from_secs(3),
                ..PostgresSettings::new(database.url.clone())
            };
            let repository = adapters_postgres::connect(&settings).expect("the upgrade");
            (database, repository)
        })
        .await
        .expect("set up a store of the previous release");
        upgrade::an_upgraded_store_keeps_its_tickets(&repository).await;
        drop(database);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn stats_survive_the_last_migration_going_down_and_up() {
        let (database, repository) = fresh_repository().await;
        let url = database.url.clone();
        test_support::contract::stats_survive_the_last_migration_going_down_and_up(
            &*repository,
            || {
                let mut connection = diesel::PgConnection::establish(&url).expect("connect to the test database");
                connection.revert_last_migration(MIGRATIONS).expect("revert the last migration");
            },
            || {
                let settings = PostgresSettings {
                    pool_size: 2,
                    connect_timeout: Duration::from_secs(3),
                    ..PostgresSettings::new(url.clone())
                };
                Arc::new(adapters_postgres::connect(&settings).expect("migrate again"))
            },
        )
        .await;
    }
}
