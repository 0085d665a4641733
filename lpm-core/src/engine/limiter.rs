//! The bound on agent calls in flight (SDD §5.2: a semaphore of 64), resizable at runtime
//! when `concurrency.max_agents` changes, with precedence for the calls that send work.
//!
//! When a window opens for thousands of hosts, the calls that send each row's work compete
//! with the calls that follow rows already sent and poll their hosts afterwards. Sending is
//! what must happen while the window is open, so sending calls ([`Limiter::run_urgent`]) go
//! first: other calls wait while any sending call waits for a permit.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

use tokio::sync::{Notify, Semaphore, SemaphorePermit};

/// A semaphore whose size can change while permits are out: shrinking forgets free permits
/// at once and the rest as they come back.
#[derive(Debug)]
pub(crate) struct Limiter {
    permits: Semaphore,
    state: Mutex<LimitState>,
    /// Sending calls waiting for a permit.
    urgent: AtomicUsize,
    /// Notified when the last waiting sending call got its permit.
    urgent_served: Notify,
    /// Notified (one waiter) when a permit comes back.
    released: Notify,
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
            urgent: AtomicUsize::new(0),
            urgent_served: Notify::new(),
            released: Notify::new(),
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

    /// Runs a call that sends work, holding one permit: it queues for the next free permit
    /// ahead of every other call.
    pub(crate) async fn run_urgent<F: Future>(&self, call: F) -> F::Output {
        self.urgent.fetch_add(1, Ordering::SeqCst);
        let permit = self.acquire().await;
        if self.urgent.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.urgent_served.notify_waiters();
        }
        let output = call.await;
        self.release(permit);
        output
    }

    /// Runs `call` holding one permit, taken only when no call that sends work is waiting.
    /// Such calls never queue in the semaphore: a permit that comes back goes to a waiting
    /// sending call first.
    pub(crate) async fn run<F: Future>(&self, call: F) -> F::Output {
        let permit = loop {
            let released = self.released.notified();
            let served = self.urgent_served.notified();
            tokio::pin!(released, served);
            released.as_mut().enable();
            served.as_mut().enable();
            if self.urgent.load(Ordering::SeqCst) == 0
                && let Some(permit) = self.try_acquire()
            {
                break permit;
            }
            tokio::select! {
                () = released => {}
                () = served => {}
            }
        };
        let output = call.await;
        self.release(permit);
        output
    }

    fn release(&self, permit: Option<SemaphorePermit<'_>>) {
        drop(permit);
        // One waiting ordinary call tries again (sending calls are handed permits by the
        // semaphore itself).
        self.released.notify_one();
    }

    fn try_acquire(&self) -> Option<Option<SemaphorePermit<'_>>> {
        loop {
            let permit = self.permits.try_acquire().ok()?;
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if state.debt > 0 {
                state.debt -= 1;
                permit.forget();
                continue;
            }
            return Some(Some(permit));
        }
    }

    async fn acquire(&self) -> Option<SemaphorePermit<'_>> {
        loop {
            // The semaphore is never closed.
            let Ok(permit) = self.permits.acquire().await else {
                return None;
            };
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if state.debt > 0 {
                state.debt -= 1;
                permit.forget();
                continue;
            }
            return Some(permit);
        }
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
    #[allow(clippy::disallowed_methods)] // the test's own tasks, not the engine's
    async fn calls_that_send_work_go_first() {
        use std::sync::Arc;
        let limiter = Arc::new(Limiter::new(1));
        let order = Arc::new(Mutex::new(Vec::new()));
        let held = limiter.permits.try_acquire().ok();
        let mut tasks = Vec::new();
        // Two ordinary calls wait first, then two sending calls.
        for (name, urgent) in [
            ("poll-1", false),
            ("poll-2", false),
            ("send-1", true),
            ("send-2", true),
        ] {
            let limiter = limiter.clone();
            let order = order.clone();
            tasks.push(tokio::spawn(async move {
                let record = async {
                    order
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push(name);
                    tokio::task::yield_now().await;
                };
                if urgent {
                    limiter.run_urgent(record).await;
                } else {
                    limiter.run(record).await;
                }
            }));
            for _ in 0..3 {
                tokio::task::yield_now().await;
            }
        }
        drop(held);
        limiter.released.notify_one();
        for task in tasks {
            let _ = task.await;
        }
        let order = order.lock().unwrap_or_else(PoisonError::into_inner).clone();
        assert_eq!(order[..2], ["send-1", "send-2"], "{order:?}");
        assert_eq!(limiter.available(), 1);
    }

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
