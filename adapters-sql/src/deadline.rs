//! A time limit on the statements of one unit of work, beyond one statement's own (SQLite has
//! none): the work runs with a deadline set for its thread, and work of many statements (a
//! search) checks it between them and stops with `QueryError::PastDeadline`.

use std::cell::Cell;
use std::time::{Duration, Instant};

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

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
