#![doc = include_str!("../README.md")]
// A report must not abort the server: no unwrap, expect or panic outside tests.
#![warn(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod audit;
mod compliance;
mod csv_out;
mod error;
mod filters;
mod format;
mod history;
mod pdf;
mod render;
mod vulnerability;

pub use audit::{AuditReport, AuditRow, BreakKind, ChainStatus, write_audit_csv};
pub use compliance::{
    ComplianceReport, FleetCompliance, GroupCompliance, HostCompliance, HostState, SeverityCounts,
    UNGROUPED,
};
pub use csv_out::{
    CsvFields, CsvRow, CsvWriter, FORMULA_TRIGGERS, needs_guard, unguard_cell, write_csv,
};
pub use error::ReportError;
pub use filters::{ReportFilters, ReportMeta};
pub use history::{
    ChangeRow, HistorySummary, JobHostRecord, JobRecord, PatchHistoryReport, TrendPeriod,
    TrendPoint,
};
pub use render::PdfOptions;
pub use vulnerability::{
    CveFinding, CveSummary, TimeToPatch, VulnerabilityReport, nearest_rank, time_to_patch,
};
