//! Accepting and running simulated jobs: idempotency keys, one package-manager job at a time,
//! package changes step by step with package-manager output on the event stream, half-way
//! failures, rollback bookkeeping, and reboots after applying.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use http::{HeaderMap, Response, StatusCode};
use lpm_core::agent::AgentJobState;
use lpm_core::job::RebootPolicy;

use crate::sim::agent::{AgentShared, error_response, json_response, schedule_reboot};
use crate::sim::host::{JobRecord, Step};
use crate::wire::{self, ApplyRequest, InstallRequest, JobAccepted, codes};

/// What a mutating request asks for.
#[derive(Debug)]
pub(crate) enum Work {
    Apply(ApplyRequest),
    Install(InstallRequest),
    Update(String, Option<String>),
    Remove(String),
    Rollback(String),
    Reboot(u32),
}

/// A job ready to run.
#[derive(Debug)]
struct Plan {
    kind: wire::JobKind,
    steps: Vec<Step>,
    dry_run: bool,
    reboot: RebootPolicy,
    rollback_of: Option<String>,
}

/// Accepts a mutating request: answers the same job for a repeated key, refuses while
/// rebooting or busy, plans the change (refusing what cannot be done, recording nothing), then
/// records and starts the job.
pub(crate) fn start(
    agent: &Arc<AgentShared>,
    headers: &HeaderMap,
    fingerprint: String,
    work: Work,
) -> Response<Body> {
    let key = match headers
        .get(wire::IDEMPOTENCY_KEY_HEADER)
        .and_then(|v| v.to_str().ok())
    {
        Some(k) if !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()) => {
            k.to_owned()
        }
        _ => {
            return error_response(
                StatusCode::BAD_REQUEST,
                codes::IDEMPOTENCY_KEY_REQUIRED,
                "every mutating request needs an Idempotency-Key header (1-255 visible ASCII characters)",
            );
        }
    };
    let now = agent.now();
    let mut st = agent.state();
    if let Some((seen, id)) = st.keys.get(&key) {
        return if *seen == fingerprint {
            json_response(StatusCode::ACCEPTED, &JobAccepted { job_id: id.clone() })
        } else {
            error_response(
                StatusCode::UNPROCESSABLE_ENTITY,
                codes::IDEMPOTENCY_KEY_REUSED,
                "this idempotency key was used for a different request",
            )
        };
    }
    if st.reboot_pending {
        return error_response(
            StatusCode::SERVICE_UNAVAILABLE,
            codes::REBOOTING,
            "the host is going down for a reboot",
        );
    }
    if let Some(running) = &st.running {
        let message = format!("job {running} is running; one package-manager job at a time");
        return error_response(StatusCode::CONFLICT, codes::BUSY, &message);
    }
    let planned = match &work {
        Work::Apply(req) => st.plan_apply(req).map(|steps| Plan {
            kind: wire::JobKind::ApplyPatches,
            steps,
            dry_run: req.dry_run,
            reboot: req.reboot,
            rollback_of: None,
        }),
        Work::Install(req) => st.plan_install(req).map(|steps| Plan {
            kind: wire::JobKind::Install,
            steps,
            dry_run: false,
            reboot: RebootPolicy::Never,
            rollback_of: None,
        }),
        Work::Update(name, version) => st.plan_update(name, version.as_deref()).map(|steps| Plan {
            kind: wire::JobKind::Update,
            steps,
            dry_run: false,
            reboot: RebootPolicy::Never,
            rollback_of: None,
        }),
        Work::Remove(name) => st.plan_remove(name).map(|steps| Plan {
            kind: wire::JobKind::Remove,
            steps,
            dry_run: false,
            reboot: RebootPolicy::Never,
            rollback_of: None,
        }),
        Work::Rollback(id) => st.plan_rollback(id).map(|steps| Plan {
            kind: wire::JobKind::Rollback,
            steps,
            dry_run: false,
            reboot: RebootPolicy::Never,
            rollback_of: Some(id.clone()),
        }),
        Work::Reboot(_) => Ok(Plan {
            kind: wire::JobKind::Reboot,
            steps: Vec::new(),
            dry_run: false,
            reboot: RebootPolicy::Always,
            rollback_of: None,
        }),
    };
    let plan = match planned {
        Ok(plan) => plan,
        Err((status, code, message)) => return error_response(status, code, &message),
    };
    let id = st.new_job_id();
    st.jobs.push(JobRecord {
        job: wire::Job {
            id: id.clone(),
            kind: plan.kind,
            state: AgentJobState::Queued,
            idempotency_key: Some(key.clone()),
            progress: 0,
            created_at: now,
            started_at: None,
            finished_at: None,
            changes: Vec::new(),
            reboot_required: false,
            log_tail: Vec::new(),
            error: None,
            rollback_of: plan.rollback_of.clone(),
        },
        dry_run: plan.dry_run,
    });
    st.keys.insert(key.clone(), (fingerprint, id.clone()));
    *st.applied.entry(key).or_default() += 1;
    st.emit(&id, None, now);
    if let Work::Reboot(delay_s) = work {
        st.reboot_pending = true;
        if let Some(record) = st.job_mut(&id) {
            record.job.state = AgentJobState::Running;
            record.job.started_at = Some(now);
        }
        st.emit(&id, Some(format!("Reboot scheduled in {delay_s} s.")), now);
        drop(st);
        schedule_reboot(
            agent,
            Some(id.clone()),
            Duration::from_secs(u64::from(delay_s)),
        );
    } else {
        st.running = Some(id.clone());
        drop(st);
        let runner = agent.clone();
        let stop = agent.shutdown.clone();
        let job_id = id.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = stop.cancelled() => {}
                () = run(runner, job_id, plan) => {}
            }
        });
    }
    json_response(StatusCode::ACCEPTED, &JobAccepted { job_id: id })
}

