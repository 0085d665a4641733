//! Patch jobs: creating a job with its per-host rows, reading and listing them in scope, their
//! event log, cancelling, and planning a rollback.

use chrono::{DateTime, Utc};
use lpm_core::agent::PackageChange;
use lpm_core::ids::{HostId, JobHostId, JobId, UserId};
use lpm_core::job::{JobHostState, JobKind, JobOptions, JobState, Schedule};
use lpm_core::ports::{Channel, Notice};
use lpm_core::rbac::Scope;
use serde::Serialize;

use crate::audit::append;
use crate::fleet::{join_ids, scope_sql};
use crate::{Actor, Direction, Page, PageRequest, Store, StoreError, Tx, ts, with_db, with_tx};

/// One host of a new job and when it becomes due.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobTarget {
    /// The host.
    pub host: HostId,
    /// When a worker may start it: now for an immediate job, the next window opening for a
    /// queued one, `None` while the host has no window (the row waits and says why).
    pub due_at: Option<DateTime<Utc>>,
    /// Why the row waits, shown to people (e.g. "no maintenance window").
    pub waiting_reason: Option<String>,
}

/// A job to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewJob {
    /// What to do.
    pub kind: JobKind,
    /// When.
    pub schedule: Schedule,
    /// Passed to the agents.
    pub options: JobOptions,
    /// For a rollback, the job it undoes.
    pub parent: Option<JobId>,
    /// The hosts, each at most once.
    pub targets: Vec<JobTarget>,
}

/// A job as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobSummary {
    /// Its id.
    pub id: JobId,
    /// What it does.
    pub kind: JobKind,
    /// Its state.
    pub state: JobState,
    /// When it runs.
    pub schedule: Schedule,
    /// Agent options.
    pub options: JobOptions,
    /// The job a rollback undoes.
    pub parent: Option<JobId>,
    /// Who created it.
    pub created_by: Option<UserId>,
    /// Their username (`None` for the system, or once the user is deleted).
    pub created_by_name: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When the first host started.
    pub started_at: Option<DateTime<Utc>>,
    /// When the last host finished.
    pub finished_at: Option<DateTime<Utc>>,
    /// How many hosts it covers.
    pub host_count: i64,
}

/// One host's row of a job.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobHostRecord {
    /// Its id.
    pub id: JobHostId,
    /// The job.
    pub job: JobId,
    /// The host.
    pub host: HostId,
    /// The host's name (FQDN, else address), where the read provides it.
    pub host_name: Option<String>,
    /// Its state.
    pub state: JobHostState,
    /// When it becomes due.
    pub due_at: Option<DateTime<Utc>>,
    /// Why it waits.
    pub waiting_reason: Option<String>,
    /// Claims so far (the fencing token).
    pub attempt: i64,
    /// Transient retries made.
    pub retries: i64,
    /// Patch retries made.
    pub patch_retries: i64,
    /// The key sent to the agent.
    pub idempotency_key: Option<String>,
    /// The agent's job id.
    pub agent_job_id: Option<String>,
    /// Percent done.
    pub progress: i64,
    /// The last error.
    pub error: Option<String>,
    /// Package changes made.
    pub changes: Vec<PackageChange>,
    /// The last output lines.
    pub log_tail: Vec<String>,
    /// A reboot is needed.
    pub reboot_required: bool,
    /// When it started on the agent.
    pub started_at: Option<DateTime<Utc>>,
    /// When it finished.
    pub finished_at: Option<DateTime<Utc>>,
}

/// A job with its host rows (those in the caller's scope).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobDetail {
    /// The job.
    pub job: JobSummary,
    /// Its host rows.
    pub hosts: Vec<JobHostRecord>,
}

