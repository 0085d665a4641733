//! Revocation: the entries a caller hands in ([`RevokedEntry`], [`RevocationReason`]) and the
//! signed CRL built from them ([`Ca::crl`]).

use serde::{Deserialize, Serialize};
use time::{Duration, OffsetDateTime};

use crate::serial::serial_bytes;
use crate::{Ca, CaError};

/// Why a certificate was revoked (RFC 5280 §5.3.1 reason codes that apply to this CA).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RevocationReason {
    /// No reason given.
    Unspecified,
    /// The private key was, or may have been, disclosed.
    KeyCompromise,
    /// The CA key was, or may have been, disclosed.
    CaCompromise,
    /// The subject's name or other information changed.
    AffiliationChanged,
    /// A new certificate replaces this one (for example after renewal).
    Superseded,
    /// The host or service was retired.
    CessationOfOperation,
    /// Temporarily on hold.
    CertificateHold,
    /// The privilege the certificate carried was withdrawn.
    PrivilegeWithdrawn,
}

impl From<RevocationReason> for rcgen::RevocationReason {
    fn from(r: RevocationReason) -> Self {
        match r {
            RevocationReason::Unspecified => rcgen::RevocationReason::Unspecified,
            RevocationReason::KeyCompromise => rcgen::RevocationReason::KeyCompromise,
            RevocationReason::CaCompromise => rcgen::RevocationReason::CaCompromise,
            RevocationReason::AffiliationChanged => rcgen::RevocationReason::AffiliationChanged,
            RevocationReason::Superseded => rcgen::RevocationReason::Superseded,
            RevocationReason::CessationOfOperation => rcgen::RevocationReason::CessationOfOperation,
            RevocationReason::CertificateHold => rcgen::RevocationReason::CertificateHold,
            RevocationReason::PrivilegeWithdrawn => rcgen::RevocationReason::PrivilegeWithdrawn,
        }
    }
}

/// One revoked certificate, as the caller's registry records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedEntry {
    /// Serial number in hex, with or without colons, any case (see
    /// [`normalize_serial`](crate::normalize_serial)).
    pub serial_hex: String,
    /// When the revocation was recorded.
    #[serde(with = "time::serde::rfc3339")]
    pub revoked_at: OffsetDateTime,
    /// Why, if known.
    pub reason: Option<RevocationReason>,
}

impl Ca {
    /// A CRL signed by this CA listing `revoked`, as PEM.
    ///
    /// The CA keeps no registry: the caller passes every revoked serial that is still of
    /// interest (typically those not yet expired) and a `crl_number` that grows with every CRL
    /// it publishes (RFC 5280 §5.2.3; keep it in the registry). `thisUpdate` is `now` and
    /// `nextUpdate` is `now + next_update_in`; publish a new CRL before then, since verifiers
    /// may reject a CRL past its next update.
    pub fn crl(
        &self,
        revoked: &[RevokedEntry],
        crl_number: u64,
        now: OffsetDateTime,
        next_update_in: Duration,
    ) -> Result<String, CaError> {
        if next_update_in <= Duration::ZERO {
            return Err(CaError::InvalidDuration {
                what: "CRL next update",
                reason: "must be positive",
            });
        }
        let revoked_certs = revoked
            .iter()
            .map(|entry| {
                Ok(rcgen::RevokedCertParams {
                    serial_number: rcgen::SerialNumber::from_slice(&serial_bytes(
                        &entry.serial_hex,
                    )?),
                    revocation_time: entry.revoked_at,
                    reason_code: entry.reason.map(Into::into),
                    invalidity_date: None,
                })
            })
            .collect::<Result<Vec<_>, CaError>>()?;
        let params = rcgen::CertificateRevocationListParams {
            this_update: now,
            next_update: now + next_update_in,
            crl_number: rcgen::SerialNumber::from_slice(&crl_number.to_be_bytes()),
            issuing_distribution_point: None,
            revoked_certs,
            key_identifier_method: self.key_id_method.clone(),
        };
        let crl = params
            .signed_by(&self.issuer)
            .map_err(CaError::crypto("signing the CRL"))?;
        crl.pem().map_err(CaError::crypto("encoding the CRL"))
    }
}
