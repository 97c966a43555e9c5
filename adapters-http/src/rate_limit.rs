//! Rate limits per client: the generic cell rate algorithm (a token bucket kept as one instant
//! per key), in a fixed number of shards whose size is bounded, pruned by a background thread
//! rather than inside requests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError, Weak};
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

const SHARDS: usize = 16;
/// Keys kept per shard at most: 16 × 4,096 keys of ~100 bytes is a few MiB, whatever the number
/// of clients. Past it, a key is forgotten to make room (its client gets a fresh burst).
const KEYS_PER_SHARD: usize = 4096;
const PRUNE_EVERY: Duration = Duration::from_secs(30);

pub struct RateLimiter {
    shards: Arc<Shards>,
}

struct Shards {
    limit: RateLimit,
    keys_per_shard: usize,
    /// Per key, the theoretical arrival time: when its bucket is full again, minus the burst.
    shards: Vec<Mutex<HashMap<String, Instant>>>,
}

impl RateLimiter {
    pub fn new(limit: RateLimit) -> Self {
        Self::with_capacity(limit, KEYS_PER_SHARD)
    }

    fn with_capacity(limit: RateLimit, keys_per_shard: usize) -> Self {
        let shards = Arc::new(Shards {
            limit,
            keys_per_shard,
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
        });
        let weak = Arc::downgrade(&shards);
        std::thread::Builder::new()
            .name("rate-limit-pruner".into())
            .spawn(move || prune_while_alive(weak))
            .expect("the system lets the server start a thread");
        Self { shards }
    }

    /// Takes one request's worth for `key`, or says how many whole seconds until one is free.
    pub fn check(&self, key: &str, now: Instant) -> Result<(), u64> {
        let limit = self.shards.limit;
        if limit.per_minute == 0 {
            return Err(60);
        }
        let interval = Duration::from_secs(60) / limit.per_minute;
        let tolerance = interval * (limit.burst.max(1) - 1);
        let mut shard = self.shards.shard(key).lock().unwrap_or_else(PoisonError::into_inner);
        let arrival = shard.get(key).copied().unwrap_or(now).max(now);
        let ahead = arrival - now;
        if ahead > tolerance {
            let wait = ahead - tolerance;
            return Err(wait.as_secs() + u64::from(wait.subsec_nanos() > 0));
        }
        let capacity = self.shards.keys_per_shard;
        if !shard.contains_key(key) && shard.len() >= capacity {
            shard.retain(|_, arrival| *arrival > now);
            if shard.len() >= capacity {
                let forgotten = shard.keys().next().cloned();
                if let Some(forgotten) = forgotten {
                    shard.remove(&forgotten);
                }
            }
        }
        shard.insert(key.to_owned(), arrival + interval);
        Ok(())
    }

    /// How many keys are remembered now.
    #[cfg(test)]
    fn keys(&self) -> usize {
        self.shards.shards.iter().map(|shard| shard.lock().unwrap_or_else(PoisonError::into_inner).len()).sum()
    }
}

impl Shards {
    fn shard(&self, key: &str) -> &Mutex<HashMap<String, Instant>> {
        let hash = key
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3));
        &self.shards[(hash % SHARDS as u64) as usize]
    }

    /// Forgets the keys whose bucket is full again: remembering them changes nothing.
    fn prune(&self, now: Instant) {
        for shard in &self.shards {
            shard.lock().unwrap_or_else(PoisonError::into_inner).retain(|_, arrival| *arrival > now);
        }
    }
}

fn prune_while_alive(shards: Weak<Shards>) {
    loop {
        std::thread::sleep(PRUNE_EVERY);
        match shards.upgrade() {
            Some(shards) => shards.prune(Instant::now()),
            None => return,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_client_waits_for_the_refill() {
        let limiter = RateLimiter::new(RateLimit { per_minute: 60, burst: 3 });
        let start = Instant::now();
        for _ in 0..3 {
            assert_eq!(limiter.check("10.0.0.1", start), Ok(()));
        }
        assert_eq!(limiter.check("10.0.0.1", start), Err(1));
        assert_eq!(limiter.check("10.0.0.1", start + Duration::from_millis(1000)), Ok(()));
        assert_eq!(limiter.check("10.0.0.1", start + Duration::from_millis(1000)), Err(1));
    }

    #[test]
    fn clients_have_their_own_buckets() {
        let limiter = RateLimiter::new(RateLimit { per_minute: 1, burst: 1 });
        let now = Instant::now();
        assert_eq!(limiter.check("10.0.0.1", now), Ok(()));
        assert_eq!(limiter.check("10.0.0.1", now), Err(60));
        assert_eq!(limiter.check("10.0.0.2", now), Ok(()));
    }

    #[test]
    fn memory_stays_bounded_whatever_the_number_of_clients() {
        let limiter = RateLimiter::with_capacity(RateLimit { per_minute: 1, burst: 5 }, 64);
        let now = Instant::now();
        for n in 0..(SHARDS * 64 * 3) {
            assert_eq!(limiter.check(&format!("client {n}"), now), Ok(()));
        }
        assert!(limiter.keys() <= SHARDS * 64, "{} keys", limiter.keys());
    }

    #[test]
    fn full_buckets_are_forgotten() {
        let limiter = RateLimiter::new(RateLimit { per_minute: 60, burst: 2 });
        let now = Instant::now();
        for n in 0..100 {
            limiter.check(&format!("client {n}"), now).unwrap();
        }
        assert_eq!(limiter.keys(), 100);
        limiter.shards.prune(now + Duration::from_secs(2));
        assert_eq!(limiter.keys(), 0);
    }
}
