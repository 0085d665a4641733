//! CIDR discovery runs (SDD §6.2): requested by a person, scanned by a worker with progress
//! and cancellation, results kept for review until selected hosts are registered.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use lpm_core::ids::{DiscoveryId, HostId};
use lpm_core::net::{Cidr, Port};
use lpm_core::ports::{Channel, Notice};
use lpm_core::rbac::AdminProof;
use serde::Serialize;

use crate::audit::append;
use crate::{Actor, Db, Page, PageRequest, Store, StoreError, ts, with_db, with_tx};

/// A discovery run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DiscoveryRun {
    /// Its id.
    pub id: i64,
    /// The range scanned.
    pub cidr: String,
    /// The agent port probed.
    pub port: i64,
    /// `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub state: String,
    /// Addresses to probe.
    pub total: i64,
    /// Addresses probed so far.
    pub done: i64,
    /// Agents found so far.
    pub found: i64,
    /// When it was requested.
    pub created_at: DateTime<Utc>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// Why it failed.
    pub error: Option<String>,
}

/// An agent a run found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct DiscoveryResult {
    /// Row id (what "register selected" names).
    pub id: i64,
    /// Its address.
    pub ip: String,
    /// Its port.
    pub port: i64,
    /// The name from its certificate or system info, if any.
    pub fqdn: Option<String>,
    /// Its agent version.
    pub agent_version: Option<String>,
    /// The host it was registered as, once registered.
    pub registered_host_id: Option<i64>,
}

const RUN_COLUMNS: &str =
    "id, cidr, port, state, total, done, found, created_at, finished_at, error";

