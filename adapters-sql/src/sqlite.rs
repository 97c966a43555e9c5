//! The queries on SQLite, where `created_at` is an integer count of microseconds since the Unix
//! epoch: exact, and ordered and compared as numbers.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use diesel::sqlite::SqliteConnection;

use domain::WordPiece;

use crate::dialect::part_pattern;
use crate::{Dialect, WordIndex};

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

diesel::define_sql_function! {
    /// The distinct words of a search key as a JSON array, by `domain::words_of`: what the word
    /// index's triggers file a ticket under.
    fn words_of(key: Text) -> Text;
}

/// Registers this crate's SQL functions on a new connection. A connection that writes tickets
/// needs them: the word index's triggers call `words_of`.
pub fn register_functions(connection: &mut SqliteConnection) -> QueryResult<()> {
    words_of_utils::register_impl(connection, |key: String| {
        let words: Vec<String> = domain::words_of(&key).into_iter().map(|word| format!("\"{word}\"")).collect();
        format!("[{}]", words.join(","))
    })
}

/// The word index of migration `2026-11-30-000000_ticket_words`.
pub struct SqliteWords;

impl WordIndex<SqliteConnection> for SqliteWords {
    /// A whole word or a start is looked up by the UNIQUE index, an end or a part by the trigram
    /// index of the words.
    fn words_holding(connection: &mut SqliteConnection, piece: &WordPiece, most: usize) -> QueryResult<Vec<String>> {
        let most = most as i64;
        let query = match piece {
            WordPiece::Whole(word) => diesel::sql_query("SELECT word FROM search_words WHERE word = ?1 LIMIT ?2")
                .bind::<Text, _>(word.clone())
                .bind::<BigInt, _>(most),
            // No word character sorts after 'z', and '{' comes next.
            WordPiece::Starting(start) => {
                diesel::sql_query("SELECT word FROM search_words WHERE word >= ?1 AND word < ?1 || '{' LIMIT ?2")
                    .bind::<Text, _>(start.clone())
                    .bind::<BigInt, _>(most)
            }
            WordPiece::Ending(_) | WordPiece::Within(_) => {
                diesel::sql_query("SELECT word FROM search_words_trigrams WHERE word LIKE ?1 LIMIT ?2")
                    .bind::<Text, _>(part_pattern(piece))
                    .bind::<BigInt, _>(most)
            }
        };
        let words: Vec<Word> = query.load(connection)?;
        Ok(words.into_iter().map(|row| row.word).filter(|word| piece.held_by(word)).collect())
    }
}

#[derive(QueryableByName)]
struct Word {
    #[diesel(sql_type = Text)]
    word: String,
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
    word_index: crate::sqlite::SqliteWords,
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
