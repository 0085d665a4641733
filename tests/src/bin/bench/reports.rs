//! The `reports` scenario of lpm-bench: a compliance PDF with charts for 2,500 hosts, and
//! 1,000,000 audit rows streamed as CSV with the peak resident memory it took.

use std::io::{BufWriter, Write};
use std::time::Instant;

use chrono::{Duration, TimeZone, Utc};
use lpm_core::agent::Severity;
use lpm_reports::{AuditRow, ComplianceReport, HostCompliance, ReportMeta, write_audit_csv};

type BenchResult<T> = Result<T, Box<dyn std::error::Error + Send + Sync>>;

/// Runs the scenario and prints its figures (CSV first, so its peak RSS is not the PDF's).
pub(crate) fn run(hosts: u32, audit_rows: u32) -> BenchResult<()> {
    let now = Utc
        .with_ymd_and_hms(2026, 11, 22, 10, 0, 0)
        .single()
        .ok_or("bad date")?;

    // Streaming first, while the process is small: peak RSS before and after, the difference
    // is what streaming a million rows costs (it stays flat). The PDF comes afterwards.
    let before = peak_rss_mib()?;
    eprintln!("streaming {audit_rows} audit rows to a file (peak RSS before: {before:.1} MiB)");
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("audit.csv");
    let file = BufWriter::new(std::fs::File::create(&path)?);
    let details =
        r#"{"field":"status","from":"unhealthy","to":"healthy","note":"a, \"quoted\" detail"}"#;
    let rows = (1..=i64::from(audit_rows)).map(|id| {
        AuditRow::new(
            id,
            now - Duration::seconds(i64::from(audit_rows) - id),
            "alice",
            "host.updated",
        )
        .target(format!("host:{}", id % 2500))
        .ip("192.0.2.10")
        .details(details)
    });
    let start = Instant::now();
    let written = write_audit_csv(file, rows)?;
    let secs = start.elapsed().as_secs_f64();
    if written != u64::from(audit_rows) {
        return Err(format!("wrote {written} rows, expected {audit_rows}").into());
    }
    let after = peak_rss_mib()?;
    let size = std::fs::metadata(&path)?.len();
    eprintln!(
        "{written} rows, {:.1} MiB of CSV; peak RSS {before:.1} MiB before, {after:.1} MiB after",
        size as f64 / 1048576.0
    );
    println!("audit_csv_1m_s: {secs:.3} s");
    println!("audit_csv_1m_peak_rss_mib: {after:.1} MiB");
    println!(
        "audit_csv_1m_peak_rss_growth_mib: {:.1} MiB",
        after - before
    );
    let fleet: Vec<HostCompliance> = (0..hosts)
        .map(|i| {
            let mut h = HostCompliance::new(format!("host{i:05}.dc{}.example.net", i % 4));
            h.groups = vec![format!("group-{:02}", i % 12)];
            h.os = Some("Ubuntu 24.04.1 LTS".to_owned());
            h.pending.add(Severity::Critical, i % 3 / 2);
            h.pending.add(Severity::Important, i % 5);
            h.pending.add(Severity::Low, i % 7);
            h.security_patches = i % 5;
            h.reboot_required = i % 9 == 0;
            h.unreachable = i % 50 == 0;
            h.last_successful_poll = Some(now - Duration::minutes(i64::from(i % 30)));
            h
        })
        .collect();
    eprintln!("rendering the compliance PDF for {hosts} hosts");
    let start = Instant::now();
    let report = ComplianceReport::new(ReportMeta::new(now), fleet);
    let pdf = report.to_pdf()?;
    let secs = start.elapsed().as_secs_f64();
    eprintln!("{} bytes", pdf.len());
    println!("compliance_pdf_2500_s: {secs:.3} s");

    std::io::stdout().flush()?;
    Ok(())
}

/// The process's peak resident set size (`VmHWM` in /proc/self/status), in MiB.
fn peak_rss_mib() -> BenchResult<f64> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    let kib: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .ok_or("no VmHWM in /proc/self/status")?
        .parse()?;
    Ok(kib / 1024.0)
}
