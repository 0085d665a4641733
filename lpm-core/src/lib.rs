#![doc = include_str!("../README.md")]

pub mod agent;
pub mod engine;
pub mod error;
pub mod ids;
pub mod job;
pub mod model;
pub mod net;
pub mod ports;
pub mod rbac;
pub mod retry;
pub mod window;

pub use error::ValidationError;
