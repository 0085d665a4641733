//! Runtime configuration (`system_config`) and the worker heartbeat.

use chrono::{DateTime, Duration, Utc};
use lpm_core::rbac::AdminProof;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::audit::append;
use crate::{Actor, Store, StoreError, ts, with_db, with_tx};

/// A worker's last sign of life.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Heartbeat {
    /// The worker's id.
    pub worker_id: String,
    /// The machine it runs on.
    pub hostname: String,
    /// Its version.
    pub version: String,
    /// When it started.
    pub started_at: DateTime<Utc>,
    /// Its last beat.
    pub last_beat_at: DateTime<Utc>,
}

impl Store {
    /// A configuration value, decoded from JSON; `None` when unset.
    pub async fn config_get<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        let raw: Option<String> = with_db!(self, db => {
            sqlx::query_scalar("SELECT value FROM system_config WHERE key = $1").bind(key).fetch_optional(db).await?
        });
        raw.map(|r| {
            serde_json::from_str(&r).map_err(|e| StoreError::corrupt(format!("config {key}: {e}")))
        })
        .transpose()
    }

    /// Sets a configuration value (admin only) and audits the change with old and new values.
    /// Never store secrets here: secrets live in files referenced by path.
    pub async fn config_set<T: Serialize>(
        &self,
        admin: &AdminProof,
        key: &str,
        value: &T,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let value = serde_json::to_string(value).map_err(StoreError::corrupt)?;
        self.config_write(admin, key, &value, actor, now).await
    }

    async fn config_write(
        &self,
        _admin: &AdminProof,
        key: &str,
        value: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        if key.is_empty() || key.len() > 100 {
            return Err(StoreError::invalid("key", "must be 1 to 100 characters"));
        }
        let now = ts(now);
        let mut tx = self.begin().await?;
        let old: Option<String> = with_tx!(tx, t => {
            let old = sqlx::query_scalar("SELECT value FROM system_config WHERE key = $1")
                .bind(key)
                .fetch_optional(&mut **t)
                .await?;
            sqlx::query(
                "INSERT INTO system_config (key, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, \
                 updated_by = excluded.updated_by",
            )
            .bind(key)
            .bind(value)
            .bind(now)
            .bind(actor.user.map(|u| u.get()))
            .execute(&mut **t)
            .await?;
            old
        });
        let entry = actor
            .entry("settings.changed", "settings", key)
            .details(serde_json::json!({
                "from": old.and_then(|o| serde_json::from_str::<serde_json::Value>(&o).ok()),
                "to": serde_json::from_str::<serde_json::Value>(value).ok(),
            }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await
    }

    /// Records a worker's beat (creating its row on the first one).
    pub async fn heartbeat(
        &self,
        worker_id: &str,
        hostname: &str,
        version: &str,
        started_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_db!(self, db => {
            sqlx::query(
                "INSERT INTO worker_heartbeat (worker_id, hostname, version, started_at, last_beat_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (worker_id) DO UPDATE SET last_beat_at = excluded.last_beat_at, hostname = excluded.hostname, \
                 version = excluded.version, started_at = excluded.started_at",
            )
            .bind(worker_id)
            .bind(hostname)
            .bind(version)
            .bind(ts(started_at))
            .bind(ts(now))
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// Every worker's last beat, newest first.
    pub async fn heartbeats(&self) -> Result<Vec<Heartbeat>, StoreError> {
        Ok(with_db!(self, db => {
            sqlx::query_as("SELECT worker_id, hostname, version, started_at, last_beat_at FROM worker_heartbeat ORDER BY last_beat_at DESC")
                .fetch_all(db)
                .await?
        }))
    }

    /// Whether any worker beat within `max_age` of `now` (the `/status/health` check).
    pub async fn worker_alive(
        &self,
        now: DateTime<Utc>,
        max_age: Duration,
    ) -> Result<bool, StoreError> {
        let beats = self.heartbeats().await?;
        Ok(beats
            .first()
            .is_some_and(|b| now - b.last_beat_at <= max_age))
    }
}