/// Filters and order of the job list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct JobQuery {
    /// Only this state.
    pub state: Option<JobState>,
    /// Only this kind.
    pub kind: Option<JobKind>,
    /// Only jobs with a row for this host.
    pub host: Option<HostId>,
    /// Only jobs this user created.
    pub created_by: Option<UserId>,
    /// Created at or after.
    pub since: Option<DateTime<Utc>>,
    /// Created before.
    pub until: Option<DateTime<Utc>>,
    /// Order; `None` is newest first.
    pub sort: Option<(JobSort, Direction)>,
}

/// What the job list sorts by (ties broken by id, newest first).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum JobSort {
    /// Creation time.
    #[default]
    Created,
    /// State word.
    State,
}

impl JobSort {
    fn column(self) -> &'static str {
        match self {
            JobSort::Created => "j.created_at",
            JobSort::State => "j.state",
        }
    }
}

/// One entry of a job's event log: the job's creation, a cancel request, the job starting and
/// settling, and a host row's retries, waits, failures and cancellation. A row's plain path
/// (sent, accepted, succeeded) is not logged: its times are on the row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct JobEventRecord {
    /// Its id (events are ordered by it).
    pub id: i64,
    /// The job.
    pub job_id: i64,
    /// The host row, for a host-level event; `None` for the job itself.
    pub job_host_id: Option<i64>,
    /// The host, for a host-level event.
    pub host_id: Option<i64>,
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The new state word: a job state for job-level events, a job-host state otherwise.
    pub state: String,
    /// The row's attempt number at the time (0 before the first claim; job-level: 0).
    pub attempt: i64,
    /// Why a row waits, what went wrong, or who acted.
    pub message: Option<String>,
}

/// What a rollback of a finished job would cover.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RollbackPlan {
    /// The job has not finished: nothing can be rolled back yet.
    NotFinished(JobState),
    /// No host recorded a package change: there is nothing to roll back.
    NothingChanged,
    /// The hosts whose packages the job changed.
    Hosts(Vec<HostId>),
}

/// How many jobs in scope are under way.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ActiveJobs {
    /// Waiting for their first host to start.
    pub queued: i64,
    /// At least one host started and not all finished.
    pub running: i64,
}

#[derive(Debug, sqlx::FromRow)]
struct JobRow {
    id: i64,
    kind: String,
    state: String,
    schedule: String,
    options: String,
    parent_job_id: Option<i64>,
    created_by: Option<i64>,
    created_by_name: Option<String>,
    created_at: DateTime<Utc>,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
    host_count: i64,
}

/// The columns of a job read `FROM patch_jobs j`; the creator's name is a subquery, so any
/// query over `patch_jobs j` can use them without a join.
const JOB_COLUMNS: &str = "j.id, j.kind, j.state, j.schedule, j.options, j.parent_job_id, j.created_by, \
                           (SELECT u.username FROM users u WHERE u.id = j.created_by) AS created_by_name, \
                           j.created_at, j.started_at, j.finished_at, j.host_count";

