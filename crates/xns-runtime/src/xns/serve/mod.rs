//! The XNS activities: they run on the caller's worker, call the target
//! namespace with its client, and heartbeat while they wait.
//!
//! Waiting costs nothing but heartbeats: one long poll (the SDK's
//! `get_result`, or the update poll) in flight per call, raced with a
//! heartbeat timer and the activity's cancellation; no polling loop.
//!
//! Cancellation has three causes the SDK does not tell apart: the caller
//! cancelled the call (or closed), the worker is shutting down, or a local
//! timeout. The activity asks the server which one it is (one describe of
//! the calling workflow): only when the caller really asked, or is gone,
//! is the parent close policy applied to the remote workflow; otherwise
//! the activity fails with the retryable `WorkerStopped` and the next
//! attempt re-attaches through the progress kept in heartbeat details.

mod convert;
mod ops;
mod progress;

use std::borrow::Cow;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::Duration;

use futures::future::BoxFuture;
use temporalio_client::{Client, WorkflowDescribeOptions};
use temporalio_common::data_converters::{TemporalDeserializable, TemporalSerializable};
use temporalio_common::protos::temporal::api::enums::v1::{
    PendingActivityState, WorkflowExecutionStatus,
};
use temporalio_common::{ActivityDefinition, HasWorkflowDefinition, WorkflowDefinition};
use temporalio_sdk::activities::{
    ActivityContext, ActivityDefinitions, ActivityError, ActivityImplementer, ExecutableActivity,
};

use self::progress::Progress;
use crate::client::ClientError;
use crate::payload::Empty;
use crate::worker::registry::activity_type;

pub use convert::{ErrorConverter, default_error_converter, error_types};
pub use ops::{
    CancelWorkflow, GetWorkflow, Query, Signal, SignalWithStart, StartWorkflow, TerminateWorkflow,
    Update, UpdateWithStart,
};

/// Error type of a failure that is the worker's, not the call's: the
/// worker is shutting down. Retryable; the next attempt re-attaches.
pub const WORKER_STOPPED: &str = "WorkerStopped";
/// Error type of an XNS input that cannot be read.
pub const INVALID_ARGUMENT: &str = "InvalidArgument";
/// Heartbeat interval when a request carries none (Go's default).
const FALLBACK_HEARTBEAT_INTERVAL: Duration = Duration::from_secs(60);

/// How many waits of one registration poll the target namespace at once,
/// by default ([`Target::max_waits`]).
pub const DEFAULT_MAX_WAITS: usize = 1000;
/// How long a wait keeps polling while other waits queue for a turn.
const WAIT_TURN: Duration = Duration::from_secs(10);

/// What the XNS activities of one registration share: the client of the
/// target namespace, the error converter, and the turns of the waits.
pub struct Target {
    client: Client,
    converter: ErrorConverter,
    waits: WaitTurns,
}

impl Target {
    /// A target over `client` (bound to the target namespace), with at
    /// most [`DEFAULT_MAX_WAITS`] waits polling at once.
    pub fn new(client: Client, converter: ErrorConverter) -> Self {
        Self {
            client,
            converter,
            waits: WaitTurns::new(DEFAULT_MAX_WAITS, WAIT_TURN),
        }
    }

    /// At most `max` waits (a remote run's result, an update's outcome)
    /// poll the target namespace at once; the others queue and take turns.
    /// Each poll is a long poll, and the server caps those per namespace
    /// (`frontend.namespaceCount`, 1,200 per frontend by default) for
    /// every client and worker of the namespace together: past the cap it
    /// refuses polls, the target namespace's own workers' included.
    pub fn max_waits(mut self, max: usize) -> Self {
        self.waits = WaitTurns::new(max, WAIT_TURN);
        self
    }

    /// The target namespace's client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    fn convert(&self, error: ClientError) -> ActivityError {
        (self.converter)(error)
    }
}

impl std::fmt::Debug for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Target").finish_non_exhaustive()
    }
}

impl ActivityImplementer for Target {
    fn register_all(self: Arc<Self>, _: &mut ActivityDefinitions) {
        // XNS activities are registered one by one, by name (see `Task`).
    }
}

/// One kind of XNS activity: how its input is served against the target.
pub trait Operation: Send + Sync + 'static {
    /// Activity input.
    type Input: TemporalSerializable + TemporalDeserializable + Send + Sync + 'static;
    /// Activity output.
    type Output: TemporalSerializable + TemporalDeserializable + Send + Sync + 'static;
    /// Serves one attempt.
    fn serve(
        target: Arc<Target>,
        ctx: ActivityContext,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, ActivityError>>;
}

