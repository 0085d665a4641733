//! `lpm-server serve` as an operator runs it: first start creates the CA and web certificate,
//! the log says where it listens, health answers over TLS 1.3, SIGTERM stops it cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::support::BIN;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_starts_from_nothing_answers_health_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "listen = \"127.0.0.1:0\"\ndata_dir = \"{}\"\n[database]\nurl = \"sqlite://{}/lpm.db\"\n",
            data.display(),
            dir.path().display()
        ),
    )
    .unwrap();
    let mut child = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&config)
        .env("PATCH_MANAGER__LOG__LEVEL", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<serde_json::Value>();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Ok(value) = serde_json::from_str(&line) {
                let _ = tx.send(value);
            }
        }
    });
    let mut messages = Vec::new();
    let url = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("serve logs that it listens");
        messages.push(line["message"].as_str().unwrap_or_default().to_owned());
        if line["message"] == "listening" {
            break line["url"].as_str().unwrap().to_owned();
        }
    };
    assert!(
        messages.iter().any(|m| m == "lpm-server serve starting"),
        "{messages:?}"
    );
    assert!(
        messages.iter().any(|m| m == "created the internal CA"),
        "{messages:?}"
    );
    assert!(url.starts_with("https://localhost:"), "{url}");
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(data.join("web.key"))
            .unwrap()
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600);
    // The JWT signing key: one private file in a private directory.
    let private = |path: &std::path::Path| {
        std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(path).unwrap().permissions())
            & 0o777
    };
    let jwt = data.join("jwt");
    assert_eq!(private(&jwt), 0o700);
    let keys: Vec<_> = std::fs::read_dir(&jwt)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(keys.len(), 1, "{keys:?}");
    assert_eq!(private(&keys[0]), 0o600);

    let ca = std::fs::read(data.join("ca/ca.crt")).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_only([reqwest::Certificate::from_pem(&ca).unwrap()])
        .build()
        .unwrap();
    let health = client
        .get(format!("{url}/status/health"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 503, "no worker yet");
    assert!(health.headers().contains_key("x-request-id"));

    let killed = Command::new("kill")
        .arg("-TERM")
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(killed.success());
    let status = tokio::task::spawn_blocking(move || child.wait())
        .await
        .unwrap()
        .unwrap();
    assert!(status.success(), "a clean exit on SIGTERM: {status:?}");
    let logged: Vec<String> = rx
        .try_iter()
        .map(|l| l["message"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert!(logged.iter().any(|m| m == "stopped"), "{logged:?}");
}

#[test]
fn serve_refuses_a_bad_configuration_in_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "[database]\nurl = \"postgres://lpm:secret@db/lpm\"\n",
    )
    .unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("password_file") && !stderr.contains("secret@"),
        "{stderr}"
    );
}

#[test]
fn admin_create_prints_a_password_and_totp_once_and_refuses_duplicates() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/lpm.db", dir.path().display());
    let run = || {
        Command::new(BIN)
            .args([
                "admin",
                "create",
                "--username",
                "Root.Admin",
                "--role",
                "admin",
            ])
            .env("PATCH_MANAGER__DATABASE__URL", &db)
            .output()
            .unwrap()
    };
    let first = run();
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let out = String::from_utf8_lossy(&first.stdout);
    let field = |name: &str| {
        out.lines()
            .find_map(|l| l.strip_prefix(name))
            .map(|v| v.trim().to_owned())
            .unwrap_or_else(|| panic!("no {name} in {out}"))
    };
    let password = field("password:");
    let secret = field("totp secret:");
    assert!(password.len() >= 16, "{password}");
    assert!(field("totp uri:").starts_with("otpauth://totp/"), "{out}");
    assert!(
        secret.len() >= 32 && !secret.contains('='),
        "base32 without padding: {secret}"
    );
    assert!(out.contains("created admin root.admin"), "{out}");

    let again = run();
    assert!(!again.status.success());
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(
        !String::from_utf8_lossy(&again.stdout).contains(&password),
        "nothing new is printed"
    );
}

#[tokio::test]
async fn admin_allowlist_reset_is_the_way_back_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/lpm.db", dir.path().display());
    let store = lpm_store::Store::open(&db, &lpm_store::StoreOptions::default())
        .await
        .unwrap();
    let admin = lpm_core::rbac::Scope::system().require_admin().unwrap();
    let shut_out = vec!["10.99.0.0/16".to_owned()];
    store
        .config_set(
            &admin,
            "security.ip_allowlist",
            &shut_out,
            &lpm_store::Actor::system(),
            chrono::Utc::now(),
        )
        .await
        .unwrap();
    let out = Command::new(BIN)
        .args(["admin", "allowlist", "reset"])
        .env("PATCH_MANAGER__DATABASE__URL", &db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("was: 10.99.0.0/16"));
    let now: Option<Vec<String>> = store.config_get("security.ip_allowlist").await.unwrap();
    assert_eq!(now, Some(vec![]));
}

#[tokio::test]
async fn admin_calibrate_measures_and_records_the_argon2_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}/lpm.db", dir.path().display());
    let calibrate = |args: &[&str]| {
        Command::new(BIN)
            .args(["admin", "calibrate"])
            .args(args)
            .env("PATCH_MANAGER__DATABASE__URL", &db)
            .output()
            .unwrap()
    };
    // A wide target and 1 MiB of memory: the first measurement lands in range.
    let out = calibrate(&["--target-ms", "0-60000", "--max-memory-mib", "1"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let measured: u64 = stdout
        .lines()
        .find_map(|l| l.strip_prefix("measured: "))
        .and_then(|v| v.strip_suffix(" ms"))
        .unwrap_or_else(|| panic!("no measured line: {stdout}"))
        .parse()
        .unwrap();
    assert!(measured <= 60_000);
    assert!(stdout.contains("params: m=1024,t=3,p=1"), "{stdout}");
    assert!(
        stdout.contains("was: the default m=65536,t=3,p=1"),
        "{stdout}"
    );

    let store = lpm_store::Store::open(&db, &lpm_store::StoreOptions::default())
        .await
        .unwrap();
    let recorded: serde_json::Value = store.config_get("auth.argon2").await.unwrap().unwrap();
    assert_eq!(recorded, serde_json::json!({"m_kib": 1024, "t": 3, "p": 1}));
    let audited = store
        .testing_strings("SELECT target_id FROM audit_log WHERE action = 'settings.changed'")
        .await
        .unwrap();
    assert_eq!(audited, ["auth.argon2"]);
    store.close().await;

    // Bad input: one line, exit code 2, nothing recorded.
    for bad in [["--target-ms", "500-250"], ["--max-memory-mib", "0"]] {
        let out = calibrate(&bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
    }
    let help = Command::new(BIN)
        .args(["admin", "calibrate", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("Argon2id") && help.contains("--target-ms") && help.contains("auth.argon2"),
        "{help}"
    );
}
