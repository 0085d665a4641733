//! The REST API over real HTTPS: one file per resource, sharing [`harness`].

mod audit;
mod discovery;
mod fleet;
// Every resource test shares the harness; none uses every helper in it.
#[allow(dead_code)]
mod harness;
mod hosts;
mod jobs;
