//! Runtime settings: typed, bounded sections kept as JSON in the store's `system_config`, edited
//! by admins through `/api/v1/settings` and read by the web process and the worker.
//!
//! | key | type | what |
//! |---|---|---|
//! | `polling` | [`PollingSettings`] | health and patch poll intervals, seconds (60 to 86,400) |
//! | `concurrency` | [`ConcurrencySettings`] | concurrent agent calls per worker (1 to 1,024) |
//! | `security.ip_allowlist` | a JSON array of CIDRs ([`SecuritySettings`]) | who may reach the web listener |
//! | `smtp` | [`SmtpSettings`] | the mail relay for notifications |
//! | `sso` | [`SsoSettings`] | Azure AD (Entra ID) sign-in |
//! | `auth.argon2` | [`Argon2Params`] | password hashing cost, written by `lpm-server admin calibrate` |
//!
//! An unset key reads as the section's defaults (SDD: health every 5 minutes, patches every 30,
//! 64 concurrent agent calls). Secrets are never stored here: SMTP and SSO sections name the
//! files (mode 0600) that hold them. A worker reads its sections with [`load`]:
//!
//! ```no_run
//! # async fn run(store: lpm_store::Store) -> Result<(), lpm_store::StoreError> {
//! use lpm_server::settings::{ConcurrencySettings, PollingSettings, load};
//! let polling: PollingSettings = load(&store).await?;
//! let concurrency: ConcurrencySettings = load(&store).await?;
//! let every = std::time::Duration::from_secs(u64::from(polling.health_interval_s));
//! # let _ = (every, concurrency);
//! # Ok(()) }
//! ```
//!
//! Changes go through [`save`], which validates, then writes and audits (`settings.changed`,
//! with the old and new values) in one transaction.

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ipnet::IpNet;
use lpm_core::rbac::AdminProof;
use lpm_store::{Actor, Store, StoreError};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub use crate::auth::Argon2Params;

/// The `system_config` key of [`PollingSettings`].
pub const POLLING_KEY: &str = "polling";
/// The `system_config` key of [`ConcurrencySettings`].
pub const CONCURRENCY_KEY: &str = "concurrency";
/// The `system_config` key of the IP allowlist ([`SecuritySettings`]).
pub const ALLOWLIST_KEY: &str = crate::http::allowlist::ALLOWLIST_KEY;
/// The `system_config` key of [`SmtpSettings`].
pub const SMTP_KEY: &str = "smtp";
/// The `system_config` key of [`SsoSettings`].
pub const SSO_KEY: &str = "sso";
/// The `system_config` key of the calibrated [`Argon2Params`].
pub const ARGON2_KEY: &str = "auth.argon2";

/// Shortest poll interval, seconds.
pub const MIN_POLL_INTERVAL_S: u32 = 60;
/// Longest poll interval, seconds (a day).
pub const MAX_POLL_INTERVAL_S: u32 = 86_400;
/// Most concurrent agent calls.
pub const MAX_AGENTS: u32 = 1024;
/// Most networks in the IP allowlist.
pub const MAX_ALLOWLIST_ENTRIES: usize = 1000;

/// One field that failed validation: its dotted name and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// `section.field`, e.g. `polling.health_interval_s`.
    pub field: String,
    /// What is wrong, for people.
    pub reason: String,
}

/// Why a section could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    /// Fields are out of bounds or malformed; nothing was written.
    #[error("invalid settings: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.reason)).collect::<Vec<_>>().join("; "))]
    Invalid(Vec<FieldError>),
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A settings section: its key, its defaults, its bounds, and how it is stored.
pub trait Section: Sized + Default + Serialize + DeserializeOwned {
    /// The `system_config` key.
    const KEY: &'static str;

    /// Every field error; empty when the section may be saved.
    fn validate(&self) -> Vec<FieldError>;

    /// The stored JSON as the section (the JSON form, unless a section stores otherwise).
    fn from_stored(value: serde_json::Value) -> Result<Self, serde_json::Error> {
        serde_json::from_value(value)
    }

    /// The section as stored.
    fn to_stored(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::to_value(self)
    }
}

/// Reads a section; an unset key gives its defaults.
pub async fn load<S: Section>(store: &Store) -> Result<S, StoreError> {
    let stored: Option<serde_json::Value> = store.config_get(S::KEY).await?;
    stored
        .map(|v| {
            S::from_stored(v).map_err(|e| StoreError::Corrupt(format!("config {}: {e}", S::KEY)))
        })
        .transpose()
        .map(Option::unwrap_or_default)
}

