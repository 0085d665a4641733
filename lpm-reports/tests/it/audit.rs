//! The audit report: the chain status on the cover, a long multi-page table.

use chrono::Duration;
use lpm_reports::{AuditReport, AuditRow, BreakKind, ChainStatus, ReportMeta};

use crate::support::{assert_page_numbers, now, pdf_pages, squash};

fn rows(n: i64) -> Vec<AuditRow> {
    (1..=n)
        .map(|i| {
            AuditRow::new(i, now() - Duration::minutes(n - i), "alice", "job.created")
                .target(format!("job:{i}"))
                .ip("192.0.2.7")
                .details(format!(
                    "{{\"kind\":\"apply_patches\",\"hosts\":{i},\"note\":\"{}\"}}",
                    "a very long detail that must wrap and then be cut off with an ellipsis "
                        .repeat(4)
                ))
        })
        .collect()
}

#[test]
fn broken_chain_is_stated_and_every_row_listed() {
    let report = AuditReport::new(
        ReportMeta::new(now()),
        ChainStatus::Broken {
            first_broken_id: 57,
            kind: BreakKind::ContentsChanged,
        },
        rows(250),
    );
    let pages = pdf_pages(&report.to_pdf().unwrap());
    assert!(pages.len() >= 5);
    assert_page_numbers(&pages);
    let cover = squash(&pages[0]);
    assert!(
        cover.contains("BROKEN at row 57: the row's contents do not match its hash"),
        "{cover}"
    );
    assert!(cover.contains("Audit chain BROKEN"));
    let table: Vec<&String> = pages.iter().skip(1).collect();
    assert!(table[0].contains("Audit rows"));
    for p in &table[1..] {
        assert!(p.contains("Audit rows (continued)"));
        assert!(squash(p).contains("ID At Actor Action Target IP Details"));
    }
    let all = pages.join("\n");
    for i in [1, 57, 250] {
        assert!(all.contains(&format!("job:{i}")));
    }
    // Long details are cut with an ellipsis, not run off the page.
    assert!(all.contains('\u{2026}'));
}

#[test]
fn intact_chain_and_row_limit() {
    let report = AuditReport::new(
        ReportMeta::new(now()),
        ChainStatus::Intact { rows_checked: 30 },
        rows(30),
    );
    let options = lpm_reports::PdfOptions {
        max_table_rows: 10,
        ..Default::default()
    };
    let pages = pdf_pages(&report.to_pdf_with(&options).unwrap());
    let all = squash(&pages.join("\n"));
    assert!(all.contains("INTACT: 30 rows verified"));
    assert!(all.contains("Showing the first 10 of 30 rows"));
}
