//! lpm-ca alone: a CA written to disk with a 0600 key, an agent's certificate bundle, the
//! manager's client certificate, and a CRL revoking the agent.
//!
//! Run with `cargo run -p lpm-examples --example certificates`, then check the output with
//! `openssl verify -CAfile DIR/ca.crt DIR/agent.crt`.

use std::net::{IpAddr, Ipv4Addr};

use lpm_ca::time::{Duration, OffsetDateTime};
use lpm_ca::{Ca, RevokedEntry};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::temp_dir().join(format!("lpm-ca-example-{}", std::process::id()));
    let now = OffsetDateTime::now_utc();
    let ca = Ca::generate("lpm example CA", now)?;
    ca.save(&dir)?;
    let ca = Ca::load(&dir)?;
    println!(
        "CA in {} (fingerprint {})",
        dir.display(),
        ca.root_info().sha256_fingerprint
    );

    let ip = IpAddr::V4(Ipv4Addr::new(127, 0, 1, 1));
    let bundle = ca.agent_bundle(Some("web-01.example.com"), Some(ip), now)?;
    for (name, bytes) in bundle.files() {
        std::fs::write(dir.join(name), bytes)?;
    }
    println!(
        "agent certificate {} for {:?} {:?}, valid until {}",
        bundle.info.serial, bundle.info.dns_names, bundle.info.ip_addresses, bundle.info.not_after
    );

    let manager = ca.issue_manager_client("lpm manager", now)?;
    println!("manager client certificate {}", manager.info.serial);

    let revoked = [RevokedEntry {
        serial_hex: bundle.info.serial.clone(),
        revoked_at: now,
        reason: None,
    }];
    let crl = ca.crl(&revoked, 1, now, Duration::days(7))?;
    std::fs::write(dir.join("crl.pem"), crl)?;
    println!(
        "wrote {}/crl.pem revoking {}",
        dir.display(),
        bundle.info.serial
    );
    Ok(())
}
