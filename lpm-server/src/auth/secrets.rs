//! Opaque random secrets the server hands out and keeps only as SHA-256 hashes: refresh
//! tokens, recovery codes and WebSocket tickets.
//!
//! Every secret comes from the system CSPRNG (aws-lc-rs `SystemRandom`). They carry at least
//! 60 bits of entropy and are single-use or short-lived, so a fast unsalted SHA-256 is the
//! right hash: the store keeps `hash_token(secret)` and looks the presented secret up by hash.
//!
//! | secret | format | entropy |
//! |---|---|---|
//! | refresh token | `lpmr_` + base64url (no padding) of 32 random bytes | 256 bits |
//! | WebSocket ticket | `lpmw_` + base64url (no padding) of 32 random bytes | 256 bits |
//! | recovery code | `xxxx-xxxx-xxxx`, Crockford base32 lowercase | 60 bits |
//!
//! MFA and enrolment tokens (step 2 of login) are not here: they are short-lived signed JWTs
//! ([`crate::auth::issue_mfa_token`]), so they need no table.

use aws_lc_rs::rand::{SecureRandom, SystemRandom};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use secrecy::SecretString;
use sha2::{Digest, Sha256};

use super::AuthError;

/// Prefix of refresh tokens, so a leaked one is recognisable (secret scanners, logs).
pub const REFRESH_TOKEN_PREFIX: &str = "lpmr_";
/// Prefix of API tokens: secret scanners (GitHub's, gitleaks, trufflehog) can be taught
/// `lpm_[A-Za-z0-9_-]{43}`.
pub const API_TOKEN_PREFIX: &str = "lpm_";
/// Prefix of WebSocket tickets.
pub const WS_TICKET_PREFIX: &str = "lpmw_";
/// How many recovery codes a user gets.
pub const RECOVERY_CODES: usize = 10;

/// Crockford's base32 alphabet (no i, l, o, u), lowercase: 32 symbols, so a random byte's low
/// five bits pick one without bias.
const CROCKFORD: &[u8; 32] = b"0123456789abcdefghjkmnpqrstvwxyz";

/// Fills `buf` from the system CSPRNG.
pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), AuthError> {
    SystemRandom::new().fill(buf).map_err(|_| AuthError::Random)
}

/// `len` characters drawn uniformly from `alphabet` (rejection sampling, no modulo bias).
pub(crate) fn random_string(alphabet: &[u8], len: usize) -> Result<String, AuthError> {
    debug_assert!(!alphabet.is_empty() && alphabet.len() <= 256);
    // The largest multiple of the alphabet's size that fits in a byte: bytes at or above it
    // are thrown away.
    let limit = 256 - 256 % alphabet.len();
    let mut out = String::with_capacity(len);
    let mut buf = [0u8; 64];
    while out.len() < len {
        fill_random(&mut buf)?;
        for &b in &buf {
            if usize::from(b) < limit
                && out.len() < len
                && let Some(&c) = alphabet.get(usize::from(b) % alphabet.len())
            {
                out.push(char::from(c));
            }
        }
    }
    Ok(out)
}

/// `prefix` + base64url (no padding) of 32 random bytes, and its hash.
fn prefixed_token(prefix: &str) -> Result<(SecretString, String), AuthError> {
    let mut bytes = [0u8; 32];
    fill_random(&mut bytes)?;
    let token = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
    let hash = hash_token(&token);
    Ok((SecretString::from(token), hash))
}

/// SHA-256 of a token, lowercase hex: what the store keeps and looks tokens up by.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new refresh token (`lpmr_` + 256 random bits, base64url) and its [`hash_token`] hash.
/// Hand the token to the client once; give the store only the hash.
pub fn new_refresh_token() -> Result<(SecretString, String), AuthError> {
    prefixed_token(REFRESH_TOKEN_PREFIX)
}

/// A new API token (`lpm_` + 256 random bits, base64url) and its [`hash_token`] hash. Hand
/// the token to its creator once; give the store only the hash.
pub fn new_api_token() -> Result<(SecretString, String), AuthError> {
    prefixed_token(API_TOKEN_PREFIX)
}

/// A new WebSocket ticket (`lpmw_` + 256 random bits) and its hash, for
/// `Store::create_ws_ticket`. The browser passes it in the upgrade URL, where a bearer token
/// would end up in logs; it is single-use and lives seconds.
pub fn new_ws_ticket() -> Result<(SecretString, String), AuthError> {
    prefixed_token(WS_TICKET_PREFIX)
}

