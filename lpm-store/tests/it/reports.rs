//! What reports are made of: host patch states, CVE findings, job history and audit pages, each
//! in the caller's scope and selection, and what survives pruning and deleted hosts.

use std::collections::BTreeMap;

use chrono::Duration;
use lpm_core::agent::{AvailablePatch, PatchReport, Severity};
use lpm_core::ids::{GroupId, HostId};
use lpm_core::job::{JobHostState, JobKind, JobState};
use lpm_core::model::HostAddress;
use lpm_core::net::{Fqdn, Port};
use lpm_core::ports::HostOutcome;
use lpm_store::Store;
use lpm_store::audit::AuditFilter;
use lpm_store::reports::{HostSelection, PendingCount};
use lpm_store::retention::RetentionPolicy;

use crate::harness::{TestStore, actor, admin_scope, group, operator, t0, user_actor};
use crate::jobs::{failed, immediate, ok};

async fn named_host(s: &Store, name: &str, groups: &[GroupId]) -> HostId {
    let address = HostAddress::new(Some(Fqdn::new(name).unwrap()), None, Port::default()).unwrap();
    s.create_host(&admin_scope(), &address, groups, &actor(), t0())
        .await
        .unwrap()
        .id
}

fn patch(severity: Severity, security: bool, cves: &[&str], advisories: &[&str]) -> AvailablePatch {
    AvailablePatch {
        package: format!("pkg-{}", severity.as_str()),
        current_version: "1.0".into(),
        available_version: "1.1".into(),
        arch: "amd64".into(),
        security,
        severity,
        advisories: advisories.iter().map(|a| a.to_string()).collect(),
        cves: cves.iter().map(|c| c.to_string()).collect(),
        reboot_required: false,
    }
}

async fn snapshot(
    s: &Store,
    host: HostId,
    patches: Vec<AvailablePatch>,
    at: chrono::DateTime<chrono::Utc>,
) {
    s.record_patch_snapshot(
        host,
        &PatchReport {
            patches,
            checked_at: at,
        },
        at,
    )
    .await
    .unwrap();
}

fn names<T>(rows: &[T], name: impl Fn(&T) -> &str) -> Vec<&str> {
    rows.iter().map(name).collect()
}

