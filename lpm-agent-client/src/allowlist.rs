//! [`Allowlist`]: the networks agents may live in (AD-18, outgoing side). The client checks
//! every address against it before it sends a single packet.

use std::net::IpAddr;

use ipnet::IpNet;
use lpm_core::net::Cidr;

/// The agent networks calls and probes may go to. An address outside every network is refused
/// with [`ClientError::NotAllowed`](crate::ClientError::NotAllowed) before a connection is
/// attempted. IPv4-mapped IPv6 addresses (`::ffff:10.0.0.5`) are checked as the IPv4 address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allowlist {
    nets: Vec<IpNet>,
}

impl Allowlist {
    /// An allowlist of these networks (an empty list allows nothing).
    pub fn new(nets: impl IntoIterator<Item = IpNet>) -> Self {
        Self {
            nets: nets.into_iter().map(|n| n.trunc()).collect(),
        }
    }

    /// An allowlist from lpm-core's validated ranges.
    pub fn from_cidrs(cidrs: impl IntoIterator<Item = Cidr>) -> Self {
        Self::new(cidrs.into_iter().map(|c| c.net()))
    }

    /// Whether `ip` lies in one of the networks.
    pub fn allows(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.nets.iter().any(|n| n.contains(&ip))
    }

    /// The networks.
    pub fn networks(&self) -> &[IpNet] {
        &self.nets
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn membership() {
        let a = Allowlist::new(["10.0.0.0/22".parse().unwrap(), "fd00::/64".parse().unwrap()]);
        assert!(a.allows("10.0.3.255".parse().unwrap()));
        assert!(!a.allows("10.0.4.0".parse().unwrap()));
        assert!(a.allows("::ffff:10.0.0.9".parse().unwrap()));
        assert!(a.allows("fd00::1".parse().unwrap()));
        assert!(!Allowlist::new([]).allows("10.0.0.1".parse().unwrap()));
    }
}
