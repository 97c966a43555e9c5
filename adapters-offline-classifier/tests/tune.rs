//! The development set: the classifier may be tuned on it, and these tests keep it from
//! regressing. `cargo test -p adapters-offline-classifier --test tune -- --nocapture` prints
//! the report and every miss with the rules that fired.

use std::time::{Duration, Instant};

use adapters_offline_classifier::KeywordClassifier;
use adapters_offline_classifier::evaluation::{LabelledTicket, Report, parse_jsonl};
use domain::OfflineClassifier;

const TUNE_SET: &str = include_str!("../../eval/tune.jsonl");

fn tune_tickets() -> Vec<LabelledTicket> {
    parse_jsonl(TUNE_SET).expect("eval/tune.jsonl is valid")
}

#[test]
fn tune_set_accuracy_does_not_regress() {
    let classifier = KeywordClassifier::new();
    let mut report = Report::new();
    for ticket in tune_tickets() {
        let predicted = classifier.classify(&ticket.description);
        report.record(&ticket, predicted);
        if (predicted.category, predicted.priority) != (ticket.category, ticket.priority) {
            println!(
                "MISS want {}/{} got {}/{}: {}",
                ticket.category, ticket.priority, predicted.category, predicted.priority, ticket.description
            );
            for hit in classifier.explain(&ticket.description) {
                println!("      {:?} {:+} {:?}", hit.signal, hit.weight, hit.phrase);
            }
        }
    }
    println!("{}\n{report}", classifier.describe());
    assert!(report.category_accuracy() >= 0.95, "{report}");
    assert!(report.priority_accuracy() >= 0.90, "{report}");
}

#[test]
fn a_call_takes_well_under_a_millisecond() {
    let classifier = KeywordClassifier::new();
    let descriptions: Vec<String> = tune_tickets().into_iter().map(|t| t.description).collect();
    let iterations = 100;
    let started = Instant::now();
    for _ in 0..iterations {
        for description in &descriptions {
            std::hint::black_box(classifier.classify(std::hint::black_box(description)));
        }
    }
    let per_call = started.elapsed() / (iterations * descriptions.len()) as u32;
    println!("mean time per call: {per_call:?}");
    assert!(per_call < Duration::from_millis(1), "{per_call:?} per call");
}
