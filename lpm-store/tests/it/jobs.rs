//! Jobs: creation in scope, cancellation of unsent rows only, settling from host outcomes.

use chrono::Duration;
use lpm_core::agent::{ChangeAction, PackageChange};
use lpm_core::ids::JobId;
use lpm_core::job::{JobHostState, JobKind, JobOptions, JobState, Schedule};
use lpm_core::ports::HostOutcome;
use lpm_store::jobs::{JobQuery, JobTarget, NewJob};
use lpm_store::{PageRequest, Store, StoreError};

use crate::harness::{TestStore, actor, admin_scope, group, hosts, operator, t0, user_actor};

pub fn immediate(kind: JobKind, hosts: &[lpm_core::ids::HostId]) -> NewJob {
    NewJob {
        kind,
        schedule: Schedule::Immediate,
        options: JobOptions::default(),
        parent: None,
        targets: hosts
            .iter()
            .map(|h| JobTarget {
                host: *h,
                due_at: Some(t0()),
                waiting_reason: None,
            })
            .collect(),
    }
}

pub fn ok() -> HostOutcome {
    HostOutcome::Succeeded {
        changes: vec![PackageChange {
            package: "openssl".into(),
            from: Some("3.0.13-1".into()),
            to: Some("3.0.13-4".into()),
            action: ChangeAction::Upgrade,
        }],
        reboot_required: false,
        log_tail: vec!["Setting up openssl".into()],
    }
}

pub fn failed() -> HostOutcome {
    HostOutcome::Failed {
        error: "dpkg returned 1".into(),
        changes: vec![],
        log_tail: vec![],
    }
}

/// Claims every due row, dispatches it and completes it with `outcome(index)`.
pub async fn run_all(store: &Store, outcome: impl Fn(usize) -> HostOutcome) {
    let now = t0() + Duration::seconds(1);
    let work = store
        .claim("w1", now, Duration::minutes(5), 100)
        .await
        .unwrap();
    for (i, w) in work.iter().enumerate() {
        store
            .record_dispatch(&w.lease, &format!("key-{}", w.lease.job_host), now)
            .await
            .unwrap();
        store
            .record_accepted(&w.lease, &format!("agent-{i}"), now)
            .await
            .unwrap();
        store.complete(&w.lease, &outcome(i), now).await.unwrap();
    }
}

async fn jobs_settle_from_their_hosts(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 3, &[]).await;
    let all_ok = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::ApplyPatches, &ids),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    run_all(s, |_| ok()).await;
    let detail = s.get_job(&admin_scope(), all_ok).await.unwrap();
    assert_eq!(detail.job.state, JobState::Succeeded);
    assert!(detail.job.finished_at.is_some());
    assert!(
        detail
            .hosts
            .iter()
            .all(|h| h.state == JobHostState::Succeeded && h.progress == 100)
    );
    assert_eq!(detail.hosts[0].changes.len(), 1);

    let mixed = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::ApplyPatches, &ids),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    run_all(s, |i| if i == 0 { failed() } else { ok() }).await;
    let detail = s.get_job(&admin_scope(), mixed).await.unwrap();
    assert_eq!(detail.job.state, JobState::PartiallyFailed);
    assert_eq!(
        detail
            .hosts
            .iter()
            .filter(|h| h.state == JobHostState::Failed)
            .count(),
        1
    );
    assert_eq!(detail.hosts[0].error.as_deref(), Some("dpkg returned 1"));

    let none = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::Reboot, &ids),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    run_all(s, |_| failed()).await;
    assert_eq!(
        s.get_job(&admin_scope(), none).await.unwrap().job.state,
        JobState::Failed
    );

    let history = s
        .testing_strings("SELECT state FROM job_history ORDER BY job_id")
        .await
        .unwrap();
    assert_eq!(history, ["succeeded", "partially_failed", "failed"]);
    let changes = s
        .testing_strings("SELECT package FROM package_change_history")
        .await
        .unwrap();
    assert_eq!(
        changes.len(),
        5,
        "three from the first job, two from the second"
    );
}

