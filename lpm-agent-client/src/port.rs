//! lpm-core's [`AgentApi`] port implemented by [`AgentClient`]: wire types mapped to domain
//! types, [`ClientError`](crate::ClientError) mapped to `AgentError` with its retry class.

use lpm_core::agent::{
    AgentCommand, AgentError, AgentHealth, AgentJob, InstalledPackage, PatchReport, SystemInfo,
};
use lpm_core::ports::{AgentApi, AgentTarget};

use crate::client::AgentClient;
use crate::key::IdempotencyKey;
use crate::wire::{ApplyRequest, InstallRequest, PackageRequest, RebootRequest, UpdateRequest};

impl AgentApi for AgentClient {
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
}
