//! The development set, the lines of the first two writers (`eval/writers/tune-a.jsonl` and
//! `tune-b.jsonl`): the classifier was tuned on it, and these tests keep it from regressing. `cargo test -p adapters-offline-classifier --test tune -- --nocapture` prints
//! the report and every miss with the rules that fired.

use adapters_offline_classifier::KeywordClassifier;
use adapters_offline_classifier::evaluation::{LabelledTicket, Report, parse_jsonl};
use domain::OfflineClassifier;

const TUNE_SETS: [&str; 2] =
    [include_str!("../../eval/writers/tune-a.jsonl"), include_str!("../../eval/writers/tune-b.jsonl")];

fn tune_tickets() -> Vec<LabelledTicket> {
    TUNE_SETS.iter().flat_map(|set| parse_jsonl(set).expect("the tune writers' files are valid")).collect()
}

/// Scores `tickets`, printing every miss with the rules that fired.
fn report_on(tickets: &[LabelledTicket]) -> Report {
    let classifier = KeywordClassifier::new();
    let mut report = Report::new();
    for ticket in tickets {
        let predicted = classifier.classify(&ticket.description);
        report.record(ticket, predicted);
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
    report
}

#[test]
fn tune_set_accuracy_does_not_regress() {
    let report = report_on(&tune_tickets());
    assert!(report.category_accuracy() >= 0.95, "{report}");
    assert!(report.priority_accuracy() >= 0.90, "{report}");
}
