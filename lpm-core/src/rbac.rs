//! Authorization as values: a [`Scope`] computed once per request, and proofs the store requires.
//!
//! SDD §7.2: an admin reaches every host; an operator reaches the hosts in their groups and
//! every ungrouped host; an auditor reads every host and changes nothing. Store methods that
//! read or write host-scoped data take a `&Scope`, so an out-of-scope row is never loaded;
//! admin-only operations take an [`AdminProof`], which only [`Scope::require_admin`] makes, and
//! admin-only reads a [`ReadAllProof`] ([`Scope::require_read_all`]: admins and auditors).
//! Skipping the check does not compile. An API token acts with a scope no wider than its
//! owner's ([`Scope::for_api_token`]).

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
    /// The read needs the admin or auditor role (HTTP 403).
    #[error("this needs the admin or auditor role")]
    ReadAllRequired,
    /// An API token's role is more than its owner now holds (they were demoted): it no
    /// longer works.
    #[error("the token's role {token} is more than its owner's role {owner}")]
    TokenExceedsOwner {
        /// The token's role.
        token: Role,
        /// The owner's role now.
        owner: Role,
    },
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
            Role::Admin | Role::Auditor => HostFilter::All,
            Role::Operator => HostFilter::GroupsAndUngrouped(user.groups.iter().copied().collect()),
        };
        Ok(Self {
            actor: Some(user.id),
            role: user.role,
            hosts,
        })
    }

    /// The scope of an API token of `user` with `role`, limited to `groups` when the token
    /// names some (operator tokens only). Computed at every use from the owner as they are
    /// now, so the token never reaches more than its owner: a token whose role the owner no
    /// longer may grant stops working, and an operator token loses a group its owner leaves.
    /// An operator token without groups follows its owner's groups; with groups, it reaches
    /// those of them its owner still holds (any of them, for an admin owner), plus ungrouped
    /// hosts as every operator does.
    pub fn for_api_token(
        user: &User,
        role: Role,
        groups: Option<&[GroupId]>,
    ) -> Result<Self, AccessError> {
        let owner = Self::for_user(user)?;
        if !user.role.may_grant(role) {
            return Err(AccessError::TokenExceedsOwner {
                token: role,
                owner: user.role,
            });
        }
        let hosts = match role {
            Role::Admin | Role::Auditor => HostFilter::All,
            Role::Operator => {
                let owner_groups: BTreeSet<GroupId> = user.groups.iter().copied().collect();
                let groups = match groups {
                    None => owner_groups,
                    Some(named) if user.role == Role::Admin => named.iter().copied().collect(),
                    Some(named) => named
                        .iter()
                        .copied()
                        .filter(|g| owner_groups.contains(g))
                        .collect(),
                };
                HostFilter::GroupsAndUngrouped(groups)
            }
        };
        Ok(Self {
            actor: owner.actor,
            role,
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
            Role::Operator | Role::Auditor => Err(AccessError::AdminRequired),
        }
    }

    /// Proof that the caller may read what only admins read (users, settings, the audit
    /// log, certificates, discovery): admins and auditors.
    pub fn require_read_all(&self) -> Result<ReadAllProof, AccessError> {
        match self.role {
            Role::Admin | Role::Auditor => Ok(ReadAllProof { _private: () }),
            Role::Operator => Err(AccessError::ReadAllRequired),
        }
    }

    /// Whether this scope may change anything at all (an auditor's may not).
    pub fn may_change(&self) -> bool {
        self.role != Role::Auditor
    }
}

/// Proof that the caller may read everything an admin reads; store methods for admin-only
/// reads take it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadAllProof {
    _private: (),
}

impl From<AdminProof> for ReadAllProof {
    fn from(_: AdminProof) -> Self {
        Self { _private: () }
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

    #[test]
    fn auditors_read_everything_and_may_change_nothing() {
        let Ok(s) = Scope::for_user(&user(Role::Auditor, &[], false)) else {
            panic!("scope")
        };
        assert!(s.reaches(&gids(&[7])));
        assert!(s.require_read_all().is_ok());
        assert_eq!(s.require_admin(), Err(AccessError::AdminRequired));
        assert!(!s.may_change());
        let Ok(op) = Scope::for_user(&user(Role::Operator, &[1], false)) else {
            panic!("scope")
        };
        assert_eq!(op.require_read_all(), Err(AccessError::ReadAllRequired));
        assert!(op.may_change());
    }

    #[test]
    fn a_token_never_reaches_more_than_its_owner() {
        let operator = user(Role::Operator, &[1, 2], false);
        // Only the operator's own role, and only the named groups the owner still holds.
        for role in [Role::Admin, Role::Auditor] {
            assert_eq!(
                Scope::for_api_token(&operator, role, None),
                Err(AccessError::TokenExceedsOwner {
                    token: role,
                    owner: Role::Operator
                })
            );
        }
        let Ok(narrow) = Scope::for_api_token(&operator, Role::Operator, Some(&gids(&[2, 3])))
        else {
            panic!("scope")
        };
        assert!(narrow.reaches(&gids(&[2])));
        assert!(!narrow.reaches(&gids(&[1])), "not named on the token");
        assert!(!narrow.reaches(&gids(&[3])), "named but not the owner's");
        let Ok(follows) = Scope::for_api_token(&operator, Role::Operator, None) else {
            panic!("scope")
        };
        assert!(follows.reaches(&gids(&[1])) && follows.reaches(&gids(&[2])));

        // An admin's operator token reaches exactly the groups it names.
        let admin = user(Role::Admin, &[], false);
        let Ok(scoped) = Scope::for_api_token(&admin, Role::Operator, Some(&gids(&[3]))) else {
            panic!("scope")
        };
        assert!(scoped.reaches(&gids(&[3])) && !scoped.reaches(&gids(&[4])));
        assert_eq!(scoped.require_admin(), Err(AccessError::AdminRequired));
        let Ok(auditor) = Scope::for_api_token(&admin, Role::Auditor, None) else {
            panic!("scope")
        };
        assert!(!auditor.may_change() && auditor.require_read_all().is_ok());

        // A disabled owner's tokens do nothing.
        assert_eq!(
            Scope::for_api_token(&user(Role::Admin, &[], true), Role::Admin, None),
            Err(AccessError::Disabled)
        );
    }
}