async fn cancel_stops_rows_not_yet_sent(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 3, &[]).await;
    let job = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::ApplyPatches, &ids),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let now = t0() + Duration::seconds(1);
    let claimed = s.claim("w1", now, Duration::minutes(5), 1).await.unwrap();
    s.record_dispatch(&claimed[0].lease, "k1", now)
        .await
        .unwrap();

    let cancelled = s
        .cancel_job(&admin_scope(), job, &actor(), now)
        .await
        .unwrap();
    assert_eq!(cancelled, 2, "the row already sent to its agent runs on");
    let detail = s.get_job(&admin_scope(), job).await.unwrap();
    assert_eq!(detail.job.state, JobState::Cancelled);
    assert_eq!(
        detail
            .hosts
            .iter()
            .filter(|h| h.state == JobHostState::Dispatched)
            .count(),
        1
    );
    assert!(
        s.claim("w2", now, Duration::minutes(5), 10)
            .await
            .unwrap()
            .is_empty(),
        "cancelled rows are not claimable"
    );

    s.record_accepted(&claimed[0].lease, "a1", now)
        .await
        .unwrap();
    s.complete(&claimed[0].lease, &ok(), now).await.unwrap();
    let detail = s.get_job(&admin_scope(), job).await.unwrap();
    assert_eq!(detail.job.state, JobState::Cancelled);
    assert!(detail.job.finished_at.is_some());
    assert!(matches!(
        s.cancel_job(&admin_scope(), job, &actor(), now).await,
        Err(StoreError::IllegalTransition(_))
    ));
}

async fn jobs_respect_scope(t: TestStore) {
    let s = &t.store;
    let (a, b) = (group(s, "a").await, group(s, "b").await);
    let mine = hosts(s, 1, &[a]).await[0];
    let theirs = s
        .create_host(
            &admin_scope(),
            &crate::harness::ip_host(50),
            &[b],
            &actor(),
            t0(),
        )
        .await
        .unwrap()
        .id;
    let (user, scope) = operator(s, "op", &[a]).await;
    let who = user_actor(&user);

    let jobs_before = s
        .list_jobs(&admin_scope(), &JobQuery::default(), PageRequest::default())
        .await
        .unwrap()
        .total;
    let refused = s
        .create_job(
            &scope,
            &immediate(JobKind::ApplyPatches, &[mine, theirs]),
            &who,
            t0(),
        )
        .await;
    assert!(matches!(
        refused,
        Err(StoreError::NotFound { what: "host" })
    ));
    let jobs_after = s
        .list_jobs(&admin_scope(), &JobQuery::default(), PageRequest::default())
        .await
        .unwrap()
        .total;
    assert_eq!(jobs_before, jobs_after, "nothing written");

    let own = s
        .create_job(
            &scope,
            &immediate(JobKind::ApplyPatches, &[mine]),
            &who,
            t0(),
        )
        .await
        .unwrap();
    let foreign = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::Reboot, &[theirs]),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let mixed = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::Reboot, &[mine, theirs]),
            &actor(),
            t0(),
        )
        .await
        .unwrap();

    let listed = s
        .list_jobs(&scope, &JobQuery::default(), PageRequest::default())
        .await
        .unwrap();
    let listed: Vec<JobId> = listed.items.iter().map(|j| j.id).collect();
    assert_eq!(listed, vec![mixed, own]);
    assert!(matches!(
        s.get_job(&scope, foreign).await,
        Err(StoreError::NotFound { what: "job" })
    ));
    let partial = s.get_job(&scope, mixed).await.unwrap();
    assert_eq!(
        partial.hosts.len(),
        1,
        "only the operator's host row is shown"
    );
    assert!(matches!(
        s.cancel_job(&scope, mixed, &who, t0()).await,
        Err(StoreError::OutOfScope { .. })
    ));
    assert_eq!(s.cancel_job(&scope, own, &who, t0()).await.unwrap(), 1);

    let by_kind = JobQuery {
        kind: Some(JobKind::Reboot),
        ..Default::default()
    };
    assert_eq!(
        s.list_jobs(&admin_scope(), &by_kind, PageRequest::default())
            .await
            .unwrap()
            .total,
        2
    );
}

