use chrono::{DateTime, Utc};

use crate::choices::{Category, Choice, Priority, Status};
use crate::ticket::{Ticket, TicketId};
use crate::validation::{ValidationErrors, messages};

/// The key under which text is searched: searching compares keys, so "ÉCRAN" finds "écran".
/// Stores keep this key next to the text they search.
pub fn search_key(text: &str) -> String {
    text.to_lowercase()
}

/// A non-empty search for a substring of a ticket's title or description, ignoring case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchTerm {
    key: String,
}

impl SearchTerm {
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Whether `text` contains this term, by the same rule every store applies.
    pub fn matches(&self, text: &str) -> bool {
        search_key(text).contains(&self.key)
    }

    /// A piece of the term that one word of every matching text holds, for a store that indexes
    /// the words of each ticket ([`words_of`]): where the term is found, each run of word
    /// characters in it is a whole word of the text if separators surround it in the term, else
    /// the end of a word (the term's first run), its start (the last) or any part (the only one).
    /// `None` when no run is long enough to narrow the search.
    pub fn word_piece(&self) -> Option<WordPiece> {
        let runs: Vec<&str> = self.key.split(|c| !is_word_char(c)).collect();
        let last = runs.len() - 1;
        let pieces = runs.iter().enumerate().filter(|(_, run)| !run.is_empty()).map(|(at, run)| {
            let run = (*run).to_owned();
            match (at == 0, at == last) {
                (true, true) => WordPiece::Within(run),
                (true, false) => WordPiece::Ending(run),
                (false, true) => WordPiece::Starting(run),
                (false, false) => WordPiece::Whole(run),
            }
        });
        pieces
            .filter(|piece| piece.text().len() >= WordPiece::MIN_CHARS || matches!(piece, WordPiece::Whole(_)))
            .max_by_key(|piece| {
                (piece.text().len() >= WordPiece::MIN_CHARS, matches!(piece, WordPiece::Whole(_)), piece.text().len())
            })
    }
}

/// What makes a word: ASCII letters and digits, in search keys (lower case). Every other
/// character separates words.
pub fn is_word_char(c: char) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// The distinct words of a search key, as a word index holds them; a word longer than
/// [`LONG_WORD_CHARS`] is held as [`LONG_WORD`] instead (an index key has a size limit).
pub fn words_of(key: &str) -> std::collections::BTreeSet<&str> {
    key.split(|c| !is_word_char(c))
        .filter(|word| !word.is_empty())
        .map(|word| if word.len() > LONG_WORD_CHARS { LONG_WORD } else { word })
        .collect()
}

/// See [`words_of`]. A search through a word index also reads the tickets under [`LONG_WORD`]:
/// any piece of a term may be in one of their long words.
pub const LONG_WORD_CHARS: usize = 64;
/// Not a word (it has no word character), so no term's piece is ever looked up as it.
pub const LONG_WORD: &str = "~";

/// Which words of the index can hold a term's piece (see [`SearchTerm::word_piece`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WordPiece {
    Whole(String),
    Starting(String),
    Ending(String),
    Within(String),
}

impl WordPiece {
    /// A shorter start, end or part of a word is in too many words to narrow a search.
    pub const MIN_CHARS: usize = 3;

    pub fn text(&self) -> &str {
        match self {
            Self::Whole(text) | Self::Starting(text) | Self::Ending(text) | Self::Within(text) => text,
        }
    }

    /// Whether `word` holds this piece: is it, starts with it, ends with it or contains it.
    pub fn held_by(&self, word: &str) -> bool {
        match self {
            Self::Whole(text) => word == text,
            Self::Starting(text) => word.starts_with(text.as_str()),
            Self::Ending(text) => word.ends_with(text.as_str()),
            Self::Within(text) => word.contains(text.as_str()),
        }
    }
}

/// Which tickets a list shows; every given condition must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketFilter {
    pub category: Option<Category>,
    pub priority: Option<Priority>,
    pub status: Option<Status>,
    pub search: Option<SearchTerm>,
}

impl TicketFilter {
    pub fn matches(&self, ticket: &Ticket) -> bool {
        self.category.is_none_or(|c| c == ticket.category)
            && self.priority.is_none_or(|p| p == ticket.priority)
            && self.status.is_none_or(|s| s == ticket.status)
            && self
                .search
                .as_ref()
                .is_none_or(|term| term.matches(ticket.title.as_str()) || term.matches(ticket.description.as_str()))
    }
}

