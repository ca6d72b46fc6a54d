//! The XNS operations, one per activity kind: generic over the generated
//! definition markers, which supply types, names and defaults.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;
use temporalio_client::errors::WorkflowInteractionError;
use temporalio_client::{UntypedWorkflow, WorkflowDescribeOptions, WorkflowIdConflictPolicy};
use temporalio_common::ActivityError;
use temporalio_sdk::activities::ActivityContext;

use super::{
    CancelCause, INVALID_ARGUMENT, Operation, Progress, Target, Waited, cancel_cause, cancelled,
    non_retryable, wait_heartbeating, wait_in_turns, worker_stopped,
};
use crate::client::{
    ClientError, IdReusePolicy, StartOptions, UpdateOptions, UpdateWithStartOptions, WorkflowRun,
};
use crate::expr::SearchAttributeValues;
use crate::payload::{Empty, PayloadValue};
use crate::xns::codec::{AnyValue, CancelRequest, Reply, Request};
use crate::xns::defs::{XnsQuery, XnsSignal, XnsUpdate, XnsWorkflow};
use crate::xns::options::{
    conflict_from_wire, from_wire_duration, retry_from_wire, reuse_from_wire, struct_to_json,
};
use crate::xns::wire;

/// Reads an `Any` field or fails the attempt for good.
fn unpack<T: AnyValue>(any: Option<&prost_types::Any>, what: &str) -> Result<T, ActivityError> {
    T::unpack_any(any).map_err(|e| non_retryable(format!("XNS {what}: {e}"), INVALID_ARGUMENT))
}

fn non_empty(s: String) -> Option<String> {
    (!s.is_empty()).then_some(s)
}

fn interval(d: Option<&prost_types::Duration>) -> Duration {
    from_wire_duration(d).unwrap_or(Duration::ZERO)
}

/// The start options a wire message carries, as the typed client's
/// options (the target's proto defaults fill the rest). A retried call
/// must attach to the run it started, so the conflict policy defaults to
/// "use existing" unless the caller or the proto says otherwise.
///
/// The caller's search attributes (untyped, as Go's activity reads them)
/// replace the target's mapping. A start delay fails the call for good:
/// the Rust SDK's client cannot start a workflow with one, and starting
/// it at once would not be what the caller asked for.
fn start_options(
    w: &wire::StartWorkflowOptions,
    proto_conflict: Option<WorkflowIdConflictPolicy>,
) -> Result<StartOptions, ActivityError> {
    if from_wire_duration(w.start_delay.as_ref()).is_some_and(|d| !d.is_zero()) {
        return Err(non_retryable(
            "XNS start options: a start delay is not supported by the Rust SDK's client, \
             which the target's XNS activities use"
                .to_string(),
            INVALID_ARGUMENT,
        ));
    }
    let mut o = StartOptions::new();
    if !w.id.is_empty() {
        o = o.id(w.id.clone());
    }
    if !w.task_queue.is_empty() {
        o = o.task_queue(w.task_queue.clone());
    }
    if let Some(d) = from_wire_duration(w.execution_timeout.as_ref()) {
        o = o.execution_timeout(d);
    }
    if let Some(d) = from_wire_duration(w.run_timeout.as_ref()) {
        o = o.run_timeout(d);
    }
    if let Some(d) = from_wire_duration(w.task_timeout.as_ref()) {
        o = o.task_timeout(d);
    }
    let reuse = reuse_from_wire(w.id_reuse_policy);
    if let Some(p) = reuse {
        o = o.id_reuse_policy(p);
    }
    if let Some(p) = w.retry_policy.as_ref().and_then(retry_from_wire) {
        o = o.retry_policy(p);
    }
    if w.enable_eager_start {
        o = o.enable_eager_start(true);
    }
    if w.error_when_already_started {
        o = o.error_when_already_started(true);
    }
    let mut base = temporalio_client::WorkflowStartOptions::new("", "").build();
    if let Some(memo) = w.memo.as_ref().filter(|m| !m.fields.is_empty()) {
        // Memo values are JSON, as Go's data converter writes them.
        let mut values = temporalio_common::MemoValues::new();
        for (key, value) in struct_to_json(memo) {
            values.insert(key, value);
        }
        base.memo = Some(values);
    }
    if let Some(attributes) = w
        .search_attirbutes
        .as_ref()
        .filter(|a| !a.fields.is_empty())
    {
        let values = SearchAttributeValues::from_json(&struct_to_json(attributes))
            .map_err(|e| non_retryable(format!("XNS start options: {e}"), INVALID_ARGUMENT))?;
        base.search_attributes = Some(values.into_sdk());
    }
    if base.memo.is_some() || base.search_attributes.is_some() {
        o = o.base(base);
    }
    let wire_conflict = conflict_from_wire(w.workflow_id_conflict_policy);
    let conflict = wire_conflict.or(proto_conflict).or_else(|| {
        if w.error_when_already_started {
            Some(WorkflowIdConflictPolicy::Fail)
        } else if reuse == Some(IdReusePolicy::TerminateIfRunning) {
            None
        } else {
            Some(WorkflowIdConflictPolicy::UseExisting)
        }
    });
    if let Some(p) = conflict {
        o = o.id_conflict_policy(p);
    }
    Ok(o)
}

