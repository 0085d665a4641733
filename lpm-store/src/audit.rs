//! The tamper-evident audit log: rows hash-chained with SHA-256, appended in the same
//! transaction as the change they record, verifiable end to end.
//!
//! Each row's `row_hash` is SHA-256 over a canonical, length-prefixed encoding of every field
//! (its id included) and the previous row's hash. Ids are assigned from the chain head under
//! its lock, so they are contiguous: changing any field, deleting a row, swapping two rows or
//! cutting rows off the end is detected, and [`Store::verify_audit`] names the first broken row.
//! Nothing updates or deletes audit rows except [`Store::prune_audit`], which cuts from the
//! oldest end and records the hash it cut at, so the remainder still verifies.
//!
//! The chain detects tampering; it cannot prevent it (SDD R-04). Ship the log off-host where
//! that matters.

use chrono::{DateTime, Utc};
use lpm_core::ids::UserId;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::{Store, StoreError, Tx, ts, with_db, with_tx};

/// The `prev_hash` of the first row ever written.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did what, to be recorded.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AuditEntry {
    /// The acting user; `None` for the system (the worker, the pruner).
    pub actor_id: Option<UserId>,
    /// The actor's name as shown (a username, or `system`).
    pub actor: String,
    /// What happened, a dotted word: `auth.login_failed`, `host.created`, `job.cancelled` ...
    pub action: String,
    /// The kind of thing acted on: `host`, `user`, `job`, `settings` ...
    pub target_type: String,
    /// Its id, when it has one.
    pub target_id: Option<String>,
    /// The client address, for actions that came over the network.
    pub ip: Option<String>,
    /// Anything else worth keeping (never secrets).
    pub details: serde_json::Value,
}

impl AuditEntry {
    /// An entry with no target id, address or details.
    pub fn new(actor_id: Option<UserId>, actor: &str, action: &str, target_type: &str) -> Self {
        Self {
            actor_id,
            actor: actor.to_owned(),
            action: action.to_owned(),
            target_type: target_type.to_owned(),
            target_id: None,
            ip: None,
            details: serde_json::Value::Null,
        }
    }

    /// Names the target.
    pub fn target(mut self, id: impl ToString) -> Self {
        self.target_id = Some(id.to_string());
        self
    }

    /// Records the client address.
    pub fn from_ip(mut self, ip: impl ToString) -> Self {
        self.ip = Some(ip.to_string());
        self
    }

    /// Attaches details.
    pub fn details(mut self, details: serde_json::Value) -> Self {
        self.details = details;
        self
    }
}

/// A stored audit row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct AuditRecord {
    /// Position in the chain, contiguous from 1.
    pub id: i64,
    /// When it was recorded.
    pub at: DateTime<Utc>,
    /// Acting user id.
    pub actor_id: Option<i64>,
    /// Acting name.
    pub actor: String,
    /// What happened.
    pub action: String,
    /// Kind of target.
    pub target_type: String,
    /// Target id.
    pub target_id: Option<String>,
    /// Client address.
    pub ip: Option<String>,
    /// Canonical JSON details.
    pub details: String,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub row_hash: String,
}

impl AuditRecord {
    /// Recomputes the row's hash from its contents.
    pub fn compute_hash(&self) -> String {
        row_hash(
            self.id,
            self.at,
            self.actor_id,
            &self.actor,
            &self.action,
            &self.target_type,
            self.target_id.as_deref(),
            self.ip.as_deref(),
            &self.details,
            &self.prev_hash,
        )
    }
}

/// Why verification stopped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BreakKind {
    /// The row's contents do not match its hash.
    ContentsChanged,
    /// The row does not follow the previous one (rows were deleted, inserted or swapped).
    LinkBroken,
    /// Ids skip: rows before this one are missing.
    RowsMissing,
    /// The last row is not the recorded head: rows were cut off the end.
    Truncated,
}

/// The first row at which the chain fails.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrokenRow {
    /// The row's id (for truncation: the recorded head id).
    pub id: i64,
    /// What is wrong.
    pub kind: BreakKind,
}

/// The result of verifying the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VerifyReport {
    /// Rows read.
    pub rows_checked: u64,
    /// Rows before this id were pruned by retention (0: none).
    pub pruned_through: i64,
    /// The first broken row, or `None` when the whole chain holds.
    pub first_broken: Option<BrokenRow>,
    /// The chain's head when verification began: the last row's id (0: no row yet).
    pub head_id: i64,
    /// The head row's hash.
    pub head_hash: String,
}

