//! `lpm-server serve`: the web API over HTTPS. Loads the configuration, opens (and migrates)
//! the store, makes sure the internal CA and the web certificate exist (AD-15), logs what runs
//! where, and serves until SIGINT or SIGTERM, letting in-flight requests finish.

use std::fs;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use lpm_ca::time::OffsetDateTime;
use lpm_ca::{CA_CERT_FILE, Ca, inspect, renewal_due};
use lpm_store::{Store, StoreOptions};

use crate::auth::rotation::{CHECK_EVERY, KeyDir, KeyRotation};
use crate::auth::webauthn::relying_party;
use crate::auth::{Argon2Params, PasswordHasher, Throttle, ThrottleConfig};
use crate::cli::admin::ARGON2_KEY;
use crate::cli::{CliError, ServeArgs, ca, wait_for_stop};
use crate::clock::SystemClock;
use crate::config::{Config, Loaded, WebTls, read_secret_file};
use crate::http::{AppState, AuthContext, app, serve, web_tls_config};

/// The web certificate and key the internal-CA strategy keeps in the data directory.
pub(crate) const WEB_CERT_FILE: &str = "web.crt";
const WEB_KEY_FILE: &str = "web.key";

/// Loads the configuration, starts logging and logs the effective configuration (secrets
/// redacted) for the process mode `mode`.
pub(crate) fn load(args: &ServeArgs, mode: &str) -> Result<Loaded, CliError> {
    let loaded = Config::load(args.config.as_deref(), std::env::vars())
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    init_logging(&loaded.config.log.level, &loaded.config.log.format)?;
    tracing::info!(
        config = %loaded.config.redacted(),
        env_overrides = ?loaded.overrides,
        version = env!("CARGO_PKG_VERSION"),
        "lpm-server {mode} starting"
    );
    Ok(loaded)
}

pub(crate) fn run(args: ServeArgs) -> Result<(), CliError> {
    let loaded = load(&args, "serve")?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| CliError::Invalid(format!("cannot start the async runtime: {e}")))?;
    runtime.block_on(run_server(loaded.config))
}

pub(crate) fn init_logging(level: &str, format: &str) -> Result<(), CliError> {
    let filter = tracing_subscriber::EnvFilter::try_new(level)
        .map_err(|e| CliError::Invalid(format!("log.level {level:?}: {e}")))?;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stdout);
    let result = match format {
        "json" => builder.json().flatten_event(true).try_init(),
        "pretty" => builder.try_init(),
        other => {
            return Err(CliError::Invalid(format!(
                "log.format must be json or pretty, not {other:?}"
            )));
        }
    };
    result.map_err(|e| CliError::Invalid(format!("cannot start logging: {e}")))
}

