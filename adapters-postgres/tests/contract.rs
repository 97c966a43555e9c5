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
        let settings =
            PostgresSettings { url: database.url.clone(), pool_size: 2, connect_timeout: Duration::from_secs(3) };
        let repository = adapters_postgres::connect(&settings).expect("connect to the test database");
        (database, Arc::new(repository) as Arc<dyn TicketRepository>)
    })
    .await
    .expect("set up a test database")
}

test_support::repository_contract_tests!(fresh_repository);

mod upgrade {
    use diesel::Connection;
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

    use super::*;

    const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../migrations/postgres");

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
                let settings =
                    PostgresSettings { url: url.clone(), pool_size: 2, connect_timeout: Duration::from_secs(3) };
                Arc::new(adapters_postgres::connect(&settings).expect("migrate again"))
            },
        )
        .await;
    }
}