/// Waits for a remote run's result, heartbeating; on the caller's
/// cancellation applies `parent_close` to the remote run.
async fn await_run<W: XnsWorkflow>(
    target: &Target,
    ctx: &ActivityContext,
    run: WorkflowRun<W>,
    progress: Progress,
    heartbeat: Duration,
    parent_close: i32,
) -> Result<Reply<W::Output>, ActivityError> {
    let result = wait_in_turns(target, || run.get());
    match wait_heartbeating(ctx, heartbeat, &progress, result).await {
        Waited::Done(Ok(value)) => Ok(Reply(Some(W::Output::from_value(value)))),
        Waited::Done(Err(e)) => Err(target.convert(e)),
        Waited::Cancelled => match cancel_cause(ctx).await {
            CancelCause::Worker => Err(worker_stopped()),
            CancelCause::Caller => {
                apply_parent_close(&run, parent_close).await;
                Err(ActivityError::cancelled())
            }
        },
    }
}

/// Emulates a parent close policy on the remote run (the numbers of
/// `temporal.v1.ParentClosePolicy` and the API's enum agree).
async fn apply_parent_close<W: XnsWorkflow>(run: &WorkflowRun<W>, policy: i32) {
    const REASON: &str = "the XNS call was cancelled";
    // Best effort: the caller is going away and cannot act on a failure;
    // an already closed remote run makes these fail harmlessly.
    match wire::ParentClosePolicy::try_from(policy) {
        Ok(wire::ParentClosePolicy::RequestCancel) => {
            let _ = run.cancel(REASON).await;
        }
        Ok(wire::ParentClosePolicy::Terminate) => {
            let _ = run.terminate(REASON).await;
        }
        _ => {}
    }
}

/// The progress of a run just started (and of its update).
fn progress_of<W: XnsWorkflow>(run: &WorkflowRun<W>, update_id: Option<String>) -> Progress {
    Progress {
        workflow_id: run.id().to_string(),
        run_id: run.run_id().map(str::to_string),
        update_id,
    }
}

/// Whether a run that started at `run_start` counts as started by an
/// earlier attempt of an activity first scheduled at `scheduled`: only a
/// retry asks, and only a run started since the first scheduling counts.
fn started_by_earlier_attempt(
    attempt: u32,
    scheduled: Option<SystemTime>,
    run_start: Option<SystemTime>,
) -> bool {
    attempt >= 2 && matches!((scheduled, run_start), (Some(s), Some(r)) if r >= s)
}

