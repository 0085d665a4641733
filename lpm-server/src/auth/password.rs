//! Argon2id password hashing (SDD §7.4), its calibration, the password policy, and one-time
//! passwords.
//!
//! Hashes are PHC strings (`$argon2id$v=19$m=65536,t=3,p=1$salt$hash`) with a 16-byte random
//! salt; they carry their own parameters, so raising the parameters later leaves old hashes
//! verifiable and [`PasswordHasher::needs_rehash`] tells the login handler to re-hash after a
//! successful check.

use std::ops::RangeInclusive;
use std::time::{Duration, Instant};

use argon2::password_hash::phc::PasswordHash;
use argon2::{Algorithm, Argon2, Params, PasswordHasher as _, PasswordVerifier as _, Version};
use secrecy::{ExposeSecret, SecretString};

use super::AuthError;
use super::secrets::{fill_random, random_string};

/// Argon2id cost parameters (stored as JSON in `system_config` once calibrated).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Argon2Params {
    /// Memory in KiB.
    pub m_kib: u32,
    /// Iterations.
    pub t: u32,
    /// Lanes.
    pub p: u32,
}

impl Default for Argon2Params {
    /// SDD §7.4's starting point: 64 MiB, 3 iterations, 1 lane.
    fn default() -> Self {
        Self {
            m_kib: 65536,
            t: 3,
            p: 1,
        }
    }
}

impl Argon2Params {
    fn argon2(self) -> Result<Argon2<'static>, AuthError> {
        let params = Params::new(self.m_kib, self.t, self.p, None)
            .map_err(|e| AuthError::InvalidParams(e.to_string()))?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }
}

impl std::fmt::Display for Argon2Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "m={},t={},p={}", self.m_kib, self.t, self.p)
    }
}

/// Hashes and verifies passwords with one set of Argon2id parameters.
#[derive(Debug, Clone)]
pub struct PasswordHasher {
    params: Argon2Params,
    /// A hash of a random password with the same parameters, checked when the user is
    /// unknown so that the answer takes as long as for a known user.
    dummy: String,
}

impl PasswordHasher {
    /// A hasher with these parameters. Computes one hash (the dummy for unknown users), so it
    /// takes as long as a login; build it once at startup.
    pub fn new(params: Argon2Params) -> Result<Self, AuthError> {
        let mut hasher = Self {
            params,
            dummy: String::new(),
        };
        let filler = SecretString::from(random_string(PASSWORD_ALPHABET, 20)?);
        hasher.dummy = hasher.hash(&filler)?;
        Ok(hasher)
    }

    /// Its parameters.
    pub fn params(&self) -> Argon2Params {
        self.params
    }

    /// The Argon2id PHC string of a password, with a fresh random salt.
    pub fn hash(&self, password: &SecretString) -> Result<String, AuthError> {
        let mut salt = [0u8; 16];
        fill_random(&mut salt)?;
        let hash = self
            .params
            .argon2()?
            .hash_password_with_salt(password.expose_secret().as_bytes(), &salt)
            .map_err(|e| AuthError::Hashing(e.to_string()))?;
        Ok(hash.to_string())
    }

    /// Whether `password` matches the PHC string `phc` (checked with the parameters recorded
    /// in it). `Err(UnsupportedHash)` when `phc` is not an Argon2id PHC string.
    pub fn verify(&self, password: &SecretString, phc: &str) -> Result<bool, AuthError> {
        let parsed = parse_argon2id(phc)?;
        // Refuse absurd costs from a tampered hash rather than allocate them.
        let params = Params::try_from(&parsed).map_err(|_| AuthError::UnsupportedHash)?;
        if params.m_cost() > MAX_M_KIB || params.t_cost() > 64 {
            return Err(AuthError::UnsupportedHash);
        }
        match Argon2::default().verify_password(password.expose_secret().as_bytes(), &parsed) {
            Ok(()) => Ok(true),
            Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
            Err(e) => Err(AuthError::Hashing(e.to_string())),
        }
    }