/// The activity definition of an XNS operation under one name: callers
/// schedule it, workers register it (the name is the one being registered,
/// see [`activity_type`]).
pub struct Task<Op> {
    name: Cow<'static, str>,
    _op: PhantomData<fn() -> Op>,
}

impl<Op> Task<Op> {
    /// The activity named `name`.
    pub fn named(name: impl Into<Cow<'static, str>>) -> Self {
        Self {
            name: name.into(),
            _op: PhantomData,
        }
    }
}

impl<Op: Operation> ActivityDefinition for Task<Op> {
    type Input = Op::Input;
    type Output = Op::Output;
    fn name(&self) -> &str {
        &self.name
    }
}

impl<Op: Operation> ExecutableActivity for Task<Op> {
    type Implementer = Target;
    const REQUIRES_INSTANCE: bool = true;

    fn definition() -> Self {
        Self::named(activity_type())
    }

    fn execute(
        receiver: Option<Arc<Target>>,
        ctx: ActivityContext,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, ActivityError>> {
        match receiver {
            Some(target) => Op::serve(target, ctx, input),
            None => Box::pin(async {
                Err(non_retryable(
                    "XNS activity registered without its target client",
                    INVALID_ARGUMENT,
                ))
            }),
        }
    }
}

/// A non-retryable application error of type `type_name`.
pub(crate) fn non_retryable(message: impl Into<String>, type_name: &str) -> ActivityError {
    let message: String = message.into();
    ActivityError::Application(Box::new(
        temporalio_common::error::ApplicationFailure::builder(message)
            .type_name(type_name.to_string())
            .non_retryable(true)
            .build(),
    ))
}

fn worker_stopped() -> ActivityError {
    ActivityError::Application(Box::new(
        temporalio_common::error::ApplicationFailure::builder(
            "the worker is stopping; the next attempt re-attaches to the remote call".to_string(),
        )
        .type_name(WORKER_STOPPED.to_string())
        .non_retryable(false)
        .build(),
    ))
}

/// How a wait ended.
enum Waited<T> {
    Done(T),
    Cancelled,
}

/// The longest heartbeat period: a request may carry any interval (up to the
/// protobuf maximum of 10,000 years), and a clock instant that far ahead
/// overflows. Heartbeating once a day is the same as not heartbeating.
const MAX_HEARTBEAT_INTERVAL: Duration = Duration::from_secs(24 * 60 * 60);

/// The period to heartbeat at for a requested `interval`: the fallback for
/// zero (unset), at most [`MAX_HEARTBEAT_INTERVAL`].
fn heartbeat_period(interval: Duration) -> Duration {
    if interval.is_zero() {
        FALLBACK_HEARTBEAT_INTERVAL
    } else {
        interval.min(MAX_HEARTBEAT_INTERVAL)
    }
}

/// Awaits `fut` while heartbeating `progress` every `interval`, until it
/// completes or the activity is cancelled.
async fn wait_heartbeating<T>(
    ctx: &ActivityContext,
    interval: Duration,
    progress: &Progress,
    fut: impl Future<Output = T>,
) -> Waited<T> {
    let interval = heartbeat_period(interval);
    let mut ticker = tokio::time::interval_at(tokio::time::Instant::now() + interval, interval);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut fut = std::pin::pin!(fut);
    loop {
        tokio::select! {
            biased;
            out = &mut fut => return Waited::Done(out),
            () = ctx.cancelled() => return Waited::Cancelled,
            _ = ticker.tick() => progress.record(ctx).await,
        }
    }
}

/// Whether the error of a wait (a remote run's result, an update's
/// outcome) is the server's, for now: it is unavailable (restarting, say)
/// or it refuses one more concurrent long poll in the target namespace
/// (`ResourceExhausted`, "namespace concurrent poller limit exceeded": the
/// server's `frontend.namespaceCount`, 1,200 per frontend by default, caps
/// the long polls of a namespace, and every call in flight holds one).
/// The client has retried it for about 10 s already.
fn is_transient(error: &ClientError) -> bool {
    use temporalio_client::errors::{WorkflowGetResultError, WorkflowUpdateError};
    use temporalio_client::tonic::Code;
    let status = match error {
        ClientError::Result {
            source: WorkflowGetResultError::Rpc(status),
            ..
        }
        | ClientError::Update {
            source: WorkflowUpdateError::Rpc(status),
            ..
        } => status,
        _ => return false,
    };
    match status.code() {
        Code::Unavailable => true,
        // Not a message too large for gRPC: that one stays.
        Code::ResourceExhausted => !status.message().contains("larger than max"),
        _ => false,
    }
}

/// The pause before waiting again after `failures` transient errors in a
/// row: 1 s, doubling up to 10 s, scaled by `jitter` (0.8 to 1.2) so that
/// calls refused together do not come back together.
fn transient_pause(failures: u32, jitter: f64) -> Duration {
    let base = Duration::from_secs(1u64 << failures.saturating_sub(1).min(4));
    base.min(Duration::from_secs(10))
        .mul_f64(jitter.clamp(0.8, 1.2))
}

/// A random factor between 0.8 and 1.2.
fn jitter() -> f64 {
    let unit = (uuid::Uuid::new_v4().as_u128() >> 75) as f64 / (1u64 << 53) as f64;
    0.8 + 0.4 * unit
}

/// The outcome of `wait()`, waited for again after a pause while it fails
/// transiently ([`is_transient`]). Failing the attempt instead would make
/// the activity retry with its own backoff (up to 100 s by default), so
/// that past the server's long-poll cap calls churned through attempts and
/// learned of their results minutes late. The wait runs inside
/// [`wait_heartbeating`], which heartbeats and watches for cancellation
/// meanwhile.
async fn retry_transient<T, F, Fut>(
    mut wait: F,
    pause: impl Fn(u32) -> Duration,
) -> Result<T, ClientError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, ClientError>>,
{
    let mut failures = 0;
    loop {
        match wait().await {
            Err(error) if is_transient(&error) => {
                failures += 1;
                tokio::time::sleep(pause(failures)).await;
            }
            outcome => return outcome,
        }
    }
}

/// `wait()` in the target's turns ([`WaitTurns`]), through transient
/// errors ([`retry_transient`] with the jittered [`transient_pause`]).
async fn wait_in_turns<T, F, Fut>(target: &Target, wait: F) -> Result<T, ClientError>
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<T, ClientError>>,
{
    target
        .waits
        .wait(|| retry_transient(&wait, |failures| transient_pause(failures, jitter())))
        .await
}

/// Turns of the waits of one [`Target`]: at most `max` poll at once. A
/// wait polls for as long as it needs while nobody queues; once others
/// queue, it gives its slot up after a turn of `turn` and queues again
/// (the queue is first come, first served), so that every call learns of
/// its result within a few turns, without a poll the server would refuse.
struct WaitTurns {
    slots: tokio::sync::Semaphore,
    queued: std::sync::atomic::AtomicUsize,
    turn: Duration,
}

/// Counts a wait as queued while it lives.
struct Queued<'a>(&'a std::sync::atomic::AtomicUsize);

