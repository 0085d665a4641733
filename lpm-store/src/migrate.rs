//! Schema migrations, embedded per backend and applied at startup.
//!
//! On PostgreSQL, sqlx's migrator holds a session advisory lock while it runs, so two processes
//! starting at once do not race: the second waits, then finds nothing to do. A worker that must
//! not migrate (the web process owns that) waits for the expected version instead.

use std::time::Duration as StdDuration;

use sqlx::migrate::Migrator;

use crate::{Db, Store, StoreError, with_db};

static SQLITE: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES: Migrator = sqlx::migrate!("./migrations/postgres");

impl Store {
    /// Applies every pending migration (under an advisory lock on PostgreSQL).
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(pool) => SQLITE.run(pool).await?,
            Db::Postgres(pool) => POSTGRES.run(pool).await?,
        }
        self.ensure_audit_chain().await
    }

    /// The newest migration this build embeds.
    pub fn expected_schema_version(&self) -> i64 {
        let migrator = match self.db {
            Db::Sqlite(_) => &SQLITE,
            Db::Postgres(_) => &POSTGRES,
        };
        migrator.iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// The newest successfully applied migration, or `None` on an empty database.
    pub async fn schema_version(&self) -> Result<Option<i64>, StoreError> {
        let sql =
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version DESC LIMIT 1";
        let found: Result<Option<i64>, sqlx::Error> =
            with_db!(self, db => sqlx::query_scalar(sql).fetch_optional(db).await);
        match found {
            Ok(v) => Ok(v),
            // No migrations table yet: nothing applied.
            Err(sqlx::Error::Database(e)) if is_missing_table(e.message()) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Waits until the schema reaches the version this build expects, checking every
    /// `poll`; fails with [`StoreError::SchemaMismatch`] after `timeout`. A database already
    /// newer than this build is also a mismatch: an older worker must not touch it.
    pub async fn wait_for_schema(
        &self,
        timeout: StdDuration,
        poll: StdDuration,
    ) -> Result<(), StoreError> {
        let expected = self.expected_schema_version();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let found = self.schema_version().await?;
            match found {
                Some(v) if v == expected => return Ok(()),
                Some(v) if v > expected => {
                    return Err(StoreError::SchemaMismatch { found, expected });
                }
                _ if tokio::time::Instant::now() >= deadline => {
                    return Err(StoreError::SchemaMismatch { found, expected });
                }
                _ => tokio::time::sleep(poll).await,
            }
        }
    }
}

fn is_missing_table(message: &str) -> bool {
    message.contains("no such table") || message.contains("does not exist")
}
