//! The job queue: exactly-once claims under concurrency, lease expiry and fencing.

use std::collections::HashSet;

use chrono::Duration;
use lpm_core::job::{JobHostState, JobKind, JobState};
use lpm_store::jobs::{JobTarget, NewJob};
use lpm_store::{BackendKind, Store, StoreError};

use crate::harness::{TestStore, actor, admin_scope, bulk_hosts, hosts, t0};
use crate::jobs::{immediate, ok};

/// One job over every host, all due at `t0`.
async fn job_over_all_hosts(s: &Store, n: i64) -> lpm_core::ids::JobId {
    bulk_hosts(s, n).await;
    let ids: Vec<_> = (1..=n)
        .map(|i| lpm_core::ids::HostId::new(i).unwrap())
        .collect();
    s.create_job(
        &admin_scope(),
        &immediate(JobKind::ApplyPatches, &ids),
        &actor(),
        t0(),
    )
    .await
    .unwrap()
}

async fn claims_each_row_once(t: TestStore) {
    let rows = if t.kind() == BackendKind::Postgres {
        10_000
    } else {
        4_000
    };
    let job = job_over_all_hosts(&t.store, rows).await;
    let now = t0() + Duration::seconds(1);
    let workers = (0..4).map(|w| {
        let store = t.store.clone();
        tokio::spawn(async move {
            let owner = format!("worker-{w}");
            let mut mine = Vec::new();
            loop {
                let batch = store
                    .claim(&owner, now, Duration::minutes(5), 25)
                    .await
                    .unwrap();
                if batch.is_empty() {
                    break;
                }
                for work in batch {
                    assert_eq!(work.lease.attempt, 1);
                    store
                        .record_dispatch(&work.lease, &work.lease.job_host.to_string(), now)
                        .await
                        .unwrap();
                    store.complete(&work.lease, &ok(), now).await.unwrap();
                    mine.push(work.lease.job_host);
                }
            }
            mine
        })
    });
    let mut seen = HashSet::new();
    let mut total = 0;
    let mut per_worker = Vec::new();
    for w in workers {
        let mine = w.await.unwrap();
        per_worker.push(mine.len());
        total += mine.len();
        seen.extend(mine);
    }
    assert_eq!(
        total,
        usize::try_from(rows).unwrap(),
        "every row claimed: {per_worker:?}"
    );
    assert_eq!(seen.len(), total, "no row claimed twice");
    let detail = t.store.get_job(&admin_scope(), job).await.unwrap();
    assert_eq!(detail.job.state, JobState::Succeeded);
    assert!(
        detail
            .hosts
            .iter()
            .all(|h| h.state == JobHostState::Succeeded && h.attempt == 1)
    );
}

async fn an_expired_lease_is_reclaimed_and_the_old_holder_fenced_off(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 1, &[]).await;
    let job = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::ApplyPatches, &ids),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let lease_for = Duration::seconds(30);
    let first = s.claim("w1", t0(), lease_for, 10).await.unwrap().remove(0);
    s.record_dispatch(&first.lease, "key-1", t0())
        .await
        .unwrap();

    // While the lease holds, nobody else gets the row.
    assert!(
        s.claim("w2", t0() + Duration::seconds(29), lease_for, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // w1 dies; after expiry w2 resumes the row mid-flight, with the key w1 recorded.
    let later = t0() + Duration::seconds(31);
    let second = s.claim("w2", later, lease_for, 10).await.unwrap().remove(0);
    assert_eq!(second.lease.job_host, first.lease.job_host);
    assert_eq!(second.lease.attempt, 2);
    assert_eq!(second.state, JobHostState::Dispatched);
    assert_eq!(second.idempotency_key.as_deref(), Some("key-1"));

    // The old holder's writes are refused.
    for stale in [
        s.record_accepted(&first.lease, "agent-x", later).await,
        s.complete(&first.lease, &ok(), later).await,
        s.renew_lease(&first.lease, later, lease_for)
            .await
            .map(|_| ()),
    ] {
        assert!(
            matches!(stale, Err(StoreError::StaleLease { .. })),
            "{stale:?}"
        );
    }

    let renewed = s
        .renew_lease(&second.lease, later, lease_for)
        .await
        .unwrap();
    assert_eq!(renewed.expires_at, later + lease_for);
    s.record_accepted(&renewed, "agent-1", later).await.unwrap();
    s.complete(&renewed, &ok(), later).await.unwrap();
    let detail = s.get_job(&admin_scope(), job).await.unwrap();
    assert_eq!(detail.job.state, JobState::Succeeded);
    assert_eq!(detail.hosts[0].agent_job_id.as_deref(), Some("agent-1"));
    assert!(
        matches!(
            s.complete(&renewed, &ok(), later).await,
            Err(StoreError::StaleLease { .. })
        ),
        "a finished row releases its lease"
    );
}

async fn illegal_transitions_are_refused(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 1, &[]).await;
    s.create_job(
        &admin_scope(),
        &immediate(JobKind::ApplyPatches, &ids),
        &actor(),
        t0(),
    )
    .await
    .unwrap();
    let work = s
        .claim("w1", t0(), Duration::minutes(1), 1)
        .await
        .unwrap()
        .remove(0);
    let early = s.record_accepted(&work.lease, "agent-1", t0()).await;
    assert!(
        matches!(early, Err(StoreError::IllegalTransition(_))),
        "queued cannot jump to running: {early:?}"
    );
    let done = s.complete(&work.lease, &ok(), t0()).await;
    assert!(
        matches!(done, Err(StoreError::IllegalTransition(_))),
        "queued cannot succeed: {done:?}"
    );
    let row = s
        .testing_strings("SELECT state FROM patch_job_hosts")
        .await
        .unwrap();
    assert_eq!(row, ["queued"], "refused changes wrote nothing");
    assert!(s.record_dispatch(&work.lease, "", t0()).await.is_err());
}

