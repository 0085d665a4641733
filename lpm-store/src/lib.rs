#![doc = include_str!("../README.md")]

use std::str::FromStr;
use std::time::Duration as StdDuration;

use chrono::{DateTime, SubsecRound, Utc};
use lpm_core::ports::Notice;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
use tokio::sync::broadcast;

pub mod accounts;
mod actor;
pub mod audit;
pub mod auth;
pub mod certificates;
pub mod discovery;
mod engine_ports;
mod error;
pub mod fleet;
pub mod hostdata;
pub mod jobs;
pub mod migrate;
pub mod notify;
pub mod polls;
pub mod queue;
pub mod reports;
pub mod retention;
pub mod settings;
#[cfg(feature = "testing")]
pub mod testing;
pub mod tokens;
pub mod windows;

pub use actor::Actor;
pub use error::StoreError;

/// Runs `$body` once per backend with `$db` bound to that backend's pool (or transaction).
/// The body is compiled twice, once per sqlx database type, so the same query text and row
/// decoding serve both; SQL that differs is chosen with `Backend::IS_POSTGRES`.
macro_rules! with_db {
    ($store:expr, $db:ident => $body:expr) => {
        match &$store.db {
            $crate::Db::Sqlite($db) => $body,
            $crate::Db::Postgres($db) => $body,
        }
    };
}
pub(crate) use with_db;

/// Like [`with_db!`], for an open write transaction (`$t` is `&mut Transaction`).
macro_rules! with_tx {
    ($tx:expr, $t:ident => $body:expr) => {
        match &mut $tx.inner {
            $crate::TxInner::Sqlite($t) => $body,
            $crate::TxInner::Postgres($t) => $body,
        }
    };
}
pub(crate) use with_tx;

#[derive(Debug, Clone)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open write transaction on either backend. Audit rows are appended through it, so they
/// commit or roll back with the change they record; notices queued on it are sent only once
/// it has committed.
#[derive(Debug)]
pub(crate) struct Tx {
    pub(crate) inner: TxInner,
    notices: Vec<Notice>,
    bus: broadcast::Sender<Notice>,
    /// PostgreSQL: the store's outbox, which sends `pg_notify` after commit.
    outbox: Option<Outbox>,
}

#[derive(Debug)]
pub(crate) enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self.inner {
            TxInner::Sqlite(t) => t.commit().await?,
            TxInner::Postgres(t) => t.commit().await?,
        }
        match &self.outbox {
            Some(outbox) => self.notices.into_iter().for_each(|n| outbox.send(n)),
            None => {
                for notice in self.notices {
                    // No subscribers is fine: nobody is waiting.
                    let _ = self.bus.send(notice);
                }
            }
        }
        Ok(())
    }

    fn with_outbox(mut self, outbox: Option<Outbox>) -> Self {
        self.outbox = outbox;
        self
    }

    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self.inner, TxInner::Postgres(_))
    }

    /// Queues a notice that is delivered if and only if the transaction commits.
    pub(crate) async fn notify(&mut self, notice: Notice) -> Result<(), StoreError> {
        self.notices.push(notice);
        Ok(())
    }
}

pub(crate) async fn notify_pg(pool: &PgPool, notices: &[Notice]) -> Result<(), sqlx::Error> {
    let channels: Vec<&str> = notices.iter().map(|n| n.channel.as_str()).collect();
    let payloads: Vec<&str> = notices.iter().map(|n| n.payload.as_str()).collect();
    sqlx::query("SELECT pg_notify(c, p) FROM unnest($1::text[], $2::text[]) AS n(c, p)")
        .bind(&channels)
        .bind(&payloads)
        .execute(pool)
        .await
        .map(|_| ())
}

/// Sends notices of committed changes to PostgreSQL from a background task, many per
/// statement.
///
/// Notifying after commit rather than inside the transaction matters: PostgreSQL serialises
/// the commits of notifying transactions on one lock held through the WAL flush, which would
/// defeat group commit for every queue write. Batching keeps the notices off the hot path. A
/// transaction that only notifies writes no WAL, so it flushes nothing. Notices are hints
/// (subscribers resync after gaps), so one lost to a crash between commit and send costs a
/// moment's latency, never data. Order is kept: one task sends them all, first in, first out.
#[derive(Debug, Clone)]
pub(crate) struct Outbox {
    tx: tokio::sync::mpsc::UnboundedSender<Notice>,
}

