//! Streaming CSV: a writer that takes rows one at a time (or from an iterator) and writes them
//! to any [`std::io::Write`], holding one row in memory; RFC 4180 quoting by the `csv` crate;
//! and the formula-injection guard.

use std::io::Write;

use chrono::{DateTime, Utc};

use crate::error::ReportError;
use crate::format;

/// Characters that make a spreadsheet treat a cell as a formula (or that some spreadsheets
/// strip before doing so): a cell starting with one of them is written with a `'` in front.
pub const FORMULA_TRIGGERS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// Whether a cell's text needs the guard: it starts with a formula trigger, or with `'` (so
/// that a genuine leading apostrophe survives [`unguard_cell`]).
pub fn needs_guard(cell: &str) -> bool {
    cell.starts_with(FORMULA_TRIGGERS) || cell.starts_with('\'')
}

/// Undoes the formula-injection guard on a cell read back from one of this crate's CSV files:
/// strips one leading `'`. `unguard_cell(read(write(x))) == x` for every text cell.
pub fn unguard_cell(cell: &str) -> &str {
    cell.strip_prefix('\'').unwrap_or(cell)
}

/// A type that can be a CSV row: a fixed header and one field per column.
pub trait CsvRow {
    /// Column names, in order.
    const HEADER: &'static [&'static str];

    /// Appends this row's fields, in header order.
    fn write_fields(&self, out: &mut CsvFields<'_>);
}

impl<T: CsvRow> CsvRow for &T {
    const HEADER: &'static [&'static str] = T::HEADER;

    fn write_fields(&self, out: &mut CsvFields<'_>) {
        (*self).write_fields(out);
    }
}

/// The fields of the row being written. Text goes through the formula-injection guard;
/// numbers, booleans and timestamps this crate formats cannot start a formula and do not.
#[derive(Debug)]
pub struct CsvFields<'a> {
    record: &'a mut csv::ByteRecord,
    scratch: &'a mut Vec<u8>,
}

impl CsvFields<'_> {
    /// Free text (names, actions, details): guarded.
    pub fn text(&mut self, value: &str) {
        if needs_guard(value) {
            self.scratch.clear();
            self.scratch.push(b'\'');
            self.scratch.extend_from_slice(value.as_bytes());
            self.record.push_field(self.scratch);
        } else {
            self.record.push_field(value.as_bytes());
        }
    }

    /// Optional text: empty when absent.
    pub fn opt_text(&mut self, value: Option<&str>) {
        self.text(value.unwrap_or(""));
    }

    /// A non-negative integer.
    pub fn count(&mut self, value: u64) {
        let mut buf = itoa_buf(value);
        self.record.push_field(buf.as_bytes_mut());
    }

    /// A signed integer (ids).
    pub fn int(&mut self, value: i64) {
        self.record.push_field(value.to_string().as_bytes());
    }

    /// A decimal number with `decimals` digits, or empty.
    pub fn decimal(&mut self, value: Option<f64>, decimals: usize) {
        match value {
            Some(v) => self.record.push_field(format!("{v:.decimals$}").as_bytes()),
            None => self.record.push_field(b""),
        }
    }

    /// `true` / `false`.
    pub fn boolean(&mut self, value: bool) {
        self.record
            .push_field(if value { b"true" as &[u8] } else { b"false" });
    }

    /// An RFC 3339 UTC timestamp (`2026-11-22T10:00:00Z`), or empty.
    pub fn datetime(&mut self, value: Option<DateTime<Utc>>) {
        match value {
            Some(at) => self.record.push_field(format::rfc3339(at).as_bytes()),
            None => self.record.push_field(b""),
        }
    }
}

/// A small stack string for an integer (avoids an allocation per numeric cell).
struct ItoaBuf {
    buf: [u8; 20],
    start: usize,
}

impl ItoaBuf {
    fn as_bytes_mut(&mut self) -> &[u8] {
        &self.buf[self.start..]
    }
}

fn itoa_buf(mut n: u64) -> ItoaBuf {
    let mut buf = [0u8; 20];
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    ItoaBuf { buf, start: i }
}

/// Writes rows of `R` as CSV to `W`: the header first, then each pushed row. Memory stays flat
/// however many rows go through: one record buffer is reused and output is buffered.
///
/// ```
/// use lpm_reports::{AuditRow, CsvWriter};
/// # use chrono::TimeZone;
/// let at = chrono::Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
/// let mut csv = CsvWriter::<_, AuditRow>::new(Vec::new())?;
/// csv.push(&AuditRow::new(1, at, "alice", "host.created").target("host:7"))?;
/// let bytes = csv.finish()?;
/// assert!(String::from_utf8(bytes)?.starts_with("id,at,actor,action,target,ip,details\n1,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct CsvWriter<W: Write, R: CsvRow> {
    inner: csv::Writer<W>,
    record: csv::ByteRecord,
    scratch: Vec<u8>,
    rows: u64,
    _row: std::marker::PhantomData<fn(&R)>,
}

impl<W: Write, R: CsvRow> CsvWriter<W, R> {
    /// Starts the CSV and writes the header row.
    pub fn new(out: W) -> Result<Self, ReportError> {
        let mut inner = csv::WriterBuilder::new()
            .has_headers(false)
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(64 * 1024)
            .from_writer(out);
        inner.write_record(R::HEADER)?;
        Ok(Self {
            inner,
            record: csv::ByteRecord::new(),
            scratch: Vec::new(),
            rows: 0,
            _row: std::marker::PhantomData,
        })
    }

    /// Writes one row.
    pub fn push(&mut self, row: &R) -> Result<(), ReportError> {
        self.record.clear();
        row.write_fields(&mut CsvFields {
            record: &mut self.record,
            scratch: &mut self.scratch,
        });
        self.inner.write_byte_record(&self.record)?;
        self.rows += 1;
        Ok(())
    }

    /// Writes every row of `rows`.
    pub fn extend<I: IntoIterator<Item = R>>(&mut self, rows: I) -> Result<(), ReportError> {
        for row in rows {
            self.push(&row)?;
        }
        Ok(())
    }

    /// Data rows written so far (the header not counted).
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// Flushes and returns the destination.
    pub fn finish(self) -> Result<W, ReportError> {
        self.inner
            .into_inner()
            .map_err(|e| ReportError::Io(std::io::Error::other(e.error().to_string())))
    }
}

/// Writes `rows` as CSV to `out` (header first) and returns how many data rows were written.
pub fn write_csv<W, R, I>(out: W, rows: I) -> Result<u64, ReportError>
where
    W: Write,
    R: CsvRow,
    I: IntoIterator<Item = R>,
{
    let mut w = CsvWriter::<W, R>::new(out)?;
    w.extend(rows)?;
    let n = w.rows();
    w.finish()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guard_is_reversible() {
        for s in [
            "=1+1", "+x", "-3", "@SUM", "\tx", "'", "''=", "plain", "", "a=b",
        ] {
            let guarded = if needs_guard(s) {
                format!("'{s}")
            } else {
                s.to_owned()
            };
            assert_eq!(unguard_cell(&guarded), s);
        }
    }

    #[test]
    fn integers_format_without_allocation_errors() {
        assert_eq!(itoa_buf(0).as_bytes_mut(), b"0");
        assert_eq!(
            itoa_buf(u64::MAX).as_bytes_mut(),
            u64::MAX.to_string().as_bytes()
        );
    }
}
