//! Integration tests of lpm-store: every test runs on SQLite and on a throwaway PostgreSQL
//! cluster, and says which in its name (`queue::postgres::claims_each_row_once`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    missing_docs,
    unreachable_pub
)]

mod harness;

mod accounts;
mod audit;
mod auth;
mod fleet;
mod hostdata;
mod jobs;
mod migrate;
mod notify;
mod queue;
mod registry;
mod reports;
mod retention;
mod settings;
mod windows;
mod worker;
