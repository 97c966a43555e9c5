//! Measuring a classifier against labelled tickets: reading the writers' JSON Lines files in
//! `eval/writers/` and reporting accuracy, macro-F1 and confusion matrices.

use std::fmt;
use std::path::Path;

use domain::{Category, Choice, Classification, Priority};
use serde::Deserialize;

/// A description with the labels a person gave it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LabelledTicket {
    pub description: String,
    pub category: Category,
    pub priority: Priority,
    /// The language's ISO 639-1 code: `en`, `de`, `es`, `fr`, `pt`, `it` or `nl`.
    pub lang: String,
    /// Whether the writer meant the line to be a hard case; `None` for writers who did not say.
    pub ambiguous: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct LabelledLine {
    description: String,
    category: String,
    priority: String,
    lang: String,
    ambiguous: Option<bool>,
}

/// The lines one writer wrote, from one file of `eval/writers/`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Writer {
    /// The file name without `.jsonl`.
    pub name: String,
    pub tickets: Vec<LabelledTicket>,
}

/// Every `*.jsonl` file in `dir`, one writer each, in file name order.
pub fn load_writers(dir: &Path) -> Result<Vec<Writer>, String> {
    let entries = std::fs::read_dir(dir).map_err(|error| format!("cannot list {}: {error}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.map_err(|error| format!("cannot list {}: {error}", dir.display()))?.path();
        if path.extension().is_some_and(|extension| extension == "jsonl") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text =
                std::fs::read_to_string(path).map_err(|error| format!("cannot read {}: {error}", path.display()))?;
            let tickets = parse_jsonl(&text).map_err(|error| format!("{}: {error}", path.display()))?;
            let name = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            Ok(Writer { name, tickets })
        })
        .collect()
}

/// Parses JSON Lines of `{"description", "category", "priority", "lang", "ambiguous"}`
/// (`ambiguous` may be `null` or left out); blank lines are skipped. The error names the first
/// bad line (1-based) and what is wrong with it.
pub fn parse_jsonl(text: &str) -> Result<Vec<LabelledTicket>, String> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| parse_line(line).map_err(|error| format!("line {}: {error}", index + 1)))
        .collect()
}

fn parse_line(line: &str) -> Result<LabelledTicket, String> {
    let raw: LabelledLine = serde_json::from_str(line).map_err(|error| error.to_string())?;
    Ok(LabelledTicket {
        category: parse_label(&raw.category, "category")?,
        priority: parse_label(&raw.priority, "priority")?,
        description: raw.description,
        lang: raw.lang,
        ambiguous: raw.ambiguous,
    })
}

fn parse_label<C: Choice>(label: &str, field: &str) -> Result<C, String> {
    C::parse(label).ok_or_else(|| format!("unknown {field} {label:?}"))
}

/// Accumulates predictions against the true labels, for both category and priority.
#[derive(Clone, Debug, Default)]
pub struct Report {
    category: Confusion<Category>,
    priority: Confusion<Priority>,
    both_correct: usize,
    failures: usize,
}

impl Report {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn record(&mut self, truth: &LabelledTicket, predicted: Classification) {
        self.category.record(truth.category, Some(predicted.category));
        self.priority.record(truth.priority, Some(predicted.priority));
        if truth.category == predicted.category && truth.priority == predicted.priority {
            self.both_correct += 1;
        }
    }

    /// A classifier that gave no answer: a miss for both labels.
    pub fn record_failure(&mut self, truth: &LabelledTicket) {
        self.category.record(truth.category, None);
        self.priority.record(truth.priority, None);
        self.failures += 1;
    }

    /// How many tickets were recorded, failures included.
    pub fn total(&self) -> usize {
        self.category.total()
    }

    pub fn failures(&self) -> usize {
        self.failures
    }

    pub fn category_accuracy(&self) -> f64 {
        self.category.accuracy()
    }

    pub fn priority_accuracy(&self) -> f64 {
        self.priority.accuracy()
    }

