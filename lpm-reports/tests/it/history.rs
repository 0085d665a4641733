//! The patch-history report: rollbacks both ways, CSV rows per change, the PDF read back.

use chrono::Duration;
use lpm_core::agent::{ChangeAction, PackageChange};
use lpm_core::ids::JobId;
use lpm_core::job::{JobHostState, JobKind, JobState};
use lpm_reports::{JobHostRecord, JobRecord, PatchHistoryReport, ReportMeta, TrendPeriod};

use crate::support::{assert_page_numbers, now, pdf_pages, squash};

fn job(id: i64, kind: JobKind, days_ago: i64, rollback_of: Option<i64>) -> JobRecord {
    let at = now() - Duration::days(days_ago);
    JobRecord {
        id: JobId::new(id).unwrap(),
        kind,
        started_by: "alice".into(),
        created_at: at,
        finished_at: Some(at + Duration::minutes(10)),
        state: JobState::Succeeded,
        rollback_of: rollback_of.map(|p| JobId::new(p).unwrap()),
        hosts: vec![
            JobHostRecord {
                host: "web01.example.net".into(),
                state: JobHostState::Succeeded,
                changes: vec![PackageChange {
                    package: "openssl".into(),
                    from: Some("3.0.13-1".into()),
                    to: Some("3.0.15-1".into()),
                    action: ChangeAction::Upgrade,
                }],
                error: None,
            },
            JobHostRecord {
                host: "web02.example.net".into(),
                state: JobHostState::Failed,
                changes: vec![],
                error: Some("dpkg failed".into()),
            },
        ],
    }
}

#[test]
fn rollbacks_are_named_both_ways() {
    let jobs = vec![
        job(3, JobKind::ApplyPatches, 5, None),
        job(5, JobKind::Rollback, 4, Some(3)),
        job(6, JobKind::Install, 1, None),
    ];
    let r = PatchHistoryReport::new(ReportMeta::new(now()), jobs);
    assert_eq!(r.summary.jobs, 3);
    assert_eq!(r.summary.rollbacks, 1);
    assert_eq!(r.summary.changes, 3);
    assert_eq!(r.summary.hosts, 2);
    assert_eq!(r.summary.trend_period, TrendPeriod::Day);
    assert_eq!(r.summary.trend.len(), 5);
    assert_eq!(r.summary.trend.iter().map(|p| p.changes).sum::<u64>(), 3);
    assert_eq!(
        r.rolled_back_by[&JobId::new(3).unwrap()],
        [JobId::new(5).unwrap()]
    );
    assert_eq!(r.jobs[0].id.get(), 6, "newest first");

    let mut csv = Vec::new();
    // One row per change, plus one per host without changes.
    assert_eq!(r.write_csv(&mut csv).unwrap(), 6);
    let text = String::from_utf8(csv).unwrap();
    assert!(text.contains("5,rollback,alice,"));
    assert!(text.contains(",3,,web01.example.net,succeeded,openssl,3.0.13-1,3.0.15-1,upgrade"));

    let pages = pdf_pages(&r.to_pdf().unwrap());
    assert_page_numbers(&pages);
    let all = squash(&pages.join("\n"));
    assert!(all.contains("Package changes per day"));
    assert!(all.contains("rolls back #3"));
    assert!(all.contains("rolled back by #5"));
    assert!(all.contains("openssl 3.0.13-1 3.0.15-1 upgrade"));
}

#[test]
fn long_spans_trend_by_week() {
    let jobs = (1..=40)
        .map(|i| job(i, JobKind::ApplyPatches, i * 3, None))
        .collect();
    let r = PatchHistoryReport::new(ReportMeta::new(now()), jobs);
    assert_eq!(r.summary.trend_period, TrendPeriod::Week);
    assert_eq!(r.summary.trend.iter().map(|p| p.jobs).sum::<u64>(), 40);
}
