//! The retry policy of SDD §8: backoff for transient agent errors, one in-window retry for a
//! failed patch.
//!
//! Randomness and time are parameters: the caller passes `now` and a jitter sample in
//! `[0, 1)`, so the policy is a pure function and tests need no clock.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

/// What to do after a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Try again at this instant.
    RetryAt(DateTime<Utc>),
    /// Stop: report the failure.
    GiveUp(GiveUpReason),
}

/// Why a failure is final.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GiveUpReason {
    /// Every allowed retry has been used.
    RetriesExhausted,
    /// The maintenance window closes before the retry could start.
    WindowClosed,
    /// The error is not one a retry can fix (a 4xx, a certificate failure).
    Permanent,
}

/// Backoff for transient agent errors (connection refused, timeout, reset, 5xx, 503 while
/// rebooting, 409 busy).
///
/// The nominal delay before retry `n` (1-based) is `backoff[n - 1]`; the default schedule is
/// SDD §8.1's 1, 5 and 30 minutes: up to three retries, each wait longer than the last, none
/// longer than [`RetryPolicy::max_delay`]. Jitter spreads a fleet's retries: the delay is
/// multiplied by a factor in `[1 - jitter, 1 + jitter)` and then capped, so a fleet that failed
/// together does not retry together.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RetryPolicy {
    backoff: Vec<Duration>,
    max_delay: Duration,
    jitter: f64,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            backoff: vec![
                Duration::minutes(1),
                Duration::minutes(5),
                Duration::minutes(30),
            ],
            max_delay: Duration::minutes(30),
            jitter: 0.1,
        }
    }
}

impl RetryPolicy {
    /// An exponential schedule: `max_retries` delays starting at `initial`, each `multiplier`
    /// times the last, capped at `max_delay`. Jitter is a fraction in `[0, 0.5]`.
    ///
    /// Values out of range are clamped: a multiplier below 1 is 1, a negative delay is zero.
    pub fn exponential(
        initial: Duration,
        multiplier: u32,
        max_delay: Duration,
        max_retries: u32,
        jitter: f64,
    ) -> Self {
        let max_delay = max_delay.max(Duration::zero());
        let mut delay = initial.max(Duration::zero()).min(max_delay);
        let mut backoff = Vec::new();
        for _ in 0..max_retries {
            backoff.push(delay);
            delay = delay
                .checked_mul(i32::try_from(multiplier.max(1)).unwrap_or(i32::MAX))
                .unwrap_or(max_delay)
                .min(max_delay);
        }
        Self {
            backoff,
            max_delay,
            jitter: jitter.clamp(0.0, 0.5),
        }
    }

    /// An explicit schedule, e.g. from configuration; each entry is capped at `max_delay`.
    pub fn from_schedule(backoff: Vec<Duration>, max_delay: Duration, jitter: f64) -> Self {
        let max_delay = max_delay.max(Duration::zero());
        let backoff = backoff
            .into_iter()
            .map(|d| d.max(Duration::zero()).min(max_delay))
            .collect();
        Self {
            backoff,
            max_delay,
            jitter: jitter.clamp(0.0, 0.5),
        }
    }

    /// How many retries are allowed after the first attempt.
    pub fn max_retries(&self) -> u32 {
        u32::try_from(self.backoff.len()).unwrap_or(u32::MAX)
    }

    /// The longest wait between attempts.
    pub fn max_delay(&self) -> Duration {
        self.max_delay
    }

    /// The nominal schedule, without jitter.
    pub fn schedule(&self) -> &[Duration] {
        &self.backoff
    }

    /// The delay before retry number `retry` (1-based), with jitter from `sample` in `[0, 1)`.
    /// `None` when that retry is not allowed.
    pub fn delay(&self, retry: u32, sample: f64) -> Option<Duration> {
        let index = usize::try_from(retry.checked_sub(1)?).ok()?;
        let nominal = *self.backoff.get(index)?;
        let sample = if sample.is_finite() {
            sample.clamp(0.0, 1.0)
        } else {
            0.5
        };
        let factor = 1.0 - self.jitter + 2.0 * self.jitter * sample;
        // Milliseconds as f64 are exact far beyond 30 minutes.
        let millis = (nominal.num_milliseconds() as f64 * factor).round() as i64;
        Some(Duration::milliseconds(millis).min(self.max_delay))
    }

