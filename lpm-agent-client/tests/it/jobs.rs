//! Job semantics through the client: idempotency keys, one job at a time, rollback to the
//! exact versions, half-failed jobs, and reboots.

use std::collections::BTreeMap;
use std::time::Duration;

use lpm_agent_client::sim::{Faults, SimAgent, SimTiming};
use lpm_agent_client::wire::{
    ApplyRequest, InstallRequest, JobKind, Package, PackageRequest, RebootRequest,
};
use lpm_agent_client::{ClientError, IdempotencyKey};
use lpm_core::agent::{AgentErrorClass, AgentJobState, ChangeAction};
use lpm_core::job::RebootPolicy;

use crate::support::{TestCa, fresh_ip, wait_job};

fn key(k: &str) -> IdempotencyKey {
    IdempotencyKey::new(k).unwrap()
}

fn apply_all() -> ApplyRequest {
    ApplyRequest {
        packages: None,
        security_only: false,
        dry_run: false,
        reboot: RebootPolicy::Never,
    }
}

fn versions(list: &[Package]) -> BTreeMap<String, String> {
    list.iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect()
}

#[tokio::test]
async fn the_same_key_gives_the_same_job_and_applies_once() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client();
    let address = agent.host_address();
    let k = key("01JDX3Q7ZK8M9N0P1Q2R3S4T5V");

    let first = client
        .apply_patches(&address, &apply_all(), &k)
        .await
        .unwrap();
    // A worker that died mid-call re-sends: while running, and again after it finished.
    let second = client
        .apply_patches(&address, &apply_all(), &k)
        .await
        .unwrap();
    assert_eq!(first, second);
    let done = wait_job(&client, &address, &first.job_id).await;
    let third = client
        .apply_patches(&address, &apply_all(), &k)
        .await
        .unwrap();
    assert_eq!(first, third);
    assert_eq!(agent.applied_count(k.as_str()), 1);
    assert_eq!(agent.jobs().len(), 1);
    assert_eq!(done.state, AgentJobState::Succeeded);

    // The same key for another request is refused, and nothing runs.
    let other = InstallRequest {
        packages: vec![PackageRequest {
            name: "htop".into(),
            version: None,
        }],
    };
    let err = client.install(&address, &other, &k).await.unwrap_err();
    assert_eq!(
        (err.status(), err.code()),
        (Some(422), "idempotency_key_reused")
    );
    assert_eq!(err.class(), AgentErrorClass::Permanent);
    assert_eq!(agent.applied_count(k.as_str()), 1);
    assert_eq!(agent.jobs().len(), 1);
    let found = client.job_by_key(&address, &k).await.unwrap().unwrap();
    assert_eq!(found.id, first.job_id);
}

#[tokio::test]
async fn a_second_job_while_one_runs_is_busy() {
    let ca = TestCa::new();
    let mut config = ca.agent_config(fresh_ip());
    config.timing = SimTiming {
        per_package: Duration::from_millis(100),
        ..SimTiming::fast()
    };
    let agent = SimAgent::start(config).await.unwrap();
    let client = ca.client();
    let address = agent.host_address();

    let running = client
        .apply_patches(&address, &apply_all(), &key("long"))
        .await
        .unwrap();
    let install = InstallRequest {
        packages: vec![PackageRequest {
            name: "jq".into(),
            version: None,
        }],
    };
    let busy = client
        .install(&address, &install, &key("meanwhile"))
        .await
        .unwrap_err();
    assert_eq!((busy.status(), busy.code()), (Some(409), "busy"));
    assert_eq!(busy.class(), AgentErrorClass::Busy);
    assert!(busy.is_retryable());
    // The busy answer recorded nothing: the same key works once the host is free.
    assert_eq!(agent.applied_count("meanwhile"), 0);
    let health = client.health(&address).await.unwrap();
    assert_eq!(health.checks["package_manager"], "busy");
    wait_job(&client, &address, &running.job_id).await;
    let later = client
        .install(&address, &install, &key("meanwhile"))
        .await
        .unwrap();
    let done = wait_job(&client, &address, &later.job_id).await;
    assert_eq!(done.state, AgentJobState::Succeeded);
    assert_eq!(agent.applied_count("meanwhile"), 1);
}

#[tokio::test]
async fn rollback_restores_the_exact_versions() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client();
    let address = agent.host_address();
    let before = versions(&client.packages(&address, None).await.unwrap().packages);

    let applied = client
        .apply_patches(&address, &apply_all(), &key("apply"))
        .await
        .unwrap();
    let applied = wait_job(&client, &address, &applied.job_id).await;
    assert!(!applied.changes.is_empty());
    assert_ne!(
        versions(&client.packages(&address, None).await.unwrap().packages),
        before
    );

    let rollback = client
        .rollback(&address, &applied.id, &key("undo"))
        .await
        .unwrap();
    let undone = wait_job(&client, &address, &rollback.job_id).await;
    assert_eq!(undone.kind, JobKind::Rollback);
    assert_eq!(undone.state, AgentJobState::Succeeded);
    assert_eq!(undone.rollback_of.as_deref(), Some(applied.id.as_str()));
    assert_eq!(undone.changes.len(), applied.changes.len());
    assert!(
        undone
            .changes
            .iter()
            .all(|c| c.action == ChangeAction::Downgrade)
    );
    assert_eq!(
        versions(&client.packages(&address, None).await.unwrap().packages),
        before
    );
    let original = client.job(&address, &applied.id).await.unwrap();
    assert_eq!(original.state, AgentJobState::RolledBack);

    for (job, k) in [(&applied.id, "undo-twice"), (&undone.id, "undo-the-undo")] {
        let err = client.rollback(&address, job, &key(k)).await.unwrap_err();
        assert_eq!((err.status(), err.code()), (Some(409), "not_rollbackable"));
        assert_eq!(err.class(), AgentErrorClass::Permanent);
    }
    let missing = client
        .rollback(&address, "no-such-job", &key("undo-missing"))
        .await
        .unwrap_err();
    assert_eq!(missing.status(), Some(404));
}