impl TryFrom<JobRow> for JobSummary {
    type Error = StoreError;
    fn try_from(r: JobRow) -> Result<Self, StoreError> {
        Ok(JobSummary {
            id: JobId::new(r.id)?,
            kind: r.kind.parse()?,
            state: r.state.parse()?,
            schedule: r.schedule.parse()?,
            options: serde_json::from_str(&r.options).map_err(StoreError::corrupt)?,
            parent: r.parent_job_id.map(JobId::new).transpose()?,
            created_by: r.created_by.map(UserId::new).transpose()?,
            created_by_name: r.created_by_name,
            created_at: r.created_at,
            started_at: r.started_at,
            finished_at: r.finished_at,
            host_count: r.host_count,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct JobHostRow {
    id: i64,
    job_id: i64,
    host_id: i64,
    #[sqlx(default)]
    host_name: Option<String>,
    state: String,
    due_at: Option<DateTime<Utc>>,
    waiting_reason: Option<String>,
    attempt: i64,
    retries: i64,
    patch_retries: i64,
    idempotency_key: Option<String>,
    agent_job_id: Option<String>,
    progress: i64,
    error: Option<String>,
    changes: Option<String>,
    log_tail: Option<String>,
    reboot_required: bool,
    started_at: Option<DateTime<Utc>>,
    finished_at: Option<DateTime<Utc>>,
}

pub(crate) const JOB_HOST_COLUMNS: &str = "r.id, r.job_id, r.host_id, r.state, r.due_at, r.waiting_reason, r.attempt, \
     r.retries, r.patch_retries, r.idempotency_key, r.agent_job_id, r.progress, r.error, r.changes, r.log_tail, \
     r.reboot_required, r.started_at, r.finished_at";

impl TryFrom<JobHostRow> for JobHostRecord {
    type Error = StoreError;
    fn try_from(r: JobHostRow) -> Result<Self, StoreError> {
        Ok(JobHostRecord {
            id: JobHostId::new(r.id)?,
            job: JobId::new(r.job_id)?,
            host: HostId::new(r.host_id)?,
            host_name: r.host_name,
            state: r.state.parse()?,
            due_at: r.due_at,
            waiting_reason: r.waiting_reason,
            attempt: r.attempt,
            retries: r.retries,
            patch_retries: r.patch_retries,
            idempotency_key: r.idempotency_key,
            agent_job_id: r.agent_job_id,
            progress: r.progress,
            error: r.error,
            changes: json_column(r.changes.as_deref())?.unwrap_or_default(),
            log_tail: json_column(r.log_tail.as_deref())?.unwrap_or_default(),
            reboot_required: r.reboot_required,
            started_at: r.started_at,
            finished_at: r.finished_at,
        })
    }
}

fn json_column<T: serde::de::DeserializeOwned>(raw: Option<&str>) -> Result<Option<T>, StoreError> {
    raw.map(|s| serde_json::from_str(s).map_err(StoreError::corrupt))
        .transpose()
}

/// The payload of a `job_events` notice: enough for a browser to refresh one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct JobEvent {
    /// The job.
    pub job_id: i64,
    /// The host row, for host-level events.
    pub job_host_id: Option<i64>,
    /// The host, for host-level events.
    pub host_id: Option<i64>,
    /// The new state word (job or job-host state).
    pub state: String,
}

pub(crate) async fn emit(tx: &mut Tx, event: &JobEvent) -> Result<(), StoreError> {
    let payload = serde_json::to_string(event).map_err(StoreError::corrupt)?;
    tx.notify(Notice {
        channel: Channel::JobEvents,
        payload,
    })
    .await
}

impl Store {
    /// Creates a job and one row per host, audits it and wakes a worker (`job_enqueued`).
    /// Every host must be in the caller's scope; one that is not is reported as not found and
    /// nothing is written.
    pub async fn create_job(
        &self,
        scope: &Scope,
        job: &NewJob,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<JobId, StoreError> {
        if job.targets.is_empty() {
            return Err(StoreError::invalid(
                "hosts",
                "a job needs at least one host",
            ));
        }
        let mut hosts: Vec<i64> = job.targets.iter().map(|t| t.host.get()).collect();
        hosts.sort_unstable();
        if hosts.windows(2).any(|w| w[0] == w[1]) {
            return Err(StoreError::invalid("hosts", "a host is named twice"));
        }
        if job.kind == JobKind::Rollback && job.parent.is_none() {
            return Err(StoreError::invalid(
                "parent_job_id",
                "a rollback names the job it undoes",
            ));
        }
        let now = ts(now);
        let options = serde_json::to_string(&job.options).map_err(StoreError::corrupt)?;
        let visible_sql = format!(
            "SELECT COUNT(*) FROM hosts h WHERE h.id IN ({}) AND {}",
            join_ids(hosts.iter().copied()),
            scope_sql(scope, "h.id")
        );
        let mut tx = self.begin().await?;
        let visible: i64 = with_tx!(tx, t => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(visible_sql)).fetch_one(&mut **t).await?
        });
        if usize::try_from(visible).ok() != Some(hosts.len()) {
            return Err(StoreError::NotFound { what: "host" });
        }
        let host_count = i64::try_from(hosts.len()).map_err(StoreError::corrupt)?;
        let id: i64 = with_tx!(tx, t => {
            sqlx::query_scalar(
                "INSERT INTO patch_jobs (kind, state, schedule, options, parent_job_id, created_by, created_at, host_count) \
                 VALUES ($1, 'queued', $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(job.kind.as_str())
            .bind(job.schedule.as_str())
            .bind(&options)
            .bind(job.parent.map(JobId::get))
            .bind(scope.actor().map(UserId::get))
            .bind(now)
            .bind(host_count)
            .fetch_one(&mut **t)
            .await
            .map_err(|e| match &e {
                sqlx::Error::Database(d) if d.is_foreign_key_violation() => StoreError::NotFound { what: "parent job" },
                _ => StoreError::Database(e),
            })?
        });
        log_event(
            &mut tx,
            id,
            now,
            JobState::Queued.as_str(),
            &format!("created by {} for {} host(s)", actor.name, hosts.len()),
        )
        .await?;
        for target in &job.targets {
            with_tx!(tx, t => {
                sqlx::query(
                    "INSERT INTO patch_job_hosts (job_id, host_id, state, due_at, waiting_reason, updated_at) \
                     VALUES ($1, $2, 'queued', $3, $4, $5)",
                )
                .bind(id)
                .bind(target.host.get())
                .bind(target.due_at.map(ts))
                .bind(&target.waiting_reason)
                .bind(now)
                .execute(&mut **t)
                .await?;
            });
        }
        tx.notify(Notice {
            channel: Channel::JobEnqueued,
            payload: id.to_string(),
        })
        .await?;
        emit(
            &mut tx,
            &JobEvent {
                job_id: id,
                job_host_id: None,
                host_id: None,
                state: "queued".into(),
            },
        )
        .await?;
        let entry = actor.entry("job.created", "job", id).details(serde_json::json!({
            "kind": job.kind, "schedule": job.schedule, "hosts": hosts, "options": job.options, "parent": job.parent,
        }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(JobId::new(id)?)
    }

    /// A job and its rows for hosts in scope; a job with no host in scope is not found.
    pub async fn get_job(&self, scope: &Scope, id: JobId) -> Result<JobDetail, StoreError> {
        let rows_sql = format!(
            "SELECT {JOB_HOST_COLUMNS}, COALESCE(h.fqdn, h.ip) AS host_name \
             FROM patch_job_hosts r JOIN hosts h ON h.id = r.host_id WHERE r.job_id = $1 AND {} ORDER BY r.id",
            scope_sql(scope, "r.host_id")
        );
        let (job, rows): (Option<JobRow>, Vec<JobHostRow>) = with_db!(self, db => {
            let job = sqlx::query_as(sqlx::AssertSqlSafe(format!("SELECT {JOB_COLUMNS} FROM patch_jobs j WHERE j.id = $1")))
                .bind(id.get())
                .fetch_optional(db)
                .await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql)).bind(id.get()).fetch_all(db).await?;
            (job, rows)
        });
        match job {
            Some(job) if !rows.is_empty() => Ok(JobDetail {
                job: job.try_into()?,
                hosts: rows
                    .into_iter()
                    .map(JobHostRecord::try_from)
                    .collect::<Result<_, _>>()?,
            }),
            _ => Err(StoreError::NotFound { what: "job" }),
        }
    }

    /// A page of the jobs touching at least one host in scope, filtered and sorted by `query`
    /// (newest first by default).
    pub async fn list_jobs(
        &self,
        scope: &Scope,
        query: &JobQuery,
        page: PageRequest,
    ) -> Result<Page<JobSummary>, StoreError> {
        // Every parameter is always bound; a NULL one disables its clause.
        let filter = format!(
            "($1 IS NULL OR j.state = $1) AND ($2 IS NULL OR j.kind = $2) \
             AND ($3 IS NULL OR EXISTS (SELECT 1 FROM patch_job_hosts fr WHERE fr.job_id = j.id AND fr.host_id = $3)) \
             AND ($4 IS NULL OR j.created_by = $4) AND ($5 IS NULL OR j.created_at >= $5) \
             AND ($6 IS NULL OR j.created_at < $6) \
             AND EXISTS (SELECT 1 FROM patch_job_hosts r WHERE r.job_id = j.id AND {})",
            scope_sql(scope, "r.host_id")
        );
        let order = match query.sort {
            None => "j.id DESC".to_owned(),
            Some((sort, direction)) => format!("{} {}, j.id DESC", sort.column(), direction.sql()),
        };
        let count_sql = format!("SELECT COUNT(*) FROM patch_jobs j WHERE {filter}");
        let list_sql = format!(
            "SELECT {JOB_COLUMNS} FROM patch_jobs j WHERE {filter} ORDER BY {order} LIMIT $7 OFFSET $8"
        );
        let state = query.state.map(JobState::as_str);
        let kind = query.kind.map(JobKind::as_str);
        let host = query.host.map(HostId::get);
        let created_by = query.created_by.map(UserId::get);
        let since = query.since.map(ts);
        let until = query.until.map(ts);
        let (total, rows): (i64, Vec<JobRow>) = with_db!(self, db => {
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(state).bind(kind).bind(host).bind(created_by).bind(since).bind(until)
                .fetch_one(db).await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(state).bind(kind).bind(host).bind(created_by).bind(since).bind(until)
                .bind(page.limit()).bind(page.offset())
                .fetch_all(db).await?;
            (total, rows)
        });
        let items = rows
            .into_iter()
            .map(JobSummary::try_from)
            .collect::<Result<_, _>>()?;
        Ok(Page::of(items, total, page))
    }

    /// A page of a job's event log: the job's own events and those of its rows for hosts in
    /// scope, oldest first (or newest first). A job with no host in scope is not found.
    pub async fn list_job_events(
        &self,
        scope: &Scope,
        id: JobId,
        newest_first: bool,
        page: PageRequest,
    ) -> Result<Page<JobEventRecord>, StoreError> {
        self.require_visible_job(scope, id).await?;
        // A row's events show while the row exists (a deleted host's go with its rows).
        let filter = format!(
            "e.job_id = $1 AND (e.job_host_id IS NULL OR EXISTS \
             (SELECT 1 FROM patch_job_hosts r WHERE r.id = e.job_host_id AND {}))",
            scope_sql(scope, "r.host_id")
        );
        let direction = if newest_first { "DESC" } else { "ASC" };
        let count_sql = format!("SELECT COUNT(*) FROM job_events e WHERE {filter}");
        let list_sql = format!(
            "SELECT e.id, e.job_id, e.job_host_id, e.host_id, e.at, e.state, e.attempt, e.message \
             FROM job_events e WHERE {filter} ORDER BY e.id {direction} LIMIT $2 OFFSET $3"
        );
        let (total, items) = with_db!(self, db => {
            let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)).bind(id.get()).fetch_one(db).await?;
            let items: Vec<JobEventRecord> = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(id.get()).bind(page.limit()).bind(page.offset())
                .fetch_all(db).await?;
            (total, items)
        });
        Ok(Page::of(items, total, page))
    }

    /// Not found unless the job has a row for a host in scope (the rule of [`Store::get_job`],
    /// without loading the rows).
    async fn require_visible_job(&self, scope: &Scope, id: JobId) -> Result<(), StoreError> {
        let sql = format!(
            "SELECT r.id FROM patch_job_hosts r WHERE r.job_id = $1 AND {} LIMIT 1",
            scope_sql(scope, "r.host_id")
        );
        let row: Option<i64> = with_db!(self, db => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(sql)).bind(id.get()).fetch_optional(db).await?
        });
        row.map(|_| ()).ok_or(StoreError::NotFound { what: "job" })
    }

    /// What rolling back a job would cover (SDD §6.5): the hosts whose packages it changed.
    /// The caller must reach every one of them ([`StoreError::OutOfScope`] otherwise); a job
    /// with no host in scope is not found.
    pub async fn plan_rollback(
        &self,
        scope: &Scope,
        id: JobId,
    ) -> Result<RollbackPlan, StoreError> {
        self.require_visible_job(scope, id).await?;
        let sql = format!(
            "SELECT r.host_id, r.changes, CASE WHEN {} THEN 1 ELSE 0 END AS visible \
             FROM patch_job_hosts r WHERE r.job_id = $1 ORDER BY r.host_id",
            scope_sql(scope, "r.host_id")
        );
        let (state, rows): (Option<String>, Vec<RowChanges>) = with_db!(self, db => {
            let state = sqlx::query_scalar("SELECT state FROM patch_jobs WHERE id = $1")
                .bind(id.get()).fetch_optional(db).await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.get()).fetch_all(db).await?;
            (state, rows)
        });
        let state: JobState = state.ok_or(StoreError::NotFound { what: "job" })?.parse()?;
        if !state.is_terminal() {
            return Ok(RollbackPlan::NotFinished(state));
        }
        let mut hosts = Vec::new();
        for (host, changes, visible) in rows {
            let changes: Vec<PackageChange> = json_column(changes.as_deref())?.unwrap_or_default();
            if changes.is_empty() {
                continue;
            }
            if visible == 0 {
                return Err(StoreError::OutOfScope { what: "rollback" });
            }
            hosts.push(HostId::new(host)?);
        }
        Ok(if hosts.is_empty() {
            RollbackPlan::NothingChanged
        } else {
            RollbackPlan::Hosts(hosts)
        })
    }

    /// How many jobs touching hosts in scope are queued and running (for the dashboard).
    pub async fn active_jobs(&self, scope: &Scope) -> Result<ActiveJobs, StoreError> {
        let sql = format!(
            "SELECT j.state, COUNT(*) FROM patch_jobs j WHERE j.state IN ('queued', 'running') \
             AND EXISTS (SELECT 1 FROM patch_job_hosts r WHERE r.job_id = j.id AND {}) GROUP BY j.state",
            scope_sql(scope, "r.host_id")
        );
        let counts: Vec<(String, i64)> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db).await?
        });
        let count = |state: JobState| {
            counts
                .iter()
                .find(|(s, _)| s == state.as_str())
                .map_or(0, |(_, n)| *n)
        };
        Ok(ActiveJobs {
            queued: count(JobState::Queued),
            running: count(JobState::Running),
        })
    }

    /// Cancels a job: rows not yet sent to an agent stop; rows already running on an agent
    /// run to their end and are reported as such. The caller must reach every host of the job.
    /// Returns how many rows were cancelled.
    pub async fn cancel_job(
        &self,
        scope: &Scope,
        id: JobId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let now = ts(now);
        let outside_sql = format!(
            "SELECT COUNT(*) FROM patch_job_hosts r WHERE r.job_id = $1 AND NOT ({})",
            scope_sql(scope, "r.host_id")
        );
        // Not visible at all: not found, exactly as a job that does not exist.
        self.get_job(scope, id).await?;
        let mut tx = self.begin().await?;
        let outside: i64 = with_tx!(tx, t => {
            sqlx::query_scalar(sqlx::AssertSqlSafe(outside_sql)).bind(id.get()).fetch_one(&mut **t).await?
        });
        if outside > 0 {
            return Err(StoreError::OutOfScope { what: "job" });
        }
        // Rows first, then the job: the same lock order as completions.
        let cancelled: Vec<(i64, i64)> = with_tx!(tx, t => {
            sqlx::query_as(
                "UPDATE patch_job_hosts SET state = 'cancelled', finished_at = $2, updated_at = $2, \
                 lease_owner = NULL, lease_expires_at = NULL \
                 WHERE job_id = $1 AND state IN ('queued', 'retry_waiting') RETURNING id, host_id",
            )
            .bind(id.get())
            .bind(now)
            .fetch_all(&mut **t)
            .await?
        });
        let (current, _) = lock_job_state(&mut tx, id.get()).await?;
        let next = current.cancel().map_err(|e| {
            tracing::debug!(job = %id, "cancel refused: {e}");
            StoreError::from(e)
        })?;
        let sent: i64 = with_tx!(tx, t => {
            sqlx::query("UPDATE patch_jobs SET state = $2, cancelled_by = $3 WHERE id = $1")
                .bind(id.get())
                .bind(next.as_str())
                .bind(actor.user.map(UserId::get))
                .execute(&mut **t)
                .await?;
            sqlx::query_scalar("SELECT COUNT(*) FROM patch_job_hosts WHERE job_id = $1 AND state IN ('dispatched', 'running')")
                .bind(id.get())
                .fetch_one(&mut **t)
                .await?
        });
        let message = format!(
            "cancel requested by {}: {} waiting row(s) stopped, {sent} row(s) already sent run to their end",
            actor.name,
            cancelled.len()
        );
        log_event(&mut tx, id.get(), now, next.as_str(), &message).await?;
        for (row, host) in &cancelled {
            emit(
                &mut tx,
                &JobEvent {
                    job_id: id.get(),
                    job_host_id: Some(*row),
                    host_id: Some(*host),
                    state: "cancelled".into(),
                },
            )
            .await?;
        }
        settle_if_done(&mut tx, id.get(), next, now).await?;
        tx.notify(Notice {
            channel: Channel::JobCancelled,
            payload: id.to_string(),
        })
        .await?;
        let entry = actor
            .entry("job.cancelled", "job", id)
            .details(serde_json::json!({ "rows_cancelled": cancelled.len() }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(cancelled.len() as u64)
    }
}

/// A row's host, its package changes (JSON) and whether the caller reaches the host (1 or 0).
type RowChanges = (i64, Option<String>, i32);

/// Writes a job-level event (host rows log theirs through triggers, see the `job_events`
/// migration).
async fn log_event(
    tx: &mut Tx,
    job: i64,
    at: DateTime<Utc>,
    state: &str,
    message: &str,
) -> Result<(), StoreError> {
    with_tx!(tx, t => {
        sqlx::query("INSERT INTO job_events (job_id, at, state, message) VALUES ($1, $2, $3, $4)")
            .bind(job)
            .bind(ts(at))
            .bind(state)
            .bind(message)
            .execute(&mut **t)
            .await?;
    });
    Ok(())
}

/// Reads a job's state and when it was settled, locking the row on PostgreSQL (take it after
/// the job-host rows).
pub(crate) async fn lock_job_state(
    tx: &mut Tx,
    job: i64,
) -> Result<(JobState, Option<DateTime<Utc>>), StoreError> {
    let lock = if tx.is_postgres() { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT state, finished_at FROM patch_jobs WHERE id = $1{lock}");
    let row: Option<(String, Option<DateTime<Utc>>)> = with_tx!(tx, t => {
        sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(job).fetch_optional(&mut **t).await?
    });
    let (state, finished_at) = row.ok_or(StoreError::NotFound { what: "job" })?;
    Ok((state.parse()?, finished_at))
}

/// Finds one unfinished row of a job (an index probe on `patch_job_hosts_unfinished`).
pub(crate) const UNFINISHED_ROW: &str = "SELECT id FROM patch_job_hosts WHERE job_id = $1 \
     AND state IN ('queued', 'dispatched', 'running', 'retry_waiting') LIMIT 1";

/// When every row of the job is terminal, settles the job's state and writes its compact
/// history (kept as long as the audit log). Cheap while rows remain: one indexed probe.
pub(crate) async fn settle_if_done(
    tx: &mut Tx,
    job: i64,
    current: JobState,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let unfinished: Option<i64> = with_tx!(tx, t => {
        sqlx::query_scalar(UNFINISHED_ROW).bind(job).fetch_optional(&mut **t).await?
    });
    if unfinished.is_some() {
        return Ok(());
    }
    let counts: Vec<(String, i64)> = with_tx!(tx, t => {
        sqlx::query_as("SELECT state, COUNT(*) FROM patch_job_hosts WHERE job_id = $1 GROUP BY state")
            .bind(job)
            .fetch_all(&mut **t)
            .await?
    });
    // One representative per state is enough for the settle rule; counts go to the history.
    let states = counts
        .iter()
        .map(|(s, _)| s.parse::<JobHostState>())
        .collect::<Result<Vec<_>, _>>()?;
    let failed: i64 = counts
        .iter()
        .filter(|(s, _)| s == "failed")
        .map(|(_, n)| n)
        .sum();
    let settled = current.settle(&states)?;
    with_tx!(tx, t => {
        sqlx::query("UPDATE patch_jobs SET state = $2, finished_at = $3 WHERE id = $1")
            .bind(job)
            .bind(settled.as_str())
            .bind(now)
            .execute(&mut **t)
            .await?;
        sqlx::query(
            "INSERT INTO job_history (job_id, kind, state, created_by, created_at, finished_at, host_count, failed_count, rollback_of) \
             SELECT id, kind, $2, created_by, created_at, $3, host_count, $4, parent_job_id FROM patch_jobs WHERE id = $1 \
             ON CONFLICT (job_id) DO UPDATE SET state = excluded.state, finished_at = excluded.finished_at, \
             failed_count = excluded.failed_count",
        )
        .bind(job)
        .bind(settled.as_str())
        .bind(now)
        .bind(failed)
        .execute(&mut **t)
        .await?;
    });
    emit(
        tx,
        &JobEvent {
            job_id: job,
            job_host_id: None,
            host_id: None,
            state: settled.as_str().into(),
        },
    )
    .await
}

/// One job as it touched one host: the job and that host's row of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostJob {
    /// The job.
    pub job: JobSummary,
    /// The host's row of the job.
    pub row: JobHostRecord,
}

impl Store {
    /// A page of the jobs that touched a host in scope, newest first.
    pub async fn list_host_jobs(
        &self,
        scope: &Scope,
        host: HostId,
        page: PageRequest,
    ) -> Result<Page<HostJob>, StoreError> {
        self.get_host(scope, host).await?;
        let rows_sql = format!(
            "SELECT {JOB_HOST_COLUMNS} FROM patch_job_hosts r WHERE r.host_id = $1 \
             ORDER BY r.job_id DESC, r.id DESC LIMIT $2 OFFSET $3"
        );
        let (total, rows): (i64, Vec<JobHostRow>) = with_db!(self, db => {
            let total = sqlx::query_scalar("SELECT COUNT(*) FROM patch_job_hosts WHERE host_id = $1")
                .bind(host.get()).fetch_one(db).await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(rows_sql))
                .bind(host.get()).bind(page.limit()).bind(page.offset())
                .fetch_all(db).await?;
            (total, rows)
        });
        let rows = rows
            .into_iter()
            .map(JobHostRecord::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        let mut jobs = std::collections::BTreeMap::new();
        if !rows.is_empty() {
            let jobs_sql = format!(
                "SELECT {JOB_COLUMNS} FROM patch_jobs j WHERE j.id IN ({})",
                join_ids(rows.iter().map(|r| r.job.get()))
            );
            let found: Vec<JobRow> = with_db!(self, db => {
                sqlx::query_as(sqlx::AssertSqlSafe(jobs_sql)).fetch_all(db).await?
            });
            for job in found {
                let job = JobSummary::try_from(job)?;
                jobs.insert(job.id, job);
            }
        }
        let items = rows
            .into_iter()
            .map(|row| {
                let job = jobs.get(&row.job).cloned().ok_or_else(|| {
                    StoreError::corrupt(format!("job host {} without its job", row.id))
                })?;
                Ok(HostJob { job, row })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Page::of(items, total, page))
    }
}
