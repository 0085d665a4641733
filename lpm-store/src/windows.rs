//! Maintenance windows as stored: per host, validated by lpm-core's type before they get here
//! and again when read back.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use lpm_core::ids::{HostId, WindowId};
use lpm_core::model::Name;
use lpm_core::rbac::Scope;
use lpm_core::window::MaintenanceWindow;
use serde::Serialize;

use crate::audit::append;
use crate::fleet::{join_ids, like_pattern, scope_sql};
use crate::{Actor, Direction, Page, PageRequest, Store, StoreError, ts, with_db, with_tx};

/// A host's maintenance window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredWindow {
    /// Its id.
    pub id: WindowId,
    /// The host it belongs to.
    pub host: HostId,
    /// A name people recognise ("Sunday night").
    pub name: Name,
    /// The schedule.
    pub window: MaintenanceWindow,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// A window with the name of its host, as the windows overview lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WindowListing {
    /// The window.
    pub window: StoredWindow,
    /// Its host's FQDN, else its address.
    pub host_name: String,
}

/// Filters and order of the windows overview.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WindowQuery {
    /// Only this host's windows.
    pub host: Option<HostId>,
    /// Window or host name contains this text (case-insensitive).
    pub search: Option<String>,
    /// Sort order.
    pub sort: WindowSort,
    /// Sort direction.
    pub direction: Direction,
}

/// What the windows overview sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WindowSort {
    /// Host name, then window name.
    #[default]
    Host,
    /// Window name.
    Name,
    /// Creation time.
    Created,
}

impl WindowSort {
    fn order_by(self, direction: Direction) -> String {
        let dir = direction.sql();
        match self {
            WindowSort::Host => format!("COALESCE(h.fqdn, h.ip) {dir}, w.name {dir}"),
            WindowSort::Name => format!("w.name {dir}"),
            WindowSort::Created => format!("w.created_at {dir}"),
        }
    }
}

#[derive(Debug, sqlx::FromRow)]
struct ListingRow {
    #[sqlx(flatten)]
    window: WindowRow,
    host_name: String,
}

#[derive(Debug, sqlx::FromRow)]
struct WindowRow {
    id: i64,
    host_id: i64,
    name: String,
    spec: String,
    created_at: DateTime<Utc>,
}

#[derive(Debug, sqlx::FromRow)]
struct NamedWindowRow {
    #[sqlx(flatten)]
    window: WindowRow,
    host_name: String,
}

impl TryFrom<WindowRow> for StoredWindow {
    type Error = StoreError;
    fn try_from(r: WindowRow) -> Result<Self, StoreError> {
        Ok(StoredWindow {
            id: WindowId::new(r.id)?,
            host: HostId::new(r.host_id)?,
            name: Name::new(&r.name)?,
            // Deserialising validates: a hand-edited invalid window is reported, not used.
            window: serde_json::from_str(&r.spec)
                .map_err(|e| StoreError::corrupt(format!("window {}: {e}", r.id)))?,
            created_at: r.created_at,
        })
    }
}

impl Store {
    /// Adds a window to a host in scope. The window is valid by construction (lpm-core's
    /// constructors and deserialiser refuse bad ones), so nothing invalid can be written.
    pub async fn create_window(
        &self,
        scope: &Scope,
        host: HostId,
        name: &Name,
        window: &MaintenanceWindow,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<StoredWindow, StoreError> {
        self.get_host(scope, host).await?;
        let now = ts(now);
        let spec = serde_json::to_string(window).map_err(StoreError::corrupt)?;
        let mut tx = self.begin().await?;
        let id: i64 = with_tx!(tx, t => {
            sqlx::query_scalar(
                "INSERT INTO maintenance_windows (host_id, name, spec, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $4) RETURNING id",
            )
            .bind(host.get())
            .bind(name.as_str())
            .bind(&spec)
            .bind(now)
            .fetch_one(&mut **t)
            .await?
        });
        let entry = actor
            .entry("window.created", "maintenance_window", id)
            .details(serde_json::json!({ "host": host, "name": name, "window": window }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(StoredWindow {
            id: WindowId::new(id)?,
            host,
            name: name.clone(),
            window: window.clone(),
            created_at: now,
        })
    }

    /// A host's windows, oldest first.
    pub async fn list_windows(
        &self,
        scope: &Scope,
        host: HostId,
    ) -> Result<Vec<StoredWindow>, StoreError> {
        self.get_host(scope, host).await?;
        let rows: Vec<WindowRow> = with_db!(self, db => {
            sqlx::query_as(
                "SELECT id, host_id, name, spec, created_at FROM maintenance_windows WHERE host_id = $1 ORDER BY id",
            )
            .bind(host.get())
            .fetch_all(db)
            .await?
        });
        rows.into_iter().map(StoredWindow::try_from).collect()
    }

    /// Every window of the given hosts (for the scheduler, which runs as the system).
    pub async fn windows_of_hosts(
        &self,
        hosts: &[HostId],
    ) -> Result<BTreeMap<HostId, Vec<StoredWindow>>, StoreError> {
        let mut map: BTreeMap<HostId, Vec<StoredWindow>> = BTreeMap::new();
        if hosts.is_empty() {
            return Ok(map);
        }
        let sql = format!(
            "SELECT id, host_id, name, spec, created_at FROM maintenance_windows WHERE host_id IN ({}) ORDER BY id",
            join_ids(hosts.iter().map(|h| h.get()))
        );
        let rows: Vec<WindowRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db).await?
        });
        for row in rows {
            let window = StoredWindow::try_from(row)?;
            map.entry(window.host).or_default().push(window);
        }
        Ok(map)
    }

