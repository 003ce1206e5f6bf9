//! Gates for the work that costs the most CPU and memory per request: password hashing (argon2id, 19 MiB a
//! hash) and PDF rendering (Typst). Each runs on a blocking thread, at most `size` at once; a request that
//! finds every slot taken waits in a queue for at most `queue_timeout`, then is refused with 503 and a
//! `Retry-After` header ([`ApiError::Busy`]) instead of piling up threads and memory. Under a deadline rush
//! the server then holds `size` hashes or documents in memory, not one per waiting client.
//!
//! The slot travels into the blocking task, so work whose client has gone away still holds it until the
//! work is done: the bound holds for the threads actually running, not only for the requests waiting.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::error::ApiError;

#[derive(Clone)]
pub struct Gate {
    name: &'static str,
    slots: Arc<Semaphore>,
    size: usize,
    queue_timeout: Duration,
}

impl Gate {
    /// `size` 0 means one slot per core the process may use.
    pub fn new(name: &'static str, size: usize, queue_timeout: Duration) -> Self {
        let size = if size == 0 { cores() } else { size };
        Self { name, slots: Arc::new(Semaphore::new(size)), size, queue_timeout }
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// Runs `work` on a blocking thread once a slot is free, or refuses with [`ApiError::Busy`] when none
    /// frees up within the queue timeout. A panic in `work` is a 500 like any bug.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, ApiError> {
        let slot = match tokio::time::timeout(self.queue_timeout, self.slots.clone().acquire_owned()).await {
            Ok(Ok(slot)) => slot,
            // The semaphore is never closed; a closed one would be a bug, not a busy server.
            Ok(Err(closed)) => return Err(ApiError::Internal(closed.into())),
            Err(_elapsed) => {
                tracing::warn!(gate = self.name, size = self.size, waited_ms = self.queue_timeout.as_millis() as u64, "gate queue timed out; request refused");
                return Err(ApiError::Busy { retry_after: self.retry_after() });
            }
        };
        tokio::task::spawn_blocking(move || {
            let _slot = slot;
            work()
        })
        .await
        .map_err(|e| ApiError::Internal(e.into()))
    }

    /// Seconds a refused client is asked to wait: about one queue's worth, never 0 (which would invite an
    /// immediate retry into the same queue).
    fn retry_after(&self) -> u64 {
        self.queue_timeout.as_secs_f64().ceil().max(1.0) as u64
    }
}

/// The cores this process may use (cgroup and affinity limits included), at least 1.
pub fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn refuses_with_retry_after_when_the_queue_wait_runs_out() {
        let gate = Gate::new("test", 1, Duration::from_millis(20));
        let (started_tx, started_rx) = tokio::sync::oneshot::channel();
        let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
        let busy = {
            let gate = gate.clone();
            tokio::spawn(async move {
                gate.run(move || {
                    started_tx.send(()).unwrap();
                    release_rx.recv().unwrap();
                    1
                })
                .await
            })
        };
        started_rx.await.unwrap();
        let refused = gate.run(|| 2).await.unwrap_err();
        assert!(matches!(refused, ApiError::Busy { retry_after: 1 }), "{refused:?}");
        release_tx.send(()).unwrap();
        assert_eq!(busy.await.unwrap().unwrap(), 1);
        assert_eq!(gate.run(|| 3).await.unwrap(), 3, "the slot is free again");
    }

    #[tokio::test]
    async fn zero_means_one_slot_per_core() {
        assert_eq!(Gate::new("test", 0, Duration::from_secs(1)).size(), cores());
        assert_eq!(Gate::new("test", 3, Duration::from_secs(1)).size(), 3);
    }
}
