#![doc = include_str!("../README.md")]
// A client library must not abort its caller: no unwrap, expect or panic outside tests.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod allowlist;
mod client;
mod conn;
pub mod discovery;
mod error;
mod fanout;
mod key;
mod port;
#[cfg(feature = "sim")]
pub mod sim;
mod tls;
pub mod wire;
mod ws;

pub use allowlist::Allowlist;
pub use client::{AgentClient, ClientOptions};
pub use discovery::{
    DiscoveredAgent, ProbeOutcome, ScanOptions, ScanProgress, ScanReport, raise_fd_limit,
};
pub use error::{ClientError, ConfigError, Phase, TlsFailure};
pub use fanout::FanOut;
pub use key::IdempotencyKey;
pub use tls::Identity;
pub use ws::JobEventStream;

/// Re-export of the `tokio-util` cancellation token [`ScanOptions::cancel`] takes.
pub use tokio_util::sync::CancellationToken;
