//! The [`OfflineClassifier`] adapter.

use domain::{Classification, OfflineClassifier};

use crate::normalize::tokenize;
use crate::rules::{Hit, RuleSet};
use crate::triage;

/// Bumped whenever the lexicon or the decision rules change, so that logs say which one ran.
const VERSION: u32 = 2;

/// Classifies a description with weighted keyword and phrase rules (English plus common
/// French, Spanish, German, Portuguese and Italian words), then the rubric's decision rules.
/// Deterministic, no I/O, tens of microseconds per call.
#[derive(Debug)]
pub struct KeywordClassifier {
    rules: RuleSet,
}

impl KeywordClassifier {
    pub fn new() -> Self {
        Self { rules: RuleSet::standard() }
    }

    /// The rules that fire on `description`, to see why it was classified as it was.
    pub fn explain(&self, description: &str) -> Vec<Hit> {
        self.rules.hits(&tokenize(description))
    }
}

impl Default for KeywordClassifier {
    fn default() -> Self {
        Self::new()
    }
}

impl OfflineClassifier for KeywordClassifier {
    fn classify(&self, description: &str) -> Classification {
        let evidence = self.rules.evidence(&tokenize(description));
        let category = triage::category(&evidence);
        Classification { category, priority: triage::priority(&evidence, category) }
    }

    fn describe(&self) -> String {
        format!("offline keyword classifier (v{VERSION}, {} rules)", self.rules.rule_count())
    }
}
