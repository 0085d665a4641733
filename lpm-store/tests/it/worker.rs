//! What the worker's engine reads and writes through the store: polls claimed once and
//! scheduled with backoff, leases relinquished, keys kept across a transient retry, due times
//! from windows, runtime settings and package snapshots.

use chrono::Duration;
use lpm_core::agent::{AgentHealth, InstalledPackage};
use lpm_core::job::{JobHostState, JobKind, Schedule};
use lpm_core::model::HostStatus;
use lpm_core::ports::{HealthRecord, PollKind, setting_keys};
use lpm_store::StoreError;

use crate::harness::{TestStore, actor, admin_scope, hosts, t0};
use crate::jobs::immediate;

async fn polls_are_claimed_once_and_scheduled_by_their_outcome(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 3, &[]).await;
    let hold = Duration::minutes(5);
    assert_eq!(
        s.next_poll_at(PollKind::Health).await.unwrap(),
        Some(chrono::DateTime::<chrono::Utc>::MIN_UTC),
        "never polled: due at once"
    );
    let claimed = s
        .claim_polls(PollKind::Health, t0(), hold, 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 3);
    assert!(claimed.iter().all(|h| h.status == HostStatus::Pending));
    assert!(
        s.claim_polls(PollKind::Health, t0(), hold, 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        s.next_poll_at(PollKind::Health).await.unwrap(),
        Some(t0() + hold)
    );
    // The patch poll is claimed on its own schedule.
    assert_eq!(
        s.claim_polls(PollKind::Patches, t0(), hold, 10)
            .await
            .unwrap()
            .len(),
        3
    );

    let healthy = HealthRecord {
        host: ids[0],
        at: t0(),
        status: HostStatus::Healthy,
        reason: None,
        consecutive_failures: 0,
        health: Some(AgentHealth {
            ok: true,
            version: "1.4.2".into(),
            uptime_s: 10,
            checks: vec![("disk".into(), "ok".into())],
        }),
        next_poll_at: t0() + Duration::minutes(5),
    };
    s.record_health(&healthy).await.unwrap();
    let failing = HealthRecord {
        host: ids[1],
        status: HostStatus::Unhealthy,
        reason: Some("connection refused; retry 1 of 3 in 60 s".into()),
        consecutive_failures: 1,
        health: None,
        next_poll_at: t0() + Duration::minutes(1),
        ..healthy.clone()
    };
    s.record_health(&failing).await.unwrap();
    let d0 = s.get_host_detail(&admin_scope(), ids[0]).await.unwrap();
    assert_eq!(d0.host.status, HostStatus::Healthy);
    assert_eq!(d0.last_health_at, Some(t0()));
    let d1 = s.get_host_detail(&admin_scope(), ids[1]).await.unwrap();
    assert_eq!(d1.host.status, HostStatus::Unhealthy);
    assert_eq!(d1.last_health_at, None, "never reached");
    let oks = s
        .testing_strings("SELECT CAST(ok AS TEXT) || ':' || COALESCE(error, '') FROM host_health_data ORDER BY id")
        .await
        .unwrap();
    assert_eq!(oks.len(), 2, "{oks:?}");
    assert!(oks[1].contains("connection refused"), "{oks:?}");

    // The failing host is due at its retry time; the third is still held.
    let due = s
        .claim_polls(PollKind::Health, t0() + Duration::minutes(1), hold, 10)
        .await
        .unwrap();
    assert_eq!(due.iter().map(|h| h.host).collect::<Vec<_>>(), vec![ids[1]]);
    assert_eq!(due[0].consecutive_failures, 1);
    // A refresh makes a host due now.
    s.poll_soon(ids[0], t0() + Duration::minutes(2))
        .await
        .unwrap();
    let due = s
        .claim_polls(PollKind::Health, t0() + Duration::minutes(2), hold, 10)
        .await
        .unwrap();
    assert_eq!(due.iter().map(|h| h.host).collect::<Vec<_>>(), vec![ids[0]]);
    s.schedule_poll(ids[2], PollKind::Patches, t0() + Duration::hours(1))
        .await
        .unwrap();
    let targets = s.dispatch_targets(&ids).await.unwrap();
    assert_eq!(targets.len(), 3);
}