/// Validates and saves a section (admin only); the store audits the change.
pub async fn save<S: Section>(
    store: &Store,
    admin: &AdminProof,
    section: &S,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), SettingsError> {
    let errors = section.validate();
    if !errors.is_empty() {
        return Err(SettingsError::Invalid(errors));
    }
    let stored = section
        .to_stored()
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    store.config_set(admin, S::KEY, &stored, actor, now).await?;
    Ok(())
}

fn error(section: &str, field: &str, reason: impl Into<String>) -> FieldError {
    FieldError {
        field: format!("{section}.{field}"),
        reason: reason.into(),
    }
}

/// How often the worker polls agents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PollingSettings {
    /// Seconds between health checks of a host (60 to 86,400; default 300).
    #[schema(minimum = 60, maximum = 86400, default = 300)]
    pub health_interval_s: u32,
    /// Seconds between patch-availability queries of a host (60 to 86,400; default 1,800).
    #[schema(minimum = 60, maximum = 86400, default = 1800)]
    pub patch_interval_s: u32,
}

impl Default for PollingSettings {
    fn default() -> Self {
        Self {
            health_interval_s: 300,
            patch_interval_s: 1800,
        }
    }
}

impl Section for PollingSettings {
    const KEY: &'static str = POLLING_KEY;

    fn validate(&self) -> Vec<FieldError> {
        let bounds = format!("between {MIN_POLL_INTERVAL_S} and {MAX_POLL_INTERVAL_S} seconds");
        [
            ("health_interval_s", self.health_interval_s),
            ("patch_interval_s", self.patch_interval_s),
        ]
        .into_iter()
        .filter(|(_, v)| !(MIN_POLL_INTERVAL_S..=MAX_POLL_INTERVAL_S).contains(v))
        .map(|(field, _)| error("polling", field, bounds.clone()))
        .collect()
    }
}

/// How many agents a worker calls at once (SDD §5.2's semaphore).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct ConcurrencySettings {
    /// Concurrent agent calls per worker (1 to 1,024; default 64).
    #[schema(minimum = 1, maximum = 1024, default = 64)]
    pub max_agents: u32,
}

impl Default for ConcurrencySettings {
    fn default() -> Self {
        Self { max_agents: 64 }
    }
}

impl Section for ConcurrencySettings {
    const KEY: &'static str = CONCURRENCY_KEY;

    fn validate(&self) -> Vec<FieldError> {
        if (1..=MAX_AGENTS).contains(&self.max_agents) {
            Vec::new()
        } else {
            vec![error(
                "concurrency",
                "max_agents",
                format!("between 1 and {MAX_AGENTS}"),
            )]
        }
    }
}

/// Who may reach the web listener.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SecuritySettings {
    /// Networks allowed to connect, as CIDRs (`10.0.0.0/8`, `fd00::/8`); empty: every address
    /// (TLS and sign-in still apply). Host bits are cleared when saved.
    #[schema(value_type = Vec<String>, example = json!(["10.0.0.0/8", "192.168.10.0/24"]))]
    pub ip_allowlist: Vec<IpNet>,
}

impl SecuritySettings {
    /// The list as saved: host bits cleared, duplicates dropped, order kept.
    pub fn normalized(&self) -> Self {
        let mut networks: Vec<IpNet> = Vec::new();
        for net in self.ip_allowlist.iter().map(IpNet::trunc) {
            if !networks.contains(&net) {
                networks.push(net);
            }
        }
        Self {
            ip_allowlist: networks,
        }
    }

    /// Whether `ip` may connect under this list (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn allows(&self, ip: IpAddr) -> bool {
        let list = crate::http::allowlist::IpAllowlist::default();
        list.set(self.ip_allowlist.clone());
        list.allows(ip)
    }
}

impl Section for SecuritySettings {
    const KEY: &'static str = ALLOWLIST_KEY;

    fn validate(&self) -> Vec<FieldError> {
        if self.ip_allowlist.len() > MAX_ALLOWLIST_ENTRIES {
            vec![error(
                "security",
                "ip_allowlist",
                format!("at most {MAX_ALLOWLIST_ENTRIES} networks"),
            )]
        } else {
            Vec::new()
        }
    }

    /// Stored as the bare array the allowlist middleware reads.
    fn from_stored(value: serde_json::Value) -> Result<Self, serde_json::Error> {
        Ok(Self {
            ip_allowlist: serde_json::from_value(value)?,
        })
    }

