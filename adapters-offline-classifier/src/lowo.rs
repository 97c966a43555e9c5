//! Leave-one-writer-out: for each writer, a model trained in memory on every other writer
//! scores that writer's lines, so that no line is scored by a model that learned from its
//! writer. The calibration of the scored writer's confidences is fitted, likewise, on the other
//! writers' out-of-writer predictions only.

use std::collections::BTreeMap;
use std::fmt;
use std::time::{Duration, Instant};

use domain::Classification;

use crate::calibration::{Calibration, Reliability};
use crate::evaluation::{Report, Writer};
use crate::model::{Example, Model, Prediction, Recipe, Trained};
use crate::rules::RuleSet;

/// Every writer's lines, each predicted by a model that never saw that writer.
pub struct CrossValidation<'a> {
    writers: &'a [Writer],
    /// `predictions[writer][line]`.
    predictions: Vec<Vec<Prediction>>,
    elapsed: Duration,
}

/// Trains one model per writer left out, on as many threads as there are cores.
pub fn cross_validate<'a>(writers: &'a [Writer], recipe: &Recipe) -> CrossValidation<'a> {
    let started = Instant::now();
    let examples = examples(writers, recipe);
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(writers.len().max(1));
    let mut predictions: Vec<Vec<Prediction>> = vec![Vec::new(); writers.len()];
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|worker| {
                let examples = &examples;
                scope.spawn(move || {
                    (worker..writers.len())
                        .step_by(threads)
                        .map(|held_out| {
                            let model = fit_without(writers, examples, Some(held_out), recipe);
                            let predicted = examples[held_out].iter().map(|e| model.predict_example(e)).collect();
                            (held_out, predicted)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        for worker in workers {
            for (held_out, predicted) in worker.join().expect("a training thread panicked") {
                predictions[held_out] = predicted;
            }
        }
    });
    CrossValidation { writers, predictions, elapsed: started.elapsed() }
}

/// The shipped model: trained on every writer, with calibration maps fitted on every writer's
/// leave-one-writer-out predictions. Also returns those predictions, to report on.
pub fn train<'a>(writers: &'a [Writer], recipe: &Recipe) -> (Trained, CrossValidation<'a>) {
    let validation = cross_validate(writers, recipe);
    let model = fit_without(writers, &examples(writers, recipe), None, recipe);
    let (category_calibration, priority_calibration) = validation.calibrations(None);
    (Trained { model, category_calibration, priority_calibration }, validation)
}

fn examples(writers: &[Writer], recipe: &Recipe) -> Vec<Vec<Example>> {
    let rules = RuleSet::standard();
    writers
        .iter()
        .map(|writer| writer.tickets.iter().map(|ticket| Example::new(&ticket.description, &rules, recipe)).collect())
        .collect()
}

fn fit_without(writers: &[Writer], examples: &[Vec<Example>], held_out: Option<usize>, recipe: &Recipe) -> Model {
    let training: Vec<_> = writers
        .iter()
        .zip(examples)
        .enumerate()
        .filter(|(index, _)| Some(*index) != held_out)
        .flat_map(|(_, (writer, examples))| {
            writer.tickets.iter().zip(examples).map(|(ticket, example)| (example, ticket.category, ticket.priority))
        })
        .collect();
    Model::fit(&training, recipe)
}

impl CrossValidation<'_> {
    /// The calibration maps for category and priority, fitted on every writer's predictions
    /// except `except`'s.
    pub fn calibrations(&self, except: Option<usize>) -> (Calibration, Calibration) {
        let mut category = Vec::new();
        let mut priority = Vec::new();
        for (index, (writer, predictions)) in self.writers.iter().zip(&self.predictions).enumerate() {
            if Some(index) == except {
                continue;
            }
            for (ticket, prediction) in writer.tickets.iter().zip(predictions) {
                category.push((prediction.category_probability, prediction.category == ticket.category));
                priority.push((prediction.priority_probability, prediction.priority == ticket.priority));
            }
        }
        (Calibration::fit(&category), Calibration::fit(&priority))
    }

    pub fn report(&self) -> LowoReport {
        let mut report = LowoReport { trainings: self.writers.len(), elapsed: self.elapsed, ..LowoReport::default() };
        for (index, (writer, predictions)) in self.writers.iter().zip(&self.predictions).enumerate() {
            let (category_calibration, priority_calibration) = self.calibrations(Some(index));
            let mut by_writer = Report::new();
            for (ticket, prediction) in writer.tickets.iter().zip(predictions) {
                let classification = Classification { category: prediction.category, priority: prediction.priority };
                by_writer.record(ticket, classification);
                report.overall.record(ticket, classification);
                report.by_lang.entry(ticket.lang.clone()).or_default().record(ticket, classification);
                let ambiguity = match ticket.ambiguous {
                    Some(true) => "ambiguous",
                    Some(false) => "clear",
                    None => "unmarked",
                };
                report.by_ambiguity.entry(ambiguity).or_default().record(ticket, classification);
                let category = Scored {
                    confidence: category_calibration.apply(prediction.category_probability),
                    right: prediction.category == ticket.category,
                };
                let priority = Scored {
                    confidence: priority_calibration.apply(prediction.priority_probability),
                    right: prediction.priority == ticket.priority,
                };
                report.category_reliability.record(category.confidence, category.right);
                report.priority_reliability.record(priority.confidence, priority.right);
                report.scored.push((category, priority));
            }
            report.by_writer.push((writer.name.clone(), by_writer));
        }
        report
    }
}

