//! Every endpoint of agent-api.md through the client against a simulated agent, the job
//! stream included, and the lpm-core `AgentApi` port on top.

use std::collections::BTreeMap;
use std::time::Duration;

use futures_util::StreamExt;
use lpm_agent_client::wire::{
    ApplyRequest, HealthStatus, InstallRequest, JobKind, JobQuery, PackageRequest, PageQuery,
    UpdateRequest,
};
use lpm_agent_client::{AgentClient, IdempotencyKey, JobEventStream};
use lpm_core::agent::{AgentCommand, AgentErrorClass, AgentJobState, ChangeAction};
use lpm_core::ids::HostId;
use lpm_core::job::{JobOptions, PackageSpec, RebootPolicy};
use lpm_core::ports::{AgentApi, AgentTarget};

use crate::support::{TestCa, fresh_ip, raw_client, raw_request, wait_job};

fn key(k: &str) -> IdempotencyKey {
    IdempotencyKey::new(k).unwrap()
}

fn versions(list: &[lpm_agent_client::wire::Package]) -> BTreeMap<String, String> {
    list.iter()
        .map(|p| (p.name.clone(), p.version.clone()))
        .collect()
}

#[tokio::test]
async fn health_system_info_packages_and_patches() {
    let ca = TestCa::new();
    let ip = fresh_ip();
    let agent = ca.agent(ip).await;
    let client = ca.client();
    let address = agent.host_address();

    let health = client.health(&address).await.unwrap();
    assert_eq!(health.status, HealthStatus::Ok);
    assert_eq!(health.version, "1.4.2");
    assert_eq!(health.checks.get("disk").map(String::as_str), Some("ok"));

    let info = client.system_info(&address).await.unwrap();
    assert_eq!(info.fqdn, agent.fqdn());
    assert_eq!(info.hostname, agent.fqdn().split('.').next().unwrap());
    assert_eq!(info.package_manager, agent.distro().package_manager());
    assert_eq!(info.os.pretty_name, agent.distro().pretty_name());
    assert!(info.last_boot < chrono::Utc::now());
    assert!(!info.kernel.is_empty());

    let all = client.packages(&address, None).await.unwrap();
    assert_eq!(all.total as usize, all.packages.len());
    assert!(all.packages.len() >= 20, "{}", all.packages.len());
    assert_eq!(all.packages, agent.installed());
    let page2 = client
        .packages(
            &address,
            Some(PageQuery {
                page: 2,
                per_page: 5,
            }),
        )
        .await
        .unwrap();
    assert_eq!(page2.total, all.total);
    assert_eq!(page2.packages, all.packages[5..10]);
    let beyond = client
        .packages(
            &address,
            Some(PageQuery {
                page: 1000,
                per_page: 5,
            }),
        )
        .await
        .unwrap();
    assert!(beyond.packages.is_empty());
    let bad = client
        .packages(
            &address,
            Some(PageQuery {
                page: 0,
                per_page: 5,
            }),
        )
        .await
        .unwrap_err();
    assert_eq!((bad.status(), bad.code()), (Some(400), "bad_request"));
    assert_eq!(bad.class(), AgentErrorClass::Permanent);

    let patches = client.patches(&address).await.unwrap();
    assert!(!patches.patches.is_empty());
    assert_eq!(patches.patches, agent.patches());
    let installed = versions(&all.packages);
    for p in &patches.patches {
        assert_eq!(installed.get(&p.package), Some(&p.current_version));
        assert_ne!(p.current_version, p.available_version);
        if p.security {
            assert!(!p.cves.is_empty() && !p.advisories.is_empty(), "{p:?}");
        }
    }
}

/// Reads events until the job `id` reports a finished state.
async fn events_until_done(
    stream: &mut JobEventStream,
    id: &str,
) -> Vec<lpm_agent_client::wire::JobEvent> {
    let mut seen = Vec::new();
    loop {
        let event = tokio::time::timeout(Duration::from_secs(20), stream.next())
            .await
            .expect("job events stopped")
            .expect("stream ended")
            .unwrap();
        let done = event.job_id == id && event.state.is_finished();
        seen.push(event);
        if done {
            return seen;
        }
    }
}

