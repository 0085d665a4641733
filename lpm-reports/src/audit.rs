//! The audit report: audit rows as the caller selected them, with the verification status of
//! the hash chain over that range, as the caller established it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::csv_out::{CsvFields, CsvRow, CsvWriter};
use crate::error::ReportError;
use crate::filters::ReportMeta;
use crate::format;
use crate::pdf::doc::{Col, Doc, MARGIN, Orientation, Rgb3};
use crate::pdf::fonts::Weight;
use crate::render::{self, PdfOptions};

/// One audit row, as shown in reports (the hashes stay in the store).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRow {
    /// Position in the chain.
    pub id: i64,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Who acted (a username, or `system`).
    pub actor: String,
    /// What happened, e.g. `host.created`.
    pub action: String,
    /// What it was done to, e.g. `host:42`.
    #[serde(default)]
    pub target: Option<String>,
    /// The client address.
    #[serde(default)]
    pub ip: Option<String>,
    /// Details as text (usually compact JSON).
    #[serde(default)]
    pub details: String,
}

impl AuditRow {
    /// A row with no target, address or details.
    pub fn new(id: i64, at: DateTime<Utc>, actor: &str, action: &str) -> Self {
        Self {
            id,
            at,
            actor: actor.to_owned(),
            action: action.to_owned(),
            target: None,
            ip: None,
            details: String::new(),
        }
    }

    /// Sets the target.
    pub fn target(mut self, target: impl Into<String>) -> Self {
        self.target = Some(target.into());
        self
    }

    /// Sets the client address.
    pub fn ip(mut self, ip: impl Into<String>) -> Self {
        self.ip = Some(ip.into());
        self
    }

    /// Sets the details.
    pub fn details(mut self, details: impl Into<String>) -> Self {
        self.details = details.into();
        self
    }
}

/// Why the chain is broken at a row (mirrors the store's verification result).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The row's contents do not match its hash.
    ContentsChanged,
    /// The row does not follow the previous one (rows deleted, inserted or swapped).
    LinkBroken,
    /// Ids skip: rows before this one are missing.
    RowsMissing,
    /// Rows were cut off the end.
    Truncated,
}

impl BreakKind {
    /// A sentence for people.
    pub fn describe(self) -> &'static str {
        match self {
            BreakKind::ContentsChanged => "the row's contents do not match its hash",
            BreakKind::LinkBroken => "the row does not follow the previous one",
            BreakKind::RowsMissing => "rows before it are missing",
            BreakKind::Truncated => "rows were cut off the end of the log",
        }
    }
}

/// The chain verification status of the reported range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum ChainStatus {
    /// Every row verified.
    Intact {
        /// Rows checked.
        rows_checked: u64,
    },
    /// Verification failed at a row.
    Broken {
        /// The first broken row's id.
        first_broken_id: i64,
        /// What is wrong with it.
        kind: BreakKind,
    },
    /// The caller did not verify the range.
    NotVerified,
}

impl ChainStatus {
    /// One line for the cover and the CSV preamble-free summary.
    pub fn describe(&self) -> String {
        match self {
            ChainStatus::Intact { rows_checked } => format!(
                "INTACT: {} rows verified, no tampering detected",
                format::count(*rows_checked)
            ),
            ChainStatus::Broken {
                first_broken_id,
                kind,
            } => format!(
                "BROKEN at row {first_broken_id}: {} ({})",
                kind.describe(),
                serde_kind(*kind)
            ),
            ChainStatus::NotVerified => "NOT VERIFIED for this range".to_owned(),
        }
    }
}

fn serde_kind(kind: BreakKind) -> &'static str {
    match kind {
        BreakKind::ContentsChanged => "contents_changed",
        BreakKind::LinkBroken => "link_broken",
        BreakKind::RowsMissing => "rows_missing",
        BreakKind::Truncated => "truncated",
    }
}

/// The audit report. For very large ranges, stream CSV with [`write_audit_csv`] from the
/// database cursor instead of building this.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditReport {
    /// When, by whom, with which filters.
    pub meta: ReportMeta,
    /// The chain's status over the range.
    pub chain: ChainStatus,
    /// The rows, in the order given.
    pub rows: Vec<AuditRow>,
}