/// A position in the list order (newest first, then highest id first): the last ticket seen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: DateTime<Utc>,
    pub id: TicketId,
}

impl Cursor {
    pub fn after(ticket: &Ticket) -> Self {
        Self { created_at: ticket.created_at, id: ticket.id }
    }

    /// An opaque token for a URL.
    pub fn encode(&self) -> String {
        format!("{:x}-{:x}", self.created_at.timestamp_micros(), self.id.get())
    }

    pub fn decode(token: &str) -> Option<Self> {
        let (micros, id) = token.split_once('-')?;
        let well_formed = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_hexdigit());
        if !well_formed(micros) || !well_formed(id) {
            return None;
        }
        let created_at = DateTime::from_timestamp_micros(i64::from_str_radix(micros, 16).ok()?)?;
        let id = TicketId::new(i64::from_str_radix(id, 16).ok()?)?;
        Some(Self { created_at, id })
    }

    /// Whether `ticket` comes after this position in the list order.
    pub fn precedes(&self, ticket: &Ticket) -> bool {
        (ticket.created_at, ticket.id) < (self.created_at, self.id)
    }
}

/// How many tickets one page holds: 1 to 1000, 100 unless asked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit(usize);

impl Limit {
    pub const DEFAULT: Limit = Limit(100);
    pub const MAX: usize = 1000;

    pub fn new(value: usize) -> Option<Self> {
        (1..=Self::MAX).contains(&value).then_some(Self(value))
    }

    pub fn get(self) -> usize {
        self.0
    }
}

impl Default for Limit {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Which page of a list to show.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PageRequest {
    pub limit: Limit,
    pub after: Option<Cursor>,
}

/// One page of a list, and where the next one starts if there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

/// A list request's query parameters as a client sent them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListParams {
    pub category: Option<String>,
    pub priority: Option<String>,
    pub status: Option<String>,
    pub search: Option<String>,
    pub limit: Option<String>,
    pub cursor: Option<String>,
}

impl ListParams {
    /// Applies the rules to every parameter and reports all problems at once.
    pub fn parse(self) -> Result<(TicketFilter, PageRequest), ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let filter = TicketFilter {
            category: choice(&mut errors, "category", self.category),
            priority: choice(&mut errors, "priority", self.priority),
            status: choice(&mut errors, "status", self.status),
            search: search(&mut errors, self.search),
        };
        let limit = match self.limit {
            None => Limit::DEFAULT,
            Some(text) => text.trim().parse().ok().and_then(Limit::new).unwrap_or_else(|| {
                errors.add("limit", format!("Ensure this value is a whole number from 1 to {}.", Limit::MAX));
                Limit::DEFAULT
            }),
        };
        let after = self.cursor.filter(|token| !token.is_empty()).and_then(|token| {
            let cursor = Cursor::decode(&token);
            if cursor.is_none() {
                errors.add("cursor", "Invalid cursor. Follow the Link header of the previous page.");
            }
            cursor
        });
        errors.into_result((filter, PageRequest { limit, after }))
    }
}

fn choice<C: Choice>(errors: &mut ValidationErrors, field: &'static str, value: Option<String>) -> Option<C> {
    let label = value.filter(|label| !label.is_empty())?;
    let parsed = C::parse(&label);
    if parsed.is_none() {
        errors.add(field, messages::invalid_choice(&label));
    }
    parsed
}

/// A search term has at most this many characters: the cost of comparing it grows with its length.
pub const SEARCH_MAX_CHARS: usize = 200;

