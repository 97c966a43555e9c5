//! An offline [`domain::OfflineClassifier`]: suggests a ticket's category and priority from its
//! description, with a confidence for each, deterministically and without I/O.
//!
//! How it works: the description is normalised into lowercase, accent-free tokens; its word
//! unigrams and bigrams and character n-grams are hashed into a sparse vector
//! ([`features`]); phrase rules find the labelling rubric's cues (for priority: urgency,
//! security, scale, workarounds, deadlines, with negation; for category: topic words in the
//! other languages, how-to questions) and add them as features ([`rules`]); two multinomial
//! logistic regressions ([`linear`]) give a probability per
//! category and per priority, and an isotonic map ([`calibration`]) turns the chosen label's
//! probability into how often such a label is right. The weights are trained on the writers in
//! `eval/writers/` (`make train-classifier`, [`lowo::train`]) and embedded in the binary;
//! [`lowo`] measures the classifier leave-one-writer-out and [`evaluation`] reads the data.

pub mod calibration;
pub mod evaluation;
pub mod features;
mod lexicon;
pub mod linear;
pub mod lowo;
pub mod model;
mod normalize;
mod pattern;
pub mod rules;
mod signal;
mod triage;

pub use rules::Hit;
pub use signal::Signal;
pub use triage::OfflineTriage;
