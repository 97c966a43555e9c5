//! The phrases the classifier knows, grouped into families that share the same evidence.
//!
//! Phrases use the [`crate::pattern`] syntax and are written normalised (lowercase, accents
//! folded, "can't" as `cant`). A family may add weight to several signals at once, e.g. "crash"
//! is both a technical topic and a sign that someone is blocked. Negative weights cancel a more
//! general phrase, e.g. "can't find" is a question rather than a blocker.

mod category_words;
mod priority_words;

use crate::signal::Signal;

/// Phrases that share the same evidence.
#[derive(Clone, Copy, Debug)]
pub struct Family {
    pub signals: &'static [(Signal, f32)],
    pub phrases: &'static [&'static str],
}

/// Every family of the built-in lexicon.
pub const ALL: &[&[Family]] = &[category_words::FAMILIES, priority_words::FAMILIES];

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::normalize::{SENTENCE_START, tokenize};
    use crate::pattern::Pattern;

    fn phrases() -> impl Iterator<Item = (&'static str, &'static Family)> {
        ALL.iter().copied().flatten().flat_map(|family| family.phrases.iter().map(move |&phrase| (phrase, family)))
    }

    #[test]
    fn every_phrase_is_a_valid_pattern() {
        for (phrase, _) in phrases() {
            assert!(Pattern::parse(phrase).is_some(), "{phrase:?}");
        }
    }

    #[test]
    fn every_literal_word_is_written_as_the_tokenizer_writes_it() {
        let literals = phrases()
            .flat_map(|(phrase, _)| phrase.split_whitespace().flat_map(|word| word.split('|')))
            .filter(|word| *word != ".." && *word != SENTENCE_START && !word.starts_with('#'))
            .map(|word| word.trim_end_matches('*'));
        for word in literals {
            let tokens = tokenize(word);
            assert_eq!(tokens, [SENTENCE_START, word, SENTENCE_START], "{word:?}");
        }
    }

    #[test]
    fn no_phrase_counts_twice_for_the_same_signal() {
        let mut seen: HashMap<(&str, Signal), f32> = HashMap::new();
        let mut twice = Vec::new();
        for (phrase, family) in phrases() {
            for &(signal, weight) in family.signals {
                if let Some(previous) = seen.insert((phrase, signal), weight) {
                    twice.push(format!("{phrase:?} gives {signal:?} {previous} and {weight}"));
                }
            }
        }
        assert!(twice.is_empty(), "{twice:#?}");
    }
}