impl Outbox {
    fn start(pool: PgPool) -> Self {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Notice>();
        tokio::spawn(async move {
            let mut batch = Vec::new();
            while let Some(first) = rx.recv().await {
                batch.push(first);
                // Notices queued meanwhile share the statement; on a busy queue more gather
                // while the previous statement is in flight, so no wait is needed to batch
                // (a wait would delay every wake-up of an idle worker by as much).
                tokio::task::yield_now().await;
                while batch.len() < 500 {
                    match rx.try_recv() {
                        Ok(n) => batch.push(n),
                        Err(_) => break,
                    }
                }
                if let Err(e) = notify_pg(&pool, &batch).await {
                    tracing::warn!(error = %e, notices = batch.len(), "notifications not sent");
                }
                batch.clear();
            }
        });
        Self { tx }
    }

    pub(crate) fn send(&self, notice: Notice) {
        // The task ends only when every sender is gone, so this cannot fail while we hold one.
        let _ = self.tx.send(notice);
    }
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// SQLite: the embedded default; one process (all-in-one), one writer at a time.
    Sqlite,
    /// PostgreSQL 15 or newer: production, several processes.
    Postgres,
}

/// How to open a store.
#[derive(Debug, Clone)]
pub struct StoreOptions {
    /// Maximum pooled connections (SDD §11: 20 on PostgreSQL).
    pub max_connections: u32,
    /// How long to wait for a connection or a lock before failing.
    pub acquire_timeout: StdDuration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_connections: 20,
            acquire_timeout: StdDuration::from_secs(10),
        }
    }
}

/// The lpm store: one API over SQLite and PostgreSQL. Cloning is cheap and shares the pool.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) db: Db,
    /// In-process notifications (SQLite; on PostgreSQL notices travel through the database).
    pub(crate) bus: broadcast::Sender<Notice>,
    pub(crate) outbox: Option<Outbox>,
}

impl Store {
    /// Opens a store from a URL and applies pending migrations.
    ///
    /// * `sqlite:PATH` or `sqlite://PATH` (created when missing), `sqlite::memory:`
    /// * `postgres://user@host/db`, `postgresql:///db?host=/run/postgresql`
    pub async fn open(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let store = Self::connect(url, options).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Opens a store without touching the schema (a worker that waits for the web process to
    /// migrate uses this, then [`Store::wait_for_schema`]).
    pub async fn connect(url: &str, options: &StoreOptions) -> Result<Self, StoreError> {
        let (bus, _) = broadcast::channel(1024);
        if url.starts_with("sqlite:") {
            let memory = url.contains(":memory:") || url.contains("mode=memory");
            let connect = SqliteConnectOptions::from_str(url)
                .map_err(|e| StoreError::config(format!("bad SQLite URL: {e}")))?
                .create_if_missing(true)
                .foreign_keys(true)
                .journal_mode(if memory {
                    SqliteJournalMode::Memory
                } else {
                    SqliteJournalMode::Wal
                })
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(options.acquire_timeout);
            // Each connection to `:memory:` is its own database: keep exactly one.
            let max = if memory {
                1
            } else {
                options.max_connections.clamp(1, 8)
            };
            let pool = SqlitePoolOptions::new()
                .max_connections(max)
                .min_connections(if memory { 1 } else { 0 })
                .idle_timeout(if memory {
                    None
                } else {
                    Some(StdDuration::from_secs(600))
                })
                .max_lifetime(if memory {
                    None
                } else {
                    Some(StdDuration::from_secs(3600))
                })
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await?;
            Ok(Self {
                db: Db::Sqlite(pool),
                bus,
                outbox: None,
            })
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let connect = PgConnectOptions::from_str(url)
                .map_err(|e| StoreError::config(format!("bad PostgreSQL URL: {e}")))?
                .application_name("lpm");
            let pool = PgPoolOptions::new()
                .max_connections(options.max_connections.max(2))
                .acquire_timeout(options.acquire_timeout)
                .connect_with(connect)
                .await?;
            let outbox = Some(Outbox::start(pool.clone()));
            Ok(Self {
                db: Db::Postgres(pool),
                bus,
                outbox,
            })
        } else {
            Err(StoreError::config(
                "database URL must start with sqlite: or postgres:".to_owned(),
            ))
        }
    }

    /// Which backend this store runs on.
    pub fn backend(&self) -> BackendKind {
        match self.db {
            Db::Sqlite(_) => BackendKind::Sqlite,
            Db::Postgres(_) => BackendKind::Postgres,
        }
    }

    /// Closes the pool, waiting for connections to be returned.
    pub async fn close(&self) {
        with_db!(self, db => db.close().await)
    }

    /// Checks that the database answers (for `/status/health`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        with_db!(self, db => {
            sqlx::query("SELECT 1").execute(db).await?;
        });
        Ok(())
    }

    /// Begins a write transaction. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so a transaction that reads before it writes cannot fail to upgrade.
    pub(crate) async fn begin(&self) -> Result<Tx, StoreError> {
        let (inner, outbox) = match &self.db {
            Db::Sqlite(pool) => (
                TxInner::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
                None,
            ),
            Db::Postgres(pool) => (TxInner::Postgres(pool.begin().await?), self.outbox.clone()),
        };
        Ok(Tx {
            inner,
            notices: Vec::new(),
            bus: self.bus.clone(),
            outbox: None,
        }
        .with_outbox(outbox))
    }
}