async fn run(agent: Arc<AgentShared>, id: String, plan: Plan) {
    let timing = agent.env.timing.clone();
    let fail = agent.request_faults().fail_jobs_halfway && !plan.steps.is_empty();
    let fail_at = plan.steps.len() / 2;
    {
        let now = agent.now();
        let mut st = agent.state();
        if let Some(record) = st.job_mut(&id) {
            record.job.state = AgentJobState::Running;
            record.job.started_at = Some(now);
        }
        for line in st.start_lines() {
            st.emit(&id, Some(line), now);
        }
    }
    tokio::time::sleep(timing.job_start).await;
    let n = plan.steps.len();
    for (i, step) in plan.steps.iter().enumerate() {
        tokio::time::sleep(timing.per_package).await;
        let now = agent.now();
        let mut st = agent.state();
        if fail && i == fail_at {
            let line = st.failure_line();
            if let Some(record) = st.job_mut(&id) {
                record.job.state = AgentJobState::Failed;
                record.job.finished_at = Some(now);
                record.job.error = Some(format!(
                    "{line} while changing {}; {i} of {n} packages were changed",
                    st_name(&agent, step)
                ));
            }
            st.running = None;
            st.emit(&id, Some(line.to_owned()), now);
            return;
        }
        if !plan.dry_run {
            st.apply_step(step);
        }
        let change = st.change_of(step);
        let reboot_pkg = st.profile.catalogue[step.pkg].reboot;
        let lines = st.step_lines(step, i + 1, n, plan.dry_run);
        if let Some(record) = st.job_mut(&id) {
            record.job.changes.push(change);
            record.job.reboot_required |= reboot_pkg && !plan.dry_run && step.to.is_some();
            record.job.progress = u8::try_from((i + 1) * 99 / n).unwrap_or(99);
        }
        for line in lines {
            st.emit(&id, Some(line), now);
        }
    }
    let now = agent.now();
    let mut st = agent.state();
    let mut reboot_now = false;
    if let Some(record) = st.job_mut(&id) {
        record.job.state = AgentJobState::Succeeded;
        record.job.progress = 100;
        record.job.finished_at = Some(now);
        reboot_now = !plan.dry_run
            && match plan.reboot {
                RebootPolicy::Never => false,
                RebootPolicy::IfRequired => record.job.reboot_required,
                RebootPolicy::Always => true,
            };
    }
    if let Some(original) = &plan.rollback_of
        && let Some(record) = st.job_mut(original)
    {
        record.job.state = AgentJobState::RolledBack;
    }
    st.running = None;
    let done = st.done_line();
    st.emit(&id, Some(done.to_owned()), now);
    if reboot_now {
        st.reboot_pending = true;
        st.emit(&id, Some("Rebooting now.".into()), now);
        drop(st);
        schedule_reboot(&agent, None, Duration::ZERO);
    }
}

fn st_name(agent: &AgentShared, step: &Step) -> &'static str {
    agent.distro.profile().catalogue[step.pkg].name
}
