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
use lpm_core::ports::{ClaimedWork, HostOutcome, JobQueue, Lease, QueueError, WaitingRow};

use crate::fleet::join_ids;
use crate::jobs::{JobEvent, UNFINISHED_ROW, emit, lock_job_state, settle_if_done};
use crate::{Db, Store, StoreError, Tx, ts, with_db, with_tx};

/// Due rows waiting for a worker, oldest first: an ordered scan of `patch_job_hosts_due` that
/// stops after `$4` rows (a claimed row not yet dispatched keeps its lease and is skipped).
const DUE: &str = "SELECT id FROM patch_job_hosts WHERE state IN ('queued', 'retry_waiting') AND due_at <= $3 \
                   AND (lease_expires_at IS NULL OR lease_expires_at <= $3) ORDER BY due_at, id LIMIT $4";

/// In-flight rows whose worker died (lease lapsed): a scan of `patch_job_hosts_inflight`.
const LAPSED: &str = "SELECT id FROM patch_job_hosts WHERE state IN ('dispatched', 'running') \
                      AND lease_expires_at <= $3 ORDER BY lease_expires_at, id LIMIT $4";

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
    schedule: String,
    parent_job_id: Option<i64>,
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
            // Lapsed rows first (resume a dead worker's work), then due ones. Each scan is
            // index-ordered and stops early; SKIP LOCKED lets concurrent claimers pass each other.
            Db::Postgres(_) => format!(
                "WITH lapsed AS ({LAPSED} FOR UPDATE SKIP LOCKED), due AS ({DUE} FOR UPDATE SKIP LOCKED) \
                 UPDATE patch_job_hosts AS p SET lease_owner = $1, lease_expires_at = $2, attempt = p.attempt + 1, \
                 updated_at = $3 WHERE p.id IN (SELECT id FROM (SELECT id FROM lapsed UNION ALL SELECT id FROM due) AS c LIMIT $4) \
                 RETURNING p.id"
            ),
            Db::Sqlite(_) => format!(
                "UPDATE patch_job_hosts SET lease_owner = $1, lease_expires_at = $2, attempt = attempt + 1, updated_at = $3 \
                 WHERE id IN (SELECT id FROM (SELECT id FROM ({LAPSED}) UNION ALL SELECT id FROM ({DUE})) LIMIT $4) RETURNING id"
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
             r.retries, r.patch_retries, j.kind, j.schedule, j.parent_job_id, j.options \
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
                    schedule: r.schedule.parse()?,
                    parent: r.parent_job_id.map(JobId::new).transpose()?,
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
        let results = self
            .record_dispatches(&[(lease.clone(), idempotency_key.to_owned())], now)
            .await?;
        results.into_iter().next().unwrap_or(Ok(()))
    }

    /// Records the idempotency keys of a claimed batch in one transaction, before the agent
    /// calls: what a worker does after claiming several rows. Each row is fenced on its own;
    /// the result for each is in input order (a stale or illegal row does not stop the others).
    pub async fn record_dispatches(
        &self,
        batch: &[(Lease, String)],
        now: DateTime<Utc>,
    ) -> Result<Vec<Result<(), StoreError>>, StoreError> {
        if batch.iter().any(|(_, key)| key.is_empty()) {
            return Err(StoreError::invalid("idempotency_key", "must not be empty"));
        }
        let now = ts(now);
        let sql = format!(
            "UPDATE patch_job_hosts SET state = 'dispatched', idempotency_key = $4, waiting_reason = NULL, \
             started_at = COALESCE(started_at, $5), updated_at = $5 \
             WHERE id = $1 AND attempt = $2 AND lease_owner = $3 AND state IN ({}) RETURNING id, job_id, host_id",
            legal_from(JobHostState::dispatch)
        );
        let mut tx = self.begin().await?;
        let mut results = Vec::with_capacity(batch.len());
        let mut jobs = Vec::new();
        let updated: Vec<(i64, i64, i64)> = match &mut tx.inner {
            // One statement for the whole batch: each row is still fenced on its own.
            crate::TxInner::Postgres(t) => {
                let pg_sql = format!(
                    "UPDATE patch_job_hosts AS p SET state = 'dispatched', idempotency_key = v.key, waiting_reason = NULL, \
                     started_at = COALESCE(p.started_at, $5), updated_at = $5 \
                     FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[]) AS v(id, attempt, owner, key) \
                     WHERE p.id = v.id AND p.attempt = v.attempt AND p.lease_owner = v.owner AND p.state IN ({}) \
                     RETURNING p.id, p.job_id, p.host_id",
                    legal_from(JobHostState::dispatch)
                );
                let ids: Vec<i64> = batch.iter().map(|(l, _)| l.job_host.get()).collect();
                let attempts: Vec<i64> = batch.iter().map(|(l, _)| l.attempt).collect();
                let owners: Vec<&str> = batch.iter().map(|(l, _)| l.owner.as_str()).collect();
                let keys: Vec<&str> = batch.iter().map(|(_, k)| k.as_str()).collect();
                sqlx::query_as(sqlx::AssertSqlSafe(pg_sql))
                    .bind(&ids)
                    .bind(&attempts)
                    .bind(&owners)
                    .bind(&keys)
                    .bind(now)
                    .fetch_all(&mut **t)
                    .await?
            }
            crate::TxInner::Sqlite(t) => {
                let mut rows = Vec::new();
                for (lease, key) in batch {
                    let row: Option<(i64, i64, i64)> =
                        sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                            .bind(lease.job_host.get())
                            .bind(lease.attempt)
                            .bind(&lease.owner)
                            .bind(key)
                            .bind(now)
                            .fetch_optional(&mut **t)
                            .await?;
                    rows.extend(row);
                }
                rows
            }
        };
        for (lease, _) in batch {
            match updated
                .iter()
                .find(|(id, _, _)| *id == lease.job_host.get())
            {
                Some(&(_, job, host)) => {
                    emit(
                        &mut tx,
                        &row_event(job, lease, host, JobHostState::Dispatched),
                    )
                    .await?;
                    if !jobs.contains(&job) {
                        jobs.push(job);
                    }
                    results.push(Ok(()));
                }
                None => results.push(Err(diagnose(&mut tx, lease, JobHostState::dispatch).await)),
            }
        }
        // The first dispatch starts the job; the conditional update takes no lock once it runs.
        let running = JobState::Queued.start()?;
        for job in jobs {
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
                let event = JobEvent {
                    job_id: job,
                    job_host_id: None,
                    host_id: None,
                    state: running.as_str().into(),
                };
                emit(&mut tx, &event).await?;
            }
        }
        tx.commit().await?;
        Ok(results)
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
        self.retry(lease, due_at, error, patch_retry, false, now)
            .await
    }

    /// Schedules another attempt after a transient failure whose outcome on the agent is
    /// unknown (a timeout after the request was sent): like [`Store::retry_later`], but the
    /// idempotency key stays, so the next attempt asks the agent for the key's job first and
    /// resends under the same key.
    pub async fn retry_later_keeping_key(
        &self,
        lease: &Lease,
        due_at: DateTime<Utc>,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        self.retry(lease, due_at, error, false, true, now).await
    }

    async fn retry(
        &self,
        lease: &Lease,
        due_at: DateTime<Utc>,
        error: &str,
        patch_retry: bool,
        keep_key: bool,
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
        let key = if keep_key {
            ""
        } else {
            "idempotency_key = NULL, "
        };
        let sql = format!(
            "UPDATE patch_job_hosts SET state = $2, due_at = $3, error = $4, {counter}, agent_job_id = NULL, \
             {key}lease_owner = NULL, lease_expires_at = NULL, updated_at = $5 WHERE id = $1"
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
        type Event = fn(JobHostState) -> Result<JobHostState, lpm_core::job::TransitionError>;
        let (next, event, error, changes, log_tail, reboot): (_, Event, _, _, _, _) = match outcome
        {
            HostOutcome::Succeeded {
                changes,
                reboot_required,
                log_tail,
            } => (
                JobHostState::Succeeded,
                JobHostState::succeed,
                None,
                changes,
                log_tail,
                *reboot_required,
            ),
            HostOutcome::Failed {
                error,
                changes,
                log_tail,
            } => (
                JobHostState::Failed,
                JobHostState::fail,
                Some(error.as_str()),
                changes,
                log_tail,
                false,
            ),
        };
        let changes_json = serde_json::to_string(changes).map_err(StoreError::corrupt)?;
        let log_json = serde_json::to_string(log_tail).map_err(StoreError::corrupt)?;
        // One statement fences, finishes the row and asks whether the job has rows left (the
        // subquery reads the snapshot before this update, so this row is excluded by id).
        let sql = format!(
            "UPDATE patch_job_hosts SET state = $4, error = $5, changes = $6, log_tail = $7, reboot_required = $8, \
             progress = CASE WHEN $4 = 'succeeded' THEN 100 ELSE progress END, finished_at = $9, updated_at = $9, \
             lease_owner = NULL, lease_expires_at = NULL \
             WHERE id = $1 AND attempt = $2 AND lease_owner = $3 AND state IN ({}) \
             RETURNING job_id, host_id, EXISTS (SELECT 1 FROM patch_job_hosts AS o WHERE o.job_id = patch_job_hosts.job_id \
             AND o.id <> $1 AND o.state IN ('queued', 'dispatched', 'running', 'retry_waiting'))",
            legal_from(event)
        );
        let mut tx = self.begin_if(!changes.is_empty()).await?;
        let row: Option<(i64, i64, bool)> = match &mut tx {
            Some(tx) => with_tx!(tx, t => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(lease.job_host.get()).bind(lease.attempt).bind(&lease.owner).bind(next.as_str())
                    .bind(error).bind(&changes_json).bind(&log_json).bind(reboot).bind(now)
                    .fetch_optional(&mut **t).await?
            }),
            None => with_db!(self, db => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql))
                    .bind(lease.job_host.get()).bind(lease.attempt).bind(&lease.owner).bind(next.as_str())
                    .bind(error).bind(&changes_json).bind(&log_json).bind(reboot).bind(now)
                    .fetch_optional(db).await?
            }),
        };
        let Some((job, host, others_unfinished)) = row else {
            // Diagnose inside the open transaction, if any: SQLite has one writer.
            let mut diag = match tx {
                Some(tx) => tx,
                None => self.begin().await?,
            };
            return Err(diagnose(&mut diag, lease, event).await);
        };
        let event = row_event(job, lease, host, next);
        match tx {
            Some(mut tx) => {
                for change in changes {
                    with_tx!(tx, t => {
                        sqlx::query(
                            "INSERT INTO package_change_history (job_id, host_id, package, from_version, to_version, action, at) \
                             VALUES ($1, $2, $3, $4, $5, $6, $7)",
                        )
                        .bind(job).bind(host).bind(&change.package).bind(&change.from).bind(&change.to)
                        .bind(change.action.as_str()).bind(now)
                        .execute(&mut **t)
                        .await?;
                    });
                }
                emit(&mut tx, &event).await?;
                tx.commit().await?;
            }
            None => self.send_after_commit(&event).await,
        }
        if others_unfinished {
            return Ok(());
        }
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

