//! The REST API over real HTTPS: one file per resource, sharing [`harness`].

mod certificates;
mod groups;
// Every resource test shares the harness; none uses every helper in it.
#[allow(dead_code)]
pub(crate) mod harness;
mod hosts;
mod rbac;
mod reports;
mod settings;
mod spa;
mod users;
mod windows;
mod ws;
