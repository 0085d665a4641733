//! Validation of the names and addresses that go into certificates.

use std::net::IpAddr;

use crate::CaError;

/// X.520 upper bound for a commonName (`ub-common-name`).
pub(crate) const MAX_CN_LEN: usize = 64;

/// Checks a DNS name for a SAN and returns it in lower case.
///
/// Accepted: LDH labels (letters, digits, hyphens; no leading or trailing hyphen), 1 to 63
/// characters per label, at most 253 characters in all, no trailing dot, no wildcard, and not
/// something that parses as an IP address (pass that as an IP instead).
pub(crate) fn validate_dns_name(name: &str) -> Result<String, CaError> {
    let invalid = |reason: &'static str| CaError::InvalidName {
        name: name.to_owned(),
        reason,
    };
    if name.is_empty() {
        return Err(invalid("empty DNS name"));
    }
    if name.len() > 253 {
        return Err(invalid("DNS name longer than 253 characters"));
    }
    if name.contains('*') {
        return Err(invalid("wildcard names are not issued"));
    }
    if name.ends_with('.') {
        return Err(invalid("trailing dot; give the name without it"));
    }
    if name.parse::<IpAddr>().is_ok() {
        return Err(invalid(
            "this is an IP address; pass it as an IP, not a DNS name",
        ));
    }
    for label in name.split('.') {
        if label.is_empty() {
            return Err(invalid("empty label (two dots in a row or a leading dot)"));
        }
        if label.len() > 63 {
            return Err(invalid("label longer than 63 characters"));
        }
        if !label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-')
        {
            return Err(invalid(
                "only letters, digits and hyphens are allowed in a label",
            ));
        }
        if label.starts_with('-') || label.ends_with('-') {
            return Err(invalid("a label may not start or end with a hyphen"));
        }
    }
    Ok(name.to_ascii_lowercase())
}

/// Checks a common name given by the caller (CA name, manager client name).
pub(crate) fn validate_common_name(name: &str) -> Result<(), CaError> {
    let invalid = |reason: &'static str| CaError::InvalidName {
        name: name.to_owned(),
        reason,
    };
    if name.trim().is_empty() {
        return Err(invalid("empty common name"));
    }
    if name.trim() != name {
        return Err(invalid("leading or trailing whitespace"));
    }
    if name.chars().count() > MAX_CN_LEN {
        return Err(invalid("common name longer than 64 characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid("control characters are not allowed"));
    }
    Ok(())
}

/// Checks an IP address for a SAN.
pub(crate) fn validate_ip(ip: IpAddr) -> Result<IpAddr, CaError> {
    if ip.is_unspecified() {
        return Err(CaError::InvalidIpAddress {
            ip,
            reason: "the unspecified address names no host",
        });
    }
    if ip.is_multicast() {
        return Err(CaError::InvalidIpAddress {
            ip,
            reason: "a multicast address names no host",
        });
    }
    Ok(ip)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn dns_names_accepted_and_lowercased() {
        assert_eq!(
            validate_dns_name("Web01.Example.NET").unwrap(),
            "web01.example.net"
        );
        assert_eq!(validate_dns_name("localhost").unwrap(), "localhost");
        assert_eq!(validate_dns_name("a-b.c1").unwrap(), "a-b.c1");
        let long = format!(
            "{}.{}.{}.{}",
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(61)
        );
        assert_eq!(long.len(), 253);
        assert!(validate_dns_name(&long).is_ok());
    }

    #[test]
    fn dns_names_rejected() {
        let too_long = format!(
            "{}.{}.{}.{}",
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(63),
            "d".repeat(62)
        );
        assert_eq!(too_long.len(), 254);
        for bad in [
            "",
            "bad_name",
            "*.wild",
            "a..b",
            ".lead",
            "trail.",
            "-x.example",
            "x-.example",
            "sp ace",
            "10.0.0.1",
            "::1",
            &"l".repeat(64),
            &too_long,
        ] {
            assert!(
                matches!(validate_dns_name(bad), Err(CaError::InvalidName { .. })),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn common_names() {
        assert!(validate_common_name("lpm manager").is_ok());
        assert!(validate_common_name(&"x".repeat(64)).is_ok());
        for bad in ["", "  ", " x", "x ", "a\nb", &"x".repeat(65)] {
            assert!(validate_common_name(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn ips() {
        assert!(validate_ip("127.0.0.1".parse().unwrap()).is_ok());
        assert!(validate_ip("::1".parse().unwrap()).is_ok());
        assert!(validate_ip("0.0.0.0".parse().unwrap()).is_err());
        assert!(validate_ip("::".parse().unwrap()).is_err());
        assert!(validate_ip("224.0.0.1".parse().unwrap()).is_err());
    }
}
