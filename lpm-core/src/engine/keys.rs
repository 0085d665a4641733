//! Idempotency keys and jitter without a random-number source: both derive from values that
//! are unique where they must be (a worker's id, a row, its claim), through a fixed hash, so
//! every build of the engine derives the same key from the same inputs.
//!
//! Keys look like ULIDs (26 Crockford base32 characters: 48 bits of milliseconds, 80 bits
//! derived from the inputs), as agent-api.md asks.

use chrono::{DateTime, Utc};

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// 64-bit FNV-1a: small, fixed, and the same in every build (std's hasher is not promised
/// to be).
fn fnv1a(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in *part {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        // Separate the parts, so ("ab", "c") and ("a", "bc") differ.
        hash ^= 0xff;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// A final mix (splitmix64's), spreading FNV's weak low bits.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn encode(time_ms: u64, high: u64, low: u16) -> String {
    // 128 bits: 48 of time, 80 of the rest.
    let value: u128 =
        (u128::from(time_ms & 0xffff_ffff_ffff) << 80) | (u128::from(high) << 16) | u128::from(low);
    (0..26)
        .rev()
        .map(|i| {
            let index = ((value >> (i * 5)) & 0x1f) as usize;
            char::from(CROCKFORD[index])
        })
        .collect()
}

/// The key for a claimed row's agent call: unique per worker, row and claim.
pub(crate) fn row_key(owner: &str, job_host: i64, attempt: i64, now: DateTime<Utc>) -> String {
    let seed = fnv1a(&[
        owner.as_bytes(),
        &job_host.to_le_bytes(),
        &attempt.to_le_bytes(),
    ]);
    let ms = u64::try_from(now.timestamp_millis()).unwrap_or(0);
    encode(ms, mix(seed), (mix(seed ^ 0x5555) & 0xffff) as u16)
}

/// The key of step `step` of a row whose work takes several agent calls: step 0 uses the
/// row's key, later steps a key derived from it (same time part), so a resumed row can ask
/// the agent for each step's job in turn.
pub(crate) fn step_key(row_key: &str, step: usize) -> String {
    if step == 0 {
        return row_key.to_owned();
    }
    let seed = fnv1a(&[row_key.as_bytes(), &(step as u64).to_le_bytes()]);
    let suffix = encode(0, mix(seed), (mix(seed ^ 0xaaaa) & 0xffff) as u16);
    // The time part of the row's key, the derived part of the step.
    let prefix: String = row_key.chars().take(10).collect();
    let rest: String = suffix.chars().skip(10).collect();
    if prefix.len() == 10 {
        format!("{prefix}{rest}")
    } else {
        suffix
    }
}

/// A jitter sample in `[0, 1)` from the things it spreads (a host, an instant).
pub(crate) fn sample(parts: &[&[u8]]) -> f64 {
    (mix(fnv1a(parts)) >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn keys_are_ulid_shaped_unique_and_stable() {
        let now = Utc
            .with_ymd_and_hms(2026, 11, 24, 12, 0, 0)
            .single()
            .unwrap_or_default();
        let a = row_key("worker-1", 7, 1, now);
        assert_eq!(a.len(), 26);
        assert!(a.bytes().all(|b| CROCKFORD.contains(&b)), "{a}");
        assert_eq!(a, row_key("worker-1", 7, 1, now), "deterministic");
        assert_ne!(a, row_key("worker-1", 7, 2, now), "a new claim, a new key");
        assert_ne!(
            a,
            row_key("worker-2", 7, 1, now),
            "another worker, another key"
        );
        assert_ne!(a, row_key("worker-1", 8, 1, now));
        assert_eq!(step_key(&a, 0), a);
        let s1 = step_key(&a, 1);
        assert_eq!(s1.len(), 26);
        assert_eq!(&s1[..10], &a[..10]);
        assert_ne!(s1, a);
        assert_ne!(s1, step_key(&a, 2));
        assert_eq!(s1, step_key(&a, 1));
    }

    #[test]
    fn samples_are_in_range_and_spread() {
        let samples: Vec<f64> = (0u64..1000).map(|i| sample(&[&i.to_le_bytes()])).collect();
        assert!(samples.iter().all(|s| (0.0..1.0).contains(s)));
        let low = samples.iter().filter(|s| **s < 0.5).count();
        assert!((400..600).contains(&low), "{low} of 1000 below one half");
    }
}