#[tokio::test]
async fn apply_patches_streams_events_and_changes_the_host() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client();
    let address = agent.host_address();
    let before = client.patches(&address).await.unwrap().patches;

    let mut stream = client.job_events(&address).await.unwrap();
    let request = ApplyRequest {
        packages: None,
        security_only: false,
        dry_run: false,
        reboot: RebootPolicy::Never,
    };
    let accepted = client
        .apply_patches(&address, &request, &key("apply-all-1"))
        .await
        .unwrap();
    let events = events_until_done(&mut stream, &accepted.job_id).await;
    stream.close().await.unwrap();

    let last = events.last().unwrap();
    assert_eq!(last.state, AgentJobState::Succeeded);
    assert_eq!(last.progress, 100);
    let lines: Vec<&str> = events.iter().filter_map(|e| e.line.as_deref()).collect();
    assert!(lines.len() > before.len(), "{lines:?}");
    for patch in &before {
        assert!(
            lines.iter().any(|l| l.contains(&patch.package)),
            "no output line for {}: {lines:?}",
            patch.package
        );
    }
    let progress: Vec<u8> = events.iter().map(|e| e.progress).collect();
    assert!(progress.windows(2).all(|w| w[0] <= w[1]), "{progress:?}");

    let job = client.job(&address, &accepted.job_id).await.unwrap();
    assert_eq!(job.kind, JobKind::ApplyPatches);
    assert_eq!(job.state, AgentJobState::Succeeded);
    assert_eq!(job.idempotency_key.as_deref(), Some("apply-all-1"));
    assert_eq!(job.changes.len(), before.len());
    assert!(job.started_at.is_some() && job.finished_at.is_some());
    assert!(!job.log_tail.is_empty());

    assert!(client.patches(&address).await.unwrap().patches.is_empty());
    let after = versions(&client.packages(&address, None).await.unwrap().packages);
    for patch in &before {
        assert_eq!(after.get(&patch.package), Some(&patch.available_version));
    }
    let reboot_needed = before.iter().any(|p| p.reboot_required);
    assert_eq!(job.reboot_required, reboot_needed);
    let info = client.system_info(&address).await.unwrap();
    assert_eq!(info.reboot_required, reboot_needed);
}

#[tokio::test]
async fn install_update_remove_and_job_queries() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client();
    let address = agent.host_address();
    let nginx = "nginx";

    let install = InstallRequest {
        packages: vec![PackageRequest {
            name: nginx.into(),
            version: None,
        }],
    };
    let job = client
        .install(&address, &install, &key("install-nginx"))
        .await
        .unwrap();
    let done = wait_job(&client, &address, &job.job_id).await;
    assert_eq!(done.kind, JobKind::Install);
    assert_eq!(done.changes.len(), 1);
    assert_eq!(done.changes[0].action, ChangeAction::Install);
    assert_eq!(done.changes[0].from, None);
    let installed = versions(&client.packages(&address, None).await.unwrap().packages);
    let newest = installed.get(nginx).cloned().unwrap();
    assert_eq!(done.changes[0].to.as_ref(), Some(&newest));

    // A version the repositories do not have is refused, and nothing runs.
    let job = client
        .update_package(
            &address,
            nginx,
            &UpdateRequest {
                version: Some("0.0-not-there".into()),
            },
            &key("update-bad"),
        )
        .await
        .unwrap_err();
    assert_eq!((job.status(), job.code()), (Some(404), "version_not_found"));

    let job = client
        .remove_package(&address, nginx, &key("remove-nginx"))
        .await
        .unwrap();
    let done = wait_job(&client, &address, &job.job_id).await;
    assert_eq!(done.kind, JobKind::Remove);
    assert_eq!(done.changes[0].action, ChangeAction::Remove);
    assert_eq!(done.changes[0].from.as_ref(), Some(&newest));
    assert_eq!(done.changes[0].to, None);
    let installed = versions(&client.packages(&address, None).await.unwrap().packages);
    assert!(!installed.contains_key(nginx));

    let missing = client
        .remove_package(&address, nginx, &key("remove-again"))
        .await
        .unwrap_err();
    assert_eq!(
        (missing.status(), missing.code()),
        (Some(404), "package_not_found")
    );
    assert_eq!(missing.class(), AgentErrorClass::Permanent);
    let unknown = client
        .install(
            &address,
            &InstallRequest {
                packages: vec![PackageRequest {
                    name: "no-such-package".into(),
                    version: None,
                }],
            },
            &key("install-unknown"),
        )
        .await
        .unwrap_err();
    assert_eq!(unknown.code(), "package_not_found");

    // Update an outdated package to the newest version.
    let patch = client.patches(&address).await.unwrap().patches.remove(0);
    let job = client
        .update_package(
            &address,
            &patch.package,
            &UpdateRequest::default(),
            &key("update-one"),
        )
        .await
        .unwrap();
    let done = wait_job(&client, &address, &job.job_id).await;
    assert_eq!(done.kind, JobKind::Update);
    assert_eq!(done.changes[0].action, ChangeAction::Upgrade);
    assert_eq!(done.changes[0].to.as_ref(), Some(&patch.available_version));

    // Job queries: all, by state, by key.
    let all = client.jobs(&address, &JobQuery::default()).await.unwrap();
    assert_eq!(all.jobs.len(), 3);
    let running = client
        .jobs(
            &address,
            &JobQuery {
                state: Some(AgentJobState::Running),
                idempotency_key: None,
            },
        )
        .await
        .unwrap();
    assert!(running.jobs.is_empty());
    let by_key = client
        .job_by_key(&address, &key("remove-nginx"))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(by_key.kind, JobKind::Remove);
    assert!(
        client
            .job_by_key(&address, &key("never-used"))
            .await
            .unwrap()
            .is_none()
    );
    let gone = client.job(&address, "no-such-job").await.unwrap_err();
    assert_eq!((gone.status(), gone.code()), (Some(404), "not_found"));
}