    fn to_stored(&self) -> Result<serde_json::Value, serde_json::Error> {
        serde_json::to_value(&self.ip_allowlist)
    }
}

/// The mail relay for notifications. The password lives in a file (mode 0600), named here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SmtpSettings {
    /// The relay's host name or address; unset: no mail is sent.
    pub host: Option<String>,
    /// Its port (default 587, submission).
    #[schema(minimum = 1, maximum = 65535, default = 587)]
    pub port: u16,
    /// The account to sign in with, if the relay wants one.
    pub username: Option<String>,
    /// The file holding the password (absolute path).
    #[schema(value_type = Option<String>)]
    pub password_file: Option<PathBuf>,
    /// The sender address.
    pub from: Option<String>,
    /// Upgrade the connection with STARTTLS (default true).
    pub starttls: bool,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        Self {
            host: None,
            port: 587,
            username: None,
            password_file: None,
            from: None,
            starttls: true,
        }
    }
}

impl Section for SmtpSettings {
    const KEY: &'static str = SMTP_KEY;

    fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(host) = &self.host
            && !is_host_name(host)
        {
            errors.push(error(
                "smtp",
                "host",
                "a DNS name or an IP address, without spaces",
            ));
        }
        if self.port == 0 {
            errors.push(error("smtp", "port", "between 1 and 65535"));
        }
        if let Some(user) = &self.username
            && (user.is_empty() || user.len() > 254 || user.chars().any(char::is_control))
        {
            errors.push(error(
                "smtp",
                "username",
                "1 to 254 characters, no control characters",
            ));
        }
        if let Some(path) = &self.password_file
            && !is_absolute_file_path(path)
        {
            errors.push(error("smtp", "password_file", "an absolute file path"));
        }
        if let Some(from) = &self.from
            && !is_mail_address(from)
        {
            errors.push(error(
                "smtp",
                "from",
                "a mail address such as lpm@example.com",
            ));
        }
        if self.host.is_some() && self.from.is_none() {
            errors.push(error("smtp", "from", "required when a host is set"));
        }
        errors
    }
}

/// Azure AD (Entra ID) sign-in. The client secret lives in a file (mode 0600), named here.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct SsoSettings {
    /// Offer Azure sign-in (requires every other field).
    pub enabled: bool,
    /// The directory (tenant) id: a GUID or a domain such as `contoso.onmicrosoft.com`.
    pub tenant_id: Option<String>,
    /// The application (client) id, a GUID.
    pub client_id: Option<String>,
    /// The file holding the client secret (absolute path).
    #[schema(value_type = Option<String>)]
    pub client_secret_file: Option<PathBuf>,
    /// Where Azure sends users back: `https://…/api/v1/auth/oidc/callback` on this server.
    pub redirect_uri: Option<String>,
}

impl Section for SsoSettings {
    const KEY: &'static str = SSO_KEY;

    fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        if let Some(tenant) = &self.tenant_id
            && !(is_guid(tenant) || is_host_name(tenant))
        {
            errors.push(error("sso", "tenant_id", "a GUID or a domain name"));
        }
        if let Some(client) = &self.client_id
            && !is_guid(client)
        {
            errors.push(error(
                "sso",
                "client_id",
                "a GUID such as 00000000-0000-0000-0000-000000000000",
            ));
        }
        if let Some(path) = &self.client_secret_file
            && !is_absolute_file_path(path)
        {
            errors.push(error("sso", "client_secret_file", "an absolute file path"));
        }
        if let Some(uri) = &self.redirect_uri
            && !is_https_url(uri)
        {
            errors.push(error(
                "sso",
                "redirect_uri",
                "an https:// URL without spaces or a fragment",
            ));
        }
        if self.enabled {
            let missing = [
                ("tenant_id", self.tenant_id.is_none()),
                ("client_id", self.client_id.is_none()),
                ("client_secret_file", self.client_secret_file.is_none()),
                ("redirect_uri", self.redirect_uri.is_none()),
            ];
            for (field, absent) in missing {
                if absent {
                    errors.push(error("sso", field, "required when enabled"));
                }
            }
        }
        errors
    }
}

/// Read-only over the API: `lpm-server admin calibrate` measures and writes it.
impl Section for Argon2Params {
    const KEY: &'static str = ARGON2_KEY;