impl Store {
    /// A write transaction when `needed`, else `None` (the caller runs one autocommit statement).
    pub(crate) async fn begin_if(&self, needed: bool) -> Result<Option<Tx>, StoreError> {
        Ok(if needed {
            Some(self.begin().await?)
        } else {
            None
        })
    }

    /// Sends the job event of a change that committed on its own (no transaction to carry it).
    pub(crate) async fn send_after_commit(&self, event: &jobs::JobEvent) {
        let notice = match serde_json::to_string(event) {
            Ok(payload) => Notice {
                channel: lpm_core::ports::Channel::JobEvents,
                payload,
            },
            Err(_) => return,
        };
        match &self.outbox {
            Some(outbox) => outbox.send(notice),
            None => {
                let _ = self.bus.send(notice);
            }
        }
    }
}

/// Timestamps are stored with microsecond precision (PostgreSQL's), so what is written is
/// exactly what is read back and hashed.
pub(crate) fn ts(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

/// A page request: `page` is 1-based, `per_page` defaults to 50 and is at most 500.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    page: u32,
    per_page: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: 50,
        }
    }
}

impl PageRequest {
    /// The largest page.
    pub const MAX_PER_PAGE: u32 = 500;

    /// Validates a page request.
    pub fn new(page: u32, per_page: u32) -> Result<Self, StoreError> {
        if page == 0 {
            return Err(StoreError::invalid("page", "pages are numbered from 1"));
        }
        if per_page == 0 || per_page > Self::MAX_PER_PAGE {
            return Err(StoreError::invalid("per_page", "must be between 1 and 500"));
        }
        Ok(Self { page, per_page })
    }

    /// The page number.
    pub fn page(&self) -> u32 {
        self.page
    }

    /// Rows per page.
    pub fn per_page(&self) -> u32 {
        self.per_page
    }

    pub(crate) fn limit(&self) -> i64 {
        i64::from(self.per_page)
    }

    pub(crate) fn offset(&self) -> i64 {
        i64::from(self.page - 1) * i64::from(self.per_page)
    }
}

/// One page of a list, with the total count for pagination controls.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// Rows matching the filter across all pages.
    pub total: i64,
    /// The page number.
    pub page: u32,
    /// Rows per page.
    pub per_page: u32,
}

impl<T> Page<T> {
    /// The page `request` asked for, holding `items` out of `total` matching rows.
    pub(crate) fn of(items: Vec<T>, total: i64, request: PageRequest) -> Self {
        Self {
            items,
            total,
            page: request.page(),
            per_page: request.per_page(),
        }
    }
}

/// Sort direction of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Direction {
    /// Smallest first.
    #[default]
    Ascending,
    /// Largest first.
    Descending,
}

impl Direction {
    pub(crate) fn sql(self) -> &'static str {
        match self {
            Direction::Ascending => "ASC",
            Direction::Descending => "DESC",
        }
    }
}
