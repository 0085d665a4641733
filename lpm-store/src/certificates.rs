//! The registry of issued certificates (lpm-ca keeps none): what was issued to whom, when it
//! expires, and what is revoked, from which the CRL is built.

use chrono::{DateTime, Utc};
use lpm_core::ids::HostId;
use lpm_core::rbac::AdminProof;
use serde::Serialize;

use crate::audit::append;
use crate::{Actor, Page, PageRequest, Store, StoreError, ts, with_db, with_tx};

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

/// Filters for the certificate list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CertificateQuery {
    /// Only this kind.
    pub kind: Option<String>,
    /// Only this host's.
    pub host: Option<HostId>,
    /// Only those expiring before this instant (expired ones included).
    pub expiring_before: Option<DateTime<Utc>>,
    /// Include revoked ones.
    pub include_revoked: bool,
}

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
                "INSERT INTO certificates (serial, kind, host_id, subject, sans, not_before, not_after, fingerprint, issued_by, issued_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
            )
            .bind(&cert.serial).bind(&cert.kind).bind(cert.host.map(HostId::get)).bind(&cert.subject).bind(&sans)
            .bind(ts(cert.not_before)).bind(ts(cert.not_after)).bind(&cert.fingerprint)
            .bind(actor.user.map(|u| u.get())).bind(now)
            .fetch_one(&mut **t).await.map_err(|e| StoreError::unique(e, "certificate serial"))?
        });
        let entry = actor.entry("certificate.issued", "certificate", &cert.serial).details(serde_json::json!({
            "kind": cert.kind, "host": cert.host, "subject": cert.subject, "purpose": purpose, "not_after": cert.not_after,
        }));
        append(&mut tx, &entry, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A page of certificates, soonest expiry first.
    pub async fn list_certificates(
        &self,
        query: &CertificateQuery,
        page: PageRequest,
    ) -> Result<Page<CertificateRecord>, StoreError> {
        const FILTER: &str = "($1 IS NULL OR kind = $1) AND ($2 IS NULL OR host_id = $2) \
                              AND ($3 IS NULL OR not_after < $3) AND ($4 OR revoked_at IS NULL)";
        let host = query.host.map(HostId::get);
        let before = query.expiring_before.map(ts);
        let (total, rows): (i64, Vec<CertRow>) = with_db!(self, db => {
            let total = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM certificates WHERE {FILTER}")))
                .bind(&query.kind).bind(host).bind(before).bind(query.include_revoked)
                .fetch_one(db).await?;
            let rows = sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT id, serial, kind, host_id, subject, sans, not_before, not_after, fingerprint, issued_at, revoked_at, \
                 revocation_reason FROM certificates WHERE {FILTER} ORDER BY not_after, id LIMIT $5 OFFSET $6"
            )))
            .bind(&query.kind).bind(host).bind(before).bind(query.include_revoked).bind(page.limit()).bind(page.offset())
            .fetch_all(db).await?;
            (total, rows)
        });
        let items = rows
            .into_iter()
            .map(CertificateRecord::try_from)
            .collect::<Result<_, _>>()?;
        Ok(Page {
            items,
            total,
            page: page.page(),
            per_page: page.per_page(),
        })
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
