//! The job queue: workers claim due job-host rows under a lease and report back, fenced by the
//! lease's attempt number.
//!
//! A claim takes rows that are due (`queued` or `retry_waiting` with `due_at <= now`) or whose
//! worker died (`dispatched` or `running` with a lapsed lease), bumps each row's `attempt` and
//! leases it to the caller. Every later write names the lease; a write whose attempt is no
//! longer the row's is refused with [`StoreError::StaleLease`], so a worker that lost its lease
//! cannot overwrite the work of the one that took over. PostgreSQL claims with
//! `FOR UPDATE SKIP LOCKED`, so concurrent workers never wait on each other's rows; SQLite has a
//! single writer and claims with one atomic `UPDATE … RETURNING`.

use chrono::{DateTime, Duration, Utc};
use lpm_core::ids::{HostId, JobHostId, JobId};
use lpm_core::job::{JobHostState, JobState};
use lpm_core::ports::{ClaimedWork, HostOutcome, JobQueue, Lease, QueueError};

use crate::fleet::join_ids;
use crate::jobs::{JobEvent, UNFINISHED_ROW, emit, lock_job_state, settle_if_done};
use crate::{Db, Store, StoreError, Tx, ts, with_db, with_tx};

const CLAIMABLE: &str = "((state IN ('queued', 'retry_waiting') AND due_at <= $3) OR state IN ('dispatched', 'running')) \
                         AND (lease_expires_at IS NULL OR lease_expires_at <= $3)";

#[derive(Debug, sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    job_id: i64,
    host_id: i64,
    state: String,
    attempt: i64,
    lease_expires_at: DateTime<Utc>,
    idempotency_key: Option<String>,
    agent_job_id: Option<String>,
    retries: i64,
    patch_retries: i64,
    kind: String,
    options: String,
}

