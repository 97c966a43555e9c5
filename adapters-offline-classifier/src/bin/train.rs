//! Trains the offline classifier on every writer in `eval/writers/` and writes the weights file
//! that the binary embeds:
//!
//! ```text
//! cargo run --release -p adapters-offline-classifier --bin train [-- OUTPUT]
//! ```
//!
//! `OUTPUT` defaults to `adapters-offline-classifier/weights/triage.bin`. The same data always
//! gives the same bytes.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use adapters_offline_classifier::evaluation::load_writers;
use adapters_offline_classifier::lowo;
use adapters_offline_classifier::model::Recipe;

fn main() -> ExitCode {
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let output = std::env::args().nth(1).map_or_else(|| crate_dir.join("weights/triage.bin"), PathBuf::from);
    let writers = match load_writers(&crate_dir.join("../eval/writers")) {
        Ok(writers) => writers,
        Err(error) => {
            eprintln!("{error}");
            return ExitCode::FAILURE;
        }
    };
    let (trained, validation) = lowo::train(&writers, &Recipe::STANDARD);
    let bytes = trained.to_bytes();
    if let Err(error) = std::fs::write(&output, &bytes) {
        eprintln!("cannot write {}: {error}", output.display());
        return ExitCode::FAILURE;
    }
    let report = validation.report();
    let overall = report.overall();
    println!(
        "wrote {} ({} bytes) from {} writers, {} lines; leave-one-writer-out category {:.3}, priority {:.3}",
        output.display(),
        bytes.len(),
        writers.len(),
        overall.total(),
        overall.category_accuracy(),
        overall.priority_accuracy()
    );
    ExitCode::SUCCESS
}
