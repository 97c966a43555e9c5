//! A token bucket per client address, so no one client can spend the LLM budget.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// `burst` requests at once, refilled at `per_minute` a minute.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    pub per_minute: u32,
    pub burst: u32,
}

impl Default for RateLimit {
    fn default() -> Self {
        Self { per_minute: 30, burst: 10 }
    }
}

/// Buckets of clients not seen for this long are forgotten (they would be full by then anyway).
const FORGET_AFTER: Duration = Duration::from_secs(600);
const PRUNE_ABOVE_CLIENTS: usize = 10_000;

pub struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<IpAddr, Bucket>>,
}

struct Bucket {
    tokens: f64,
    updated: Instant,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        Self { limit, buckets: Mutex::default() }
    }

    /// Takes a token for `client`, or says how many seconds until one is available.
    pub fn check(&self, client: IpAddr, now: Instant) -> Result<(), u64> {
        let refill_per_sec = f64::from(self.limit.per_minute) / 60.0;
        let capacity = f64::from(self.limit.burst.max(1));
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() > PRUNE_ABOVE_CLIENTS {
            buckets.retain(|_, bucket| now.saturating_duration_since(bucket.updated) < FORGET_AFTER);
        }
        let bucket = buckets.entry(client).or_insert(Bucket { tokens: capacity, updated: now });
        let elapsed = now.saturating_duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * refill_per_sec).min(capacity);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else if refill_per_sec > 0.0 {
            Err(((1.0 - bucket.tokens) / refill_per_sec).ceil().max(1.0) as u64)
        } else {
            Err(FORGET_AFTER.as_secs())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_client_waits_for_the_refill() {
        let limiter = RateLimiter::new(RateLimit { per_minute: 60, burst: 3 });
        let client: IpAddr = [127, 0, 0, 1].into();
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check(client, start), Ok(()));
        }
        assert_eq!(limiter.check(client, start), Err(1));
        assert_eq!(limiter.check(client, start + Duration::from_millis(1000)), Ok(()));
    }

    #[test]
    fn clients_have_their_own_buckets() {
        let limiter = RateLimiter::new(RateLimit { per_minute: 1, burst: 1 });
        let now = Instant::now();
        assert_eq!(limiter.check([10, 0, 0, 1].into(), now), Ok(()));
        assert_eq!(limiter.check([10, 0, 0, 1].into(), now), Err(60));
        assert_eq!(limiter.check([10, 0, 0, 2].into(), now), Ok(()));
    }
}