impl Store {
    /// Claims up to `limit` due rows for `owner`, leased until `now + lease_for`.
    pub async fn claim(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
        limit: u32,
    ) -> Result<Vec<ClaimedWork>, StoreError> {
        if owner.is_empty() {
            return Err(StoreError::invalid("owner", "a worker names itself"));
        }
        let now = ts(now);
        let expires = ts(now + lease_for);
        let claim_sql = match self.db {
            Db::Postgres(_) => format!(
                "UPDATE patch_job_hosts AS p SET lease_owner = $1, lease_expires_at = $2, attempt = p.attempt + 1, updated_at = $3 \
                 FROM (SELECT id FROM patch_job_hosts WHERE {CLAIMABLE} ORDER BY due_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) AS c \
                 WHERE p.id = c.id RETURNING p.id"
            ),
            Db::Sqlite(_) => format!(
                "UPDATE patch_job_hosts SET lease_owner = $1, lease_expires_at = $2, attempt = attempt + 1, updated_at = $3 \
                 WHERE id IN (SELECT id FROM patch_job_hosts WHERE {CLAIMABLE} ORDER BY due_at, id LIMIT $4) RETURNING id"
            ),
        };
        let ids: Vec<(i64,)> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(claim_sql))
                .bind(owner)
                .bind(expires)
                .bind(now)
                .bind(i64::from(limit))
                .fetch_all(db)
                .await?
        });
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        // The rows are leased to us now, so reading their details separately is consistent.
        let detail_sql = format!(
            "SELECT r.id, r.job_id, r.host_id, r.state, r.attempt, r.lease_expires_at, r.idempotency_key, r.agent_job_id, \
             r.retries, r.patch_retries, j.kind, j.options \
             FROM patch_job_hosts r JOIN patch_jobs j ON j.id = r.job_id WHERE r.id IN ({}) AND r.lease_owner = $1 ORDER BY r.id",
            join_ids(ids.iter().map(|(id,)| *id))
        );
        let rows: Vec<ClaimRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(detail_sql)).bind(owner).fetch_all(db).await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(ClaimedWork {
                    lease: Lease {
                        job_host: JobHostId::new(r.id)?,
                        owner: owner.to_owned(),
                        attempt: r.attempt,
                        expires_at: r.lease_expires_at,
                    },
                    job: JobId::new(r.job_id)?,
                    host: HostId::new(r.host_id)?,
                    kind: r.kind.parse()?,
                    options: serde_json::from_str(&r.options).map_err(StoreError::corrupt)?,
                    state: r.state.parse()?,
                    idempotency_key: r.idempotency_key,
                    agent_job_id: r.agent_job_id,
                    retries: u32::try_from(r.retries).unwrap_or(u32::MAX),
                    patch_retries: u32::try_from(r.patch_retries).unwrap_or(u32::MAX),
                })
            })
            .collect()
    }

    /// Extends a lease to `now + lease_for`.
    pub async fn renew_lease(
        &self,
        lease: &Lease,
        now: DateTime<Utc>,
        lease_for: Duration,
    ) -> Result<Lease, StoreError> {
        let expires = ts(now + lease_for);
        let updated = with_db!(self, db => {
            sqlx::query(
                "UPDATE patch_job_hosts SET lease_expires_at = $3, updated_at = $4 \
                 WHERE id = $1 AND attempt = $2 AND lease_owner = $5 \
                 AND state NOT IN ('succeeded', 'failed', 'cancelled')",
            )
            .bind(lease.job_host.get())
            .bind(lease.attempt)
            .bind(expires)
            .bind(ts(now))
            .bind(&lease.owner)
            .execute(db)
            .await?
            .rows_affected()
        });
        if updated == 0 {
            return Err(StoreError::StaleLease {
                job_host: lease.job_host.get(),
            });
        }
        Ok(Lease {
            expires_at: expires,
            ..lease.clone()
        })
    }

    /// Records the idempotency key before the agent call: the row becomes `dispatched` and the
    /// job `running`.
    pub async fn record_dispatch(
        &self,
        lease: &Lease,
        idempotency_key: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if idempotency_key.is_empty() {
            return Err(StoreError::invalid("idempotency_key", "must not be empty"));
        }
        let now = ts(now);
        let mut tx = self.begin().await?;
        let (job, host, state) = fenced(&mut tx, lease).await?;
        let next = state.dispatch()?;
        with_tx!(tx, t => {
            sqlx::query(
                "UPDATE patch_job_hosts SET state = $2, idempotency_key = $3, waiting_reason = NULL, \
                 started_at = COALESCE(started_at, $4), updated_at = $4 WHERE id = $1",
            )
            .bind(lease.job_host.get())
            .bind(next.as_str())
            .bind(idempotency_key)
            .bind(now)
            .execute(&mut **t)
            .await?;
        });
        // The first dispatch starts the job; a conditional update takes no lock once it runs.
        let running = JobState::Queued.start()?;
        let started = with_tx!(tx, t => {
            sqlx::query("UPDATE patch_jobs SET state = $2, started_at = $3 WHERE id = $1 AND state = 'queued'")
                .bind(job)
                .bind(running.as_str())
                .bind(now)
                .execute(&mut **t)
                .await?
                .rows_affected()
        });
        if started == 1 {
            emit(
                &mut tx,
                &JobEvent {
                    job_id: job,
                    job_host_id: None,
                    host_id: None,
                    state: running.as_str().into(),
                },
            )
            .await?;
        }
        emit(&mut tx, &row_event(job, lease, host, next)).await?;
        tx.commit().await
    }

    /// Records the agent's job id: the row becomes `running`.
    pub async fn record_accepted(
        &self,
        lease: &Lease,
        agent_job_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let (job, host, state) = fenced(&mut tx, lease).await?;
        let next = state.accept()?;
        with_tx!(tx, t => {
            sqlx::query("UPDATE patch_job_hosts SET state = $2, agent_job_id = $3, updated_at = $4 WHERE id = $1")
                .bind(lease.job_host.get())
                .bind(next.as_str())
                .bind(agent_job_id)
                .bind(ts(now))
                .execute(&mut **t)
                .await?;
        });
        emit(&mut tx, &row_event(job, lease, host, next)).await?;
        tx.commit().await
    }

    /// Records progress and output from the agent's job stream (no state change).
    pub async fn record_progress(
        &self,
        lease: &Lease,
        progress: u8,
        log_tail: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let log = serde_json::to_string(log_tail).map_err(StoreError::corrupt)?;
        let mut tx = self.begin().await?;
        let (job, host, state) = fenced(&mut tx, lease).await?;
        with_tx!(tx, t => {
            sqlx::query("UPDATE patch_job_hosts SET progress = $2, log_tail = $3, updated_at = $4 WHERE id = $1")
                .bind(lease.job_host.get())
                .bind(i64::from(progress.min(100)))
                .bind(&log)
                .bind(ts(now))
                .execute(&mut **t)
                .await?;
        });
        emit(&mut tx, &row_event(job, lease, host, state)).await?;
        tx.commit().await
    }

    /// Schedules another attempt at `due_at` and releases the lease. `patch_retry` counts it as
    /// the one in-window retry of a failed patch; otherwise as a transient retry. The agent job
    /// id is cleared (a retry starts a new agent job under a new idempotency key).
    pub async fn retry_later(
        &self,
        lease: &Lease,
        due_at: DateTime<Utc>,
        error: &str,
        patch_retry: bool,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let (job, host, state) = fenced(&mut tx, lease).await?;
        let next = state.retry_later()?;
        let counter = if patch_retry {
            "patch_retries = patch_retries + 1"
        } else {
            "retries = retries + 1"
        };
        let sql = format!(
            "UPDATE patch_job_hosts SET state = $2, due_at = $3, error = $4, {counter}, agent_job_id = NULL, \
             idempotency_key = NULL, lease_owner = NULL, lease_expires_at = NULL, updated_at = $5 WHERE id = $1"
        );
        with_tx!(tx, t => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(lease.job_host.get())
                .bind(next.as_str())
                .bind(ts(due_at))
                .bind(error)
                .bind(ts(now))
                .execute(&mut **t)
                .await?;
        });
        emit(&mut tx, &row_event(job, lease, host, next)).await?;
        tx.commit().await
    }

    /// Gives a claimed row back without doing it (its window closed, or the host has none):
    /// it waits again as `queued`, due at `due_at` (`None`: until a window is set).
    pub async fn release(
        &self,
        lease: &Lease,
        due_at: Option<DateTime<Utc>>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let mut tx = self.begin().await?;
        let (job, host, state) = fenced(&mut tx, lease).await?;
        let next = state.requeue()?;
        with_tx!(tx, t => {
            sqlx::query(
                "UPDATE patch_job_hosts SET state = $2, due_at = $3, waiting_reason = $4, lease_owner = NULL, \
                 lease_expires_at = NULL, updated_at = $5 WHERE id = $1",
            )
            .bind(lease.job_host.get())
            .bind(next.as_str())
            .bind(due_at.map(ts))
            .bind(reason)
            .bind(ts(now))
            .execute(&mut **t)
            .await?;
        });
        emit(&mut tx, &row_event(job, lease, host, next)).await?;
        tx.commit().await
    }

    /// Finishes a row, releases the lease, records its package changes in the long-lived
    /// history, and settles the job when this was its last unfinished row.
    pub async fn complete(
        &self,
        lease: &Lease,
        outcome: &HostOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let (job, host, state) = fenced(&mut tx, lease).await?;
        let (next, error, changes, log_tail, reboot) = match outcome {
            HostOutcome::Succeeded {
                changes,
                reboot_required,
                log_tail,
            } => (state.succeed()?, None, changes, log_tail, *reboot_required),
            HostOutcome::Failed {
                error,
                changes,
                log_tail,
            } => (
                state.fail()?,
                Some(error.as_str()),
                changes,
                log_tail,
                false,
            ),
        };
        let changes_json = serde_json::to_string(changes).map_err(StoreError::corrupt)?;
        let log_json = serde_json::to_string(log_tail).map_err(StoreError::corrupt)?;
        let progress: i64 = if next == JobHostState::Succeeded {
            100
        } else {
            0
        };
        with_tx!(tx, t => {
            sqlx::query(
                "UPDATE patch_job_hosts SET state = $2, error = $3, changes = $4, log_tail = $5, reboot_required = $6, \
                 progress = CASE WHEN $7 = 100 THEN 100 ELSE progress END, finished_at = $8, updated_at = $8, \
                 lease_owner = NULL, lease_expires_at = NULL WHERE id = $1",
            )
            .bind(lease.job_host.get())
            .bind(next.as_str())
            .bind(error)
            .bind(&changes_json)
            .bind(&log_json)
            .bind(reboot)
            .bind(progress)
            .bind(now)
            .execute(&mut **t)
            .await?;
            for change in changes {
                sqlx::query(
                    "INSERT INTO package_change_history (job_id, host_id, package, from_version, to_version, action, at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(job)
                .bind(host)
                .bind(&change.package)
                .bind(&change.from)
                .bind(&change.to)
                .bind(change.action.as_str())
                .bind(now)
                .execute(&mut **t)
                .await?;
            }
        });
        emit(&mut tx, &row_event(job, lease, host, next)).await?;
        tx.commit().await?;
        // Settle in a second transaction that locks the job only when no row is left: holding
        // the job's lock through every row's commit would serialise a job's completions.
        self.settle_job_if_done(job, now).await
    }

    /// Settles the job if all its rows are finished and it has not been settled yet. Whichever
    /// completion commits last sees every row finished, so a job always settles; a crash
    /// between the two steps is repaired by [`Store::settle_finished_jobs`].
    pub(crate) async fn settle_job_if_done(
        &self,
        job: i64,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let unfinished: Option<i64> = with_db!(self, db => {
            sqlx::query_scalar(UNFINISHED_ROW).bind(job).fetch_optional(db).await?
        });
        if unfinished.is_some() {
            return Ok(());
        }
        let mut tx = self.begin().await?;
        let (state, finished_at) = lock_job_state(&mut tx, job).await?;
        if finished_at.is_none() {
            settle_if_done(&mut tx, job, state, now).await?;
        }
        tx.commit().await
    }

    /// Settles every job whose rows are all finished but which was not settled (its worker
    /// died between finishing the last row and settling). Workers run this at start and now
    /// and then. Returns how many jobs it settled.
    pub async fn settle_finished_jobs(&self, now: DateTime<Utc>) -> Result<u64, StoreError> {
        let jobs: Vec<i64> = with_db!(self, db => {
            sqlx::query_scalar(
                "SELECT j.id FROM patch_jobs j WHERE j.finished_at IS NULL AND NOT EXISTS \
                 (SELECT 1 FROM patch_job_hosts r WHERE r.job_id = j.id \
                  AND r.state IN ('queued', 'dispatched', 'running', 'retry_waiting'))",
            )
            .fetch_all(db)
            .await?
        });
        for job in &jobs {
            self.settle_job_if_done(*job, ts(now)).await?;
        }
        Ok(jobs.len() as u64)
    }
}

