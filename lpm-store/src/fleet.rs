//! Hosts, groups and users: the fleet and who may act on it.
//!
//! Every host read and write takes the caller's [`Scope`]; the scope becomes part of the SQL,
//! so an out-of-scope host is never loaded and looks exactly like one that does not exist.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use lpm_core::ids::{GroupId, HostId, UserId};
use lpm_core::model::{
    Group, Host, HostAddress, HostStatus, Name, PackageManager, Role, User, Username,
};
use lpm_core::net::{Fqdn, Port};
use lpm_core::ports::{Channel, Notice};
use lpm_core::rbac::{AdminProof, HostFilter, Scope};

use crate::audit::append;
use crate::{Actor, Db, Direction, Page, PageRequest, Store, StoreError, Tx, ts, with_db, with_tx};

/// The SQL condition that keeps only hosts in `scope`; `host_id` is the column holding the
/// host's id. Group ids are integers from validated types, so inlining them is injection-safe.
pub(crate) fn scope_sql(scope: &Scope, host_id: &str) -> String {
    match scope.host_filter() {
        HostFilter::All => "TRUE".to_owned(),
        HostFilter::GroupsAndUngrouped(groups) => {
            let ungrouped =
                format!("NOT EXISTS (SELECT 1 FROM host_groups sg WHERE sg.host_id = {host_id})");
            if groups.is_empty() {
                return ungrouped;
            }
            let ids = join_ids(groups.iter().map(|g| g.get()));
            format!(
                "({ungrouped} OR EXISTS (SELECT 1 FROM host_groups sg WHERE sg.host_id = {host_id} AND sg.group_id IN ({ids})))"
            )
        }
    }
}

pub(crate) fn join_ids(ids: impl Iterator<Item = i64>) -> String {
    ids.map(|i| i.to_string()).collect::<Vec<_>>().join(",")
}

/// Filters for the host list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HostQuery {
    /// Only this status.
    pub status: Option<HostStatus>,
    /// Only members of this group.
    pub group: Option<GroupId>,
    /// Only hosts whose OS name contains this text (case-insensitive).
    pub os: Option<String>,
    /// Only hosts whose name or address contains this text (case-insensitive).
    pub search: Option<String>,
    /// Sort order.
    pub sort: HostSort,
    /// Sort direction.
    pub direction: Direction,
}

/// What the host list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HostSort {
    /// Name (FQDN, else address).
    #[default]
    Name,
    /// Status.
    Status,
    /// Last contact.
    LastSeen,
    /// Registration time.
    Created,
}

