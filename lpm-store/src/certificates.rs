//! The registry of issued certificates (lpm-ca keeps none): what was issued to whom, when it
//! expires, and what is revoked, from which the CRL is built.
//!
//! Host certificates are scoped like their hosts: an operator sees the certificates of the
//! hosts they reach and nothing else (not the root, the manager's or the web certificate).

use chrono::{DateTime, Utc};
use lpm_core::ids::HostId;
use lpm_core::rbac::{AdminProof, HostFilter, Scope};
use serde::Serialize;

use crate::audit::append;
use crate::fleet::scope_sql;
use crate::{Actor, Direction, Page, PageRequest, Store, StoreError, ts, with_db, with_tx};

/// A certificate to record (metadata only; private keys are never stored).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NewCertificate {
    /// Serial, uppercase hex without colons.
    pub serial: String,
    /// `root`, `manager_client`, `agent_server` or `web_server`.
    pub kind: String,
    /// The host an agent certificate is for.
    pub host: Option<HostId>,
    /// Subject common name.
    pub subject: String,
    /// Subject alternative names (DNS names and IP addresses as text).
    pub sans: Vec<String>,
    /// Validity start.
    pub not_before: DateTime<Utc>,
    /// Validity end.
    pub not_after: DateTime<Utc>,
    /// SHA-256 fingerprint of the DER.
    pub fingerprint: String,
    /// The certificate, PEM (public; never a key). `None` for rows recorded without it.
    pub cert_pem: Option<String>,
}

/// A recorded certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateRecord {
    /// Row id.
    pub id: i64,
    /// What was recorded.
    pub certificate: NewCertificate,
    /// When it was issued.
    pub issued_at: DateTime<Utc>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
    /// Why.
    pub revocation_reason: Option<String>,
}

/// Filters and order of the certificate list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateQuery {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only this host's.
    pub host: Option<HostId>,
    /// Only those expiring before this instant (expired ones included).
    pub expiring_before: Option<DateTime<Utc>>,
    /// `Some(true)`: only revoked ones; `Some(false)`: only those not revoked; `None`: both.
    pub revoked: Option<bool>,
    /// Sort order.
    pub sort: CertificateSort,
    /// Sort direction.
    pub direction: Direction,
}

/// What the certificate list sorts by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CertificateSort {
    /// End of validity (soonest expiry first, ascending).
    #[default]
    NotAfter,
    /// When it was issued.
    Issued,
}

impl CertificateSort {
    fn column(self) -> &'static str {
        match self {
            CertificateSort::NotAfter => "c.not_after",
            CertificateSort::Issued => "c.issued_at",
        }
    }
}

/// The SQL condition that keeps only certificates `scope` may see: every one for an admin, else
/// those of existing hosts in scope.
fn certificate_scope_sql(scope: &Scope) -> String {
    match scope.host_filter() {
        HostFilter::All => "TRUE".to_owned(),
        HostFilter::GroupsAndUngrouped(_) => format!(
            "(c.host_id IS NOT NULL AND EXISTS (SELECT 1 FROM hosts sh WHERE sh.id = c.host_id) AND {})",
            scope_sql(scope, "c.host_id")
        ),
    }
}

const CERT_COLUMNS: &str = "c.id, c.serial, c.kind, c.host_id, c.subject, c.sans, c.not_before, c.not_after, \
     c.fingerprint, c.cert_pem, c.issued_at, c.revoked_at, c.revocation_reason";

#[derive(Debug, sqlx::FromRow)]
struct CertRow {
    id: i64,
    serial: String,
    kind: String,
    host_id: Option<i64>,
    subject: String,
    sans: String,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
    fingerprint: String,
    cert_pem: Option<String>,
    issued_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    revocation_reason: Option<String>,
}

impl TryFrom<CertRow> for CertificateRecord {
    type Error = StoreError;
    fn try_from(r: CertRow) -> Result<Self, StoreError> {
        Ok(CertificateRecord {
            id: r.id,
            certificate: NewCertificate {
                serial: r.serial,
                kind: r.kind,
                host: r.host_id.map(HostId::new).transpose()?,
                subject: r.subject,
                sans: serde_json::from_str(&r.sans).map_err(StoreError::corrupt)?,
                not_before: r.not_before,
                not_after: r.not_after,
                fingerprint: r.fingerprint,
                cert_pem: r.cert_pem,
            },
            issued_at: r.issued_at,
            revoked_at: r.revoked_at,
            revocation_reason: r.revocation_reason,
        })
    }
}

const KINDS: [&str; 4] = ["root", "manager_client", "agent_server", "web_server"];

