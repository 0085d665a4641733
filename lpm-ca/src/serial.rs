//! Certificate serial numbers: random generation and the canonical hex form used everywhere.

use crate::CaError;

/// Length of the serials this CA issues, in bytes (128 bits).
pub(crate) const SERIAL_LEN: usize = 16;

/// RFC 5280 §4.1.2.2: conforming CAs use at most 20 octets.
const MAX_SERIAL_LEN: usize = 20;

/// A fresh random 128-bit serial from the system CSPRNG (aws-lc).
///
/// The top bit of the first byte is cleared so that the DER INTEGER is positive without a sign
/// byte, and a first byte of zero is replaced by one so that the encoding is always exactly 16
/// bytes and its hex form always 32 characters (127 random bits less a hair).
pub(crate) fn random_serial() -> Result<[u8; SERIAL_LEN], CaError> {
    let mut bytes = [0u8; SERIAL_LEN];
    aws_lc_rs::rand::fill(&mut bytes).map_err(CaError::crypto("generating a serial number"))?;
    bytes[0] &= 0x7f;
    if bytes[0] == 0 {
        bytes[0] = 1;
    }
    Ok(bytes)
}

/// The canonical form of serial bytes as they appear in a certificate: upper-case hex without
/// separators, leading zero bytes (the DER sign byte) removed, at least one byte.
pub(crate) fn serial_hex(raw: &[u8]) -> String {
    let start = raw
        .iter()
        .position(|&b| b != 0)
        .unwrap_or(raw.len().saturating_sub(1));
    match raw.get(start..) {
        Some(rest) if !rest.is_empty() => hex::encode_upper(rest),
        _ => "00".to_owned(),
    }
}

/// Normalizes a serial number to the form [`CertInfo::serial`](crate::CertInfo::serial) uses.
///
/// Accepts hexadecimal in any case, with or without `:` separators (as `openssl x509 -text`
/// prints them) and surrounding whitespace. Returns upper-case hex without separators, an even
/// number of digits, and leading zero bytes removed (so `00:8A:..`, the DER sign byte that
/// OpenSSL shows, and `8A..` are the same serial). Rejects empty input, non-hex characters and
/// serials longer than 20 bytes (RFC 5280).
///
/// ```
/// assert_eq!(lpm_ca::normalize_serial("0a:1B:ff").unwrap(), "0A1BFF");
/// assert_eq!(lpm_ca::normalize_serial("00:8a").unwrap(), "8A");
/// assert!(lpm_ca::normalize_serial("0x1g").is_err());
/// ```
pub fn normalize_serial(s: &str) -> Result<String, CaError> {
    let invalid = |reason: &'static str| CaError::InvalidSerial {
        serial: s.to_owned(),
        reason,
    };
    let digits: String = s.trim().chars().filter(|&c| c != ':').collect();
    if digits.is_empty() {
        return Err(invalid("empty serial number"));
    }
    if !digits.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(invalid("only hexadecimal digits and ':' are allowed"));
    }
    let padded = if digits.len() % 2 == 1 {
        format!("0{digits}")
    } else {
        digits
    };
    let bytes = hex::decode(&padded).map_err(|_| invalid("not hexadecimal"))?;
    let canonical = serial_hex(&bytes);
    if canonical.len() / 2 > MAX_SERIAL_LEN {
        return Err(invalid("longer than 20 bytes"));
    }
    Ok(canonical)
}

/// Serial bytes for a normalized serial.
pub(crate) fn serial_bytes(s: &str) -> Result<Vec<u8>, CaError> {
    let canonical = normalize_serial(s)?;
    hex::decode(&canonical).map_err(|_| CaError::InvalidSerial {
        serial: s.to_owned(),
        reason: "not hexadecimal",
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn normalize_accepts_colons_and_any_case() {
        assert_eq!(normalize_serial("0a:1B:c3").unwrap(), "0A1BC3");
        assert_eq!(normalize_serial("0A1BC3").unwrap(), "0A1BC3");
        assert_eq!(normalize_serial(" 0a1bc3\n").unwrap(), "0A1BC3");
        assert_eq!(normalize_serial("abc").unwrap(), "0ABC");
        assert_eq!(normalize_serial("00:8a:01").unwrap(), "8A01");
        assert_eq!(normalize_serial("00").unwrap(), "00");
        assert_eq!(normalize_serial("0:0").unwrap(), "00");
        let twenty = "7f".repeat(20);
        assert_eq!(normalize_serial(&twenty).unwrap(), twenty.to_uppercase());
        assert_eq!(
            normalize_serial(&format!("00{twenty}")).unwrap(),
            twenty.to_uppercase()
        );
    }

    #[test]
    fn normalize_rejects() {
        for bad in [
            "",
            ":",
            "  ",
            "0x1A",
            "12 34",
            "zz",
            "1-2",
            &"11".repeat(21),
        ] {
            assert!(
                matches!(normalize_serial(bad), Err(CaError::InvalidSerial { .. })),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn random_serials_are_positive_16_bytes_and_distinct() {
        let mut seen = std::collections::HashSet::new();
        for _ in 0..1000 {
            let s = random_serial().unwrap();
            assert!(s[0] != 0 && s[0] < 0x80);
            let hex = serial_hex(&s);
            assert_eq!(hex.len(), 32);
            assert_eq!(normalize_serial(&hex).unwrap(), hex);
            assert!(seen.insert(hex));
        }
    }
}
