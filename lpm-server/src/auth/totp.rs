//! TOTP second factor per RFC 6238, as ARCHITECTURE.md settles it: HMAC-SHA-1, 6 digits,
//! 30-second steps, secrets of 160 bits in base32 without padding.
//!
//! [`verify`] accepts the current step and one step either side (clock skew of the phone) and
//! returns the step that matched; the caller spends it with `Store::use_totp_step(user, step)`,
//! which refuses a step at or before the last one used, so each code is accepted once
//! (RFC 6238 §5.2).

use aws_lc_rs::constant_time::verify_slices_are_equal;
use chrono::{DateTime, Utc};
use secrecy::{ExposeSecret, SecretString};
use totp_rs::{Algorithm, Builder, Secret, Totp};

use super::AuthError;
use super::secrets::fill_random;

/// Seconds per step.
pub const STEP_SECS: i64 = 30;
/// Digits per code.
pub const DIGITS: usize = 6;
/// The issuer shown in authenticator apps.
pub const ISSUER: &str = "lpm";

/// A new TOTP secret: 160 random bits, base32 without padding (32 characters). Store it with
/// `Store::begin_totp_enrolment` and show it once, as [`otpauth_uri`] (a QR code) and as text.
pub fn new_secret() -> Result<SecretString, AuthError> {
    let mut bytes = [0u8; 20];
    fill_random(&mut bytes)?;
    Ok(SecretString::from(
        Secret::from(bytes.to_vec())
            .to_base32()
            .trim_end_matches('=')
            .to_owned(),
    ))
}

fn totp(secret: &SecretString) -> Result<Totp, AuthError> {
    builder(secret)?
        .build()
        .map_err(|e| AuthError::TotpSecret(e.to_string()))
}

fn builder(secret: &SecretString) -> Result<Builder, AuthError> {
    let secret = Secret::try_from_base32(secret.expose_secret().trim())
        .map_err(|e| AuthError::TotpSecret(e.to_string()))?;
    Ok(Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_step_duration(30)
        .with_skew(0)
        .with_secret(secret))
}

/// The `otpauth://totp/…` URI an authenticator app scans: issuer `lpm`, the account name
/// (the username), the secret, and the defaults (SHA-1, 6 digits, 30 s).
pub fn otpauth_uri(secret: &SecretString, account: &str) -> Result<String, AuthError> {
    builder(secret)?
        .with_account_name(account)
        .with_issuer(Some(ISSUER))
        .build()
        .and_then(|t| t.to_url())
        .map_err(|e| AuthError::TotpSecret(e.to_string()))
}

/// The step `now` falls in (unix seconds / 30).
pub fn step_at(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(STEP_SECS)
}

fn code_for_step(totp: &Totp, step: i64) -> Option<String> {
    let time = u64::try_from(step.checked_mul(STEP_SECS)?).ok()?;
    Some(totp.generate(time).to_string())
}

/// The code at `now` (for tests and the demo).
pub fn code_at(secret: &SecretString, now: DateTime<Utc>) -> Result<String, AuthError> {
    code_for_step(&totp(secret)?, step_at(now))
        .ok_or_else(|| AuthError::TotpSecret("time before 1970".into()))
}

/// Which step `code` is valid for at `now`: the current one, or one step either side.
/// `Ok(None)` when it matches none (or is not 6 digits; spaces are ignored). Pass the step to
/// `Store::use_totp_step` and accept the login only if that returns `true`.
pub fn verify(
    secret: &SecretString,
    code: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>, AuthError> {
    let totp = totp(secret)?;
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS || !code.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(None);
    }
    let current = step_at(now);
    // Check all three so the time taken does not say which matched.
    let mut matched = None;
    for step in [current, current - 1, current + 1] {
        if let Some(expected) = code_for_step(&totp, step)
            && verify_slices_are_equal(expected.as_bytes(), code.as_bytes()).is_ok()
            && matched.is_none()
        {
            matched = Some(step);
        }
    }
    Ok(matched)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// RFC 6238 Appendix B's SHA-1 seed, "12345678901234567890", in base32.
    fn rfc_secret() -> SecretString {
        SecretString::from("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ".to_owned())
    }

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 0).unwrap()
    }

    #[test]
    fn rfc_6238_appendix_b_sha1_vectors_truncated_to_6_digits() {
        // The appendix lists 8-digit codes; a 6-digit code is the same number mod 10^6.
        for (time, eight) in [
            (59, "94287082"),
            (1_111_111_109, "07081804"),
            (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"),
            (2_000_000_000, "69279037"),
            (20_000_000_000, "65353130"),
        ] {
            let six = &eight[2..];
            assert_eq!(code_at(&rfc_secret(), at(time)).unwrap(), six, "T={time}");
            assert_eq!(
                verify(&rfc_secret(), six, at(time)).unwrap(),
                Some(time / 30),
                "T={time}"
            );
        }
    }

    #[test]
    fn one_step_of_skew_either_way_and_no_more() {
        let secret = new_secret().unwrap();
        let now = at(1_800_000_000);
        let step = step_at(now);
        let code = |s: i64| code_at(&secret, at(s * 30)).unwrap();
        assert_eq!(verify(&secret, &code(step), now).unwrap(), Some(step));
        assert_eq!(
            verify(&secret, &code(step - 1), now).unwrap(),
            Some(step - 1)
        );
        assert_eq!(
            verify(&secret, &code(step + 1), now).unwrap(),
            Some(step + 1)
        );
        for far in [step - 2, step + 2, step - 100] {
            let c = code(far);
            // A far code may collide with a near one by chance (1 in 10^6); skip that case.
            if [step - 1, step, step + 1].iter().all(|&s| code(s) != c) {
                assert_eq!(verify(&secret, &c, now).unwrap(), None, "step {far}");
            }
        }
    }

    #[test]
    fn codes_are_six_digits_and_spaces_are_ignored() {
        let now = at(59);
        assert_eq!(verify(&rfc_secret(), "287 082", now).unwrap(), Some(1));
        assert_eq!(verify(&rfc_secret(), " 287082\n", now).unwrap(), Some(1));
        for bad in ["", "28708", "2870820", "94287082", "28708a", "-87082"] {
            assert_eq!(verify(&rfc_secret(), bad, now).unwrap(), None, "{bad:?}");
        }
    }

    #[test]
    fn new_secrets_are_160_bit_base32_without_padding() {
        let s = new_secret().unwrap();
        let s = s.expose_secret();
        assert_eq!(s.len(), 32);
        assert!(!s.contains('='));
        assert!(
            s.bytes()
                .all(|b| b.is_ascii_uppercase() || (b'2'..=b'7').contains(&b))
        );
        assert_ne!(new_secret().unwrap().expose_secret(), s);
    }

    #[test]
    fn bad_secrets_are_errors() {
        for bad in ["", "not base32!", "GEZDGNBV"] {
            let secret = SecretString::from(bad.to_owned());
            assert!(
                matches!(
                    verify(&secret, "123456", at(59)),
                    Err(AuthError::TotpSecret(_))
                ),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn otpauth_uri_names_issuer_account_and_secret() {
        let uri = otpauth_uri(&rfc_secret(), "alice@example.net").unwrap();
        assert!(
            uri.starts_with("otpauth://totp/lpm:alice%40example.net?"),
            "{uri}"
        );
        assert!(
            uri.contains("secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"),
            "{uri}"
        );
        assert!(uri.contains("issuer=lpm"), "{uri}");
        assert!(!uri.contains("digits="), "6 is the default: {uri}");
    }
}
