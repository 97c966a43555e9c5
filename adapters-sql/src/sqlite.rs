//! The queries on SQLite, where `created_at` is an integer count of microseconds since the Unix
//! epoch: exact, and ordered and compared as numbers.

use chrono::{DateTime, Utc};
use diesel::expression::BoxableExpression;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text};
use diesel::sqlite::{Sqlite, SqliteConnection};

use domain::WordPiece;

use crate::schema::sqlite::tickets;
use crate::{Dialect, MOST_WORDS, WordIndex};

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

diesel::define_sql_function! {
    /// The distinct words of a search key as a JSON array, by `domain::words_of`: what the word
    /// index's triggers file a ticket under.
    fn words_of(key: Text) -> Text;
}

/// Registers this crate's SQL functions on a new connection. A connection that writes tickets
/// needs them: the word index's triggers call `words_of`.
pub fn register_functions(connection: &mut SqliteConnection) -> QueryResult<()> {
    within_statement_deadline_utils::register_nondeterministic_impl(connection, || DeadlineCheck)?;
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
    fn words_holding(connection: &mut SqliteConnection, piece: &WordPiece) -> QueryResult<Option<Vec<String>>> {
        let most = MOST_WORDS as i64 + 1;
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
                    .bind::<Text, _>(piece.like_pattern())
                    .bind::<BigInt, _>(most)
            }
        };
        let words: Vec<Word> = query.load(connection)?;
        let words: Vec<String> = words.into_iter().map(|row| row.word).filter(|word| piece.held_by(word)).collect();
        Ok((words.len() <= MOST_WORDS).then_some(words))
    }
}

#[derive(QueryableByName)]
struct Word {
    #[diesel(sql_type = Text)]
    word: String,
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