impl Store {
    /// Lets go of a lease at once (a worker stopping): an unsent row (`queued`,
    /// `retry_waiting`) is unleased and claimable again as it was; a row already sent keeps its
    /// state and key with its lease lapsed now, so the next claim resumes it by key.
    pub async fn relinquish(&self, lease: &Lease, now: DateTime<Utc>) -> Result<(), StoreError> {
        let updated = with_db!(self, db => {
            sqlx::query(
                "UPDATE patch_job_hosts SET updated_at = $4, \
                 lease_owner = CASE WHEN state IN ('queued', 'retry_waiting') THEN NULL ELSE lease_owner END, \
                 lease_expires_at = CASE WHEN state IN ('queued', 'retry_waiting') THEN NULL ELSE $4 END \
                 WHERE id = $1 AND attempt = $2 AND lease_owner = $3 \
                 AND state IN ('queued', 'retry_waiting', 'dispatched', 'running')",
            )
            .bind(lease.job_host.get())
            .bind(lease.attempt)
            .bind(&lease.owner)
            .bind(ts(now))
            .execute(db)
            .await?
            .rows_affected()
        });
        if updated == 0 {
            return Err(StoreError::StaleLease {
                job_host: lease.job_host.get(),
            });
        }
        Ok(())
    }

    /// The earliest instant at which a claim may find work: an unleased row falling due, a
    /// leased waiting row's lease lapsing, or an in-flight row's lease lapsing.
    pub async fn next_due_at(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let (waiting, inflight): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = with_db!(self, db => {
            let waiting = sqlx::query_scalar(
                "SELECT MIN(CASE WHEN lease_expires_at IS NOT NULL AND lease_expires_at > due_at \
                 THEN lease_expires_at ELSE due_at END) FROM patch_job_hosts \
                 WHERE state IN ('queued', 'retry_waiting') AND due_at IS NOT NULL",
            )
            .fetch_one(db)
            .await?;
            let inflight = sqlx::query_scalar(
                "SELECT MIN(lease_expires_at) FROM patch_job_hosts WHERE state IN ('dispatched', 'running')",
            )
            .fetch_one(db)
            .await?;
            (waiting, inflight)
        });
        Ok(match (waiting, inflight) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        })
    }

    /// Unleased `queued` rows of jobs that wait for windows, oldest first: what the scheduler
    /// keeps due at each host's next window.
    pub async fn awaiting_window(&self, limit: u32) -> Result<Vec<WaitingRow>, StoreError> {
        /// Row id, host id, due time, waiting reason.
        type Waiting = (i64, i64, Option<DateTime<Utc>>, Option<String>);
        let rows: Vec<Waiting> = with_db!(self, db => {
            sqlx::query_as(
                "SELECT r.id, r.host_id, r.due_at, r.waiting_reason FROM patch_job_hosts r \
                 JOIN patch_jobs j ON j.id = r.job_id \
                 WHERE r.state = 'queued' AND r.lease_owner IS NULL AND j.schedule = 'next_window' \
                 ORDER BY r.id LIMIT $1",
            )
            .bind(i64::from(limit))
            .fetch_all(db)
            .await?
        });
        rows.into_iter()
            .map(|(id, host, due_at, waiting_reason)| {
                Ok(WaitingRow {
                    job_host: JobHostId::new(id)?,
                    host: HostId::new(host)?,
                    due_at,
                    waiting_reason,
                })
            })
            .collect()
    }

    /// Sets when an unleased `queued` row is due and why it waits; `false` when it was claimed,
    /// cancelled or changed meanwhile.
    pub async fn set_due(
        &self,
        row: JobHostId,
        due_at: Option<DateTime<Utc>>,
        waiting_reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let updated = with_db!(self, db => {
            sqlx::query(
                "UPDATE patch_job_hosts SET due_at = $2, waiting_reason = $3, updated_at = $4 \
                 WHERE id = $1 AND state = 'queued' AND lease_owner IS NULL",
            )
            .bind(row.get())
            .bind(due_at.map(ts))
            .bind(waiting_reason)
            .bind(ts(now))
            .execute(db)
            .await?
            .rows_affected()
        });
        Ok(updated == 1)
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

/// The states from which `event` is legal, as an SQL list: lpm-core's state machine stays the
/// one source of truth for the fenced single-statement updates.
fn legal_from(
    event: fn(JobHostState) -> Result<JobHostState, lpm_core::job::TransitionError>,
) -> String {
    JobHostState::ALL
        .iter()
        .filter(|s| event(**s).is_ok())
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Explains why a fenced update matched no row: the lease was lost, the row is gone, or the
/// transition is illegal from the row's state.
async fn diagnose(
    tx: &mut Tx,
    lease: &Lease,
    event: fn(JobHostState) -> Result<JobHostState, lpm_core::job::TransitionError>,
) -> StoreError {
    match fenced(tx, lease).await {
        Ok((_, _, state)) => match event(state) {
            Err(illegal) => StoreError::IllegalTransition(illegal),
            // Legal now: the row changed between the update and this look; treat as lost.
            Ok(_) => StoreError::StaleLease {
                job_host: lease.job_host.get(),
            },
        },
        Err(e) => e,
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

    async fn record_dispatches(
        &self,
        batch: &[(Lease, String)],
        now: DateTime<Utc>,
    ) -> Result<Vec<Result<(), QueueError>>, QueueError> {
        Ok(Store::record_dispatches(self, batch, now)
            .await?
            .into_iter()
            .map(|r| r.map_err(QueueError::from))
            .collect())
    }

    async fn retry_later_keeping_key(
        &self,
        lease: &Lease,
        due_at: DateTime<Utc>,
        error: &str,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::retry_later_keeping_key(self, lease, due_at, error, now).await?)
    }

    async fn record_progress(
        &self,
        lease: &Lease,
        progress: u8,
        log_tail: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::record_progress(self, lease, progress, log_tail, now).await?)
    }

    async fn release(
        &self,
        lease: &Lease,
        due_at: Option<DateTime<Utc>>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<(), QueueError> {
        Ok(Store::release(self, lease, due_at, reason, now).await?)
    }

    async fn relinquish(&self, lease: &Lease, now: DateTime<Utc>) -> Result<(), QueueError> {
        Ok(Store::relinquish(self, lease, now).await?)
    }

    async fn next_due_at(&self) -> Result<Option<DateTime<Utc>>, QueueError> {
        Ok(Store::next_due_at(self).await?)
    }

    async fn awaiting_window(&self, limit: u32) -> Result<Vec<WaitingRow>, QueueError> {
        Ok(Store::awaiting_window(self, limit).await?)
    }

    async fn set_due(
        &self,
        row: JobHostId,
        due_at: Option<DateTime<Utc>>,
        waiting_reason: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<bool, QueueError> {
        Ok(Store::set_due(self, row, due_at, waiting_reason, now).await?)
    }

    async fn settle_finished_jobs(&self, now: DateTime<Utc>) -> Result<u64, QueueError> {
        Ok(Store::settle_finished_jobs(self, now).await?)
    }
}
