//! The queries on SQLite, where `created_at` is an integer count of microseconds since the Unix
//! epoch: exact, and ordered and compared as numbers.

use chrono::{DateTime, Utc};
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};

use crate::Dialect;
use crate::schema::sqlite::tickets;

pub struct SqliteDialect;

impl Dialect for SqliteDialect {
    /// Microseconds since the Unix epoch.
    type Time = i64;

    fn to_db_time(time: DateTime<Utc>) -> Self::Time {
        time.timestamp_micros()
    }

    fn from_db_time(micros: Self::Time) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp_micros(micros)
    }

    /// SQLite's own clock has only milliseconds; the embedded store runs in this process, so this
    /// process's clock stamps new tickets.
    fn creation_time() -> Option<Self::Time> {
        Some(Utc::now().timestamp_micros())
    }

    /// Writes take turns in this process already (the repository's writer lock).
    const LOCK_ACCOUNTS: Option<&'static str> = None;

    /// SQLite has no data-modifying `WITH`; in this process a transaction costs no round trips.
    const CHANGE_IN_ONE_STATEMENT: bool = false;
}

type SearchCandidates = Box<dyn BoxableExpression<tickets::table, Sqlite, SqlType = Bool>>;

diesel::define_sql_function! {
    /// True until the statement's deadline ([`crate::deadline`]) passes; then it fails the statement.
    fn within_statement_deadline() -> Bool;
}

/// What `within_statement_deadline()` answers: true, or an error that stops the statement.
#[derive(Debug)]
struct DeadlineCheck;

impl diesel::serialize::ToSql<Bool, Sqlite> for DeadlineCheck {
    fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, Sqlite>) -> diesel::serialize::Result {
        if crate::deadline::passed() {
            return Err(crate::deadline::PASSED.into());
        }
        out.set_value(1);
        Ok(diesel::serialize::IsNull::No)
    }
}

/// Registers this crate's SQL functions on a new connection.
pub fn register_functions(connection: &mut SqliteConnection) -> QueryResult<()> {
    within_statement_deadline_utils::register_nondeterministic_impl(connection, || DeadlineCheck)
}

/// A search takes its candidates from the trigram index (`tickets_search`) only when its term is
/// rare: then reading the few tickets the index names beats scanning in created_at order, which
/// would read on and on before it fills a page. A common term is found sooner by the scan, which
/// stops once the page is full. How common the term is, is judged on the newest tickets; a key
/// shorter than a trigram always scans. Either way every row is compared only while the
/// statement is within its deadline: comparing a long term with long texts is what a search costs.
fn search_candidates(connection: &mut SqliteConnection, key: &str) -> QueryResult<Option<SearchCandidates>> {
    let scan = || Ok(Some(Box::new(within_statement_deadline()) as SearchCandidates));
    if key.chars().count() < 3 {
        return scan();
    }
    let probe: Probe = diesel::sql_query(
        "SELECT count(*) AS probed,
                count(*) FILTER (WHERE within_statement_deadline()
                                       AND (search_title LIKE ?1 ESCAPE '\\' OR search_description LIKE ?1 ESCAPE '\\'))
                    AS matching
         FROM (SELECT search_title, search_description FROM tickets ORDER BY created_at DESC, id DESC LIMIT ?2)",
    )
    .bind::<Text, _>(crate::rows::contains_pattern(key))
    .bind::<BigInt, _>(PROBED_TICKETS)
    .get_result(connection)?;
    if probe.probed < PROBED_TICKETS || probe.matching >= RARE_BELOW_MATCHES {
        return scan();
    }
    let phrase = format!("\"{}\"", key.replace('"', "\"\""));
    Ok(Some(Box::new(
        within_statement_deadline().and(
            diesel::dsl::sql::<Bool>("tickets.id IN (SELECT rowid FROM tickets_search WHERE tickets_search MATCH ")
                .bind::<Text, _>(phrase)
                .sql(")"),
        ),
    )))
}

/// How many of the newest tickets show how common a search term is.
const PROBED_TICKETS: i64 = 1000;
/// Fewer matches among them make the term rare, under 1 ticket in 200. At a million tickets that
/// is where scanning for a page (200 × 21 tickets and more) starts to cost more than fetching and
/// sorting every ticket the index names (up to 5,000).
const RARE_BELOW_MATCHES: i64 = 5;

#[derive(QueryableByName)]
struct Probe {
    #[diesel(sql_type = BigInt)]
    probed: i64,
    #[diesel(sql_type = BigInt)]
    matching: i64,
}

/// Nothing to do: an AUTOINCREMENT table remembers the highest id ever written to it
/// (`sqlite_sequence`), explicit ones included.
fn follow_ids(_connection: &mut SqliteConnection, _table: &'static str) -> QueryResult<()> {
    Ok(())
}

crate::ticket_queries! {
    connection: diesel::sqlite::SqliteConnection,
    backend: diesel::sqlite::Sqlite,
    dialect: crate::sqlite::SqliteDialect,
    schema: crate::schema::sqlite,
    search_candidates: crate::sqlite::search_candidates,
}

crate::access_queries! {
    connection: diesel::sqlite::SqliteConnection,
    backend: diesel::sqlite::Sqlite,
    dialect: crate::sqlite::SqliteDialect,
    schema: crate::schema::sqlite,
}

crate::archive_queries! {
    connection: diesel::sqlite::SqliteConnection,
    backend: diesel::sqlite::Sqlite,
    dialect: crate::sqlite::SqliteDialect,
    schema: crate::schema::sqlite,
    follow_ids: crate::sqlite::follow_ids,
}
