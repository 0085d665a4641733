//! CSV read back with the csv crate gives the same data, tricky cells included.

use chrono::{DateTime, Duration, Utc};
use lpm_reports::{
    AuditRow, ComplianceReport, CsvWriter, HostCompliance, ReportMeta, unguard_cell,
    write_audit_csv,
};

use crate::support::now;

const TRICKY: &[&str] = &[
    "plain",
    "comma, inside",
    "quote \" inside",
    "\"starts with a quote",
    "line\nbreak",
    "crlf\r\nbreak",
    "ünïcödé — сервер 東京 🚀",
    "=HYPERLINK(\"http://evil\")",
    "+1+2",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTAB",
    "'already quoted",
    "'=both",
    "",
    "   spaces   ",
];

fn read(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::ReaderBuilder::new().from_reader(bytes);
    let header = r.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = r
        .records()
        .map(|rec| rec.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

#[test]
fn audit_rows_round_trip() {
    let rows: Vec<AuditRow> = TRICKY
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let at = now() + Duration::milliseconds(i as i64 * 1_234);
            AuditRow::new(i as i64 + 1, at, s, "host.updated")
                .target(format!("host:{i}"))
                .ip(*s)
                .details(format!("{{\"note\":{s:?}}}"))
        })
        .collect();
    let mut out = Vec::new();
    assert_eq!(write_audit_csv(&mut out, &rows).unwrap(), rows.len() as u64);
    let (header, back) = read(&out);
    assert_eq!(
        header,
        ["id", "at", "actor", "action", "target", "ip", "details"]
    );
    assert_eq!(back.len(), rows.len());
    for (row, cells) in rows.iter().zip(&back) {
        let parsed = AuditRow {
            id: cells[0].parse().unwrap(),
            at: cells[1].parse::<DateTime<Utc>>().unwrap(),
            actor: unguard_cell(&cells[2]).to_owned(),
            action: unguard_cell(&cells[3]).to_owned(),
            target: Some(unguard_cell(&cells[4]).to_owned()),
            ip: Some(unguard_cell(&cells[5]).to_owned()),
            details: unguard_cell(&cells[6]).to_owned(),
        };
        assert_eq!(&parsed, row);
    }
}

#[test]
fn formula_cells_are_defused() {
    let rows = vec![AuditRow::new(1, now(), "=cmd|' /C calc'!A0", "-x").ip("@evil")];
    let mut out = Vec::new();
    write_audit_csv(&mut out, &rows).unwrap();
    let (_, back) = read(&out);
    assert_eq!(back[0][2], "'=cmd|' /C calc'!A0");
    assert_eq!(back[0][3], "'-x");
    assert_eq!(back[0][5], "'@evil");
    // Numbers and timestamps are not touched.
    assert_eq!(back[0][0], "1");
    assert_eq!(back[0][1], "2026-11-22T10:00:00Z");
}

#[test]
fn compliance_rows_round_trip() {
    let hosts: Vec<HostCompliance> = TRICKY
        .iter()
        .map(|s| {
            let mut h = HostCompliance::new(*s);
            h.os = Some((*s).to_owned());
            h.groups = vec![format!("g {s}")];
            h.security_patches = 3;
            h
        })
        .collect();
    let report = ComplianceReport::new(ReportMeta::new(now()), hosts.clone());
    let mut out = Vec::new();
    assert_eq!(report.write_csv(&mut out).unwrap(), hosts.len() as u64);
    let (header, back) = read(&out);
    assert_eq!(header[0], "host");
    assert_eq!(header.len(), 14);
    for (h, cells) in hosts.iter().zip(&back) {
        assert_eq!(unguard_cell(&cells[0]), h.name);
        assert_eq!(unguard_cell(&cells[1]), h.groups.join("; "));
        assert_eq!(Some(unguard_cell(&cells[2]).to_owned()), h.os);
        assert_eq!(cells[9], "3");
        assert_eq!(cells[10], "false");
    }
}

#[test]
fn the_writer_streams_from_an_iterator() {
    // 200,000 rows generated on the fly into a counting sink: nothing is collected.
    struct Count(u64);
    impl std::io::Write for Count {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0 += b.len() as u64;
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let at = now();
    let rows = (1..=200_000).map(|i| AuditRow::new(i, at, "bench", "host.updated"));
    let mut w = CsvWriter::<_, AuditRow>::new(Count(0)).unwrap();
    w.extend(rows).unwrap();
    assert_eq!(w.rows(), 200_000);
    let sink = w.finish().unwrap();
    assert!(sink.0 > 200_000 * 40);
}
