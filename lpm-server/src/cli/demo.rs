//! `lpm-server demo`: a working system from a fresh clone in one command. It prepares a data
//! directory (SQLite, the internal CA, an admin with a password and a TOTP secret written to
//! `demo-credentials.json`), starts simulated agents on loopback with certificates from that
//! CA, registers them in two groups with maintenance windows (the `web` group's window is open
//! now), and runs the web part and the worker in one process (`all-in-one`). A second run reuses everything it finds.

use std::fs;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, NaiveTime, Utc, Weekday};
use lpm_agent_client::Identity;
use lpm_agent_client::sim::{Fleet, FleetOptions, SimTiming, SystemClock};
use lpm_ca::time::OffsetDateTime;
use lpm_ca::{CA_CERT_FILE, Ca};
use lpm_core::model::{HostAddress, Name, Role, Username};
use lpm_core::net::{Fqdn, Port};
use lpm_core::rbac::Scope;
use lpm_core::window::{MaintenanceWindow, Recurrence};
use lpm_store::fleet::HostQuery;
use lpm_store::{Actor, PageRequest, Store, StoreError, StoreOptions};
use serde::{Deserialize, Serialize};

use crate::auth::{Argon2Params, ExposeSecret, PasswordHasher, generate_password, totp};
use crate::cli::admin::ARGON2_KEY;
use crate::cli::{CliError, DemoArgs, ca};
use crate::config::{Config, DatabaseConfig, LogConfig, WebConfig};

/// The credentials file in the data directory (mode 0600).
pub(crate) const CREDENTIALS_FILE: &str = "demo-credentials.json";

/// The demo admin's login name.
const ADMIN: &str = "admin";

/// What `demo-credentials.json` holds.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DemoCredentials {
    /// The admin's login name.
    pub(crate) username: String,
    /// Their password.
    pub(crate) password: String,
    /// Their TOTP secret (base32), for an authenticator app or `oathtool --totp -b`.
    pub(crate) totp_secret: String,
}

