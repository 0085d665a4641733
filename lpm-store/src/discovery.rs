//! CIDR discovery runs (SDD §6.2): requested by a person, scanned by a worker with progress
//! and cancellation, results kept for review until selected hosts are registered.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use lpm_core::ids::{DiscoveryId, GroupId, HostId};
use lpm_core::model::HostAddress;
use lpm_core::net::{Cidr, Fqdn, Port};
use lpm_core::ports::{Channel, Notice};
use lpm_core::rbac::{AdminProof, Scope};
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
    /// How many times a worker took it (a takeover of a stalled run takes it again); writes
    /// from an earlier claim are ignored.
    pub claims: i64,
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
    /// The host it is: the one it was registered as, else the host already at its address and
    /// port or under its name; `None` while it is no host.
    pub registered_host_id: Option<i64>,
}

/// Filters and order of the discovery list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DiscoveryQuery {
    /// Only runs in this state (`queued`, `running`, `succeeded`, `failed`, `cancelled`).
    pub state: Option<String>,
    /// Oldest first instead of newest first.
    pub oldest_first: bool,
}

/// What registering a discovery result did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Registration {
    /// The result.
    pub result: i64,
    /// The host it is registered as.
    pub host: HostId,
    /// Whether this call created the host (`false`: it was registered before, from this
    /// result or by hand).
    pub created: bool,
}

const RUN_COLUMNS: &str =
    "id, cidr, port, state, total, done, found, created_at, finished_at, error, claims";

/// The host a result (`r`) stands for: the one it was registered as, else the host already at
/// its address and port or under its name (registered by hand or from another scan), the same
/// match [`Store::register_discovery_result`] makes.
const REGISTERED_HOST: &str = "COALESCE(r.registered_host_id, \
     (SELECT h.id FROM hosts h WHERE (h.ip = r.ip AND h.port = r.port) \
      OR (r.fqdn IS NOT NULL AND h.fqdn = LOWER(r.fqdn)) ORDER BY h.id LIMIT 1))";

/// A result's columns, from `discovery_results r`.
fn result_columns() -> String {
    format!("r.id, r.ip, r.port, r.fqdn, r.agent_version, {REGISTERED_HOST} AS registered_host_id")
}

