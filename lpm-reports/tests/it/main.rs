//! spike
use chrono::{TimeZone, Utc};
use lpm_reports::*;

#[test]
fn spike() {
    let now = Utc.with_ymd_and_hms(2026, 11, 22, 10, 0, 0).unwrap();
    let mut hosts = Vec::new();
    for i in 0..200u32 {
        let mut h = HostCompliance::new(format!("web{i:03}.example.net"));
        h.groups = vec![format!("group-{}", i % 7), if i % 3 == 0 { "Продакшн сервера в Москве".into() } else { "staging".into() }];
        h.os = Some("Ubuntu 24.04.1 LTS".into());
        h.pending.critical = i % 5;
        h.pending.low = i % 3;
        h.last_successful_poll = if i % 17 == 0 { None } else { Some(now) };
        h.unreachable = i % 23 == 0;
        hosts.push(h);
    }
    hosts[3].name = "日本語ホスト.example".into();
    let r = ComplianceReport::new(ReportMeta::new(now).by("alice"), hosts);
    let t = std::time::Instant::now();
    let pdf = r.to_pdf().unwrap();
    eprintln!("pdf {} bytes in {:?}", pdf.len(), t.elapsed());
    std::fs::write("/tmp/spike.pdf", pdf).unwrap();
}
