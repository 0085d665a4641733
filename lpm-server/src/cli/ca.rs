//! `lpm-server ca init | issue-agent | revoke | crl`: the internal CA on disk, its registry
//! and its CRL. Every command checks its input before it writes anything.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use lpm_ca::time::{Duration, OffsetDateTime};
use lpm_ca::{AgentBundle, CA_CERT_FILE, CA_KEY_FILE, Ca, normalize_serial};
use lpm_core::net::Fqdn;

use crate::cli::{CaCommand, CliError, parse_ip};
use crate::registry::{REGISTRY_FILE, Registry, write_atomic};

/// The manager's client certificate in a CA directory.
pub(crate) const MANAGER_CERT_FILE: &str = "manager.crt";
/// The manager's client key in a CA directory (0600).
pub(crate) const MANAGER_KEY_FILE: &str = "manager.key";
/// The CRL `ca revoke` keeps current in a CA directory.
pub(crate) const CRL_FILE: &str = "crl.pem";

pub(crate) fn run(command: CaCommand) -> Result<(), CliError> {
    // The command line is the edge of the system: here the wall clock is read.
    let now = OffsetDateTime::now_utc();
    match command {
        CaCommand::Init {
            dir,
            name,
            manager_name,
        } => init(&dir, &name, &manager_name, now),
        CaCommand::IssueAgent { dir, host, ip, out } => {
            issue_agent(&dir, &host, ip.as_deref(), &out, now)
        }
        CaCommand::Revoke {
            dir,
            serial,
            reason,
        } => revoke(&dir, &serial, reason.into(), now),
        CaCommand::Crl { dir, out, days } => crl(&dir, &out, days, now),
    }
}

/// Creates a CA in `dir` with the manager's client certificate and the registry, printing
/// nothing; returns the root's and the manager certificate's serials.
pub(crate) fn create_ca(
    dir: &Path,
    name: &str,
    manager_name: &str,
    now: OffsetDateTime,
) -> Result<(String, String), CliError> {
    for file in [
        CA_CERT_FILE,
        CA_KEY_FILE,
        MANAGER_CERT_FILE,
        MANAGER_KEY_FILE,
        REGISTRY_FILE,
    ] {
        refuse_existing(&dir.join(file))?;
    }
    let ca = Ca::generate(name, now)?;
    let manager = ca.issue_manager_client(manager_name, now)?;
    ca.save(dir)?;
    write_new(
        &dir.join(MANAGER_KEY_FILE),
        manager.key_pem.expose_secret().as_bytes(),
        0o600,
    )?;
    write_new(
        &dir.join(MANAGER_CERT_FILE),
        manager.cert_pem.as_bytes(),
        0o644,
    )?;
    let mut registry = Registry::load(dir)?;
    registry.record(ca.root_info().clone());
    registry.record(manager.info.clone());
    registry.save(dir)?;
    Ok((ca.root_info().serial.clone(), manager.info.serial.clone()))
}

fn init(dir: &Path, name: &str, manager_name: &str, now: OffsetDateTime) -> Result<(), CliError> {
    let (root_serial, manager_serial) = create_ca(dir, name, manager_name, now)?;
    println!("created CA {:?} in {}", name, dir.display());
    println!("  {}  root, serial {}", CA_CERT_FILE, root_serial);
    println!("  {}  (0600)", CA_KEY_FILE);
    println!(
        "  {}  manager client certificate, serial {}",
        MANAGER_CERT_FILE, manager_serial
    );
    println!("  {}  (0600)", MANAGER_KEY_FILE);
    Ok(())
}