impl Store {
    /// Requests a scan (admin only) and wakes a worker (`discovery_enqueued`).
    pub async fn create_discovery(
        &self,
        _admin: &AdminProof,
        cidr: &Cidr,
        port: Port,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<DiscoveryId, StoreError> {
        let now = ts(now);
        let total = i64::try_from(cidr.hosts().count()).map_err(StoreError::corrupt)?;
        let mut tx = self.begin().await?;
        let id: i64 = with_tx!(tx, t => {
            sqlx::query_scalar(
                "INSERT INTO discovery_runs (cidr, port, state, total, requested_by, created_at) VALUES ($1, $2, 'queued', $3, $4, $5) RETURNING id",
            )
            .bind(cidr.to_string()).bind(i64::from(port.get())).bind(total).bind(actor.user.map(|u| u.get())).bind(now)
            .fetch_one(&mut **t).await?
        });
        tx.notify(Notice {
            channel: Channel::DiscoveryEnqueued,
            payload: id.to_string(),
        })
        .await?;
        let entry = actor
            .entry("discovery.started", "discovery", id)
            .details(serde_json::json!({ "cidr": cidr, "port": port }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(DiscoveryId::new(id)?)
    }

    /// A worker takes the oldest queued run (`running`); `None` when there is none.
    pub async fn claim_discovery(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Option<DiscoveryRun>, StoreError> {
        let pick = match self.db {
            Db::Postgres(_) => {
                "SELECT id FROM discovery_runs WHERE state = 'queued' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
            }
            Db::Sqlite(_) => {
                "SELECT id FROM discovery_runs WHERE state = 'queued' ORDER BY id LIMIT 1"
            }
        };
        let sql = format!(
            "UPDATE discovery_runs SET state = 'running', started_at = $1 WHERE id IN ({pick}) RETURNING {RUN_COLUMNS}"
        );
        Ok(
            with_db!(self, db => sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(ts(now)).fetch_optional(db).await?),
        )
    }

    /// Records progress; returns `false` when the run was cancelled meanwhile (stop scanning).
    pub async fn discovery_progress(
        &self,
        id: DiscoveryId,
        done: i64,
        found: i64,
    ) -> Result<bool, StoreError> {
        let n = with_db!(self, db => {
            sqlx::query("UPDATE discovery_runs SET done = $2, found = $3 WHERE id = $1 AND state = 'running'")
                .bind(id.get()).bind(done).bind(found).execute(db).await?.rows_affected()
        });
        Ok(n == 1)
    }

    /// Records an agent a run found (idempotent per address and port).
    pub async fn add_discovery_result(
        &self,
        id: DiscoveryId,
        ip: IpAddr,
        port: Port,
        fqdn: Option<&str>,
        agent_version: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_db!(self, db => {
            sqlx::query(
                "INSERT INTO discovery_results (discovery_id, ip, port, fqdn, agent_version, found_at) VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (discovery_id, ip, port) DO NOTHING",
            )
            .bind(id.get()).bind(ip.to_string()).bind(i64::from(port.get())).bind(fqdn).bind(agent_version).bind(ts(now))
            .execute(db).await.map_err(|e| crate::fleet::foreign_key(e, "discovery"))?;
        });
        Ok(())
    }

    /// Ends a run: `succeeded`, or `failed` with the reason. A cancelled run stays cancelled.
    pub async fn finish_discovery(
        &self,
        id: DiscoveryId,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let state = if error.is_some() {
            "failed"
        } else {
            "succeeded"
        };
        with_db!(self, db => {
            sqlx::query("UPDATE discovery_runs SET state = $2, error = $3, finished_at = $4 WHERE id = $1 AND state = 'running'")
                .bind(id.get()).bind(state).bind(error).bind(ts(now)).execute(db).await?;
        });
        Ok(())
    }

    /// Cancels a queued or running run (admin only); audited. A finished run is a conflict.
    pub async fn cancel_discovery(
        &self,
        _admin: &AdminProof,
        id: DiscoveryId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let state: Option<String> = with_tx!(tx, t => {
            sqlx::query_scalar("SELECT state FROM discovery_runs WHERE id = $1").bind(id.get()).fetch_optional(&mut **t).await?
        });
        match state.as_deref() {
            None => return Err(StoreError::NotFound { what: "discovery" }),
            Some("queued" | "running") => {}
            Some(_) => {
                return Err(StoreError::Conflict {
                    what: "a finished discovery",
                });
            }
        }
        with_tx!(tx, t => {
            sqlx::query("UPDATE discovery_runs SET state = 'cancelled', finished_at = $2 WHERE id = $1")
                .bind(id.get()).bind(now).execute(&mut **t).await?;
        });
        append(
            &mut tx,
            &actor.entry("discovery.cancelled", "discovery", id),
            now,
        )
        .await?;
        tx.commit().await
    }

    /// A run and what it found.
    pub async fn get_discovery(
        &self,
        id: DiscoveryId,
    ) -> Result<(DiscoveryRun, Vec<DiscoveryResult>), StoreError> {
        let (run, results): (Option<DiscoveryRun>, Vec<DiscoveryResult>) = with_db!(self, db => {
            let run = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {RUN_COLUMNS} FROM discovery_runs WHERE id = $1")))
                .bind(id.get()).fetch_optional(db).await?;
            let results = sqlx::query_as(
                "SELECT id, ip, port, fqdn, agent_version, registered_host_id FROM discovery_results WHERE discovery_id = $1 ORDER BY id",
            )
            .bind(id.get()).fetch_all(db).await?;
            (run, results)
        });
        Ok((
            run.ok_or(StoreError::NotFound { what: "discovery" })?,
            results,
        ))
    }

    /// A page of runs, newest first.
    pub async fn list_discoveries(
        &self,
        page: PageRequest,
    ) -> Result<Page<DiscoveryRun>, StoreError> {
        let (total, items) = with_db!(self, db => {
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM discovery_runs").fetch_one(db).await?;
            let items: Vec<DiscoveryRun> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {RUN_COLUMNS} FROM discovery_runs ORDER BY id DESC LIMIT $1 OFFSET $2"
            )))
            .bind(page.limit()).bind(page.offset()).fetch_all(db).await?;
            (total, items)
        });
        Ok(Page {
            items,
            total,
            page: page.page(),
            per_page: page.per_page(),
        })
    }

    /// Notes that a result was registered as a host.
    pub async fn mark_discovery_registered(
        &self,
        result: i64,
        host: HostId,
    ) -> Result<(), StoreError> {
        let n = with_db!(self, db => {
            sqlx::query("UPDATE discovery_results SET registered_host_id = $2 WHERE id = $1")
                .bind(result).bind(host.get()).execute(db).await?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound {
                what: "discovery result",
            });
        }
        Ok(())
    }
}