async fn host_states_and_findings_keep_to_scope_and_selection(t: TestStore) {
    let s = &t.store;
    let (g1, g2) = (group(s, "g1").await, group(s, "g2").await);
    let (_, op) = operator(s, "op", &[g1]).await;
    let web = named_host(s, "web-01.example.com", &[g1]).await;
    let db = named_host(s, "db-01.example.com", &[g2]).await;
    let free = named_host(s, "free-01.example.com", &[]).await;
    let day = |d: i64| t0() + Duration::days(d);

    // free-01's snapshot is pruned after 30 days: its counters stand in.
    snapshot(
        s,
        free,
        vec![
            patch(Severity::Critical, true, &["CVE-2026-0003"], &[]),
            patch(Severity::Low, false, &[], &[]),
            patch(Severity::Moderate, true, &[], &[]),
        ],
        day(0),
    )
    .await;
    s.prune(&RetentionPolicy::default(), day(31)).await.unwrap();
    snapshot(
        s,
        web,
        vec![
            patch(
                Severity::Critical,
                true,
                &["CVE-2026-0001"],
                &["USN-7001-1"],
            ),
            patch(
                Severity::Moderate,
                false,
                &["CVE-2026-0002"],
                &["USN-7002-1"],
            ),
            patch(Severity::Low, false, &[], &[]),
            patch(Severity::Low, true, &[], &[]),
        ],
        day(31),
    )
    .await;
    snapshot(
        s,
        db,
        vec![patch(
            Severity::Important,
            true,
            &["CVE-2026-0001"],
            &["RHSA-2026:1"],
        )],
        day(31),
    )
    .await;

    let all = HostSelection::default();
    let states = s.report_host_states(&admin_scope(), &all).await.unwrap();
    assert_eq!(
        names(&states, |h| h.name.as_str()),
        [
            "db-01.example.com",
            "free-01.example.com",
            "web-01.example.com"
        ]
    );
    let web_state = &states[2];
    assert_eq!(web_state.groups, ["g1"]);
    assert_eq!(web_state.last_patch_poll_at, Some(day(31)));
    let count = |updates, security| PendingCount { updates, security };
    assert_eq!(
        web_state.pending,
        BTreeMap::from([
            (Severity::Critical, count(1, 1)),
            (Severity::Moderate, count(1, 0)),
            (Severity::Low, count(2, 1)),
        ])
    );
    assert_eq!(
        states[1].pending,
        BTreeMap::from([
            (Severity::Critical, count(1, 1)),
            (Severity::Unknown, count(2, 1)),
        ]),
        "counters stand in for a pruned snapshot"
    );
    assert!(states[1].groups.is_empty());

    let mine = s.report_host_states(&op, &all).await.unwrap();
    assert_eq!(
        names(&mine, |h| h.name.as_str()),
        ["free-01.example.com", "web-01.example.com"]
    );
    let g1_only = HostSelection {
        groups: vec![g1],
        hosts: vec![],
    };
    let selected = s
        .report_host_states(&admin_scope(), &g1_only)
        .await
        .unwrap();
    assert_eq!(
        names(&selected, |h| h.name.as_str()),
        ["web-01.example.com"]
    );
    let db_only = HostSelection {
        groups: vec![],
        hosts: vec![db],
    };
    assert!(
        s.report_host_states(&op, &db_only)
            .await
            .unwrap()
            .is_empty(),
        "a selection never widens the scope"
    );

    // web-01 fixes CVE-2026-0002 on day 32.
    snapshot(
        s,
        web,
        vec![patch(
            Severity::Critical,
            true,
            &["CVE-2026-0001"],
            &["USN-7001-1"],
        )],
        day(32),
    )
    .await;
    let findings = s
        .report_cve_findings(&admin_scope(), &all, &[], None, None)
        .await
        .unwrap();
    let keys: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f.cve.as_str(), f.host_name.as_str()))
        .collect();
    assert_eq!(
        keys,
        [
            ("CVE-2026-0001", "db-01.example.com"),
            ("CVE-2026-0001", "web-01.example.com"),
            ("CVE-2026-0002", "web-01.example.com"),
            ("CVE-2026-0003", "free-01.example.com"),
        ]
    );
    assert_eq!(findings[1].advisories, ["USN-7001-1"]);
    assert_eq!(findings[1].severity, Severity::Critical);
    assert_eq!(
        (findings[2].first_seen, findings[2].fixed_at),
        (day(31), Some(day(32)))
    );
    assert!(
        findings[2].advisories.is_empty(),
        "fixed: no longer in a snapshot"
    );
    assert!(
        findings[3].advisories.is_empty(),
        "free-01's snapshot was pruned"
    );

    let critical = s
        .report_cve_findings(&admin_scope(), &all, &[Severity::Critical], None, None)
        .await
        .unwrap();
    assert_eq!(
        names(&critical, |f| f.host_name.as_str()),
        ["web-01.example.com", "free-01.example.com"]
    );
    let open_after_fix = s
        .report_cve_findings(&admin_scope(), &all, &[], Some(day(33)), None)
        .await
        .unwrap();
    assert!(open_after_fix.iter().all(|f| f.cve != "CVE-2026-0002"));
    assert_eq!(open_after_fix.len(), 3);
    let early = s
        .report_cve_findings(&admin_scope(), &all, &[], None, Some(day(1)))
        .await
        .unwrap();
    assert_eq!(names(&early, |f| f.cve.as_str()), ["CVE-2026-0003"]);
    let mine = s
        .report_cve_findings(&op, &all, &[], None, None)
        .await
        .unwrap();
    assert!(mine.iter().all(|f| f.host != db));
    assert_eq!(mine.len(), 3);
}

/// Claims every due row and completes it with `outcome(host)`.
async fn run(
    s: &Store,
    now: chrono::DateTime<chrono::Utc>,
    outcome: impl Fn(HostId) -> HostOutcome,
) {
    let work = s.claim("w1", now, Duration::minutes(5), 100).await.unwrap();
    for w in work {
        s.record_dispatch(&w.lease, &format!("key-{}", w.lease.job_host), now)
            .await
            .unwrap();
        s.complete(&w.lease, &outcome(w.host), now).await.unwrap();
    }
}

