//! Managing users and groups (admin only): lists, role and group changes, disabling (which
//! ends sessions at once), one-time passwords, deletion, group membership, and a guard that
//! keeps at least one enabled admin.

use chrono::{DateTime, Utc};
use lpm_core::ids::{GroupId, HostId, UserId};
use lpm_core::model::{Group, Name, Role, User, Username};
use lpm_core::rbac::{AdminProof, HostFilter, ReadAllProof, Scope};
use serde::Serialize;

use crate::audit::append;
use crate::fleet::{foreign_key, join_ids, like_pattern};
use crate::{Actor, Direction, Page, PageRequest, Store, StoreError, Tx, ts, with_db, with_tx};

/// A user as the users page shows them: the account and the state of its credentials, never
/// the credentials themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UserSummary {
    /// The account.
    pub user: User,
    /// When the second factor was confirmed (`None`: must enrol at the next login).
    pub mfa_enrolled_at: Option<DateTime<Utc>>,
    /// A TOTP authenticator is set up (and a second factor confirmed).
    pub totp: bool,
    /// Registered WebAuthn credentials.
    pub webauthn_credentials: i64,
    /// Unused recovery codes.
    pub recovery_codes_left: i64,
    /// A password is set.
    pub password_set: bool,
    /// Password checks are refused until then (soft lock after failures).
    pub locked_until: Option<DateTime<Utc>>,
    /// The last complete login, as the audit log records it.
    pub last_login_at: Option<DateTime<Utc>>,
    /// When the account was created.
    pub created_at: DateTime<Utc>,
}

/// Filters and order of the user list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserQuery {
    /// Only this role.
    pub role: Option<Role>,
    /// Only enabled (`false`) or disabled (`true`) accounts.
    pub disabled: Option<bool>,
    /// Login name contains this text.
    pub search: Option<String>,
    /// Sort order.
    pub sort: UserSort,
    /// Sort direction.
    pub direction: Direction,
}

/// What the user list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UserSort {
    /// Login name.
    #[default]
    Username,
    /// Role.
    Role,
    /// Creation time.
    Created,
    /// Last login (never-logged-in accounts last).
    LastLogin,
}

/// The last complete login of user `u`: logins are audited with the user as the actor, so the
/// audit log's actor index finds them.
const LAST_LOGIN_SQL: &str =
    "(SELECT MAX(a.at) FROM audit_log a WHERE a.actor_id = u.id AND a.action = 'auth.login')";

impl UserSort {
    fn order_by(self, direction: Direction) -> String {
        let dir = direction.sql();
        match self {
            UserSort::Username => format!("u.username {dir}"),
            UserSort::Role => format!("u.role {dir}, u.username"),
            UserSort::Created => format!("u.created_at {dir}, u.id {dir}"),
            // The same NULL placement on both backends: never-logged-in accounts last.
            UserSort::LastLogin => format!(
                "CASE WHEN {LAST_LOGIN_SQL} IS NULL THEN 1 ELSE 0 END, {LAST_LOGIN_SQL} {dir}, u.username"
            ),
        }
    }
}

/// What a change to a user sets; `None` leaves that part alone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UserChanges {
    /// The new role.
    pub role: Option<Role>,
    /// The new groups (replacing the old ones).
    pub groups: Option<Vec<GroupId>>,
    /// Disable (ending every session) or re-enable the account.
    pub disabled: Option<bool>,
}

/// A group as the groups page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupSummary {
    /// The group.
    pub group: Group,
    /// Member hosts.
    pub host_count: i64,
    /// Member users.
    pub user_count: i64,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// Filters and order of the group list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupQuery {
    /// Name contains this text (case-insensitive).
    pub search: Option<String>,
    /// Sort order.
    pub sort: GroupSort,
    /// Sort direction.
    pub direction: Direction,
}

/// What the group list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupSort {
    /// Name.
    #[default]
    Name,
    /// Number of hosts.
    Hosts,
    /// Number of users.
    Users,
    /// Creation time.
    Created,
}

