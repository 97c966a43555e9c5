use chrono::{DateTime, Utc};

use crate::choices::{Category, Choice, Priority};

/// A count for every value of a choice, zeros included, in the choice's order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Breakdown<C: Choice> {
    counts: Vec<(C, u64)>,
}

impl<C: Choice> Breakdown<C> {
    /// Sums the counts given for each value; values not given count zero.
    pub fn from_counts(counts: impl IntoIterator<Item = (C, u64)>) -> Self {
        let mut breakdown = Self::default();
        for (choice, count) in counts {
            if let Some(slot) = breakdown.counts.iter_mut().find(|(c, _)| *c == choice) {
                slot.1 += count;
            }
        }
        breakdown
    }

    pub fn get(&self, choice: C) -> u64 {
        self.counts.iter().find(|(c, _)| *c == choice).map_or(0, |(_, n)| *n)
    }

    pub fn iter(&self) -> impl Iterator<Item = (C, u64)> + '_ {
        self.counts.iter().copied()
    }

    pub fn total(&self) -> u64 {
        self.counts.iter().map(|(_, n)| n).sum()
    }
}

impl<C: Choice> Default for Breakdown<C> {
    fn default() -> Self {
        Self { counts: C::ALL.iter().map(|&c| (c, 0)).collect() }
    }
}

/// What a store counts, all from one consistent snapshot.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StatsSnapshot {
    pub total: u64,
    pub open: u64,
    pub earliest: Option<DateTime<Utc>>,
    pub by_priority: Breakdown<Priority>,
    pub by_category: Breakdown<Category>,
}

/// The seed's stats.
#[derive(Clone, Debug, PartialEq)]
pub struct TicketStats {
    pub total_tickets: u64,
    pub open_tickets: u64,
    pub avg_tickets_per_day: f64,
    pub priority_breakdown: Breakdown<Priority>,
    pub category_breakdown: Breakdown<Category>,
}

impl TicketStats {
    pub fn from_snapshot(snapshot: StatsSnapshot, now: DateTime<Utc>) -> Self {
        Self {
            avg_tickets_per_day: average_per_day(snapshot.total, snapshot.earliest, now),
            total_tickets: snapshot.total,
            open_tickets: snapshot.open,
            priority_breakdown: snapshot.by_priority,
            category_breakdown: snapshot.by_category,
        }
    }
}

/// Tickets per day since the first one: total / (whole days from `earliest` to `now`, plus 1),
/// rounded to one decimal as Python's `round` does (correctly rounded from the exact binary
/// value, ties to even); 0 without tickets. A first ticket stamped after `now` (clocks
/// disagreeing) counts as today.
pub fn average_per_day(total: u64, earliest: Option<DateTime<Utc>>, now: DateTime<Utc>) -> f64 {
    let Some(earliest) = earliest else { return 0.0 };
    if total == 0 {
        return 0.0;
    }
    let whole_days = (now - earliest).num_seconds().max(0) / 86_400;
    let average = total as f64 / (whole_days + 1) as f64;
    format!("{average:.1}").parse().unwrap_or(average)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 17, 10, 30, 0).unwrap()
    }

    #[test]
    fn no_tickets_average_zero() {
        assert_eq!(average_per_day(0, None, now()), 0.0);
    }

    #[test]
    fn the_day_of_the_first_ticket_counts() {
        assert_eq!(average_per_day(5, Some(now() - Duration::hours(23)), now()), 5.0);
        assert_eq!(average_per_day(5, Some(now() - Duration::hours(24)), now()), 2.5);
    }

    #[test]
    fn the_seeds_example_rounds_to_one_decimal() {
        // 124 tickets over 15 days: 8.266… → 8.3
        assert_eq!(average_per_day(124, Some(now() - Duration::days(14)), now()), 8.3);
    }

    #[test]
    fn halves_round_to_even_like_python() {
        // 1 / 4 = 0.25 → 0.2 in Python
        assert_eq!(average_per_day(1, Some(now() - Duration::days(3)), now()), 0.2);
    }

    #[test]
    fn rounding_works_on_the_exact_binary_value_like_python() {
        // 7 / 20 is stored as 0.34999…; Python's round(7 / 20, 1) is 0.3
        assert_eq!(average_per_day(7, Some(now() - Duration::days(19)), now()), 0.3);
    }

    #[test]
    fn a_first_ticket_in_the_future_counts_as_today() {
        assert_eq!(average_per_day(3, Some(now() + Duration::days(2)), now()), 3.0);
    }

    #[test]
    fn breakdowns_carry_every_key() {
        let breakdown = Breakdown::from_counts([(Priority::High, 2), (Priority::High, 1)]);
        let keys: Vec<_> = breakdown.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(keys, ["low", "medium", "high", "critical"]);
        assert_eq!(breakdown.get(Priority::High), 3);
        assert_eq!(breakdown.total(), 3);
    }
}