async fn leases_are_relinquished_and_keys_kept_across_transient_retries(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 2, &[]).await;
    s.create_job(
        &admin_scope(),
        &immediate(JobKind::ApplyPatches, &ids),
        &actor(),
        t0(),
    )
    .await
    .unwrap();
    let now = t0() + Duration::seconds(1);
    let lease = Duration::minutes(1);
    let claimed = s.claim("w1", now, lease, 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    assert!(
        claimed
            .iter()
            .all(|w| w.schedule == Schedule::Immediate && w.parent.is_none())
    );
    let (sent, unsent) = (&claimed[0], &claimed[1]);
    s.record_dispatch(&sent.lease, "01KEY", now).await.unwrap();
    // A stopping worker lets go of both at once.
    s.relinquish(&sent.lease, now).await.unwrap();
    s.relinquish(&unsent.lease, now).await.unwrap();
    assert!(
        matches!(
            s.relinquish(&unsent.lease, now).await,
            Err(StoreError::StaleLease { .. })
        ),
        "an unsent row let go of is no longer held"
    );
    let again = s.claim("w2", now, lease, 10).await.unwrap();
    assert_eq!(again.len(), 2, "both claimable at once");
    let resumed = again
        .iter()
        .find(|w| w.lease.job_host == sent.lease.job_host)
        .unwrap();
    assert_eq!(resumed.state, JobHostState::Dispatched);
    assert_eq!(resumed.idempotency_key.as_deref(), Some("01KEY"));
    let fresh = again
        .iter()
        .find(|w| w.lease.job_host == unsent.lease.job_host)
        .unwrap();
    assert_eq!(fresh.state, JobHostState::Queued);
    assert_eq!(fresh.idempotency_key, None);
    // The old lease is fenced off.
    assert!(matches!(
        s.record_accepted(&sent.lease, "job-1", now).await,
        Err(StoreError::StaleLease { .. })
    ));

    // A transient failure of unknown outcome keeps the key for the next attempt.
    let retry_at = now + Duration::minutes(1);
    s.retry_later_keeping_key(&resumed.lease, retry_at, "timeout", now)
        .await
        .unwrap();
    assert!(s.claim("w2", now, lease, 10).await.unwrap().is_empty());
    assert_eq!(s.next_due_at().await.unwrap(), Some(fresh.lease.expires_at));
    let third = s.claim("w3", retry_at, lease, 10).await.unwrap();
    let third = third
        .iter()
        .find(|w| w.lease.job_host == sent.lease.job_host)
        .unwrap();
    assert_eq!(third.state, JobHostState::RetryWaiting);
    assert_eq!(third.idempotency_key.as_deref(), Some("01KEY"));
    assert_eq!(third.retries, 1);
    // A failed patch's retry starts over with a new key.
    s.record_dispatch(&third.lease, "01KEY", retry_at)
        .await
        .unwrap();
    s.retry_later(&third.lease, retry_at, "apt failed", true, retry_at)
        .await
        .unwrap();
    let fourth = s.claim("w3", retry_at, lease, 10).await.unwrap();
    assert_eq!(fourth.len(), 1);
    assert_eq!(fourth[0].idempotency_key, None);
    assert_eq!(fourth[0].patch_retries, 1);
}