pub(crate) fn run(args: DemoArgs) -> Result<(), CliError> {
    if args.agents == 0 || args.agents > 5_000 {
        return Err(CliError::Invalid("--agents must be 1 to 5000".into()));
    }
    let data_dir = absolute(&args.data_dir)?;
    let config = Config {
        listen: args.listen,
        data_dir: data_dir.clone(),
        database: DatabaseConfig {
            url: format!("sqlite://{}", data_dir.join("lpm.db").display()),
            ..DatabaseConfig::default()
        },
        log: LogConfig {
            level: "info".into(),
            format: "pretty".into(),
        },
        // WebAuthn binds keys to the name browsers use, which the banner prints.
        web: WebConfig {
            public_origin: format!("https://localhost:{}", args.listen.port()),
        },
        ..Config::default()
    };
    crate::cli::serve::init_logging(&config.log.level, &config.log.format)?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Invalid(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(demo(args, config))
}

async fn demo(args: DemoArgs, config: Config) -> Result<(), CliError> {
    let data_dir = config.data_dir.clone();
    make_private_dir(&data_dir)?;
    let ca_dir = data_dir.join("ca");
    if !ca_dir.join(CA_CERT_FILE).exists() {
        make_private_dir(&ca_dir)?;
        ca::create_ca(
            &ca_dir,
            "lpm demo CA",
            "lpm-manager",
            OffsetDateTime::now_utc(),
        )?;
    }
    let ca = Ca::load(&ca_dir)?;
    let store = Store::open(&config.database.url, &StoreOptions::default())
        .await
        .map_err(|e| CliError::Invalid(format!("database: {e}")))?;
    let credentials = ensure_admin(&store, &data_dir).await?;

    let fleet = launch_fleet(&ca, args.first_agent_ip, args.agent_port, args.agents).await?;
    register_fleet(&store, &fleet, Utc::now()).await?;

    let url = format!("https://localhost:{}", config.listen.port());
    println!();
    println!(
        "lpm demo: {} simulated agents, data in {}",
        fleet.len(),
        data_dir.display()
    );
    println!(
        "  open      {url}  (the certificate is from the demo CA: {})",
        ca_dir.join(CA_CERT_FILE).display()
    );
    println!("  username  {}", credentials.username);
    println!("  password  {}", credentials.password);
    println!(
        "  TOTP      secret {} (add it to an authenticator app, or: oathtool --totp -b {})",
        credentials.totp_secret, credentials.totp_secret
    );
    println!("  saved in  {}", data_dir.join(CREDENTIALS_FILE).display());
    println!("  API docs  {url}/api/docs");
    println!("  stop with Ctrl-C");
    println!();

    let served = crate::cli::worker::all_in_one(&config, &store).await;
    fleet.shutdown().await;
    store.close().await;
    served
}

/// The demo admin: read back from the credentials file when it and the account exist, else
/// created (with the calibrated or default Argon2 parameters) and written down.
async fn ensure_admin(store: &Store, data_dir: &Path) -> Result<DemoCredentials, CliError> {
    let path = data_dir.join(CREDENTIALS_FILE);
    let db = |e: StoreError| CliError::Invalid(format!("database: {e}"));
    let username = Username::new(ADMIN).map_err(|e| CliError::Invalid(e.to_string()))?;
    if let Ok(text) = fs::read_to_string(&path)
        && let Ok(saved) = serde_json::from_str::<DemoCredentials>(&text)
        && store.credentials(&username).await.map_err(db)?.is_some()
    {
        return Ok(saved);
    }
    let params: Argon2Params = store
        .config_get(ARGON2_KEY)
        .await
        .map_err(db)?
        .unwrap_or_default();
    let invalid = |e: crate::auth::AuthError| CliError::Invalid(e.to_string());
    let hasher = PasswordHasher::new(params).map_err(invalid)?;
    let password = generate_password().map_err(invalid)?;
    let hash = hasher.hash(&password).map_err(invalid)?;
    let secret = totp::new_secret().map_err(invalid)?;
    let admin = Scope::system()
        .require_admin()
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let actor = Actor {
        user: None,
        name: "lpm-server demo".into(),
        ip: None,
    };
    let now = Utc::now();
    let user = store
        .create_user(&admin, &username, Role::Admin, &[], &actor, now)
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => CliError::Invalid(format!(
                "a user named {ADMIN} exists but {} is missing or unreadable; use a new --data-dir",
                path.display()
            )),
            other => db(other),
        })?;
    store
        .set_password_hash(user.id, &hash, &actor, now)
        .await
        .map_err(db)?;
    store
        .begin_totp_enrolment(user.id, secret.expose_secret(), &actor, now)
        .await
        .map_err(db)?;
    store
        .confirm_mfa(user.id, "totp", &actor, now)
        .await
        .map_err(db)?;
    let credentials = DemoCredentials {
        username: ADMIN.into(),
        password: password.expose_secret().to_owned(),
        totp_secret: secret.expose_secret().to_owned(),
    };
    let json = serde_json::to_vec_pretty(&credentials)
        .map_err(|e| CliError::Invalid(format!("credentials: {e}")))?;
    write_private(&path, &json)?;
    Ok(credentials)
}

async fn launch_fleet(
    ca: &Ca,
    first_ip: Ipv4Addr,
    port: u16,
    count: usize,
) -> Result<Fleet, CliError> {
    // Many agents need many sockets; failing to raise the limit is not fatal.
    let _ = lpm_agent_client::raise_fd_limit();
    let mut options = FleetOptions::new(count, first_ip, port, ca.root_pem());
    options.domain = "demo.lpm.test".into();
    options.timing = SimTiming {
        per_package: StdDuration::from_millis(400),
        reboot_down: StdDuration::from_secs(5),
        ..SimTiming::default()
    };
    options.clock = Arc::new(SystemClock);
    let now = OffsetDateTime::now_utc();
    Ok(Fleet::launch(options, |ip, name| {
        let issued = ca
            .issue_agent_server(Some(name), Some(ip), now)
            .map_err(|e| e.to_string())?;
        Identity::from_pem(&issued.cert_pem, issued.key_pem.expose_secret())
            .map_err(|e| e.to_string())
    })
    .await?)
}