/// A calibrated confidence and whether its label was right.
#[derive(Clone, Copy, Debug, Default)]
struct Scored {
    confidence: f32,
    right: bool,
}

/// What leave-one-writer-out measured: accuracy overall, per writer, per language and on the
/// lines the writers meant as ambiguous; confusion matrices; and how well the confidences,
/// calibrated without the scored writer, match the accuracy.
#[derive(Default)]
pub struct LowoReport {
    overall: Report,
    by_writer: Vec<(String, Report)>,
    by_lang: BTreeMap<String, Report>,
    by_ambiguity: BTreeMap<&'static str, Report>,
    category_reliability: Reliability,
    priority_reliability: Reliability,
    scored: Vec<(Scored, Scored)>,
    trainings: usize,
    elapsed: Duration,
}

/// The confidence thresholds the report shows preselection figures for.
const THRESHOLDS: [f32; 7] = [0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9];

impl LowoReport {
    pub fn overall(&self) -> &Report {
        &self.overall
    }

    /// Each writer's name and report, in file name order.
    pub fn by_writer(&self) -> &[(String, Report)] {
        &self.by_writer
    }

    pub fn category_calibration_error(&self) -> f64 {
        self.category_reliability.expected_calibration_error()
    }

    pub fn priority_calibration_error(&self) -> f64 {
        self.priority_reliability.expected_calibration_error()
    }

    /// Of the category (`true`) or priority suggestions with confidence at or above
    /// `threshold`: their share of all suggestions and their accuracy.
    pub fn preselection(&self, category: bool, threshold: f32) -> (f64, f64) {
        let chosen: Vec<Scored> = self
            .scored
            .iter()
            .map(|&(c, p)| if category { c } else { p })
            .filter(|scored| scored.confidence >= threshold)
            .collect();
        let right = chosen.iter().filter(|scored| scored.right).count();
        let share = chosen.len() as f64 / self.scored.len().max(1) as f64;
        (share, right as f64 / chosen.len().max(1) as f64)
    }
}

impl fmt::Display for LowoReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let overall = &self.overall;
        writeln!(
            f,
            "leave-one-writer-out: {} writers, {} lines, {} trainings in {:.1?}",
            self.by_writer.len(),
            overall.total(),
            self.trainings,
            self.elapsed
        )?;
        writeln!(
            f,
            "category accuracy {:.3} (macro-F1 {:.3}), priority accuracy {:.3} (macro-F1 {:.3}), both {:.3}",
            overall.category_accuracy(),
            overall.category_macro_f1(),
            overall.priority_accuracy(),
            overall.priority_macro_f1(),
            overall.exact_accuracy()
        )?;
        writeln!(f)?;
        table(f, "writer", self.by_writer.iter().map(|(name, report)| (name.as_str(), report)))?;
        writeln!(f)?;
        table(f, "language", self.by_lang.iter().map(|(lang, report)| (lang.as_str(), report)))?;
        writeln!(f)?;
        table(f, "ambiguity", self.by_ambiguity.iter().map(|(name, report)| (*name, report)))?;
        writeln!(f)?;
        write!(f, "{overall}")?;
        writeln!(f)?;
        writeln!(f, "reliability (calibrated confidence vs accuracy, each writer calibrated without its lines):")?;
        for (name, reliability) in [("category", &self.category_reliability), ("priority", &self.priority_reliability)]
        {
            writeln!(f, "  {name:<10}{:>8}{:>12}{:>10}", "lines", "confidence", "accuracy")?;
            for (from, to, count, confidence, accuracy) in reliability.rows() {
                writeln!(f, "  {from:.1}-{to:.1}   {count:>8}{confidence:>12.3}{accuracy:>10.3}")?;
            }
            writeln!(f, "  expected calibration error: {:.3}", reliability.expected_calibration_error())?;
        }
        writeln!(f)?;
        writeln!(f, "preselection at a confidence threshold (share of suggestions at or above it, their accuracy):")?;
        writeln!(f, "  {:<10}{:>10}{:>10}{:>10}{:>10}", "threshold", "category", "right", "priority", "right")?;
        for threshold in THRESHOLDS {
            let (category_share, category_right) = self.preselection(true, threshold);
            let (priority_share, priority_right) = self.preselection(false, threshold);
            writeln!(
                f,
                "  {threshold:<10.2}{category_share:>10.3}{category_right:>10.3}{priority_share:>10.3}{priority_right:>10.3}"
            )?;
        }
        Ok(())
    }
}

fn table<'a>(
    f: &mut fmt::Formatter<'_>,
    heading: &str,
    rows: impl Iterator<Item = (&'a str, &'a Report)>,
) -> fmt::Result {
    writeln!(f, "  {heading:<24}{:>7}{:>10}{:>10}{:>10}{:>10}", "lines", "category", "cat-F1", "priority", "pri-F1")?;
    for (name, report) in rows {
        writeln!(
            f,
            "  {name:<24}{:>7}{:>10.3}{:>10.3}{:>10.3}{:>10.3}",
            report.total(),
            report.category_accuracy(),
            report.category_macro_f1(),
            report.priority_accuracy(),
            report.priority_macro_f1()
        )?;
    }
    Ok(())
}
