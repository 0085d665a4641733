#![doc = include_str!("../README.md")]
// A server must report bad input as an error, never abort: no unwrap, expect or panic
// outside tests.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod auth;
pub mod cli;
pub mod clock;
pub mod config;
pub mod http;
pub mod registry;
pub mod settings;
pub mod worker;
