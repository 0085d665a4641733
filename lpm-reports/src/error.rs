//! The crate's error type.

use thiserror::Error;

/// Why a report could not be rendered.
///
/// Report data never causes an error: empty data renders as a report that says "No data",
/// and characters the bundled font lacks are replaced. What remains is the output failing.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ReportError {
    /// Writing to the destination failed (a closed connection, a full disk): retry or give
    /// up on this download; the report itself is fine.
    #[error("writing the report failed: {0}")]
    Io(#[from] std::io::Error),
    /// The CSV writer failed, almost always because the destination failed underneath it.
    #[error("writing CSV failed: {0}")]
    Csv(#[from] csv::Error),
    /// The bundled font could not be loaded or embedded: a build problem, not a data problem.
    #[error("font: {0}")]
    Font(&'static str),
    /// plotters refused to lay out a chart: a bug in this crate; please report it with the data.
    #[error("drawing a chart failed: {0}")]
    Chart(String),
}
