//! The server's static configuration (SDD §10.1): `config.toml`, overridden by environment
//! variables `PATCH_MANAGER__SECTION__KEY`, with secrets only ever in files referenced by path.
//!
//! Runtime-tunable values (poll intervals, allowlist, SSO, SMTP) live in the store's
//! `system_config` instead; what is here needs a restart. The startup log prints
//! [`Config::redacted`] and every environment override applied.

use std::net::SocketAddr;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The prefix of environment overrides.
pub const ENV_PREFIX: &str = "PATCH_MANAGER__";

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file or an override is not valid for the schema.
    #[error("invalid configuration: {0}")]
    Invalid(String),
    /// A secret was written inline instead of in a file.
    #[error("{0}")]
    InlineSecret(String),
    /// A secret file is readable by others than its owner.
    #[error("{path} is readable by group or others (mode {mode:o}): chmod 600 it")]
    InsecureSecretFile {
        /// The file.
        path: PathBuf,
        /// Its mode.
        mode: u32,
    },
}

/// Where the web UI's certificate comes from (AD-15).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "strategy")]
pub enum WebTls {
    /// Issued and renewed by the internal CA for `names` plus `localhost` and `127.0.0.1`.
    InternalCa,
    /// Operator-supplied PEM files (e.g. an infrastructure wildcard certificate).
    Files {
        /// Certificate chain, PEM.
        cert_file: PathBuf,
        /// Private key, PEM, mode 0600.
        key_file: PathBuf,
    },
}

/// The database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `sqlite:PATH` or `postgres://user@host/db` — without a password.
    pub url: String,
    /// A file (0600) holding the PostgreSQL password, if one is needed.
    pub password_file: Option<PathBuf>,
    /// Pool size (SDD §11: 20).
    pub max_connections: u32,
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        Self {
            url: "sqlite://lpm-data/lpm.db".into(),
            password_file: None,
            max_connections: 20,
        }
    }
}

/// Logging.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// A `tracing` filter, e.g. `info` or `info,lpm_store=debug`.
    pub level: String,
    /// `json` (SDD §13) or `pretty` for a terminal.
    pub format: String,
}

impl Default for LogConfig {
    fn default() -> Self {
        Self {
            level: "info".into(),
            format: "json".into(),
        }
    }
}

/// The web front end as browsers reach it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebConfig {
    /// The origin users type (`https://patch.example.com`, with `:port` unless 443): WebAuthn
    /// binds credentials to its host name, so it must be a domain, and changing it later
    /// invalidates every registered security key.
    pub public_origin: String,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            public_origin: crate::auth::webauthn::DEFAULT_PUBLIC_ORIGIN.into(),
        }
    }
}

/// A number of seconds, written as an integer or a decimal (`30`, `0.25`).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Seconds {
    /// Whole seconds.
    Whole(u64),
    /// Seconds with a fraction.
    Fraction(f64),
}

impl Seconds {
    /// As a duration; `None` when negative, not finite or absurdly long.
    pub fn duration(self) -> Option<chrono::Duration> {
        let secs = match self {
            Seconds::Whole(n) => n as f64,
            Seconds::Fraction(f) => f,
        };
        (secs.is_finite() && (0.0..1e9).contains(&secs))
            .then(|| chrono::Duration::milliseconds((secs * 1000.0).round() as i64))
    }
}