impl<'a> Queued<'a> {
    fn new(count: &'a std::sync::atomic::AtomicUsize) -> Self {
        count.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Self(count)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl WaitTurns {
    fn new(max: usize, turn: Duration) -> Self {
        Self {
            slots: tokio::sync::Semaphore::new(max.clamp(1, tokio::sync::Semaphore::MAX_PERMITS)),
            queued: std::sync::atomic::AtomicUsize::new(0),
            turn,
        }
    }

    fn queued(&self) -> usize {
        self.queued.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The outcome of `wait()` (a poll that ends when the outcome is in),
    /// polled in turns.
    async fn wait<T, F, Fut>(&self, mut wait: F) -> Result<T, ClientError>
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Result<T, ClientError>>,
    {
        loop {
            let slot = {
                let _queued = Queued::new(&self.queued);
                // The semaphore is never closed; should it be, poll anyway.
                self.slots.acquire().await.ok()
            };
            let mut poll = std::pin::pin!(wait());
            loop {
                tokio::select! {
                    outcome = &mut poll => return outcome,
                    () = tokio::time::sleep(self.turn) => {
                        if self.queued() > 0 {
                            break;
                        }
                    }
                }
            }
            // Dropping the poll cancels its request; the slot goes to the
            // first in the queue, and this wait queues behind the others.
            drop(slot);
        }
    }
}

/// Why the activity was cancelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CancelCause {
    /// The caller asked (or the calling workflow is gone).
    Caller,
    /// The worker is stopping or the attempt timed out locally.
    Worker,
}

/// The calling workflow, for describing it.
#[derive(Debug, Clone, Copy, Default)]
struct CallerWorkflow;

impl WorkflowDefinition for CallerWorkflow {
    type Input = Empty;
    type Output = Empty;
    fn name(&self) -> &str {
        ""
    }
}

impl HasWorkflowDefinition for CallerWorkflow {
    type Run = Self;
}

/// Asks the caller's namespace why this attempt was cancelled.
async fn cancel_cause(ctx: &ActivityContext) -> CancelCause {
    let Some(handle) = ctx.workflow_handle::<CallerWorkflow>() else {
        return CancelCause::Caller;
    };
    let Ok(description) = handle.describe(WorkflowDescribeOptions::default()).await else {
        // Unknown: leave the remote workflow alone and let a retry decide.
        return CancelCause::Worker;
    };
    let raw = &description.raw_description;
    let running = raw
        .workflow_execution_info
        .as_ref()
        .is_some_and(|i| i.status() == WorkflowExecutionStatus::Running);
    if !running {
        return CancelCause::Caller;
    }
    let activity_id = &ctx.info().activity_id;
    let requested = raw.pending_activities.iter().any(|a| {
        &a.activity_id == activity_id && a.state() == PendingActivityState::CancelRequested
    });
    if requested {
        CancelCause::Caller
    } else {
        CancelCause::Worker
    }
}

/// The error to return for a cancellation that is not the caller's.
async fn cancelled(ctx: &ActivityContext) -> ActivityError {
    match cancel_cause(ctx).await {
        CancelCause::Caller => ActivityError::cancelled(),
        CancelCause::Worker => worker_stopped(),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU32, Ordering};

    use temporalio_client::errors::{WorkflowGetResultError, WorkflowUpdateError};
    use temporalio_client::tonic::Status;

    use super::*;

    fn result_rpc(status: Status) -> ClientError {
        ClientError::Result {
            workflow_id: "create-foo/x".into(),
            source: WorkflowGetResultError::Rpc(status),
        }
    }

    #[test]
    fn only_an_unavailable_or_saturated_server_is_waited_out() {
        let saturated = || Status::resource_exhausted("namespace concurrent poller limit exceeded");
        assert!(is_transient(&result_rpc(saturated())));
        assert!(is_transient(&result_rpc(Status::unavailable("down"))));
        assert!(is_transient(&ClientError::Update {
            update: "u".into(),
            workflow_id: "w".into(),
            source: WorkflowUpdateError::Rpc(saturated()),
        }));
        for status in [
            Status::resource_exhausted("grpc: received message larger than max (5 vs. 4)"),
            Status::not_found("workflow not found"),
            Status::invalid_argument("bad"),
            Status::internal("bug"),
        ] {
            assert!(!is_transient(&result_rpc(status)));
        }
        assert!(!is_transient(&ClientError::Result {
            workflow_id: "w".into(),
            source: WorkflowGetResultError::TimedOut,
        }));
    }

    #[test]
    fn transient_pauses_grow_to_ten_seconds_with_jitter() {
        let secs = |n| transient_pause(n, 1.0).as_secs();
        assert_eq!([1, 2, 3, 4, 5, 6, 40].map(secs), [1, 2, 4, 8, 10, 10, 10]);
        assert_eq!(transient_pause(1, 0.0), Duration::from_millis(800));
        assert_eq!(transient_pause(9, 2.0), Duration::from_secs(12));
        for _ in 0..100 {
            let j = jitter();
            assert!((0.8..=1.2).contains(&j), "{j}");
        }
    }

    /// A poll that counts itself while it runs, and ends once `open` is.
    async fn poll_until(
        open: &std::sync::atomic::AtomicBool,
        active: &AtomicU32,
        most: &AtomicU32,
        polls: &AtomicU32,
    ) -> Result<&'static str, ClientError> {
        polls.fetch_add(1, Ordering::SeqCst);
        let now = active.fetch_add(1, Ordering::SeqCst) + 1;
        most.fetch_max(now, Ordering::SeqCst);
        struct Leave<'a>(&'a AtomicU32);
        impl Drop for Leave<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::SeqCst);
            }
        }
        let _leave = Leave(active);
        while !open.load(Ordering::SeqCst) {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        Ok("done")
    }

    #[tokio::test]
    async fn waits_past_the_cap_take_turns_and_none_starves() {
        use std::sync::atomic::AtomicBool;
        // One slot: the first wait's remote stays open, yet the second
        // wait, whose remote is done, gets a turn and returns.
        let turns = WaitTurns::new(1, Duration::from_millis(20));
        let (never, done) = (AtomicBool::new(false), AtomicBool::new(true));
        let (active, most) = (AtomicU32::new(0), AtomicU32::new(0));
        let (first_polls, second_polls) = (AtomicU32::new(0), AtomicU32::new(0));
        let first = turns.wait(|| poll_until(&never, &active, &most, &first_polls));
        let second = async {
            tokio::time::sleep(Duration::from_millis(5)).await;
            let outcome = turns
                .wait(|| poll_until(&done, &active, &most, &second_polls))
                .await;
            never.store(true, Ordering::SeqCst);
            outcome
        };
        let (first, second) = tokio::time::timeout(Duration::from_secs(10), async {
            tokio::join!(first, second)
        })
        .await
        .expect("both waits end");
        assert_eq!((first.ok(), second.ok()), (Some("done"), Some("done")));
        assert_eq!(most.load(Ordering::SeqCst), 1, "one poll at a time");
        // The first wait gave its slot up and polled again.
        assert_eq!(first_polls.load(Ordering::SeqCst), 2);
        assert_eq!(second_polls.load(Ordering::SeqCst), 1);
        assert_eq!(turns.queued(), 0);
    }

    #[tokio::test]
    async fn a_wait_nobody_queues_behind_keeps_its_poll() {
        use std::sync::atomic::AtomicBool;
        let turns = WaitTurns::new(1, Duration::from_millis(5));
        let open = AtomicBool::new(false);
        let (active, most, polls) = (AtomicU32::new(0), AtomicU32::new(0), AtomicU32::new(0));
        let opener = async {
            tokio::time::sleep(Duration::from_millis(60)).await;
            open.store(true, Ordering::SeqCst);
        };
        let (outcome, ()) = tokio::join!(
            turns.wait(|| poll_until(&open, &active, &most, &polls)),
            opener
        );
        assert_eq!(outcome.ok(), Some("done"));
        assert_eq!(polls.load(Ordering::SeqCst), 1, "never re-polled");
        // A cap of 0 means 1, not a wait that never starts.
        let zero = WaitTurns::new(0, Duration::from_millis(5));
        let open = AtomicBool::new(true);
        assert!(
            zero.wait(|| poll_until(&open, &active, &most, &polls))
                .await
                .is_ok()
        );
    }

    #[tokio::test]
    async fn a_saturated_server_is_waited_out_in_the_same_attempt() {
        // The server refuses the long poll twice (past its per-namespace
        // cap), then answers: the wait returns the result instead of
        // failing the attempt.
        let calls = AtomicU32::new(0);
        let pauses = std::sync::Mutex::new(Vec::new());
        let outcome = retry_transient(
            || async {
                match calls.fetch_add(1, Ordering::SeqCst) {
                    0 => Err(result_rpc(Status::resource_exhausted(
                        "namespace concurrent poller limit exceeded",
                    ))),
                    1 => Err(result_rpc(Status::unavailable("restarting"))),
                    _ => Ok("done"),
                }
            },
            |n| {
                pauses.lock().unwrap().push(n);
                Duration::ZERO
            },
        )
        .await;
        assert_eq!(outcome.ok(), Some("done"));
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert_eq!(*pauses.lock().unwrap(), [1, 2]);

        // Anything else ends the wait at once.
        let calls = AtomicU32::new(0);
        let outcome: Result<(), _> = retry_transient(
            || async {
                calls.fetch_add(1, Ordering::SeqCst);
                Err(ClientError::Result {
                    workflow_id: "w".into(),
                    source: WorkflowGetResultError::TimedOut,
                })
            },
            |_| Duration::ZERO,
        )
        .await;
        assert!(outcome.is_err());
        assert_eq!(calls.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn any_requested_heartbeat_interval_gives_a_safe_period() {
        assert_eq!(
            heartbeat_period(Duration::ZERO),
            FALLBACK_HEARTBEAT_INTERVAL
        );
        assert_eq!(
            heartbeat_period(Duration::from_secs(2)),
            Duration::from_secs(2)
        );
        // The protobuf maximum (10,000 years) used to overflow the clock.
        let huge = Duration::from_secs(315_576_000_000);
        assert_eq!(heartbeat_period(huge), MAX_HEARTBEAT_INTERVAL);
        let _ = tokio::time::Instant::now() + heartbeat_period(Duration::MAX);
    }
}