    /// Checks `password` against a dummy hash and returns `false`: call it when the username is
    /// unknown, so that the answer costs the same time as for a known user.
    pub fn verify_unknown_user(&self, password: &SecretString) -> Result<bool, AuthError> {
        self.verify(password, &self.dummy).map(|_| false)
    }

    /// Whether a stored hash should be replaced (after a successful login, while the password
    /// is at hand): another algorithm, or parameters that differ from this hasher's.
    pub fn needs_rehash(&self, phc: &str) -> bool {
        let Ok(parsed) = parse_argon2id(phc) else {
            return true;
        };
        let Ok(p) = Params::try_from(&parsed) else {
            return true;
        };
        parsed.version != Some(Version::V0x13.into())
            || (p.m_cost(), p.t_cost(), p.p_cost())
                != (self.params.m_kib, self.params.t, self.params.p)
    }
}

/// The largest memory cost a stored hash may ask for (1 GiB).
const MAX_M_KIB: u32 = 1 << 20;

fn parse_argon2id(phc: &str) -> Result<PasswordHash, AuthError> {
    let parsed = PasswordHash::new(phc).map_err(|_| AuthError::UnsupportedHash)?;
    if parsed.algorithm != argon2::ARGON2ID_IDENT {
        return Err(AuthError::UnsupportedHash);
    }
    Ok(parsed)
}

/// What [`calibrate`] settled on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CalibrationResult {
    /// The parameters to use (record them in `system_config`).
    pub params: Argon2Params,
    /// The median time of one hash with them.
    pub measured: Duration,
    /// Whether `measured` landed in the target range; `false` when the limits (`max_m_kib`,
    /// t ≤ 64, or the number of rounds) stopped the search first.
    pub in_target: bool,
}

/// SDD §7.4's login-latency budget for one hash.
pub const DEFAULT_TARGET: RangeInclusive<Duration> =
    Duration::from_millis(250)..=Duration::from_millis(500);

/// How many measure-and-adjust rounds [`calibrate`] runs at most.
const CALIBRATION_ROUNDS: usize = 8;

/// Finds Argon2id parameters whose hash takes `target` (normally [`DEFAULT_TARGET`]) on this
/// machine, starting from `start` (normally the SDD's 64 MiB, t=3, p=1).
///
/// The algorithm: measure the median of 3 hashes. Inside the range: done. Otherwise scale the
/// cost toward the range's geometric middle (√(250·500) ≈ 354 ms by default), assuming time is
/// proportional to m·t:
/// - too fast: raise memory first, up to `max_m_kib` (memory hardness is what costs an
///   attacker's GPUs), then iterations;
/// - too slow: lower iterations first (down to 1), then memory.
///
/// Parameters never go below t=1 or m=8·p KiB, nor above `max_m_kib` or t=64. After 8 rounds
/// the best measurement so far is returned with `in_target: false`. This reads the wall
/// clock: run it at install time or from an admin command, not per request.
pub fn calibrate(
    target: RangeInclusive<Duration>,
    start: Argon2Params,
    max_m_kib: u32,
) -> Result<CalibrationResult, AuthError> {
    calibrate_with(target, start, max_m_kib, measure)
}

/// The median wall time of 3 hashes with `params`.
fn measure(params: Argon2Params) -> Result<Duration, AuthError> {
    let argon2 = params.argon2()?;
    let mut salt = [0u8; 16];
    fill_random(&mut salt)?;
    let mut times = [Duration::ZERO; 3];
    for time in &mut times {
        let started = Instant::now();
        argon2
            .hash_password_with_salt(b"calibration password", &salt)
            .map_err(|e| AuthError::Hashing(e.to_string()))?;
        *time = started.elapsed();
    }
    times.sort();
    Ok(times[1])
}

