//! The queries on SQLite, where `created_at` is an integer count of microseconds since the Unix
//! epoch: exact, and ordered and compared as numbers.

use chrono::{DateTime, Utc};

type DbTime = i64;

fn to_db_time(time: DateTime<Utc>) -> DbTime {
    time.timestamp_micros()
}

fn from_db_time(micros: DbTime) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_micros(micros)
}

/// SQLite's own clock has only milliseconds; the embedded store runs in this process, so this
/// process's clock stamps new tickets.
fn creation_time() -> Option<DbTime> {
    Some(Utc::now().timestamp_micros())
}

/// The tickets whose text holds every trigram of `key`, from the `tickets_search` index; a key
/// shorter than a trigram has no candidates to offer, and the LIKE comparison scans.
fn search_candidates(key: &str) -> Option<SearchCandidates> {
    if key.chars().count() < 3 {
        return None;
    }
    let phrase = format!("\"{}\"", key.replace('"', "\"\""));
    Some(Box::new(
        diesel::dsl::sql::<diesel::sql_types::Bool>(
            "tickets.id IN (SELECT rowid FROM tickets_search WHERE tickets_search MATCH ",
        )
        .bind::<diesel::sql_types::Text, _>(phrase)
        .sql(")"),
    ))
}

crate::ticket_queries!(diesel::sqlite::SqliteConnection, diesel::sqlite::Sqlite, BigInt);
