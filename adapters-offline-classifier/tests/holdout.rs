//! The held-out set, for the final score only: never read it, print it or tune on it (see
//! `eval/README.md`). On failure this prints the aggregate report, never the descriptions.

use adapters_offline_classifier::KeywordClassifier;
use adapters_offline_classifier::evaluation::{Report, parse_jsonl};
use domain::OfflineClassifier;

const HOLDOUT_PATH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../eval/holdout.jsonl");
/// The target, met: 0.87 measured.
const CATEGORY_TARGET: f64 = 0.85;
/// The target is 0.70; this classifier measured 0.65 on first scoring, so this floor
/// guards against regressions while the target stays open. Raise it as priority improves, scored
/// on a new held-out set: this one has been scored once already.
const PRIORITY_FLOOR: f64 = 0.65;

#[test]
fn holdout_accuracy_holds() {
    let text = std::fs::read_to_string(HOLDOUT_PATH).expect("eval/holdout.jsonl is readable");
    let tickets = parse_jsonl(&text).expect("eval/holdout.jsonl is valid");
    let classifier = KeywordClassifier::new();
    let mut report = Report::new();
    for ticket in &tickets {
        report.record(ticket, classifier.classify(&ticket.description));
    }
    let summary = format!("{}\n{report}", classifier.describe());
    assert!(report.category_accuracy() >= CATEGORY_TARGET, "{summary}");
    assert!(report.priority_accuracy() >= PRIORITY_FLOOR, "{summary}");
}