/// The worker (`lpm-server worker`, and the worker half of `all-in-one`). Every interval is
/// configuration (SDD §10.1; ARCHITECTURE.md "Settled questions"), so tests run them in
/// seconds; the poll intervals and the concurrency are defaults that the runtime settings
/// (`polling.health_interval_s`, `polling.patch_interval_s`, `concurrency.max_agents` in
/// `system_config`) override.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WorkerConfig {
    /// Names this worker's leases and heartbeat; unique among the workers of one database.
    /// Empty: `HOSTNAME-PID-RANDOM`, new at every start.
    pub id: String,
    /// The CA directory with `ca.crt`, `manager.crt` and `manager.key` (and `crl.pem` when
    /// agents' certificates were revoked). Default `DATA_DIR/ca`.
    pub ca_dir: Option<PathBuf>,
    /// Seconds between health polls of a host (SDD: 300).
    pub health_interval_s: Seconds,
    /// Seconds between patch polls of a host (SDD: 1800).
    pub patch_interval_s: Seconds,
    /// Agent calls in flight at once (SDD: 64).
    pub max_agents: u32,
    /// Job-host rows worked at once.
    pub max_rows: u32,
    /// Rows claimed at once.
    pub claim_batch: u32,
    /// Seconds a claim holds a row; renewed every third of it.
    pub lease_s: Seconds,
    /// Seconds before each retry of a transient agent failure (SDD §8.1: 60, 300, 1800).
    pub retry_backoff_s: Vec<Seconds>,
    /// Spread of the retry times, a fraction of each delay (0 to 0.5; SDD: 0.1).
    pub retry_jitter: f64,
    /// Seconds between reads of a running agent job when its event stream is quiet.
    pub job_poll_interval_s: Seconds,
    /// Seconds an agent may stay unreachable while its job is followed.
    pub agent_silence_limit_s: Seconds,
    /// Seconds a rebooting host may take to come back.
    pub reboot_timeout_s: Seconds,
    /// Seconds between wake-ups of an idle loop (a safety net for missed notifications).
    pub idle_wakeup_s: Seconds,
    /// Seconds between passes of the window scheduler.
    pub scheduler_interval_s: Seconds,
    /// Seconds between heartbeats (SDD §13: 30).
    pub heartbeat_interval_s: Seconds,
    /// Seconds between retention prunings (SDD: daily).
    pub prune_interval_s: Seconds,
    /// Seconds between audit-chain verifications.
    pub audit_verify_interval_s: Seconds,
    /// Seconds rows in flight get to finish on SIGTERM before they are let go.
    pub drain_s: Seconds,
    /// Seconds a whole agent call may take.
    pub agent_call_timeout_s: Seconds,
    /// Seconds for TCP connect plus the TLS handshake to an agent.
    pub agent_connect_timeout_s: Seconds,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            id: String::new(),
            ca_dir: None,
            health_interval_s: Seconds::Whole(300),
            patch_interval_s: Seconds::Whole(1800),
            max_agents: 64,
            max_rows: 1024,
            claim_batch: 64,
            lease_s: Seconds::Whole(60),
            retry_backoff_s: vec![
                Seconds::Whole(60),
                Seconds::Whole(300),
                Seconds::Whole(1800),
            ],
            retry_jitter: 0.1,
            job_poll_interval_s: Seconds::Whole(5),
            agent_silence_limit_s: Seconds::Whole(600),
            reboot_timeout_s: Seconds::Whole(1800),
            idle_wakeup_s: Seconds::Whole(30),
            scheduler_interval_s: Seconds::Whole(60),
            heartbeat_interval_s: Seconds::Whole(30),
            prune_interval_s: Seconds::Whole(86_400),
            audit_verify_interval_s: Seconds::Whole(86_400),
            drain_s: Seconds::Whole(10),
            agent_call_timeout_s: Seconds::Whole(30),
            agent_connect_timeout_s: Seconds::Whole(5),
        }
    }
}

impl WebConfig {
    /// The public origin, parsed.
    pub fn origin(&self) -> Result<url::Url, ConfigError> {
        url::Url::parse(&self.public_origin)
            .map_err(|e| ConfigError::Invalid(format!("web.public_origin: {e}")))
    }
}

impl WorkerConfig {
    /// Every interval with its key, for validation.
    fn intervals(&self) -> Vec<(&'static str, Seconds)> {
        let mut all = vec![
            ("worker.health_interval_s", self.health_interval_s),
            ("worker.patch_interval_s", self.patch_interval_s),
            ("worker.lease_s", self.lease_s),
            ("worker.job_poll_interval_s", self.job_poll_interval_s),
            ("worker.agent_silence_limit_s", self.agent_silence_limit_s),
            ("worker.reboot_timeout_s", self.reboot_timeout_s),
            ("worker.idle_wakeup_s", self.idle_wakeup_s),
            ("worker.scheduler_interval_s", self.scheduler_interval_s),
            ("worker.heartbeat_interval_s", self.heartbeat_interval_s),
            ("worker.prune_interval_s", self.prune_interval_s),
            (
                "worker.audit_verify_interval_s",
                self.audit_verify_interval_s,
            ),
            ("worker.drain_s", self.drain_s),
            ("worker.agent_call_timeout_s", self.agent_call_timeout_s),
            (
                "worker.agent_connect_timeout_s",
                self.agent_connect_timeout_s,
            ),
        ];
        all.extend(
            self.retry_backoff_s
                .iter()
                .map(|s| ("worker.retry_backoff_s", *s)),
        );
        all
    }

