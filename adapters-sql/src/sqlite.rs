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

/// A search takes its candidates from the trigram index (`tickets_search`) only when the term is
/// rare: then reading the few tickets that hold its rarest trigrams beats scanning in created_at
/// order. A common term is found sooner by the scan, which stops once the page is full. A key
/// shorter than a trigram always scans.
fn search_candidates(connection: &mut SqliteConnection, key: &str) -> QueryResult<Option<SearchCandidates>> {
    let chars: Vec<char> = key.chars().collect();
    let mut trigrams: Vec<String> = chars.windows(3).map(|window| window.iter().collect()).collect();
    trigrams.sort();
    trigrams.dedup();
    if trigrams.is_empty() {
        return Ok(None);
    }
    let mut holding = Vec::with_capacity(trigrams.len());
    for trigram in &trigrams {
        let tickets: Option<i64> = tickets_search_vocabulary::table
            .filter(tickets_search_vocabulary::term.eq(trigram))
            .select(tickets_search_vocabulary::doc)
            .first(connection)
            .optional()?;
        match tickets {
            None => return Ok(Some(Box::new(diesel::dsl::sql::<Bool>("0")))),
            Some(tickets) => holding.push((tickets, trigram)),
        }
    }
    holding.sort();
    let rarest = holding[0].0;
    let total: i64 = diesel::select(diesel::dsl::sql::<BigInt>("(SELECT coalesce(sum(total), 0) FROM ticket_counts)"))
        .get_result(connection)?;
    if rarest > RARE_TRIGRAM_SHARE_LIMIT.max(total / 50) {
        return Ok(None);
    }
    let phrases: Vec<String> =
        holding.iter().take(2).map(|(_, trigram)| format!("\"{}\"", trigram.replace('"', "\"\""))).collect();
    Ok(Some(Box::new(
        diesel::dsl::sql::<Bool>("tickets.id IN (SELECT rowid FROM tickets_search WHERE tickets_search MATCH ")
            .bind::<Text, _>(phrases.join(" "))
            .sql(")"),
    )))
}

/// Below this many tickets holding the rarest trigram, the index is used whatever the table size.
const RARE_TRIGRAM_SHARE_LIMIT: i64 = 1000;

diesel::table! {
    tickets_search_vocabulary (term) {
        term -> Text,
        doc -> BigInt,
    }
}

use diesel::sql_types::{BigInt, Bool, Text};
use diesel::sqlite::SqliteConnection;

crate::ticket_queries!(diesel::sqlite::SqliteConnection, diesel::sqlite::Sqlite, BigInt);
