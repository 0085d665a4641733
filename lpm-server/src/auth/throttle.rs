//! In-memory login throttling, checked before any password hashing so that a flood of guesses
//! costs the server nothing (Argon2id takes a quarter of a second and 64 MiB each).
//!
//! Two token buckets per attempt: one for the source address (IPv6 by /64, since one host owns
//! a whole /64) and one for the username (case-folded, so `Alice` and `alice` share one). An
//! attempt passes only if both have a token; then it takes one from each. Defaults: per address
//! 20 attempts a minute with bursts of 10; per account 10 a minute with bursts of 5. The
//! account bucket stops a distributed guess at one password; the store's soft lock
//! (`LockPolicy`) then backs it up across restarts and processes, which this in-memory state
//! does not.
//!
//! Memory is bounded: each map holds at most `max_entries` keys. When full, entries whose
//! bucket has refilled (they carry no information) are dropped; if none has, the least recently
//! used key goes.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};

use super::AuthError;

/// Rates and bounds of a [`Throttle`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThrottleConfig {
    /// Attempts per minute from one address (IPv4, or IPv6 /64).
    pub ip_per_minute: f64,
    /// Attempts an address may make at once.
    pub ip_burst: f64,
    /// Attempts per minute for one username.
    pub account_per_minute: f64,
    /// Attempts one username may take at once.
    pub account_burst: f64,
    /// Keys kept per map (addresses, usernames).
    pub max_entries: usize,
}

impl Default for ThrottleConfig {
    fn default() -> Self {
        Self {
            ip_per_minute: 20.0,
            ip_burst: 10.0,
            account_per_minute: 10.0,
            account_burst: 5.0,
            max_entries: 10_000,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: DateTime<Utc>,
}

#[derive(Debug)]
struct Buckets<K> {
    per_second: f64,
    burst: f64,
    map: HashMap<K, Bucket>,
}

impl<K: Hash + Eq + Clone> Buckets<K> {
    fn new(per_minute: f64, burst: f64) -> Self {
        Self {
            per_second: per_minute.max(f64::MIN_POSITIVE) / 60.0,
            burst: burst.max(1.0),
            map: HashMap::new(),
        }
    }

    /// The bucket's tokens at `now`.
    fn level(&self, bucket: &Bucket, now: DateTime<Utc>) -> f64 {
        let elapsed = (now - bucket.at).num_milliseconds().max(0) as f64 / 1000.0;
        (bucket.tokens + elapsed * self.per_second).min(self.burst)
    }

    /// `None` if `key` has a token at `now`, else how long until it has one.
    fn wait(&self, key: &K, now: DateTime<Utc>) -> Option<Duration> {
        let bucket = self.map.get(key)?;
        let level = self.level(bucket, now);
        if level >= 1.0 {
            return None;
        }
        Some(Duration::from_secs_f64((1.0 - level) / self.per_second))
    }

    fn take(&mut self, key: &K, now: DateTime<Utc>, max_entries: usize) {
        let level = match self.map.get(key) {
            Some(bucket) => self.level(bucket, now),
            None => {
                self.make_room(now, max_entries);
                self.burst
            }
        };
        self.map.insert(
            key.clone(),
            Bucket {
                tokens: level - 1.0,
                at: now,
            },
        );
    }

    fn make_room(&mut self, now: DateTime<Utc>, max_entries: usize) {
        if self.map.len() < max_entries {
            return;
        }
        let (per_second, burst) = (self.per_second, self.burst);
        self.map.retain(|_, b| {
            let elapsed = (now - b.at).num_milliseconds().max(0) as f64 / 1000.0;
            b.tokens + elapsed * per_second < burst
        });
        while self.map.len() >= max_entries.max(1) {
            let Some(oldest) = self
                .map
                .iter()
                .min_by_key(|(_, b)| b.at)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            self.map.remove(&oldest);
        }
    }
}

/// What an address is throttled by: an IPv4 address, or an IPv6 /64.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum IpKey {
    V4(u32),
    V6(u64),
}

impl From<IpAddr> for IpKey {
    fn from(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V4(v4) => Self::V4(u32::from(v4)),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::V4(u32::from(v4)),
                None => Self::V6((u128::from(v6) >> 64) as u64),
            },
        }
    }
}

#[derive(Debug)]
struct State {
    ips: Buckets<IpKey>,
    accounts: Buckets<String>,
}

/// Login throttling by source address and by username; share one per process (it locks
/// internally).
#[derive(Debug)]
pub struct Throttle {
    config: ThrottleConfig,
    state: Mutex<State>,
}

impl Default for Throttle {
    fn default() -> Self {
        Self::new(ThrottleConfig::default())
    }
}

impl Throttle {
    /// A throttle with these rates.
    pub fn new(config: ThrottleConfig) -> Self {
        Self {
            config,
            state: Mutex::new(State {
                ips: Buckets::new(config.ip_per_minute, config.ip_burst),
                accounts: Buckets::new(config.account_per_minute, config.account_burst),
            }),
        }
    }

    /// Counts a login attempt from `ip` for `username` at `now`: `Ok` if it may proceed (to the
    /// password check), else [`AuthError::Throttled`] with how long to wait; a refused attempt
    /// costs nothing. Call it for every attempt, known username or not, before hashing.
    pub fn check(&self, ip: IpAddr, username: &str, now: DateTime<Utc>) -> Result<(), AuthError> {
        let ip = IpKey::from(ip);
        let account = username.trim().to_lowercase();
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let wait = match (state.ips.wait(&ip, now), state.accounts.wait(&account, now)) {
            (None, None) => None,
            (a, b) => a.max(b),
        };
        if let Some(retry_after) = wait {
            return Err(AuthError::Throttled { retry_after });
        }
        state.ips.take(&ip, now, self.config.max_entries);
        state.accounts.take(&account, now, self.config.max_entries);
        Ok(())
    }

