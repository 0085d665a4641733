//! The store's error type: what went wrong, in terms the caller can act on.

use lpm_core::ValidationError;
use lpm_core::job::TransitionError;
use lpm_core::ports::QueueError;
use thiserror::Error;

/// A store operation failed; nothing was changed.
#[derive(Debug, Error)]
pub enum StoreError {
    /// No such row, or the row is outside the caller's scope (indistinguishable on purpose).
    #[error("{what} not found")]
    NotFound {
        /// What was looked for.
        what: &'static str,
    },
    /// The caller reaches the thing but not everything it touches (HTTP 403).
    #[error("{what} reaches hosts outside your groups")]
    OutOfScope {
        /// What was refused.
        what: &'static str,
    },
    /// A unique value is already taken (a host name, a group name, a username).
    #[error("{what} already exists")]
    Conflict {
        /// What collided.
        what: &'static str,
    },
    /// Input was rejected before anything was written.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// A value failed a domain validation.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The change is not a legal state transition.
    #[error(transparent)]
    IllegalTransition(#[from] TransitionError),
    /// The job-host row's lease was taken over by another worker; drop the work.
    #[error("stale lease: another worker has taken over job host {job_host}")]
    StaleLease {
        /// The row.
        job_host: i64,
    },
    /// The schema is not at the version this build expects.
    #[error("database schema is at version {found:?}, this build needs {expected}")]
    SchemaMismatch {
        /// The newest applied migration, if any.
        found: Option<i64>,
        /// The newest migration this build embeds.
        expected: i64,
    },
    /// The store is misconfigured (a bad URL).
    #[error("store configuration: {0}")]
    Config(String),
    /// Stored data could not be decoded: a bug or a hand-edited database.
    #[error("corrupt stored data: {0}")]
    Corrupt(String),
    /// The database failed or is unreachable.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Applying migrations failed.
    #[error("migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
}

impl StoreError {
    /// Whether the store was too busy to answer in time (every pooled connection stayed in use
    /// for the whole acquire timeout): overload, not a fault, so worth retrying later.
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Database(sqlx::Error::PoolTimedOut))
    }

    pub(crate) fn config(message: String) -> Self {
        Self::Config(message)
    }

    pub(crate) fn invalid(field: &'static str, reason: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            reason: reason.into(),
        }
    }

    pub(crate) fn corrupt(what: impl std::fmt::Display) -> Self {
        Self::Corrupt(what.to_string())
    }

    /// Maps a unique-constraint violation to [`StoreError::Conflict`].
    pub(crate) fn unique(err: sqlx::Error, what: &'static str) -> Self {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => Self::Conflict { what },
            _ => Self::Database(err),
        }
    }
}

impl From<StoreError> for QueueError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::StaleLease { job_host } => match lpm_core::ids::JobHostId::new(job_host) {
                Ok(id) => QueueError::StaleLease(id),
                Err(_) => QueueError::Unavailable("stale lease on an invalid row id".into()),
            },
            StoreError::IllegalTransition(t) => QueueError::IllegalTransition(t),
            other => QueueError::Unavailable(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_exhausted_pool_is_busy() {
        assert!(StoreError::Database(sqlx::Error::PoolTimedOut).is_busy());
        assert!(!StoreError::Database(sqlx::Error::PoolClosed).is_busy());
        assert!(!StoreError::NotFound { what: "host" }.is_busy());
    }
}
