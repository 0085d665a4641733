//! [`FanOut`]: run one call per host across a fleet with a bounded number in flight (the
//! worker semaphore of SDD §11, default 64).

use std::future::Future;
use std::sync::Arc;

use futures_util::StreamExt;
use futures_util::stream::FuturesUnordered;
use tokio::sync::Semaphore;

/// A semaphore-bounded fan-out. Clones share the bound, so every fan-out started from one
/// `FanOut` (say, all of a worker's pollers) stays within it together.
#[derive(Debug, Clone)]
pub struct FanOut {
    permits: Arc<Semaphore>,
    limit: usize,
}

impl Default for FanOut {
    fn default() -> Self {
        Self::new(Self::DEFAULT_LIMIT)
    }
}

impl FanOut {
    /// The SDD's worker semaphore: 64 calls at once.
    pub const DEFAULT_LIMIT: usize = 64;

    /// A fan-out with at most `limit` calls in flight (at least 1).
    pub fn new(limit: usize) -> Self {
        let limit = limit.max(1);
        Self {
            permits: Arc::new(Semaphore::new(limit)),
            limit,
        }
    }

    /// The bound.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// Calls `f` for every item, at most [`limit`](Self::limit) at a time, and returns the
    /// results in the order of `items`. The futures run on the calling task (nothing is
    /// spawned, so `f` may borrow); spawn inside `f` to spread work over threads.
    pub async fn run<T, R, F, Fut>(&self, items: impl IntoIterator<Item = T>, mut f: F) -> Vec<R>
    where
        F: FnMut(T) -> Fut,
        Fut: Future<Output = R>,
    {
        let mut pending: FuturesUnordered<_> = items
            .into_iter()
            .enumerate()
            .map(|(index, item)| {
                let permits = self.permits.clone();
                let call = f(item);
                async move {
                    // The semaphore is never closed, so acquiring cannot fail; were it closed,
                    // the call would simply run unbounded.
                    let _permit = permits.acquire_owned().await.ok();
                    (index, call.await)
                }
            })
            .collect();
        let mut results: Vec<Option<R>> = (0..pending.len()).map(|_| None).collect();
        while let Some((index, result)) = pending.next().await {
            if let Some(slot) = results.get_mut(index) {
                *slot = Some(result);
            }
        }
        results.into_iter().flatten().collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    #[tokio::test]
    async fn bounded_and_ordered() {
        let fan = FanOut::new(3);
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let results = fan
            .run(0..20u64, |i| {
                let running = running.clone();
                let peak = peak.clone();
                async move {
                    let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                    peak.fetch_max(now, Ordering::SeqCst);
                    tokio::time::sleep(Duration::from_millis(20 - i)).await;
                    running.fetch_sub(1, Ordering::SeqCst);
                    i * 2
                }
            })
            .await;
        assert_eq!(results, (0..20).map(|i| i * 2).collect::<Vec<_>>());
        assert_eq!(peak.load(Ordering::SeqCst), 3);
        assert_eq!(FanOut::default().limit(), 64);
    }
}