/// On a retry that finds no progress recorded: the run an earlier attempt
/// started, if one did before its worker died (between the remote start
/// and its first heartbeat, which records the run). That is the latest
/// run with the request's workflow ID, if it started after this activity
/// was first scheduled. (The two times come from the servers of the two
/// namespaces: one cluster, or clocks in step.) Starting again instead
/// would fail for good once that run closed, under a reject-duplicate
/// policy, or start a second run under allow-duplicate.
async fn run_of_earlier_attempt<W: XnsWorkflow>(
    target: &Target,
    ctx: &ActivityContext,
    req: &wire::WorkflowRequest,
) -> Result<Option<WorkflowRun<W>>, ActivityError> {
    let info = ctx.info();
    let Some(id) = req
        .start_workflow_options
        .as_ref()
        .map(|o| o.id.as_str())
        .filter(|id| !id.is_empty())
    else {
        return Ok(None);
    };
    if info.attempt < 2 {
        return Ok(None);
    }
    let described = target
        .client()
        .get_workflow_handle::<UntypedWorkflow>(id)
        .describe(WorkflowDescribeOptions::default())
        .await;
    let description = match described {
        Ok(d) => d,
        Err(WorkflowInteractionError::NotFound(_)) => return Ok(None),
        Err(source) => {
            return Err(target.convert(ClientError::Interaction {
                operation: "describe".to_string(),
                workflow_id: id.to_string(),
                source,
            }));
        }
    };
    let ours =
        started_by_earlier_attempt(info.attempt, info.scheduled_time, description.start_time());
    Ok(ours.then(|| {
        WorkflowRun::attach(
            target.client(),
            id.to_string(),
            Some(description.run_id().to_string()),
        )
    }))
}

/// Serves a `WorkflowRequest`: re-attaches to the run a previous attempt
/// started (recorded in heartbeat details, or found by
/// [`run_of_earlier_attempt`]), or starts it with `start` (given the
/// request and its start options) and records it; then returns at once
/// when detached, or waits.
async fn serve_started<W, F, Fut>(
    target: &Target,
    ctx: &ActivityContext,
    req: wire::WorkflowRequest,
    start: F,
) -> Result<Reply<W::Output>, ActivityError>
where
    W: XnsWorkflow,
    F: FnOnce(&wire::WorkflowRequest, StartOptions) -> Fut,
    Fut: Future<Output = Result<WorkflowRun<W>, ActivityError>>,
{
    let (run, progress) = match Progress::previous_run(ctx.heartbeat_details().raw())
        .filter(|p| p.run_id.is_some())
    {
        Some(p) => (
            WorkflowRun::<W>::attach(target.client(), p.workflow_id.clone(), p.run_id.clone()),
            p,
        ),
        None => {
            let run = match run_of_earlier_attempt::<W>(target, ctx, &req).await? {
                Some(run) => run,
                None => {
                    let options = start_options(
                        req.start_workflow_options
                            .as_ref()
                            .unwrap_or(&Default::default()),
                        W::DEFAULTS.id_conflict_policy,
                    )?;
                    start(&req, options).await?
                }
            };
            let p = progress_of(&run, None);
            p.record(ctx).await;
            (run, p)
        }
    };
    if req.detached {
        return Ok(Reply(None));
    }
    let heartbeat = interval(req.heartbeat_interval.as_ref());
    await_run(
        target,
        ctx,
        run,
        progress,
        heartbeat,
        req.parent_close_policy,
    )
    .await
}