fn search(errors: &mut ValidationErrors, value: Option<String>) -> Option<SearchTerm> {
    let text = value.filter(|text| !text.is_empty())?;
    if text.contains('\0') {
        errors.add("search", messages::NUL_CHARACTER);
        return None;
    }
    if text.chars().count() > SEARCH_MAX_CHARS {
        errors.add("search", messages::too_long(SEARCH_MAX_CHARS));
        return None;
    }
    Some(SearchTerm { key: search_key(&text) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn params(pairs: &[(&str, &str)]) -> ListParams {
        let mut p = ListParams::default();
        for (key, value) in pairs {
            let slot = match *key {
                "category" => &mut p.category,
                "priority" => &mut p.priority,
                "status" => &mut p.status,
                "search" => &mut p.search,
                "limit" => &mut p.limit,
                "cursor" => &mut p.cursor,
                _ => unreachable!(),
            };
            *slot = Some((*value).to_owned());
        }
        p
    }

    #[test]
    fn no_parameters_mean_everything_newest_first_in_pages_of_100() {
        let (filter, page) = ListParams::default().parse().unwrap();
        assert_eq!(filter, TicketFilter::default());
        assert_eq!(page, PageRequest { limit: Limit(100), after: None });
    }

    #[test]
    fn empty_values_mean_no_filter() {
        let (filter, _) = params(&[("category", ""), ("search", ""), ("cursor", "")]).parse().unwrap();
        assert_eq!(filter, TicketFilter::default());
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let errors =
            params(&[("category", "food"), ("status", "OPEN"), ("limit", "0"), ("cursor", "zz")]).parse().unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["category", "cursor", "limit", "status"]);
    }

    #[test]
    fn limit_accepts_1_to_1000() {
        assert!(params(&[("limit", "1000")]).parse().is_ok());
        for bad in ["1001", "-5", "ten", "1.5"] {
            assert!(params(&[("limit", bad)]).parse().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_search_term_has_at_most_200_characters() {
        assert!(params(&[("search", &"é".repeat(200))]).parse().is_ok());
        let errors = params(&[("search", &"é".repeat(201))]).parse().unwrap_err();
        assert!(errors.iter().any(|(f, m)| f == "search" && m == [messages::too_long(200)]));
    }

    #[test]
    fn search_ignores_case_beyond_ascii() {
        let (filter, _) = params(&[("search", "ÉCRAN")]).parse().unwrap();
        assert!(filter.search.unwrap().matches("Mon écran est noir"));
    }

    proptest! {
        #[test]
        fn cursors_survive_their_encoding(micros in 0i64..4_102_444_800_000_000, id in 1i64..i64::MAX) {
            let cursor = Cursor {
                created_at: DateTime::from_timestamp_micros(micros).unwrap(),
                id: TicketId::new(id).unwrap(),
            };
            prop_assert_eq!(Cursor::decode(&cursor.encode()), Some(cursor));
        }

        #[test]
        fn arbitrary_tokens_never_panic(token in "\\PC{0,40}") {
            let _ = Cursor::decode(&token);
        }

        /// The word index may only narrow a search: a text the term is in always has a word
        /// holding the term's piece.
        #[test]
        fn a_found_text_has_a_word_holding_the_piece(
            before in "[a-c0-9 .é-]{0,12}",
            term in "[a-c0-9 .é-]{1,12}",
            after in "[a-c0-9 .é-]{0,12}",
        ) {
            let term = SearchTerm { key: search_key(&term) };
            let text = search_key(&format!("{before}{}{after}", term.key()));
            if let Some(piece) = term.word_piece() {
                let words = words_of(&text);
                prop_assert!(words.iter().any(|word| piece.held_by(word) || *word == LONG_WORD), "{piece:?} in {text:?}");
            }
        }
    }

    #[test]
    fn a_term_narrows_by_its_most_telling_piece() {
        let piece = |term: &str| SearchTerm { key: search_key(term) }.word_piece();
        assert_eq!(piece("Zeppelin"), Some(WordPiece::Within("zeppelin".into())));
        assert_eq!(piece("reset my password"), Some(WordPiece::Starting("password".into())));
        assert_eq!(piece("reset the password now"), Some(WordPiece::Whole("password".into())));
        assert_eq!(piece("reset password"), Some(WordPiece::Starting("password".into())));
        assert_eq!(piece("#27467"), Some(WordPiece::Starting("27467".into())));
        assert_eq!(piece("café"), Some(WordPiece::Ending("caf".into())));
        assert_eq!(piece("a b c"), Some(WordPiece::Whole("b".into())));
        assert_eq!(piece("ab"), None);
        assert_eq!(piece("é"), None);
        assert_eq!(piece("Word"), Some(WordPiece::Within("word".into())));
    }

    #[test]
    fn a_long_word_is_held_as_the_long_word_mark() {
        let long = "a".repeat(LONG_WORD_CHARS + 1);
        let key = format!("short {long} {}", "b".repeat(LONG_WORD_CHARS));
        let words: Vec<&str> = words_of(&key).into_iter().collect();
        assert_eq!(words, ["b".repeat(LONG_WORD_CHARS).as_str(), "short", LONG_WORD]);
    }
}
