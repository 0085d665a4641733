//! JWT signing keys on disk and their rotation (SDD §7.1): a key signs for 90 days, then a new
//! one takes over and the old one still verifies for 24 hours.
//!
//! Private keys live in `DATA/jwt/<kid>.pem` (directory 0700, files 0600), read only by the web
//! process; their public halves are published to the store, where every process reads them.
//! [`KeyRotation::check`] is the whole procedure, run at start and then periodically:
//! 1. the published keys still verifying at `now` are read from the store;
//! 2. key files whose key is no longer published (retired, or never published because the
//!    process died in between) are deleted: nothing they signed verifies any more;
//! 3. the newest remaining key signs, unless [`rotation_due`]; then a new key is generated,
//!    saved, published with [`verify_until`], and signs from now on;
//! 4. the process's [`KeyRing`] is replaced with that signing key and every published key.
//!
//! Time is a parameter ([`Clock`]), so rotation is tested with a manual clock.

use std::os::unix::fs::{DirBuilderExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use lpm_core::ports::Clock;
use lpm_store::{Store, StoreError};

use super::{AuthError, KeyRing, SigningKey, VerifyingKey, rotation_due, verify_until};

/// The key directory inside the data directory.
pub const KEY_DIR: &str = "jwt";
/// Where the first version of `serve` kept its one key; moved into [`KEY_DIR`] on start.
pub const LEGACY_KEY_FILE: &str = "jwt-signing.pem";
/// How often the running server checks whether its key is due.
pub const CHECK_EVERY: chrono::Duration = chrono::Duration::hours(1);

/// Why keys could not be loaded or rotated.
#[derive(Debug, thiserror::Error)]
pub enum RotationError {
    /// A key file or the key directory failed.
    #[error(transparent)]
    Key(#[from] AuthError),
    /// The store could not be read or written.
    #[error("database: {0}")]
    Store(#[from] StoreError),
}

/// The private keys of one web process, one file each.
#[derive(Debug, Clone)]
pub struct KeyDir {
    dir: PathBuf,
}

impl KeyDir {
    /// `DATA/jwt`, created with mode 0700 (tightened if it exists with a looser one). A key
    /// left at `DATA/jwt-signing.pem` by an older version moves in.
    pub fn open(data_dir: &Path) -> Result<Self, AuthError> {
        let dir = data_dir.join(KEY_DIR);
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| AuthError::Io { path, source }
        };
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(&dir)
            .map_err(io(&dir))?;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).map_err(io(&dir))?;
        let keys = Self { dir };
        let legacy = data_dir.join(LEGACY_KEY_FILE);
        if legacy.exists() {
            let key = SigningKey::load(&legacy)?;
            std::fs::rename(&legacy, keys.path_of(key.kid())).map_err(io(&legacy))?;
        }
        Ok(keys)
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.dir
    }

    fn path_of(&self, kid: &str) -> PathBuf {
        self.dir.join(format!("{kid}.pem"))
    }

    /// Every key in the directory (files named `*.pem`).
    pub fn load_all(&self) -> Result<Vec<SigningKey>, AuthError> {
        let entries = std::fs::read_dir(&self.dir).map_err(|source| AuthError::Io {
            path: self.dir.clone(),
            source,
        })?;
        let mut keys = Vec::new();
        for entry in entries {
            let path = entry
                .map_err(|source| AuthError::Io {
                    path: self.dir.clone(),
                    source,
                })?
                .path();
            if path.extension().is_some_and(|e| e == "pem") {
                keys.push(SigningKey::load(&path)?);
            }
        }
        Ok(keys)
    }

    /// Saves a new key as `<kid>.pem`, mode 0600.
    pub fn save(&self, key: &SigningKey) -> Result<(), AuthError> {
        key.save(&self.path_of(key.kid()))
    }

    /// Deletes a key's file.
    pub fn remove(&self, kid: &str) -> Result<(), AuthError> {
        let path = self.path_of(kid);
        std::fs::remove_file(&path).map_err(|source| AuthError::Io { path, source })
    }
}

/// The signing key chosen by [`KeyRotation::check`] and the keys to verify with.
#[derive(Debug)]
pub struct KeySet {
    /// Signs new tokens.
    pub signing: SigningKey,
    /// When the signing key was created (published).
    pub signing_created_at: DateTime<Utc>,
    /// Every published key still verifying, the signing key included.
    pub verifying: Vec<VerifyingKey>,
    /// Whether a new key was generated.
    pub generated: bool,
}

/// Loads, rotates and publishes the signing keys of the web process.
#[derive(Debug, Clone)]
pub struct KeyRotation {
    store: Store,
    keys: KeyDir,
}

impl KeyRotation {
    /// Rotation over these keys and this store.
    pub fn new(store: Store, keys: KeyDir) -> Self {
        Self { store, keys }
    }

    /// Steps 1 to 3 of the module doc: the key to sign with at `now`, generated and published
    /// if none may sign, with every published key that still verifies.
    pub async fn current(&self, now: DateTime<Utc>) -> Result<KeySet, RotationError> {
        let published = self.store.jwt_verifying_keys(now).await?;
        let mut signing: Option<(SigningKey, DateTime<Utc>)> = None;
        for key in self.keys.load_all()? {
            let Some(record) = published.iter().find(|p| p.kid == key.kid()) else {
                tracing::info!(kid = key.kid(), "deleting a retired JWT signing key");
                self.keys.remove(key.kid())?;
                continue;
            };
            let newer = signing
                .as_ref()
                .is_none_or(|(_, created)| record.created_at > *created);
            if !rotation_due(record.created_at, now) && newer {
                signing = Some((key, record.created_at));
            }
        }
        let (signing, signing_created_at, generated, published) = match signing {
            Some((key, created)) => (key, created, false, published),
            None => {
                let key = SigningKey::generate()?;
                self.keys.save(&key)?;
                self.store
                    .publish_jwt_key(key.kid(), key.public_pem(), now, verify_until(now))
                    .await?;
                tracing::info!(kid = key.kid(), "generated and published a JWT signing key");
                let published = self.store.jwt_verifying_keys(now).await?;
                (key, now, true, published)
            }
        };
        let verifying = published
            .into_iter()
            .map(|k| VerifyingKey {
                kid: k.kid,
                public_pem: k.public_key,
                verify_until: k.verify_until,
            })
            .collect();
        Ok(KeySet {
            signing,
            signing_created_at,
            verifying,
            generated,
        })
    }

    /// A key ring for a starting process (the whole procedure once).
    pub async fn key_ring(&self, now: DateTime<Utc>) -> Result<KeyRing, RotationError> {
        let set = self.current(now).await?;
        Ok(KeyRing::new(set.signing, set.verifying)?)
    }

    /// The whole procedure on a running process: rotates if due and swaps `ring`'s keys. Returns
    /// the new key's id when the signing key changed.
    pub async fn check(
        &self,
        ring: &KeyRing,
        now: DateTime<Utc>,
    ) -> Result<Option<String>, RotationError> {
        let set = self.current(now).await?;
        let changed = set.signing.kid() != ring.keys().signing.kid();
        let kid = set.signing.kid().to_owned();
        ring.replace(set.signing, set.verifying)?;
        Ok(changed.then_some(kid))
    }

    /// Runs [`KeyRotation::check`] on `ring` every `every` of `clock` time until the task is
    /// aborted.
    pub fn spawn<R>(
        self,
        ring: Arc<R>,
        clock: Arc<dyn Clock>,
        every: chrono::Duration,
    ) -> tokio::task::JoinHandle<()>
    where
        R: AsRef<KeyRing> + Send + Sync + 'static,
    {
        tokio::spawn(async move {
            loop {
                let next = clock.now() + every;
                clock.sleep_until(next).await;
                match self.check((*ring).as_ref(), clock.now()).await {
                    Ok(Some(kid)) => tracing::info!(kid, "rotated the JWT signing key"),
                    Ok(None) => {}
                    Err(e) => {
                        tracing::error!(error = %e, "JWT key rotation failed; retrying later")
                    }
                }
            }
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn the_key_dir_is_private_and_adopts_the_legacy_key() {
        let data = tempfile::tempdir().unwrap();
        let legacy = SigningKey::generate().unwrap();
        legacy.save(&data.path().join(LEGACY_KEY_FILE)).unwrap();
        std::fs::create_dir(data.path().join(KEY_DIR)).unwrap();
        std::fs::set_permissions(
            data.path().join(KEY_DIR),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
        let dir = KeyDir::open(data.path()).unwrap();
        assert_eq!(mode(dir.path()), 0o700);
        assert!(!data.path().join(LEGACY_KEY_FILE).exists());
        let keys = dir.load_all().unwrap();
        assert_eq!(keys.len(), 1);
        assert_eq!(keys[0].kid(), legacy.kid());
        let fresh = SigningKey::generate().unwrap();
        dir.save(&fresh).unwrap();
        assert_eq!(
            mode(&dir.path().join(format!("{}.pem", fresh.kid()))),
            0o600
        );
        assert_eq!(dir.load_all().unwrap().len(), 2);
        dir.remove(fresh.kid()).unwrap();
        assert_eq!(dir.load_all().unwrap().len(), 1);
    }
}
