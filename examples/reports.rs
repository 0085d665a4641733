//! Compliance, patch-history, vulnerability and audit reports with lpm-reports alone, from
//! generated data for a fleet of 200 hosts, written as PDF, CSV and JSON.
//!
//! Run with `cargo run -p lpm-examples --example reports -- OUT_DIR`, then look at the pages
//! with `pdftoppm -png -r 80 OUT_DIR/compliance.pdf OUT_DIR/compliance`.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, TimeZone, Utc};
use lpm_core::agent::{ChangeAction, PackageChange, Severity};
use lpm_core::ids::JobId;
use lpm_core::job::{JobHostState, JobKind, JobState};
use lpm_reports::{
    AuditReport, AuditRow, ChainStatus, ComplianceReport, CveFinding, HostCompliance,
    JobHostRecord, JobRecord, PatchHistoryReport, ReportFilters, ReportMeta, VulnerabilityReport,
};

/// A small deterministic generator (xorshift64*), so every run draws the same fleet.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

const GROUPS: &[&str] = &[
    "web-frontend",
    "databases",
    "payments (PCI)",
    "build-farm",
    "monitoring",
    "berlin-office",
    "Rechenzentrum Nürnberg",
];
const OSES: &[&str] = &[
    "Ubuntu 24.04.1 LTS",
    "Ubuntu 22.04.5 LTS",
    "Debian GNU/Linux 12 (bookworm)",
    "Red Hat Enterprise Linux 9.4 (Plow)",
    "Rocky Linux 9.4 (Blue Onyx)",
    "SUSE Linux Enterprise Server 15 SP6",
];
const PACKAGES: &[&str] = &[
    "openssl",
    "libssl3",
    "openssh-server",
    "linux-image-generic",
    "systemd",
    "curl",
    "libc6",
    "sudo",
    "nginx",
    "postgresql-15",
    "python3.12",
    "glibc",
    "kernel-core",
    "bash",
    "tzdata",
    "ca-certificates",
];
const USERS: &[&str] = &["alice", "bob", "carol", "dmitri", "system", "eve.ops"];

fn hosts(rng: &mut Rng, now: DateTime<Utc>) -> Vec<HostCompliance> {
    (1..=200)
        .map(|i| {
            let group = *rng.pick(GROUPS);
            let role = match group {
                "databases" => "db",
                "payments (PCI)" => "pay",
                "build-farm" => "build",
                "monitoring" => "mon",
                _ => "web",
            };
            let mut h = HostCompliance::new(format!("{role}{i:03}.prod.example.net"));
            h.groups = vec![group.to_owned()];
            if rng.chance(20) {
                h.groups.push(rng.pick(GROUPS).to_string());
                h.groups.dedup();
            }
            if i == 7 {
                h.name = "сервер-бухгалтерии.example.ru".to_owned();
            }
            if i == 8 {
                h.name = "東京-db01.example.jp".to_owned();
            }
            h.os = Some(rng.pick(OSES).to_string());
            if !rng.chance(45) {
                h.pending.critical = u32::from(rng.chance(25)) * rng.below(3) as u32;
                h.pending.important = rng.below(5) as u32;
                h.pending.moderate = rng.below(9) as u32;
                h.pending.low = rng.below(12) as u32;
                h.pending.unknown = u32::from(rng.chance(10));
            }
            h.security_patches = (h.pending.critical + h.pending.important).min(20);
            h.reboot_required = rng.chance(12);
            h.unreachable = rng.chance(4);
            h.last_successful_poll = if rng.chance(2) {
                None
            } else {
                Some(now - Duration::minutes(rng.below(if h.unreachable { 9000 } else { 30 }) as i64))
            };
            h
        })
        .collect()
}

