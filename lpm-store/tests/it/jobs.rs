//! Jobs: creation in scope, cancellation of unsent rows only, settling from host outcomes.

use chrono::Duration;
use lpm_core::agent::{ChangeAction, PackageChange};
use lpm_core::ids::JobId;
use lpm_core::job::{JobHostState, JobKind, JobOptions, JobState, Schedule};
use lpm_core::ports::HostOutcome;
use lpm_store::jobs::{ActiveJobs, JobQuery, JobSort, JobTarget, NewJob, RollbackPlan};
use lpm_store::retention::RetentionPolicy;
use lpm_store::{Direction, PageRequest, Store, StoreError};

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

/// `(job_host_id is some, state, message)` of each event, oldest first.
async fn event_log(
    s: &Store,
    scope: &lpm_core::rbac::Scope,
    job: JobId,
) -> Vec<(Option<i64>, String, Option<String>)> {
    s.list_job_events(scope, job, false, PageRequest::new(1, 500).unwrap())
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| (e.host_id, e.state, e.message))
        .collect()
}

async fn the_event_log_keeps_what_goes_off_the_plain_path(t: TestStore) {
    let s = &t.store;
    let (a, b) = (group(s, "a").await, group(s, "b").await);
    let in_a = hosts(s, 2, &[a]).await;
    let (host_a, host_c) = (in_a[0], in_a[1]);
    let host_b = s
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
    let job = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::ApplyPatches, &[host_a, host_b, host_c]),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let now = t0() + Duration::seconds(1);
    let work = s.claim("w1", now, Duration::minutes(5), 10).await.unwrap();
    let lease = |host| {
        work.iter()
            .find(|w| w.host == host)
            .map(|w| w.lease.clone())
            .unwrap()
    };
    // A takes the plain path; C is given back to wait for a window; B fails once, to retry.
    let lease_a = lease(host_a);
    s.record_dispatch(&lease_a, "ka", now).await.unwrap();
    s.record_progress(&lease_a, 50, &["half way".into()], now)
        .await
        .unwrap();
    s.record_accepted(&lease_a, "agent-a", now).await.unwrap();
    s.complete(&lease_a, &ok(), now).await.unwrap();
    s.release(&lease(host_c), None, "the maintenance window closed", now)
        .await
        .unwrap();
    let lease_b = lease(host_b);
    s.record_dispatch(&lease_b, "kb", now).await.unwrap();
    s.retry_later(
        &lease_b,
        now + Duration::minutes(1),
        "connection refused",
        false,
        now,
    )
    .await
    .unwrap();
    s.cancel_job(&admin_scope(), job, &actor(), now)
        .await
        .unwrap();

    let (ha, hb, hc) = (Some(host_a.get()), Some(host_b.get()), Some(host_c.get()));
    let log = event_log(s, &admin_scope(), job).await;
    let mut states: Vec<(Option<i64>, &str)> =
        log.iter().map(|(h, st, _)| (*h, st.as_str())).collect();
    // The two rows cancelled by one statement log in the order the database updated them.
    states[4..6].sort();
    let mut cancelled = [(hb, "cancelled"), (hc, "cancelled")];
    cancelled.sort();
    assert_eq!(
        states,
        vec![
            (None, "queued"),
            (None, "running"),
            (hc, "queued"),
            (hb, "retry_waiting"),
            cancelled[0],
            cancelled[1],
            (None, "cancelled"),
            (None, "cancelled"),
        ],
    );
    assert!(
        !states.iter().any(|(h, _)| *h == ha),
        "the plain path logs nothing"
    );
    assert_eq!(log[0].2.as_deref(), Some("created by system for 3 host(s)"));
    assert_eq!(log[2].2.as_deref(), Some("the maintenance window closed"));
    assert_eq!(log[3].2.as_deref(), Some("connection refused"));
    assert_eq!(
        log[6].2.as_deref(),
        Some(
            "cancel requested by system: 2 waiting row(s) stopped, 0 row(s) already sent run to their end"
        )
    );
    assert_eq!(log[7].2, None, "the job settled");

    // An operator of group a sees the job's own events and C's, never B's.
    let (_, scope_a) = operator(s, "op-a", &[a]).await;
    let theirs = event_log(s, &scope_a, job).await;
    assert_eq!(theirs.len(), 6);
    assert!(theirs.iter().all(|(h, _, _)| *h != hb));
    let (_, scope_none) = operator(s, "op-none", &[]).await;
    assert!(matches!(
        s.list_job_events(&scope_none, job, false, PageRequest::default())
            .await,
        Err(StoreError::NotFound { what: "job" })
    ));

    let newest = s
        .list_job_events(&admin_scope(), job, true, PageRequest::new(2, 3).unwrap())
        .await
        .unwrap();
    assert_eq!(newest.total, 8);
    let states: Vec<&str> = newest.items.iter().map(|e| e.state.as_str()).collect();
    assert_eq!(states, ["cancelled", "retry_waiting", "queued"]);

    // A deleted host's rows take their events out of view; retention deletes the rest with
    // the job.
    s.delete_host(&admin_scope(), host_b, &actor(), now)
        .await
        .unwrap();
    assert_eq!(event_log(s, &admin_scope(), job).await.len(), 6);
    let pruned = s
        .prune(&RetentionPolicy::default(), now + Duration::days(31))
        .await
        .unwrap();
    assert_eq!((pruned.jobs, pruned.job_events), (1, 8));
    assert_eq!(
        s.testing_strings("SELECT CAST(COUNT(*) AS TEXT) FROM job_events")
            .await
            .unwrap(),
        ["0"]
    );
}

