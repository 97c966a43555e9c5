//! Measures a ticket classifier against the writers' labelled lines in `eval/writers/`.
//!
//! ```text
//! cargo run --release --bin evaluate -- [--classifier offline|llm]
//!     [--category-signals W] [--priority-signals W] [--lambda L] [--epochs N] [--char-ngrams MIN-MAX]
//! ```
//!
//! The offline classifier is scored leave-one-writer-out: for each writer, a model trained in
//! memory on every other writer scores that writer's lines. The options change that model's
//! recipe, to compare with the standard one; the report ends with the time per call of the
//! embedded model. The LLM is scored on every line. The classifier defaults to `llm` when
//! `OPENAI_API_KEY` or `OPENAI_BASE_URL` is set, else `offline`; the LLM is configured by
//! `OPENAI_BASE_URL`, `OPENAI_API_KEY` and `OPENAI_MODEL`. A failed LLM call counts as a miss
//! for both labels.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use adapters_llm::{LlmSettings, OpenAiClassifier};
use adapters_offline_classifier::OfflineTriage;
use adapters_offline_classifier::evaluation::{Report, Writer, load_writers};
use adapters_offline_classifier::lowo;
use adapters_offline_classifier::model::Recipe;
use anyhow::{Context, bail};
use domain::{OfflineClassifier, TicketClassifier};

const USAGE: &str = "usage: evaluate [--classifier offline|llm] [--category-signals W] [--priority-signals W] \
                     [--lambda L] [--epochs N] [--char-ngrams MIN-MAX]";

#[derive(Clone, Copy, Debug)]
enum ClassifierKind {
    Offline,
    Llm,
}

struct Options {
    classifier: ClassifierKind,
    recipe: Recipe,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Some(options) = parse_args(std::env::args().skip(1))? else {
        println!("{USAGE}");
        return Ok(());
    };
    let directory = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("eval/writers");
    let writers = load_writers(&directory).map_err(anyhow::Error::msg).context("cannot read the writers")?;
    match options.classifier {
        ClassifierKind::Offline => evaluate_offline(&writers, &options.recipe),
        ClassifierKind::Llm => evaluate_llm(&llm_from_env()?, &writers).await,
    }
    Ok(())
}

/// `None` when help was asked for.
fn parse_args(mut args: impl Iterator<Item = String>) -> anyhow::Result<Option<Options>> {
    let mut options = Options { classifier: default_classifier(), recipe: Recipe::STANDARD };
    while let Some(arg) = args.next() {
        let recipe = &mut options.recipe;
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--classifier" => options.classifier = parse_classifier(args.next().as_deref())?,
            "--category-signals" => recipe.category_signals = parse_value(&arg, args.next())?,
            "--priority-signals" => recipe.priority_signals = parse_value(&arg, args.next())?,
            "--lambda" => recipe.training.lambda = parse_value(&arg, args.next())?,
            "--epochs" => recipe.training.epochs = parse_value(&arg, args.next())?,
            "--char-ngrams" => {
                let value = args.next().unwrap_or_default();
                let (min, max) =
                    value.split_once('-').with_context(|| format!("--char-ngrams takes MIN-MAX\n{USAGE}"))?;
                recipe.features.char_min = parse_value(&arg, Some(min.to_owned()))?;
                recipe.features.char_max = parse_value(&arg, Some(max.to_owned()))?;
            }
            other => bail!("unexpected argument {other:?}\n{USAGE}"),
        }
    }
    Ok(Some(options))
}

fn parse_value<T: std::str::FromStr>(name: &str, value: Option<String>) -> anyhow::Result<T> {
    let value = value.with_context(|| format!("{name} needs a value\n{USAGE}"))?;
    value.parse().map_err(|_| anyhow::anyhow!("{name} cannot take {value:?}\n{USAGE}"))
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

fn evaluate_offline(writers: &[Writer], recipe: &Recipe) {
    let classifier = OfflineTriage::new();
    println!("classifier: {}", classifier.describe());
    if *recipe != Recipe::STANDARD {
        println!("recipe (not the standard one): {recipe:?}");
    }
    print!("{}", lowo::cross_validate(writers, recipe).report());
    println!();
    let descriptions: Vec<&str> =
        writers.iter().flat_map(|writer| &writer.tickets).map(|ticket| ticket.description.as_str()).collect();
    let (mean, p99) = time_per_call(&classifier, &descriptions);
    println!(
        "time per call of the embedded model (assess, {} lines, 5 rounds): mean {mean:?}, p99 {p99:?}",
        descriptions.len()
    );
}

/// The mean and 99th percentile of the time `classifier.assess` takes per description, over
/// five rounds after a warm-up call.
fn time_per_call(classifier: &OfflineTriage, descriptions: &[&str]) -> (Duration, Duration) {
    classifier.assess("warm up");
    let mut times: Vec<Duration> = Vec::with_capacity(descriptions.len() * 5);
    for _ in 0..5 {
        for description in descriptions {
            let started = Instant::now();
            std::hint::black_box(classifier.assess(description));
            times.push(started.elapsed());
        }
    }
    times.sort();
    let total: Duration = times.iter().sum();
    let mean = u32::try_from(times.len()).ok().filter(|&n| n > 0).map_or(Duration::ZERO, |n| total / n);
    let p99 = times.get(times.len() * 99 / 100).copied().unwrap_or_default();
    (mean, p99)
}

/// Calls the LLM once per line, one call at a time.
async fn evaluate_llm(classifier: &dyn TicketClassifier, writers: &[Writer]) {
    println!("classifier: {}", classifier.describe());
    let mut overall = Report::new();
    let started = Instant::now();
    for writer in writers {
        let mut report = Report::new();
        for ticket in &writer.tickets {
            match classifier.classify(&ticket.description).await {
                Ok(classification) => {
                    report.record(ticket, classification);
                    overall.record(ticket, classification);
                }
                Err(error) => {
                    eprintln!("classifier call failed: {error}");
                    report.record_failure(ticket);
                    overall.record_failure(ticket);
                }
            }
        }
        println!(
            "  {:<24}{:>5} lines  category {:.3}  priority {:.3}",
            writer.name,
            report.total(),
            report.category_accuracy(),
            report.priority_accuracy()
        );
    }
    let calls = u32::try_from(overall.total()).unwrap_or(u32::MAX).max(1);
    println!("mean time per call: {:?}", started.elapsed() / calls);
    println!();
    print!("{overall}");
}