async fn invalid_jobs_write_nothing(t: TestStore) {
    let s = &t.store;
    let ids = hosts(s, 1, &[]).await;
    let empty = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::Install, &[]),
            &actor(),
            t0(),
        )
        .await;
    assert!(matches!(empty, Err(StoreError::Invalid { .. })));
    let twice = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::Install, &[ids[0], ids[0]]),
            &actor(),
            t0(),
        )
        .await;
    assert!(matches!(twice, Err(StoreError::Invalid { .. })));
    let orphan_rollback = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::Rollback, &ids),
            &actor(),
            t0(),
        )
        .await;
    assert!(matches!(orphan_rollback, Err(StoreError::Invalid { .. })));
    let mut bad_parent = immediate(JobKind::Rollback, &ids);
    bad_parent.parent = Some(JobId::new(404).unwrap());
    let missing = s
        .create_job(&admin_scope(), &bad_parent, &actor(), t0())
        .await;
    assert!(
        matches!(missing, Err(StoreError::NotFound { what: "parent job" })),
        "{missing:?}"
    );
    assert_eq!(
        s.list_jobs(&admin_scope(), &JobQuery::default(), PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
    assert_eq!(
        s.verify_audit().await.unwrap().rows_checked,
        1,
        "only the host creation"
    );
}

async fn host_jobs_are_listed_newest_first_in_scope(t: TestStore) {
    let s = &t.store;
    let (a, b) = (group(s, "a").await, group(s, "b").await);
    let ids = hosts(s, 2, &[a]).await;
    let other = s
        .create_host(
            &admin_scope(),
            &crate::harness::ip_host(9),
            &[b],
            &actor(),
            t0(),
        )
        .await
        .unwrap()
        .id;
    let (_, scope) = operator(s, "op", &[a]).await;
    let first = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::Refresh, &[ids[0]]),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let second = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::ApplyPatches, &ids),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    s.create_job(
        &admin_scope(),
        &immediate(JobKind::Reboot, &[ids[1]]),
        &actor(),
        t0(),
    )
    .await
    .unwrap();

    let page = s
        .list_host_jobs(&scope, ids[0], PageRequest::default())
        .await
        .unwrap();
    let seen: Vec<(JobId, JobKind, lpm_core::ids::HostId)> = page
        .items
        .iter()
        .map(|j| (j.job.id, j.job.kind, j.row.host))
        .collect();
    assert_eq!(
        (page.total, seen),
        (
            2,
            vec![
                (second, JobKind::ApplyPatches, ids[0]),
                (first, JobKind::Refresh, ids[0])
            ]
        )
    );
    assert_eq!(page.items[0].job.host_count, 2);
    let second_page = s
        .list_host_jobs(&scope, ids[0], PageRequest::new(2, 1).unwrap())
        .await
        .unwrap();
    assert_eq!(second_page.items[0].job.id, first);
    assert!(matches!(
        s.list_host_jobs(&scope, other, PageRequest::default())
            .await,
        Err(StoreError::NotFound { what: "host" })
    ));
    assert_eq!(
        s.list_host_jobs(&admin_scope(), other, PageRequest::default())
            .await
            .unwrap()
            .total,
        0
    );
}

crate::on_both_backends!(
    host_jobs_are_listed_newest_first_in_scope,
    jobs_settle_from_their_hosts,
    cancel_stops_rows_not_yet_sent,
    jobs_respect_scope,
    invalid_jobs_write_nothing,
);
