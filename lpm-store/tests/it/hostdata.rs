//! What pollers record about hosts: facts, snapshots, and the CVE history behind time-to-patch.

use chrono::{Duration, TimeZone, Utc};
use lpm_core::agent::{AvailablePatch, InstalledPackage, PatchReport, Severity, SystemInfo};
use lpm_core::model::PackageManager;
use lpm_store::StoreError;

use crate::harness::{TestStore, admin_scope, group, hosts, operator, t0};

fn patch(package: &str, severity: Severity, cves: &[&str]) -> AvailablePatch {
    AvailablePatch {
        package: package.into(),
        current_version: "1.0".into(),
        available_version: "1.1".into(),
        arch: "amd64".into(),
        security: !cves.is_empty(),
        severity,
        advisories: vec![],
        cves: cves.iter().map(|c| c.to_string()).collect(),
        reboot_required: false,
    }
}

async fn facts_and_snapshots_reach_the_host_detail(t: TestStore) {
    let s = &t.store;
    let (a, b) = (group(s, "a").await, group(s, "b").await);
    let host = hosts(s, 1, &[b]).await[0];
    let info = SystemInfo {
        hostname: "web-01".into(),
        fqdn: "web-01.example.com".into(),
        os_id: "ubuntu".into(),
        os_version: "24.04".into(),
        os_pretty_name: "Ubuntu 24.04.1 LTS".into(),
        kernel: "6.8.0-45-generic".into(),
        arch: "x86_64".into(),
        package_manager: PackageManager::Apt,
        reboot_required: true,
        last_boot: Utc.with_ymd_and_hms(2026, 11, 1, 3, 0, 0).unwrap(),
        agent_version: "1.4.2".into(),
    };
    s.record_system_info(host, &info, t0()).await.unwrap();
    let report = PatchReport {
        patches: vec![
            patch("openssl", Severity::Critical, &["CVE-2026-0001"]),
            patch("curl", Severity::Moderate, &["CVE-2026-0002"]),
            patch("vim", Severity::Low, &[]),
        ],
        checked_at: t0(),
    };
    s.record_patch_snapshot(host, &report, t0()).await.unwrap();
    let packages = vec![InstalledPackage {
        name: "openssl".into(),
        version: "1.0".into(),
        arch: "amd64".into(),
    }];
    s.record_package_snapshot(host, &packages, t0())
        .await
        .unwrap();

    let detail = s.get_host_detail(&admin_scope(), host).await.unwrap();
    assert_eq!(detail.host.os_name.as_deref(), Some("Ubuntu 24.04.1 LTS"));
    assert_eq!(detail.host.package_manager, Some(PackageManager::Apt));
    assert_eq!(
        (detail.kernel.as_deref(), detail.reboot_required),
        (Some("6.8.0-45-generic"), true)
    );
    assert_eq!(
        (
            detail.pending_patches,
            detail.pending_security,
            detail.pending_critical
        ),
        (3, 2, 1)
    );
    let (at, latest) = s
        .latest_patches(&admin_scope(), host)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((at, latest), (t0(), report));
    assert_eq!(
        s.latest_packages(&admin_scope(), host)
            .await
            .unwrap()
            .unwrap()
            .1,
        packages
    );

    let fleet = s.fleet_status(&admin_scope()).await.unwrap();
    assert_eq!((fleet.hosts, fleet.polled, fleet.fully_patched), (1, 1, 0));
    assert_eq!(
        (
            fleet.with_security_updates,
            fleet.with_critical_updates,
            fleet.reboot_required
        ),
        (1, 1, 1)
    );
    assert_eq!(
        (fleet.by_status.get("pending"), fleet.compliance_pct),
        (Some(&1), Some(0.0))
    );
    assert_eq!(
        fleet.pending,
        lpm_store::hostdata::PendingBySeverity {
            critical: 1,
            important: 0,
            moderate: 1,
            low: 1,
            unknown: 0
        }
    );
    assert_eq!(
        (fleet.reachable_polled, fleet.security_compliant),
        (0, 0),
        "a host never found healthy does not count towards security compliance"
    );
    s.testing_execute(&format!(
        "UPDATE hosts SET status = 'healthy' WHERE id = {host}"
    ))
    .await
    .unwrap();
    let fleet = s.fleet_status(&admin_scope()).await.unwrap();
    assert_eq!((fleet.reachable_polled, fleet.security_compliant), (1, 0));
    s.record_patch_snapshot(
        host,
        &PatchReport {
            patches: vec![patch("vim", Severity::Low, &[])],
            checked_at: t0(),
        },
        t0(),
    )
    .await
    .unwrap();
    let fleet = s.fleet_status(&admin_scope()).await.unwrap();
    assert_eq!((fleet.reachable_polled, fleet.security_compliant), (1, 1));
    assert_eq!((fleet.pending.critical, fleet.pending.low), (0, 1));
    s.create_host(
        &admin_scope(),
        &crate::harness::ip_host(77),
        &[],
        &crate::harness::actor(),
        t0(),
    )
    .await
    .unwrap();
    let (_, outsider) = operator(s, "op", &[a]).await;
    let theirs = s.fleet_status(&outsider).await.unwrap();
    assert_eq!(
        (theirs.hosts, theirs.polled, theirs.compliance_pct),
        (1, 0, None),
        "only the ungrouped host"
    );
    assert!(matches!(
        s.get_host_detail(&outsider, host).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        s.latest_patches(&outsider, host).await,
        Err(StoreError::NotFound { .. })
    ));
    assert!(matches!(
        s.latest_packages(&outsider, host).await,
        Err(StoreError::NotFound { .. })
    ));
}