    fn validate(&self) -> Result<(), ConfigError> {
        if self.id.len() > 100 || !self.id.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ConfigError::Invalid(
                "worker.id must be at most 100 visible ASCII characters".into(),
            ));
        }
        for (key, value) in self.intervals() {
            match value.duration() {
                Some(d) if d >= chrono::Duration::milliseconds(10) => {}
                _ => {
                    return Err(ConfigError::Invalid(format!(
                        "{key} must be a number of seconds, at least 0.01"
                    )));
                }
            }
        }
        for (key, value) in [
            ("worker.max_agents", self.max_agents),
            ("worker.max_rows", self.max_rows),
            ("worker.claim_batch", self.claim_batch),
        ] {
            if !(1..=100_000).contains(&value) {
                return Err(ConfigError::Invalid(format!(
                    "{key} must be between 1 and 100000"
                )));
            }
        }
        if self.retry_backoff_s.len() > 20 {
            return Err(ConfigError::Invalid(
                "worker.retry_backoff_s holds at most 20 delays".into(),
            ));
        }
        if !(0.0..=0.5).contains(&self.retry_jitter) {
            return Err(ConfigError::Invalid(
                "worker.retry_jitter must be between 0 and 0.5".into(),
            ));
        }
        Ok(())
    }
}

/// The whole static configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    /// Where the web API and UI listen.
    pub listen: SocketAddr,
    /// Names the web certificate is valid for, besides `localhost` and `127.0.0.1`.
    pub public_names: Vec<String>,
    /// Where state lives (CA, keys, SQLite database by default).
    pub data_dir: PathBuf,
    /// The database.
    pub database: DatabaseConfig,
    /// The web certificate.
    pub web_tls: WebTls,
    /// Logging.
    pub log: LogConfig,
    /// How browsers reach the web UI.
    pub web: WebConfig,
    /// The worker.
    pub worker: WorkerConfig,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8443)),
            public_names: Vec::new(),
            data_dir: PathBuf::from("lpm-data"),
            database: DatabaseConfig::default(),
            web_tls: WebTls::InternalCa,
            log: LogConfig::default(),
            web: WebConfig::default(),
            worker: WorkerConfig::default(),
        }
    }
}

/// A loaded configuration and the environment overrides that shaped it (for the startup log).
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// The configuration.
    pub config: Config,
    /// `section.key` of every override applied from the environment.
    pub overrides: Vec<String>,
}

impl Config {
    /// Loads `file` (when given; absent means defaults) and applies the `PATCH_MANAGER__…`
    /// pairs of `env` (pass `std::env::vars()`). Values are read as TOML scalars (`8443`,
    /// `true`), falling back to strings.
    pub fn load(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Loaded, ConfigError> {
        let mut table: toml::Table = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
                    path: path.into(),
                    source,
                })?;
                text.parse()
                    .map_err(|e: toml::de::Error| ConfigError::Invalid(e.to_string()))?
            }
            None => toml::Table::new(),
        };
        let mut overrides = Vec::new();
        let mut env: Vec<(String, String)> = env
            .into_iter()
            .filter(|(k, _)| k.starts_with(ENV_PREFIX))
            .collect();
        env.sort();
        for (key, value) in env {
            let path: Vec<String> = key[ENV_PREFIX.len()..]
                .split("__")
                .map(str::to_lowercase)
                .collect();
            if path.iter().any(String::is_empty) {
                return Err(ConfigError::Invalid(format!("malformed override {key}")));
            }
            set_path(&mut table, &path, scalar(&value))?;
            overrides.push(path.join("."));
        }
        let config: Config = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| ConfigError::Invalid(e.to_string()))?;
        config.validate()?;
        Ok(Loaded { config, overrides })
    }

    fn validate(&self) -> Result<(), ConfigError> {
        let url = &self.database.url;
        if !(url.starts_with("sqlite:")
            || url.starts_with("postgres:")
            || url.starts_with("postgresql:"))
        {
            return Err(ConfigError::Invalid(
                "database.url must start with sqlite: or postgres:".into(),
            ));
        }
        let origin = self.web.origin()?;
        crate::auth::webauthn::relying_party(&origin)
            .map_err(|e| ConfigError::Invalid(format!("web.public_origin: {e}")))?;
        if url_has_password(url) {
            return Err(ConfigError::InlineSecret(
                "database.url holds a password: put it in a file (mode 0600) and set database.password_file".into(),
            ));
        }
        self.worker.validate()
    }

    /// The database URL with the password from `database.password_file` filled in. Refuses a
    /// password file readable by group or others.
    pub fn database_url(&self) -> Result<String, ConfigError> {
        let Some(path) = &self.database.password_file else {
            return Ok(self.database.url.clone());
        };
        let password = read_secret_file(path)?;
        let Some((scheme, rest)) = self.database.url.split_once("://") else {
            return Err(ConfigError::Invalid(
                "database.password_file needs a postgres://user@host/db URL".into(),
            ));
        };
        let Some((user, host)) = rest.split_once('@') else {
            return Err(ConfigError::Invalid(
                "database.password_file needs a user in database.url (user@host)".into(),
            ));
        };
        Ok(format!(
            "{scheme}://{user}:{}@{host}",
            percent_encode(password.trim_end_matches(['\n', '\r']))
        ))
    }

    /// The effective configuration for the startup log: no secret in it (there are none
    /// inline by construction; paths to secret files are shown).
    pub fn redacted(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

/// Reads a secret file, refusing one that group or others can read.
pub fn read_secret_file(path: &Path) -> Result<String, ConfigError> {
    let meta = std::fs::metadata(path).map_err(|source| ConfigError::Read {
        path: path.into(),
        source,
    })?;
    let mode = meta.mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(ConfigError::InsecureSecretFile {
            path: path.into(),
            mode,
        });
    }
    std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.into(),
        source,
    })
}