fn row_event(job: i64, lease: &Lease, host: i64, state: JobHostState) -> JobEvent {
    JobEvent {
        job_id: job,
        job_host_id: Some(lease.job_host.get()),
        host_id: Some(host),
        state: state.as_str().into(),
    }
}

/// Reads the row behind a lease, locked, and checks the lease still holds it.
async fn fenced(tx: &mut Tx, lease: &Lease) -> Result<(i64, i64, JobHostState), StoreError> {
    let lock = if tx.is_postgres() { " FOR UPDATE" } else { "" };
    let sql = format!(
        "SELECT job_id, host_id, state, attempt, lease_owner FROM patch_job_hosts WHERE id = $1{lock}"
    );
    let row: Option<(i64, i64, String, i64, Option<String>)> = with_tx!(tx, t => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(lease.job_host.get()).fetch_optional(&mut **t).await?
    });
    match row {
        Some((job, host, state, attempt, Some(owner)))
            if attempt == lease.attempt && owner == lease.owner =>
        {
            Ok((job, host, state.parse()?))
        }
        Some(_) => Err(StoreError::StaleLease {
            job_host: lease.job_host.get(),
        }),
        None => Err(StoreError::NotFound { what: "job host" }),
    }
}

impl JobQueue for Store {
    async fn claim(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        lease_for: Duration,
        limit: u32,
    ) -> Result<Vec<ClaimedWork>, QueueError> {
        Ok(Store::claim(self, owner, now, lease_for, limit).await?)
    }

    async fn renew(
        &self,
        lease: &Lease,
        now: DateTime<Utc>,
        lease_for: Duration,
    ) -> Result<Lease, QueueError> {
        Ok(self.renew_lease(lease, now, lease_for).await?)
    }

    async fn record_dispatch(
        &self,
        lease: &Lease,
        idempotency_key: &str,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::record_dispatch(self, lease, idempotency_key, now).await?)
    }

    async fn record_accepted(
        &self,
        lease: &Lease,
        agent_job_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::record_accepted(self, lease, agent_job_id, now).await?)
    }

    async fn retry_later(
        &self,
        lease: &Lease,
        due_at: DateTime<Utc>,
        error: &str,
        patch_retry: bool,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::retry_later(self, lease, due_at, error, patch_retry, now).await?)
    }

    async fn complete(
        &self,
        lease: &Lease,
        outcome: &HostOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::complete(self, lease, outcome, now).await?)
    }
}
