//! Shared helpers: a fixed clock, and reading PDFs back with poppler's `pdftotext`.

use std::process::Command;

use chrono::{DateTime, TimeZone, Utc};

/// The tests' "now".
pub(crate) fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap()
}

/// The text of every page (`pdftotext -layout`), pages split on form feeds.
pub(crate) fn pdf_pages(pdf: &[u8]) -> Vec<String> {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .unwrap_or_else(|e| {
            panic!("pdftotext could not run ({e}): install poppler-utils (apt-get install -y poppler-utils)")
        });
    assert!(
        out.status.success(),
        "pdftotext rejected the PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_owned).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// Every page carries "Page i of n".
pub(crate) fn assert_page_numbers(pages: &[String]) {
    let n = pages.len();
    for (i, p) in pages.iter().enumerate() {
        let label = format!("Page {} of {}", i + 1, n);
        assert!(p.contains(&label), "page {} lacks {label:?}:\n{p}", i + 1);
    }
}

/// Collapses runs of whitespace, so layout spacing does not matter to a search.
pub(crate) fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
