//! Measures a ticket classifier against the labelled sets in `eval/`.
//!
//! ```text
//! cargo run --release --bin evaluate -- [--split tune|holdout|all] [--classifier offline|llm]
//! ```
//!
//! The split defaults to `holdout`. The classifier defaults to `llm` when `OPENAI_API_KEY` or
//! `OPENAI_BASE_URL` is set, else `offline`; the LLM is configured by `OPENAI_BASE_URL`,
//! `OPENAI_API_KEY` and `OPENAI_MODEL`. A failed LLM call counts as a miss for both labels.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use adapters_llm::{LlmSettings, OpenAiClassifier};
use adapters_offline_classifier::KeywordClassifier;
use adapters_offline_classifier::evaluation::{LabelledTicket, Report, parse_jsonl};
use anyhow::{Context, bail};
use domain::{OfflineClassifier, TicketClassifier};

const USAGE: &str = "usage: evaluate [--split tune|holdout|all] [--classifier offline|llm]";

#[derive(Clone, Copy, Debug)]
enum Split {
    Tune,
    Holdout,
    All,
}

impl Split {
    fn files(self) -> &'static [&'static str] {
        match self {
            Split::Tune => &["tune.jsonl"],
            Split::Holdout => &["holdout.jsonl"],
            Split::All => &["tune.jsonl", "holdout.jsonl"],
        }
    }

    fn name(self) -> &'static str {
        match self {
            Split::Tune => "tune",
            Split::Holdout => "holdout",
            Split::All => "all",
        }
    }
}

#[derive(Clone, Copy, Debug)]
enum ClassifierKind {
    Offline,
    Llm,
}

struct Options {
    split: Split,
    classifier: ClassifierKind,
}

/// A report and how long the classifier took, on average, per ticket.
struct Evaluation {
    classifier: String,
    report: Report,
    mean_time: Duration,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Some(options) = parse_args(std::env::args().skip(1))? else {
        println!("{USAGE}");
        return Ok(());
    };
    let tickets = load(options.split)?;
    let evaluation = match options.classifier {
        ClassifierKind::Offline => evaluate_offline(&KeywordClassifier::new(), &tickets),
        ClassifierKind::Llm => evaluate_llm(&llm_from_env()?, &tickets).await,
    };
    println!("classifier: {}", evaluation.classifier);
    println!("split: {} ({} tickets)", options.split.name(), tickets.len());
    println!("mean time per call: {:?}", evaluation.mean_time);
    println!();
    print!("{}", evaluation.report);
    Ok(())
}

/// `None` when help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> anyhow::Result<Option<Options>> {
    let mut options = Options { split: Split::Holdout, classifier: default_classifier() };
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--split" => options.split = parse_split(args.next().as_deref())?,
            "--classifier" => options.classifier = parse_classifier(args.next().as_deref())?,
            other => bail!("unexpected argument {other:?}\n{USAGE}"),
        }
    }
    Ok(Some(options))
}

fn parse_split(value: Option<&str>) -> anyhow::Result<Split> {
    match value {
        Some("tune") => Ok(Split::Tune),
        Some("holdout") => Ok(Split::Holdout),
        Some("all") => Ok(Split::All),
        Some(other) => bail!("--split takes tune, holdout or all, not {other:?}\n{USAGE}"),
        None => bail!("--split needs a value\n{USAGE}"),
    }
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

fn load(split: Split) -> anyhow::Result<Vec<LabelledTicket>> {
    let mut tickets = Vec::new();
    for file in split.files() {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("eval").join(file);
        let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let parsed = parse_jsonl(&text).map_err(anyhow::Error::msg);
        tickets.extend(parsed.with_context(|| format!("invalid {}", path.display()))?);
    }
    Ok(tickets)
}

fn evaluate_offline(classifier: &dyn OfflineClassifier, tickets: &[LabelledTicket]) -> Evaluation {
    let mut report = Report::new();
    let started = Instant::now();
    for ticket in tickets {
        report.record(ticket, classifier.classify(&ticket.description));
    }
    Evaluation { classifier: classifier.describe(), report, mean_time: mean(started.elapsed(), tickets.len()) }
}

/// Calls the LLM once per ticket, one call at a time.
async fn evaluate_llm(classifier: &dyn TicketClassifier, tickets: &[LabelledTicket]) -> Evaluation {
    let mut report = Report::new();
    let started = Instant::now();
    for ticket in tickets {
        match classifier.classify(&ticket.description).await {
            Ok(classification) => report.record(ticket, classification),
            Err(error) => {
                eprintln!("classifier call failed: {error}");
                report.record_failure(ticket);
            }
        }
    }
    Evaluation { classifier: classifier.describe(), report, mean_time: mean(started.elapsed(), tickets.len()) }
}

fn mean(total: Duration, calls: usize) -> Duration {
    u32::try_from(calls).ok().filter(|&calls| calls > 0).map_or(Duration::ZERO, |calls| total / calls)
}
