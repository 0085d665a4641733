//! Short-lived server-side state between the steps of a login or an enrolment: TOTP secrets
//! shown but not yet confirmed, WebAuthn challenges, and how often each MFA token has failed.
//!
//! All of it lives in the web process's memory, expires within minutes and is bounded in size:
//! losing it (a restart) only makes a user repeat a step. WebAuthn challenge state must stay on
//! the server (a client that held it could replay an old challenge), which is why it is here and
//! not in a token. Time arrives as a `now` parameter.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use lpm_core::ids::UserId;
use secrecy::SecretString;
use webauthn_rs::prelude::{PasskeyAuthentication, PasskeyRegistration};

/// How long a shown TOTP secret or a WebAuthn challenge waits for its second step.
pub const CEREMONY_TTL: Duration = Duration::minutes(10);

/// Wrong codes one MFA token (or one TOTP setup) may take before it is spent.
pub const MAX_CODE_FAILURES: u32 = 5;

/// Entries each map holds at most; past that the one expiring soonest is dropped.
const MAX_ENTRIES: usize = 10_000;

/// A map whose entries expire, bounded in size.
#[derive(Debug)]
pub struct Expiring<K, V> {
    entries: Mutex<HashMap<K, (DateTime<Utc>, V)>>,
    max_entries: usize,
}

impl<K: Hash + Eq + Clone, V> Default for Expiring<K, V> {
    fn default() -> Self {
        Self::with_capacity(MAX_ENTRIES)
    }
}

