use async_trait::async_trait;
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::r2d2::{ConnectionManager, Pool, PooledConnection};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use diesel::sql_types::{BigInt, Nullable, Timestamptz};
use domain::{
    Breakdown, Category, Choice, Cursor, NewTicket, Priority, RepositoryError, StatsSnapshot, Ticket, TicketFilter,
    TicketId, TicketPatch, TicketRepository,
};

use crate::rows::{NewTicketRow, TicketChanges, TicketRow};
use crate::schema::tickets;

type PgPool = Pool<ConnectionManager<PgConnection>>;
type PgPooled = PooledConnection<ConnectionManager<PgConnection>>;

/// Tickets in PostgreSQL.
#[derive(Clone)]
pub struct PostgresRepository {
    pool: PgPool,
    label: String,
}

impl PostgresRepository {
    pub(crate) fn new(pool: PgPool, label: String) -> Self {
        Self { pool, label }
    }

    /// Where the tickets are, for the log line at start; never shows a password.
    pub fn describe(&self) -> String {
        format!("PostgreSQL at {}", self.label)
    }

    /// Runs `work` with a pooled connection on a blocking thread.
    async fn run<T, F>(&self, work: F) -> Result<T, RepositoryError>
    where
        T: Send + 'static,
        F: FnOnce(&mut PgPooled) -> Result<T, RepositoryError> + Send + 'static,
    {
        let pool = self.pool.clone();
        tokio::task::spawn_blocking(move || {
            let mut connection = pool.get().map_err(|error| RepositoryError::Unavailable(Box::new(error)))?;
            work(&mut connection)
        })
        .await
        .map_err(|error| RepositoryError::Unexpected(Box::new(error)))?
    }
}

#[async_trait]
impl TicketRepository for PostgresRepository {
    async fn create(&self, ticket: NewTicket) -> Result<Ticket, RepositoryError> {
        self.run(move |conn| {
            let row = diesel::insert_into(tickets::table)
                .values(NewTicketRow::from(&ticket))
                .returning(TicketRow::as_returning())
                .get_result(conn)
                .map_err(storage_error)?;
            to_ticket(row)
        })
        .await
    }

    async fn get(&self, id: TicketId) -> Result<Option<Ticket>, RepositoryError> {
        self.run(move |conn| find(conn, id)).await
    }

    async fn update(&self, id: TicketId, patch: TicketPatch) -> Result<Option<Ticket>, RepositoryError> {
        self.run(move |conn| {
            if patch.is_empty() {
                return find(conn, id);
            }
            diesel::update(tickets::table.find(id.get()))
                .set(TicketChanges::from(&patch))
                .returning(TicketRow::as_returning())
                .get_result(conn)
                .optional()
                .map_err(storage_error)?
                .map(to_ticket)
                .transpose()
        })
        .await
    }

