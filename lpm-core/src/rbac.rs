//! Authorization as values: a [`Scope`] computed once per request, and proofs the store requires.
//!
//! SDD §7.2: an admin reaches every host; an operator reaches the hosts in their groups and
//! every ungrouped host. Store methods that read or write host-scoped data take a `&Scope`, so
//! an out-of-scope row is never loaded; admin-only operations take an [`AdminProof`], which only
//! [`Scope::require_admin`] makes. Skipping the check does not compile.

use std::collections::BTreeSet;

use serde::Serialize;
use thiserror::Error;

use crate::ids::{GroupId, HostId, UserId};
use crate::model::{Role, User};

/// Why an action was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AccessError {
    /// The account is disabled.
    #[error("the account is disabled")]
    Disabled,
    /// The action needs the admin role (HTTP 403).
    #[error("this action needs the admin role")]
    AdminRequired,
    /// The host is outside the caller's scope. Deliberately indistinguishable from a host that
    /// does not exist (HTTP 404).
    #[error("no host with id {0} in any group you can access")]
    HostNotFound(HostId),
}

/// Which hosts a caller reaches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "groups")]
pub enum HostFilter {
    /// Every host.
    All,
    /// Hosts in any of these groups, plus every ungrouped host.
    GroupsAndUngrouped(BTreeSet<GroupId>),
}

/// Who is acting and what they reach. Fields are private: a scope is made only by
/// [`Scope::for_user`] or [`Scope::system`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    actor: Option<UserId>,
    role: Role,
    hosts: HostFilter,
}

impl Scope {
    /// The scope of a signed-in user.
    pub fn for_user(user: &User) -> Result<Self, AccessError> {
        if user.disabled {
            return Err(AccessError::Disabled);
        }
        let hosts = match user.role {
            Role::Admin => HostFilter::All,
            Role::Operator => HostFilter::GroupsAndUngrouped(user.groups.iter().copied().collect()),
        };
        Ok(Self {
            actor: Some(user.id),
            role: user.role,
            hosts,
        })
    }

    /// The background worker's scope: every host, no user. Audit rows it writes name the system.
    pub fn system() -> Self {
        Self {
            actor: None,
            role: Role::Admin,
            hosts: HostFilter::All,
        }
    }

    /// The acting user, or `None` for the system.
    pub fn actor(&self) -> Option<UserId> {
        self.actor
    }

    /// The acting role.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Which hosts this scope reaches.
    pub fn host_filter(&self) -> &HostFilter {
        &self.hosts
    }

    /// Whether a host with these group memberships is in scope.
    pub fn reaches(&self, host_groups: &[GroupId]) -> bool {
        match &self.hosts {
            HostFilter::All => true,
            HostFilter::GroupsAndUngrouped(mine) => {
                host_groups.is_empty() || host_groups.iter().any(|g| mine.contains(g))
            }
        }
    }

    /// Whether the caller may see or change a group's membership.
    pub fn reaches_group(&self, group: GroupId) -> bool {
        match &self.hosts {
            HostFilter::All => true,
            HostFilter::GroupsAndUngrouped(mine) => mine.contains(&group),
        }
    }

    /// Proof that a host is in scope, or the 404-shaped refusal.
    pub fn authorize_host(
        &self,
        host: HostId,
        host_groups: &[GroupId],
    ) -> Result<HostAccess, AccessError> {
        if self.reaches(host_groups) {
            Ok(HostAccess { host })
        } else {
            Err(AccessError::HostNotFound(host))
        }
    }

    /// Proof of the admin role, or a 403-shaped refusal.
    pub fn require_admin(&self) -> Result<AdminProof, AccessError> {
        match self.role {
            Role::Admin => Ok(AdminProof { actor: self.actor }),
            Role::Operator => Err(AccessError::AdminRequired),
        }
    }
}

/// Proof that the caller holds the admin role; store methods for admin-only changes take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminProof {
    actor: Option<UserId>,
}

impl AdminProof {
    /// The admin acting, or `None` for the system.
    pub fn actor(&self) -> Option<UserId> {
        self.actor
    }
}

/// Proof that one host is in the caller's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostAccess {
    host: HostId,
}

impl HostAccess {
    /// The host this proof is for.
    pub fn host(&self) -> HostId {
        self.host
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Username;

    fn user(role: Role, groups: &[i64], disabled: bool) -> User {
        User {
            id: UserId::new(1).unwrap_or_else(|_| unreachable!()),
            username: Username::new("u").unwrap_or_else(|_| unreachable!()),
            role,
            groups: groups
                .iter()
                .filter_map(|g| GroupId::new(*g).ok())
                .collect(),
            disabled,
        }
    }

    fn gids(ids: &[i64]) -> Vec<GroupId> {
        ids.iter().filter_map(|g| GroupId::new(*g).ok()).collect()
    }

    #[test]
    fn admin_reaches_everything() {
        let s = Scope::for_user(&user(Role::Admin, &[], false));
        let s = s.as_ref().ok();
        assert!(s.is_some_and(|s| s.reaches(&gids(&[9])) && s.require_admin().is_ok()));
    }

    #[test]
    fn operator_reaches_own_groups_and_ungrouped_only() {
        let Ok(s) = Scope::for_user(&user(Role::Operator, &[1, 2], false)) else {
            panic!("scope")
        };
        assert!(s.reaches(&gids(&[2])));
        assert!(
            s.reaches(&gids(&[])),
            "ungrouped hosts are visible to every operator"
        );
        assert!(s.reaches(&gids(&[3, 1])));
        assert!(!s.reaches(&gids(&[3])));
        let host = HostId::new(5).unwrap_or_else(|_| unreachable!());
        assert_eq!(
            s.authorize_host(host, &gids(&[3])),
            Err(AccessError::HostNotFound(host))
        );
        assert_eq!(s.require_admin(), Err(AccessError::AdminRequired));
        assert!(s.reaches_group(GroupId::new(1).unwrap_or_else(|_| unreachable!())));
    }

    #[test]
    fn disabled_users_get_no_scope() {
        assert_eq!(
            Scope::for_user(&user(Role::Admin, &[], true)),
            Err(AccessError::Disabled)
        );
    }
}