impl GroupSort {
    fn column(self) -> &'static str {
        match self {
            GroupSort::Name => "g.name",
            GroupSort::Hosts => "host_count",
            GroupSort::Users => "user_count",
            GroupSort::Created => "g.created_at",
        }
    }
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
    locked_until: Option<DateTime<Utc>>,
    password_set: bool,
    totp_set: bool,
    webauthn: i64,
    recovery_left: i64,
    last_login_at: Option<DateTime<Utc>>,
}

impl UserListRow {
    fn into_summary(self, groups: Vec<GroupId>) -> Result<UserSummary, StoreError> {
        Ok(UserSummary {
            user: User {
                id: UserId::new(self.id)?,
                username: Username::new(&self.username)?,
                role: self.role.parse()?,
                groups,
                disabled: self.disabled,
            },
            totp: self.totp_set && self.mfa_enrolled_at.is_some(),
            mfa_enrolled_at: self.mfa_enrolled_at,
            webauthn_credentials: self.webauthn,
            recovery_codes_left: self.recovery_left,
            password_set: self.password_set,
            locked_until: self.locked_until,
            last_login_at: self.last_login_at,
            created_at: self.created_at,
        })
    }
}

/// The columns of [`UserListRow`], over `users u`.
fn user_list_columns() -> String {
    format!(
        "u.id, u.username, u.role, u.disabled, u.mfa_enrolled_at, u.created_at, u.locked_until, \
         (u.password_hash IS NOT NULL) AS password_set, (u.totp_secret IS NOT NULL) AS totp_set, \
         (SELECT COUNT(*) FROM webauthn_credentials w WHERE w.user_id = u.id) AS webauthn, \
         (SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) AS recovery_left, \
         {LAST_LOGIN_SQL} AS last_login_at"
    )
}

#[derive(Debug, sqlx::FromRow)]
struct GroupSummaryRow {
    id: i64,
    name: String,
    description: String,
    created_at: DateTime<Utc>,
    host_count: i64,
    user_count: i64,
}

impl TryFrom<GroupSummaryRow> for GroupSummary {
    type Error = StoreError;
    fn try_from(r: GroupSummaryRow) -> Result<Self, StoreError> {
        Ok(GroupSummary {
            group: Group {
                id: GroupId::new(r.id)?,
                name: Name::new(&r.name)?,
                description: r.description,
            },
            host_count: r.host_count,
            user_count: r.user_count,
            created_at: r.created_at,
        })
    }
}

const GROUP_SUMMARY_COLUMNS: &str = "g.id, g.name, g.description, g.created_at, \
     (SELECT COUNT(*) FROM host_groups hg WHERE hg.group_id = g.id) AS host_count, \
     (SELECT COUNT(*) FROM user_groups ug WHERE ug.group_id = g.id) AS user_count";

/// The SQL condition keeping only the groups `scope` holds (`g` is the groups table).
fn group_scope_sql(scope: &Scope) -> String {
    match scope.host_filter() {
        HostFilter::All => "TRUE".to_owned(),
        HostFilter::GroupsAndUngrouped(groups) if groups.is_empty() => "FALSE".to_owned(),
        HostFilter::GroupsAndUngrouped(groups) => {
            format!("g.id IN ({})", join_ids(groups.iter().map(|g| g.get())))
        }
    }
}

