//! The targets, measured leave-one-writer-out on `eval/writers/`: for each writer, a
//! model trained in memory on every other writer scores that writer's lines. Also: the embedded
//! weights are exactly what the training command makes of the committed data. On failure the
//! report is printed, never a description; `cargo test -p adapters-offline-classifier --test
//! lowo -- --nocapture` prints it always.

use std::path::Path;
use std::sync::OnceLock;

use adapters_offline_classifier::OfflineTriage;
use adapters_offline_classifier::evaluation::{Writer, load_writers};
use adapters_offline_classifier::lowo::{self, LowoReport};
use adapters_offline_classifier::model::Recipe;
use domain::OfflineClassifier;

const CATEGORY_TARGET: f64 = 0.85;
const PRIORITY_TARGET: f64 = 0.72;
/// The least category accuracy on any one writer's lines.
const WRITER_CATEGORY_TARGET: f64 = 0.78;
/// The most expected calibration error of either confidence.
const CALIBRATION_TARGET: f64 = 0.08;

const WEIGHTS: &[u8] = include_bytes!("../weights/triage.bin");

fn writers() -> &'static [Writer] {
    static WRITERS: OnceLock<Vec<Writer>> = OnceLock::new();
    WRITERS.get_or_init(|| {
        load_writers(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../eval/writers")).expect("the writers are valid")
    })
}

/// What the training command does: the weights it would write, and the leave-one-writer-out
/// report of the same run, computed once for every test here.
fn trained() -> &'static (Vec<u8>, LowoReport) {
    static TRAINED: OnceLock<(Vec<u8>, LowoReport)> = OnceLock::new();
    TRAINED.get_or_init(|| {
        let (trained, validation) = lowo::train(writers(), &Recipe::STANDARD);
        let report = validation.report();
        println!("{report}");
        (trained.to_bytes(), report)
    })
}

#[test]
fn leave_one_writer_out_accuracy_meets_the_targets() {
    let report = &trained().1;
    let overall = report.overall();
    assert!(overall.category_accuracy() >= CATEGORY_TARGET, "{report}");
    assert!(overall.priority_accuracy() >= PRIORITY_TARGET, "{report}");
    for (name, writer) in report.by_writer() {
        assert!(writer.category_accuracy() >= WRITER_CATEGORY_TARGET, "{name}:\n{report}");
    }
    assert_eq!(report.by_writer().len(), writers().len());
}

#[test]
fn confidences_are_calibrated_on_writers_the_model_did_not_learn_from() {
    let report = &trained().1;
    assert!(report.category_calibration_error() <= CALIBRATION_TARGET, "{report}");
    assert!(report.priority_calibration_error() <= CALIBRATION_TARGET, "{report}");
}

#[test]
fn the_embedded_weights_are_what_training_makes_of_the_committed_data() {
    let expected = &trained().0;
    assert!(
        WEIGHTS == expected.as_slice(),
        "adapters-offline-classifier/weights/triage.bin is out of date: run `make train-classifier` \
         ({} bytes committed, {} trained)",
        WEIGHTS.len(),
        expected.len()
    );
}

#[test]
fn the_embedded_model_answers_with_a_confidence_for_each_label() {
    let assessment = OfflineTriage::new().assess("I was charged twice this month, please refund one payment");
    let confidence = assessment.confidence.expect("the offline classifier says how sure it is");
    assert!((0.0..=1.0).contains(&confidence.category), "{confidence:?}");
    assert!((0.0..=1.0).contains(&confidence.priority), "{confidence:?}");
    let classification = OfflineTriage::new().classify("I was charged twice this month, please refund one payment");
    assert_eq!(assessment.classification, classification);
}
