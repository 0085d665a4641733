//! The fleet's domain entities: hosts, groups, users and roles.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use crate::error::ValidationError;
use crate::ids::{GroupId, HostId, UserId};
use crate::net::{Fqdn, Port};

/// Implements `as_str`, `Display` and `FromStr` for a unit-variant enum from one table of words.
macro_rules! word_enum {
    ($name:ident, $kind:literal, { $($variant:ident => $word:literal),+ $(,)? }) => {
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable snake_case word used in storage and on the wire.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $word),+
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($word => Ok($name::$variant),)+
                    _ => Err($crate::error::ValidationError::UnknownVariant {
                        kind: $kind,
                        value: s.to_owned(),
                    }),
                }
            }
        }
    };
}
pub(crate) use word_enum;

/// What a user may do (SDD §7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Role {
    /// Full access to every resource and setting.
    Admin,
    /// Acts only on hosts in their groups and on ungrouped hosts.
    Operator,
    /// Reads everything an admin can read (settings with secrets left out) and changes
    /// nothing: for compliance officers and read-only automation.
    Auditor,
}

word_enum!(Role, "role", { Admin => "admin", Operator => "operator", Auditor => "auditor" });

impl Role {
    /// Whether a user holding `self` may hand `other` to a credential they create (an API
    /// token): an admin any role, everyone else only their own. An operator may not make an
    /// auditor, which reads beyond the operator's groups.
    pub fn may_grant(self, other: Role) -> bool {
        self == Role::Admin || self == other
    }
}

/// A host's health as the manager last saw it.
///
/// `pending`: registered, never reached. `healthy`: the agent answers and says ok.
/// `degraded`: the agent answers and reports a degraded check. `unhealthy`: calls fail and are
/// being retried. `unreachable`: retries exhausted; flagged in reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum HostStatus {
    /// Registered, never reached.
    Pending,
    /// The agent answers and reports ok.
    Healthy,
    /// The agent answers and reports a degraded check.
    Degraded,
    /// Calls fail and are being retried.
    Unhealthy,
    /// Retries are exhausted.
    Unreachable,
}

word_enum!(HostStatus, "host status", {
    Pending => "pending",
    Healthy => "healthy",
    Degraded => "degraded",
    Unhealthy => "unhealthy",
    Unreachable => "unreachable",
});

/// The package manager a host's agent drives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum PackageManager {
    /// Debian, Ubuntu.
    Apt,
    /// Fedora, RHEL and derivatives.
    Dnf,
    /// SUSE.
    Zypper,
}

word_enum!(PackageManager, "package manager", { Apt => "apt", Dnf => "dnf", Zypper => "zypper" });

/// How a host is addressed: by name, by address, or both (the address wins for connecting,
/// the name is checked against the agent certificate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HostAddress {
    fqdn: Option<Fqdn>,
    ip: Option<IpAddr>,
    port: Port,
}

impl HostAddress {
    /// At least one of `fqdn` and `ip` is required.
    pub fn new(
        fqdn: Option<Fqdn>,
        ip: Option<IpAddr>,
        port: Port,
    ) -> Result<Self, ValidationError> {
        if fqdn.is_none() && ip.is_none() {
            return Err(ValidationError::InvalidName {
                field: "host address",
                reason: "give an FQDN, an IP address, or both",
            });
        }
        Ok(Self { fqdn, ip, port })
    }

    /// The host name, when registered by name.
    pub fn fqdn(&self) -> Option<&Fqdn> {
        self.fqdn.as_ref()
    }

    /// The address, when known.
    pub fn ip(&self) -> Option<IpAddr> {
        self.ip
    }

    /// The agent's TCP port.
    pub fn port(&self) -> Port {
        self.port
    }

    /// The name to show people: the FQDN, else the address.
    pub fn display_name(&self) -> String {
        match (&self.fqdn, self.ip) {
            (Some(name), _) => name.to_string(),
            (None, Some(ip)) => ip.to_string(),
            (None, None) => String::new(),
        }
    }
}

/// A registered host as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Host {
    /// Its id.
    pub id: HostId,
    /// Where its agent listens.
    pub address: HostAddress,
    /// Health as last seen.
    pub status: HostStatus,
    /// Operating system's pretty name, once polled.
    pub os_name: Option<String>,
    /// Package manager, once polled.
    pub package_manager: Option<PackageManager>,
    /// The groups it belongs to (empty: ungrouped, visible to every operator).
    pub groups: Vec<GroupId>,
    /// When the agent last answered.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// When it was registered.
    pub created_at: DateTime<Utc>,
}

/// A name for a group, user or similar: 1–100 characters, no control characters, trimmed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Name(String);

impl Name {
    /// Validates a display name.
    pub fn new(raw: &str) -> Result<Self, ValidationError> {
        let trimmed = raw.trim();
        let fail = |reason| ValidationError::InvalidName {
            field: "name",
            reason,
        };
        if trimmed.is_empty() {
            return Err(fail("empty"));
        }
        if trimmed.chars().count() > 100 {
            return Err(fail("longer than 100 characters"));
        }
        if trimmed.chars().any(char::is_control) {
            return Err(fail("contains control characters"));
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Name {
    type Error = ValidationError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::new(&raw)
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        n.0
    }
}

impl FromStr for Name {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::new(s)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A login name: 1–64 characters of lowercase letters, digits, `.`, `_`, `-` and `@`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Username(String);

impl Username {
    /// Validates and lowercases a login name.
    pub fn new(raw: &str) -> Result<Self, ValidationError> {
        let name = raw.trim().to_ascii_lowercase();
        let fail = |reason| ValidationError::InvalidName {
            field: "username",
            reason,
        };
        if name.is_empty() || name.len() > 64 {
            return Err(fail("must be 1 to 64 characters"));
        }
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'))
        {
            return Err(fail(
                "only letters, digits, '.', '_', '-' and '@' are allowed",
            ));
        }
        Ok(Self(name))
    }

    /// The login name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Username {
    type Error = ValidationError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::new(&raw)
    }
}

impl From<Username> for String {
    fn from(n: Username) -> String {
        n.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A static group of hosts; operators see the hosts of their groups.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Its id.
    pub id: GroupId,
    /// Unique name.
    pub name: Name,
    /// Free text.
    pub description: String,
}

/// A user account as the policy sees it (credentials live elsewhere).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Its id.
    pub id: UserId,
    /// Login name.
    pub username: Username,
    /// What the user may do.
    pub role: Role,
    /// Groups the user belongs to (operators act on their hosts).
    pub groups: Vec<GroupId>,
    /// A disabled user can do nothing.
    pub disabled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip() {
        for s in HostStatus::ALL {
            assert_eq!(s.as_str().parse::<HostStatus>(), Ok(*s));
        }
        assert!("root".parse::<Role>().is_err());
    }

    #[test]
    fn names_are_validated() {
        assert!(Name::new("  ").is_err());
        assert!(Name::new("a\u{7}b").is_err());
        assert_eq!(Name::new(" web ").map(String::from).as_deref(), Ok("web"));
        assert!(Username::new("Alice").is_ok());
        assert!(Username::new("al ice").is_err());
        assert!(HostAddress::new(None, None, Port::default()).is_err());
    }
}