    pub fn category_macro_f1(&self) -> f64 {
        self.category.macro_f1()
    }

    pub fn priority_macro_f1(&self) -> f64 {
        self.priority.macro_f1()
    }

    /// The share of tickets with both labels right.
    pub fn exact_accuracy(&self) -> f64 {
        ratio(self.both_correct, self.total())
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "tickets: {} (failed calls: {})", self.total(), self.failures)?;
        writeln!(f, "both labels right: {:.3} ({}/{})", self.exact_accuracy(), self.both_correct, self.total())?;
        writeln!(f)?;
        self.category.render("category", f)?;
        writeln!(f)?;
        self.priority.render("priority", f)
    }
}

/// Counts of (true label, predicted label); `None` predictions are failed calls.
#[derive(Clone, Debug)]
struct Confusion<C: Choice> {
    /// `counts[truth][predicted]`, indexed by position in `C::ALL`.
    counts: Vec<Vec<usize>>,
    failed: Vec<usize>,
    _labels: std::marker::PhantomData<C>,
}

impl<C: Choice> Default for Confusion<C> {
    fn default() -> Self {
        let size = C::ALL.len();
        Self { counts: vec![vec![0; size]; size], failed: vec![0; size], _labels: std::marker::PhantomData }
    }
}

impl<C: Choice + fmt::Display> Confusion<C> {
    fn record(&mut self, truth: C, predicted: Option<C>) {
        let row = index_of(truth);
        match predicted {
            Some(predicted) => self.counts[row][index_of(predicted)] += 1,
            None => self.failed[row] += 1,
        }
    }

    fn total(&self) -> usize {
        self.counts.iter().flatten().sum::<usize>() + self.failed.iter().sum::<usize>()
    }

    fn correct(&self) -> usize {
        (0..C::ALL.len()).map(|i| self.counts[i][i]).sum()
    }

    fn accuracy(&self) -> f64 {
        ratio(self.correct(), self.total())
    }

    /// The unweighted mean of F1 over the labels that occur as truth or prediction; a failed
    /// call counts against its true label.
    fn macro_f1(&self) -> f64 {
        let scores: Vec<f64> = (0..C::ALL.len()).filter_map(|label| self.f1(label)).collect();
        if scores.is_empty() {
            return 0.0;
        }
        scores.iter().sum::<f64>() / scores.len() as f64
    }

    /// F1 of one label, `None` if it never occurs.
    fn f1(&self, label: usize) -> Option<f64> {
        let true_positives = self.counts[label][label];
        let actual = self.counts[label].iter().sum::<usize>() + self.failed[label];
        let predicted: usize = self.counts.iter().map(|row| row[label]).sum();
        let occurrences = actual + predicted;
        (occurrences > 0).then(|| 2.0 * true_positives as f64 / occurrences as f64)
    }

    /// The share of a label's true cases predicted as that label.
    fn recall(&self, label: usize) -> f64 {
        ratio(self.counts[label][label], self.counts[label].iter().sum::<usize>() + self.failed[label])
    }

    /// The share of a label's predictions that were right.
    fn precision(&self, label: usize) -> f64 {
        ratio(self.counts[label][label], self.counts.iter().map(|row| row[label]).sum())
    }

    /// The accuracy line, then the matrix with each label's recall, then each label's precision.
    fn render(&self, name: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{name} accuracy: {:.3} ({}/{}), macro-F1: {:.3}",
            self.accuracy(),
            self.correct(),
            self.total(),
            self.macro_f1()
        )?;
        write!(f, "  {:<10}", "true \\ got")?;
        for label in C::ALL {
            write!(f, "{:>10}", label.as_str())?;
        }
        let with_failures = self.failed.iter().any(|&n| n > 0);
        if with_failures {
            write!(f, "{:>10}", "failed")?;
        }
        writeln!(f, "{:>10}", "recall")?;
        for (row, label) in C::ALL.iter().enumerate() {
            write!(f, "  {:<10}", label.as_str())?;
            for count in &self.counts[row] {
                write!(f, "{count:>10}")?;
            }
            if with_failures {
                write!(f, "{:>10}", self.failed[row])?;
            }
            writeln!(f, "{:>10.3}", self.recall(row))?;
        }
        write!(f, "  {:<10}", "precision")?;
        for label in 0..C::ALL.len() {
            write!(f, "{:>10.3}", self.precision(label))?;
        }
        writeln!(f)
    }
}

