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
use crate::fleet::{join_ids, scope_sql};
use crate::{Actor, Store, StoreError, ts, with_db, with_tx};

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