/// `n` new recovery codes (`xxxx-xxxx-xxxx`, 60 bits each) and their hashes, in the same
/// order. Show the codes once; give the store only the hashes.
pub fn new_recovery_codes(n: usize) -> Result<(Vec<SecretString>, Vec<String>), AuthError> {
    let mut codes = Vec::with_capacity(n);
    let mut hashes = Vec::with_capacity(n);
    for _ in 0..n {
        let raw = random_string(CROCKFORD, 12)?;
        let code = format!(
            "{}-{}-{}",
            raw.get(0..4).unwrap_or_default(),
            raw.get(4..8).unwrap_or_default(),
            raw.get(8..12).unwrap_or_default()
        );
        hashes.push(recovery_code_hash(&code));
        codes.push(SecretString::from(code));
    }
    Ok((codes, hashes))
}

/// A recovery code as typed by a user, normalised: spaces and dashes dropped, lowercased, and
/// Crockford's look-alikes mapped (`i`, `l` → `1`; `o` → `0`).
pub fn normalize_recovery_code(input: &str) -> String {
    input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_lowercase() {
            'i' | 'l' => '1',
            'o' => '0',
            c => c,
        })
        .collect()
}

/// The hash of a recovery code, after [`normalize_recovery_code`]: what the store keeps and
/// what `Store::use_recovery_code` takes. `"ABCD EFGH JKMN"` and `"abcd-efgh-jkmn"` hash alike.
pub fn recovery_code_hash(input: &str) -> String {
    hash_token(&format!("lpm-recovery:{}", normalize_recovery_code(input)))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use secrecy::ExposeSecret;
    use std::collections::HashSet;

    #[test]
    fn refresh_tokens_are_prefixed_256_bit_and_hashed() {
        let (token, hash) = new_refresh_token().unwrap();
        let token = token.expose_secret();
        let body = token.strip_prefix("lpmr_").unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(body).unwrap().len(), 32);
        assert_eq!(hash, hash_token(token));
        assert_eq!(hash.len(), 64);
        assert!(hash.bytes().all(|b| b.is_ascii_hexdigit()));
        let (other, _) = new_refresh_token().unwrap();
        assert_ne!(other.expose_secret(), token);
    }

    #[test]
    fn ws_tickets_differ_from_refresh_tokens() {
        let (ticket, hash) = new_ws_ticket().unwrap();
        assert!(ticket.expose_secret().starts_with("lpmw_"));
        assert_eq!(hash, hash_token(ticket.expose_secret()));
    }

    #[test]
    fn hash_token_is_sha256_hex() {
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn recovery_codes_have_the_shape_and_match_their_hashes() {
        let (codes, hashes) = new_recovery_codes(RECOVERY_CODES).unwrap();
        assert_eq!(codes.len(), 10);
        assert_eq!(hashes.len(), 10);
        for (code, hash) in codes.iter().zip(&hashes) {
            let code = code.expose_secret();
            assert_eq!(code.len(), 14, "{code}");
            let groups: Vec<&str> = code.split('-').collect();
            assert_eq!(groups.len(), 3);
            assert!(
                groups
                    .iter()
                    .all(|g| g.len() == 4 && g.bytes().all(|b| CROCKFORD.contains(&b)))
            );
            assert_eq!(&recovery_code_hash(code), hash);
        }
        assert_eq!(hashes.iter().collect::<HashSet<_>>().len(), 10);
    }

    #[test]
    fn recovery_code_input_is_normalised() {
        let h = recovery_code_hash("ab1d-0fgh-jkmn");
        assert_eq!(recovery_code_hash("AB1D-0FGH-JKMN"), h);
        assert_eq!(recovery_code_hash(" ab1d 0fgh jkmn "), h);
        assert_eq!(recovery_code_hash("abld0fghjkmn"), h, "l reads as 1");
        assert_eq!(
            recovery_code_hash("abId-OFGH-jkmn"),
            h,
            "I reads as 1, O as 0"
        );
        assert_ne!(recovery_code_hash("ab1d-0fgh-jkmp"), h);
    }

    #[test]
    fn random_strings_use_the_whole_alphabet_only() {
        let s = random_string(b"ab", 2000).unwrap();
        assert_eq!(s.len(), 2000);
        let a = s.bytes().filter(|&b| b == b'a').count();
        assert!((800..1200).contains(&a), "{a} of 2000 are 'a'");
        assert!(s.bytes().all(|b| b == b'a' || b == b'b'));
    }

    #[test]
    fn secrets_do_not_leak_through_debug() {
        let (token, _) = new_refresh_token().unwrap();
        let shown = format!("{token:?}");
        assert!(!shown.contains(token.expose_secret()), "{shown}");
    }
}