async fn waiting_rows_get_due_times_from_the_scheduler(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 2, &[]).await;
    let mut new = immediate(JobKind::ApplyPatches, &ids);
    new.schedule = Schedule::NextWindow;
    for target in &mut new.targets {
        target.due_at = None;
    }
    s.create_job(&admin_scope(), &new, &actor(), t0())
        .await
        .unwrap();
    // An immediate job's rows are not the scheduler's.
    s.create_job(
        &admin_scope(),
        &immediate(JobKind::Reboot, &ids[0..1]),
        &actor(),
        t0(),
    )
    .await
    .unwrap();
    let waiting = s.awaiting_window(100).await.unwrap();
    assert_eq!(waiting.len(), 2);
    assert!(waiting.iter().all(|w| w.due_at.is_none()));
    let opens = t0() + Duration::hours(2);
    assert!(
        s.set_due(waiting[0].job_host, Some(opens), Some("waiting"), t0())
            .await
            .unwrap()
    );
    assert!(
        s.set_due(
            waiting[1].job_host,
            None,
            Some("no maintenance window"),
            t0()
        )
        .await
        .unwrap()
    );
    let waiting = s.awaiting_window(100).await.unwrap();
    assert_eq!(waiting[0].due_at, Some(opens));
    assert_eq!(
        waiting[1].waiting_reason.as_deref(),
        Some("no maintenance window")
    );
    // Only the reboot row is due now; the windowed row falls due at the opening.
    let claimed = s.claim("w", t0(), Duration::minutes(1), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].kind, JobKind::Reboot);
    s.relinquish(&claimed[0].lease, t0()).await.unwrap();
    let claimed = s.claim("w", opens, Duration::minutes(1), 10).await.unwrap();
    assert_eq!(claimed.len(), 2);
    let windowed = claimed
        .iter()
        .find(|w| w.kind == JobKind::ApplyPatches)
        .unwrap();
    assert_eq!(windowed.schedule, Schedule::NextWindow);
    // A leased row is not the scheduler's to change.
    assert!(
        !s.set_due(windowed.lease.job_host, None, None, opens)
            .await
            .unwrap()
    );
}

async fn runtime_settings_are_read_from_system_config(t: TestStore) {
    let s = &t.store;
    let none = s.runtime_settings().await.unwrap();
    assert_eq!(none, Default::default());
    let admin = admin_scope().require_admin().unwrap();
    s.config_set(
        &admin,
        setting_keys::HEALTH_INTERVAL_S,
        &120,
        &actor(),
        t0(),
    )
    .await
    .unwrap();
    s.config_set(&admin, setting_keys::PATCH_INTERVAL_S, &0.5, &actor(), t0())
        .await
        .unwrap();
    s.config_set(&admin, setting_keys::MAX_AGENTS, &16, &actor(), t0())
        .await
        .unwrap();
    let set = s.runtime_settings().await.unwrap();
    assert_eq!(set.health_interval, Some(Duration::seconds(120)));
    assert_eq!(set.patch_interval, Some(Duration::milliseconds(500)));
    assert_eq!(set.max_agents, Some(16));
    s.config_set(&admin, setting_keys::MAX_AGENTS, &"many", &actor(), t0())
        .await
        .unwrap();
    assert!(matches!(
        s.runtime_settings().await,
        Err(StoreError::Corrupt(_))
    ));
}

async fn package_snapshots_are_written_when_they_change_and_daily(t: TestStore) {
    let s = &t.store;
    let host = hosts(s, 1, &[]).await[0];
    let mut packages = vec![InstalledPackage {
        name: "openssl".into(),
        version: "3.0.13-1".into(),
        arch: "amd64".into(),
    }];
    assert!(
        s.record_packages_if_changed(host, &packages, t0())
            .await
            .unwrap()
    );
    let later = t0() + Duration::minutes(30);
    assert!(
        !s.record_packages_if_changed(host, &packages, later)
            .await
            .unwrap()
    );
    packages[0].version = "3.0.13-4".into();
    assert!(
        s.record_packages_if_changed(host, &packages, later)
            .await
            .unwrap()
    );
    let next_day = later + Duration::hours(25);
    assert!(
        s.record_packages_if_changed(host, &packages, next_day)
            .await
            .unwrap()
    );
    let (_, latest) = s
        .latest_packages(&admin_scope(), host)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(latest, packages);
}

crate::on_both_backends!(
    polls_are_claimed_once_and_scheduled_by_their_outcome,
    leases_are_relinquished_and_keys_kept_across_transient_retries,
    waiting_rows_get_due_times_from_the_scheduler,
    runtime_settings_are_read_from_system_config,
    package_snapshots_are_written_when_they_change_and_daily,
);
