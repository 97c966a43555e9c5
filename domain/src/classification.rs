use crate::choices::{Category, Priority};

/// A suggested category and priority for a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classification {
    pub category: Category,
    pub priority: Priority,
}

/// How likely each suggested label is to be right, from 0 to 1: of the suggestions given 0.8,
/// about 80% are right on tickets written by people the classifier never learned from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Confidence {
    pub category: f64,
    pub priority: f64,
}

impl Confidence {
    /// Both values, held to 0..=1 (a value that is not a number counts as 0).
    pub fn new(category: f64, priority: f64) -> Self {
        let bounded = |p: f64| if p.is_nan() { 0.0 } else { p.clamp(0.0, 1.0) };
        Self { category: bounded(category), priority: bounded(priority) }
    }
}

/// A classification and, when the classifier can tell, how sure it is of each label.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Assessment {
    pub classification: Classification,
    pub confidence: Option<Confidence>,
}

/// Why a classifier gave no answer.
#[derive(Debug, thiserror::Error)]
pub enum ClassifierError {
    /// The classifier could not be reached or did not answer in time.
    #[error("the classifier is unavailable: {0}")]
    Unavailable(String),
    /// The classifier answered with something that is not a valid classification.
    #[error("the classifier gave an unusable answer: {0}")]
    InvalidAnswer(String),
}
