//! The production clock: lpm-core reads time only through its `Clock` port, and this is the
//! one place the real time enters.

use chrono::{DateTime, Utc};
use lpm_core::ports::{BoxFuture, Clock};

/// The system clock, sleeping with tokio.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> BoxFuture<'_, ()> {
        let wait = (deadline - Utc::now()).to_std().unwrap_or_default();
        Box::pin(tokio::time::sleep(wait))
    }
}
