//! How far a long command is, on stderr: a progress bar on a terminal, else a line every few
//! seconds (a log file or a CI job gets no control characters).

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

/// How often a line is printed when stderr is not a terminal.
const LINE_EVERY: Duration = Duration::from_secs(5);

pub struct Progress {
    what: &'static str,
    total: Option<u64>,
    done: u64,
    started: Instant,
    next_line: Instant,
    bar: Option<ProgressBar>,
}

impl Progress {
    /// Counts tickets toward `total`, when it is known; `what` names the step (`"exporting"`).
    pub fn start(what: &'static str, total: Option<u64>) -> Self {
        let started = Instant::now();
        let bar = std::io::stderr().is_terminal().then(|| {
            let (bar, template) = match total {
                Some(total) => (
                    ProgressBar::new(total),
                    "{prefix:>10} [{bar:40}] {human_pos}/{human_len} tickets  {per_sec}  {eta} left",
                ),
                None => (ProgressBar::new_spinner(), "{prefix:>10} {spinner} {human_pos} tickets  {per_sec}"),
            };
            let style = ProgressStyle::with_template(template).unwrap_or_else(|_| ProgressStyle::default_bar());
            bar.set_style(style.progress_chars("=> "));
            bar.set_prefix(what);
            bar.enable_steady_tick(Duration::from_millis(200));
            bar
        });
        Self { what, total, done: 0, started, next_line: started + LINE_EVERY, bar }
    }

    pub fn advance(&mut self, tickets: u64) {
        self.done += tickets;
        if let Some(bar) = &self.bar {
            bar.inc(tickets);
            return;
        }
        let now = Instant::now();
        if now >= self.next_line {
            self.next_line = now + LINE_EVERY;
            let share = match self.total {
                Some(total) if total > 0 => format!(" of {total} ({:.0}%)", self.done as f64 * 100.0 / total as f64),
                _ => String::new(),
            };
            eprintln!("{}: {} tickets{share}, {}", self.what, self.done, rate(self.done, self.started.elapsed()));
        }
    }

    /// Clears the bar and answers how long it took.
    pub fn finish(self) -> Duration {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
        self.started.elapsed()
    }
}

/// `12,345 tickets/s`.
pub fn rate(tickets: u64, elapsed: Duration) -> String {
    let per_second = tickets as f64 / elapsed.as_secs_f64().max(1e-3);
    format!("{} tickets/s", thousands(per_second.round() as u64))
}

/// `1234567` as `1,234,567`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

/// `1 ticket`, `2,000 tickets`.
pub fn count(n: u64, what: &str) -> String {
    if n == 1 { format!("1 {what}") } else { format!("{} {what}s", thousands(n)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(rate(100_000, Duration::from_secs(2)), "50,000 tickets/s");
        assert_eq!(count(1, "account"), "1 account");
        assert_eq!(count(1234, "event"), "1,234 events");
    }
}