    /// Keys currently held (addresses, usernames), for metrics and tests.
    pub fn len(&self) -> (usize, usize) {
        let state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        (state.ips.map.len(), state.accounts.map.len())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use chrono::TimeZone as _;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    fn secs(s: f64) -> chrono::Duration {
        chrono::Duration::milliseconds((s * 1000.0) as i64)
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn retry(r: Result<(), AuthError>) -> Duration {
        match r {
            Err(AuthError::Throttled { retry_after }) => retry_after,
            other => panic!("expected Throttled, got {other:?}"),
        }
    }

    #[test]
    fn an_account_gets_a_burst_of_5_then_one_every_6_seconds() {
        let t = Throttle::default();
        for i in 0..5 {
            // Different addresses: only the account bucket counts.
            t.check(ip(&format!("10.0.0.{i}")), "alice", t0()).unwrap();
        }
        let wait = retry(t.check(ip("10.0.1.1"), "Alice ", t0()));
        assert_eq!(wait, Duration::from_secs(6));
        assert!(t.check(ip("10.0.1.1"), "alice", t0() + secs(5.9)).is_err());
        t.check(ip("10.0.1.1"), "alice", t0() + secs(6.0)).unwrap();
        assert!(t.check(ip("10.0.1.1"), "alice", t0() + secs(6.0)).is_err());
        // Another account is not affected.
        t.check(ip("10.0.1.1"), "bob", t0()).unwrap();
    }

    #[test]
    fn an_address_gets_a_burst_of_10_then_20_a_minute() {
        let t = Throttle::default();
        for i in 0..10 {
            t.check(ip("192.0.2.1"), &format!("user{i}"), t0()).unwrap();
        }
        let wait = retry(t.check(ip("192.0.2.1"), "other", t0()));
        assert_eq!(wait, Duration::from_secs(3));
        t.check(ip("192.0.2.2"), "other", t0()).unwrap();
        // A sustained 20 a minute passes: one every 3 s.
        for n in 1..=40 {
            t.check(
                ip("192.0.2.1"),
                &format!("u{n}"),
                t0() + secs(3.0 * f64::from(n)),
            )
            .unwrap();
        }
    }

    #[test]
    fn refused_attempts_cost_nothing() {
        let t = Throttle::default();
        for _ in 0..5 {
            t.check(ip("10.0.0.1"), "alice", t0()).unwrap();
        }
        for _ in 0..100 {
            assert!(t.check(ip("10.0.0.1"), "alice", t0() + secs(1.0)).is_err());
        }
        t.check(ip("10.0.0.1"), "alice", t0() + secs(6.0)).unwrap();
    }

    #[test]
    fn ipv6_is_throttled_by_64() {
        let t = Throttle::default();
        for i in 0..10 {
            t.check(ip(&format!("2001:db8::{i:x}")), &format!("u{i}"), t0())
                .unwrap();
        }
        assert!(t.check(ip("2001:db8::ffff:1"), "x", t0()).is_err());
        t.check(ip("2001:db8:0:1::1"), "x", t0()).unwrap();
        // A v4-mapped address counts as its IPv4 address.
        for i in 0..10 {
            t.check(ip("198.51.100.7"), &format!("v{i}"), t0()).unwrap();
        }
        assert!(t.check(ip("::ffff:198.51.100.7"), "y", t0()).is_err());
    }

    #[test]
    fn memory_is_bounded() {
        let t = Throttle::new(ThrottleConfig {
            max_entries: 100,
            ..ThrottleConfig::default()
        });
        for i in 0..10_000u32 {
            let now = t0() + chrono::Duration::milliseconds(i64::from(i));
            t.check(IpAddr::from(i.to_be_bytes()), &format!("u{i}"), now)
                .unwrap();
            let (ips, accounts) = t.len();
            assert!(ips <= 100 && accounts <= 100, "{ips} {accounts}");
        }
        // Entries that refilled are dropped first, whatever their age.
        let t = Throttle::new(ThrottleConfig {
            max_entries: 2,
            ..ThrottleConfig::default()
        });
        for _ in 0..5 {
            t.check(ip("10.0.0.1"), "alice", t0()).unwrap(); // alice is now empty
        }
        t.check(ip("10.0.0.2"), "bob", t0()).unwrap();
        // At 7 s bob's bucket has refilled and is dropped for carol; alice's has not.
        t.check(ip("10.0.0.3"), "carol", t0() + secs(7.0)).unwrap();
        assert_eq!(t.len().1, 2);
        t.check(ip("10.0.0.4"), "alice", t0() + secs(7.0)).unwrap();
        assert!(t.check(ip("10.0.0.5"), "alice", t0() + secs(7.0)).is_err());
    }

    #[test]
    fn time_going_backwards_refills_nothing() {
        let t = Throttle::default();
        for _ in 0..5 {
            t.check(ip("10.0.0.1"), "alice", t0()).unwrap();
        }
        assert!(
            t.check(ip("10.0.0.1"), "alice", t0() - secs(3600.0))
                .is_err()
        );
    }
}