fn jobs(
    rng: &mut Rng,
    hosts: &[HostCompliance],
    now: DateTime<Utc>,
) -> Result<Vec<JobRecord>, Box<dyn std::error::Error>> {
    let mut jobs: Vec<JobRecord> = Vec::new();
    for id in 1..=120i64 {
        let created =
            now - Duration::days(45) + Duration::minutes(id * 520 + rng.below(300) as i64);
        let rollback_of = if id > 10 && rng.chance(6) {
            JobId::new(id - 1 - rng.below(5) as i64).ok()
        } else {
            None
        };
        let kind = if rollback_of.is_some() {
            JobKind::Rollback
        } else {
            *rng.pick(&[
                JobKind::ApplyPatches,
                JobKind::ApplyPatches,
                JobKind::Update,
                JobKind::Install,
                JobKind::Reboot,
            ])
        };
        let n = 1 + rng.below(12) as usize;
        let start = rng.below(hosts.len() as u64) as usize;
        let host_rows: Vec<JobHostRecord> = (0..n)
            .map(|k| {
                let host = &hosts[(start + k * 7) % hosts.len()];
                let failed = rng.chance(7);
                let changes = if kind == JobKind::Reboot || failed {
                    Vec::new()
                } else {
                    (0..1 + rng.below(4))
                        .map(|_| {
                            let package = rng.pick(PACKAGES).to_string();
                            let minor = rng.below(20);
                            match kind {
                                JobKind::Rollback => PackageChange {
                                    package,
                                    from: Some(format!(
                                        "3.0.{}-1ubuntu{}",
                                        minor + 1,
                                        rng.below(4)
                                    )),
                                    to: Some(format!("3.0.{minor}-1ubuntu1")),
                                    action: ChangeAction::Downgrade,
                                },
                                JobKind::Install => PackageChange {
                                    package,
                                    from: None,
                                    to: Some(format!("1.{minor}.0-2")),
                                    action: ChangeAction::Install,
                                },
                                _ => PackageChange {
                                    package,
                                    from: Some(format!("3.0.{minor}-1ubuntu1")),
                                    to: Some(format!(
                                        "3.0.{}-1ubuntu1.{}+deb12u{}",
                                        minor + 1,
                                        rng.below(3),
                                        rng.below(9)
                                    )),
                                    action: ChangeAction::Upgrade,
                                },
                            }
                        })
                        .collect()
                };
                JobHostRecord {
                    host: host.name.clone(),
                    state: if failed {
                        JobHostState::Failed
                    } else {
                        JobHostState::Succeeded
                    },
                    changes,
                    error: failed
                        .then(|| "dpkg: error processing package (--configure)".to_owned()),
                }
            })
            .collect();
        let failed = host_rows
            .iter()
            .filter(|h| h.state == JobHostState::Failed)
            .count();
        let state = match failed {
            0 => JobState::Succeeded,
            f if f == host_rows.len() => JobState::Failed,
            _ => JobState::PartiallyFailed,
        };
        jobs.push(JobRecord {
            id: JobId::new(id)?,
            kind,
            started_by: rng.pick(USERS).to_string(),
            created_at: created,
            finished_at: Some(created + Duration::minutes(5 + rng.below(90) as i64)),
            state,
            rollback_of,
            hosts: host_rows,
        });
    }
    Ok(jobs)
}

fn findings(rng: &mut Rng, hosts: &[HostCompliance], now: DateTime<Utc>) -> Vec<CveFinding> {
    let severities = [
        Severity::Critical,
        Severity::Important,
        Severity::Important,
        Severity::Moderate,
        Severity::Moderate,
        Severity::Low,
        Severity::Unknown,
    ];
    let mut out = Vec::new();
    for c in 0..60u32 {
        let cve = format!("CVE-2026-{}", 21000 + c * 37);
        let severity = *rng.pick(&severities);
        let advisories = vec![
            format!("USN-{}-1", 7100 + c),
            format!("RHSA-2026:{}", 4000 + c * 3),
        ];
        // How fast this severity tends to get patched, in hours.
        let typical = match severity {
            Severity::Critical => 30,
            Severity::Important => 120,
            Severity::Moderate => 400,
            Severity::Low => 900,
            Severity::Unknown => 1200,
        };
        let first = now - Duration::hours(200 + rng.below(2000) as i64);
        for _ in 0..1 + rng.below(25) {
            let host = rng.pick(hosts).name.clone();
            let seen = first + Duration::hours(rng.below(48) as i64);
            let fixed = seen + Duration::hours((typical / 3 + rng.below(typical * 2)) as i64);
            out.push(CveFinding {
                host,
                cve: cve.clone(),
                severity,
                advisories: advisories.clone(),
                first_seen: seen,
                fixed_at: (fixed < now && rng.chance(80)).then_some(fixed),
            });
        }
    }
    out
}

