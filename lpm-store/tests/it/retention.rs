//! Retention: old operational data goes, recent data and the compact history stay.

use chrono::{Duration, Utc};
use lpm_core::agent::PatchReport;
use lpm_core::job::JobKind;
use lpm_store::retention::RetentionPolicy;

use crate::harness::{TestStore, actor, admin_scope, hosts, t0};
use crate::jobs::{immediate, ok, run_all};

async fn old_operational_data_is_pruned_and_history_kept(t: TestStore) {
    let s = &t.store;
    let host = hosts(s, 1, &[]).await[0];
    let now = t0() + Duration::days(40);
    let report = PatchReport {
        patches: vec![],
        checked_at: t0(),
    };
    for at in [t0(), now - Duration::days(1)] {
        s.record_health_snapshot(host, true, None, &serde_json::json!({"status": "ok"}), at)
            .await
            .unwrap();
        s.record_patch_snapshot(host, &report, at).await.unwrap();
    }
    let job = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::ApplyPatches, &[host]),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    run_all(s, |_| ok()).await;

    let pruned = s.prune(&RetentionPolicy::default(), now).await.unwrap();
    assert_eq!(
        (
            pruned.health_snapshots,
            pruned.patch_snapshots,
            pruned.jobs,
            pruned.history
        ),
        (1, 1, 1, 0)
    );
    assert!(
        s.get_job(&admin_scope(), job).await.is_err(),
        "the finished job's rows are gone"
    );
    assert_eq!(
        s.testing_strings("SELECT kind FROM job_history")
            .await
            .unwrap(),
        ["apply_patches"]
    );
    assert_eq!(
        s.testing_strings("SELECT package FROM package_change_history")
            .await
            .unwrap(),
        ["openssl"]
    );
    assert_eq!(
        s.testing_strings("SELECT error FROM host_health_data WHERE error IS NOT NULL")
            .await
            .unwrap()
            .len(),
        0
    );
    let left = s
        .testing_strings("SELECT CAST(patch_count AS TEXT) FROM host_patch_data")
        .await
        .unwrap();
    assert_eq!(left.len(), 1, "the recent snapshot stays");

    // Two hundred days on, the audit rows and the history go too, and the chain still verifies.
    let later = t0() + Duration::days(200);
    let pruned = s.prune(&RetentionPolicy::default(), later).await.unwrap();
    assert_eq!(
        pruned.audit, 2,
        "the host and job creations of day 0: {pruned:?}"
    );
    assert_eq!(pruned.history, 2);
    assert!(s.verify_audit().await.unwrap().is_intact());
    assert!(later < Utc::now() + Duration::days(3650));
}

crate::on_both_backends!(old_operational_data_is_pruned_and_history_kept);
