//! lpm-core's remaining engine ports implemented by [`Store`]: runtime settings, discovery
//! runs, and the worker's chores (heartbeat, pruning, audit verification).

use chrono::{DateTime, Duration, Utc};
use lpm_core::ids::DiscoveryId;
use lpm_core::net::{Cidr, Port};
use lpm_core::ports::{
    AuditCheck, DiscoveryRequest, DiscoveryStore, FoundAgent, Housekeeping, QueueError,
    RuntimeSettings, ScanCount, SettingsSource, WorkerIdentity, setting_keys,
};

use crate::retention::RetentionPolicy;
use crate::{Store, StoreError};

impl Store {
    /// The runtime settings the engine reads (`polling.health_interval_s`,
    /// `polling.patch_interval_s`, `concurrency.max_agents`), `None` where unset. A value that
    /// is not a positive number is reported as corrupt.
    pub async fn runtime_settings(&self) -> Result<RuntimeSettings, StoreError> {
        let seconds = |key: &'static str,
                       v: Option<serde_json::Value>|
         -> Result<Option<Duration>, StoreError> {
            match v {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(v) => v
                    .as_f64()
                    .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
                    .map(|s| Some(Duration::milliseconds((s * 1000.0).round() as i64)))
                    .ok_or_else(|| {
                        StoreError::corrupt(format!(
                            "config {key}: {v} is not a positive number of seconds"
                        ))
                    }),
            }
        };
        let health = self.config_get(setting_keys::HEALTH_INTERVAL_S).await?;
        let patch = self.config_get(setting_keys::PATCH_INTERVAL_S).await?;
        let agents: Option<serde_json::Value> = self.config_get(setting_keys::MAX_AGENTS).await?;
        let max_agents = match agents {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(
                v.as_u64()
                    .and_then(|n| u32::try_from(n).ok())
                    .filter(|n| *n > 0)
                    .ok_or_else(|| {
                        StoreError::corrupt(format!(
                            "config {}: {v} is not a positive integer",
                            setting_keys::MAX_AGENTS
                        ))
                    })?,
            ),
        };
        Ok(RuntimeSettings {
            health_interval: seconds(setting_keys::HEALTH_INTERVAL_S, health)?,
            patch_interval: seconds(setting_keys::PATCH_INTERVAL_S, patch)?,
            max_agents,
        })
    }
}

impl SettingsSource for Store {
    async fn runtime_settings(&self) -> Result<RuntimeSettings, QueueError> {
        Ok(Store::runtime_settings(self).await?)
    }
}

impl DiscoveryStore for Store {
    async fn claim_discovery(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Option<DiscoveryRequest>, QueueError> {
        let Some(run) = Store::claim_discovery(self, now).await? else {
            return Ok(None);
        };
        let id = DiscoveryId::new(run.id).map_err(StoreError::from)?;
        let parsed = Cidr::new(&run.cidr)
            .map_err(StoreError::from)
            .and_then(|cidr| {
                let port = u16::try_from(run.port)
                    .map_err(|_| {
                        StoreError::corrupt(format!("discovery {} port {}", run.id, run.port))
                    })
                    .and_then(|p| Port::new(p).map_err(StoreError::from))?;
                Ok((cidr, port))
            });
        match parsed {
            Ok((cidr, port)) => Ok(Some(DiscoveryRequest {
                id,
                cidr,
                port,
                claim: run.claims,
            })),
            Err(e) => {
                // A run that cannot be scanned fails at once rather than blocking the queue.
                Store::finish_discovery(self, id, run.claims, Some(&e.to_string()), now).await?;
                Err(e.into())
            }
        }
    }

    async fn discovery_progress(
        &self,
        run: &DiscoveryRequest,
        count: ScanCount,
        now: DateTime<Utc>,
    ) -> Result<bool, QueueError> {
        let done = i64::try_from(count.done).unwrap_or(i64::MAX);
        let found = i64::try_from(count.found).unwrap_or(i64::MAX);
        Ok(Store::discovery_progress(self, run.id, run.claim, done, found, now).await?)
    }

    async fn add_discovery_result(
        &self,
        id: DiscoveryId,
        agent: &FoundAgent,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::add_discovery_result(
            self,
            id,
            agent.ip,
            agent.port,
            agent.fqdn.as_deref(),
            agent.agent_version.as_deref(),
            now,
        )
        .await?)
    }

    async fn finish_discovery(
        &self,
        run: &DiscoveryRequest,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::finish_discovery(self, run.id, run.claim, error, now).await?)
    }
}

impl Housekeeping for Store {
    async fn heartbeat(
        &self,
        worker: &WorkerIdentity,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::heartbeat(
            self,
            &worker.id,
            &worker.hostname,
            &worker.version,
            worker.started_at,
            now,
        )
        .await?)
    }

    async fn prune(&self, now: DateTime<Utc>) -> Result<String, QueueError> {
        let report = Store::prune(self, &RetentionPolicy::default(), now).await?;
        Ok(serde_json::to_string(&report).unwrap_or_default())
    }

    async fn verify_audit(&self) -> Result<AuditCheck, QueueError> {
        let report = Store::verify_audit(self).await?;
        Ok(AuditCheck {
            intact: report.is_intact(),
            rows_checked: report.rows_checked,
            detail: report
                .first_broken
                .map(|b| format!("row {}: {:?}", b.id, b.kind)),
        })
    }
}