impl<K: Hash + Eq + Clone, V> Expiring<K, V> {
    /// A map holding at most `max_entries` entries.
    pub fn with_capacity(max_entries: usize) -> Self {
        Self {
            entries: Mutex::new(HashMap::new()),
            max_entries: max_entries.max(1),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, (DateTime<Utc>, V)>> {
        self.entries.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Stores `value` under `key` until `expires`, replacing what was there.
    pub fn insert(&self, key: K, value: V, expires: DateTime<Utc>, now: DateTime<Utc>) {
        let mut entries = self.lock();
        if !entries.contains_key(&key) && entries.len() >= self.max_entries {
            entries.retain(|_, (until, _)| *until > now);
            while entries.len() >= self.max_entries {
                let Some(first) = entries
                    .iter()
                    .min_by_key(|(_, (until, _))| *until)
                    .map(|(k, _)| k.clone())
                else {
                    break;
                };
                entries.remove(&first);
            }
        }
        entries.insert(key, (expires, value));
    }

    /// Removes and returns the value under `key`, if it has not expired at `now`.
    pub fn take(&self, key: &K, now: DateTime<Utc>) -> Option<V> {
        let (until, value) = self.lock().remove(key)?;
        (until > now).then_some(value)
    }

    /// Runs `f` on the live value under `key` (an expired one is dropped first).
    pub fn with<R>(&self, key: &K, now: DateTime<Utc>, f: impl FnOnce(&mut V) -> R) -> Option<R> {
        let mut entries = self.lock();
        if entries.get(key).is_some_and(|(until, _)| *until <= now) {
            entries.remove(key);
        }
        entries.get_mut(key).map(|(_, value)| f(value))
    }

    /// Forgets `key`.
    pub fn remove(&self, key: &K) {
        self.lock().remove(key);
    }

    /// Entries held (expired ones included until they are pruned).
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether nothing is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A TOTP secret shown to the user and waiting for its first code.
#[derive(Debug)]
pub struct PendingTotp {
    /// The secret, base32.
    pub secret: SecretString,
    /// Wrong codes so far.
    pub failures: u32,
}

/// Why an MFA token may not be used (again).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    /// A session was already issued from it.
    Used,
    /// It took [`MAX_CODE_FAILURES`] wrong codes.
    Exhausted,
}

#[derive(Debug, Default)]
struct TokenUse {
    failures: u32,
    used: bool,
}

/// The life of each MFA token, by its `jti`: wrong codes so far, and whether it was used.
///
/// Counting per token, not per account, is deliberate: an MFA token comes only from the right
/// password, so strangers cannot spend a user's attempts, and a user who holds their factor is
/// never locked out of it by someone else's guessing.
#[derive(Debug, Default)]
pub struct MfaTokenUses {
    uses: Expiring<String, TokenUse>,
}

impl MfaTokenUses {
    /// `Ok` if the token may still try a code.
    pub fn check(&self, jti: &str, now: DateTime<Utc>) -> Result<(), TokenRefusal> {
        let state = self
            .uses
            .with(&jti.to_owned(), now, |u| (u.used, u.failures));
        match state {
            Some((true, _)) => Err(TokenRefusal::Used),
            Some((_, failures)) if failures >= MAX_CODE_FAILURES => Err(TokenRefusal::Exhausted),
            _ => Ok(()),
        }
    }

    /// Records a wrong code; `true` when this one spent the token's last attempt.
    pub fn fail(&self, jti: &str, expires: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        let key = jti.to_owned();
        let failures = self.uses.with(&key, now, |u| {
            u.failures += 1;
            u.failures
        });
        match failures {
            Some(n) => n == MAX_CODE_FAILURES,
            None => {
                self.uses.insert(
                    key,
                    TokenUse {
                        failures: 1,
                        used: false,
                    },
                    expires,
                    now,
                );
                MAX_CODE_FAILURES == 1
            }
        }
    }

    /// Wrong codes the token may still take.
    pub fn attempts_left(&self, jti: &str, now: DateTime<Utc>) -> u32 {
        let failures = self
            .uses
            .with(&jti.to_owned(), now, |u| u.failures)
            .unwrap_or(0);
        MAX_CODE_FAILURES.saturating_sub(failures)
    }

    /// Marks the token used; `false` if it already was (two requests raced with one token).
    pub fn use_once(&self, jti: &str, expires: DateTime<Utc>, now: DateTime<Utc>) -> bool {
        let key = jti.to_owned();
        let first = self
            .uses
            .with(&key, now, |u| !std::mem::replace(&mut u.used, true));
        match first {
            Some(first) => first,
            None => {
                self.uses.insert(
                    key,
                    TokenUse {
                        failures: 0,
                        used: true,
                    },
                    expires,
                    now,
                );
                true
            }
        }
    }
}

/// Every ceremony in flight in this process.
#[derive(Debug, Default)]
pub struct Ceremonies {
    /// TOTP secrets shown by `totp/setup`, by user.
    pub totp_setups: Expiring<UserId, PendingTotp>,
    /// WebAuthn registrations started, by user.
    pub webauthn_registrations: Expiring<UserId, PasskeyRegistration>,
    /// WebAuthn logins started, by the MFA token's `jti`.
    pub webauthn_logins: Expiring<String, PasskeyAuthentication>,
    /// What each MFA token has done.
    pub mfa_tokens: MfaTokenUses,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use chrono::TimeZone as _;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    #[test]
    fn entries_expire_and_are_taken_once() {
        let map: Expiring<u32, &str> = Expiring::default();
        map.insert(1, "one", t0() + Duration::minutes(5), t0());
        assert_eq!(map.with(&1, t0(), |v| *v), Some("one"));
        assert_eq!(map.take(&1, t0() + Duration::minutes(1)), Some("one"));
        assert_eq!(
            map.take(&1, t0() + Duration::minutes(1)),
            None,
            "taken once"
        );
        map.insert(2, "two", t0() + Duration::minutes(5), t0());
        assert_eq!(map.take(&2, t0() + Duration::minutes(5)), None, "expired");
        map.insert(3, "three", t0() + Duration::minutes(5), t0());
        assert_eq!(map.with(&3, t0() + Duration::minutes(6), |v| *v), None);
        assert!(map.is_empty(), "an expired entry is dropped when met");
    }

    #[test]
    fn the_map_is_bounded() {
        let map: Expiring<u32, u32> = Expiring::with_capacity(3);
        for i in 0..3 {
            map.insert(i, i, t0() + Duration::minutes(i64::from(i) + 1), t0());
        }
        map.insert(9, 9, t0() + Duration::minutes(9), t0());
        assert_eq!(map.len(), 3);
        assert_eq!(map.take(&0, t0()), None, "the soonest to expire went");
        assert_eq!(map.take(&9, t0()), Some(9));
        // Expired entries go first when full.
        let map: Expiring<u32, u32> = Expiring::with_capacity(2);
        map.insert(1, 1, t0() + Duration::minutes(10), t0());
        map.insert(2, 2, t0() + Duration::minutes(1), t0());
        map.insert(
            3,
            3,
            t0() + Duration::minutes(10),
            t0() + Duration::minutes(2),
        );
        assert_eq!(map.take(&1, t0()), Some(1));
    }

    #[test]
    fn an_mfa_token_takes_five_wrong_codes_and_one_success() {
        let uses = MfaTokenUses::default();
        let exp = t0() + Duration::minutes(5);
        for i in 1..=MAX_CODE_FAILURES {
            assert_eq!(uses.check("a", t0()), Ok(()));
            assert_eq!(uses.attempts_left("a", t0()), MAX_CODE_FAILURES - i + 1);
            assert_eq!(uses.fail("a", exp, t0()), i == MAX_CODE_FAILURES);
        }
        assert_eq!(uses.check("a", t0()), Err(TokenRefusal::Exhausted));
        // Another token of the same user is unaffected.
        assert_eq!(uses.check("b", t0()), Ok(()));
        assert!(uses.use_once("b", exp, t0()));
        assert!(!uses.use_once("b", exp, t0()), "one session per token");
        assert_eq!(uses.check("b", t0()), Err(TokenRefusal::Used));
        uses.fail("c", exp, t0());
        assert!(uses.use_once("c", exp, t0()));
        assert_eq!(uses.check("c", t0()), Err(TokenRefusal::Used));
    }
}
