//! Gates for the work that costs the most CPU and memory per request: password hashing (argon2id, 19 MiB a
//! hash) and PDF rendering (Typst). A gate owns `size` worker threads (one per core by default) and runs
//! each piece of work on one of them; a request that finds every worker busy waits in a queue for at most
//! `queue_timeout`, then is refused with 503 and a `Retry-After` header ([`ApiError::Busy`]) instead of
//! piling up threads and memory. Under a deadline rush the server then holds `size` hashes or documents in
//! memory, not one per waiting client.
//!
//! Dedicated threads rather than tokio's blocking pool: the pool runs each task on whichever of its (up to
//! 512) threads is idle, so every thread's allocator cache ends up holding pieces of 19 MiB hashes and
//! Typst layouts; a gate's few threads reuse their own memory from one job to the next.
//!
//! The slot travels with the work, so work whose client has gone away still holds it until the work is
//! done: the bound holds for the work actually running, not only for the requests waiting.

use std::panic::AssertUnwindSafe;
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::Semaphore;

use crate::error::ApiError;

type Job = Box<dyn FnOnce() + Send>;

#[derive(Clone)]
pub struct Gate {
    name: &'static str,
    slots: Arc<Semaphore>,
    size: usize,
    queue_timeout: Duration,
    /// To the workers; they stop when the last clone of the gate is dropped.
    jobs: mpsc::Sender<Job>,
}

/// Typst lays out nested content recursively; the main thread's 8 MiB, of which only what is used is
/// resident.
const WORKER_STACK_BYTES: usize = 8 * 1024 * 1024;

impl Gate {
    /// `size` 0 means one worker per core the process may use.
    pub fn new(name: &'static str, size: usize, queue_timeout: Duration) -> Self {
        let size = if size == 0 { cores() } else { size };
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for i in 0..size {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("{name}-{i}"))
                .stack_size(WORKER_STACK_BYTES)
                .spawn(move || work(&queue))
                .expect("the system can start a worker thread");
        }
        Self { name, slots: Arc::new(Semaphore::new(size)), size, queue_timeout, jobs }
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// Runs `work` on one of the gate's threads once one is free, or refuses with [`ApiError::Busy`] when
    /// none frees up within the queue timeout. A panic in `work` is a 500 like any bug; the thread goes on.
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
        let (done, outcome) = tokio::sync::oneshot::channel();
        let job: Job = Box::new(move || {
            let result = std::panic::catch_unwind(AssertUnwindSafe(work));
            drop(slot);
            let _ = done.send(result);
        });
        self.jobs.send(job).map_err(|_| ApiError::Internal(anyhow::anyhow!("{} workers have stopped", self.name)))?;
        match outcome.await {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_panic)) => Err(ApiError::Internal(anyhow::anyhow!("{} work panicked", self.name))),
            Err(_) => Err(ApiError::Internal(anyhow::anyhow!("{} worker dropped the work", self.name))),
        }
    }

    /// Seconds a refused client is asked to wait: about one queue's worth, never 0 (which would invite an
    /// immediate retry into the same queue).
    fn retry_after(&self) -> u64 {
        self.queue_timeout.as_secs_f64().ceil().max(1.0) as u64
    }
}

/// A worker: takes the next job until the gate is gone.
fn work(queue: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        let next = queue.lock().map(|q| q.recv());
        match next {
            Ok(Ok(job)) => job(),
            _ => return,
        }
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
        let (release_tx, release_rx) = mpsc::channel::<()>();
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
    async fn work_runs_on_the_gates_own_threads_and_survives_a_panic() {
        let gate = Gate::new("pdf_rendering", 2, Duration::from_secs(5));
        let name = gate.run(|| std::thread::current().name().map(str::to_string)).await.unwrap();
        assert!(name.is_some_and(|n| n.starts_with("pdf_rendering-")));
        let err = gate.run(|| -> u8 { panic!("a bug") }).await.unwrap_err();
        assert!(matches!(err, ApiError::Internal(_)), "{err:?}");
        for i in 0..4 {
            assert_eq!(gate.run(move || i * 2).await.unwrap(), i * 2, "both workers still serve");
        }
    }

    #[tokio::test]
    async fn zero_means_one_worker_per_core() {
        assert_eq!(Gate::new("test", 0, Duration::from_secs(1)).size(), cores());
        assert_eq!(Gate::new("test", 3, Duration::from_secs(1)).size(), 3);
    }
}