async fn rows_wait_until_due(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 2, &[]).await;
    let job = NewJob {
        kind: JobKind::ApplyPatches,
        schedule: lpm_core::job::Schedule::NextWindow,
        options: Default::default(),
        parent: None,
        targets: vec![
            JobTarget {
                host: ids[0],
                due_at: Some(t0() + Duration::hours(2)),
                waiting_reason: None,
            },
            JobTarget {
                host: ids[1],
                due_at: None,
                waiting_reason: Some("no maintenance window".into()),
            },
        ],
    };
    s.create_job(&admin_scope(), &job, &actor(), t0())
        .await
        .unwrap();
    assert!(
        s.claim("w", t0() + Duration::minutes(119), Duration::minutes(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let due = s
        .claim("w", t0() + Duration::hours(2), Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].host, ids[0]);
    // Window closed before dispatch: the row goes back to waiting for the next opening.
    s.release(
        &due[0].lease,
        Some(t0() + Duration::days(7)),
        "window closed",
        t0() + Duration::hours(2),
    )
    .await
    .unwrap();
    assert!(
        s.claim("w", t0() + Duration::days(6), Duration::minutes(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    let next = s
        .claim("w", t0() + Duration::days(7), Duration::minutes(1), 10)
        .await
        .unwrap();
    assert_eq!((next.len(), next[0].lease.attempt), (1, 2));
}

async fn retries_wait_and_count(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 1, &[]).await;
    s.create_job(
        &admin_scope(),
        &immediate(JobKind::ApplyPatches, &ids),
        &actor(),
        t0(),
    )
    .await
    .unwrap();
    let w = s
        .claim("w", t0(), Duration::minutes(1), 1)
        .await
        .unwrap()
        .remove(0);
    s.record_dispatch(&w.lease, "k1", t0()).await.unwrap();
    s.retry_later(
        &w.lease,
        t0() + Duration::minutes(1),
        "connection refused",
        false,
        t0(),
    )
    .await
    .unwrap();
    assert!(
        s.claim("w", t0() + Duration::seconds(59), Duration::minutes(1), 1)
            .await
            .unwrap()
            .is_empty()
    );
    let again = s
        .claim("w", t0() + Duration::minutes(1), Duration::minutes(1), 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!(
        (again.state, again.retries, again.patch_retries),
        (JobHostState::RetryWaiting, 1, 0)
    );
    assert_eq!(
        again.idempotency_key, None,
        "a retry is a new agent call with a new key"
    );
    s.record_dispatch(&again.lease, "k2", t0()).await.unwrap();
    s.record_accepted(&again.lease, "a2", t0()).await.unwrap();
    s.retry_later(
        &again.lease,
        t0() + Duration::minutes(2),
        "patch failed",
        true,
        t0(),
    )
    .await
    .unwrap();
    let third = s
        .claim("w", t0() + Duration::minutes(2), Duration::minutes(1), 1)
        .await
        .unwrap()
        .remove(0);
    assert_eq!((third.retries, third.patch_retries), (1, 1));
}

async fn a_batch_dispatch_fences_each_row_on_its_own(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 3, &[]).await;
    s.create_job(
        &admin_scope(),
        &immediate(JobKind::ApplyPatches, &ids),
        &actor(),
        t0(),
    )
    .await
    .unwrap();
    let claimed = s.claim("w1", t0(), Duration::seconds(30), 3).await.unwrap();
    let mut stolen = claimed[1].lease.clone();
    stolen.attempt += 7;
    let batch = vec![
        (claimed[0].lease.clone(), "k0".to_owned()),
        (stolen, "k1".to_owned()),
        (claimed[2].lease.clone(), "k2".to_owned()),
    ];
    let results = s.record_dispatches(&batch, t0()).await.unwrap();
    assert!(results[0].is_ok() && results[2].is_ok(), "{results:?}");
    assert!(
        matches!(results[1], Err(StoreError::StaleLease { .. })),
        "{results:?}"
    );
    let again = s.record_dispatches(&batch[..1], t0()).await.unwrap();
    assert!(
        matches!(again[0], Err(StoreError::IllegalTransition(_))),
        "dispatched twice: {again:?}"
    );
    let states = s
        .testing_strings("SELECT state FROM patch_job_hosts ORDER BY id")
        .await
        .unwrap();
    assert_eq!(states, ["dispatched", "queued", "dispatched"]);
    assert!(
        s.record_dispatches(&[(claimed[1].lease.clone(), String::new())], t0())
            .await
            .is_err()
    );
}

async fn an_unsettled_finished_job_is_repaired(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 2, &[]).await;
    let job = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::Reboot, &ids),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    // A worker finished every row, then died before settling the job.
    s.testing_execute("UPDATE patch_job_hosts SET state = 'succeeded'")
        .await
        .unwrap();
    assert_eq!(
        s.get_job(&admin_scope(), job).await.unwrap().job.state,
        JobState::Queued
    );
    assert_eq!(s.settle_finished_jobs(t0()).await.unwrap(), 1);
    assert_eq!(
        s.get_job(&admin_scope(), job).await.unwrap().job.state,
        JobState::Succeeded
    );
    assert_eq!(
        s.settle_finished_jobs(t0()).await.unwrap(),
        0,
        "nothing left to repair"
    );
}

crate::on_both_backends!(
    a_batch_dispatch_fences_each_row_on_its_own,
    an_unsettled_finished_job_is_repaired,
    claims_each_row_once,
    an_expired_lease_is_reclaimed_and_the_old_holder_fenced_off,
    illegal_transitions_are_refused,
    rows_wait_until_due,
    retries_wait_and_count,
);
