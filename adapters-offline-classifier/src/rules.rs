//! The compiled rule set: every lexicon phrase, indexed by its first word so that a description
//! is scanned once, whatever the number of rules.

use std::collections::HashMap;

use crate::lexicon::{FAMILIES, Family};
use crate::normalize::SENTENCE_START;
use crate::pattern::{Pattern, TokenClass, Word};
use crate::signal::{Evidence, Signal};

/// Words that, up to [`NEGATION_REACH`] tokens before a phrase, cancel a negatable signal.
#[rustfmt::skip]
const NEGATORS: &[&str] = &[
    "not", "no", "nothing", "never", "isnt", "arent", "wasnt", "werent", "nor", "without", "hardly", "pas", "jamais",
    "nicht", "kein", "keine", "nie", "sin", "nunca", "nada", "nao", "sem", "non", "senza", "mai", "niet", "geen",
];
const NEGATION_REACH: usize = 2;

/// One phrase and what it is evidence of.
#[derive(Clone, Debug)]
pub struct Rule {
    pub pattern: Pattern,
    pub signal: Signal,
    pub weight: f32,
}

/// A rule that fired on a description, for explanations and tests.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hit {
    pub phrase: &'static str,
    pub signal: Signal,
    pub weight: f32,
}

/// The rules, with indexes from what their first word can match to rule ids.
#[derive(Debug)]
pub struct RuleSet {
    rules: Vec<Rule>,
    by_first_word: HashMap<&'static str, Vec<usize>>,
    /// Prefix rules by the prefix's first byte.
    by_first_prefix: Vec<Vec<(&'static str, usize)>>,
    by_first_class: Vec<(TokenClass, Vec<usize>)>,
}

impl RuleSet {
    /// Every rule of the built-in lexicon.
    pub fn standard() -> RuleSet {
        RuleSet::from_families(FAMILIES)
    }

    pub fn from_families<'a>(families: impl IntoIterator<Item = &'a Family>) -> RuleSet {
        let rules = families.into_iter().flat_map(family_rules).collect();
        RuleSet::new(rules)
    }

    fn new(rules: Vec<Rule>) -> RuleSet {
        let mut by_first_word: HashMap<_, Vec<usize>> = HashMap::new();
        let mut by_first_prefix = vec![Vec::new(); usize::from(u8::MAX) + 1];
        let mut by_first_class: Vec<(TokenClass, Vec<usize>)> = Vec::new();
        let first_words = rules
            .iter()
            .enumerate()
            .flat_map(|(id, rule)| rule.pattern.first_words().iter().map(move |word| (id, word)));
        for (id, word) in first_words {
            match *word {
                Word::Exact(word) => by_first_word.entry(word).or_default().push(id),
                Word::Prefix(prefix) => {
                    let first_byte = prefix.bytes().next().unwrap_or_default();
                    by_first_prefix[usize::from(first_byte)].push((prefix, id));
                }
                Word::Class(class) => match by_first_class.iter_mut().find(|(c, _)| *c == class) {
                    Some((_, ids)) => ids.push(id),
                    None => by_first_class.push((class, vec![id])),
                },
                Word::AnyOf(_) | Word::Gap => {}
            }
        }
        RuleSet { rules, by_first_word, by_first_prefix, by_first_class }
    }

    pub fn rule_count(&self) -> usize {
        self.rules.len()
    }

    /// Every rule that matches `tokens` at least once outside a negation, each counted once.
    pub fn hits(&self, tokens: &[String]) -> Vec<Hit> {
        let mut fired = vec![false; self.rules.len()];
        for start in 0..tokens.len() {
            for id in self.candidates(&tokens[start]) {
                if !fired[id] && self.fires_at(&self.rules[id], tokens, start) {
                    fired[id] = true;
                }
            }
        }
        fired
            .iter()
            .zip(&self.rules)
            .filter(|(fired, _)| **fired)
            .map(|(_, rule)| Hit { phrase: rule.pattern.text(), signal: rule.signal, weight: rule.weight })
            .collect()
    }