macro_rules! operation {
    ($(#[$doc:meta])* $name:ident<$($p:ident: $b:path),*>) => {
        $(#[$doc])*
        pub struct $name<$($p),*>(PhantomData<fn() -> ($($p,)*)>);
    };
}

operation!(
    /// Start a workflow in the target namespace and wait for its result
    /// (`WorkflowRequest`).
    StartWorkflow<W: XnsWorkflow>
);

impl<W: XnsWorkflow> Operation for StartWorkflow<W> {
    type Input = Request<wire::WorkflowRequest, W::Input>;
    type Output = Reply<W::Output>;

    fn serve(
        target: Arc<Target>,
        ctx: ActivityContext,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, ActivityError>> {
        Box::pin(async move {
            let req = input.message;
            serve_started(&target, &ctx, req, |req, options| {
                let value = unpack::<W::Input>(req.request.as_ref(), "workflow input");
                let target = &target;
                async move {
                    WorkflowRun::start(target.client(), W::default(), value?.into_value(), options)
                        .await
                        .map_err(|e| target.convert(e))
                }
            })
            .await
        })
    }
}

operation!(
    /// Attach to a workflow in the target namespace and wait for its
    /// result (`GetWorkflowRequest`).
    GetWorkflow<W: XnsWorkflow>
);

impl<W: XnsWorkflow> Operation for GetWorkflow<W> {
    type Input = Request<wire::GetWorkflowRequest, Empty>;
    type Output = Reply<W::Output>;

    fn serve(
        target: Arc<Target>,
        ctx: ActivityContext,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, ActivityError>> {
        Box::pin(async move {
            let req = input.message;
            let run = WorkflowRun::<W>::attach(
                target.client(),
                req.workflow_id.clone(),
                non_empty(req.run_id.clone()),
            );
            let progress = Progress::run(req.workflow_id, non_empty(req.run_id));
            let heartbeat = interval(req.heartbeat_interval.as_ref());
            await_run(
                &target,
                &ctx,
                run,
                progress,
                heartbeat,
                req.parent_close_policy,
            )
            .await
        })
    }
}

operation!(
    /// Signal a workflow in the target namespace, starting it first if it
    /// is not running, then wait for its result (`WorkflowRequest` with
    /// `signal`).
    SignalWithStart<W: XnsWorkflow, S: XnsSignal>
);

impl<W, S> Operation for SignalWithStart<W, S>
where
    W: XnsWorkflow,
    S: XnsSignal<Workflow = W>,
{
    type Input = Request<wire::WorkflowRequest, W::Input, S::Input>;
    type Output = Reply<W::Output>;

    fn serve(
        target: Arc<Target>,
        ctx: ActivityContext,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, ActivityError>> {
        Box::pin(async move {
            let req = input.message;
            serve_started(&target, &ctx, req, |req, options| {
                let value = unpack::<W::Input>(req.request.as_ref(), "workflow input");
                let signal = unpack::<S::Input>(req.signal.as_ref(), "signal input");
                let target = &target;
                async move {
                    WorkflowRun::signal_with_start(
                        target.client(),
                        W::default(),
                        value?.into_value(),
                        S::default(),
                        signal?.into_value(),
                        options,
                    )
                    .await
                    .map_err(|e| target.convert(e))
                }
            })
            .await
        })
    }
}

operation!(
    /// Start a workflow in the target namespace (or use the running one,
    /// per the conflict policy) with an update, and wait for the update's
    /// result (`UpdateWithStartRequest`).
    UpdateWithStart<W: XnsWorkflow, U: XnsUpdate>
);

impl<W, U> Operation for UpdateWithStart<W, U>
where
    W: XnsWorkflow,
    U: XnsUpdate<Workflow = W>,
{
    type Input = Request<wire::UpdateWithStartRequest, W::Input, U::Input>;
    type Output = Reply<U::Output>;

    fn serve(
        target: Arc<Target>,
        ctx: ActivityContext,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, ActivityError>> {
        Box::pin(async move {
            let req = input.message;
            let previous = Progress::previous_update_with_start(ctx.heartbeat_details().raw());
            let (handle, progress) = match previous {
                Some(p) => {
                    let run = WorkflowRun::<W>::attach(
                        target.client(),
                        p.workflow_id.clone(),
                        p.run_id.clone(),
                    );
                    let id = p.update_id.clone().unwrap_or_default();
                    (run.get_update_handle(U::default(), id), p)
                }
                None => {
                    let value: W::Input = unpack(req.input.as_ref(), "workflow input")?;
                    let update: U::Input = unpack(req.update.as_ref(), "update input")?;
                    let start = req.start_workflow_options.unwrap_or_default();
                    let conflict = conflict_from_wire(start.workflow_id_conflict_policy)
                        .unwrap_or(WorkflowIdConflictPolicy::Fail);
                    let mut update_options = UpdateOptions::new();
                    if let Some(id) = req
                        .update_workflow_options
                        .as_ref()
                        .and_then(|u| non_empty(u.update_id.clone()))
                    {
                        update_options = update_options.id(id);
                    }
                    let options = UpdateWithStartOptions::new()
                        .start(start_options(&start, Some(conflict))?)
                        .update(update_options);
                    let (handle, run) = WorkflowRun::update_with_start(
                        target.client(),
                        W::default(),
                        value.into_value(),
                        U::default(),
                        update.into_value(),
                        options,
                        conflict,
                    )
                    .await
                    .map_err(|e| target.convert(e))?;
                    let p = progress_of(&run, Some(handle.id().to_string()));
                    p.record(&ctx).await;
                    (handle, p)
                }
            };
            if req.detached {
                return Ok(Reply(None));
            }
            let heartbeat = interval(req.heartbeat_interval.as_ref());
            let outcome = wait_in_turns(&target, || handle.get());
            match wait_heartbeating(&ctx, heartbeat, &progress, outcome).await {
                Waited::Done(Ok(v)) => Ok(Reply(Some(U::Output::from_value(v)))),
                Waited::Done(Err(e)) => Err(target.convert(e)),
                Waited::Cancelled => Err(cancelled(&ctx).await),
            }
        })
    }
}

operation!(
    /// Query a workflow in the target namespace (`QueryRequest`).
    Query<Q: XnsQuery>
);

impl<Q: XnsQuery> Operation for Query<Q> {
    type Input = Request<wire::QueryRequest, Q::Input>;
    type Output = Reply<Q::Output>;

    fn serve(
        target: Arc<Target>,
        ctx: ActivityContext,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, ActivityError>> {
        Box::pin(async move {
            let req = input.message;
            let value: Q::Input = unpack(req.request.as_ref(), "query input")?;
            let run = WorkflowRun::<Q::Workflow>::attach(
                target.client(),
                req.workflow_id.clone(),
                non_empty(req.run_id.clone()),
            );
            let progress = Progress::default();
            let heartbeat = interval(req.heartbeat_interval.as_ref());
            let call = run.query(Q::default(), value.into_value());
            match wait_heartbeating(&ctx, heartbeat, &progress, call).await {
                Waited::Done(Ok(v)) => Ok(Reply(Some(Q::Output::from_value(v)))),
                Waited::Done(Err(e)) => Err(target.convert(e)),
                Waited::Cancelled => Err(cancelled(&ctx).await),
            }
        })
    }
}

operation!(
    /// Signal a workflow in the target namespace (`SignalRequest`).
    Signal<S: XnsSignal>
);

impl<S: XnsSignal> Operation for Signal<S> {
    type Input = Request<wire::SignalRequest, S::Input>;
    type Output = Reply<Empty>;

    fn serve(
        target: Arc<Target>,
        ctx: ActivityContext,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, ActivityError>> {
        Box::pin(async move {
            let req = input.message;
            let value: S::Input = unpack(req.request.as_ref(), "signal input")?;
            let run = WorkflowRun::<S::Workflow>::attach(
                target.client(),
                req.workflow_id.clone(),
                non_empty(req.run_id.clone()),
            );
            let progress = Progress::default();
            let heartbeat = interval(req.heartbeat_interval.as_ref());
            let call = run.signal(S::default(), value.into_value());
            match wait_heartbeating(&ctx, heartbeat, &progress, call).await {
                Waited::Done(Ok(())) => Ok(Reply(Some(Empty))),
                Waited::Done(Err(e)) => Err(target.convert(e)),
                Waited::Cancelled => Err(cancelled(&ctx).await),
            }
        })
    }
}

operation!(
    /// Run an update on a workflow in the target namespace
    /// (`UpdateRequest`): submit with a stable ID, wait for acceptance,
    /// record the ID, then wait for the result.
    Update<U: XnsUpdate>
);

impl<U: XnsUpdate> Operation for Update<U> {
    type Input = Request<wire::UpdateRequest, U::Input>;
    type Output = Reply<U::Output>;

    fn serve(
        target: Arc<Target>,
        ctx: ActivityContext,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, ActivityError>> {
        Box::pin(async move {
            let req = input.message;
            let uwo = req.update_workflow_options.unwrap_or_default();
            let run = WorkflowRun::<U::Workflow>::attach(
                target.client(),
                uwo.workflow_id.clone(),
                non_empty(uwo.run_id.clone()),
            );
            let heartbeat = interval(req.heartbeat_interval.as_ref());
            let previous = Progress::previous_update(ctx.heartbeat_details().raw());
            let handle = match previous {
                Some(id) => run.get_update_handle(U::default(), id),
                None => {
                    let value: U::Input = unpack(req.request.as_ref(), "update input")?;
                    let id = non_empty(uwo.update_id)
                        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
                    let accepted = wait_heartbeating(
                        &ctx,
                        heartbeat,
                        &Progress::default(),
                        run.start_update(U::default(), value.into_value(), Some(id)),
                    )
                    .await;
                    let handle = match accepted {
                        Waited::Done(Ok(h)) => h,
                        Waited::Done(Err(e)) => return Err(target.convert(e)),
                        Waited::Cancelled => return Err(cancelled(&ctx).await),
                    };
                    Progress::update(handle.id().to_string()).record(&ctx).await;
                    handle
                }
            };
            let progress = Progress::update(handle.id().to_string());
            let outcome = wait_in_turns(&target, || handle.get());
            match wait_heartbeating(&ctx, heartbeat, &progress, outcome).await {
                Waited::Done(Ok(v)) => Ok(Reply(Some(U::Output::from_value(v)))),
                Waited::Done(Err(e)) => Err(target.convert(e)),
                Waited::Cancelled => Err(cancelled(&ctx).await),
            }
        })
    }
}

/// Request cancellation of a workflow in the target namespace
/// (`CancelWorkflow(workflowID, runID)`).
pub struct CancelWorkflow;

impl Operation for CancelWorkflow {
    type Input = CancelRequest;
    type Output = Reply<Empty>;

    fn serve(
        target: Arc<Target>,
        _ctx: ActivityContext,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, ActivityError>> {
        Box::pin(close_remote(target, input, Close::Cancel))
    }
}

/// Terminate a workflow in the target namespace (same arguments as
/// `CancelWorkflow`). Go has no such activity: callers use it to apply a
/// TERMINATE parent close policy when their `Get` activity was cancelled
/// before it started.
pub struct TerminateWorkflow;

impl Operation for TerminateWorkflow {
    type Input = CancelRequest;
    type Output = Reply<Empty>;

    fn serve(
        target: Arc<Target>,
        _ctx: ActivityContext,
        input: Self::Input,
    ) -> BoxFuture<'static, Result<Self::Output, ActivityError>> {
        Box::pin(close_remote(target, input, Close::Terminate))
    }
}

/// How [`close_remote`] closes a run.
enum Close {
    Cancel,
    Terminate,
}

/// Cancels or terminates the remote run `input` names.
async fn close_remote(
    target: Arc<Target>,
    input: CancelRequest,
    close: Close,
) -> Result<Reply<Empty>, ActivityError> {
    let run = WorkflowRun::<super::CallerWorkflow>::attach(
        target.client(),
        input.workflow_id,
        non_empty(input.run_id),
    );
    let result = match close {
        Close::Cancel => run.cancel("cancelled through XNS").await,
        Close::Terminate => run.terminate("the XNS caller was cancelled").await,
    };
    result
        .map(|()| Reply(Some(Empty)))
        .map_err(|e| target.convert(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_retry_takes_a_run_started_since_the_first_scheduling_as_its_own() {
        let scheduled = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000);
        let later = scheduled + Duration::from_millis(1);
        let earlier = scheduled - Duration::from_secs(1);
        // A retry: the run started after the first scheduling is ours.
        assert!(started_by_earlier_attempt(2, Some(scheduled), Some(later)));
        assert!(started_by_earlier_attempt(
            7,
            Some(scheduled),
            Some(scheduled)
        ));
        // A run from before this call is someone else's.
        assert!(!started_by_earlier_attempt(
            2,
            Some(scheduled),
            Some(earlier)
        ));
        // The first attempt starts; unknown times prove nothing.
        assert!(!started_by_earlier_attempt(1, Some(scheduled), Some(later)));
        assert!(!started_by_earlier_attempt(2, None, Some(later)));
        assert!(!started_by_earlier_attempt(2, Some(scheduled), None));
    }
}
