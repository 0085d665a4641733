//! Empty data renders a valid report that says "No data", never an error or a blank chart.

use lpm_reports::{
    AuditReport, ChainStatus, ComplianceReport, PatchHistoryReport, ReportMeta, VulnerabilityReport,
};

use crate::support::{assert_page_numbers, now, pdf_pages};

fn check(pdf: Vec<u8>, charts: usize) {
    let pages = pdf_pages(&pdf);
    assert_page_numbers(&pages);
    let all = pages.join("\n");
    // One "No data" per chart, one per table, one on the cover.
    assert!(all.matches("No data").count() > charts, "{all}");
}

#[test]
fn empty_reports_say_no_data() {
    let meta = ReportMeta::new(now());
    let c = ComplianceReport::new(meta.clone(), vec![]);
    assert_eq!(c.fleet.percent_fully_patched, None);
    check(c.to_pdf().unwrap(), 2);
    check(
        PatchHistoryReport::new(meta.clone(), vec![])
            .to_pdf()
            .unwrap(),
        2,
    );
    check(
        VulnerabilityReport::new(meta.clone(), vec![])
            .to_pdf()
            .unwrap(),
        2,
    );
    check(
        AuditReport::new(meta.clone(), ChainStatus::NotVerified, vec![])
            .to_pdf()
            .unwrap(),
        0,
    );

    let mut csv = Vec::new();
    assert_eq!(c.write_csv(&mut csv).unwrap(), 0);
    assert!(
        String::from_utf8(csv)
            .unwrap()
            .starts_with("host,groups,os,")
    );
}