fn index_of<C: Choice>(label: C) -> usize {
    C::ALL.iter().position(|&known| known == label).unwrap_or_default()
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 { 0.0 } else { part as f64 / whole as f64 }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(category: Category, priority: Priority) -> LabelledTicket {
        LabelledTicket { description: String::new(), category, priority, lang: "en".into(), ambiguous: None }
    }

    #[test]
    fn parses_labelled_lines_and_skips_blank_ones() {
        let text = concat!(
            "{\"description\": \"cant log in\", \"category\": \"account\", \"priority\": \"high\", ",
            "\"lang\": \"en\", \"ambiguous\": true}\n\n",
            "{\"description\": \"hola\", \"category\": \"general\", \"priority\": \"low\", \"lang\": \"es\", ",
            "\"ambiguous\": null}\n",
        );
        let tickets = parse_jsonl(text).expect("valid");
        assert_eq!(
            tickets,
            [
                LabelledTicket {
                    description: "cant log in".into(),
                    category: Category::Account,
                    priority: Priority::High,
                    lang: "en".into(),
                    ambiguous: Some(true),
                },
                LabelledTicket {
                    description: "hola".into(),
                    category: Category::General,
                    priority: Priority::Low,
                    lang: "es".into(),
                    ambiguous: None,
                }
            ]
        );
    }

    #[test]
    fn a_bad_line_is_reported_with_its_number() {
        let text = "\n{\"description\": \"x\", \"category\": \"sales\", \"priority\": \"low\", \"lang\": \"en\"}";
        assert_eq!(parse_jsonl(text), Err("line 2: unknown category \"sales\"".into()));
        assert!(parse_jsonl("not json").is_err_and(|e| e.starts_with("line 1: ")));
    }

    #[test]
    fn accuracy_counts_failures_as_misses() {
        let mut report = Report::new();
        let truth = ticket(Category::Billing, Priority::High);
        report.record(&truth, Classification { category: Category::Billing, priority: Priority::High });
        report.record(&truth, Classification { category: Category::Billing, priority: Priority::Low });
        report.record_failure(&truth);
        report.record(&truth, Classification { category: Category::General, priority: Priority::High });
        assert_eq!(report.total(), 4);
        assert_eq!(report.failures(), 1);
        assert_eq!(report.category_accuracy(), 0.5);
        assert_eq!(report.priority_accuracy(), 0.5);
        assert_eq!(report.exact_accuracy(), 0.25);
    }

    #[test]
    fn macro_f1_averages_over_every_label() {
        let mut report = Report::new();
        for category in [Category::Billing, Category::Technical, Category::Account, Category::General] {
            let truth = ticket(category, Priority::Low);
            report.record(&truth, Classification { category, priority: Priority::Low });
        }
        assert_eq!(report.category_macro_f1(), 1.0);
        assert_eq!(report.priority_macro_f1(), 1.0);
    }

    #[test]
    fn renders_both_confusion_matrices() {
        let mut report = Report::new();
        let truth = ticket(Category::Account, Priority::Critical);
        report.record(&truth, Classification { category: Category::Technical, priority: Priority::Critical });
        let text = report.to_string();
        assert!(text.contains("category accuracy: 0.000 (0/1)"), "{text}");
        assert!(text.contains("priority accuracy: 1.000 (1/1)"), "{text}");
        assert!(text.contains("macro-F1: 0.000"), "{text}");
        assert!(text.contains("  account            0         1         0         0     0.000"), "{text}");
        assert!(text.contains("  precision      0.000     0.000     0.000     0.000"), "{text}");
        assert!(!text.contains("failed\n"), "{text}");
    }
}
