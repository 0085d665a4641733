//! The REST API over real HTTPS: one file per resource, sharing [`harness`].

// Every resource test shares the harness; none uses every helper in it.
mod auth;
mod auth_keys;
mod auth_webauthn;
#[allow(dead_code)]
mod harness;
mod hosts;
