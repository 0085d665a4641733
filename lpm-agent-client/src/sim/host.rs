//! The state of one simulated host: installed packages, available patches, jobs, idempotency
//! keys and the counters tests read, plus the plans that turn requests into package changes.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use http::StatusCode;
use lpm_core::agent::{AgentJobState, ChangeAction};
use lpm_core::model::PackageManager;
use tokio::sync::broadcast;

use crate::sim::profile::{Distro, LADDER, Profile, splitmix};
use crate::wire::{self, ApplyRequest, InstallRequest, codes};

/// Whether the agent is serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Power {
    /// Serving.
    Up,
    /// Back from a reboot, answering `503 starting`.
    Starting,
    /// Down: the listener is closed, connections are refused.
    Down,
}

/// A refusal: status, error code, message.
pub(crate) type Refusal = (StatusCode, &'static str, String);

/// One package change a job will make: catalogue index and ladder indices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Step {
    pub(crate) pkg: usize,
    pub(crate) from: Option<u8>,
    pub(crate) to: Option<u8>,
    pub(crate) action: ChangeAction,
}

/// A job with what the simulator needs besides the wire record.
#[derive(Debug, Clone)]
pub(crate) struct JobRecord {
    pub(crate) job: wire::Job,
    pub(crate) dry_run: bool,
}

#[derive(Debug)]
pub(crate) struct HostState {
    pub(crate) profile: &'static Profile,
    pub(crate) fqdn: String,
    pub(crate) seed: u64,
    pub(crate) installed: Vec<Option<u8>>,
    pub(crate) running_kernel: u8,
    pub(crate) reboot_required: bool,
    pub(crate) last_boot: DateTime<Utc>,
    pub(crate) agent_started: DateTime<Utc>,
    pub(crate) checked_at: DateTime<Utc>,
    pub(crate) jobs: Vec<JobRecord>,
    /// Idempotency key → (request fingerprint, job id).
    pub(crate) keys: HashMap<String, (String, String)>,
    /// Idempotency key → jobs started with it (must never exceed 1).
    pub(crate) applied: HashMap<String, u32>,
    /// The package-manager job that runs, if any.
    pub(crate) running: Option<String>,
    /// A reboot has been accepted and not yet happened.
    pub(crate) reboot_pending: bool,
    pub(crate) power: Power,
    pub(crate) next_job: u64,
    pub(crate) boots: u32,
    pub(crate) events: Option<broadcast::Sender<wire::JobEvent>>,
}

impl HostState {
    /// A fresh host of `distro` whose installed versions follow from `seed`.
    pub(crate) fn new(distro: Distro, seed: u64, fqdn: String, now: DateTime<Utc>) -> Self {
        let profile = distro.profile();
        let mut r = seed;
        let installed = profile
            .catalogue
            .iter()
            .map(|p| {
                r = splitmix(r);
                p.base.then_some(match r % 100 {
                    0..=54 => LADDER - 1,
                    55..=79 => LADDER - 2,
                    80..=94 => LADDER - 3,
                    _ => 0,
                })
            })
            .collect::<Vec<_>>();
        let running_kernel = installed
            .get(profile.kernel)
            .copied()
            .flatten()
            .unwrap_or(0);
        // Booted between one and thirty days ago, refreshed its metadata within the hour.
        let boot_age = chrono::Duration::seconds(
            i64::try_from(86_400 + seed % (29 * 86_400)).unwrap_or(86_400),
        );
        let checked_age = chrono::Duration::seconds(i64::try_from(seed % 3600).unwrap_or(0));
        Self {
            profile,
            fqdn,
            seed,
            installed,
            running_kernel,
            reboot_required: false,
            last_boot: now - boot_age,
            agent_started: now - boot_age + chrono::Duration::seconds(9),
            checked_at: now - checked_age,
            jobs: Vec::new(),
            keys: HashMap::new(),
            applied: HashMap::new(),
            running: None,
            reboot_pending: false,
            power: Power::Up,
            next_job: 1,
            boots: 0,
            events: None,
        }
    }

    pub(crate) fn hostname(&self) -> &str {
        self.fqdn.split('.').next().unwrap_or(&self.fqdn)
    }

    pub(crate) fn system_info(&self) -> wire::SystemInfo {
        wire::SystemInfo {
            hostname: self.hostname().to_owned(),
            fqdn: self.fqdn.clone(),
            os: wire::OsInfo {
                id: self.profile.os_id.to_owned(),
                version_id: self.profile.version_id.to_owned(),
                pretty_name: self.profile.pretty_name.to_owned(),
            },
            kernel: self.profile.kernel_release(self.running_kernel),
            arch: self.profile.arch.to_owned(),
            package_manager: self.profile.package_manager,
            reboot_required: self.reboot_required,
            last_boot: self.last_boot,
            agent_version: super::AGENT_VERSION.to_owned(),
        }
    }

