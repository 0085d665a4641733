//! Who performs a change, as the audit log records it.

use lpm_core::ids::UserId;

use crate::audit::AuditEntry;

/// The person (or the system) behind a change, and where the request came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// The user, or `None` for the system.
    pub user: Option<UserId>,
    /// The name to record.
    pub name: String,
    /// The client address.
    pub ip: Option<String>,
}

impl Actor {
    /// The background worker, the pruner, the command line.
    pub fn system() -> Self {
        Self {
            user: None,
            name: "system".to_owned(),
            ip: None,
        }
    }

    /// A signed-in user.
    pub fn user(id: UserId, name: &str, ip: Option<String>) -> Self {
        Self {
            user: Some(id),
            name: name.to_owned(),
            ip,
        }
    }

    /// An audit entry by this actor.
    pub fn entry(&self, action: &str, target_type: &str, target_id: impl ToString) -> AuditEntry {
        let mut entry =
            AuditEntry::new(self.user, &self.name, action, target_type).target(target_id);
        entry.ip = self.ip.clone();
        entry
    }
}
