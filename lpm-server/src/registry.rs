//! The command line's certificate registry: `registry.json` in the CA directory, recording
//! every certificate `lpm-server ca` issued, which are revoked, and the last CRL number.
//! (The server will keep the same facts in its `certificates` table.)

use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};

use lpm_ca::time::OffsetDateTime;
use lpm_ca::{CertInfo, RevocationReason, RevokedEntry};
use serde::{Deserialize, Serialize};

use crate::cli::CliError;

/// File name of the registry inside a CA directory.
pub const REGISTRY_FILE: &str = "registry.json";

/// Every certificate issued from one CA directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registry {
    /// Format version (1).
    pub version: u32,
    /// The number of the last CRL written (0: none yet).
    pub crl_number: u64,
    /// The certificates, in issue order.
    pub certificates: Vec<Entry>,
}

/// One issued certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// What the certificate says.
    pub cert: CertInfo,
    /// When it was revoked.
    #[serde(default, with = "lpm_ca::time::serde::rfc3339::option")]
    pub revoked_at: Option<OffsetDateTime>,
    /// Why.
    #[serde(default)]
    pub reason: Option<RevocationReason>,
}

impl Registry {
    /// The registry of `dir`; an empty one when the file does not exist yet.
    pub fn load(dir: &Path) -> Result<Self, CliError> {
        let path = dir.join(REGISTRY_FILE);
        match fs::read_to_string(&path) {
            Ok(text) => serde_json::from_str(&text).map_err(|e| CliError::Registry {
                path,
                detail: e.to_string(),
            }),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(Self {
                version: 1,
                ..Self::default()
            }),
            Err(source) => Err(CliError::Io { path, source }),
        }
    }

    /// Writes the registry atomically (a temporary file renamed over the old one).
    pub fn save(&self, dir: &Path) -> Result<(), CliError> {
        let text = serde_json::to_string_pretty(self).map_err(|e| CliError::Registry {
            path: dir.join(REGISTRY_FILE),
            detail: e.to_string(),
        })?;
        write_atomic(&dir.join(REGISTRY_FILE), text.as_bytes())
    }

    /// Records a newly issued certificate.
    pub fn record(&mut self, cert: CertInfo) {
        self.certificates.push(Entry {
            cert,
            revoked_at: None,
            reason: None,
        });
    }

    /// The entry with this (normalized) serial.
    pub fn find_mut(&mut self, serial: &str) -> Option<&mut Entry> {
        self.certificates
            .iter_mut()
            .find(|e| e.cert.serial == serial)
    }

    /// The revoked certificates, for a CRL.
    pub fn revoked(&self) -> Vec<RevokedEntry> {
        self.certificates
            .iter()
            .filter_map(|e| {
                e.revoked_at.map(|at| RevokedEntry {
                    serial_hex: e.cert.serial.clone(),
                    revoked_at: at,
                    reason: e.reason,
                })
            })
            .collect()
    }
}

/// Writes `contents` to `path` through a temporary file in the same directory and a rename,
/// so a reader never sees half a file.
pub(crate) fn write_atomic(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp: PathBuf = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| CliError::Io { path: p, source }
    };
    let mut file = fs::File::create(&tmp).map_err(io(&tmp))?;
    file.write_all(contents).map_err(io(&tmp))?;
    file.sync_all().map_err(io(&tmp))?;
    fs::rename(&tmp, path).map_err(io(path))
}
