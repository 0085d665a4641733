//! The agent simulator (feature `sim`): a real HTTPS + WSS server speaking agent-api.md over
//! TLS 1.3 with a required client certificate, with per-host state, asynchronous jobs, reboots
//! and injectable faults; and a launcher for fleets of them on loopback addresses.
//!
//! It is shipped, not a test fixture: `lpm-server sim` runs fleets for demos and manual
//! testing, and other crates' tests use it as a dev-dependency.
//!
//! # One agent
//!
//! [`SimAgent::start`] binds an address (any `127.x.y.z:port` works on Linux, so a fleet lives
//! on loopback) with its certificate and key, the CA certificate client certificates must
//! chain to, and optionally the CA's CRLs (a revoked client certificate fails the handshake).
//!
//! Each host has a distribution ([`Distro`]: Ubuntu and Debian with apt, Rocky and RHEL with
//! dnf, SLES and openSUSE with zypper) with plausible OS facts and a catalogue of ~36 packages
//! whose installed versions, available patches, severities, advisories (USN, DSA, RLSA, RHSA,
//! SUSE-SU) and CVEs follow deterministically from a seed: the same seed gives the same host.
//!
//! Jobs run asynchronously ([`SimTiming`]) and stream package-manager output lines and
//! progress on `WS /api/v1/ws/jobs`. Applying, installing, updating and removing change the
//! host (applied patches leave `/patches` and show their new version in `/packages`); a
//! rollback restores the exact previous versions (`409 not_rollbackable` when it cannot); one
//! package-manager job runs at a time (`409 busy`); an `Idempotency-Key` seen before returns
//! the same job and never runs it twice ([`SimAgent::applied_count`] proves it).
//!
//! A reboot closes the listener for [`SimTiming::reboot_down`] (connections are **refused**),
//! then answers **`503 starting`** for [`SimTiming::reboot_starting`], then serves again with a
//! new `last_boot` and the newest installed kernel.
//!
//! # Faults
//!
//! [`SimAgent::set_faults`] changes, at runtime, what the agent does wrong ([`Faults`]): added
//! latency, a fixed 5xx answer, dropped connections, hung requests, jobs that fail half-way
//! (with partial changes), silence (TCP accepted, nothing ever sent: a tarpit), a degraded
//! health check, and a wrong certificate.
//!
//! # Fleets
//!
//! [`Fleet::launch`] starts N agents on consecutive addresses from a first IP (skipping `.0`
//! and `.255`), named `agent-127-0-1-5.lpm.test`, each with its own certificate from a
//! closure the caller provides (this crate depends on no CA; lpm-server passes lpm-ca's). All
//! agents share one tokio runtime, one router and one client verifier; an idle agent costs a
//! listening socket, one task and its small state, so thousands fit in one process.
//!
//! [`Tarpit`] is a bare silent listener for discovery benchmarks.

mod agent;
mod fleet;
mod host;
mod jobs;
mod profile;
mod routes;
mod tarpit;

use std::net::{IpAddr, SocketAddr};

use chrono::{DateTime, Utc};
use lpm_core::ports::{BoxFuture, Clock};

pub use agent::{Faults, RequestRecord, SimAgent, SimAgentConfig, SimTiming};
pub use fleet::{Fleet, FleetOptions, agent_name, fleet_addresses};
pub use profile::Distro;
pub use tarpit::Tarpit;

use crate::ConfigError;

/// The agent version the simulator reports.
pub const AGENT_VERSION: &str = "1.4.2";

/// Why the simulator could not start.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimError {
    /// The address could not be bound (in use, not local). Pick another address or port.
    #[error("cannot listen on {addr}: {detail}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The system's message.
        detail: String,
    },
    /// The certificates given cannot be used.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The certificate source failed for an agent.
    #[error("no certificate for the agent at {ip}: {detail}")]
    Certificate {
        /// The agent's address.
        ip: IpAddr,
        /// What the source said.
        detail: String,
    },
    /// The fleet options are impossible (no agents, addresses running out).
    #[error("invalid fleet: {0}")]
    Fleet(String),
}

/// The wall clock, for simulators that run in real time (`lpm-server sim`, demos, tests that
/// do not need virtual time).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> BoxFuture<'_, ()> {
        Box::pin(async move {
            let wait = (deadline - Utc::now()).to_std().unwrap_or_default();
            tokio::time::sleep(wait).await;
        })
    }
}
