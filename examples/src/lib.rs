//! Small programs that embed one lpm crate each, the way an outside team would. They are
//! cargo examples of this package, run as `cargo run -p lpm-examples --example NAME`:
//!
//! | example | crate | what it shows |
//! |---|---|---|
//! | `windows` | lpm-core | maintenance windows across a DST change, in virtual time |
//! | `store` | lpm-store | a SQLite store: hosts, a job through the queue, the audit chain |
//! | `certificates` | lpm-ca | a CA on disk, agent and manager certificates, a CRL |
//! | `reports` | lpm-reports | compliance, patch-history, vulnerability and audit reports as PDF, CSV and JSON for 200 generated hosts |
//! | `poll_agent` | lpm-agent-client | one simulated agent polled over mTLS: health, patches, an idempotent apply followed over WebSocket |