#[tokio::test]
async fn dry_run_changes_nothing_and_cannot_be_rolled_back() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client = ca.client();
    let address = agent.host_address();
    let before = client.patches(&address).await.unwrap().patches;
    let request = ApplyRequest {
        packages: None,
        security_only: true,
        dry_run: true,
        reboot: RebootPolicy::Always,
    };
    let job = client
        .apply_patches(&address, &request, &key("dry"))
        .await
        .unwrap();
    let done = wait_job(&client, &address, &job.job_id).await;
    assert_eq!(done.state, AgentJobState::Succeeded);
    let security: Vec<_> = before.iter().filter(|p| p.security).collect();
    assert_eq!(done.changes.len(), security.len());
    assert_eq!(client.patches(&address).await.unwrap().patches, before);
    assert_eq!(agent.reboots(), 0, "a dry run does not reboot");
    let refused = client
        .rollback(&address, &job.job_id, &key("undo-dry"))
        .await
        .unwrap_err();
    assert_eq!(
        (refused.status(), refused.code()),
        (Some(409), "not_rollbackable")
    );
    assert_eq!(refused.class(), AgentErrorClass::Permanent);
}

#[tokio::test]
async fn the_agent_api_port_maps_to_domain_types() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let client: AgentClient = ca.client();
    let target = AgentTarget {
        host: HostId::new(1).unwrap(),
        address: agent.host_address(),
    };
    let health = AgentApi::health(&client, &target).await.unwrap();
    assert!(health.ok);
    assert!(health.checks.iter().any(|(k, v)| k == "disk" && v == "ok"));
    let info = AgentApi::system_info(&client, &target).await.unwrap();
    assert_eq!(info.fqdn, agent.fqdn());
    let packages = AgentApi::packages(&client, &target).await.unwrap();
    assert_eq!(packages.len(), agent.installed().len());
    let report = AgentApi::patches(&client, &target).await.unwrap();
    let first = report.patches[0].package.clone();

    let command = AgentCommand::ApplyPatches(JobOptions {
        packages: vec![PackageSpec {
            name: first.clone(),
            version: None,
        }],
        reboot: RebootPolicy::Never,
        security_only: false,
        dry_run: false,
    });
    let id = client.start(&target, &command, "port-key-1").await.unwrap();
    let again = client.start(&target, &command, "port-key-1").await.unwrap();
    assert_eq!(id, again);
    let found = AgentApi::job_by_key(&client, &target, "port-key-1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.id, id);
    assert!(
        AgentApi::job_by_key(&client, &target, "other")
            .await
            .unwrap()
            .is_none()
    );
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let job = loop {
        let job = AgentApi::job(&client, &target, &id).await.unwrap();
        if job.state.is_finished() {
            break job;
        }
        assert!(tokio::time::Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(job.state, AgentJobState::Succeeded);
    assert_eq!(job.changes.len(), 1);
    assert_eq!(job.changes[0].package, first);
    assert_eq!(agent.applied_count("port-key-1"), 1);

    let bad_key = client
        .start(&target, &command, "has space")
        .await
        .unwrap_err();
    assert_eq!(bad_key.class, AgentErrorClass::Permanent);
    let rollback = AgentCommand::Rollback {
        agent_job_id: id.clone(),
    };
    let rb = client
        .start(&target, &rollback, "port-rollback")
        .await
        .unwrap();
    assert_ne!(rb, id);
}

#[tokio::test]
async fn mutating_requests_need_an_idempotency_key() {
    let ca = TestCa::new();
    let agent = ca.agent(fresh_ip()).await;
    let body = r#"{"packages": null, "security_only": false, "dry_run": false, "reboot": "never"}"#;
    let request = format!(
        "POST /api/v1/patches/apply HTTP/1.1\r\nHost: agent\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    let connector = raw_client(&ca, &[&rustls::version::TLS13], true);
    let answer = raw_request(connector, agent.addr(), &request)
        .await
        .unwrap();
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("idempotency_key_required"), "{answer}");
    assert!(agent.jobs().is_empty());
}