impl HostSort {
    fn column(self) -> &'static str {
        match self {
            HostSort::Name => "COALESCE(h.fqdn, h.ip)",
            HostSort::Status => "h.status",
            HostSort::LastSeen => "h.last_seen_at",
            HostSort::Created => "h.created_at",
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
struct HostRow {
    id: i64,
    fqdn: Option<String>,
    ip: Option<String>,
    port: i64,
    status: String,
    os_name: Option<String>,
    package_manager: Option<String>,
    last_seen_at: Option<DateTime<Utc>>,
    created_at: DateTime<Utc>,
}

const HOST_COLUMNS: &str = "h.id, h.fqdn, h.ip, h.port, h.status, h.os_name, h.package_manager, h.last_seen_at, h.created_at";

/// A host's address as stored (name, address text, port) as the domain type; anything that
/// does not parse is corrupt data.
pub(crate) fn host_address(
    id: i64,
    fqdn: Option<&str>,
    ip: Option<&str>,
    port: i64,
) -> Result<HostAddress, StoreError> {
    let fqdn = fqdn.map(Fqdn::new).transpose()?;
    let ip = ip
        .map(|s| {
            s.parse::<IpAddr>()
                .map_err(|_| StoreError::corrupt(format!("host {id} ip {s:?}")))
        })
        .transpose()?;
    let port = u16::try_from(port)
        .map_err(|_| StoreError::corrupt(format!("host {id} port {port}")))
        .and_then(|p| Port::new(p).map_err(StoreError::from))?;
    Ok(HostAddress::new(fqdn, ip, port)?)
}

impl HostRow {
    fn into_host(self, groups: Vec<GroupId>) -> Result<Host, StoreError> {
        Ok(Host {
            id: HostId::new(self.id)?,
            address: host_address(self.id, self.fqdn.as_deref(), self.ip.as_deref(), self.port)?,
            status: self.status.parse()?,
            os_name: self.os_name,
            package_manager: self
                .package_manager
                .as_deref()
                .map(str::parse::<PackageManager>)
                .transpose()?,
            groups,
            last_seen_at: self.last_seen_at,
            created_at: self.created_at,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
struct GroupRow {
    id: i64,
    name: String,
    description: String,
}

impl TryFrom<GroupRow> for Group {
    type Error = StoreError;
    fn try_from(r: GroupRow) -> Result<Self, StoreError> {
        Ok(Group {
            id: GroupId::new(r.id)?,
            name: Name::new(&r.name)?,
            description: r.description,
        })
    }
}

#[derive(Debug, sqlx::FromRow)]
struct UserRow {
    id: i64,
    username: String,
    role: String,
    disabled: bool,
}

impl Store {
    /// Creates a group (admin only).
    pub async fn create_group(
        &self,
        _admin: &AdminProof,
        name: &Name,
        description: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Group, StoreError> {
        let mut tx = self.begin().await?;
        let id: i64 = with_tx!(tx, t => {
            sqlx::query_scalar("INSERT INTO groups (name, description, created_at) VALUES ($1, $2, $3) RETURNING id")
                .bind(name.as_str())
                .bind(description)
                .bind(ts(now))
                .fetch_one(&mut **t)
                .await
                .map_err(|e| StoreError::unique(e, "group"))?
        });
        let entry = actor
            .entry("group.created", "group", id)
            .details(serde_json::json!({ "name": name }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(Group {
            id: GroupId::new(id)?,
            name: name.clone(),
            description: description.to_owned(),
        })
    }

    /// Every group, by name.
    pub async fn list_groups(&self) -> Result<Vec<Group>, StoreError> {
        let rows: Vec<GroupRow> = with_db!(self, db => {
            sqlx::query_as("SELECT id, name, description FROM groups ORDER BY name").fetch_all(db).await?
        });
        rows.into_iter().map(Group::try_from).collect()
    }

    /// Registers a host. An operator may put it only in their own groups (or none); a group
    /// outside their scope is reported as not found. Notifies `host_registered`.
    pub async fn create_host(
        &self,
        scope: &Scope,
        address: &HostAddress,
        groups: &[GroupId],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<Host, StoreError> {
        if let Some(g) = groups.iter().find(|g| !scope.reaches_group(**g)) {
            tracing::debug!(group = %g, "host creation names a group outside the caller's scope");
            return Err(StoreError::NotFound { what: "group" });
        }
        let now = ts(now);
        let mut tx = self.begin().await?;
        let id: i64 = with_tx!(tx, t => {
            sqlx::query_scalar(
                "INSERT INTO hosts (fqdn, ip, port, status, created_at) VALUES ($1, $2, $3, 'pending', $4) RETURNING id",
            )
            .bind(address.fqdn().map(Fqdn::as_str))
            .bind(address.ip().map(|ip| ip.to_string()))
            .bind(i64::from(address.port().get()))
            .bind(now)
            .fetch_one(&mut **t)
            .await
            .map_err(|e| StoreError::unique(e, "host"))?
        });
        insert_memberships(&mut tx, id, groups).await?;
        let entry = actor.entry("host.created", "host", id).details(serde_json::json!({
            "fqdn": address.fqdn(), "ip": address.ip(), "port": address.port(), "groups": groups,
        }));
        tx.notify(Notice {
            channel: Channel::HostRegistered,
            payload: id.to_string(),
        })
        .await?;
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(Host {
            id: HostId::new(id)?,
            address: address.clone(),
            status: HostStatus::Pending,
            os_name: None,
            package_manager: None,
            groups: groups.to_vec(),
            last_seen_at: None,
            created_at: now,
        })
    }

    /// One host, if it exists and is in scope.
    pub async fn get_host(&self, scope: &Scope, id: HostId) -> Result<Host, StoreError> {
        let sql = format!(
            "SELECT {HOST_COLUMNS} FROM hosts h WHERE h.id = $1 AND {}",
            scope_sql(scope, "h.id")
        );
        let row: Option<HostRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.get()).fetch_optional(db).await?
        });
        let row = row.ok_or(StoreError::NotFound { what: "host" })?;
        let id = row.id;
        let mut groups = self.groups_of_hosts(&[id]).await?;
        row.into_host(groups.remove(&id).unwrap_or_default())
    }

    /// A page of the hosts in scope.
    pub async fn list_hosts(
        &self,
        scope: &Scope,
        query: &HostQuery,
        page: PageRequest,
    ) -> Result<Page<Host>, StoreError> {
        // Only the filters in use go into the SQL: with `($1 IS NULL OR …)` for every optional
        // filter, PostgreSQL's generic plan (chosen after five executions) cannot see that
        // none applies, estimates one row and sorts every host on each page instead of reading
        // the page from the `hosts_name_order` index.
        let mut filter = scope_sql(scope, "h.id");
        let status = query.status.map(|s| s.as_str());
        let group = query.group.map(GroupId::get);
        let os = query.os.as_deref().map(like_pattern);
        let search = query.search.as_deref().map(like_pattern);
        let mut next = 0;
        let mut placeholder = || {
            next += 1;
            format!("${next}")
        };
        if status.is_some() {
            filter += &format!(" AND h.status = {}", placeholder());
        }
        if group.is_some() {
            filter += &format!(
                " AND EXISTS (SELECT 1 FROM host_groups fg WHERE fg.host_id = h.id AND fg.group_id = {})",
                placeholder()
            );
        }
        if os.is_some() {
            filter += &format!(" AND LOWER(COALESCE(h.os_name, '')) LIKE {}", placeholder());
        }
        if search.is_some() {
            filter += &format!(
                " AND LOWER(COALESCE(h.fqdn, '') || ' ' || COALESCE(h.ip, '')) LIKE {}",
                placeholder()
            );
        }
        let (limit, offset) = (placeholder(), placeholder());
        let count_sql = format!("SELECT COUNT(*) FROM hosts h WHERE {filter}");
        let list_sql = format!(
            "SELECT {HOST_COLUMNS} FROM hosts h WHERE {filter} ORDER BY {} {}, h.id LIMIT {limit} OFFSET {offset}",
            query.sort.column(),
            query.direction.sql()
        );
        let (total, rows): (i64, Vec<HostRow>) = with_db!(self, db => {
            let mut count = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql));
            let mut list = sqlx::query_as(sqlx::AssertSqlSafe(list_sql));
            if let Some(status) = status {
                count = count.bind(status);
                list = list.bind(status);
            }
            if let Some(group) = group {
                count = count.bind(group);
                list = list.bind(group);
            }
            if let Some(os) = &os {
                count = count.bind(os.clone());
                list = list.bind(os.clone());
            }
            if let Some(search) = &search {
                count = count.bind(search.clone());
                list = list.bind(search.clone());
            }
            let total = count.fetch_one(db).await?;
            let rows = list.bind(page.limit()).bind(page.offset()).fetch_all(db).await?;
            (total, rows)
        });
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut groups = self.groups_of_hosts(&ids).await?;
        let items = rows
            .into_iter()
            .map(|r| {
                let g = groups.remove(&r.id).unwrap_or_default();
                r.into_host(g)
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Page::of(items, total, page))
    }

    /// Deletes a host in scope, with its snapshots and job rows.
    pub async fn delete_host(
        &self,
        scope: &Scope,
        id: HostId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "DELETE FROM hosts WHERE id = $1 AND {}",
            scope_sql(scope, "hosts.id")
        );
        let mut tx = self.begin().await?;
        let deleted = with_tx!(tx, t => {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.get()).execute(&mut **t).await?.rows_affected()
        });
        if deleted == 0 {
            return Err(StoreError::NotFound { what: "host" });
        }
        append(&mut tx, &actor.entry("host.deleted", "host", id), now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a host's group memberships. An operator must reach the host and every group
    /// named, and cannot remove groups they do not hold.
    pub async fn set_host_groups(
        &self,
        scope: &Scope,
        id: HostId,
        groups: &[GroupId],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let host = self.get_host(scope, id).await?;
        let touched = host.groups.iter().chain(groups).copied();
        if touched.clone().any(|g| !scope.reaches_group(g)) {
            return Err(StoreError::NotFound { what: "group" });
        }
        let mut tx = self.begin().await?;
        with_tx!(tx, t => {
            sqlx::query("DELETE FROM host_groups WHERE host_id = $1").bind(id.get()).execute(&mut **t).await?;
        });
        insert_memberships(&mut tx, id.get(), groups).await?;
        let entry = actor
            .entry("host.groups_changed", "host", id)
            .details(serde_json::json!({
                "from": host.groups, "to": groups,
            }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn groups_of_hosts(
        &self,
        hosts: &[i64],
    ) -> Result<BTreeMap<i64, Vec<GroupId>>, StoreError> {
        let mut map: BTreeMap<i64, Vec<GroupId>> = BTreeMap::new();
        if hosts.is_empty() {
            return Ok(map);
        }
        // One statement text for any set of hosts, so each connection prepares and plans it
        // once: ids inlined into `IN (…)` made every page a new statement to parse and plan.
        let rows: Vec<(i64, i64)> = match &self.db {
            Db::Postgres(db) => {
                sqlx::query_as(
                    "SELECT host_id, group_id FROM host_groups WHERE host_id = ANY($1) ORDER BY group_id",
                )
                .bind(hosts)
                .fetch_all(db)
                .await?
            }
            Db::Sqlite(db) => {
                let ids = serde_json::to_string(hosts).map_err(StoreError::corrupt)?;
                sqlx::query_as(
                    "SELECT host_id, group_id FROM host_groups \
                     WHERE host_id IN (SELECT value FROM json_each($1)) ORDER BY group_id",
                )
                .bind(ids)
                .fetch_all(db)
                .await?
            }
        };
        for (host, group) in rows {
            map.entry(host).or_default().push(GroupId::new(group)?);
        }
        Ok(map)
    }

    /// Creates a user (admin only). Credentials are set by the authentication layer.
    pub async fn create_user(
        &self,
        _admin: &AdminProof,
        username: &Username,
        role: Role,
        groups: &[GroupId],
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<User, StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let id: i64 = with_tx!(tx, t => {
            sqlx::query_scalar(
                "INSERT INTO users (username, role, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
            )
            .bind(username.as_str())
            .bind(role.as_str())
            .bind(now)
            .fetch_one(&mut **t)
            .await
            .map_err(|e| StoreError::unique(e, "user"))?
        });
        for g in groups {
            with_tx!(tx, t => {
                sqlx::query("INSERT INTO user_groups (user_id, group_id) VALUES ($1, $2)")
                    .bind(id)
                    .bind(g.get())
                    .execute(&mut **t)
                    .await
                    .map_err(|e| foreign_key(e, "group"))?;
            });
        }
        let entry = actor
            .entry("user.created", "user", id)
            .details(serde_json::json!({
                "username": username, "role": role, "groups": groups,
            }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(User {
            id: UserId::new(id)?,
            username: username.clone(),
            role,
            groups: groups.to_vec(),
            disabled: false,
        })
    }

    /// A user with their groups, for computing their [`Scope`].
    pub async fn get_user(&self, id: UserId) -> Result<User, StoreError> {
        let (row, groups): (Option<UserRow>, Vec<(i64,)>) = with_db!(self, db => {
            let row = sqlx::query_as("SELECT id, username, role, disabled FROM users WHERE id = $1")
                .bind(id.get())
                .fetch_optional(db)
                .await?;
            let groups = sqlx::query_as("SELECT group_id FROM user_groups WHERE user_id = $1 ORDER BY group_id")
                .bind(id.get())
                .fetch_all(db)
                .await?;
            (row, groups)
        });
        let row = row.ok_or(StoreError::NotFound { what: "user" })?;
        Ok(User {
            id: UserId::new(row.id)?,
            username: Username::new(&row.username)?,
            role: row.role.parse()?,
            groups: groups
                .into_iter()
                .map(|(g,)| GroupId::new(g))
                .collect::<Result<_, _>>()?,
            disabled: row.disabled,
        })
    }
}

async fn insert_memberships(tx: &mut Tx, host: i64, groups: &[GroupId]) -> Result<(), StoreError> {
    for g in groups {
        with_tx!(tx, t => {
            sqlx::query("INSERT INTO host_groups (host_id, group_id) VALUES ($1, $2)")
                .bind(host)
                .bind(g.get())
                .execute(&mut **t)
                .await
                .map_err(|e| foreign_key(e, "group"))?;
        });
    }
    Ok(())
}

pub(crate) fn foreign_key(err: sqlx::Error, what: &'static str) -> StoreError {
    match &err {
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => StoreError::NotFound { what },
        sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict { what },
        _ => StoreError::Database(err),
    }
}

/// A case-insensitive `LIKE` pattern matching `text` anywhere, with wildcards in it escaped away.
pub(crate) fn like_pattern(text: &str) -> String {
    let cleaned: String = text
        .to_lowercase()
        .chars()
        .filter(|c| !matches!(c, '%' | '_' | '\\'))
        .collect();
    format!("%{cleaned}%")
}