impl VerifyReport {
    /// Whether the chain is intact.
    pub fn is_intact(&self) -> bool {
        self.first_broken.is_none()
    }
}

/// A filter for listing audit rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Only this actor.
    pub actor_id: Option<UserId>,
    /// Only actions starting with this prefix (`auth.` for every auth event).
    pub action_prefix: Option<String>,
    /// At or after.
    pub since: Option<DateTime<Utc>>,
    /// Before.
    pub until: Option<DateTime<Utc>>,
    /// Only this actor name (`system` for the worker and the command line).
    pub actor: Option<String>,
    /// Only this kind of target (`host`, `job` ...).
    pub target_type: Option<String>,
    /// Only this target id (with `target_type`, one thing's history).
    pub target_id: Option<String>,
    /// Order; `None` is newest first.
    pub sort: Option<(AuditSort, crate::Direction)>,
}

/// What the audit list sorts by (ties broken by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AuditSort {
    /// Position in the chain.
    #[default]
    Id,
    /// Recorded time.
    Time,
}

#[allow(clippy::too_many_arguments)]
fn row_hash(
    id: i64,
    at: DateTime<Utc>,
    actor_id: Option<i64>,
    actor: &str,
    action: &str,
    target_type: &str,
    target_id: Option<&str>,
    ip: Option<&str>,
    details: &str,
    prev_hash: &str,
) -> String {
    let mut h = Sha256::new();
    h.update(b"lpm-audit-v1");
    let mut field = |bytes: &[u8]| {
        h.update((bytes.len() as u64).to_be_bytes());
        h.update(bytes);
    };
    field(id.to_string().as_bytes());
    field(at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string().as_bytes());
    field(
        actor_id
            .map(|a| a.to_string())
            .unwrap_or_default()
            .as_bytes(),
    );
    field(actor.as_bytes());
    field(action.as_bytes());
    field(target_type.as_bytes());
    // Option fields carry a presence byte so None and Some("") differ.
    for opt in [target_id, ip] {
        match opt {
            Some(v) => {
                field(b"1");
                field(v.as_bytes());
            }
            None => field(b"0"),
        }
    }
    field(details.as_bytes());
    field(prev_hash.as_bytes());
    hex::encode(h.finalize())
}

/// Appends one row inside `tx`. Call it as the transaction's last write: on PostgreSQL it locks
/// the chain head until commit, and taking that lock last keeps lock order deadlock-free.
pub(crate) async fn append(
    tx: &mut Tx,
    entry: &AuditEntry,
    at: DateTime<Utc>,
) -> Result<i64, StoreError> {
    append_all(tx, std::slice::from_ref(entry), at)
        .await?
        .ok_or_else(|| StoreError::corrupt("an append wrote no audit row"))
}