fn audit(rng: &mut Rng, now: DateTime<Utc>) -> Vec<AuditRow> {
    let actions = [
        ("auth.login", "user"),
        ("auth.login_failed", "user"),
        ("host.created", "host"),
        ("job.created", "job"),
        ("job.cancelled", "job"),
        ("window.updated", "host"),
        ("report.downloaded", "report"),
        ("certificate.issued", "host"),
    ];
    (1..=600)
        .map(|id| {
            let (action, kind) = *rng.pick(&actions);
            let actor = *rng.pick(USERS);
            let at = now - Duration::days(14) + Duration::minutes(id * 33);
            let mut row = AuditRow::new(id, at, actor, action)
                .target(format!("{kind}:{}", 1 + rng.below(200)))
                .ip(format!("192.0.2.{}", 1 + rng.below(250)));
            row.details = match action {
                "job.created" => format!(
                    r#"{{"kind":"apply_patches","hosts":{},"schedule":"next_window","packages":["openssl","libssl3"],"reboot":"if_required","security_only":true}}"#,
                    1 + rng.below(40)
                ),
                "auth.login_failed" => r#"{"reason":"bad_password","mfa":false}"#.to_owned(),
                "report.downloaded" => r#"{"report":"compliance","format":"pdf"}"#.to_owned(),
                _ => "{}".to_owned(),
            };
            row
        })
        .collect()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::write(dir.join(name), bytes)?;
    println!("wrote {}", dir.join(name).display());
    Ok(())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).ok_or("usage: reports OUT_DIR")?);
    std::fs::create_dir_all(&dir)?;
    // The caller's clock: reports never read one. Fixed here so every run is the same.
    let now = Utc
        .with_ymd_and_hms(2026, 11, 22, 9, 30, 0)
        .single()
        .ok_or("bad date")?;
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let fleet = hosts(&mut rng, now);

    let compliance = ComplianceReport::new(ReportMeta::new(now).by("alice"), fleet.clone());
    write(&dir, "compliance.pdf", &compliance.to_pdf()?)?;
    compliance.write_csv(BufWriter::new(File::create(dir.join("compliance.csv"))?))?;
    write(
        &dir,
        "compliance.json",
        &serde_json::to_vec_pretty(&compliance)?,
    )?;

    let last_45_days = ReportFilters {
        from: Some(now - Duration::days(45)),
        until: Some(now),
        ..ReportFilters::default()
    };
    let history = PatchHistoryReport::new(
        ReportMeta::new(now)
            .by("alice")
            .with_filters(last_45_days.clone()),
        jobs(&mut rng, &fleet, now)?,
    );
    write(&dir, "patch-history.pdf", &history.to_pdf()?)?;
    history.write_csv(BufWriter::new(File::create(dir.join("patch-history.csv"))?))?;

    let vulns = VulnerabilityReport::new(
        ReportMeta::new(now).by("alice"),
        findings(&mut rng, &fleet, now),
    );
    write(&dir, "vulnerability.pdf", &vulns.to_pdf()?)?;
    vulns.write_csv(BufWriter::new(File::create(dir.join("vulnerability.csv"))?))?;

    let rows = audit(&mut rng, now);
    let chain = ChainStatus::Intact {
        rows_checked: rows.len() as u64,
    };
    let audit = AuditReport::new(
        ReportMeta::new(now)
            .by("alice")
            .with_filters(ReportFilters {
                from: Some(now - Duration::days(14)),
                until: Some(now),
                ..ReportFilters::default()
            }),
        chain,
        rows,
    );
    write(&dir, "audit.pdf", &audit.to_pdf()?)?;
    audit.write_csv(BufWriter::new(File::create(dir.join("audit.csv"))?))?;
    println!(
        "fleet: {} hosts, {} fully patched; look at the pages with: pdftoppm -png -r 80 {}/compliance.pdf {}/compliance",
        compliance.fleet.hosts,
        compliance.fleet.fully_patched,
        dir.display(),
        dir.display()
    );
    Ok(())
}
