//! `lpm-api-fixture`: a live lpm API for outside checkers such as schemathesis
//! (`scripts/check-openapi`).
//!
//! It opens a fresh store in a temporary directory (SQLite, or a throwaway PostgreSQL cluster
//! with `--backend postgres`), seeds a small fleet (groups, users, hosts with system facts,
//! patch and health snapshots), serves the real router over HTTPS on a free loopback port and
//! prints one JSON line on stdout: `{"url", "token", "ca_file"}`, an admin access token and the
//! CA certificate to trust; warnings and internal errors are logged on stderr. It runs until
//! its standard input closes, or SIGTERM or SIGINT; everything it made goes away with it.

#[path = "support/live_api.rs"]
mod live_api;

use chrono::{Duration, Utc};
use clap::{Parser, ValueEnum};
use lpm_core::agent::{AvailablePatch, PatchReport, Severity, SystemInfo};
use lpm_core::ids::GroupId;
use lpm_core::model::{HostAddress, Name, PackageManager, Role};
use lpm_core::net::{Fqdn, Port};
use lpm_core::rbac::Scope;
use lpm_store::testing::TempPostgres;
use lpm_store::{Actor, Store, StoreOptions};
use tokio::io::AsyncReadExt;

use live_api::{LiveApi, LiveResult};

#[derive(Debug, Parser)]
#[command(
    name = "lpm-api-fixture",
    about = "Serve the lpm API on a seeded throwaway store until stdin closes; print url, token and ca_file as JSON"
)]
struct Cli {
    /// The store to seed and serve.
    #[arg(long, value_enum, default_value_t = Backend::Sqlite)]
    backend: Backend,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Backend {
    /// A SQLite file in the temporary directory.
    Sqlite,
    /// A database on a throwaway PostgreSQL cluster.
    Postgres,
}

#[tokio::main]
async fn main() -> LiveResult<()> {
    let cli = Cli::parse();
    // Warnings and internal errors (with their request ids) go to stderr for the checker's
    // log; stdout carries only the ready line.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new("warn"))
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .try_init();
    let dir = tempfile::tempdir()?;
    // Kept alive for the whole run: dropping it would not stop the cluster, the process exit
    // does (TempPostgres reaps it), but holding it makes the lifetime plain.
    let mut _postgres = None;
    let url = match cli.backend {
        Backend::Sqlite => format!("sqlite://{}", dir.path().join("lpm.db").display()),
        Backend::Postgres => {
            let pg = TempPostgres::start()?;
            let url = pg.fresh_database().await?;
            _postgres = Some(pg);
            url
        }
    };
    let store = Store::open(&url, &StoreOptions::default()).await?;
    let api = LiveApi::start(store).await?;
    let admin = seed(&api).await?;
    let ca_file = dir.path().join("ca.crt");
    std::fs::write(&ca_file, &api.ca_pem)?;
    let ready = serde_json::json!({
        "url": api.url(),
        "token": api.token(&admin)?,
        "ca_file": ca_file,
    });
    println!("{ready}");

    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let stdin_closed = async {
        let mut stdin = tokio::io::stdin();
        let mut buf = [0u8; 256];
        while matches!(stdin.read(&mut buf).await, Ok(n) if n > 0) {}
    };
    tokio::select! {
        () = stdin_closed => {}
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
    api.stop().await
}

/// Seeds two groups, an admin and an operator per group, 24 hosts (in a group, in both or
/// in none, by name and by address) with system facts, patches and health, in every status.
/// Returns the admin.
async fn seed(api: &LiveApi) -> LiveResult<lpm_core::model::User> {
    let store = &api.store;
    let admin_proof = Scope::system().require_admin()?;
    let now = Utc::now();
    let system = Actor::system();
    let mut groups: Vec<GroupId> = Vec::new();
    for (name, description) in [("web", "Web front ends"), ("db", "Databases")] {
        let group = store
            .create_group(&admin_proof, &Name::new(name)?, description, &system, now)
            .await?;
        groups.push(group.id);
    }
    let admin = api.user("api-admin", Role::Admin, &[]).await?;
    api.user("web-operator", Role::Operator, &groups[..1])
        .await?;
    api.user("db-operator", Role::Operator, &groups[1..])
        .await?;

    let statuses = ["healthy", "degraded", "unhealthy", "unreachable", "pending"];
    for i in 0..24u16 {
        let member_of: Vec<GroupId> = match i % 4 {
            0 => vec![groups[0]],
            1 => vec![groups[1]],
            2 => groups.clone(),
            _ => vec![],
        };
        let address = if i % 6 == 5 {
            HostAddress::new(
                None,
                Some(format!("192.0.2.{}", i + 10).parse()?),
                Port::new(12443)?,
            )?
        } else {
            let fqdn = format!(
                "host-{i:02}.{}.example.com",
                ["web", "db", "mixed", "lab"][usize::from(i % 4)]
            );
            HostAddress::new(Some(Fqdn::new(&fqdn)?), None, Port::new(12443)?)?
        };
        let host = store
            .create_host(&Scope::system(), &address, &member_of, &system, now)
            .await?;
        if i % 5 == 4 {
            continue; // never polled: stays pending, no facts
        }
        let (os_id, os_version, pretty, manager) = match i % 3 {
            0 => ("ubuntu", "24.04", "Ubuntu 24.04.1 LTS", PackageManager::Apt),
            1 => (
                "rhel",
                "9.4",
                "Red Hat Enterprise Linux 9.4 (Plow)",
                PackageManager::Dnf,
            ),
            _ => (
                "sles",
                "15.6",
                "SUSE Linux Enterprise Server 15 SP6",
                PackageManager::Zypper,
            ),
        };
        let info = SystemInfo {
            hostname: format!("host-{i:02}"),
            fqdn: format!("host-{i:02}.example.com"),
            os_id: os_id.into(),
            os_version: os_version.into(),
            os_pretty_name: pretty.into(),
            kernel: "6.8.0-45-generic".into(),
            arch: "x86_64".into(),
            package_manager: manager,
            reboot_required: i % 7 == 0,
            last_boot: now - Duration::days(i64::from(i)),
            agent_version: "1.4.2".into(),
        };
        store.record_system_info(host.id, &info, now).await?;
        let patches = (0..i % 4)
            .map(|p| AvailablePatch {
                package: format!("libexample{p}"),
                current_version: "1.0-1".into(),
                available_version: "1.0-2".into(),
                arch: "amd64".into(),
                security: p % 2 == 0,
                severity: [Severity::Critical, Severity::Important, Severity::Low]
                    [usize::from(p % 3)],
                advisories: vec![format!("USN-7{i:02}{p}-1")],
                cves: vec![format!("CVE-2026-{:04}", 1000 + i * 10 + p)],
                reboot_required: p == 0,
            })
            .collect();
        let report = PatchReport {
            patches,
            checked_at: now - Duration::minutes(5),
        };
        store.record_patch_snapshot(host.id, &report, now).await?;
        let ok = i % 3 != 1;
        let details =
            serde_json::json!({ "checks": [["disk", if ok { "ok" } else { "92% used" }]] });
        store
            .record_health_snapshot(
                host.id,
                ok,
                (!ok).then_some("disk almost full"),
                &details,
                now,
            )
            .await?;
        let status = statuses[usize::from(i) % statuses.len()];
        store
            .testing_execute(&format!(
                "UPDATE hosts SET status = '{status}' WHERE id = {}",
                host.id.get()
            ))
            .await?;
    }
    Ok(admin)
}
