//! The queries on PostgreSQL, where `created_at` is a `timestamptz`.

use chrono::{DateTime, Utc};

type DbTime = DateTime<Utc>;

fn to_db_time(time: DateTime<Utc>) -> DbTime {
    time
}

fn from_db_time(time: DbTime) -> Option<DateTime<Utc>> {
    Some(time)
}

/// PostgreSQL stamps a new ticket itself (`DEFAULT now()`, microseconds), by one clock for every
/// server in front of it.
fn creation_time() -> Option<DbTime> {
    None
}

/// The trigram indexes serve the LIKE comparison itself.
fn search_candidates(
    _connection: &mut diesel::pg::PgConnection,
    _key: &str,
) -> diesel::QueryResult<Option<SearchCandidates>> {
    Ok(None)
}

crate::ticket_queries!(diesel::pg::PgConnection, diesel::pg::Pg, Timestamptz);