impl AuditReport {
    /// Builds the report.
    pub fn new(meta: ReportMeta, chain: ChainStatus, rows: Vec<AuditRow>) -> Self {
        Self { meta, chain, rows }
    }

    /// Writes the rows as CSV and returns the row count.
    pub fn write_csv<W: std::io::Write>(&self, out: W) -> Result<u64, ReportError> {
        write_audit_csv(out, &self.rows)
    }

    /// Renders the PDF: cover with the chain status, then the rows.
    pub fn to_pdf(&self) -> Result<Vec<u8>, ReportError> {
        self.to_pdf_with(&PdfOptions::default())
    }

    /// [`Self::to_pdf`] with options.
    pub fn to_pdf_with(&self, options: &PdfOptions) -> Result<Vec<u8>, ReportError> {
        let title = "Audit report";
        let mut doc = Doc::new(title, self.meta.generated_at)?;
        let range = match (self.rows.first(), self.rows.last()) {
            (Some(a), Some(b)) => format!(
                "ids {} to {}, {} to {}",
                a.id.min(b.id),
                a.id.max(b.id),
                format::datetime(a.at.min(b.at)),
                format::datetime(a.at.max(b.at))
            ),
            _ => "none".to_owned(),
        };
        let summary = vec![
            ("Chain verification".to_owned(), self.chain.describe()),
            ("Rows".to_owned(), format::count(self.rows.len() as u64)),
            ("Range".to_owned(), range),
        ];
        render::cover(
            &mut doc,
            title,
            "Who did what, from the tamper-evident, hash-chained audit log, with the result \
             of verifying the chain over the reported range.",
            &self.meta,
            &summary,
        );
        let (color, verdict) = match self.chain {
            ChainStatus::Intact { .. } => (Rgb3::GOOD, "Audit chain intact"),
            ChainStatus::Broken { .. } => (Rgb3::BAD, "Audit chain BROKEN: investigate"),
            ChainStatus::NotVerified => (Rgb3::GREY, "Audit chain not verified"),
        };
        doc.ensure_space(40.0);
        doc.text(MARGIN, doc.y + 18.0, 16.0, Weight::Bold, color, verdict);
        doc.y += 34.0;
        if self.rows.is_empty() {
            doc.paragraph(
                "No data: no audit rows match these filters.",
                11.0,
                Rgb3::BAD,
            );
        }
        doc.add_page(Orientation::Landscape);
        doc.table(
            "Audit rows",
            &[
                Col::right("ID", 0.9),
                Col::left("At", 1.9, 1),
                Col::left("Actor", 1.7, 2),
                Col::left("Action", 2.0, 2),
                Col::left("Target", 1.6, 2),
                Col::left("IP", 1.6, 1),
                Col::left("Details", 5.5, 3),
            ],
            self.rows.iter().map(|r| {
                vec![
                    r.id.to_string(),
                    format::datetime(r.at),
                    r.actor.clone(),
                    r.action.clone(),
                    r.target.clone().unwrap_or_default(),
                    r.ip.clone().unwrap_or_default(),
                    r.details.clone(),
                ]
            }),
            options.max_table_rows,
        );
        doc.finish()
    }
}

/// Streams audit rows as CSV: `id,at,actor,action,target,ip,details`. Memory stays flat for
/// any number of rows; this is what a server hands its database cursor to.
pub fn write_audit_csv<W, R, I>(out: W, rows: I) -> Result<u64, ReportError>
where
    W: std::io::Write,
    R: std::borrow::Borrow<AuditRow>,
    I: IntoIterator<Item = R>,
{
    let mut w = CsvWriter::<W, AuditRow>::new(out)?;
    for row in rows {
        w.push(row.borrow())?;
    }
    let n = w.rows();
    w.finish()?;
    Ok(n)
}

impl CsvRow for AuditRow {
    const HEADER: &'static [&'static str] =
        &["id", "at", "actor", "action", "target", "ip", "details"];

    fn write_fields(&self, out: &mut CsvFields<'_>) {
        out.int(self.id);
        out.datetime(Some(self.at));
        out.text(&self.actor);
        out.text(&self.action);
        out.opt_text(self.target.as_deref());
        out.opt_text(self.ip.as_deref());
        out.text(&self.details);
    }
}
