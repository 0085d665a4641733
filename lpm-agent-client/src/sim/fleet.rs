//! The fleet launcher: N simulated agents on consecutive loopback addresses, one runtime, one
//! shared router and client-certificate verifier, each agent with its own certificate.

use std::fmt::Display;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use lpm_core::ports::Clock;

use crate::sim::agent::{AgentSpec, SimAgent, SimEnv, SimTiming, bind, seed_for};
use crate::sim::profile::splitmix;
use crate::sim::{SimError, SystemClock};
use crate::tls::Identity;

/// How to launch a fleet.
#[derive(Debug, Clone)]
pub struct FleetOptions {
    /// How many agents.
    pub count: usize,
    /// The first agent's address; the others follow, skipping addresses ending in `.0` and
    /// `.255`.
    pub first_ip: Ipv4Addr,
    /// The port every agent listens on; 0 picks a free port on the first address and uses it
    /// for all.
    pub port: u16,
    /// The domain of the agents' names: `agent-127-0-1-5.<domain>`.
    pub domain: String,
    /// The CA certificate (PEM) client certificates must chain to.
    pub ca_pem: String,
    /// CRLs (PEM) to check client certificates against.
    pub crls_pem: Vec<String>,
    /// Mixed into every host's seed: the same seed gives the same fleet.
    pub seed: u64,
    /// How long work takes.
    pub timing: SimTiming,
    /// Where timestamps come from.
    pub clock: Arc<dyn Clock>,
}

impl FleetOptions {
    /// `count` agents from `first_ip` on `port` in domain `lpm.test`, seed 0, default timing,
    /// system clock.
    pub fn new(count: usize, first_ip: Ipv4Addr, port: u16, ca_pem: &str) -> Self {
        Self {
            count,
            first_ip,
            port,
            domain: "lpm.test".to_owned(),
            ca_pem: ca_pem.to_owned(),
            crls_pem: Vec::new(),
            seed: 0,
            timing: SimTiming::default(),
            clock: Arc::new(SystemClock),
        }
    }
}

/// `count` consecutive addresses from `first`, skipping those ending in `.0` or `.255`.
pub fn fleet_addresses(first: Ipv4Addr, count: usize) -> Result<Vec<Ipv4Addr>, SimError> {
    let mut out = Vec::with_capacity(count);
    let mut n = u32::from(first);
    while out.len() < count {
        let ip = Ipv4Addr::from(n);
        let last = ip.octets()[3];
        if last != 0 && last != 255 {
            out.push(ip);
        }
        n = n.checked_add(1).ok_or_else(|| {
            SimError::Fleet(format!(
                "{count} addresses from {first} run past 255.255.255.255"
            ))
        })?;
    }
    Ok(out)
}

/// The name of the agent at `ip`: `agent-127-0-1-5.<domain>`.
pub fn agent_name(ip: Ipv4Addr, domain: &str) -> String {
    let [a, b, c, d] = ip.octets();
    format!("agent-{a}-{b}-{c}-{d}.{domain}")
}

/// A running fleet. Dropping it stops every agent.
#[derive(Debug)]
pub struct Fleet {
    agents: Vec<SimAgent>,
    port: u16,
}

impl Fleet {
    /// Starts `options.count` agents. `certificate(ip, name)` returns each agent's identity: a
    /// server certificate from the CA whose SANs carry `ip` and `name` (this crate takes
    /// certificates as data; lpm-server wires lpm-ca in).
    pub async fn launch<F, E>(options: FleetOptions, mut certificate: F) -> Result<Self, SimError>
    where
        F: FnMut(IpAddr, &str) -> Result<Identity, E>,
        E: Display,
    {
        if options.count == 0 {
            return Err(SimError::Fleet("a fleet needs at least one agent".into()));
        }
        let env = SimEnv::new(
            &options.ca_pem,
            &options.crls_pem,
            options.timing.clone(),
            options.clock.clone(),
        )?;
        let ips = fleet_addresses(options.first_ip, options.count)?;
        let mut agents = Vec::with_capacity(ips.len());
        let mut port = options.port;
        for ip in ips {
            let name = agent_name(ip, &options.domain);
            let identity =
                certificate(IpAddr::V4(ip), &name).map_err(|e| SimError::Certificate {
                    ip: IpAddr::V4(ip),
                    detail: e.to_string(),
                })?;
            let listener = bind(SocketAddr::new(IpAddr::V4(ip), port)).await?;
            if port == 0 {
                port = listener.local_addr().map_or(0, |a| a.port());
            }
            let addr = SocketAddr::new(IpAddr::V4(ip), port);
            let spec = AgentSpec {
                addr,
                fqdn: name,
                identity,
                seed: splitmix(seed_for(addr) ^ options.seed),
                distro: None,
            };
            agents.push(SimAgent::start_in(env.clone(), spec, listener)?);
        }
        Ok(Self { agents, port })
    }

    /// The agents, in address order.
    pub fn agents(&self) -> &[SimAgent] {
        &self.agents
    }

    /// The port they all listen on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// How many agents run.
    pub fn len(&self) -> usize {
        self.agents.len()
    }

    /// Never true: a fleet has at least one agent.
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }

    /// Stops every agent.
    pub async fn shutdown(self) {
        for agent in self.agents {
            agent.shutdown().await;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn addresses_skip_network_and_broadcast() {
        let ips = fleet_addresses(Ipv4Addr::new(127, 0, 1, 254), 4).unwrap();
        assert_eq!(
            ips,
            vec![
                Ipv4Addr::new(127, 0, 1, 254),
                Ipv4Addr::new(127, 0, 2, 1),
                Ipv4Addr::new(127, 0, 2, 2),
                Ipv4Addr::new(127, 0, 2, 3),
            ]
        );
        assert!(fleet_addresses(Ipv4Addr::new(255, 255, 255, 250), 10).is_err());
        assert_eq!(
            agent_name(Ipv4Addr::new(127, 0, 1, 5), "lpm.test"),
            "agent-127-0-1-5.lpm.test"
        );
    }
}
