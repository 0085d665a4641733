//! Managing users and groups (admin only): lists, role and group changes, disabling (which
//! ends sessions at once), deletion, and a guard that keeps at least one enabled admin.

use chrono::{DateTime, Utc};
use lpm_core::ids::{GroupId, HostId, UserId};
use lpm_core::model::{Group, Name, Role, User, Username};
use lpm_core::rbac::AdminProof;
use serde::Serialize;

use crate::audit::append;
use crate::{Actor, Page, PageRequest, Store, StoreError, Tx, ts, with_db, with_tx};

/// A user as the users page lists them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserSummary {
    /// The account.
    pub user: User,
    /// When the second factor was confirmed.
    pub mfa_enrolled_at: Option<DateTime<Utc>>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// Filters for the user list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    /// Only this role.
    pub role: Option<Role>,
    /// Only enabled (`false`) or disabled (`true`) accounts.
    pub disabled: Option<bool>,
    /// Login name contains this text.
    pub search: Option<String>,
}

/// A group with its members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupMembers {
    /// The group.
    pub group: Group,
    /// Its hosts.
    pub hosts: Vec<HostId>,
    /// Its users.
    pub users: Vec<UserId>,
}

/// A group row: id, name, description.
type GroupRow = (i64, String, String);

#[derive(Debug, sqlx::FromRow)]
struct UserListRow {
    id: i64,
    username: String,
    role: String,
    disabled: bool,
    mfa_enrolled_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

impl Store {
    /// A page of users, by login name.
    pub async fn list_users(
        &self,
        _admin: &AdminProof,
        query: &UserQuery,
        page: PageRequest,
    ) -> Result<Page<UserSummary>, StoreError> {
        const FILTER: &str = "($1 IS NULL OR role = $1) AND ($2 IS NULL OR disabled = $2) AND ($3 IS NULL OR username LIKE $3)";
        let role = query.role.map(Role::as_str);
        let search = query.search.as_deref().map(crate::fleet::like_pattern);
        let (total, rows): (i64, Vec<UserListRow>) = with_db!(self, db => {
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM users WHERE {FILTER}")))
                .bind(role).bind(query.disabled).bind(&search).fetch_one(db).await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT id, username, role, disabled, mfa_enrolled_at, created_at FROM users WHERE {FILTER} \
                 ORDER BY username LIMIT $4 OFFSET $5"
            )))
            .bind(role).bind(query.disabled).bind(&search).bind(page.limit()).bind(page.offset())
            .fetch_all(db).await?;
            (total, rows)
        });
        // One query for the whole page's memberships, not one per user.
        let mut memberships: std::collections::BTreeMap<i64, Vec<GroupId>> =
            std::collections::BTreeMap::new();
        if !rows.is_empty() {
            let sql = format!(
                "SELECT user_id, group_id FROM user_groups WHERE user_id IN ({}) ORDER BY group_id",
                crate::fleet::join_ids(rows.iter().map(|r| r.id))
            );
            let pairs: Vec<(i64, i64)> = with_db!(self, db => {
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db).await?
            });
            for (user, group) in pairs {
                memberships
                    .entry(user)
                    .or_default()
                    .push(GroupId::new(group)?);
            }
        }
        let mut items = Vec::with_capacity(rows.len());
        for r in rows {
            let id = UserId::new(r.id)?;
            let groups = memberships.remove(&r.id).unwrap_or_default();
            items.push(UserSummary {
                user: User {
                    id,
                    username: Username::new(&r.username)?,
                    role: r.role.parse()?,
                    groups,
                    disabled: r.disabled,
                },
                mfa_enrolled_at: r.mfa_enrolled_at,
                created_at: r.created_at,
            });
        }
        Ok(Page {
            items,
            total,
            page: page.page(),
            per_page: page.per_page(),
        })
    }

    /// Changes a user's role and/or groups. Demoting the last enabled admin is refused.
    pub async fn update_user(
        &self,
        _admin: &AdminProof,
        id: UserId,
        role: Option<Role>,
        groups: Option<&[GroupId]>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let before = self.get_user(id).await?;
        let now = ts(now);
        let mut tx = self.begin().await?;
        if let Some(role) = role {
            if before.role == Role::Admin && role != Role::Admin {
                guard_last_admin(&mut tx, id).await?;
            }
            with_tx!(tx, t => {
                sqlx::query("UPDATE users SET role = $2, updated_at = $3 WHERE id = $1")
                    .bind(id.get()).bind(role.as_str()).bind(now).execute(&mut **t).await?;
            });
        }
        if let Some(groups) = groups {
            with_tx!(tx, t => {
                sqlx::query("DELETE FROM user_groups WHERE user_id = $1").bind(id.get()).execute(&mut **t).await?;
                for g in groups {
                    sqlx::query("INSERT INTO user_groups (user_id, group_id) VALUES ($1, $2)")
                        .bind(id.get()).bind(g.get()).execute(&mut **t).await
                        .map_err(|e| crate::fleet::foreign_key(e, "group"))?;
                }
            });
        }
        let entry = actor.entry("user.updated", "user", id).details(serde_json::json!({
            "role": { "from": before.role, "to": role.unwrap_or(before.role) },
            "groups": { "from": before.groups, "to": groups.map(<[GroupId]>::to_vec).unwrap_or(before.groups.clone()) },
        }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        self.get_user(id).await
    }

    /// Disables or re-enables an account. Disabling ends its sessions in the same transaction,
    /// and disabling the last enabled admin is refused.
    pub async fn set_user_disabled(
        &self,
        _admin: &AdminProof,
        id: UserId,
        disabled: bool,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let user = self.get_user(id).await?;
        let now = ts(now);
        let mut tx = self.begin().await?;
        if disabled && user.role == Role::Admin && !user.disabled {
            guard_last_admin(&mut tx, id).await?;
        }
        with_tx!(tx, t => {
            sqlx::query("UPDATE users SET disabled = $2, updated_at = $3 WHERE id = $1")
                .bind(id.get()).bind(disabled).bind(now).execute(&mut **t).await?;
            if disabled {
                sqlx::query("UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
                    .bind(id.get()).bind(now).execute(&mut **t).await?;
                sqlx::query("UPDATE users SET sessions_revoked_at = $2 WHERE id = $1")
                    .bind(id.get()).bind(now).execute(&mut **t).await?;
            }
        });
        let action = if disabled {
            "user.disabled"
        } else {
            "user.enabled"
        };
        append(&mut tx, &actor.entry(action, "user", id), now).await?;
        tx.commit().await
    }

    /// Deletes an account; deleting the last enabled admin is refused. Audit rows keep its name.
    pub async fn delete_user(
        &self,
        _admin: &AdminProof,
        id: UserId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let user = self.get_user(id).await?;
        let mut tx = self.begin().await?;
        if user.role == Role::Admin && !user.disabled {
            guard_last_admin(&mut tx, id).await?;
        }
        with_tx!(tx, t => {
            sqlx::query("DELETE FROM users WHERE id = $1").bind(id.get()).execute(&mut **t).await?;
        });
        let entry = actor
            .entry("user.deleted", "user", id)
            .details(serde_json::json!({ "username": user.username }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await
    }

    /// A group with its member hosts and users.
    pub async fn group_members(&self, id: GroupId) -> Result<GroupMembers, StoreError> {
        let (group, hosts, users): (Option<GroupRow>, Vec<i64>, Vec<i64>) = with_db!(self, db => {
            let group = sqlx::query_as("SELECT id, name, description FROM groups WHERE id = $1")
                .bind(id.get()).fetch_optional(db).await?;
            let hosts = sqlx::query_scalar("SELECT host_id FROM host_groups WHERE group_id = $1 ORDER BY host_id")
                .bind(id.get()).fetch_all(db).await?;
            let users = sqlx::query_scalar("SELECT user_id FROM user_groups WHERE group_id = $1 ORDER BY user_id")
                .bind(id.get()).fetch_all(db).await?;
            (group, hosts, users)
        });
        let (gid, name, description) = group.ok_or(StoreError::NotFound { what: "group" })?;
        Ok(GroupMembers {
            group: Group {
                id: GroupId::new(gid)?,
                name: Name::new(&name)?,
                description,
            },
            hosts: hosts
                .into_iter()
                .map(HostId::new)
                .collect::<Result<_, _>>()?,
            users: users
                .into_iter()
                .map(UserId::new)
                .collect::<Result<_, _>>()?,
        })
    }

    /// Renames a group or changes its description.
    pub async fn update_group(
        &self,
        _admin: &AdminProof,
        id: GroupId,
        name: &Name,
        description: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Group, StoreError> {
        let mut tx = self.begin().await?;
        let n = with_tx!(tx, t => {
            sqlx::query("UPDATE groups SET name = $2, description = $3 WHERE id = $1")
                .bind(id.get()).bind(name.as_str()).bind(description)
                .execute(&mut **t).await.map_err(|e| StoreError::unique(e, "group"))?.rows_affected()
        });
        if n == 0 {
            return Err(StoreError::NotFound { what: "group" });
        }
        let entry = actor
            .entry("group.updated", "group", id)
            .details(serde_json::json!({ "name": name, "description": description }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(Group {
            id,
            name: name.clone(),
            description: description.to_owned(),
        })
    }

    /// Deletes a group; its hosts and users stay (hosts left in no group become ungrouped and
    /// visible to every operator — the audit row lists them).
    pub async fn delete_group(
        &self,
        _admin: &AdminProof,
        id: GroupId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let members = self.group_members(id).await?;
        let mut tx = self.begin().await?;
        with_tx!(tx, t => {
            sqlx::query("DELETE FROM groups WHERE id = $1").bind(id.get()).execute(&mut **t).await?;
        });
        let entry = actor
            .entry("group.deleted", "group", id)
            .details(serde_json::json!({
                "name": members.group.name, "hosts": members.hosts, "users": members.users,
            }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await
    }
}

/// Refuses a change that would leave no enabled admin besides `leaving`.
async fn guard_last_admin(tx: &mut Tx, leaving: UserId) -> Result<(), StoreError> {
    let others: i64 = with_tx!(tx, t => {
        sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE role = 'admin' AND NOT disabled AND id <> $1")
            .bind(leaving.get()).fetch_one(&mut **t).await?
    });
    if others == 0 {
        return Err(StoreError::Conflict {
            what: "the last enabled admin",
        });
    }
    Ok(())
}
