//! Integration tests of lpm-reports: PDFs read back with `pdftotext`, CSV read back with the
//! csv crate, and the figures computed from known data.

mod audit;
mod compliance;
mod csv_round_trip;
mod empty;
mod history;
mod support;
mod vulnerability;