/// Appends rows in order inside `tx` and returns the last id (`None` for no entries): reads
/// the chain head under its lock, hashes each row onto the previous, inserts them in multi-row
/// statements and moves the head. Call it as the transaction's last write (see [`append`]).
pub(crate) async fn append_all(
    tx: &mut Tx,
    entries: &[AuditEntry],
    at: DateTime<Utc>,
) -> Result<Option<i64>, StoreError> {
    let at = ts(at);
    let lock = if tx.is_postgres() { " FOR UPDATE" } else { "" };
    let head_sql = format!("SELECT head_id, head_hash FROM audit_chain WHERE id = 1{lock}");
    let (mut id, mut prev): (i64, String) = with_tx!(tx, t => {
        sqlx::query_as(sqlx::AssertSqlSafe(head_sql)).fetch_one(&mut **t).await?
    });
    let mut records = Vec::with_capacity(entries.len());
    for entry in entries {
        id += 1;
        let mut record = AuditRecord {
            id,
            at,
            actor_id: entry.actor_id.map(UserId::get),
            actor: entry.actor.clone(),
            action: entry.action.clone(),
            target_type: entry.target_type.clone(),
            target_id: entry.target_id.clone(),
            ip: entry.ip.clone(),
            details: entry.details.to_string(),
            prev_hash: std::mem::take(&mut prev),
            row_hash: String::new(),
        };
        record.row_hash = record.compute_hash();
        prev.clone_from(&record.row_hash);
        records.push(record);
    }
    // 11 parameters a row; 1,000 rows stay under both backends' parameter limits.
    for chunk in records.chunks(1000) {
        with_tx!(tx, t => {
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO audit_log (id, at, actor_id, actor, action, target_type, target_id, ip, details, prev_hash, row_hash) ",
            );
            insert.push_values(chunk, |mut row, r| {
                row.push_bind(r.id)
                    .push_bind(r.at)
                    .push_bind(r.actor_id)
                    .push_bind(&r.actor)
                    .push_bind(&r.action)
                    .push_bind(&r.target_type)
                    .push_bind(&r.target_id)
                    .push_bind(&r.ip)
                    .push_bind(&r.details)
                    .push_bind(&r.prev_hash)
                    .push_bind(&r.row_hash);
            });
            insert.build().execute(&mut **t).await?;
        });
    }
    if let Some(last) = records.last() {
        with_tx!(tx, t => {
            sqlx::query("UPDATE audit_chain SET head_id = $1, head_hash = $2 WHERE id = 1")
                .bind(last.id)
                .bind(&last.row_hash)
                .execute(&mut **t)
                .await?;
        });
    }
    Ok(records.last().map(|r| r.id))
}

impl Store {
    pub(crate) async fn ensure_audit_chain(&self) -> Result<(), StoreError> {
        with_db!(self, db => {
            sqlx::query(
                "INSERT INTO audit_chain (id, head_id, head_hash, pruned_through, pruned_hash) \
                 VALUES (1, 0, $1, 0, $1) ON CONFLICT (id) DO NOTHING",
            )
            .bind(GENESIS_HASH)
            .execute(db)
            .await?;
        });
        Ok(())
    }