/// Registers every agent not yet registered: the first half in group `web`, the rest in
/// `db`. `web` hosts get a window open now (added again on a later run if none is open);
/// `db` hosts a weekly Saturday-night window in Berlin.
async fn register_fleet(store: &Store, fleet: &Fleet, now: DateTime<Utc>) -> Result<(), CliError> {
    let db = |e: StoreError| CliError::Invalid(format!("database: {e}"));
    let invalid = |e: &dyn std::fmt::Display| CliError::Invalid(e.to_string());
    let scope = Scope::system();
    let admin = scope.require_admin().map_err(|e| invalid(&e))?;
    let actor = Actor {
        user: None,
        name: "lpm-server demo".into(),
        ip: None,
    };
    let web = ensure_group(
        store,
        "web",
        "Web front ends (window open now)",
        &actor,
        now,
    )
    .await?;
    let database = ensure_group(
        store,
        "db",
        "Databases (Saturday night, Berlin)",
        &actor,
        now,
    )
    .await?;
    let _ = admin;

    let existing = store
        .list_hosts(
            &scope,
            &HostQuery::default(),
            PageRequest::new(1, 500).map_err(db)?,
        )
        .await
        .map_err(db)?;
    let known: std::collections::HashSet<String> = existing
        .items
        .iter()
        .filter_map(|h| h.address.ip().map(|ip| ip.to_string()))
        .collect();
    let open_now =
        MaintenanceWindow::one_time(now - Duration::minutes(5), now + Duration::hours(8))
            .map_err(|e| invalid(&e))?;
    let saturday = MaintenanceWindow::recurring(
        Recurrence::weekly([Weekday::Sat]).map_err(|e| invalid(&e))?,
        NaiveTime::from_hms_opt(22, 0, 0).ok_or_else(|| CliError::Invalid("time".into()))?,
        Duration::hours(4),
        "Europe/Berlin",
    )
    .map_err(|e| invalid(&e))?;
    let half = fleet.len().div_ceil(2);
    for (i, agent) in fleet.agents().iter().enumerate() {
        let addr: SocketAddr = agent.addr();
        let (group, window, name) = if i < half {
            (web.id, &open_now, "Demo: open now")
        } else {
            (database.id, &saturday, "Saturday night")
        };
        if known.contains(&addr.ip().to_string()) {
            if i < half {
                let windows = store
                    .list_windows(&scope, host_of(&existing.items, addr)?)
                    .await
                    .map_err(db)?;
                if !windows.iter().any(|w| w.window.is_open(now)) {
                    let host = host_of(&existing.items, addr)?;
                    store
                        .create_window(
                            &scope,
                            host,
                            &Name::new(name).map_err(|e| invalid(&e))?,
                            window,
                            &actor,
                            now,
                        )
                        .await
                        .map_err(db)?;
                }
            }
            continue;
        }
        let address = HostAddress::new(
            Some(Fqdn::new(agent.fqdn()).map_err(|e| invalid(&e))?),
            Some(addr.ip()),
            Port::new(addr.port()).map_err(|e| invalid(&e))?,
        )
        .map_err(|e| invalid(&e))?;
        let host = store
            .create_host(&scope, &address, &[group], &actor, now)
            .await
            .map_err(db)?;
        store
            .create_window(
                &scope,
                host.id,
                &Name::new(name).map_err(|e| invalid(&e))?,
                window,
                &actor,
                now,
            )
            .await
            .map_err(db)?;
    }
    Ok(())
}

fn host_of(
    hosts: &[lpm_core::model::Host],
    addr: SocketAddr,
) -> Result<lpm_core::ids::HostId, CliError> {
    hosts
        .iter()
        .find(|h| h.address.ip() == Some(addr.ip()))
        .map(|h| h.id)
        .ok_or_else(|| CliError::Invalid(format!("host {addr} vanished")))
}

async fn ensure_group(
    store: &Store,
    name: &str,
    description: &str,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<lpm_core::model::Group, CliError> {
    let db = |e: StoreError| CliError::Invalid(format!("database: {e}"));
    if let Some(group) = store
        .list_groups()
        .await
        .map_err(db)?
        .into_iter()
        .find(|g| g.name.as_str() == name)
    {
        return Ok(group);
    }
    let admin = Scope::system()
        .require_admin()
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let name = Name::new(name).map_err(|e| CliError::Invalid(e.to_string()))?;
    store
        .create_group(&admin, &name, description, actor, now)
        .await
        .map_err(db)
}

fn absolute(path: &Path) -> Result<PathBuf, CliError> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    let cwd = std::env::current_dir().map_err(|source| CliError::Io {
        path: PathBuf::from("."),
        source,
    })?;
    Ok(cwd.join(path))
}

fn make_private_dir(dir: &Path) -> Result<(), CliError> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|source| CliError::Io {
            path: dir.to_path_buf(),
            source,
        })
}

fn write_private(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    let io = |source| CliError::Io {
        path: path.to_path_buf(),
        source,
    };
    let tmp = path.with_extension("tmp");
    let _ = fs::remove_file(&tmp);
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)
        .map_err(io)?;
    file.write_all(contents).map_err(io)?;
    file.sync_all().map_err(io)?;
    fs::rename(&tmp, path).map_err(io)
}
