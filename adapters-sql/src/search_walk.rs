//! How far a search reads in its next batch ([`crate::ticket_queries!`]'s `search_by_words`).

/// The next batch of a walk that has matched `matched` of the `read` tickets so far and still
/// needs `remaining`: enough for them at that rate with a quarter to spare (at least 1 match in 64
/// assumed), at most four times the `previous` batch and at most `most`, never empty.
pub fn next_batch(previous: usize, remaining: usize, matched: usize, read: usize, most: usize) -> usize {
    let rate = (matched as f64 / read.max(1) as f64).max(1.0 / 64.0);
    let wanted = (remaining as f64 / rate * 1.25).ceil() as usize;
    wanted.min(previous.saturating_mul(4)).min(most).max(1)
}

#[cfg(test)]
mod tests {
    use super::next_batch;

    #[test]
    fn a_batch_is_sized_by_the_rate_so_far_within_its_bounds() {
        assert_eq!(next_batch(42, 10, 21, 42, 4096), 25);
        assert_eq!(next_batch(42, 20, 0, 42, 4096), 168, "no match yet: four times the last batch");
        assert_eq!(next_batch(1000, 20, 0, 3000, 96), 96, "never past the most");
        assert_eq!(next_batch(4, 1, 19, 40, 4096), 3, "a small last batch, smaller than a page");
        assert_eq!(next_batch(1, 1, 0, 0, 0), 1, "never empty");
    }
}