    /// Records an action that changes nothing else (a login, a download) in its own transaction.
    pub async fn audit(&self, entry: &AuditEntry, at: DateTime<Utc>) -> Result<i64, StoreError> {
        let mut tx = self.begin().await?;
        let id = append(&mut tx, entry, at).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records many actions in one transaction (imports, bulk operations), in order, with
    /// multi-row inserts. Returns the id of the last row written.
    pub async fn audit_many(
        &self,
        entries: &[AuditEntry],
        at: DateTime<Utc>,
    ) -> Result<Option<i64>, StoreError> {
        let mut tx = self.begin().await?;
        let last = append_all(&mut tx, entries, at).await?;
        tx.commit().await?;
        Ok(last)
    }

    /// Reads the chain from the prune point to the head and reports the first broken row.
    pub async fn verify_audit(&self) -> Result<VerifyReport, StoreError> {
        self.verify_audit_range(None, None).await
    }

    /// Verifies rows `from..=to` (each bound optional: the prune point, the head) and reports
    /// the first broken row. The first row must link to the one before it (or to the prune
    /// anchor), so a range is checked exactly as the whole chain would check it. When the range
    /// reaches the head, cutting rows off the end is detected ([`BreakKind::Truncated`]); rows
    /// missing at the end of a range that stops earlier are reported at its last id.
    pub async fn verify_audit_range(
        &self,
        from: Option<i64>,
        to: Option<i64>,
    ) -> Result<VerifyReport, StoreError> {
        let (head_id, head_hash, pruned_through, pruned_hash): (i64, String, i64, String) = with_db!(self, db => {
            sqlx::query_as("SELECT head_id, head_hash, pruned_through, pruned_hash FROM audit_chain WHERE id = 1")
                .fetch_one(db)
                .await?
        });
        let start = from.map_or(pruned_through + 1, |f| f.max(pruned_through + 1));
        let end = to.map_or(head_id, |t| t.min(head_id));
        let mut report = VerifyReport {
            rows_checked: 0,
            pruned_through,
            first_broken: None,
            head_id,
            head_hash: head_hash.clone(),
        };
        if start > end && !(start == pruned_through + 1 && end == head_id) {
            return Ok(report);
        }
        let mut expected_id = start;
        let mut expected_prev = if start == pruned_through + 1 {
            pruned_hash
        } else {
            let anchor: Option<String> = with_db!(self, db => {
                sqlx::query_scalar("SELECT row_hash FROM audit_log WHERE id = $1")
                    .bind(start - 1)
                    .fetch_optional(db)
                    .await?
            });
            match anchor {
                Some(hash) => hash,
                None => {
                    report.first_broken = Some(BrokenRow {
                        id: start,
                        kind: BreakKind::RowsMissing,
                    });
                    return Ok(report);
                }
            }
        };
        // Keyset pages of 10,000 rows keep memory flat and cost far less per row than a
        // row-by-row stream (notably on SQLite, whose driver hands rows across a thread). A
        // reader task fetches the next page while this one hashes the current.
        const PAGE: i64 = 10_000;
        let (pages_tx, mut pages) =
            tokio::sync::mpsc::channel::<Result<Vec<AuditRecord>, StoreError>>(2);
        let reader = {
            let store = self.clone();
            tokio::spawn(async move {
                let mut after = start - 1;
                loop {
                    let page: Result<Vec<AuditRecord>, sqlx::Error> = with_db!(store, db => {
                        sqlx::query_as(
                            "SELECT id, at, actor_id, actor, action, target_type, target_id, ip, details, prev_hash, row_hash \
                             FROM audit_log WHERE id > $1 AND id <= $3 ORDER BY id LIMIT $2",
                        )
                        .bind(after)
                        .bind(PAGE)
                        .bind(end)
                        .fetch_all(db)
                        .await
                    });
                    let last = page
                        .as_ref()
                        .ok()
                        .and_then(|p| Some((p.last()?.id, p.len() as i64 == PAGE)));
                    let more = last.is_some_and(|(_, full)| full);
                    if pages_tx.send(page.map_err(StoreError::from)).await.is_err() || !more {
                        return;
                    }
                    if let Some((id, _)) = last {
                        after = id;
                    }
                }
            })
        };
        let mut broken = None;
        'pages: while let Some(page) = pages.recv().await {
            for row in page? {
                report.rows_checked += 1;
                let kind = if row.id != expected_id {
                    Some(BreakKind::RowsMissing)
                } else if row.prev_hash != expected_prev {
                    Some(BreakKind::LinkBroken)
                } else if row.compute_hash() != row.row_hash {
                    Some(BreakKind::ContentsChanged)
                } else {
                    None
                };
                if let Some(kind) = kind {
                    broken = Some(BrokenRow { id: row.id, kind });
                    break 'pages;
                }
                expected_id = row.id + 1;
                expected_prev = row.row_hash;
            }
        }
        drop(pages);
        reader.abort();
        report.first_broken = broken.or_else(|| {
            if end == head_id {
                (expected_id != head_id + 1 || expected_prev != head_hash).then_some(BrokenRow {
                    id: head_id,
                    kind: BreakKind::Truncated,
                })
            } else {
                (expected_id != end + 1).then_some(BrokenRow {
                    id: end,
                    kind: BreakKind::RowsMissing,
                })
            }
        });
        Ok(report)
    }

    /// Lists audit rows, filtered and sorted by `filter` (newest first by default).
    pub async fn list_audit(
        &self,
        filter: &AuditFilter,
        page: crate::PageRequest,
    ) -> Result<crate::Page<AuditRecord>, StoreError> {
        // Every parameter is always bound; a NULL one disables its clause.
        const FILTER: &str = "($1 IS NULL OR actor_id = $1) \
             AND ($2 IS NULL OR substr(action, 1, length($2)) = $2) \
             AND ($3 IS NULL OR at >= $3) AND ($4 IS NULL OR at < $4) \
             AND ($5 IS NULL OR actor = $5) AND ($6 IS NULL OR target_type = $6) \
             AND ($7 IS NULL OR target_id = $7)";
        let order = match filter.sort {
            None => "id DESC".to_owned(),
            Some((AuditSort::Id, direction)) => format!("id {}", direction.sql()),
            Some((AuditSort::Time, direction)) => {
                format!("at {0}, id {0}", direction.sql())
            }
        };
        let count_sql = format!("SELECT COUNT(*) FROM audit_log WHERE {FILTER}");
        let list_sql = format!(
            "SELECT id, at, actor_id, actor, action, target_type, target_id, ip, details, prev_hash, row_hash \
             FROM audit_log WHERE {FILTER} ORDER BY {order} LIMIT $8 OFFSET $9"
        );
        let actor = filter.actor_id.map(UserId::get);
        let since = filter.since.map(ts);
        let until = filter.until.map(ts);
        let (total, items) = with_db!(self, db => {
            let total: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(actor)
                .bind(&filter.action_prefix)
                .bind(since)
                .bind(until)
                .bind(&filter.actor)
                .bind(&filter.target_type)
                .bind(&filter.target_id)
                .fetch_one(db)
                .await?;
            let items: Vec<AuditRecord> = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(actor)
                .bind(&filter.action_prefix)
                .bind(since)
                .bind(until)
                .bind(&filter.actor)
                .bind(&filter.target_type)
                .bind(&filter.target_id)
                .bind(page.limit())
                .bind(page.offset())
                .fetch_all(db)
                .await?;
            (total, items)
        });
        Ok(crate::Page::of(items, total, page))
    }

