//! [`IdempotencyKey`]: the validated value of the `Idempotency-Key` header.

use std::fmt;

use crate::ClientError;

/// An idempotency key: 1–255 visible ASCII characters (a UUID or ULID in practice). The agent
/// answers a repeated request carrying the same key with the job the first one started.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Validates a key.
    pub fn new(key: &str) -> Result<Self, ClientError> {
        if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(ClientError::InvalidRequest(format!(
                "idempotency key {key:?} must be 1 to 255 visible ASCII characters"
            )));
        }
        Ok(Self(key.to_owned()))
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<&str> for IdempotencyKey {
    type Error = ClientError;
    fn try_from(key: &str) -> Result<Self, Self::Error> {
        Self::new(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_validated() {
        assert!(IdempotencyKey::new("01JDX3Q7ZK8M9N0P1Q2R3S4T5V").is_ok());
        assert!(IdempotencyKey::new("").is_err());
        assert!(IdempotencyKey::new("a b").is_err());
        assert!(IdempotencyKey::new("a\nb").is_err());
        assert!(IdempotencyKey::new(&"k".repeat(256)).is_err());
    }
}