pub(crate) async fn run_server(config: Config) -> Result<(), CliError> {
    make_private_dir(&config.data_dir)?;
    let url = config
        .database_url()
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let options = StoreOptions {
        max_connections: config.database.max_connections,
        ..StoreOptions::default()
    };
    let store = Store::open(&url, &options)
        .await
        .map_err(|e| CliError::Invalid(format!("database: {e}")))?;
    tracing::info!(backend = ?store.backend(), schema = ?store.schema_version().await.ok().flatten(), "store ready");
    serve_web(&config, &store, wait_for_stop()).await?;
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// The web part on an open store until `stop` completes: what `serve` runs, and what
/// `all-in-one` runs beside the worker on the same store.
pub(crate) async fn serve_web(
    config: &Config,
    store: &Store,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), CliError> {
    let (cert_pem, key_pem) = match &config.web_tls {
        WebTls::InternalCa => internal_web_certificate(config)?,
        WebTls::Files {
            cert_file,
            key_file,
        } => {
            let cert = fs::read_to_string(cert_file).map_err(|source| CliError::Io {
                path: cert_file.clone(),
                source,
            })?;
            let key = read_secret_file(key_file).map_err(|e| CliError::Invalid(e.to_string()))?;
            (cert, key)
        }
    };
    let tls = web_tls_config(&cert_pem, &key_pem).map_err(|e| CliError::Invalid(e.to_string()))?;

    let (auth, rotation) = auth_context(store, config).await?;
    let auth = Arc::new(auth);
    let clock: Arc<dyn lpm_core::ports::Clock> = Arc::new(SystemClock);
    let rotating = rotation.spawn(Arc::clone(&auth), Arc::clone(&clock), CHECK_EVERY);
    let mut state = AppState::new(store.clone(), clock, auth);
    state.data_dir = Some(config.data_dir.clone());
    state.web_tls = config.web_tls.clone();
    let ca_dir = config.data_dir.join("ca");
    if ca_dir.join(CA_CERT_FILE).exists() {
        state.ca = Some(Arc::new(Ca::load(&ca_dir)?));
    }
    state
        .allowlist
        .reload(store)
        .await
        .map_err(|e| CliError::Invalid(format!("allowlist: {e}")))?;
    let listener = tokio::net::TcpListener::bind(config.listen)
        .await
        .map_err(|source| CliError::Io {
            path: PathBuf::from(config.listen.to_string()),
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| CliError::Io {
        path: PathBuf::from("listener"),
        source,
    })?;
    tracing::info!(
        url = %format!("https://{}:{}", if addr.ip().is_loopback() { "localhost".to_owned() } else { addr.ip().to_string() }, addr.port()),
        listen = %addr,
        allowlist = ?state.allowlist.networks(),
        "listening"
    );
    serve(listener, tls, app(state), stop)
        .await
        .map_err(|source| CliError::Io {
            path: PathBuf::from(addr.to_string()),
            source,
        })?;
    rotating.abort();
    Ok(())
}

/// Authentication at startup: the calibrated Argon2 parameters from `system_config` (the SDD's
/// starting point until `admin calibrate` ran), the signing keys from `DATA/jwt` (generated,
/// rotated and published as [`KeyRotation`] describes) and the WebAuthn relying party of
/// `web.public_origin`.
async fn auth_context(
    store: &Store,
    config: &Config,
) -> Result<(AuthContext, KeyRotation), CliError> {
    let db = |e: lpm_store::StoreError| CliError::Invalid(format!("database: {e}"));
    let auth = |e: crate::auth::AuthError| CliError::Invalid(e.to_string());
    let now = chrono::Utc::now();
    let params: Argon2Params = store
        .config_get(ARGON2_KEY)
        .await
        .map_err(db)?
        .unwrap_or_default();
    let hasher = PasswordHasher::new(params).map_err(auth)?;
    let rotation = KeyRotation::new(store.clone(), KeyDir::open(&config.data_dir).map_err(auth)?);
    let keys = rotation
        .key_ring(now)
        .await
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let origin = config
        .web
        .origin()
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let webauthn = relying_party(&origin).map_err(auth)?;
    tracing::info!(kid = keys.keys().signing.kid(), argon2 = ?params, public_origin = %origin, "authentication ready");
    let context = AuthContext::new(
        keys,
        hasher,
        Throttle::new(ThrottleConfig::default()),
        webauthn,
    );
    Ok((context, rotation))
}

/// The internal CA in `DATA/ca`, created on first start; answers its directory.
pub(crate) fn ensure_internal_ca(config: &Config) -> Result<std::path::PathBuf, CliError> {
    let ca_dir = config.data_dir.join("ca");
    if !ca_dir.join(CA_CERT_FILE).exists() {
        make_private_dir(&ca_dir)?;
        let now = OffsetDateTime::now_utc();
        let (root, manager) = ca::create_ca(&ca_dir, "lpm internal CA", "lpm-manager", now)?;
        tracing::info!(dir = %ca_dir.display(), root_serial = %root, manager_serial = %manager, "created the internal CA");
    }
    Ok(ca_dir)
}

/// The web certificate from the internal CA in `DATA/ca` (created on first start), reused
/// until two-thirds of its life has passed or the configured names change.
fn internal_web_certificate(config: &Config) -> Result<(String, String), CliError> {
    let now = OffsetDateTime::now_utc();
    let ca_dir = ensure_internal_ca(config)?;
    let ca = Ca::load(&ca_dir)?;
    let mut names = vec!["localhost".to_owned()];
    names.extend(config.public_names.iter().cloned());
    let cert_path = config.data_dir.join(WEB_CERT_FILE);
    let key_path = config.data_dir.join(WEB_KEY_FILE);
    if let (Ok(cert), Ok(key)) = (fs::read_to_string(&cert_path), read_secret_file(&key_path))
        && let Ok(info) = inspect(&cert)
        && names.iter().all(|n| info.dns_names.contains(n))
        && !renewal_due(&info, now)
        && ca.verify_issued(&cert).is_ok()
    {
        return Ok((cert, key));
    }
    let ips = ["127.0.0.1"
        .parse()
        .map_err(|_| CliError::Invalid("loopback".into()))?];
    let issued = ca.issue_web_server(&names, &ips, now)?;
    write_replacing(&key_path, issued.key_pem.expose_secret().as_bytes(), 0o600)?;
    write_replacing(&cert_path, issued.cert_pem.as_bytes(), 0o644)?;
    tracing::info!(serial = %issued.info.serial, names = ?issued.info.dns_names, not_after = %issued.info.not_after, "issued the web certificate");
    Ok((issued.cert_pem, issued.key_pem.expose_secret().to_owned()))
}

pub(crate) fn make_private_dir(dir: &Path) -> Result<(), CliError> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .map_err(|source| CliError::Io {
            path: dir.to_path_buf(),
            source,
        })
}

/// Writes `path` through a temporary file and a rename, so a crash never leaves half a key.
pub(crate) fn write_replacing(path: &Path, contents: &[u8], mode: u32) -> Result<(), CliError> {
    let tmp = path.with_extension("tmp");
    let _ = fs::remove_file(&tmp);
    let io = |source| CliError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(mode)
        .open(&tmp)
        .map_err(io)?;
    file.write_all(contents).map_err(io)?;
    file.sync_all().map_err(io)?;
    fs::rename(&tmp, path).map_err(io)
}
