//! An offline [`domain::OfflineClassifier`]: suggests a ticket's category and priority from its
//! description with weighted keyword and phrase rules, deterministically and without I/O.
//!
//! How it works: the description is normalised into lowercase, accent-free tokens; the rule set
//! finds every phrase of the lexicon in one pass and adds up weighted evidence per [`Signal`];
//! the triage rules then turn the evidence into labels, following the labelling rubric in
//! `eval/README.md`. [`evaluation`] measures a classifier against a labelled set.

pub mod calibration;
mod classifier;
pub mod evaluation;
pub mod features;
mod lexicon;
pub mod linear;
mod normalize;
mod pattern;
mod rules;
mod signal;
mod triage;

pub use classifier::KeywordClassifier;
pub use rules::Hit;
pub use signal::Signal;
