//! Integration tests of lpm-agent-client: the client against the simulator over real mutual
//! TLS 1.3 on loopback, with CAs made by lpm-ca; curl as an outside client.

mod allowlist;
mod curl;
mod discovery;
mod endpoints;
mod faults;
mod jobs;
mod support;
mod tls;