/// How long a running discovery run may go without progress before another worker takes it
/// over. Workers write progress every half second, so only a dead worker misses this.
pub const DISCOVERY_STALE_AFTER: chrono::TimeDelta = chrono::TimeDelta::minutes(2);

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

    /// A worker takes the oldest queued run (`running`), or a running one whose worker has
    /// not written progress for [`DISCOVERY_STALE_AFTER`] (it died mid-scan: the scan starts
    /// over, and results already found are kept, since they are recorded once per address);
    /// `None` when there is none.
    pub async fn claim_discovery(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Option<DiscoveryRun>, StoreError> {
        let claimable =
            "state = 'queued' OR (state = 'running' AND COALESCE(heartbeat_at, started_at) < $2)";
        let pick = match self.db {
            Db::Postgres(_) => format!(
                "SELECT id FROM discovery_runs WHERE {claimable} ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED"
            ),
            Db::Sqlite(_) => {
                format!("SELECT id FROM discovery_runs WHERE {claimable} ORDER BY id LIMIT 1")
            }
        };
        let sql = format!(
            "UPDATE discovery_runs SET state = 'running', started_at = $1, heartbeat_at = $1, done = 0, \
             claims = claims + 1 WHERE id IN ({pick}) RETURNING {RUN_COLUMNS}"
        );
        let stale = ts(now - DISCOVERY_STALE_AFTER);
        Ok(with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(ts(now)).bind(stale).fetch_optional(db).await?
        }))
    }

    /// Records progress and the run's heartbeat for the worker holding `claim`; returns
    /// `false` when the run was cancelled or taken over meanwhile (stop scanning).
    pub async fn discovery_progress(
        &self,
        id: DiscoveryId,
        claim: i64,
        done: i64,
        found: i64,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let n = with_db!(self, db => {
            sqlx::query("UPDATE discovery_runs SET done = $2, found = $3, heartbeat_at = $4 WHERE id = $1 AND state = 'running' AND claims = $5")
                .bind(id.get()).bind(done).bind(found).bind(ts(now)).bind(claim).execute(db).await?.rows_affected()
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
        claim: i64,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let state = if error.is_some() {
            "failed"
        } else {
            "succeeded"
        };
        with_db!(self, db => {
            sqlx::query("UPDATE discovery_runs SET state = $2, error = $3, finished_at = $4 WHERE id = $1 AND state = 'running' AND claims = $5")
                .bind(id.get()).bind(state).bind(error).bind(ts(now)).bind(claim).execute(db).await?;
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
            let results = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT {} FROM discovery_results r WHERE r.discovery_id = $1 ORDER BY r.id",
                result_columns()
            )))
            .bind(id.get()).fetch_all(db).await?;
            (run, results)
        });
        Ok((
            run.ok_or(StoreError::NotFound { what: "discovery" })?,
            results,
        ))
    }

    /// A page of runs, newest first (or oldest first), optionally in one state.
    pub async fn list_discoveries(
        &self,
        query: &DiscoveryQuery,
        page: PageRequest,
    ) -> Result<Page<DiscoveryRun>, StoreError> {
        let direction = if query.oldest_first { "ASC" } else { "DESC" };
        let list_sql = format!(
            "SELECT {RUN_COLUMNS} FROM discovery_runs WHERE ($1 IS NULL OR state = $1) ORDER BY id {direction} LIMIT $2 OFFSET $3"
        );
        let (total, items) = with_db!(self, db => {
            let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM discovery_runs WHERE ($1 IS NULL OR state = $1)")
                .bind(&query.state).fetch_one(db).await?;
            let items: Vec<DiscoveryRun> = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(&query.state).bind(page.limit()).bind(page.offset()).fetch_all(db).await?;
            (total, items)
        });
        Ok(Page::of(items, total, page))
    }

    /// A run without its results.
    pub async fn get_discovery_run(&self, id: DiscoveryId) -> Result<DiscoveryRun, StoreError> {
        let run: Option<DiscoveryRun> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {RUN_COLUMNS} FROM discovery_runs WHERE id = $1")))
                .bind(id.get()).fetch_optional(db).await?
        });
        run.ok_or(StoreError::NotFound { what: "discovery" })
    }

    /// A page of what a run found, in the order it was found; `registered` keeps only results
    /// that are a host (`true`) or not yet (`false`), whether registered from this run or
    /// otherwise.
    pub async fn list_discovery_results(
        &self,
        id: DiscoveryId,
        registered: Option<bool>,
        page: PageRequest,
    ) -> Result<Page<DiscoveryResult>, StoreError> {
        self.get_discovery_run(id).await?;
        let filter =
            format!("r.discovery_id = $1 AND ($2 IS NULL OR ({REGISTERED_HOST} IS NOT NULL) = $2)");
        let list_sql = format!(
            "SELECT {} FROM discovery_results r WHERE {filter} ORDER BY r.id LIMIT $3 OFFSET $4",
            result_columns()
        );
        let (total, items) = with_db!(self, db => {
            let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM discovery_results r WHERE {filter}")))
                .bind(id.get()).bind(registered).fetch_one(db).await?;
            let items: Vec<DiscoveryResult> = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(id.get()).bind(registered).bind(page.limit()).bind(page.offset()).fetch_all(db).await?;
            (total, items)
        });
        Ok(Page::of(items, total, page))
    }

    /// The results of run `id` with these row ids; an id that is not one of its results is
    /// not found.
    pub async fn discovery_results(
        &self,
        id: DiscoveryId,
        results: &[i64],
    ) -> Result<Vec<DiscoveryResult>, StoreError> {
        self.get_discovery_run(id).await?;
        if results.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT {} FROM discovery_results r WHERE r.discovery_id = $1 AND r.id IN ({}) ORDER BY r.id",
            result_columns(),
            crate::fleet::join_ids(results.iter().copied())
        );
        let rows: Vec<DiscoveryResult> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.get()).fetch_all(db).await?
        });
        let mut wanted = results.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        if rows.len() != wanted.len() {
            return Err(StoreError::NotFound {
                what: "discovery result",
            });
        }
        Ok(rows)
    }

    /// Registers a result of run `id` as a host (admin only) through [`Store::create_host`], so
    /// the host is audited and a worker is told, in `groups`. A result registered before, or
    /// whose address or name already belongs to a host, is not registered again: it is linked
    /// to that host and reported with `created: false`.
    pub async fn register_discovery_result(
        &self,
        _admin: &AdminProof,
        id: DiscoveryId,
        result: i64,
        groups: &[GroupId],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Registration, StoreError> {
        let found = self
            .discovery_results(id, &[result])
            .await?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound {
                what: "discovery result",
            })?;
        let ip: IpAddr = found.ip.parse().map_err(|_| {
            StoreError::corrupt(format!("discovery result {result} ip {:?}", found.ip))
        })?;
        let port = u16::try_from(found.port)
            .ok()
            .and_then(|p| Port::new(p).ok())
            .ok_or_else(|| {
                StoreError::corrupt(format!("discovery result {result} port {}", found.port))
            })?;
        // A name the agent reported that is not a valid FQDN is left out: the address suffices.
        let fqdn = found.fqdn.as_deref().and_then(|f| Fqdn::new(f).ok());
        // The host it already is, if any: registered before, or at its address or under its
        // name (see REGISTERED_HOST).
        let existing = match found.registered_host_id {
            Some(host) => self.host_id_if_exists(host).await?,
            None => None,
        };
        let (host, created) = match existing {
            Some(host) => (host, false),
            None => {
                let address = HostAddress::new(fqdn.clone(), Some(ip), port)?;
                // The admin proof stands for reaching every group.
                match self
                    .create_host(&Scope::system(), &address, groups, actor, now)
                    .await
                {
                    Ok(host) => (host.id, true),
                    // Registered meanwhile (by hand, or by a concurrent request).
                    Err(StoreError::Conflict { .. }) => (
                        self.host_with_address(ip, port, fqdn.as_ref())
                            .await?
                            .ok_or(StoreError::Conflict { what: "host" })?,
                        false,
                    ),
                    Err(e) => return Err(e),
                }
            }
        };
        self.mark_discovery_registered(result, host).await?;
        Ok(Registration {
            result,
            host,
            created,
        })
    }

    async fn host_id_if_exists(&self, host: i64) -> Result<Option<HostId>, StoreError> {
        let found: Option<i64> = with_db!(self, db => {
            sqlx::query_scalar("SELECT id FROM hosts WHERE id = $1").bind(host).fetch_optional(db).await?
        });
        found.map(HostId::new).transpose().map_err(StoreError::from)
    }

    /// The host registered at this address and port, or under this name.
    async fn host_with_address(
        &self,
        ip: IpAddr,
        port: Port,
        fqdn: Option<&Fqdn>,
    ) -> Result<Option<HostId>, StoreError> {
        let found: Option<i64> = with_db!(self, db => {
            sqlx::query_scalar(
                "SELECT id FROM hosts WHERE (ip = $1 AND port = $2) OR ($3 IS NOT NULL AND fqdn = $3) ORDER BY id LIMIT 1",
            )
            .bind(ip.to_string()).bind(i64::from(port.get())).bind(fqdn.map(Fqdn::as_str))
            .fetch_optional(db).await?
        });
        found.map(HostId::new).transpose().map_err(StoreError::from)
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