async fn cve_history_records_first_seen_and_fixed(t: TestStore) {
    let s = &t.store;
    let host = hosts(s, 1, &[]).await[0];
    let day = |d| t0() + Duration::days(d);
    let both = PatchReport {
        patches: vec![
            patch("openssl", Severity::Important, &["CVE-1"]),
            patch("libssl", Severity::Critical, &["CVE-1", "CVE-2"]),
        ],
        checked_at: day(0),
    };
    s.record_patch_snapshot(host, &both, day(0)).await.unwrap();
    s.record_patch_snapshot(host, &both, day(1)).await.unwrap();
    let only_second = PatchReport {
        patches: vec![patch("libssl", Severity::Critical, &["CVE-2"])],
        checked_at: day(3),
    };
    s.record_patch_snapshot(host, &only_second, day(3))
        .await
        .unwrap();
    s.record_patch_snapshot(
        host,
        &PatchReport {
            patches: vec![],
            checked_at: day(5),
        },
        day(5),
    )
    .await
    .unwrap();

    let rows = s
        .testing_strings("SELECT cve || ' ' || severity FROM cve_history ORDER BY cve")
        .await
        .unwrap();
    assert_eq!(
        rows,
        ["CVE-1 critical", "CVE-2 critical"],
        "the worst severity among the fixing patches"
    );
    let first = s
        .testing_strings("SELECT CAST(first_seen AS TEXT) FROM cve_history ORDER BY cve")
        .await
        .unwrap();
    assert!(
        first.iter().all(|f| f.starts_with("2026-11-24")),
        "first seen stays at day 0: {first:?}"
    );
    let fixed = s
        .testing_strings("SELECT CAST(fixed_at AS TEXT) FROM cve_history ORDER BY cve")
        .await
        .unwrap();
    assert!(
        fixed[0].starts_with("2026-11-27") && fixed[1].starts_with("2026-11-29"),
        "{fixed:?}"
    );
    assert_eq!(
        s.get_host_detail(&admin_scope(), host)
            .await
            .unwrap()
            .pending_patches,
        0
    );
}

async fn the_latest_health_snapshot_is_read_in_scope(t: TestStore) {
    let s = &t.store;
    let (a, b) = (group(s, "a").await, group(s, "b").await);
    let host = hosts(s, 1, &[b]).await[0];
    assert_eq!(s.latest_health(&admin_scope(), host).await.unwrap(), None);
    let checks = serde_json::json!({"version": "1.4.2", "checks": [["disk", "ok"]]});
    s.record_health_snapshot(host, true, None, &checks, t0())
        .await
        .unwrap();
    let later = t0() + Duration::minutes(1);
    s.record_health_snapshot(
        host,
        false,
        Some("connection refused"),
        &serde_json::json!({}),
        later,
    )
    .await
    .unwrap();
    let latest = s
        .latest_health(&admin_scope(), host)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (latest.collected_at, latest.ok, latest.error.as_deref()),
        (later, false, Some("connection refused"))
    );
    let (_, other) = operator(s, "op-a", &[a]).await;
    assert!(matches!(
        s.latest_health(&other, host).await,
        Err(StoreError::NotFound { what: "host" })
    ));
}

crate::on_both_backends!(
    the_latest_health_snapshot_is_read_in_scope,
    facts_and_snapshots_reach_the_host_detail,
    cve_history_records_first_seen_and_fixed
);