    /// Installed packages, by name.
    pub(crate) fn packages(&self) -> Vec<wire::Package> {
        let mut list: Vec<wire::Package> = self
            .installed
            .iter()
            .enumerate()
            .filter_map(|(pkg, idx)| {
                idx.map(|idx| wire::Package {
                    name: self.profile.catalogue[pkg].name.to_owned(),
                    version: self.profile.version(pkg, idx).to_owned(),
                    arch: self.profile.arch_of(pkg).to_owned(),
                })
            })
            .collect();
        list.sort_by(|a, b| a.name.cmp(&b.name));
        list
    }

    /// Installed packages with a newer version in the repositories.
    fn patchable(&self) -> impl Iterator<Item = (usize, u8)> + '_ {
        self.installed
            .iter()
            .enumerate()
            .filter_map(|(pkg, idx)| idx.filter(|i| *i < LADDER - 1).map(|i| (pkg, i)))
    }

    pub(crate) fn patches(&self) -> Vec<wire::Patch> {
        let mut list: Vec<wire::Patch> = self
            .patchable()
            .map(|(pkg, idx)| {
                let advisory = self.profile.advisory(pkg, LADDER - 1);
                wire::Patch {
                    package: self.profile.catalogue[pkg].name.to_owned(),
                    current_version: self.profile.version(pkg, idx).to_owned(),
                    available_version: self.profile.version(pkg, LADDER - 1).to_owned(),
                    arch: self.profile.arch_of(pkg).to_owned(),
                    security: advisory.security,
                    severity: advisory.severity,
                    advisories: advisory.advisories,
                    cves: advisory.cves,
                    reboot_required: self.profile.catalogue[pkg].reboot,
                }
            })
            .collect();
        list.sort_by(|a, b| a.package.cmp(&b.package));
        list
    }

    fn installed_pkg(&self, name: &str) -> Result<(usize, u8), Refusal> {
        self.profile
            .find(name)
            .and_then(|pkg| self.installed[pkg].map(|idx| (pkg, idx)))
            .ok_or_else(|| {
                (
                    StatusCode::NOT_FOUND,
                    codes::PACKAGE_NOT_FOUND,
                    format!("package {name} is not installed"),
                )
            })
    }

    fn version_index(&self, pkg: usize, version: Option<&str>) -> Result<u8, Refusal> {
        match version {
            None => Ok(LADDER - 1),
            Some(v) => (0..LADDER)
                .find(|i| self.profile.version(pkg, *i) == v)
                .ok_or_else(|| {
                    (
                        StatusCode::NOT_FOUND,
                        codes::VERSION_NOT_FOUND,
                        format!(
                            "version {v} of {} is not in the repositories",
                            self.profile.catalogue[pkg].name
                        ),
                    )
                }),
        }
    }

    fn move_step(pkg: usize, from: Option<u8>, to: u8) -> Option<Step> {
        let action = match from {
            None => ChangeAction::Install,
            Some(f) if f < to => ChangeAction::Upgrade,
            Some(f) if f > to => ChangeAction::Downgrade,
            Some(_) => return None,
        };
        Some(Step {
            pkg,
            from,
            to: Some(to),
            action,
        })
    }

    pub(crate) fn plan_apply(&self, req: &ApplyRequest) -> Result<Vec<Step>, Refusal> {
        let wanted: Option<Vec<usize>> = match &req.packages {
            None => None,
            Some(names) => Some(
                names
                    .iter()
                    .map(|n| self.installed_pkg(n).map(|(pkg, _)| pkg))
                    .collect::<Result<_, _>>()?,
            ),
        };
        Ok(self
            .patchable()
            .filter(|(pkg, _)| wanted.as_ref().is_none_or(|w| w.contains(pkg)))
            .filter(|(pkg, _)| {
                !req.security_only || self.profile.advisory(*pkg, LADDER - 1).security
            })
            .filter_map(|(pkg, idx)| Self::move_step(pkg, Some(idx), LADDER - 1))
            .collect())
    }

    pub(crate) fn plan_install(&self, req: &InstallRequest) -> Result<Vec<Step>, Refusal> {
        if req.packages.is_empty() {
            return Err((
                StatusCode::BAD_REQUEST,
                codes::BAD_REQUEST,
                "no packages to install".into(),
            ));
        }
        let mut steps = Vec::new();
        for p in &req.packages {
            let pkg = self.profile.find(&p.name).ok_or_else(|| {
                (
                    StatusCode::NOT_FOUND,
                    codes::PACKAGE_NOT_FOUND,
                    format!("unable to locate package {}", p.name),
                )
            })?;
            let to = self.version_index(pkg, p.version.as_deref())?;
            if let Some(step) = Self::move_step(pkg, self.installed[pkg], to)
                && !steps.iter().any(|s: &Step| s.pkg == pkg)
            {
                steps.push(step);
            }
        }
        Ok(steps)
    }

    pub(crate) fn plan_update(
        &self,
        name: &str,
        version: Option<&str>,
    ) -> Result<Vec<Step>, Refusal> {
        let (pkg, idx) = self.installed_pkg(name)?;
        let to = self.version_index(pkg, version)?;
        Ok(Self::move_step(pkg, Some(idx), to).into_iter().collect())
    }

    pub(crate) fn plan_remove(&self, name: &str) -> Result<Vec<Step>, Refusal> {
        let (pkg, idx) = self.installed_pkg(name)?;
        Ok(vec![Step {
            pkg,
            from: Some(idx),
            to: None,
            action: ChangeAction::Remove,
        }])
    }

    /// The steps that undo job `id`, or why it cannot be undone.
    pub(crate) fn plan_rollback(&self, id: &str) -> Result<Vec<Step>, Refusal> {
        let record = self.job(id).ok_or_else(|| {
            (
                StatusCode::NOT_FOUND,
                codes::NOT_FOUND,
                format!("no job {id}"),
            )
        })?;
        let refuse = |why: String| Err((StatusCode::CONFLICT, codes::NOT_ROLLBACKABLE, why));
        let job = &record.job;
        match job.kind {
            wire::JobKind::ApplyPatches
            | wire::JobKind::Install
            | wire::JobKind::Update
            | wire::JobKind::Remove => {}
            kind => return refuse(format!("a {} job cannot be rolled back", kind.as_str())),
        }
        if record.dry_run {
            return refuse("a dry run changed nothing".into());
        }
        match job.state {
            AgentJobState::Succeeded | AgentJobState::Failed => {}
            AgentJobState::RolledBack => {
                return refuse(format!("job {id} was already rolled back"));
            }
            state => return refuse(format!("job {id} is {}", state.as_str())),
        }
        if job.changes.is_empty() {
            return refuse(format!("job {id} changed nothing"));
        }
        let mut steps = Vec::new();
        for change in job.changes.iter().rev() {
            let pkg = self.profile.find(&change.package).ok_or_else(|| {
                (
                    StatusCode::CONFLICT,
                    codes::NOT_ROLLBACKABLE,
                    format!("{} is unknown", change.package),
                )
            })?;
            let idx_of = |v: &Option<String>| -> Option<u8> {
                v.as_deref()
                    .and_then(|v| (0..LADDER).find(|i| self.profile.version(pkg, *i) == v))
            };
            let (was, now) = (idx_of(&change.from), idx_of(&change.to));
            if self.installed[pkg] != now {
                return refuse(format!(
                    "{} changed since job {id}; roll back by hand",
                    change.package
                ));
            }
            let step = match was {
                None => Step {
                    pkg,
                    from: now,
                    to: None,
                    action: ChangeAction::Remove,
                },
                Some(to) => match Self::move_step(pkg, now, to) {
                    Some(s) => s,
                    None => continue,
                },
            };
            steps.push(step);
        }
        Ok(steps)
    }

    pub(crate) fn apply_step(&mut self, step: &Step) {
        if let Some(slot) = self.installed.get_mut(step.pkg) {
            *slot = step.to;
        }
        if self.profile.catalogue[step.pkg].reboot && step.to.is_some() {
            self.reboot_required = true;
        }
    }

    pub(crate) fn change_of(&self, step: &Step) -> wire::Change {
        wire::Change {
            package: self.profile.catalogue[step.pkg].name.to_owned(),
            from: step
                .from
                .map(|i| self.profile.version(step.pkg, i).to_owned()),
            to: step
                .to
                .map(|i| self.profile.version(step.pkg, i).to_owned()),
            action: step.action,
        }
    }

    pub(crate) fn job(&self, id: &str) -> Option<&JobRecord> {
        self.jobs.iter().find(|j| j.job.id == id)
    }

    pub(crate) fn job_mut(&mut self, id: &str) -> Option<&mut JobRecord> {
        self.jobs.iter_mut().find(|j| j.job.id == id)
    }

    pub(crate) fn new_job_id(&mut self) -> String {
        let id = format!("{:08x}-{:06}", self.seed as u32, self.next_job);
        self.next_job += 1;
        id
    }

    /// Records an output line on the job and sends an event with its current state.
    pub(crate) fn emit(&mut self, id: &str, line: Option<String>, now: DateTime<Utc>) {
        let Some(record) = self.job_mut(id) else {
            return;
        };
        if let Some(l) = &line {
            record.job.log_tail.push(l.clone());
            let excess = record.job.log_tail.len().saturating_sub(20);
            record.job.log_tail.drain(..excess);
        }
        let event = wire::JobEvent {
            job_id: id.to_owned(),
            state: record.job.state,
            progress: record.job.progress,
            line,
            at: now,
        };
        if let Some(tx) = &self.events {
            // No subscriber is not an error.
            let _ = tx.send(event);
        }
    }

    /// Package-manager output for the start of a job.
    pub(crate) fn start_lines(&self) -> Vec<String> {
        match self.profile.package_manager {
            PackageManager::Apt => vec![
                "Reading package lists...".into(),
                "Building dependency tree...".into(),
                "Reading state information...".into(),
            ],
            PackageManager::Dnf => vec![
                "Last metadata expiration check: 0:14:02 ago.".into(),
                "Dependencies resolved.".into(),
                "Running transaction".into(),
            ],
            PackageManager::Zypper => vec![
                "Loading repository data...".into(),
                "Reading installed packages...".into(),
                "Resolving package dependencies...".into(),
            ],
        }
    }

    /// Package-manager output for one step (`i` of `n`, from 1).
    pub(crate) fn step_lines(&self, step: &Step, i: usize, n: usize, dry_run: bool) -> Vec<String> {
        let name = self.profile.catalogue[step.pkg].name;
        let arch = self.profile.arch_of(step.pkg);
        let from = step
            .from
            .map(|v| self.profile.version(step.pkg, v))
            .unwrap_or("");
        let to = step
            .to
            .map(|v| self.profile.version(step.pkg, v))
            .unwrap_or("");
        match (self.profile.package_manager, dry_run) {
            (PackageManager::Apt, true) => vec![match step.action {
                ChangeAction::Remove => format!("Remv {name} [{from}]"),
                ChangeAction::Install => format!("Inst {name} ({to} [{arch}])"),
                _ => format!("Inst {name} [{from}] ({to} [{arch}])"),
            }],
            (PackageManager::Apt, false) => match step.action {
                ChangeAction::Remove => vec![format!("Removing {name} ({from}) ...")],
                ChangeAction::Install => vec![
                    format!("Selecting previously unselected package {name}."),
                    format!("Unpacking {name} ({to}) ..."),
                    format!("Setting up {name} ({to}) ..."),
                ],
                _ => vec![
                    format!("Preparing to unpack .../{name}_{to}_{arch}.deb ..."),
                    format!("Unpacking {name} ({to}) over ({from}) ..."),
                    format!("Setting up {name} ({to}) ..."),
                ],
            },
            (PackageManager::Dnf, _) => {
                let verb = match step.action {
                    ChangeAction::Upgrade => "Upgrading",
                    ChangeAction::Install => "Installing",
                    ChangeAction::Remove => "Erasing",
                    ChangeAction::Downgrade => "Downgrading",
                };
                let version = if step.to.is_some() { to } else { from };
                let prefix = if dry_run { "Would be " } else { "  " };
                vec![format!(
                    "{prefix}{verb:<12}: {name}-{version}.{arch}   {i}/{n}"
                )]
            }
            (PackageManager::Zypper, _) => {
                let line = match step.action {
                    ChangeAction::Remove => format!("({i}/{n}) Removing {name}-{from}.{arch}"),
                    _ => format!("({i}/{n}) Installing: {name}-{to}.{arch}"),
                };
                vec![if dry_run {
                    format!("{line} (dry run)")
                } else {
                    format!("{line} ...[done]")
                }]
            }
        }
    }

    /// The package manager's words when a job fails half-way.
    pub(crate) fn failure_line(&self) -> &'static str {
        match self.profile.package_manager {
            PackageManager::Apt => "E: Sub-process /usr/bin/dpkg returned an error code (1)",
            PackageManager::Dnf => "Error: Transaction failed",
            PackageManager::Zypper => {
                "Problem occurred during or after installation or removal of packages"
            }
        }
    }

    pub(crate) fn done_line(&self) -> &'static str {
        match self.profile.package_manager {
            PackageManager::Apt => "Processing triggers for libc-bin ...",
            PackageManager::Dnf => "Complete!",
            PackageManager::Zypper => "Running post-transaction scripts ...[done]",
        }
    }
}