async fn job_history_keeps_to_scope_and_survives_pruning(t: TestStore) {
    let s = &t.store;
    let (g1, g2) = (group(s, "g1").await, group(s, "g2").await);
    let (op_user, op) = operator(s, "op", &[g1]).await;
    let web = named_host(s, "web-01.example.com", &[g1]).await;
    let db = named_host(s, "db-01.example.com", &[g2]).await;
    let now = t0() + Duration::seconds(1);

    let first = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::ApplyPatches, &[web, db]),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    run(s, now, |h| if h == db { failed() } else { ok() }).await;
    let second = s
        .create_job(
            &op,
            &immediate(JobKind::Update, &[web]),
            &user_actor(&op_user),
            t0(),
        )
        .await
        .unwrap();
    run(s, now, |_| ok()).await;

    let all = HostSelection::default();
    let history = s
        .report_job_history(&admin_scope(), &all, None, None)
        .await
        .unwrap();
    assert_eq!(
        history.iter().map(|j| j.job).collect::<Vec<_>>(),
        [second, first],
        "newest first"
    );
    let (second_row, first_row) = (&history[0], &history[1]);
    assert_eq!(
        (
            second_row.started_by.as_str(),
            second_row.kind,
            second_row.state
        ),
        ("op", JobKind::Update, JobState::Succeeded)
    );
    assert_eq!(
        (
            first_row.started_by.as_str(),
            first_row.state,
            first_row.failed_count
        ),
        ("system", JobState::PartiallyFailed, 1)
    );
    type Outcome<'a> = (
        Option<&'a str>,
        Option<JobHostState>,
        usize,
        Option<&'a str>,
    );
    let hosts: Vec<Outcome<'_>> = first_row
        .hosts
        .iter()
        .map(|h| {
            (
                h.name.as_deref(),
                h.state,
                h.changes.len(),
                h.error.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        hosts,
        [
            (
                Some("db-01.example.com"),
                Some(JobHostState::Failed),
                0,
                Some("dpkg returned 1")
            ),
            (
                Some("web-01.example.com"),
                Some(JobHostState::Succeeded),
                1,
                None
            ),
        ]
    );

    let mine = s.report_job_history(&op, &all, None, None).await.unwrap();
    assert_eq!(mine.len(), 2);
    assert_eq!(
        mine[1].hosts.iter().map(|h| h.host).collect::<Vec<_>>(),
        [web],
        "an operator's history never names a host out of scope"
    );
    let db_only = HostSelection {
        groups: vec![],
        hosts: vec![db],
    };
    let selected = s
        .report_job_history(&admin_scope(), &db_only, None, None)
        .await
        .unwrap();
    assert_eq!(selected.iter().map(|j| j.job).collect::<Vec<_>>(), [first]);
    assert!(
        s.report_job_history(&admin_scope(), &all, Some(now + Duration::seconds(1)), None)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.report_job_history(
            &admin_scope(),
            &all,
            Some(now),
            Some(now + Duration::seconds(1))
        )
        .await
        .unwrap()
        .len(),
        2
    );

    // After 30 days the per-host detail is gone; the package changes remain.
    s.prune(&RetentionPolicy::default(), now + Duration::days(31))
        .await
        .unwrap();
    let pruned = s
        .report_job_history(&admin_scope(), &all, None, None)
        .await
        .unwrap();
    assert_eq!(pruned.len(), 2);
    let first_row = &pruned[1];
    assert_eq!(
        first_row.hosts.len(),
        1,
        "db-01 changed nothing and left no trace"
    );
    assert_eq!(
        (first_row.hosts[0].host, first_row.hosts[0].state),
        (web, None)
    );
    assert_eq!(first_row.hosts[0].changes[0].package, "openssl");
    assert_eq!(
        s.report_job_history(&op, &all, None, None)
            .await
            .unwrap()
            .len(),
        2
    );

    // A deleted host shows to an admin without a name, and to nobody else.
    s.delete_host(&admin_scope(), web, &actor(), now)
        .await
        .unwrap();
    let after = s
        .report_job_history(&admin_scope(), &all, None, None)
        .await
        .unwrap();
    assert_eq!(after[1].hosts[0].name, None);
    assert!(
        s.report_job_history(&op, &all, None, None)
            .await
            .unwrap()
            .is_empty()
    );
}

async fn audit_rows_page_in_id_order(t: TestStore) {
    let s = &t.store;
    for i in 0..5 {
        let entry = actor().entry(
            if i % 2 == 0 {
                "host.created"
            } else {
                "job.created"
            },
            "x",
            i,
        );
        s.audit(&entry, t0() + Duration::minutes(i)).await.unwrap();
    }
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = s
            .audit_rows_after(&AuditFilter::default(), after, 2)
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().unwrap().id;
        seen.extend(page.into_iter().map(|r| r.target_id.unwrap()));
    }
    assert_eq!(seen, ["0", "1", "2", "3", "4"]);
    let filter = AuditFilter {
        action_prefix: Some("host.".into()),
        since: Some(t0() + Duration::minutes(1)),
        until: Some(t0() + Duration::minutes(4)),
        ..Default::default()
    };
    let rows = s.audit_rows_after(&filter, 0, 100).await.unwrap();
    assert_eq!(
        rows.iter()
            .map(|r| r.target_id.clone().unwrap())
            .collect::<Vec<_>>(),
        ["2"]
    );
}

crate::on_both_backends!(
    host_states_and_findings_keep_to_scope_and_selection,
    job_history_keeps_to_scope_and_survives_pruning,
    audit_rows_page_in_id_order
);