    fn validate(&self) -> Vec<FieldError> {
        match crate::auth::PasswordHasher::new(*self) {
            Ok(_) => Vec::new(),
            Err(e) => vec![error("auth", "argon2", e.to_string())],
        }
    }
}

fn is_host_name(s: &str) -> bool {
    if s.parse::<IpAddr>().is_ok() {
        return true;
    }
    !s.is_empty()
        && s.len() <= 253
        && s.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

fn is_mail_address(s: &str) -> bool {
    match s.rsplit_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && s.len() <= 254
                && !local.chars().any(|c| c.is_whitespace() || c.is_control())
                && domain.contains('.')
                && is_host_name(domain)
        }
        None => false,
    }
}

fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

fn is_absolute_file_path(path: &Path) -> bool {
    let text = path.to_string_lossy();
    path.is_absolute()
        && text.len() <= 4096
        && !text.ends_with('/')
        && !text.chars().any(char::is_control)
}

fn is_https_url(s: &str) -> bool {
    s.strip_prefix("https://").is_some_and(|rest| {
        let authority = rest.split('/').next().unwrap_or_default();
        let host = authority
            .rsplit_once(':')
            .filter(|(_, port)| port.parse::<u16>().is_ok())
            .map_or(authority, |(host, _)| host);
        is_host_name(host.trim_start_matches('[').trim_end_matches(']'))
            && s.len() <= 2048
            && !s.contains('#')
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn fields(errors: Vec<FieldError>) -> Vec<String> {
        errors.into_iter().map(|e| e.field).collect()
    }

    #[test]
    fn bounds_are_checked_field_by_field() {
        assert!(PollingSettings::default().validate().is_empty());
        let polling = PollingSettings {
            health_interval_s: 59,
            patch_interval_s: 86_401,
        };
        assert_eq!(
            fields(polling.validate()),
            ["polling.health_interval_s", "polling.patch_interval_s"]
        );
        assert!(
            ConcurrencySettings { max_agents: 1024 }
                .validate()
                .is_empty()
        );
        assert_eq!(
            fields(ConcurrencySettings { max_agents: 0 }.validate()),
            ["concurrency.max_agents"]
        );
    }

    #[test]
    fn smtp_and_sso_name_files_and_check_their_fields() {
        let smtp = SmtpSettings {
            host: Some("mail relay".into()),
            password_file: Some("relative/secret".into()),
            from: Some("nobody".into()),
            ..SmtpSettings::default()
        };
        assert_eq!(
            fields(smtp.validate()),
            ["smtp.host", "smtp.password_file", "smtp.from"]
        );
        let good = SmtpSettings {
            host: Some("smtp.example.com".into()),
            username: Some("lpm".into()),
            password_file: Some("/etc/patch-manager/secrets/smtp".into()),
            from: Some("lpm@example.com".into()),
            ..SmtpSettings::default()
        };
        assert!(good.validate().is_empty());

        let sso = SsoSettings {
            enabled: true,
            client_id: Some("not-a-guid".into()),
            redirect_uri: Some("http://lpm.example.com/cb".into()),
            ..SsoSettings::default()
        };
        assert_eq!(
            fields(sso.validate()),
            [
                "sso.client_id",
                "sso.redirect_uri",
                "sso.tenant_id",
                "sso.client_secret_file"
            ]
        );
        let good = SsoSettings {
            enabled: true,
            tenant_id: Some("contoso.onmicrosoft.com".into()),
            client_id: Some("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0".into()),
            client_secret_file: Some("/etc/patch-manager/secrets/sso".into()),
            redirect_uri: Some("https://lpm.example.com:8443/api/v1/auth/oidc/callback".into()),
        };
        assert!(good.validate().is_empty(), "{:?}", good.validate());
    }

    #[test]
    fn the_allowlist_is_stored_as_a_bare_array_and_normalized() {
        let list = SecuritySettings {
            ip_allowlist: vec![
                "10.1.2.3/8".parse().unwrap(),
                "10.0.0.0/8".parse().unwrap(),
                "fd00::1/8".parse().unwrap(),
            ],
        }
        .normalized();
        assert_eq!(
            list.to_stored().unwrap(),
            serde_json::json!(["10.0.0.0/8", "fd00::/8"])
        );
        assert_eq!(
            SecuritySettings::from_stored(serde_json::json!(["10.0.0.0/8", "fd00::/8"])).unwrap(),
            list
        );
        assert!(list.allows("::ffff:10.9.9.9".parse().unwrap()));
        assert!(!list.allows("192.0.2.1".parse().unwrap()));
    }
}
