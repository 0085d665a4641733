//! Validated network names: fully qualified domain names, CIDR ranges and ports.

use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use crate::error::ValidationError;

/// A fully qualified domain name in canonical form (lowercase, no trailing dot).
///
/// Rules (RFC 1123 host names): 1–253 characters, at least two labels, each label 1–63
/// characters of letters, digits and hyphens, not starting or ending with a hyphen; the last
/// label is not all digits (so an IPv4 address is not mistaken for a name).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Fqdn(String);

impl Fqdn {
    /// Validates and canonicalises a host name.
    pub fn new(raw: &str) -> Result<Self, ValidationError> {
        let fail = |reason| ValidationError::InvalidFqdn {
            value: raw.to_owned(),
            reason,
        };
        let name = raw.strip_suffix('.').unwrap_or(raw).to_ascii_lowercase();
        if name.is_empty() {
            return Err(fail("empty"));
        }
        if name.len() > 253 {
            return Err(fail("longer than 253 characters"));
        }
        let labels: Vec<&str> = name.split('.').collect();
        if labels.len() < 2 {
            return Err(fail("needs at least two labels, like host.example.com"));
        }
        for label in &labels {
            if label.is_empty() {
                return Err(fail("empty label"));
            }
            if label.len() > 63 {
                return Err(fail("label longer than 63 characters"));
            }
            if !label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            {
                return Err(fail("only letters, digits, '-' and '.' are allowed"));
            }
            if label.starts_with('-') || label.ends_with('-') {
                return Err(fail("a label starts or ends with '-'"));
            }
        }
        if labels
            .last()
            .is_some_and(|tld| tld.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(fail(
                "the last label is numeric (an IP address is not a name)",
            ));
        }
        Ok(Self(name))
    }

    /// The canonical name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Fqdn {
    type Error = ValidationError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::new(&raw)
    }
}

impl From<Fqdn> for String {
    fn from(name: Fqdn) -> String {
        name.0
    }
}

impl FromStr for Fqdn {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for Fqdn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Parses an IP address with a typed error.
pub fn parse_ip(raw: &str) -> Result<IpAddr, ValidationError> {
    raw.trim().parse().map_err(|_| ValidationError::InvalidIp {
        value: raw.to_owned(),
    })
}

/// A CIDR range to scan for agents, e.g. `10.20.0.0/22`.
///
/// The network address is canonical (host bits cleared). Ranges larger than
/// [`Cidr::MAX_ADDRESSES`] are refused: a scan is meant for a site's subnets, not the internet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Cidr(IpNet);

impl Cidr {
    /// The largest range accepted: a /16 in IPv4 terms.
    pub const MAX_ADDRESSES: u128 = 65_536;

    /// Parses and validates a range.
    pub fn new(raw: &str) -> Result<Self, ValidationError> {
        let fail = |reason| ValidationError::InvalidCidr {
            value: raw.to_owned(),
            reason,
        };
        let net: IpNet = raw
            .trim()
            .parse()
            .map_err(|_| fail("expected address/prefix, like 10.0.0.0/24"))?;
        let host_bits = u32::from(net.max_prefix_len() - net.prefix_len());
        if host_bits > 16 {
            return Err(fail("larger than a /16 (65,536 addresses)"));
        }
        Ok(Self(net.trunc()))
    }

    /// The underlying network.
    pub fn net(&self) -> IpNet {
        self.0
    }

    /// How many addresses the range holds, network and broadcast included.
    pub fn len(&self) -> u128 {
        let host_bits = u32::from(self.0.max_prefix_len() - self.0.prefix_len());
        1u128 << host_bits
    }

    /// Never true: every range holds at least one address.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The addresses worth probing: for IPv4 ranges of /30 and larger, the network and
    /// broadcast addresses are left out.
    pub fn hosts(&self) -> impl Iterator<Item = IpAddr> + use<> {
        self.0.hosts()
    }

    /// Whether an address lies in the range.
    pub fn contains(&self, ip: &IpAddr) -> bool {
        self.0.contains(ip)
    }
}

impl TryFrom<String> for Cidr {
    type Error = ValidationError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::new(&raw)
    }
}

impl From<Cidr> for String {
    fn from(c: Cidr) -> String {
        c.0.to_string()
    }
}

impl FromStr for Cidr {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A TCP port other than 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Port(u16);

impl Port {
    /// The agent's default port (agent-api.md).
    pub const AGENT_DEFAULT: Port = Port(12443);

    /// Validates a port number.
    pub fn new(raw: u16) -> Result<Self, ValidationError> {
        if raw == 0 {
            Err(ValidationError::InvalidPort)
        } else {
            Ok(Self(raw))
        }
    }

    /// The port number.
    pub fn get(self) -> u16 {
        self.0
    }
}

impl Default for Port {
    fn default() -> Self {
        Self::AGENT_DEFAULT
    }
}

impl TryFrom<u16> for Port {
    type Error = ValidationError;
    fn try_from(raw: u16) -> Result<Self, Self::Error> {
        Self::new(raw)
    }
}

impl From<Port> for u16 {
    fn from(p: Port) -> u16 {
        p.0
    }
}

impl fmt::Display for Port {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fqdn_accepts_and_canonicalises() {
        let name = Fqdn::new("Web-01.Example.COM.").map(String::from);
        assert_eq!(name.as_deref(), Ok("web-01.example.com"));
    }

    #[test]
    fn fqdn_rejects_bad_names() {
        for bad in [
            "",
            "localhost",
            "a..b",
            "-a.example.com",
            "a-.example.com",
            "bad_name.example.com",
            "*.example.com",
            "10.0.0.1",
            &format!("{}.com", "a".repeat(64)),
            &format!("{}.com", ["abcdefghi"; 26].join(".")),
        ] {
            assert!(Fqdn::new(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn cidr_is_canonical_and_bounded() {
        let c = Cidr::new("127.20.1.7/22").map(String::from);
        assert_eq!(c.as_deref(), Ok("127.20.0.0/22"));
        assert_eq!(Cidr::new("10.0.0.0/22").map(|c| c.len()), Ok(1024));
        assert!(Cidr::new("10.0.0.0/8").is_err());
        assert!(Cidr::new("10.0.0.0").is_err());
        assert!(Cidr::new("10.0.0.0/33").is_err());
        assert!(Cidr::new("fd00::/112").is_ok());
        assert!(Cidr::new("fd00::/64").is_err());
    }

    #[test]
    fn ports_and_ips() {
        assert!(Port::new(0).is_err());
        assert_eq!(Port::default().get(), 12443);
        assert!(parse_ip("300.1.1.1").is_err());
        assert!(parse_ip("::1").is_ok());
    }
}