    /// Deletes audit rows recorded before `before`, from the oldest end, and moves the prune
    /// anchor so the rest still verifies. Records the pruning itself as a new row. Returns the
    /// number of rows deleted.
    pub async fn prune_audit(
        &self,
        before: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let before = ts(before);
        let mut tx = self.begin().await?;
        let lock = if tx.is_postgres() { " FOR UPDATE" } else { "" };
        let anchor_sql = format!("SELECT pruned_through FROM audit_chain WHERE id = 1{lock}");
        let (pruned_through,): (i64,) = with_tx!(&mut tx, t => {
            sqlx::query_as(sqlx::AssertSqlSafe(anchor_sql)).fetch_one(&mut **t).await?
        });
        // Rows are cut only as a prefix, so the cut is the last row before the first young one.
        let cut: Option<(i64, String)> = with_tx!(&mut tx, t => {
            sqlx::query_as(
                "SELECT id, row_hash FROM audit_log WHERE id > $1 AND id < \
                 COALESCE((SELECT MIN(id) FROM audit_log WHERE at >= $2), (SELECT MAX(id) + 1 FROM audit_log)) \
                 ORDER BY id DESC LIMIT 1",
            )
            .bind(pruned_through)
            .bind(before)
            .fetch_optional(&mut **t)
            .await?
        });
        let Some((cut_id, cut_hash)) = cut else {
            return Ok(0);
        };
        let deleted = with_tx!(&mut tx, t => {
            let done = sqlx::query("DELETE FROM audit_log WHERE id <= $1").bind(cut_id).execute(&mut **t).await?;
            sqlx::query("UPDATE audit_chain SET pruned_through = $1, pruned_hash = $2 WHERE id = 1")
                .bind(cut_id)
                .bind(&cut_hash)
                .execute(&mut **t)
                .await?;
            done.rows_affected()
        });
        let entry = AuditEntry::new(None, "system", "audit.pruned", "audit_log").details(
            serde_json::json!({ "rows": deleted, "through_id": cut_id, "before": before }),
        );
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(deleted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn hash_covers_every_field() {
        let at = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let base = AuditRecord {
            id: 1,
            at,
            actor_id: Some(3),
            actor: "alice".into(),
            action: "host.created".into(),
            target_type: "host".into(),
            target_id: Some("9".into()),
            ip: None,
            details: "{}".into(),
            prev_hash: GENESIS_HASH.into(),
            row_hash: String::new(),
        };
        let h = base.compute_hash();
        let variants = [
            AuditRecord {
                id: 2,
                ..base.clone()
            },
            AuditRecord {
                at: at + chrono::Duration::microseconds(1),
                ..base.clone()
            },
            AuditRecord {
                actor_id: None,
                ..base.clone()
            },
            AuditRecord {
                actor: "bob".into(),
                ..base.clone()
            },
            AuditRecord {
                action: "host.deleted".into(),
                ..base.clone()
            },
            AuditRecord {
                target_type: "user".into(),
                ..base.clone()
            },
            AuditRecord {
                target_id: Some(String::new()),
                ..base.clone()
            },
            AuditRecord {
                ip: Some(String::new()),
                ..base.clone()
            },
            AuditRecord {
                details: "{\"a\":1}".into(),
                ..base.clone()
            },
            AuditRecord {
                prev_hash: "1".repeat(64),
                ..base.clone()
            },
        ];
        for v in variants {
            assert_ne!(v.compute_hash(), h, "{v:?}");
        }
    }
}
