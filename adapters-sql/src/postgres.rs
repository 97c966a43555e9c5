//! The queries on PostgreSQL, where `created_at` is a `timestamptz`.

use chrono::{DateTime, Utc};
use diesel::pg::PgConnection;
use diesel::prelude::*;
use domain::WordPiece;

use crate::dialect::part_pattern;
use crate::{Dialect, WordIndex};

pub struct PostgresDialect;

impl Dialect for PostgresDialect {
    type Time = DateTime<Utc>;

    fn to_db_time(time: DateTime<Utc>) -> Self::Time {
        time
    }

    fn from_db_time(time: Self::Time) -> Option<DateTime<Utc>> {
        Some(time)
    }

    /// PostgreSQL stamps a new ticket itself (`DEFAULT now()`, microseconds), by one clock for
    /// every server in front of it.
    fn creation_time() -> Option<Self::Time> {
        None
    }

    const LOCK_ACCOUNTS: Option<&'static str> = Some("LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE");

    /// A network round trip costs more than the statement: BEGIN, read, UPDATE, INSERT and
    /// COMMIT become a read and one statement.
    const CHANGE_IN_ONE_STATEMENT: bool = true;
}

/// The word index of migration `2026-11-30-000000_ticket_words`.
pub struct PostgresWords;

diesel::table! {
    search_words (word) {
        word -> Text,
    }
}

impl WordIndex<PgConnection> for PostgresWords {
    /// A whole word or a start is looked up by the key (`COLLATE "C"`), an end or a part by the
    /// trigram index of the words; each a statement prepared once per connection.
    fn words_holding(connection: &mut PgConnection, piece: &WordPiece, most: usize) -> QueryResult<Vec<String>> {
        let query = search_words::table.select(search_words::word).limit(most as i64).into_boxed();
        let query = match piece {
            WordPiece::Whole(word) => query.filter(search_words::word.eq(word.clone())),
            // No word character sorts after 'z', and '{' comes next.
            WordPiece::Starting(start) => {
                query.filter(search_words::word.ge(start.clone()).and(search_words::word.lt(format!("{start}{{"))))
            }
            WordPiece::Ending(_) | WordPiece::Within(_) => query.filter(search_words::word.like(part_pattern(piece))),
        };
        query.load(connection)
    }
}

/// Moves `table`'s identity sequence past the highest id in it, never back: rows written with
/// their own ids do not advance it.
fn follow_ids(connection: &mut PgConnection, table: &'static str) -> diesel::QueryResult<()> {
    use diesel::RunQueryDsl;
    diesel::sql_query(format!(
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table} \
         HAVING max(id) > coalesce(pg_sequence_last_value(pg_get_serial_sequence('{table}', 'id')::regclass), 0)"
    ))
    .execute(connection)?;
    Ok(())
}

crate::ticket_queries! {
    connection: diesel::pg::PgConnection,
    backend: diesel::pg::Pg,
    dialect: crate::postgres::PostgresDialect,
    schema: crate::schema::postgres,
    word_index: crate::postgres::PostgresWords,
}

crate::access_queries! {
    connection: diesel::pg::PgConnection,
    backend: diesel::pg::Pg,
    dialect: crate::postgres::PostgresDialect,
    schema: crate::schema::postgres,
}

crate::archive_queries! {
    connection: diesel::pg::PgConnection,
    backend: diesel::pg::Pg,
    dialect: crate::postgres::PostgresDialect,
    schema: crate::schema::postgres,
    follow_ids: crate::postgres::follow_ids,
}