fn issue_agent(
    dir: &Path,
    host: &str,
    ip: Option<&str>,
    out: &Path,
    now: OffsetDateTime,
) -> Result<(), CliError> {
    let fqdn = Fqdn::new(host).map_err(|e| CliError::Invalid(e.to_string()))?;
    let ip = ip.map(parse_ip).transpose()?;
    for file in [
        AgentBundle::AGENT_CERT_FILE,
        AgentBundle::AGENT_KEY_FILE,
        AgentBundle::CA_CERT_FILE,
    ] {
        refuse_existing(&out.join(file))?;
    }
    let ca = Ca::load(dir)?;
    let mut registry = Registry::load(dir)?;
    let bundle = ca.agent_bundle(Some(fqdn.as_str()), ip, now)?;
    DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(out)
        .map_err(io(out))?;
    write_new(
        &out.join(AgentBundle::AGENT_KEY_FILE),
        bundle.agent_key_pem.expose_secret().as_bytes(),
        0o600,
    )?;
    write_new(
        &out.join(AgentBundle::AGENT_CERT_FILE),
        bundle.agent_cert_pem.as_bytes(),
        0o644,
    )?;
    write_new(
        &out.join(AgentBundle::CA_CERT_FILE),
        bundle.ca_cert_pem.as_bytes(),
        0o644,
    )?;
    registry.record(bundle.info.clone());
    registry.save(dir)?;
    println!(
        "issued agent certificate for {} serial {} valid until {}",
        fqdn,
        bundle.info.serial,
        bundle
            .info
            .not_after
            .format(&lpm_ca::time::format_description::well_known::Rfc3339)
            .unwrap_or_else(|_| bundle.info.not_after.to_string())
    );
    println!("  {}", out.join(AgentBundle::AGENT_CERT_FILE).display());
    println!(
        "  {}  (0600)",
        out.join(AgentBundle::AGENT_KEY_FILE).display()
    );
    println!("  {}", out.join(AgentBundle::CA_CERT_FILE).display());
    Ok(())
}

fn revoke(
    dir: &Path,
    serial: &str,
    reason: lpm_ca::RevocationReason,
    now: OffsetDateTime,
) -> Result<(), CliError> {
    let serial = normalize_serial(serial)?;
    let ca = Ca::load(dir)?;
    let mut registry = Registry::load(dir)?;
    let entry = registry
        .find_mut(&serial)
        .ok_or_else(|| CliError::UnknownSerial {
            serial: serial.clone(),
            dir: dir.to_path_buf(),
        })?;
    if let Some(at) = entry.revoked_at {
        println!("certificate {serial} was already revoked at {at}; nothing changed");
        return Ok(());
    }
    entry.revoked_at = Some(now);
    entry.reason = Some(reason);
    let subject = entry.cert.subject_cn.clone();
    registry.crl_number += 1;
    let pem = ca.crl(
        &registry.revoked(),
        registry.crl_number,
        now,
        Duration::days(30),
    )?;
    write_atomic(&dir.join(super::ca::CRL_FILE), pem.as_bytes())?;
    registry.save(dir)?;
    println!(
        "revoked {serial} ({subject}); {} rewritten (CRL number {})",
        dir.join(CRL_FILE).display(),
        registry.crl_number
    );
    Ok(())
}

fn crl(dir: &Path, out: &Path, days: u32, now: OffsetDateTime) -> Result<(), CliError> {
    if days == 0 {
        return Err(CliError::Invalid("--days must be at least 1".into()));
    }
    let ca = Ca::load(dir)?;
    let mut registry = Registry::load(dir)?;
    registry.crl_number += 1;
    let revoked = registry.revoked();
    let pem = ca.crl(
        &revoked,
        registry.crl_number,
        now,
        Duration::days(i64::from(days)),
    )?;
    write_atomic(out, pem.as_bytes())?;
    registry.save(dir)?;
    println!(
        "wrote CRL number {} listing {} revoked certificate(s) to {}",
        registry.crl_number,
        revoked.len(),
        out.display()
    );
    Ok(())
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> CliError {
    let path = path.to_path_buf();
    move |source| CliError::Io { path, source }
}

fn refuse_existing(path: &Path) -> Result<(), CliError> {
    if fs::symlink_metadata(path).is_ok() {
        return Err(CliError::Exists {
            path: path.to_path_buf(),
        });
    }
    Ok(())
}

/// Creates `path` exclusively with `mode` (never following or replacing an existing file).
pub(crate) fn write_new(path: &Path, contents: &[u8], mode: u32) -> Result<(), CliError> {
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(path)
        .map_err(|e| match e.kind() {
            ErrorKind::AlreadyExists => CliError::Exists {
                path: PathBuf::from(path),
            },
            _ => CliError::Io {
                path: path.to_path_buf(),
                source: e,
            },
        })?;
    file.write_all(contents).map_err(io(path))?;
    file.sync_all().map_err(io(path))
}