async fn job_list_filters_and_sorts(t: TestStore) {
    let s = &t.store;
    let g = group(s, "g").await;
    let ids = hosts(s, 2, &[g]).await;
    let (user, their_scope) = operator(s, "op", &[g]).await;
    let theirs = crate::harness::user_actor(&user);
    let hour = Duration::hours(1);
    let first = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::Reboot, &ids[..1]),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    let second = s
        .create_job(
            &their_scope,
            &immediate(JobKind::ApplyPatches, &ids),
            &theirs,
            t0() + hour,
        )
        .await
        .unwrap();
    let third = s
        .create_job(
            &their_scope,
            &immediate(JobKind::ApplyPatches, &ids[1..]),
            &theirs,
            t0() + hour * 2,
        )
        .await
        .unwrap();
    s.cancel_job(&admin_scope(), third, &actor(), t0() + hour * 2)
        .await
        .unwrap();

    let list = |query: JobQuery| async move {
        s.list_jobs(&admin_scope(), &query, PageRequest::default())
            .await
            .unwrap()
            .items
            .iter()
            .map(|j| j.id)
            .collect::<Vec<_>>()
    };
    assert_eq!(list(JobQuery::default()).await, vec![third, second, first]);
    let on_first_host = JobQuery {
        host: Some(ids[0]),
        ..Default::default()
    };
    assert_eq!(list(on_first_host).await, vec![second, first]);
    let by_operator = JobQuery {
        created_by: Some(user.id),
        ..Default::default()
    };
    assert_eq!(list(by_operator).await, vec![third, second]);
    let window = JobQuery {
        since: Some(t0() + hour),
        until: Some(t0() + hour * 2),
        ..Default::default()
    };
    assert_eq!(list(window).await, vec![second]);
    let oldest_first = JobQuery {
        sort: Some((JobSort::Created, Direction::Ascending)),
        ..Default::default()
    };
    assert_eq!(list(oldest_first).await, vec![first, second, third]);
    let by_state = JobQuery {
        sort: Some((JobSort::State, Direction::Ascending)),
        ..Default::default()
    };
    assert_eq!(
        list(by_state).await,
        vec![third, second, first],
        "cancelled < queued; ties newest first"
    );

    let detail = s.get_job(&admin_scope(), second).await.unwrap();
    assert_eq!(detail.job.created_by_name.as_deref(), Some("op"));
    assert_eq!(
        detail.hosts[0].host_name.as_deref(),
        Some("10.0.0.1"),
        "the detail names each row's host"
    );
    assert_eq!(
        s.active_jobs(&admin_scope()).await.unwrap(),
        ActiveJobs {
            queued: 2,
            running: 0
        }
    );
    let (_, outsider) = operator(s, "outsider", &[]).await;
    assert_eq!(
        s.active_jobs(&outsider).await.unwrap(),
        ActiveJobs::default()
    );
}

fn unchanged() -> HostOutcome {
    HostOutcome::Succeeded {
        changes: vec![],
        reboot_required: false,
        log_tail: vec![],
    }
}

async fn rollback_covers_the_hosts_that_changed(t: TestStore) {
    let s = &t.store;
    let (a, b) = (group(s, "a").await, group(s, "b").await);
    let mut ids = hosts(s, 2, &[a]).await;
    ids.push(
        s.create_host(
            &admin_scope(),
            &crate::harness::ip_host(50),
            &[b],
            &actor(),
            t0(),
        )
        .await
        .unwrap()
        .id,
    );
    let job = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::ApplyPatches, &ids),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    assert_eq!(
        s.plan_rollback(&admin_scope(), job).await.unwrap(),
        RollbackPlan::NotFinished(JobState::Queued)
    );
    // Rows are claimed in id order: the first changes packages, the second fails, the
    // third (group b) changes packages.
    run_all(s, |i| if i == 1 { failed() } else { ok() }).await;
    assert_eq!(
        s.plan_rollback(&admin_scope(), job).await.unwrap(),
        RollbackPlan::Hosts(vec![ids[0], ids[2]])
    );
    let (_, scope_a) = operator(s, "op-a", &[a]).await;
    assert!(matches!(
        s.plan_rollback(&scope_a, job).await,
        Err(StoreError::OutOfScope { .. })
    ));
    let (_, scope_none) = operator(s, "op-none", &[]).await;
    assert!(matches!(
        s.plan_rollback(&scope_none, job).await,
        Err(StoreError::NotFound { what: "job" })
    ));

    let quiet = s
        .create_job(
            &admin_scope(),
            &immediate(JobKind::Reboot, &ids[..1]),
            &actor(),
            t0(),
        )
        .await
        .unwrap();
    run_all(s, |_| unchanged()).await;
    assert_eq!(
        s.plan_rollback(&admin_scope(), quiet).await.unwrap(),
        RollbackPlan::NothingChanged
    );
}

crate::on_both_backends!(
    host_jobs_are_listed_newest_first_in_scope,
    jobs_settle_from_their_hosts,
    cancel_stops_rows_not_yet_sent,
    jobs_respect_scope,
    invalid_jobs_write_nothing,
    the_event_log_keeps_what_goes_off_the_plain_path,
    job_list_filters_and_sorts,
    rollback_covers_the_hosts_that_changed,
);
