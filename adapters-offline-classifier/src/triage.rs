//! The [`OfflineClassifier`] adapter.

use std::sync::{Arc, OnceLock};

use domain::{Assessment, Classification, Confidence, OfflineClassifier};

use crate::model::Trained;
use crate::normalize::tokenize;
use crate::rules::{Hit, RuleSet};

/// The weights `make train-classifier` wrote from `eval/writers/`.
static WEIGHTS: &[u8] = include_bytes!("../weights/triage.bin");

/// The embedded weights, read on first use.
fn embedded() -> Arc<Trained> {
    static TRAINED: OnceLock<Arc<Trained>> = OnceLock::new();
    TRAINED.get_or_init(|| Arc::new(Trained::from_bytes(WEIGHTS).expect("the embedded weights file is valid"))).clone()
}

/// Suggests a category and a priority with two linear models over the description's words and
/// character n-grams, the priority one also over the rubric's cues found by phrase rules
/// (urgency, security, scale, negation, deadlines), and says how sure it is of each.
/// Deterministic, no I/O, well under a millisecond per call.
#[derive(Debug)]
pub struct OfflineTriage {
    trained: Arc<Trained>,
    rules: RuleSet,
}

impl OfflineTriage {
    /// The model trained on every writer, embedded in the binary.
    pub fn new() -> Self {
        Self::with(embedded())
    }

    /// A model trained elsewhere, e.g. in memory on some writers only.
    pub fn with(trained: Arc<Trained>) -> Self {
        Self { trained, rules: RuleSet::standard() }
    }

    /// The rule cues found in `description`, to see what the priority model was told.
    pub fn explain(&self, description: &str) -> Vec<Hit> {
        self.rules.hits(&tokenize(description))
    }
}

impl Default for OfflineTriage {
    fn default() -> Self {
        Self::new()
    }
}

impl OfflineClassifier for OfflineTriage {
    fn classify(&self, description: &str) -> Classification {
        self.assess(description).classification
    }

    fn assess(&self, description: &str) -> Assessment {
        let prediction = self.trained.model.predict(description, &self.rules);
        let confidence = Confidence::new(
            f64::from(self.trained.category_calibration.apply(prediction.category_probability)),
            f64::from(self.trained.priority_calibration.apply(prediction.priority_probability)),
        );
        Assessment {
            classification: Classification { category: prediction.category, priority: prediction.priority },
            confidence: Some(confidence),
        }
    }

    fn describe(&self) -> String {
        format!(
            "offline triage (linear models over words, character n-grams and {} rule cues)",
            self.rules.rule_count()
        )
    }
}
