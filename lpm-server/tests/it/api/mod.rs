//! The REST API over real HTTPS: one file per resource, sharing [`harness`].

mod audit;
mod auditor;
mod auth;
mod auth_keys;
mod auth_webauthn;
mod certificates;
mod discovery;
mod fleet;
mod groups;
// Every resource test shares the harness; none uses every helper in it.
#[allow(dead_code)]
pub(crate) mod harness;
mod hosts;
mod jobs;
mod rbac;
mod reports;
mod settings;
mod spa;
mod tokens;
mod users;
mod windows;
mod ws;
