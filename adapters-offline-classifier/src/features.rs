//! Turns normalised tokens into a sparse feature vector for the linear model: word unigrams and
//! bigrams, character n-grams of each word, and the rules' signals, each hashed into a table of
//! [`BUCKETS`] weights.

use crate::normalize::SENTENCE_START;

/// How many buckets features are hashed into. Distinct features in the writers' data number in
/// the tens of thousands, so collisions are rare; the weights file stores only used buckets.
pub const BUCKETS: usize = 1 << 18;

/// Which features are extracted and how much each group counts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FeatureSet {
    /// The shortest and longest character n-gram, counting the word's boundary marks; 0 for none.
    pub char_min: usize,
    pub char_max: usize,
    pub word_weight: f32,
    pub bigram_weight: f32,
    pub char_weight: f32,
}

impl FeatureSet {
    pub const STANDARD: FeatureSet =
        FeatureSet { char_min: 3, char_max: 5, word_weight: 1.0, bigram_weight: 1.0, char_weight: 1.0 };
}

/// A sparse vector: bucket and value, sorted by bucket, each bucket once.
pub type Features = Vec<(u32, f32)>;

/// Kinds of features, hashed apart so that the word "api" and the n-gram "api" differ.
#[derive(Clone, Copy)]
enum Kind {
    Word = 1,
    Bigram = 2,
    Chars = 3,
    Named = 4,
}

/// The features of `tokens` (as [`crate::normalize::tokenize`] makes them). Each group is
/// scaled to unit length and then by its weight, so that a long e-mail and a chat one-liner
/// weigh alike.
pub fn extract(tokens: &[String], set: &FeatureSet) -> Features {
    let mut features = Vec::new();
    let words: Vec<&str> = tokens.iter().map(|token| word_form(token)).collect();

    let mut group = Vec::new();
    for word in words.iter().filter(|word| **word != SENTENCE_START) {
        group.push((bucket(Kind::Word, &[word]), 1.0));
    }
    push_group(&mut features, &mut group, set.word_weight);

    for pair in words.windows(2) {
        if pair != [SENTENCE_START, SENTENCE_START] {
            group.push((bucket(Kind::Bigram, &[pair[0], " ", pair[1]]), 1.0));
        }
    }
    push_group(&mut features, &mut group, set.bigram_weight);

    if set.char_min > 0 {
        let mut marked = String::new();
        for word in words.iter().filter(|word| **word != SENTENCE_START) {
            marked.clear();
            marked.push('<');
            marked.push_str(word);
            marked.push('>');
            let chars: Vec<(usize, char)> = marked.char_indices().collect();
            for n in set.char_min..=set.char_max {
                for start in 0..chars.len().saturating_sub(n - 1) {
                    let from = chars[start].0;
                    let to = chars.get(start + n).map_or(marked.len(), |&(index, _)| index);
                    group.push((bucket(Kind::Chars, &[&marked[from..to]]), 1.0));
                }
            }
        }
    }
    push_group(&mut features, &mut group, set.char_weight);
    merge(&mut features);
    features
}

/// `features` and named features with their values, e.g. the rules' signals.
pub fn with_named(features: &Features, named: impl IntoIterator<Item = (&'static str, f32)>) -> Features {
    let mut extended = features.clone();
    extended.extend(named.into_iter().map(|(name, value)| (bucket(Kind::Named, &[name]), value)));
    merge(&mut extended);
    extended
}

/// Numbers say little by their digits: every number is one word, "#num".
fn word_form(token: &str) -> &str {
    if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) { "#num" } else { token }
}

/// Adds `group` as presence features (each bucket once) scaled to length `weight`.
fn push_group(features: &mut Features, group: &mut Features, weight: f32) {
    merge(group);
    if !group.is_empty() && weight > 0.0 {
        let scale = weight / (group.len() as f32).sqrt();
        features.extend(group.iter().map(|&(bucket, _)| (bucket, scale)));
    }
    group.clear();
}

/// Sorts by bucket and keeps one entry per bucket, with the largest value.
fn merge(features: &mut Features) {
    features.sort_by_key(|&(bucket, _)| bucket);
    features.dedup_by(|next, kept| {
        if next.0 == kept.0 {
            kept.1 = kept.1.max(next.1);
            true
        } else {
            false
        }
    });
}

/// FNV-1a over the kind and the parts, folded into [`BUCKETS`]: the same on every platform.
fn bucket(kind: Kind, parts: &[&str]) -> u32 {
    const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
    const PRIME: u64 = 0x0100_0000_01b3;
    let mut hash = OFFSET;
    let bytes = std::iter::once(kind as u8).chain(parts.iter().flat_map(|part| part.bytes()));
    for byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(PRIME);
    }
    let folded = hash ^ (hash >> 32);
    (folded % BUCKETS as u64) as u32
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::tokenize;

    const WORDS_ONLY: FeatureSet =
        FeatureSet { char_min: 0, char_max: 0, word_weight: 1.0, bigram_weight: 0.0, char_weight: 0.0 };

    #[test]
    fn each_word_counts_once_and_the_group_has_unit_length() {
        let features = extract(&tokenize("refund refund please"), &WORDS_ONLY);
        assert_eq!(features.len(), 2);
        let length: f32 = features.iter().map(|(_, value)| value * value).sum();
        assert!((length - 1.0).abs() < 1e-6, "{length}");
    }

    #[test]
    fn numbers_are_one_word() {
        let a = extract(&tokenize("500 users"), &WORDS_ONLY);
        let b = extract(&tokenize("20 users"), &WORDS_ONLY);
        assert_eq!(a, b);
    }

    #[test]
    fn bigrams_include_the_sentence_start() {
        let set = FeatureSet { bigram_weight: 1.0, ..WORDS_ONLY };
        // ". how", "how now", "now ." and the two words.
        assert_eq!(extract(&tokenize("How now"), &set).len(), 5);
    }

    #[test]
    fn character_ngrams_span_the_word_with_its_boundaries() {
        let set = FeatureSet { char_min: 3, char_max: 3, word_weight: 0.0, bigram_weight: 0.0, char_weight: 1.0 };
        // "<ab", "ab>"
        assert_eq!(extract(&tokenize("ab"), &set).len(), 2);
        // "<ü" folds to "u": "<u>" alone.
        assert_eq!(extract(&tokenize("Ü"), &set).len(), 1);
    }

    #[test]
    fn named_features_keep_their_values() {
        let words = extract(&tokenize("refund"), &WORDS_ONLY);
        let features = with_named(&words, [("signal:urgent", 2.0)]);
        assert_eq!(features.len(), 2);
        assert!(features.contains(&(bucket(Kind::Named, &["signal:urgent"]), 2.0)));
    }

    #[test]
    fn hashing_is_stable() {
        assert_eq!(bucket(Kind::Word, &["refund"]), bucket(Kind::Word, &["ref", "und"]));
        assert_ne!(bucket(Kind::Word, &["api"]), bucket(Kind::Chars, &["api"]));
    }
}