impl Store {
    /// Records an issued certificate and audits it (`certificate.issued`, with `purpose`, e.g.
    /// "bundle download" — who downloaded which host's certificate, and when).
    pub async fn record_certificate(
        &self,
        cert: &NewCertificate,
        purpose: &str,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        if !KINDS.contains(&cert.kind.as_str()) {
            return Err(StoreError::invalid(
                "kind",
                format!("one of {}", KINDS.join(", ")),
            ));
        }
        if cert.serial.is_empty()
            || !cert
                .serial
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_lowercase())
        {
            return Err(StoreError::invalid(
                "serial",
                "uppercase hex without colons",
            ));
        }
        let now = ts(now);
        let sans = serde_json::to_string(&cert.sans).map_err(StoreError::corrupt)?;
        let mut tx = self.begin().await?;
        let id: i64 = with_tx!(tx, t => {
            sqlx::query_scalar(
                "INSERT INTO certificates (serial, kind, host_id, subject, sans, not_before, not_after, fingerprint, issued_by, issued_at, cert_pem) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(&cert.serial).bind(&cert.kind).bind(cert.host.map(HostId::get)).bind(&cert.subject).bind(&sans)
            .bind(ts(cert.not_before)).bind(ts(cert.not_after)).bind(&cert.fingerprint)
            .bind(actor.user.map(|u| u.get())).bind(now).bind(&cert.cert_pem)
            .fetch_one(&mut **t).await.map_err(|e| StoreError::unique(e, "certificate serial"))?
        });
        let entry = actor.entry("certificate.issued", "certificate", &cert.serial).details(serde_json::json!({
            "kind": cert.kind, "host": cert.host, "subject": cert.subject, "purpose": purpose, "not_after": cert.not_after,
        }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A page of the certificates `scope` may see (see the module doc), filtered and sorted.
    pub async fn list_certificates(
        &self,
        scope: &Scope,
        query: &CertificateQuery,
        page: PageRequest,
    ) -> Result<Page<CertificateRecord>, StoreError> {
        let filter = format!(
            "{} AND ($1 IS NULL OR c.kind = $1) AND ($2 IS NULL OR c.host_id = $2) \
             AND ($3 IS NULL OR c.not_after < $3) \
             AND ($4 IS NULL OR ($4 AND c.revoked_at IS NOT NULL) OR (NOT $4 AND c.revoked_at IS NULL))",
            certificate_scope_sql(scope)
        );
        let count_sql = format!("SELECT COUNT(*) FROM certificates c WHERE {filter}");
        let list_sql = format!(
            "SELECT {CERT_COLUMNS} FROM certificates c WHERE {filter} ORDER BY {} {}, c.id {} LIMIT $5 OFFSET $6",
            query.sort.column(),
            query.direction.sql(),
            query.direction.sql()
        );
        let host = query.host.map(HostId::get);
        let before = query.expiring_before.map(ts);
        let (total, rows): (i64, Vec<CertRow>) = with_db!(self, db => {
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(count_sql))
                .bind(&query.kind).bind(host).bind(before).bind(query.revoked)
                .fetch_one(db).await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(list_sql))
                .bind(&query.kind).bind(host).bind(before).bind(query.revoked)
                .bind(page.limit()).bind(page.offset())
                .fetch_all(db).await?;
            (total, rows)
        });
        let items = rows
            .into_iter()
            .map(CertificateRecord::try_from)
            .collect::<Result<_, _>>()?;
        Ok(Page::of(items, total, page))
    }

    /// One certificate by serial (uppercase hex without colons), if `scope` may see it.
    pub async fn get_certificate(
        &self,
        scope: &Scope,
        serial: &str,
    ) -> Result<CertificateRecord, StoreError> {
        let sql = format!(
            "SELECT {CERT_COLUMNS} FROM certificates c WHERE c.serial = $1 AND {}",
            certificate_scope_sql(scope)
        );
        let row: Option<CertRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(serial).fetch_optional(db).await?
        });
        row.ok_or(StoreError::NotFound {
            what: "certificate",
        })?
        .try_into()
    }

    /// The agent certificate most recently issued for a host in scope that is not revoked, or
    /// `None` when it has none. A host out of scope is not found.
    pub async fn current_host_certificate(
        &self,
        scope: &Scope,
        host: HostId,
    ) -> Result<Option<CertificateRecord>, StoreError> {
        self.get_host(scope, host).await?;
        let sql = format!(
            "SELECT {CERT_COLUMNS} FROM certificates c WHERE c.host_id = $1 AND c.kind = 'agent_server' \
             AND c.revoked_at IS NULL ORDER BY c.issued_at DESC, c.id DESC LIMIT 1"
        );
        let row: Option<CertRow> = with_db!(self, db => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(host.get()).fetch_optional(db).await?
        });
        row.map(CertificateRecord::try_from).transpose()
    }

    /// Revokes a certificate by serial (admin only). Unknown: not found; already revoked: conflict.
    pub async fn revoke_certificate(
        &self,
        _admin: &AdminProof,
        serial: &str,
        reason: Option<&str>,
        actor: &Actor,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now = ts(now);
        let mut tx = self.begin().await?;
        let state: Option<Option<DateTime<Utc>>> = with_tx!(tx, t => {
            sqlx::query_scalar("SELECT revoked_at FROM certificates WHERE serial = $1").bind(serial).fetch_optional(&mut **t).await?
        });
        match state {
            None => {
                return Err(StoreError::NotFound {
                    what: "certificate",
                });
            }
            Some(Some(_)) => return Err(StoreError::Conflict { what: "revocation" }),
            Some(None) => {}
        }
        with_tx!(tx, t => {
            sqlx::query("UPDATE certificates SET revoked_at = $2, revoked_by = $3, revocation_reason = $4 WHERE serial = $1")
                .bind(serial).bind(now).bind(actor.user.map(|u| u.get())).bind(reason)
                .execute(&mut **t).await?;
        });
        let entry = actor
            .entry("certificate.revoked", "certificate", serial)
            .details(serde_json::json!({ "reason": reason }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await
    }

    /// Every revoked serial with when and why, for building the CRL.
    pub async fn revoked_certificates(
        &self,
    ) -> Result<Vec<(String, DateTime<Utc>, Option<String>)>, StoreError> {
        let rows: Vec<(String, Option<DateTime<Utc>>, Option<String>)> = with_db!(self, db => {
            sqlx::query_as("SELECT serial, revoked_at, revocation_reason FROM certificates WHERE revoked_at IS NOT NULL ORDER BY revoked_at")
                .fetch_all(db).await?
        });
        Ok(rows
            .into_iter()
            .filter_map(|(s, at, r)| Some((s, at?, r)))
            .collect())
    }
}
