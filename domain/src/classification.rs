use crate::choices::{Category, Priority};

/// A suggested category and priority for a ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Classification {
    pub category: Category,
    pub priority: Priority,
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