#[tokio::test]
async fn a_job_that_fails_half_way_reports_partial_changes() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client();
    let address = agent.host_address();
    let before_patches = client.patches(&address).await.unwrap().patches;
    assert!(before_patches.len() >= 2, "{before_patches:?}");
    let before = versions(&agent.installed());
    agent
        .set_faults(Faults {
            fail_jobs_halfway: true,
            ..Faults::default()
        })
        .unwrap();

    let job = client
        .apply_patches(&address, &apply_all(), &key("half"))
        .await
        .unwrap();
    let failed = wait_job(&client, &address, &job.job_id).await;
    assert_eq!(failed.state, AgentJobState::Failed);
    assert_eq!(failed.changes.len(), before_patches.len() / 2);
    assert!(failed.error.is_some());
    assert!(failed.log_tail.last().unwrap().len() > 10);
    let left = client.patches(&address).await.unwrap().patches;
    assert_eq!(left.len(), before_patches.len() - failed.changes.len());

    // The partial changes can be rolled back.
    agent.set_faults(Faults::default()).unwrap();
    let undo = client
        .rollback(&address, &failed.id, &key("undo-half"))
        .await
        .unwrap();
    let undone = wait_job(&client, &address, &undo.job_id).await;
    assert_eq!(undone.state, AgentJobState::Succeeded);
    assert_eq!(versions(&agent.installed()), before);
}

fn transient_while_rebooting(e: &ClientError) -> bool {
    e.class() == AgentErrorClass::Transient
        && (e.code() == "connection_refused"
            || e.status() == Some(503)
            || e.code() == "connection_lost")
}

#[tokio::test]
async fn a_reboot_takes_the_host_away_and_brings_it_back_with_a_new_last_boot() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client();
    let address = agent.host_address();
    let before = client.system_info(&address).await.unwrap();

    let job = client
        .reboot(&address, &RebootRequest { delay_s: 0 }, &key("reboot-1"))
        .await
        .unwrap();
    // Mutating calls during the reboot are refused (503 rebooting, or refused/starting).
    let mut saw_refused = false;
    let mut saw_starting = false;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let after = loop {
        match client.system_info(&address).await {
            Ok(info) if info.last_boot != before.last_boot => break info,
            Ok(_) => {}
            Err(e) => {
                assert!(transient_while_rebooting(&e), "{e:?}");
                saw_refused |= e.code() == "connection_refused";
                saw_starting |= e.code() == "starting";
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "host did not come back"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert!(saw_refused, "the host was never down");
    assert!(saw_starting, "the host never answered 503 starting");
    assert!(after.last_boot > before.last_boot);
    assert!(!after.reboot_required);
    assert_eq!(agent.reboots(), 1);
    let done = client.job(&address, &job.job_id).await.unwrap();
    assert_eq!(done.kind, JobKind::Reboot);
    assert_eq!(done.state, AgentJobState::Succeeded);
}

#[tokio::test]
async fn apply_with_reboot_if_required_reboots_into_the_new_kernel() {
    let ca = TestCa::new();
    // Find a seed whose host has a kernel update: deterministic, so the loop is short.
    let ip = fresh_ip();
    let mut config = ca.agent_config(ip);
    let agent = loop {
        let attempt = SimAgent::start(config.clone()).await.unwrap();
        if attempt.patches().iter().any(|p| p.reboot_required) {
            break attempt;
        }
        drop(attempt);
        tokio::time::sleep(Duration::from_millis(20)).await;
        config.seed += 1;
    };
    let client = ca.client();
    let address = agent.host_address();
    let before = client.system_info(&address).await.unwrap();
    let request = ApplyRequest {
        reboot: RebootPolicy::IfRequired,
        ..apply_all()
    };
    let job = client
        .apply_patches(&address, &request, &key("apply-reboot"))
        .await
        .unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let after = loop {
        if let Ok(info) = client.system_info(&address).await
            && info.last_boot != before.last_boot
        {
            break info;
        }
        assert!(tokio::time::Instant::now() < deadline, "no reboot");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let done = client.job(&address, &job.job_id).await.unwrap();
    assert_eq!(done.state, AgentJobState::Succeeded);
    assert!(done.reboot_required);
    assert!(!after.reboot_required);
    let kernel_changed = done.changes.iter().any(|c| {
        [
            "linux-image-generic",
            "linux-image-amd64",
            "kernel",
            "kernel-default",
        ]
        .contains(&c.package.as_str())
    });
    assert_eq!(after.kernel != before.kernel, kernel_changed);
}
