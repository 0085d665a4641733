//! Integration tests of the `lpm-server` binary: the CA commands checked with OpenSSL, bad
//! input refused in one line without changes, and `sim` serving mTLS until stopped.

mod api;
mod ca;
mod demo;
mod engine;
mod http;
mod openapi;
mod serve;
mod sim;
mod support;
mod virtual_time;
mod worker;
