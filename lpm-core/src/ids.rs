//! Typed identifiers: a host id can never be passed where a job id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

use crate::error::ValidationError;

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident, $what:literal) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "i64", into = "i64")]
        pub struct $name(i64);

        impl $name {
            /// Wraps a database id; ids are positive.
            pub fn new(raw: i64) -> Result<Self, ValidationError> {
                if raw > 0 {
                    Ok(Self(raw))
                } else {
                    Err(ValidationError::InvalidId { kind: $what, value: raw.to_string() })
                }
            }

            /// The raw integer, for storage and URLs.
            pub fn get(self) -> i64 {
                self.0
            }
        }

        impl TryFrom<i64> for $name {
            type Error = ValidationError;
            fn try_from(raw: i64) -> Result<Self, Self::Error> {
                Self::new(raw)
            }
        }

        impl From<$name> for i64 {
            fn from(id: $name) -> i64 {
                id.0
            }
        }

        impl FromStr for $name {
            type Err = ValidationError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let raw: i64 = s.trim().parse().map_err(|_| ValidationError::InvalidId {
                    kind: $what,
                    value: s.to_owned(),
                })?;
                Self::new(raw)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id_type!(
    /// Identifies a registered host.
    HostId, "host"
);
id_type!(
    /// Identifies a static group of hosts.
    GroupId, "group"
);
id_type!(
    /// Identifies a user account.
    UserId, "user"
);
id_type!(
    /// Identifies a patch job (the batch).
    JobId, "job"
);
id_type!(
    /// Identifies one host's row within a patch job: the unit the queue hands out.
    JobHostId, "job host"
);
id_type!(
    /// Identifies a maintenance window.
    WindowId, "maintenance window"
);
id_type!(
    /// Identifies a CIDR discovery run.
    DiscoveryId, "discovery"
);
id_type!(
    /// Identifies an audit log row.
    AuditId, "audit row"
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_reject_zero_and_negative() {
        assert!(HostId::new(0).is_err());
        assert!(JobId::new(-4).is_err());
        assert_eq!(HostId::new(42).map(HostId::get), Ok(42));
        assert!("abc".parse::<GroupId>().is_err());
        assert_eq!("7".parse::<GroupId>().map(i64::from), Ok(7));
    }

    #[test]
    fn ids_deserialize_through_validation() {
        assert!(serde_json::from_str::<HostId>("0").is_err());
        assert_eq!(
            serde_json::from_str::<HostId>("5").ok().map(HostId::get),
            Some(5)
        );
    }
}
