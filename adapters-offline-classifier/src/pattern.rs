//! Phrase patterns over tokens, written in a tiny syntax:
//!
//! - `word` matches that token exactly, `refund*` any token starting with `refund`;
//! - `data|records|contact*` matches any one of the alternatives;
//! - `..` skips up to [`MAX_GAP`] tokens (`charged .. twice`);
//! - `#num` matches a number, `#many` a number of at least [`MANY`], `#status` an HTTP error
//!   status (`404`, `503s`), `#ord` an ordinal (`15th`), `#weekday` and `#month` a day or
//!   month name (English and the other languages).
//!
//! Patterns are written in normalised form: lowercase, no accents, contractions joined.

/// The most tokens a `..` may skip.
pub const MAX_GAP: usize = 3;
/// The least number that `#many` matches: "20 users" are many, "5 users" are a few.
pub const MANY: u64 = 20;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Word {
    Exact(&'static str),
    Prefix(&'static str),
    Class(TokenClass),
    AnyOf(Vec<Word>),
    Gap,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenClass {
    Number,
    Many,
    HttpError,
    Ordinal,
    Weekday,
    Month,
}

/// Sorted, for binary search.
#[rustfmt::skip]
const WEEKDAYS: &[&str] = &[
    "dienstag", "dimanche", "dinsdag", "domingo", "donderdag", "donnerstag", "freitag", "fri", "friday", "giovedi",
    "jeudi", "jueves", "lundi", "lunedi", "lunes", "maandag", "mardi", "martedi", "martes", "mercoledi", "mercredi",
    "miercoles", "mittwoch", "monday", "montag", "quarta", "quinta", "sabado", "samedi", "samstag", "saturday",
    "segunda", "sexta", "sonntag", "sunday", "terca", "thu", "thursday", "tue", "tuesday", "vendredi", "venerdi",
    "viernes", "vrijdag", "wednesday", "woensdag", "zaterdag", "zondag",
];

/// Sorted, for binary search.
#[rustfmt::skip]
const MONTHS: &[&str] = &[
    "abril", "agosto", "aout", "apr", "april", "aprile", "aug", "august", "augustus", "avril", "dec", "december",
    "decembre", "dezember", "dezembro", "dicembre", "diciembre", "enero", "feb", "febbraio", "febrero", "februar",
    "februari", "february", "fevereiro", "fevrier", "gennaio", "giugno", "jan", "janeiro", "januar", "januari",
    "january", "janvier", "juillet", "juin", "jul", "julho", "juli", "julio", "july", "jun", "june", "junho", "juni",
    "junio", "luglio", "maart", "maggio", "maio", "mar", "march", "marco", "mars", "marzo", "mayo", "mei", "nov",
    "november", "novembre", "novembro", "noviembre", "oct", "october", "octobre", "octubre", "oktober", "ottobre",
    "outubro", "sep", "sept", "september", "septembre", "septiembre", "setembro", "settembre",
];

impl TokenClass {
    pub fn matches(self, token: &str) -> bool {
        match self {
            TokenClass::Number => token.bytes().all(|b| b.is_ascii_digit()),
            TokenClass::Many => token.parse::<u64>().is_ok_and(|n| n >= MANY),
            TokenClass::HttpError => is_http_error(token),
            TokenClass::Ordinal => is_ordinal(token),
            TokenClass::Weekday => WEEKDAYS.binary_search(&token).is_ok(),
            TokenClass::Month => MONTHS.binary_search(&token).is_ok(),
        }
    }
}

fn is_http_error(token: &str) -> bool {
    let code = token.strip_suffix('s').unwrap_or(token);
    code.len() == 3 && code.parse::<u16>().is_ok_and(|n| (400..600).contains(&n))
}

fn is_ordinal(token: &str) -> bool {
    let digits = token.bytes().take_while(u8::is_ascii_digit).count();
    digits > 0 && matches!(&token[digits..], "st" | "nd" | "rd" | "th" | "er" | "eme" | "o")
}

impl Word {
    fn parse(word: &'static str) -> Word {
        if word.contains('|') {
            return Word::AnyOf(word.split('|').map(Word::parse).collect());
        }
        match word {
            ".." => Word::Gap,
            "#num" => Word::Class(TokenClass::Number),
            "#many" => Word::Class(TokenClass::Many),
            "#status" => Word::Class(TokenClass::HttpError),
            "#ord" => Word::Class(TokenClass::Ordinal),
            "#weekday" => Word::Class(TokenClass::Weekday),
            "#month" => Word::Class(TokenClass::Month),
            _ => match word.strip_suffix('*') {
                Some(prefix) => Word::Prefix(prefix),
                None => Word::Exact(word),
            },
        }
    }

    fn matches(&self, token: &str) -> bool {
        match self {
            Word::Exact(word) => token == *word,
            Word::Prefix(prefix) => token.starts_with(prefix),
            Word::Class(class) => class.matches(token),
            Word::AnyOf(alternatives) => alternatives.iter().any(|word| word.matches(token)),
            Word::Gap => true,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pattern {
    text: &'static str,
    words: Vec<Word>,
}

impl Pattern {
    /// Parses `text`; `None` if it is empty or starts or ends with a gap.
    pub fn parse(text: &'static str) -> Option<Pattern> {
        let words: Vec<Word> = text.split_whitespace().map(Word::parse).collect();
        let anchored = |word: Option<&Word>| word.is_some_and(|w| *w != Word::Gap);
        (anchored(words.first()) && anchored(words.last())).then_some(Pattern { text, words })
    }

    pub fn text(&self) -> &'static str {
        self.text
    }

    /// The words that can start a match: the first word, or each of its alternatives.
    pub fn first_words(&self) -> &[Word] {
        match &self.words[0] {
            Word::AnyOf(alternatives) => alternatives,
            first => std::slice::from_ref(first),
        }
    }

    /// Whether the pattern matches the tokens starting exactly at `start`.
    pub fn matches_at(&self, tokens: &[String], start: usize) -> bool {
        matches_from(&self.words, tokens, start)
    }
}

fn matches_from(words: &[Word], tokens: &[String], position: usize) -> bool {
    let Some((word, rest)) = words.split_first() else {
        return true;
    };
    if *word == Word::Gap {
        return (0..=MAX_GAP)
            .take_while(|skipped| position + skipped <= tokens.len())
            .any(|skipped| matches_from(rest, tokens, position + skipped));
    }
    tokens.get(position).is_some_and(|token| word.matches(token) && matches_from(rest, tokens, position + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tokenize;

    fn matches_anywhere(pattern: &'static str, text: &str) -> bool {
        let pattern = Pattern::parse(pattern).expect("valid pattern");
        let tokens = tokenize(text);
        (0..tokens.len()).any(|start| pattern.matches_at(&tokens, start))
    }

    #[test]
    fn exact_words_match_whole_tokens_only() {
        assert!(matches_anywhere("log in", "I can't log in today"));
        assert!(!matches_anywhere("log in", "the login page"));
        assert!(!matches_anywhere("bill", "billing"));
    }

    #[test]
    fn a_star_matches_any_token_with_that_prefix() {
        assert!(matches_anywhere("refund*", "refunded twice"));
        assert!(matches_anywhere("rembours*", "Merci de rembourser"));
    }

    #[test]
    fn a_bar_separates_alternatives() {
        assert!(matches_anywhere("data|record* .. gone", "all our records are gone"));
        assert!(matches_anywhere("data|record* .. gone", "the data is gone"));
        assert!(!matches_anywhere("data|record* .. gone", "the tickets are gone"));
    }

    #[test]
    fn a_gap_skips_up_to_three_tokens() {
        assert!(matches_anywhere("charged .. twice", "charged twice"));
        assert!(matches_anywhere("charged .. twice", "charged us for it twice"));
        assert!(!matches_anywhere("charged .. twice", "charged us for this one twice"));
    }

    #[test]
    fn classes_match_numbers_ordinals_and_days() {
        assert!(matches_anywhere("#num agents", "all 45 agents"));
        assert!(matches_anywhere("#many agents", "all 45 agents"));
        assert!(!matches_anywhere("#many agents", "our 5 agents"));
        assert!(matches_anywhere("#month #num", "starting Dec 23"));
        assert!(matches_anywhere("#status", "intermittent 504s"));
        assert!(!matches_anywhere("#status", "error 5003 after 200 tries"));
        assert!(matches_anywhere("by the #ord", "by the 15th"));
        assert!(matches_anywhere("before #weekday", "before Friday"));
        assert!(matches_anywhere("ate #weekday", "até sexta-feira"));
    }

    #[test]
    fn day_and_month_names_are_sorted_for_binary_search() {
        assert!(WEEKDAYS.is_sorted());
        assert!(MONTHS.is_sorted());
    }

    #[test]
    fn patterns_may_not_start_or_end_with_a_gap() {
        assert_eq!(Pattern::parse(".. twice"), None);
        assert_eq!(Pattern::parse("twice .."), None);
        assert_eq!(Pattern::parse("  "), None);
    }
}