fn calibrate_with(
    target: RangeInclusive<Duration>,
    start: Argon2Params,
    max_m_kib: u32,
    mut measure: impl FnMut(Argon2Params) -> Result<Duration, AuthError>,
) -> Result<CalibrationResult, AuthError> {
    let (low, high) = (*target.start(), *target.end());
    let aim = (low.as_secs_f64() * high.as_secs_f64()).sqrt();
    let distance = |d: Duration| {
        if d < low {
            low.as_secs_f64() / d.as_secs_f64().max(1e-9)
        } else if d > high {
            d.as_secs_f64() / high.as_secs_f64()
        } else {
            1.0
        }
    };
    let min_m = 8 * start.p.max(1);
    let max_m = max_m_kib.max(min_m);
    let mut params = Argon2Params {
        m_kib: start.m_kib.clamp(min_m, max_m),
        ..start
    };
    let mut best: Option<CalibrationResult> = None;
    for _ in 0..CALIBRATION_ROUNDS {
        let measured = measure(params)?;
        let in_target = target.contains(&measured);
        let result = CalibrationResult {
            params,
            measured,
            in_target,
        };
        if in_target {
            return Ok(result);
        }
        if best.is_none_or(|b| distance(measured) < distance(b.measured)) {
            best = Some(result);
        }
        let factor = aim / measured.as_secs_f64().max(1e-9);
        let next = rescale(params, factor, min_m, max_m);
        if next == params {
            break; // at a limit
        }
        params = next;
    }
    best.ok_or_else(|| AuthError::InvalidParams("no calibration round ran".into()))
}

/// Scales the cost m·t by `factor`: memory first when growing, iterations first when
/// shrinking, within the limits.
fn rescale(p: Argon2Params, factor: f64, min_m: u32, max_m: u32) -> Argon2Params {
    const MAX_T: u32 = 64;
    let scale = |x: u32, f: f64| (f64::from(x) * f).round().clamp(1.0, f64::from(u32::MAX)) as u32;
    if factor > 1.0 {
        let m = scale(p.m_kib, factor).min(max_m);
        let left = factor * f64::from(p.m_kib) / f64::from(m);
        let t = if left > 1.05 {
            scale(p.t, left).max(p.t + 1).min(MAX_T)
        } else {
            p.t
        };
        Argon2Params { m_kib: m, t, ..p }
    } else {
        let t = scale(p.t, factor).min(p.t).max(1);
        let t = if t == p.t && p.t > 1 { p.t - 1 } else { t };
        let left = factor * f64::from(p.t) / f64::from(t);
        let m = if left < 0.95 {
            scale(p.m_kib, left).min(p.m_kib).max(min_m)
        } else {
            p.m_kib
        };
        Argon2Params { m_kib: m, t, ..p }
    }
}

/// Passwords this short are refused (NIST SP 800-63B allows 8; an admin tool can ask for more).
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Passwords this long are refused, to bound the work of hashing.
pub const MAX_PASSWORD_CHARS: usize = 1024;

/// Checks a new password in the NIST SP 800-63B way: length, not trivially repetitive, not the
/// username; no composition rules (upper/lower/digit/symbol) and no forced rotation.
pub fn check_password_policy(password: &str, username: &str) -> Result<(), AuthError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(AuthError::WeakPassword {
            reason: "must be at least 12 characters",
        });
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(AuthError::WeakPassword {
            reason: "must be at most 1024 characters",
        });
    }
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) {
        return Err(AuthError::WeakPassword {
            reason: "must not repeat a single character",
        });
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err(AuthError::WeakPassword {
            reason: "must not be the username",
        });
    }
    Ok(())
}