    /// One window of a host in scope.
    pub async fn get_window(
        &self,
        scope: &Scope,
        id: WindowId,
    ) -> Result<StoredWindow, StoreError> {
        let sql = format!(
            "SELECT id, host_id, name, spec, created_at FROM maintenance_windows w WHERE w.id = $1 AND {}",
            scope_sql(scope, "w.host_id")
        );
        let row: Option<WindowRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.get()).fetch_optional(db).await?
        });
        row.ok_or(StoreError::NotFound {
            what: "maintenance window",
        })?
        .try_into()
    }

    /// Replaces a window's name and schedule (it stays on its host). Audited as
    /// `window.updated` with the old and new schedule.
    pub async fn update_window(
        &self,
        scope: &Scope,
        id: WindowId,
        name: &Name,
        window: &MaintenanceWindow,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<StoredWindow, StoreError> {
        let before = self.get_window(scope, id).await?;
        let now = ts(now);
        let spec = serde_json::to_string(window).map_err(StoreError::corrupt)?;
        let sql = format!(
            "UPDATE maintenance_windows SET name = $2, spec = $3, updated_at = $4 WHERE id = $1 AND {}",
            scope_sql(scope, "maintenance_windows.host_id")
        );
        let mut tx = self.begin().await?;
        let updated = with_tx!(tx, t => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .bind(id.get()).bind(name.as_str()).bind(&spec).bind(now)
                .execute(&mut **t).await?.rows_affected()
        });
        if updated == 0 {
            return Err(StoreError::NotFound {
                what: "maintenance window",
            });
        }
        let entry = actor
            .entry("window.updated", "maintenance_window", id)
            .details(serde_json::json!({
                "host": before.host,
                "name": { "from": before.name, "to": name },
                "window": { "from": before.window, "to": window },
            }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(StoredWindow {
            name: name.clone(),
            window: window.clone(),
            ..before
        })
    }

    /// A page of every window on hosts in scope, with the host's name.
    pub async fn list_windows_in_scope(
        &self,
        scope: &Scope,
        query: &WindowQuery,
        page: PageRequest,
    ) -> Result<Page<WindowListing>, StoreError> {
        let filter = format!(
            "{} AND ($1 IS NULL OR w.host_id = $1) \
             AND ($2 IS NULL OR LOWER(w.name || ' ' || COALESCE(h.fqdn, '') || ' ' || COALESCE(h.ip, '')) LIKE $2)",
            scope_sql(scope, "w.host_id")
        );
        let from = "maintenance_windows w JOIN hosts h ON h.id = w.host_id";
        let count_sql = format!("SELECT COUNT(*) FROM {from} WHERE {filter}");
        let list_sql = format!(
            "SELECT w.id, w.host_id, w.name, w.spec, w.created_at, COALESCE(h.fqdn, h.ip) AS host_name \
             FROM {from} WHERE {filter} ORDER BY {}, w.id LIMIT $3 OFFSET $4",
            query.sort.order_by(query.direction)
        );
        let host = query.host.map(HostId::get);
        let search = query.search.as_deref().map(like_pattern);
        let (total, rows): (i64, Vec<ListingRow>) = with_db!(self, db => {
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(host).bind(&search).fetch_one(db).await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(host).bind(&search).bind(page.limit()).bind(page.offset())
                .fetch_all(db).await?;
            (total, rows)
        });
        let items = rows
            .into_iter()
            .map(|r| {
                Ok(WindowListing {
                    window: r.window.try_into()?,
                    host_name: r.host_name,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Page::of(items, total, page))
    }

    /// Every window of every host in scope, with the host's name (FQDN, else address), by
    /// host then id: what the dashboard's "upcoming windows" is computed from.
    pub async fn windows_in_scope(
        &self,
        scope: &Scope,
    ) -> Result<Vec<(StoredWindow, String)>, StoreError> {
        let sql = format!(
            "SELECT w.id, w.host_id, w.name, w.spec, w.created_at, COALESCE(h.fqdn, h.ip) AS host_name \
             FROM maintenance_windows w JOIN hosts h ON h.id = w.host_id WHERE {} ORDER BY w.host_id, w.id",
            scope_sql(scope, "h.id")
        );
        let rows: Vec<NamedWindowRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(db).await?
        });
        rows.into_iter()
            .map(|r| Ok((StoredWindow::try_from(r.window)?, r.host_name)))
            .collect()
    }

    /// Deletes a window of a host in scope.
    pub async fn delete_window(
        &self,
        scope: &Scope,
        id: WindowId,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let sql = format!(
            "DELETE FROM maintenance_windows WHERE id = $1 AND {}",
            scope_sql(scope, "maintenance_windows.host_id")
        );
        let mut tx = self.begin().await?;
        let deleted = with_tx!(tx, t => {
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.get()).execute(&mut **t).await?.rows_affected()
        });
        if deleted == 0 {
            return Err(StoreError::NotFound {
                what: "maintenance window",
            });
        }
        append(
            &mut tx,
            &actor.entry("window.deleted", "maintenance_window", id),
            now,
        )
        .await?;
        tx.commit().await
    }
}