impl Store {
    /// A page of users in the query's order.
    pub async fn list_users(
        &self,
        _reader: &ReadAllProof,
        query: &UserQuery,
        page: PageRequest,
    ) -> Result<Page<UserSummary>, StoreError> {
        const FILTER: &str = "($1 IS NULL OR u.role = $1) AND ($2 IS NULL OR u.disabled = $2) AND ($3 IS NULL OR u.username LIKE $3)";
        let role = query.role.map(Role::as_str);
        let search = query.search.as_deref().map(like_pattern);
        let list_sql = format!(
            "SELECT {} FROM users u WHERE {FILTER} ORDER BY {}, u.id LIMIT $4 OFFSET $5",
            user_list_columns(),
            query.sort.order_by(query.direction)
        );
        let (total, rows): (i64, Vec<UserListRow>) = with_db!(self, db => {
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM users u WHERE {FILTER}")))
                .bind(role).bind(query.disabled).bind(&search).fetch_one(db).await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(role).bind(query.disabled).bind(&search).bind(page.limit()).bind(page.offset())
                .fetch_all(db).await?;
            (total, rows)
        });
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut memberships = self.groups_of_users(&ids).await?;
        let items = rows
            .into_iter()
            .map(|r| {
                let groups = memberships.remove(&r.id).unwrap_or_default();
                r.into_summary(groups)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::of(items, total, page))
    }

    /// One user with the state of their credentials.
    pub async fn get_user_summary(
        &self,
        _reader: &ReadAllProof,
        id: UserId,
    ) -> Result<UserSummary, StoreError> {
        let sql = format!(
            "SELECT {} FROM users u WHERE u.id = $1",
            user_list_columns()
        );
        let row: Option<UserListRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.get()).fetch_optional(db).await?
        });
        let row = row.ok_or(StoreError::NotFound { what: "user" })?;
        let groups = self
            .groups_of_users(&[row.id])
            .await?
            .remove(&row.id)
            .unwrap_or_default();
        row.into_summary(groups)
    }

    /// The groups of each user, in one query for a whole page rather than one per user.
    async fn groups_of_users(
        &self,
        users: &[i64],
    ) -> Result<std::collections::BTreeMap<i64, Vec<GroupId>>, StoreError> {
        self.group_memberships("user_groups", "user_id", users)
            .await
    }

    /// The groups of each of `owners` in a membership table `table` (`owner_column`,
    /// `group_id`), in one query, ordered by group id.
    pub(crate) async fn group_memberships(
        &self,
        table: &'static str,
        owner_column: &'static str,
        owners: &[i64],
    ) -> Result<std::collections::BTreeMap<i64, Vec<GroupId>>, StoreError> {
        let mut memberships: std::collections::BTreeMap<i64, Vec<GroupId>> =
            std::collections::BTreeMap::new();
        if owners.is_empty() {
            return Ok(memberships);
        }
        let sql = format!(
            "SELECT {owner_column}, group_id FROM {table} WHERE {owner_column} IN ({}) ORDER BY group_id",
            join_ids(owners.iter().copied())
        );
        let pairs: Vec<(i64, i64)> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db).await?
        });
        for (owner, group) in pairs {
            memberships
                .entry(owner)
                .or_default()
                .push(GroupId::new(group)?);
        }
        Ok(memberships)
    }

    /// Creates a user with a password hash (Argon2id PHC string) in one transaction, so an
    /// account never exists without its first password. Audited as `user.created`.
    #[allow(clippy::too_many_arguments)]
    pub async fn create_user_with_password(
        &self,
        _admin: &AdminProof,
        username: &Username,
        role: Role,
        groups: &[GroupId],
        password_hash: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        check_phc(password_hash)?;
        let groups = dedup(groups);
        let now = ts(now);
        let mut tx = self.begin().await?;
        let id: i64 = with_tx!(tx, t => {
            sqlx::query_scalar(
                "INSERT INTO users (username, role, password_hash, password_changed_at, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4, $4) RETURNING id",
            )
            .bind(username.as_str())
            .bind(role.as_str())
            .bind(password_hash)
            .bind(now)
            .fetch_one(&mut **t)
            .await
            .map_err(|e| StoreError::unique(e, "user"))?
        });
        insert_user_groups(&mut tx, id, &groups).await?;
        let entry = actor
            .entry("user.created", "user", id)
            .details(serde_json::json!({
                "username": username, "role": role, "groups": groups, "password": "one-time",
            }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(User {
            id: UserId::new(id)?,
            username: username.clone(),
            role,
            groups,
            disabled: false,
        })
    }

    /// Changes a user's role, groups and/or disabled flag in one transaction: either every
    /// change is made or none. Demoting or disabling the last enabled admin is refused;
    /// disabling ends the account's sessions. Audited as `user.updated` (role, groups) and
    /// `user.disabled` / `user.enabled`.
    pub async fn change_user(
        &self,
        _admin: &AdminProof,
        id: UserId,
        changes: &UserChanges,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let before = self.get_user(id).await?;
        let now = ts(now);
        let groups = changes.groups.as_deref().map(dedup);
        let loses_admin = before.role == Role::Admin
            && !before.disabled
            && (changes.role.is_some_and(|r| r != Role::Admin) || changes.disabled == Some(true));
        let mut tx = self.begin().await?;
        if loses_admin {
            guard_last_admin(&mut tx, id).await?;
        }
        if let Some(role) = changes.role {
            with_tx!(tx, t => {
                sqlx::query("UPDATE users SET role = $2, updated_at = $3 WHERE id = $1")
                    .bind(id.get()).bind(role.as_str()).bind(now).execute(&mut **t).await?;
            });
        }
        if let Some(groups) = &groups {
            with_tx!(tx, t => {
                sqlx::query("DELETE FROM user_groups WHERE user_id = $1").bind(id.get()).execute(&mut **t).await?;
            });
            insert_user_groups(&mut tx, id.get(), groups).await?;
        }
        if changes.role.is_some() || groups.is_some() {
            let entry = actor.entry("user.updated", "user", id).details(serde_json::json!({
                "role": { "from": before.role, "to": changes.role.unwrap_or(before.role) },
                "groups": { "from": before.groups, "to": groups.clone().unwrap_or(before.groups.clone()) },
            }));
            append(&mut tx, &entry, now).await?;
        }
        if let Some(disabled) = changes.disabled {
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
        }
        tx.commit().await?;
        self.get_user(id).await
    }

    /// Changes a user's role and/or groups. Demoting the last enabled admin is refused.
    pub async fn update_user(
        &self,
        admin: &AdminProof,
        id: UserId,
        role: Option<Role>,
        groups: Option<&[GroupId]>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let changes = UserChanges {
            role,
            groups: groups.map(<[GroupId]>::to_vec),
            disabled: None,
        };
        self.change_user(admin, id, &changes, actor, now).await
    }

    /// Disables or re-enables an account. Disabling ends its sessions in the same transaction,
    /// and disabling the last enabled admin is refused.
    pub async fn set_user_disabled(
        &self,
        admin: &AdminProof,
        id: UserId,
        disabled: bool,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let changes = UserChanges {
            disabled: Some(disabled),
            ..UserChanges::default()
        };
        self.change_user(admin, id, &changes, actor, now)
            .await
            .map(|_| ())
    }

    /// Replaces a user's password with a new one-time password (an admin's reset): clears the
    /// soft lock and ends every session, in one transaction. Audited as `user.password_reset`.
    pub async fn reset_password(
        &self,
        _admin: &AdminProof,
        id: UserId,
        password_hash: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        check_phc(password_hash)?;
        let now = ts(now);
        let mut tx = self.begin().await?;
        let n = with_tx!(tx, t => {
            let n = sqlx::query(
                "UPDATE users SET password_hash = $2, password_changed_at = $3, updated_at = $3, failed_logins = 0, \
                 lock_level = 0, locked_until = NULL, sessions_revoked_at = $3 WHERE id = $1",
            )
            .bind(id.get()).bind(password_hash).bind(now)
            .execute(&mut **t).await?.rows_affected();
            sqlx::query("UPDATE refresh_tokens SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL")
                .bind(id.get()).bind(now).execute(&mut **t).await?;
            n
        });
        if n == 0 {
            return Err(StoreError::NotFound { what: "user" });
        }
        append(
            &mut tx,
            &actor.entry("user.password_reset", "user", id),
            now,
        )
        .await?;
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

impl Store {
    /// A page of the groups `scope` holds (an admin: all; an operator: their own), with
    /// member counts.
    pub async fn list_group_summaries(
        &self,
        scope: &Scope,
        query: &GroupQuery,
        page: PageRequest,
    ) -> Result<Page<GroupSummary>, StoreError> {
        let filter = format!(
            "{} AND ($1 IS NULL OR LOWER(g.name) LIKE $1)",
            group_scope_sql(scope)
        );
        let count_sql = format!("SELECT COUNT(*) FROM groups g WHERE {filter}");
        let list_sql = format!(
            "SELECT {GROUP_SUMMARY_COLUMNS} FROM groups g WHERE {filter} ORDER BY {} {}, g.id LIMIT $2 OFFSET $3",
            query.sort.column(),
            query.direction.sql()
        );
        let search = query.search.as_deref().map(like_pattern);
        let (total, rows): (i64, Vec<GroupSummaryRow>) = with_db!(self, db => {
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql)).bind(&search).fetch_one(db).await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(&search).bind(page.limit()).bind(page.offset())
                .fetch_all(db).await?;
            (total, rows)
        });
        let items = rows
            .into_iter()
            .map(GroupSummary::try_from)
            .collect::<Result<_, _>>()?;
        Ok(Page::of(items, total, page))
    }

    /// One group `scope` holds, with member counts; any other is not found.
    pub async fn get_group_summary(
        &self,
        scope: &Scope,
        id: GroupId,
    ) -> Result<GroupSummary, StoreError> {
        let sql = format!(
            "SELECT {GROUP_SUMMARY_COLUMNS} FROM groups g WHERE g.id = $1 AND {}",
            group_scope_sql(scope)
        );
        let row: Option<GroupSummaryRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.get()).fetch_optional(db).await?
        });
        row.ok_or(StoreError::NotFound { what: "group" })?
            .try_into()
    }

    /// Replaces a group's hosts (admin only); an unknown host is not found and nothing
    /// changes. Audited as `group.hosts_changed` with both lists.
    pub async fn set_group_hosts(
        &self,
        _admin: &AdminProof,
        id: GroupId,
        hosts: &[HostId],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<GroupMembers, StoreError> {
        let before = self.group_members(id).await?;
        let hosts = dedup(hosts);
        let mut tx = self.begin().await?;
        with_tx!(tx, t => {
            sqlx::query("DELETE FROM host_groups WHERE group_id = $1").bind(id.get()).execute(&mut **t).await?;
            for host in &hosts {
                sqlx::query("INSERT INTO host_groups (host_id, group_id) VALUES ($1, $2)")
                    .bind(host.get()).bind(id.get()).execute(&mut **t).await
                    .map_err(|e| foreign_key(e, "host"))?;
            }
        });
        let entry = actor
            .entry("group.hosts_changed", "group", id)
            .details(serde_json::json!({ "from": before.hosts, "to": hosts }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(GroupMembers { hosts, ..before })
    }

    /// Replaces a group's users (admin only); an unknown user is not found and nothing
    /// changes. Audited as `group.users_changed` with both lists.
    pub async fn set_group_users(
        &self,
        _admin: &AdminProof,
        id: GroupId,
        users: &[UserId],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<GroupMembers, StoreError> {
        let before = self.group_members(id).await?;
        let users = dedup(users);
        let mut tx = self.begin().await?;
        with_tx!(tx, t => {
            sqlx::query("DELETE FROM user_groups WHERE group_id = $1").bind(id.get()).execute(&mut **t).await?;
            for user in &users {
                sqlx::query("INSERT INTO user_groups (user_id, group_id) VALUES ($1, $2)")
                    .bind(user.get()).bind(id.get()).execute(&mut **t).await
                    .map_err(|e| foreign_key(e, "user"))?;
            }
        });
        let entry = actor
            .entry("group.users_changed", "group", id)
            .details(serde_json::json!({ "from": before.users, "to": users }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(GroupMembers { users, ..before })
    }
}

async fn insert_user_groups(tx: &mut Tx, user: i64, groups: &[GroupId]) -> Result<(), StoreError> {
    for g in groups {
        with_tx!(tx, t => {
            sqlx::query("INSERT INTO user_groups (user_id, group_id) VALUES ($1, $2)")
                .bind(user).bind(g.get()).execute(&mut **t).await
                .map_err(|e| foreign_key(e, "group"))?;
        });
    }
    Ok(())
}

/// Ids sorted, each once: a list naming one twice means it once.
fn dedup<T: Copy + Ord>(ids: &[T]) -> Vec<T> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn check_phc(hash: &str) -> Result<(), StoreError> {
    if hash.starts_with("$argon2id$") {
        Ok(())
    } else {
        Err(StoreError::invalid(
            "password_hash",
            "expected an Argon2id PHC string",
        ))
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
