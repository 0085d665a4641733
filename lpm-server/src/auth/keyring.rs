//! The live set of JWT keys of a web process: the one it signs with and every published key it
//! still accepts. Swapped whole on rotation, so a request reads a consistent pair without a lock
//! held across an await.

use std::sync::{Arc, RwLock};

use chrono::{DateTime, Utc};

use super::{AuthError, SigningKey, Verifier, VerifyingKey};

/// The signing key and the verifier, replaceable at runtime.
#[derive(Debug)]
pub struct KeyRing {
    current: RwLock<Arc<Keys>>,
}

/// One consistent view of the keys.
#[derive(Debug)]
pub struct Keys {
    /// The key new tokens are signed with.
    pub signing: SigningKey,
    /// Checks tokens of every key still published.
    pub verifier: Verifier,
}

impl KeyRing {
    /// A ring that signs with `signing` and accepts `published` (which should include it).
    pub fn new(
        signing: SigningKey,
        published: impl IntoIterator<Item = VerifyingKey>,
    ) -> Result<Self, AuthError> {
        Ok(Self {
            current: RwLock::new(Arc::new(Keys {
                verifier: Verifier::new(published)?,
                signing,
            })),
        })
    }

    /// A ring with one fresh key accepted until `verify_until`: for tests and one-off tools
    /// (the key is not published anywhere).
    pub fn ephemeral(verify_until: DateTime<Utc>) -> Result<Self, AuthError> {
        let signing = SigningKey::generate()?;
        let published = [signing.verifying_key(verify_until)];
        Self::new(signing, published)
    }

    /// The keys now.
    pub fn keys(&self) -> Arc<Keys> {
        match self.current.read() {
            Ok(guard) => Arc::clone(&guard),
            // A writer panicked mid-swap; the Arc inside is still whole.
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Replaces the keys (after a rotation, or when another process published a new key).
    pub fn replace(
        &self,
        signing: SigningKey,
        published: impl IntoIterator<Item = VerifyingKey>,
    ) -> Result<(), AuthError> {
        let keys = Arc::new(Keys {
            verifier: Verifier::new(published)?,
            signing,
        });
        match self.current.write() {
            Ok(mut guard) => *guard = keys,
            Err(poisoned) => *poisoned.into_inner() = keys,
        }
        Ok(())
    }
}