    async fn list(
        &self,
        filter: TicketFilter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Vec<Ticket>, RepositoryError> {
        self.run(move |conn| {
            let mut query = tickets::table.select(TicketRow::as_select()).into_boxed();
            if let Some(category) = filter.category {
                query = query.filter(tickets::category.eq(category.as_str()));
            }
            if let Some(priority) = filter.priority {
                query = query.filter(tickets::priority.eq(priority.as_str()));
            }
            if let Some(status) = filter.status {
                query = query.filter(tickets::status.eq(status.as_str()));
            }
            if let Some(term) = &filter.search {
                let pattern = contains_pattern(term.key());
                query = query.filter(
                    tickets::search_title
                        .like(pattern.clone())
                        .escape('\\')
                        .or(tickets::search_description.like(pattern).escape('\\')),
                );
            }
            if let Some(cursor) = after {
                query = query.filter(
                    tickets::created_at
                        .le(cursor.created_at)
                        .and(tickets::created_at.lt(cursor.created_at).or(tickets::id.lt(cursor.id.get()))),
                );
            }
            let rows: Vec<TicketRow> = query
                .order((tickets::created_at.desc(), tickets::id.desc()))
                .limit(i64::try_from(limit).unwrap_or(i64::MAX))
                .load(conn)
                .map_err(storage_error)?;
            rows.into_iter().map(to_ticket).collect()
        })
        .await
    }

    async fn stats(&self) -> Result<StatsSnapshot, RepositoryError> {
        self.run(|conn| {
            let counts: StatsRow = diesel::sql_query(STATS_SQL).get_result(conn).map_err(storage_error)?;
            Ok(counts.into_snapshot())
        })
        .await
    }

    async fn check_ready(&self) -> Result<(), RepositoryError> {
        self.run(|conn| {
            diesel::sql_query("SELECT 1").execute(conn).map_err(storage_error)?;
            Ok(())
        })
        .await
    }
}

fn find(conn: &mut PgConnection, id: TicketId) -> Result<Option<Ticket>, RepositoryError> {
    tickets::table
        .find(id.get())
        .select(TicketRow::as_select())
        .first(conn)
        .optional()
        .map_err(storage_error)?
        .map(to_ticket)
        .transpose()
}

fn to_ticket(row: TicketRow) -> Result<Ticket, RepositoryError> {
    Ticket::try_from(row).map_err(|error| RepositoryError::Unexpected(Box::new(error)))
}

/// A LIKE pattern matching any text that contains `key` literally.
fn contains_pattern(key: &str) -> String {
    let mut pattern = String::with_capacity(key.len() + 2);
    pattern.push('%');
    for c in key.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Lost connections mean the store is unavailable; anything else is unexpected.
fn storage_error(error: DieselError) -> RepositoryError {
    let unavailable = match &error {
        DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand, _) => {
            true
        }
        // 57P01 admin_shutdown and its kin arrive as unknown errors with these messages.
        DieselError::DatabaseError(DatabaseErrorKind::Unknown, info) => {
            let message = info.message();
            message.contains("terminating connection")
                || message.contains("server closed the connection")
                || message.contains("shutting down")
                || message.contains("connection to server")
        }
        _ => false,
    };
    if unavailable {
        RepositoryError::Unavailable(Box::new(error))
    } else {
        RepositoryError::Unexpected(Box::new(error))
    }
}

/// Every count in one statement, so they all come from one snapshot in one round trip.
const STATS_SQL: &str = "
SELECT count(*) AS total,
       count(*) FILTER (WHERE status = 'open') AS open,
       min(created_at) AS earliest,
       count(*) FILTER (WHERE priority = 'low') AS priority_low,
       count(*) FILTER (WHERE priority = 'medium') AS priority_medium,
       count(*) FILTER (WHERE priority = 'high') AS priority_high,
       count(*) FILTER (WHERE priority = 'critical') AS priority_critical,
       count(*) FILTER (WHERE category = 'billing') AS category_billing,
       count(*) FILTER (WHERE category = 'technical') AS category_technical,
       count(*) FILTER (WHERE category = 'account') AS category_account,
       count(*) FILTER (WHERE category = 'general') AS category_general
FROM tickets";

#[derive(QueryableByName)]
struct StatsRow {
    #[diesel(sql_type = BigInt)]
    total: i64,
    #[diesel(sql_type = BigInt)]
    open: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    earliest: Option<DateTime<Utc>>,
    #[diesel(sql_type = BigInt)]
    priority_low: i64,
    #[diesel(sql_type = BigInt)]
    priority_medium: i64,
    #[diesel(sql_type = BigInt)]
    priority_high: i64,
    #[diesel(sql_type = BigInt)]
    priority_critical: i64,
    #[diesel(sql_type = BigInt)]
    category_billing: i64,
    #[diesel(sql_type = BigInt)]
    category_technical: i64,
    #[diesel(sql_type = BigInt)]
    category_account: i64,
    #[diesel(sql_type = BigInt)]
    category_general: i64,
}

impl StatsRow {
    fn into_snapshot(self) -> StatsSnapshot {
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        StatsSnapshot {
            total: count(self.total),
            open: count(self.open),
            earliest: self.earliest,
            by_priority: Breakdown::from_counts([
                (Priority::Low, count(self.priority_low)),
                (Priority::Medium, count(self.priority_medium)),
                (Priority::High, count(self.priority_high)),
                (Priority::Critical, count(self.priority_critical)),
            ]),
            by_category: Breakdown::from_counts([
                (Category::Billing, count(self.category_billing)),
                (Category::Technical, count(self.category_technical)),
                (Category::Account, count(self.category_account)),
                (Category::General, count(self.category_general)),
            ]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::contains_pattern;

    #[test]
    fn like_wildcards_in_a_search_are_taken_literally() {
        assert_eq!(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
    }
}
