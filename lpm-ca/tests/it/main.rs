//! Integration tests of lpm-ca: one test binary, checked from outside with OpenSSL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod bundle;
mod crl;
mod files;
mod issue;
mod renew;
mod rustls_verifier;
mod validation;