    pub fn evidence(&self, tokens: &[String]) -> Evidence {
        let mut evidence = Evidence::default();
        for hit in self.hits(tokens) {
            evidence.add(hit.signal, hit.weight);
        }
        evidence
    }

    fn fires_at(&self, rule: &Rule, tokens: &[String], start: usize) -> bool {
        rule.pattern.matches_at(tokens, start) && !(rule.signal.is_negatable() && is_negated(tokens, start))
    }

    /// The rules whose first word matches `token`.
    fn candidates<'a>(&'a self, token: &'a str) -> impl Iterator<Item = usize> + 'a {
        let exact = self.by_first_word.get(token).into_iter().flatten().copied();
        let first_byte = token.bytes().next().unwrap_or_default();
        let prefixes = self.by_first_prefix[usize::from(first_byte)]
            .iter()
            .filter(move |(prefix, _)| token.starts_with(prefix))
            .map(|&(_, id)| id);
        let classes = self
            .by_first_class
            .iter()
            .filter(move |(class, _)| class.matches(token))
            .flat_map(|(_, ids)| ids.iter().copied());
        exact.chain(prefixes).chain(classes)
    }
}

fn family_rules(family: &Family) -> impl Iterator<Item = Rule> + '_ {
    family.phrases.iter().flat_map(move |phrase| {
        let pattern = Pattern::parse(phrase);
        family
            .signals
            .iter()
            .filter_map(move |&(signal, weight)| pattern.clone().map(|pattern| Rule { pattern, signal, weight }))
    })
}

/// Whether a negator comes up to [`NEGATION_REACH`] tokens before `start`, in the same sentence.
fn is_negated(tokens: &[String], start: usize) -> bool {
    tokens[start.saturating_sub(NEGATION_REACH)..start]
        .iter()
        .rev()
        .take_while(|token| token.as_str() != SENTENCE_START)
        .any(|token| NEGATORS.contains(&token.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tokenize;

    const URGENT_WORDS: Family = Family { signals: &[(Signal::Urgent, 1.0)], phrases: &["urgent*", "asap"] };
    const EVERYONE_WORDS: Family =
        Family { signals: &[(Signal::Scale, 2.0), (Signal::Blocked, 0.5)], phrases: &["everyone", "#num users"] };

    fn evidence(families: &[Family], text: &str) -> Evidence {
        RuleSet::from_families(families).evidence(&tokenize(text))
    }

    #[test]
    fn each_rule_counts_once_however_often_it_matches() {
        let evidence = evidence(&[URGENT_WORDS], "urgent!! URGENT!! asap");
        assert_eq!(evidence[Signal::Urgent], 2.0);
    }

    #[test]
    fn a_family_adds_weight_to_each_of_its_signals() {
        let evidence = evidence(&[EVERYONE_WORDS], "everyone, all 5 users");
        assert_eq!(evidence[Signal::Scale], 4.0);
        assert_eq!(evidence[Signal::Blocked], 1.0);
    }

    #[test]
    fn a_negation_just_before_cancels_a_negatable_signal() {
        assert_eq!(evidence(&[URGENT_WORDS], "not urgent at all")[Signal::Urgent], 0.0);
        assert_eq!(evidence(&[URGENT_WORDS], "no, not urgent")[Signal::Urgent], 0.0);
        assert_eq!(evidence(&[URGENT_WORDS], "not sure, but urgent")[Signal::Urgent], 1.0);
        assert_eq!(evidence(&[URGENT_WORDS], "Not me. Urgent!")[Signal::Urgent], 1.0);
    }

    #[test]
    fn calm_and_wishes_ignore_negation() {
        const CALM_WORDS: Family = Family { signals: &[(Signal::Calm, 1.0)], phrases: &["no rush"] };
        assert_eq!(evidence(&[CALM_WORDS], "no, no rush")[Signal::Calm], 1.0);
    }
}