/// Letters and digits without look-alikes (0/O, 1/l/I), for passwords read off a screen.
const PASSWORD_ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// A one-time password (an admin's reset, the demo's first user): 20 characters from a
/// 57-symbol alphabet without look-alikes, from the system CSPRNG (about 116 bits).
pub fn generate_password() -> Result<SecretString, AuthError> {
    Ok(SecretString::from(random_string(PASSWORD_ALPHABET, 20)?))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// Cheap parameters: tests check behaviour, not cost.
    const CHEAP: Argon2Params = Argon2Params {
        m_kib: 64,
        t: 1,
        p: 1,
    };

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.to_owned())
    }

    #[test]
    fn default_params_are_the_sdds() {
        assert_eq!(
            Argon2Params::default(),
            Argon2Params {
                m_kib: 65536,
                t: 3,
                p: 1
            }
        );
    }

    #[test]
    fn hash_then_verify() {
        let hasher = PasswordHasher::new(CHEAP).unwrap();
        let phc = hasher.hash(&secret("correct horse battery")).unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{phc}");
        assert!(
            hasher
                .verify(&secret("correct horse battery"), &phc)
                .unwrap()
        );
        assert!(
            !hasher
                .verify(&secret("correct horse batterY"), &phc)
                .unwrap()
        );
        let again = hasher.hash(&secret("correct horse battery")).unwrap();
        assert_ne!(phc, again, "each hash has its own salt");
    }

    #[test]
    fn verify_uses_the_hashs_own_params() {
        let old = PasswordHasher::new(CHEAP).unwrap();
        let phc = old.hash(&secret("correct horse battery")).unwrap();
        let new = PasswordHasher::new(Argon2Params { t: 2, ..CHEAP }).unwrap();
        assert!(new.verify(&secret("correct horse battery"), &phc).unwrap());
        assert!(new.needs_rehash(&phc));
        assert!(!old.needs_rehash(&phc));
    }

    #[test]
    fn other_algorithms_and_garbage_are_refused() {
        let hasher = PasswordHasher::new(CHEAP).unwrap();
        let phc = hasher.hash(&secret("correct horse battery")).unwrap();
        let argon2i = phc.replacen("$argon2id$", "$argon2i$", 1);
        for bad in [
            argon2i.as_str(),
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
            "plaintext",
            "",
        ] {
            assert!(
                matches!(
                    hasher.verify(&secret("x"), bad),
                    Err(AuthError::UnsupportedHash)
                ),
                "{bad}"
            );
            assert!(hasher.needs_rehash(bad));
        }
    }

    #[test]
    fn absurd_costs_in_a_stored_hash_are_refused() {
        let hasher = PasswordHasher::new(CHEAP).unwrap();
        let phc = hasher.hash(&secret("correct horse battery")).unwrap();
        let huge = phc.replacen("m=64,", "m=4194304,", 1);
        assert!(matches!(
            hasher.verify(&secret("correct horse battery"), &huge),
            Err(AuthError::UnsupportedHash)
        ));
    }

    #[test]
    fn unknown_users_are_never_accepted() {
        let hasher = PasswordHasher::new(CHEAP).unwrap();
        assert!(
            !hasher
                .verify_unknown_user(&secret("anything at all"))
                .unwrap()
        );
        assert!(hasher.dummy.starts_with("$argon2id$v=19$m=64,t=1,p=1$"));
    }

    #[test]
    fn the_sdd_parameters_hash_and_verify() {
        // The one test with the real cost (64 MiB, t=3): argon2 is built with opt-level 3 in the
        // dev profile, so this takes a fraction of a second.
        let hasher = PasswordHasher::new(Argon2Params::default()).unwrap();
        let started = Instant::now();
        let phc = hasher.hash(&secret("correct horse battery")).unwrap();
        let took = started.elapsed();
        assert!(phc.starts_with("$argon2id$v=19$m=65536,t=3,p=1$"), "{phc}");
        assert!(
            hasher
                .verify(&secret("correct horse battery"), &phc)
                .unwrap()
        );
        assert!(!hasher.needs_rehash(&phc));
        eprintln!("one Argon2id hash with m=65536,t=3,p=1 took {took:?}");
    }

    /// A machine where a hash takes m·t·`ns_per_unit` nanoseconds.
    fn model(ns_per_unit: u64) -> impl FnMut(Argon2Params) -> Result<Duration, AuthError> {
        move |p| {
            Ok(Duration::from_nanos(
                u64::from(p.m_kib) * u64::from(p.t) * ns_per_unit,
            ))
        }
    }

    #[test]
    fn calibration_raises_iterations_when_memory_is_capped() {
        // 64 MiB·3 takes ~170 ms, as measured on the dev machine (STACK.md trap 16).
        let r = calibrate_with(DEFAULT_TARGET, Argon2Params::default(), 65536, model(865)).unwrap();
        assert!(r.in_target, "{r:?}");
        assert_eq!(r.params.m_kib, 65536);
        assert!(r.params.t > 3, "{r:?}");
    }

    #[test]
    fn calibration_raises_memory_first_when_allowed() {
        let r =
            calibrate_with(DEFAULT_TARGET, Argon2Params::default(), 262_144, model(865)).unwrap();
        assert!(r.in_target, "{r:?}");
        assert!(r.params.m_kib > 65536, "{r:?}");
        assert_eq!(r.params.t, 3);
    }

    #[test]
    fn calibration_lowers_the_cost_on_a_slow_machine() {
        let r = calibrate_with(
            DEFAULT_TARGET,
            Argon2Params::default(),
            65536,
            model(10_000),
        )
        .unwrap();
        assert!(r.in_target, "{r:?}");
        assert!(r.params.m_kib * r.params.t < 65536 * 3, "{r:?}");
    }

    #[test]
    fn calibration_keeps_parameters_already_in_range() {
        let mut calls = 0;
        let r = calibrate_with(DEFAULT_TARGET, Argon2Params::default(), 65536, |_| {
            calls += 1;
            Ok(Duration::from_millis(300))
        })
        .unwrap();
        assert_eq!(calls, 1);
        assert_eq!(r.params, Argon2Params::default());
    }

    #[test]
    fn calibration_reports_when_limits_stop_it() {
        // Even t=64 with a 64 KiB cap stays far below the target.
        let r = calibrate_with(DEFAULT_TARGET, CHEAP, 64, model(1)).unwrap();
        assert!(!r.in_target);
        assert!(r.params.t > 1);
        assert_eq!(r.params.m_kib, 64);
    }

    #[test]
    fn calibrate_measures_real_hashes() {
        let r = calibrate(Duration::ZERO..=Duration::from_secs(60), CHEAP, 64).unwrap();
        assert!(r.in_target);
        assert_eq!(r.params, CHEAP);
        assert!(r.measured > Duration::ZERO);
    }

    #[test]
    fn password_policy() {
        assert!(check_password_policy("correct horse", "alice").is_ok());
        assert!(check_password_policy("short pw", "alice").is_err());
        assert!(
            check_password_policy("ééééééééééé", "alice").is_err(),
            "11 chars"
        );
        assert!(check_password_policy("aaaaaaaaaaaaaaaa", "alice").is_err());
        assert!(check_password_policy("alice.example", "Alice.Example").is_err());
        assert!(check_password_policy(&"ab".repeat(600), "alice").is_err());
        // No composition rules: all lowercase letters is fine when long enough.
        assert!(check_password_policy("alllowercaseletters", "alice").is_ok());
    }

    #[test]
    fn generated_passwords_pass_the_policy_and_differ() {
        let a = generate_password().unwrap();
        let b = generate_password().unwrap();
        assert_eq!(a.expose_secret().chars().count(), 20);
        assert!(check_password_policy(a.expose_secret(), "alice").is_ok());
        assert_ne!(a.expose_secret(), b.expose_secret());
        assert!(
            a.expose_secret()
                .bytes()
                .all(|c| PASSWORD_ALPHABET.contains(&c))
        );
    }
}