    /// The decision after a transient failure, given how many retries were already made.
    pub fn after_transient(
        &self,
        retries_made: u32,
        now: DateTime<Utc>,
        sample: f64,
    ) -> RetryDecision {
        match self.delay(retries_made.saturating_add(1), sample) {
            Some(delay) => RetryDecision::RetryAt(now + delay),
            None => RetryDecision::GiveUp(GiveUpReason::RetriesExhausted),
        }
    }
}

/// SDD §8.2/§8.3: a patch that failed on a host is retried once, at once, and only while the
/// host's maintenance window is still open. An immediate job has no window: it gets its one
/// retry straight away.
pub fn after_patch_failure(
    patch_retries_made: u32,
    now: DateTime<Utc>,
    window_closes_at: Option<DateTime<Utc>>,
) -> RetryDecision {
    if patch_retries_made >= 1 {
        return RetryDecision::GiveUp(GiveUpReason::RetriesExhausted);
    }
    match window_closes_at {
        Some(closes) if closes <= now => RetryDecision::GiveUp(GiveUpReason::WindowClosed),
        _ => RetryDecision::RetryAt(now),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 12, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn default_schedule_is_1_5_30_minutes_then_give_up() {
        let p = RetryPolicy::default();
        assert_eq!(p.max_retries(), 3);
        assert_eq!(p.delay(1, 0.5), Some(Duration::minutes(1)));
        assert_eq!(p.delay(2, 0.5), Some(Duration::minutes(5)));
        assert_eq!(p.delay(3, 0.5), Some(Duration::minutes(30)));
        assert_eq!(p.delay(4, 0.5), None);
        assert_eq!(p.delay(0, 0.5), None);
        assert_eq!(
            p.after_transient(3, t0(), 0.5),
            RetryDecision::GiveUp(GiveUpReason::RetriesExhausted)
        );
        assert_eq!(
            p.after_transient(0, t0(), 0.5),
            RetryDecision::RetryAt(t0() + Duration::minutes(1))
        );
    }

    #[test]
    fn jitter_spreads_but_never_exceeds_the_cap() {
        let p = RetryPolicy::default();
        let low = p.delay(1, 0.0).unwrap_or_default();
        let high = p.delay(1, 0.999).unwrap_or_default();
        assert!(low < high, "{low} < {high}");
        assert!(low >= Duration::seconds(54) && high <= Duration::seconds(66));
        for i in 0..100 {
            let d = p.delay(3, f64::from(i) / 100.0).unwrap_or_default();
            assert!(d <= Duration::minutes(30), "retry 3 waited {d}");
        }
        assert!(p.delay(1, f64::NAN).is_some());
    }

    #[test]
    fn exponential_builder_caps() {
        let p = RetryPolicy::exponential(Duration::minutes(1), 6, Duration::minutes(30), 4, 0.0);
        let minutes: Vec<i64> = p.schedule().iter().map(|d| d.num_minutes()).collect();
        assert_eq!(minutes, vec![1, 6, 30, 30]);
    }

    #[test]
    fn patch_retry_once_inside_the_window() {
        let closes = t0() + Duration::minutes(10);
        assert_eq!(
            after_patch_failure(0, t0(), Some(closes)),
            RetryDecision::RetryAt(t0())
        );
        assert_eq!(
            after_patch_failure(1, t0(), Some(closes)),
            RetryDecision::GiveUp(GiveUpReason::RetriesExhausted)
        );
        assert_eq!(
            after_patch_failure(0, closes, Some(closes)),
            RetryDecision::GiveUp(GiveUpReason::WindowClosed)
        );
        assert_eq!(
            after_patch_failure(0, t0(), None),
            RetryDecision::RetryAt(t0())
        );
    }
}
