//! A time limit on the statements of one unit of work, for a database that has no statement
//! timeout of its own (SQLite): the work runs with a deadline set for its thread, and the queries
//! that may cost a lot (search) check it row by row through a SQL function, which fails the
//! statement once the deadline has passed.

use std::cell::Cell;
use std::time::{Duration, Instant};

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// The message of the error a statement stopped by its deadline fails with.
pub const PASSED: &str = "statement time limit passed";

/// Runs `work` with a deadline `limit` from now for the statements it runs on this thread.
pub(crate) fn within<T>(limit: Option<Duration>, work: impl FnOnce() -> T) -> T {
    let previous = DEADLINE.with(|deadline| deadline.replace(limit.map(|limit| Instant::now() + limit)));
    let result = work();
    DEADLINE.with(|deadline| deadline.set(previous));
    result
}

/// Whether this thread's work has run past its deadline.
pub fn passed() -> bool {
    DEADLINE.with(|deadline| deadline.get().is_some_and(|at| Instant::now() >= at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_holds_for_the_work_only() {
        assert!(!passed());
        within(Some(Duration::ZERO), || assert!(passed()));
        within(Some(Duration::from_secs(60)), || assert!(!passed()));
        within(None, || assert!(!passed()));
        assert!(!passed());
    }
}
