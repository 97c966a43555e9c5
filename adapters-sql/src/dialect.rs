//! What differs between the SQL backends, for the queries written once in
//! [`ticket_queries!`](crate::ticket_queries).

use chrono::{DateTime, Utc};
use diesel::QueryResult;
use domain::WordPiece;

/// How one backend stores what the shared queries read and write. Each backend module implements
/// it and names it in its `ticket_queries!` invocation, beside its connection, backend and schema.
pub trait Dialect {
    /// A point in time as the backend stores it (`created_at`).
    type Time;

    fn to_db_time(time: DateTime<Utc>) -> Self::Time;

    /// `None` for a stored value that no `DateTime<Utc>` can hold: only a corrupt row has one.
    fn from_db_time(time: Self::Time) -> Option<DateTime<Utc>>;

    /// The creation time to write into a new row, or `None` to let the database's default stamp it.
    fn creation_time() -> Option<Self::Time>;

    /// A statement that makes a transaction's account writes wait for every other's, where
    /// concurrent writers would otherwise both pass a check on all accounts (the last admin).
    const LOCK_ACCOUNTS: Option<&'static str>;

    /// Whether a change and its events are written by one statement (a data-modifying `WITH`)
    /// rather than in a transaction; such a backend stamps rows itself (`creation_time` is `None`).
    const CHANGE_IN_ONE_STATEMENT: bool;
}

/// A backend's word index (see `migrations/*/…_ticket_words`): each ticket's words in
/// `ticket_words`, by word and category in list order, and every word ever indexed.
pub trait WordIndex<Connection> {
    /// At most `most` of the words that hold `piece`.
    fn words_holding(connection: &mut Connection, piece: &WordPiece, most: usize) -> QueryResult<Vec<String>>;
}

/// A search whose piece more words hold than this reads in list order.
pub const MOST_WORDS: usize = 256;

/// The `LIKE` pattern of the words holding an end or a part of a word (a piece has no wildcard
/// characters); a whole word or a start is looked up by its key instead.
pub(crate) fn part_pattern(piece: &WordPiece) -> String {
    match piece {
        WordPiece::Ending(text) => format!("%{text}"),
        WordPiece::Whole(text) | WordPiece::Starting(text) | WordPiece::Within(text) => format!("%{text}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::part_pattern;
    use domain::WordPiece;

    #[test]
    fn a_part_or_an_end_is_a_like_pattern() {
        assert_eq!(part_pattern(&WordPiece::Within("word".into())), "%word%");
        assert_eq!(part_pattern(&WordPiece::Ending("word".into())), "%word");
    }
}
