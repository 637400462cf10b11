//! When a request's DataLoaders take their batches.
//!
//! A DataLoader collects the keys its resolvers ask for and loads them in
//! one statement, in a task it hands to a spawner. Spawned onto the runtime,
//! that task can run while the request still has resolvers to poll: futures'
//! `FuturesUnordered` yields to the executor after polling each of its
//! children once, and under load the loader's task can be scheduled before
//! the request's is again. The batch is then taken half-full and a level
//! costs several statements (the figures: docs/performance.md).
//!
//! So the loaders' tasks are not spawned. They are queued here and the
//! request's future drives them itself, starting them only once execution
//! cannot go further without them: when it returns `Pending` without having
//! woken itself. By then every resolver of the level has registered its key.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesUnordered, StreamExt};
use futures_util::task::AtomicWaker;

/// Where a request's loaders put their batch tasks.
#[derive(Clone, Default)]
pub struct BatchScheduler {
    queued: Arc<Mutex<Vec<BoxFuture<'static, ()>>>>,
}

impl BatchScheduler {
    /// The spawner to give `DataLoader::new`.
    pub fn spawner(&self) -> impl Fn(BoxFuture<'static, ()>) + Send + Sync + 'static {
        let queued = self.queued.clone();
        move |task| queued.lock().unwrap_or_else(|e| e.into_inner()).push(task)
    }

    /// Runs `execution` with the batch tasks its loaders queue.
    pub fn run<F: Future>(self, execution: F) -> Run<F> {
        Run {
            execution: Box::pin(execution),
            waker: Arc::new(ExecutionWaker::default()),
            queued: self.queued,
            running: FuturesUnordered::new(),
        }
    }
}

/// Records whether execution woke itself while it was being polled, and
/// passes wakes from elsewhere (a batch's results, a database reply) on to
/// the request's task.
#[derive(Default)]
struct ExecutionWaker {
    woken: AtomicBool,
    in_poll: AtomicBool,
    task: AtomicWaker,
}

impl Wake for ExecutionWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        // Inside `Run::poll` the flag is seen before it returns; waking the
        // task as well would only cost it a second, idle poll.
        if !self.in_poll.load(Ordering::SeqCst) {
            self.task.wake();
        }
    }
}

/// The future `BatchScheduler::run` returns.
pub struct Run<F: Future> {
    execution: Pin<Box<F>>,
    waker: Arc<ExecutionWaker>,
    queued: Arc<Mutex<Vec<BoxFuture<'static, ()>>>>,
    running: FuturesUnordered<BoxFuture<'static, ()>>,
}

impl<F: Future> Future for Run<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        this.waker.task.register(cx.waker());
        this.waker.in_poll.store(true, Ordering::SeqCst);
        let execution_waker = Waker::from(this.waker.clone());
        loop {
            // Execution first, for as long as it makes progress by itself.
            this.waker.woken.store(false, Ordering::SeqCst);
            if let Poll::Ready(output) = this.execution.as_mut().poll(&mut Context::from_waker(&execution_waker)) {
                this.waker.in_poll.store(false, Ordering::SeqCst);
                return Poll::Ready(output);
            }
            // Woken by itself: `FuturesUnordered` yielding after a round of
            // its children, with more of them ready. It is polled again at
            // once rather than after a trip through the scheduler: the work
            // between two waits on data is bounded by the query limits, and
            // handing the thread over here let other requests' loaders in
            // and, measured, still split batches.
            if this.waker.woken.load(Ordering::SeqCst) {
                continue;
            }

            // Execution waits on data: every key of this level is queued.
            this.running.extend(std::mem::take(
                &mut *this.queued.lock().unwrap_or_else(|e| e.into_inner()),
            ));
            let mut finished = false;
            while let Poll::Ready(Some(())) = this.running.poll_next_unpin(cx) {
                finished = true;
            }
            if finished || this.waker.woken.load(Ordering::SeqCst) {
                continue;
            }

            // Nothing to do until a wake. One that came in between the
            // check above and this store is caught by the check after it.
            this.waker.in_poll.store(false, Ordering::SeqCst);
            if this.waker.woken.load(Ordering::SeqCst) {
                this.waker.in_poll.store(true, Ordering::SeqCst);
                continue;
            }
            return Poll::Pending;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::time::Duration;

    use async_graphql::dataloader::{DataLoader, Loader};

    use super::*;

    /// Records the size of every batch it is asked to load.
    struct BatchSizes(Arc<Mutex<Vec<usize>>>);

    impl Loader<i32> for BatchSizes {
        type Value = i32;
        type Error = ();

        async fn load(&self, keys: &[i32]) -> Result<HashMap<i32, i32>, ()> {
            self.0.lock().unwrap().push(keys.len());
            Ok(keys.iter().map(|&k| (k, k * 10)).collect())
        }
    }

    /// Pending once, having woken itself: what `FuturesUnordered` does when
    /// it yields in the middle of a level. The thread is busy meanwhile, as
    /// it is with other requests on a loaded server.
    struct YieldOnce(bool);

    impl Future for YieldOnce {
        type Output = ();
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            if self.0 {
                return Poll::Ready(());
            }
            self.0 = true;
            std::thread::sleep(Duration::from_millis(1));
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    #[tokio::test(flavor = "current_thread")]
    async fn a_level_is_one_batch_even_when_its_resolvers_yield_between_keys() {
        let sizes = Arc::new(Mutex::new(Vec::new()));
        let scheduler = BatchScheduler::default();
        let loader = Arc::new(DataLoader::new(BatchSizes(sizes.clone()), scheduler.spawner()).delay(Duration::ZERO));
        // Resolver k yields k times before it asks for its key.
        let level = futures_util::future::join_all((0..10).map(|k| {
            let loader = loader.clone();
            async move {
                for _ in 0..k {
                    YieldOnce(false).await;
                }
                loader.load_one(k).await
            }
        }));
        let values = scheduler.run(level).await;
        assert_eq!(values, (0..10).map(|k| Ok(Some(k * 10))).collect::<Vec<_>>());
        assert_eq!(*sizes.lock().unwrap(), vec![10]);
    }
}
