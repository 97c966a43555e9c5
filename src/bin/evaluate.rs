//! Measures a ticket classifier against the writers' labelled lines in `eval/writers/`.
//!
//! ```text
//! cargo run --release --bin evaluate -- [--classifier offline|llm]
//! ```
//!
//! Every writer's lines are scored, and reported per writer and together. The classifier defaults to `llm` when `OPENAI_API_KEY` or
//! `OPENAI_BASE_URL` is set, else `offline`; the LLM is configured by `OPENAI_BASE_URL`,
//! `OPENAI_API_KEY` and `OPENAI_MODEL`. A failed LLM call counts as a miss for both labels.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use adapters_llm::{LlmSettings, OpenAiClassifier};
use adapters_offline_classifier::KeywordClassifier;
use adapters_offline_classifier::evaluation::{LabelledTicket, Report, Writer, load_writers};
use anyhow::{Context, bail};
use domain::{OfflineClassifier, TicketClassifier};

const USAGE: &str = "usage: evaluate [--classifier offline|llm]";

#[derive(Clone, Copy, Debug)]
enum ClassifierKind {
    Offline,
    Llm,
}

struct Options {
    classifier: ClassifierKind,
}

/// A report per writer and one for all, and how long the classifier took, on average, per
/// ticket.
struct Evaluation {
    classifier: String,
    by_writer: Vec<(String, Report)>,
    report: Report,
    mean_time: Duration,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Some(options) = parse_args(std::env::args().skip(1))? else {
        println!("{USAGE}");
        return Ok(());
    };
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("eval/writers");
    let writers = load_writers(&directory).map_err(anyhow::Error::msg).context("cannot read the writers")?;
    let evaluation = match options.classifier {
        ClassifierKind::Offline => evaluate_offline(&KeywordClassifier::new(), &writers),
        ClassifierKind::Llm => evaluate_llm(&llm_from_env()?, &writers).await,
    };
    println!("classifier: {}", evaluation.classifier);
    println!("writers: {} ({} tickets)", writers.len(), evaluation.report.total());
    println!("mean time per call: {:?}", evaluation.mean_time);
    println!();
    for (name, report) in &evaluation.by_writer {
        println!(
            "  {name:<24}{:>5} lines  category {:.3}  priority {:.3}",
            report.total(),
            report.category_accuracy(),
            report.priority_accuracy()
        );
    }
    println!();
    print!("{}", evaluation.report);
    Ok(())
}

/// `None` when help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> anyhow::Result<Option<Options>> {
    let mut options = Options { classifier: default_classifier() };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--classifier" => options.classifier = parse_classifier(args.next().as_deref())?,
            other => bail!("unexpected argument {other:?}\n{USAGE}"),
        }
    }
    Ok(Some(options))
}

fn parse_classifier(value: Option<&str>) -> anyhow::Result<ClassifierKind> {
    match value {
        Some("offline") => Ok(ClassifierKind::Offline),
        Some("llm") => Ok(ClassifierKind::Llm),
        Some(other) => bail!("--classifier takes offline or llm, not {other:?}\n{USAGE}"),
        None => bail!("--classifier needs a value\n{USAGE}"),
    }
}

fn default_classifier() -> ClassifierKind {
    let configured = |name| env_value(name).is_some();
    if configured("OPENAI_API_KEY") || configured("OPENAI_BASE_URL") {
        ClassifierKind::Llm
    } else {
        ClassifierKind::Offline
    }
}

fn env_value(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.trim().is_empty())
}

fn llm_from_env() -> anyhow::Result<OpenAiClassifier> {
    let settings =
        LlmSettings::new(env_value("OPENAI_BASE_URL"), env_value("OPENAI_API_KEY"), env_value("OPENAI_MODEL"));
    OpenAiClassifier::new(settings).context("cannot set up the LLM classifier")
}

fn evaluate_offline(classifier: &dyn OfflineClassifier, writers: &[Writer]) -> Evaluation {
    let mut by_writer = Vec::new();
    let mut report = Report::new();
    let started = Instant::now();
    for writer in writers {
        let mut writer_report = Report::new();
        for ticket in &writer.tickets {
            let classification = classifier.classify(&ticket.description);
            writer_report.record(ticket, classification);
            report.record(ticket, classification);
        }
        by_writer.push((writer.name.clone(), writer_report));
    }
    let mean_time = mean(started.elapsed(), report.total());
    Evaluation { classifier: classifier.describe(), by_writer, report, mean_time }
}

/// Calls the LLM once per ticket, one call at a time.
async fn evaluate_llm(classifier: &dyn TicketClassifier, writers: &[Writer]) -> Evaluation {
    let mut by_writer = Vec::new();
    let mut report = Report::new();
    let started = Instant::now();
    for writer in writers {
        let mut writer_report = Report::new();
        for ticket in &writer.tickets {
            let outcome = classifier.classify(&ticket.description).await;
            record(&mut writer_report, ticket, &outcome);
            record(&mut report, ticket, &outcome);
            if let Err(error) = outcome {
                eprintln!("classifier call failed: {error}");
            }
        }
        by_writer.push((writer.name.clone(), writer_report));
    }
    let mean_time = mean(started.elapsed(), report.total());
    Evaluation { classifier: classifier.describe(), by_writer, report, mean_time }
}

fn record<E>(report: &mut Report, ticket: &LabelledTicket, outcome: &Result<domain::Classification, E>) {
    match outcome {
        Ok(classification) => report.record(ticket, *classification),
        Err(_) => report.record_failure(ticket),
    }
}

fn mean(total: Duration, calls: usize) -> Duration {
    u32::try_from(calls).ok().filter(|&calls| calls > 0).map_or(Duration::ZERO, |calls| total / calls)
}
