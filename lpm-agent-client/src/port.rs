//! lpm-core's [`AgentApi`] port implemented by [`AgentClient`]: wire types mapped to domain
//! types, [`ClientError`](crate::ClientError) mapped to `AgentError` with its retry class.

use lpm_core::agent::{
    AgentCommand, AgentError, AgentHealth, AgentJob, InstalledPackage, PatchReport, SystemInfo,
};
use std::sync::atomic::{AtomicBool, Ordering};

use futures_util::StreamExt;
use lpm_core::agent::AgentJobEvent;
use lpm_core::net::{Cidr, Port};
use lpm_core::ports::{
    AgentApi, AgentScanner, AgentTarget, BoxFuture, FoundAgent, JobEventSource, ScanCount,
};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::client::AgentClient;
use crate::discovery::{ScanOptions, ScanProgress};
use crate::key::IdempotencyKey;
use crate::wire::{ApplyRequest, InstallRequest, PackageRequest, RebootRequest, UpdateRequest};
use crate::ws::JobEventStream;

impl AgentApi for AgentClient {
    type Events = JobEventStream;

    async fn health(&self, target: &AgentTarget) -> Result<AgentHealth, AgentError> {
        Ok(AgentClient::health(self, &target.address).await?.into())
    }

    async fn system_info(&self, target: &AgentTarget) -> Result<SystemInfo, AgentError> {
        Ok(AgentClient::system_info(self, &target.address)
            .await?
            .into())
    }

    async fn packages(&self, target: &AgentTarget) -> Result<Vec<InstalledPackage>, AgentError> {
        let list = AgentClient::packages(self, &target.address, None).await?;
        Ok(list.packages.into_iter().map(Into::into).collect())
    }

    async fn patches(&self, target: &AgentTarget) -> Result<PatchReport, AgentError> {
        Ok(AgentClient::patches(self, &target.address).await?.into())
    }

    async fn start(
        &self,
        target: &AgentTarget,
        command: &AgentCommand,
        idempotency_key: &str,
    ) -> Result<String, AgentError> {
        let key = IdempotencyKey::new(idempotency_key)?;
        let address = &target.address;
        let accepted = match command {
            AgentCommand::ApplyPatches(options) => {
                self.apply_patches(address, &ApplyRequest::from(options), &key)
                    .await?
            }
            AgentCommand::Install { packages } => {
                let request = InstallRequest {
                    packages: packages.iter().map(PackageRequest::from).collect(),
                };
                self.install(address, &request, &key).await?
            }
            AgentCommand::Update(spec) => {
                let request = UpdateRequest {
                    version: spec.version.clone(),
                };
                self.update_package(address, &spec.name, &request, &key)
                    .await?
            }
            AgentCommand::Remove { name } => self.remove_package(address, name, &key).await?,
            AgentCommand::Rollback { agent_job_id } => {
                self.rollback(address, agent_job_id, &key).await?
            }
            AgentCommand::Reboot { delay_s } => {
                self.reboot(address, &RebootRequest { delay_s: *delay_s }, &key)
                    .await?
            }
        };
        Ok(accepted.job_id)
    }

    async fn job(&self, target: &AgentTarget, agent_job_id: &str) -> Result<AgentJob, AgentError> {
        Ok(AgentClient::job(self, &target.address, agent_job_id)
            .await?
            .into())
    }

    async fn job_by_key(
        &self,
        target: &AgentTarget,
        idempotency_key: &str,
    ) -> Result<Option<AgentJob>, AgentError> {
        let key = IdempotencyKey::new(idempotency_key)?;
        Ok(AgentClient::job_by_key(self, &target.address, &key)
            .await?
            .map(Into::into))
    }

    async fn job_events(&self, target: &AgentTarget) -> Result<JobEventStream, AgentError> {
        Ok(AgentClient::job_events(self, &target.address).await?)
    }
}

impl JobEventSource for JobEventStream {
    async fn next_event(&mut self) -> Option<Result<AgentJobEvent, AgentError>> {
        self.next()
            .await
            .map(|r| r.map(Into::into).map_err(Into::into))
    }
}

impl AgentScanner for AgentClient {
    /// [`AgentClient::scan`] with the default concurrency and probe timeout; progress after
    /// every address; `cancel` fires the scan's cancellation token.
    async fn scan<'a>(
        &'a self,
        cidr: &'a Cidr,
        port: Port,
        progress: &'a (dyn Fn(ScanCount) + Send + Sync),
        cancel: BoxFuture<'a, ()>,
    ) -> Vec<FoundAgent> {
        let token = CancellationToken::new();
        let (tx, mut rx) = watch::channel(ScanProgress::default());
        let options = ScanOptions {
            port,
            cancel: token.clone(),
            progress: Some(tx),
            ..ScanOptions::default()
        };
        let finished = AtomicBool::new(false);
        let scan = async {
            let report = AgentClient::scan(self, cidr, options).await;
            finished.store(true, Ordering::SeqCst);
            report
        };
        let relay = async {
            let mut cancel = Some(cancel);
            loop {
                tokio::select! {
                    changed = rx.changed() => {
                        if changed.is_err() {
                            return;
                        }
                        let p = *rx.borrow_and_update();
                        progress(ScanCount {
                            done: p.done as u64,
                            total: p.total as u64,
                            found: p.found as u64,
                        });
                    }
                    () = async {
                        match cancel.as_mut() {
                            Some(c) => c.await,
                            None => std::future::pending().await,
                        }
                    } => {
                        cancel = None;
                        token.cancel();
                    }
                }
                if finished.load(Ordering::SeqCst) {
                    return;
                }
            }
        };
        let (report, ()) = tokio::join!(scan, relay);
        report
            .found
            .into_iter()
            .map(|agent| FoundAgent {
                ip: agent.addr.ip(),
                port,
                fqdn: agent.dns_names.first().cloned(),
                agent_version: Some(agent.health.version),
            })
            .collect()
    }
}
