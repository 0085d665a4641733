//! The bound on agent calls in flight (SDD §5.2: a semaphore of 64), resizable at runtime
//! when `concurrency.max_agents` changes.

use std::future::Future;
use std::sync::{Mutex, PoisonError};

use tokio::sync::Semaphore;

/// A semaphore whose size can change while permits are out: shrinking forgets free permits
/// at once and the rest as they come back.
#[derive(Debug)]
pub(crate) struct Limiter {
    permits: Semaphore,
    state: Mutex<LimitState>,
}

#[derive(Debug)]
struct LimitState {
    limit: u32,
    /// Permits still to forget after a shrink.
    debt: u32,
}

impl Limiter {
    pub(crate) fn new(limit: u32) -> Self {
        let limit = limit.max(1);
        Self {
            permits: Semaphore::new(limit as usize),
            state: Mutex::new(LimitState { limit, debt: 0 }),
        }
    }

    pub(crate) fn limit(&self) -> u32 {
        self.state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .limit
    }

    /// Sets the bound.
    pub(crate) fn resize(&self, limit: u32) {
        let limit = limit.max(1);
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        if limit == state.limit {
            return;
        }
        if limit > state.limit {
            let mut grow = limit - state.limit;
            // Paying off an outstanding shrink first.
            let paid = grow.min(state.debt);
            state.debt -= paid;
            grow -= paid;
            self.permits.add_permits(grow as usize);
        } else {
            let shrink = state.limit - limit;
            let forgotten =
                u32::try_from(self.permits.forget_permits(shrink as usize)).unwrap_or(0);
            state.debt += shrink - forgotten.min(shrink);
        }
        state.limit = limit;
    }

    /// Runs `call` holding one permit.
    pub(crate) async fn run<F: Future>(&self, call: F) -> F::Output {
        let _permit = loop {
            // The semaphore is never closed.
            let Ok(permit) = self.permits.acquire().await else {
                break None;
            };
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if state.debt > 0 {
                state.debt -= 1;
                permit.forget();
                continue;
            }
            break Some(permit);
        };
        call.await
    }

    /// Permits free now (for tests and the log).
    #[cfg(test)]
    pub(crate) fn available(&self) -> usize {
        self.permits.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn shrinking_with_permits_out_takes_effect_as_they_return() {
        let limiter = Limiter::new(4);
        let held: Vec<_> = (0..3)
            .filter_map(|_| limiter.permits.try_acquire().ok())
            .collect();
        assert_eq!(limiter.available(), 1);
        limiter.resize(2);
        assert_eq!(limiter.available(), 0, "the free one is forgotten at once");
        drop(held);
        assert_eq!(limiter.available(), 3, "returned permits come back ...");
        limiter.run(async {}).await;
        assert_eq!(
            limiter.available(),
            2,
            "... and the debt is paid on the next call"
        );
        limiter.resize(5);
        assert_eq!(limiter.available(), 5);
        assert_eq!(limiter.limit(), 5);
    }
}