fn url_has_password(url: &str) -> bool {
    url.split_once("://")
        .and_then(|(_, rest)| rest.split(['/', '?']).next())
        .and_then(|authority| authority.rsplit_once('@'))
        .is_some_and(|(userinfo, _)| userinfo.contains(':'))
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

fn scalar(text: &str) -> toml::Value {
    format!("v = {text}")
        .parse::<toml::Table>()
        .ok()
        .and_then(|mut t| t.remove("v"))
        .unwrap_or_else(|| toml::Value::String(text.to_owned()))
}

fn set_path(
    table: &mut toml::Table,
    path: &[String],
    value: toml::Value,
) -> Result<(), ConfigError> {
    let Some((last, parents)) = path.split_last() else {
        return Ok(());
    };
    let mut current = table;
    for part in parents {
        let entry = current
            .entry(part.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        current = entry
            .as_table_mut()
            .ok_or_else(|| ConfigError::Invalid(format!("{part} is not a section")))?;
    }
    current.insert(last.clone(), value);
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn defaults_file_and_environment_layer_in_that_order() {
        let defaults = Config::load(None, env(&[])).unwrap();
        assert_eq!(defaults.config, Config::default());
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(
            &file,
            "listen = \"0.0.0.0:443\"\npublic_names = [\"patch.example.com\"]\n[database]\nurl = \"postgres://lpm@localhost/lpm\"\n\
             [web_tls]\nstrategy = \"files\"\ncert_file = \"/etc/lpm/web.crt\"\nkey_file = \"/etc/lpm/web.key\"\n",
        )
        .unwrap();
        let loaded = Config::load(
            Some(&file),
            env(&[
                ("PATCH_MANAGER__DATABASE__MAX_CONNECTIONS", "40"),
                ("PATCH_MANAGER__LOG__LEVEL", "debug"),
                ("HOME", "/x"),
            ]),
        )
        .unwrap();
        let c = &loaded.config;
        assert_eq!(c.listen.port(), 443);
        assert_eq!(
            (c.database.max_connections, c.log.level.as_str()),
            (40, "debug")
        );
        assert!(matches!(c.web_tls, WebTls::Files { .. }));
        assert_eq!(loaded.overrides, ["database.max_connections", "log.level"]);
    }

    #[test]
    fn bad_configuration_is_refused_with_a_clear_message() {
        let inline = Config::load(
            None,
            env(&[(
                "PATCH_MANAGER__DATABASE__URL",
                "postgres://lpm:hunter2@db/lpm",
            )]),
        );
        let err = inline.unwrap_err().to_string();
        assert!(
            err.contains("password_file") && !err.contains("hunter2"),
            "{err}"
        );
        assert!(Config::load(None, env(&[("PATCH_MANAGER__LISTEN", "not an address")])).is_err());
        assert!(
            Config::load(None, env(&[("PATCH_MANAGER__NO_SUCH_KEY", "1")])).is_err(),
            "unknown keys are refused"
        );
        assert!(Config::load(None, env(&[("PATCH_MANAGER__DATABASE__URL", "mysql://x")])).is_err());
        for origin in [
            "https://10.0.0.5:8443",
            "http://patch.example.com",
            "not a url",
        ] {
            let err = Config::load(None, env(&[("PATCH_MANAGER__WEB__PUBLIC_ORIGIN", origin)]))
                .unwrap_err()
                .to_string();
            assert!(err.contains("web.public_origin"), "{origin}: {err}");
        }
        let ok = Config::load(
            None,
            env(&[(
                "PATCH_MANAGER__WEB__PUBLIC_ORIGIN",
                "https://patch.example.com",
            )]),
        )
        .unwrap();
        assert_eq!(
            ok.config.web.origin().unwrap().as_str(),
            "https://patch.example.com/"
        );
        assert!(Config::load(Some(Path::new("/nonexistent/config.toml")), env(&[])).is_err());
    }

    #[test]
    fn the_worker_section_takes_seconds_and_overrides_and_names_bad_keys() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("config.toml");
        std::fs::write(
            &file,
            "[worker]\nid = \"w1\"\nhealth_interval_s = 2\nlease_s = 0.5\nretry_backoff_s = [1, 2.5]\n",
        )
        .unwrap();
        let loaded = Config::load(
            Some(&file),
            env(&[
                ("PATCH_MANAGER__WORKER__MAX_AGENTS", "16"),
                ("PATCH_MANAGER__WORKER__PATCH_INTERVAL_S", "0.25"),
            ]),
        )
        .unwrap();
        let w = &loaded.config.worker;
        assert_eq!(w.id, "w1");
        assert_eq!(w.max_agents, 16);
        assert_eq!(
            w.lease_s.duration(),
            Some(chrono::Duration::milliseconds(500))
        );
        assert_eq!(
            w.patch_interval_s.duration(),
            Some(chrono::Duration::milliseconds(250))
        );
        assert_eq!(w.retry_backoff_s.len(), 2);
        assert_eq!(
            loaded.overrides,
            ["worker.max_agents", "worker.patch_interval_s"]
        );
        let shown = loaded.config.redacted().to_string();
        assert!(shown.contains("\"lease_s\":0.5"), "{shown}");

        for (key, value, named) in [
            ("PATCH_MANAGER__WORKER__LEASE_S", "0", "worker.lease_s"),
            ("PATCH_MANAGER__WORKER__LEASE_S", "-3", "worker.lease_s"),
            (
                "PATCH_MANAGER__WORKER__MAX_AGENTS",
                "0",
                "worker.max_agents",
            ),
            (
                "PATCH_MANAGER__WORKER__RETRY_JITTER",
                "0.9",
                "worker.retry_jitter",
            ),
            (
                "PATCH_MANAGER__WORKER__RETRY_BACKOFF_S",
                "[1, 0]",
                "worker.retry_backoff_s",
            ),
            ("PATCH_MANAGER__WORKER__ID", "a b", "worker.id"),
            ("PATCH_MANAGER__WORKER__NO_SUCH_KEY", "1", "no_such_key"),
        ] {
            let err = Config::load(None, env(&[(key, value)]))
                .unwrap_err()
                .to_string();
            assert!(err.contains(named), "{key}={value}: {err}");
        }
    }

    #[test]
    fn the_database_password_comes_from_a_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let secret = dir.path().join("db-password");
        std::fs::write(&secret, "p@ss word\n").unwrap();
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o644)).unwrap();
        let mut config = Config::default();
        config.database.url = "postgres://lpm@db.internal/lpm".into();
        config.database.password_file = Some(secret.clone());
        assert!(matches!(
            config.database_url(),
            Err(ConfigError::InsecureSecretFile { .. })
        ));
        std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(
            config.database_url().unwrap(),
            "postgres://lpm:p%40ss%20word@db.internal/lpm"
        );
        let shown = config.redacted().to_string();
        assert!(!shown.contains("p@ss"), "{shown}");
    }
}
