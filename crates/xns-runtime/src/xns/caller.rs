//! XNS calls from inside the calling workflow: each schedules the XNS
//! activity that does the remote work, with the wire request and activity
//! options resolved deterministically from the call's options, the proto's
//! `xns` defaults and the contract's defaults.
//!
//! An async start (`*_async`) resolves once the remote workflow started, so
//! that signals, queries and updates sent through its run handle cannot
//! overtake the start; the run then waits for the result with the `Get`
//! activity, which also carries the parent close policy.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use temporalio_common::error::ActivityExecutionError;
use temporalio_workflow::{WorkflowCancellationToken, WorkflowContext};

use super::codec::{AnyValue, CancelRequest, Reply, Request};
use super::defs::{
    DEFAULT_LONG_CALL_TIMEOUT, DEFAULT_SHORT_CALL_TIMEOUT, XnsDefaults, XnsHandlerOf, XnsQuery,
    XnsSignal, XnsStartingSignal, XnsStartingUpdate, XnsUpdate, XnsWorkflow,
};
use super::error::XnsError;
use super::options::{CallOptions, Heartbeat, WorkflowCallOptions, to_wire_duration};
use super::serve::{
    CancelWorkflow, GetWorkflow, Operation, Query, Signal, SignalWithStart, StartWorkflow, Task,
    TerminateWorkflow, Update, UpdateWithStart,
};
use super::wire;
use crate::client::{IdFn, ValueOf};
use crate::payload::{Empty, PayloadValue};
use crate::workflow::WorkflowIdEnv;

type Pending<'a, T> = Pin<Box<dyn Future<Output = Result<T, ActivityExecutionError>> + 'a>>;

/// Schedules XNS activity `name` of operation `Op`.
fn schedule<'a, C, Op: Operation>(
    ctx: &'a WorkflowContext<C>,
    name: &str,
    input: Op::Input,
    options: temporalio_workflow::ActivityOptions,
) -> Pending<'a, Op::Output> {
    Box::pin(ctx.execute_activity(Task::<Op>::named(name.to_string()), input, options))
}

/// The value of a finished call, or the caller's error.
fn finish<O: PayloadValue>(
    activity: &str,
    result: Result<Reply<O>, ActivityExecutionError>,
) -> Result<O::Value, XnsError> {
    match result {
        Ok(Reply(Some(v))) => Ok(v.into_value()),
        Ok(Reply(None)) => Err(XnsError::Detached {
            activity: activity.to_string(),
        }),
        Err(source) => Err(activity_error(activity, source)),
    }
}

/// An ID: the explicit one, else the expression `id_fn` on `input`
/// (evaluated deterministically), else a deterministic UUID.
fn resolve_id<C, T>(
    ctx: &WorkflowContext<C>,
    explicit: Option<&String>,
    id_fn: Option<IdFn<T>>,
    input: &T,
    activity: &str,
) -> Result<String, XnsError> {
    if let Some(id) = explicit {
        return Ok(id.clone());
    }
    match id_fn {
        Some(f) => f(input, &WorkflowIdEnv::new(ctx)).map_err(|source| XnsError::IdExpression {
            activity: activity.to_string(),
            source,
        }),
        None => Ok(ctx.uuid4()),
    }
}

/// The remote workflow ID of a call of `W`.
fn workflow_id<C, W: XnsWorkflow>(
    ctx: &WorkflowContext<C>,
    input: &ValueOf<W::Input>,
    options: &WorkflowCallOptions,
) -> Result<String, XnsError> {
    resolve_id(ctx, options.id.as_ref(), W::ID, input, W::ACTIVITY)
}

/// The caller's error for a failed XNS activity.
fn activity_error(activity: &str, source: ActivityExecutionError) -> XnsError {
    XnsError::Activity {
        activity: activity.to_string(),
        source: Box::new(source),
    }
}

/// A call in flight: await it (or [`get`](Self::get)) for its value,
/// [`cancel`](Self::cancel) it.
#[must_use = "an XNS call is cancelled if the workflow drops it before it completes"]
pub struct XnsCall<'a, O: PayloadValue> {
    activity: String,
    token: WorkflowCancellationToken,
    pending: Pending<'a, Reply<O>>,
}

impl<O: PayloadValue> std::fmt::Debug for XnsCall<'_, O> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XnsCall")
            .field("activity", &self.activity)
            .finish_non_exhaustive()
    }
}

impl<'a, O: PayloadValue> XnsCall<'a, O> {
    fn new<C, Op: Operation<Output = Reply<O>>>(
        ctx: &'a WorkflowContext<C>,
        activity: &str,
        input: Op::Input,
        settings: (&CallOptions, &XnsDefaults, std::time::Duration),
    ) -> Self {
        let (options, defaults, fallback) = settings;
        let activity = options.activity.name(activity);
        // Kept in the call: the workflow's token reaches a child token
        // only while someone holds it.
        let token = ctx.cancellation_token().child_token();
        let activity_options =
            options
                .activity
                .activity_options(defaults, fallback, token.clone(), Heartbeat::Paired);
        Self {
            activity: activity.to_string(),
            token,
            pending: schedule::<C, Op>(ctx, activity, input, activity_options),
        }
    }

    /// Waits for the call's value.
    pub async fn get(self) -> Result<O::Value, XnsError> {
        let result = self.pending.await;
        finish(&self.activity, result)
    }

    /// Cancels the call (its XNS activity).
    pub fn cancel(&self) {
        self.token.cancel();
    }
}

impl<'a, O: PayloadValue> IntoFuture for XnsCall<'a, O> {
    type Output = Result<O::Value, XnsError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.get())
    }
}

/// A workflow run in the target namespace, seen from the calling workflow.
pub struct XnsRun<'a, C, W: XnsWorkflow> {
    ctx: &'a WorkflowContext<C>,
    id: String,
    run_id: Option<String>,
    parent_close: wire::ParentClosePolicy,
    result: Option<Pending<'a, Reply<W::Output>>>,
    _w: PhantomData<W>,
}

impl<'a, C, W: XnsWorkflow> IntoFuture for XnsRun<'a, C, W> {
    type Output = Result<ValueOf<W::Output>, XnsError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + 'a>>;

    /// Waits for the remote workflow's result ([`XnsRun::get`]).
    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.get())
    }
}

impl<C, W: XnsWorkflow> std::fmt::Debug for XnsRun<'_, C, W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XnsRun")
            .field("workflow_id", &self.id)
            .finish_non_exhaustive()
    }
}

impl<'a, C, W: XnsWorkflow> XnsRun<'a, C, W> {
    /// A run that waits for `workflow_id`'s result with the `Get` activity
    /// (none when detached).
    fn attached(
        ctx: &'a WorkflowContext<C>,
        workflow_id: String,
        run_id: Option<String>,
        options: &WorkflowCallOptions,
    ) -> Self {
        let parent_close = options.wire_parent_close(W::XNS);
        let result = (!options.detached).then(|| {
            let request = Request::new(wire::GetWorkflowRequest {
                heartbeat_interval: Some(to_wire_duration(
                    options
                        .activity
                        .heartbeat_interval(W::XNS, Heartbeat::Start),
                )),
                run_id: run_id.clone().unwrap_or_default(),
                workflow_id: workflow_id.clone(),
                parent_close_policy: parent_close as i32,
            });
            let activity_options = options.activity.activity_options(
                W::XNS,
                DEFAULT_LONG_CALL_TIMEOUT,
                // The workflow's own token: the SDK holds an activity's
                // token weakly through its parent, so a child token nobody
                // keeps would never see the workflow's cancellation.
                ctx.cancellation_token(),
                Heartbeat::Start,
            );
            schedule::<C, GetWorkflow<W>>(ctx, W::GET_ACTIVITY, request, activity_options)
        });
        Self {
            ctx,
            id: workflow_id,
            run_id,
            parent_close,
            result,
            _w: PhantomData,
        }
    }

    /// The remote workflow ID.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The calling workflow's context.
    pub fn context(&self) -> &'a WorkflowContext<C> {
        self.ctx
    }

    /// Runs query `Q` on this workflow through XNS.
    pub fn query<Q: XnsQuery + XnsHandlerOf<W>>(
        &self,
        _marker: Q,
        input: ValueOf<Q::Input>,
        options: CallOptions,
    ) -> XnsCall<'a, Q::Output> {
        let defaults = <Q as XnsHandlerOf<W>>::REF_XNS.unwrap_or(<Q as XnsQuery>::XNS);
        query_with::<C, Q>(self.ctx, self.id.clone(), None, input, options, defaults)
    }

    /// Sends signal `S` to this workflow through XNS.
    pub fn signal<S: XnsSignal + XnsHandlerOf<W>>(
        &self,
        _marker: S,
        input: ValueOf<S::Input>,
        options: CallOptions,
    ) -> XnsCall<'a, Empty> {
        let defaults = <S as XnsHandlerOf<W>>::REF_XNS.unwrap_or(<S as XnsSignal>::XNS);
        signal_with::<C, S>(self.ctx, self.id.clone(), None, input, options, defaults)
    }

    /// Runs update `U` on this workflow through XNS.
    pub fn update<U: XnsUpdate + XnsHandlerOf<W>>(
        &self,
        _marker: U,
        input: ValueOf<U::Input>,
        options: CallOptions,
    ) -> Result<XnsCall<'a, U::Output>, XnsError> {
        let defaults = <U as XnsHandlerOf<W>>::REF_XNS.unwrap_or(<U as XnsUpdate>::XNS);
        update_with::<C, U>(self.ctx, self.id.clone(), None, input, options, defaults)
    }

    /// Waits for the remote workflow's result.
    ///
    /// When the calling workflow is cancelled, the `Get` activity applies
    /// the parent close policy to the remote run. If the cancellation came
    /// before that activity started, no worker saw it, so the policy is
    /// applied here with the service's `CancelWorkflow` or
    /// `TerminateWorkflow` activity (a failure of that shows in the
    /// caller's history; the result is the cancellation either way).
    pub async fn get(self) -> Result<ValueOf<W::Output>, XnsError> {
        let Some(pending) = self.result else {
            return Err(XnsError::Detached {
                activity: W::GET_ACTIVITY.to_string(),
            });
        };
        let result = pending.await;
        if matches!(result, Err(ActivityExecutionError::Cancelled(_)))
            && self.ctx.cancellation_token().is_cancelled()
        {
            close_after_cancel::<C, W>(self.ctx, &self.id, self.run_id, self.parent_close).await;
        }
        finish(W::GET_ACTIVITY, result)
    }

    /// Requests cancellation of the remote workflow in the target namespace
    /// (whatever the parent close policy), with the service's
    /// `CancelWorkflow` activity; [`get`](Self::get) then reports how the
    /// remote workflow ended.
    pub async fn cancel(&self) -> Result<(), XnsError> {
        cancel_with::<C>(
            self.ctx,
            W::CANCEL_ACTIVITY,
            self.id.clone(),
            None,
            CallOptions::new(),
        )
        .await
    }
}

/// Applies `policy` to the remote run from a cancelled caller, with an
/// activity the caller's cancellation does not reach. Applying it twice
/// (here and in the `Get` activity) is harmless.
async fn close_after_cancel<C, W: XnsWorkflow>(
    ctx: &WorkflowContext<C>,
    workflow_id: &str,
    run_id: Option<String>,
    policy: wire::ParentClosePolicy,
) {
    let request = CancelRequest {
        workflow_id: workflow_id.to_string(),
        run_id: run_id.unwrap_or_default(),
    };
    let options = CallOptions::new().activity.activity_options(
        W::XNS,
        DEFAULT_SHORT_CALL_TIMEOUT,
        WorkflowCancellationToken::new(),
        Heartbeat::Start,
    );
    // The outcome is recorded in the caller's history; the caller's result
    // is its cancellation whatever happens here.
    let _ = match policy {
        wire::ParentClosePolicy::RequestCancel => {
            schedule::<C, CancelWorkflow>(ctx, W::CANCEL_ACTIVITY, request, options).await
        }
        wire::ParentClosePolicy::Terminate => {
            schedule::<C, TerminateWorkflow>(ctx, W::TERMINATE_ACTIVITY, request, options).await
        }
        _ => return,
    };
}

/// The wire request of a start of `W` with the XNS defaults `defaults`
/// (the workflow's, or a signal-with-start ref's) and heartbeat `rule`.
fn start_request<W: XnsWorkflow>(
    id: String,
    input: &W::Input,
    options: &WorkflowCallOptions,
    detached: bool,
    (defaults, rule): (&XnsDefaults, Heartbeat),
) -> wire::WorkflowRequest {
    wire::WorkflowRequest {
        heartbeat_interval: Some(to_wire_duration(
            options.activity.heartbeat_interval(defaults, rule),
        )),
        start_workflow_options: Some(options.wire_start_options(id)),
        request: input.pack_any(),
        detached,
        signal: None,
        parent_close_policy: options.wire_parent_close(defaults) as i32,
    }
}

fn start_activity_options<C>(
    ctx: &WorkflowContext<C>,
    options: &WorkflowCallOptions,
    (defaults, rule): (&XnsDefaults, Heartbeat),
) -> temporalio_workflow::ActivityOptions {
    options.activity.activity_options(
        defaults,
        DEFAULT_LONG_CALL_TIMEOUT,
        ctx.cancellation_token(),
        rule,
    )
}

/// Starts workflow `W` in the target namespace and waits for its result,
/// with one XNS activity.
pub async fn execute_workflow<C, W: XnsWorkflow>(
    ctx: &WorkflowContext<C>,
    _workflow: W,
    input: ValueOf<W::Input>,
    options: WorkflowCallOptions,
) -> Result<ValueOf<W::Output>, XnsError> {
    let id = workflow_id::<C, W>(ctx, &input, &options)?;
    let input = W::Input::from_value(input);
    let request = Request::new(start_request::<W>(
        id,
        &input,
        &options,
        options.detached,
        (W::XNS, Heartbeat::Start),
    ));
    let activity_options = start_activity_options(ctx, &options, (W::XNS, Heartbeat::Start));
    let activity = options.activity.name(W::ACTIVITY);
    let result = schedule::<C, StartWorkflow<W>>(ctx, activity, request, activity_options).await;
    finish(activity, result)
}

/// Starts workflow `W` in the target namespace; resolves to its run handle
/// once the remote workflow started.
pub async fn start_workflow<'a, C, W: XnsWorkflow>(
    ctx: &'a WorkflowContext<C>,
    _workflow: W,
    input: ValueOf<W::Input>,
    options: WorkflowCallOptions,
) -> Result<XnsRun<'a, C, W>, XnsError> {
    let id = workflow_id::<C, W>(ctx, &input, &options)?;
    let input = W::Input::from_value(input);
    let request = Request::new(start_request::<W>(
        id.clone(),
        &input,
        &options,
        true,
        (W::XNS, Heartbeat::Start),
    ));
    let activity_options = start_activity_options(ctx, &options, (W::XNS, Heartbeat::Start));
    let activity = options.activity.name(W::ACTIVITY);
    let started = schedule::<C, StartWorkflow<W>>(ctx, activity, request, activity_options).await;
    started.map_err(|source| activity_error(activity, source))?;
    Ok(XnsRun::attached(ctx, id, None, &options))
}

/// A run handle on an existing workflow in the target namespace; its
/// result is awaited with the `Get` activity.
pub fn get_workflow<'a, C, W: XnsWorkflow>(
    ctx: &'a WorkflowContext<C>,
    _workflow: W,
    workflow_id: impl Into<String>,
    run_id: Option<String>,
    options: WorkflowCallOptions,
) -> XnsRun<'a, C, W> {
    XnsRun::attached(ctx, workflow_id.into(), run_id, &options)
}

/// Signals workflow `W` in the target namespace, starting it first if it
/// is not running (activity `activity`); resolves to its run handle once
/// the signal was delivered.
pub async fn signal_with_start<'a, C, W, S>(
    ctx: &'a WorkflowContext<C>,
    _workflow: W,
    input: ValueOf<W::Input>,
    _signal: S,
    signal_input: ValueOf<S::Input>,
    options: WorkflowCallOptions,
) -> Result<XnsRun<'a, C, W>, XnsError>
where
    W: XnsWorkflow,
    S: XnsStartingSignal<W>,
{
    let id = workflow_id::<C, W>(ctx, &input, &options)?;
    let input = W::Input::from_value(input);
    let xns = <S as XnsStartingSignal<W>>::REF_XNS.unwrap_or(W::XNS);
    let mut request =
        start_request::<W>(id.clone(), &input, &options, true, (xns, Heartbeat::Paired));
    request.signal = S::Input::from_value(signal_input).pack_any();
    let activity_options = start_activity_options(ctx, &options, (xns, Heartbeat::Paired));
    let activity = options.activity.name(S::START_ACTIVITY);
    schedule::<C, SignalWithStart<W, S>>(ctx, activity, Request::new(request), activity_options)
        .await
        .map_err(|source| activity_error(activity, source))?;
    Ok(XnsRun::attached(ctx, id, None, &options))
}

/// Signal-with-start that waits for the workflow's result.
pub async fn execute_signal_with_start<C, W, S>(
    ctx: &WorkflowContext<C>,
    _workflow: W,
    input: ValueOf<W::Input>,
    _signal: S,
    signal_input: ValueOf<S::Input>,
    options: WorkflowCallOptions,
) -> Result<ValueOf<W::Output>, XnsError>
where
    W: XnsWorkflow,
    S: XnsStartingSignal<W>,
{
    let id = workflow_id::<C, W>(ctx, &input, &options)?;
    let input = W::Input::from_value(input);
    let xns = <S as XnsStartingSignal<W>>::REF_XNS.unwrap_or(W::XNS);
    let mut request = start_request::<W>(
        id,
        &input,
        &options,
        options.detached,
        (xns, Heartbeat::Paired),
    );
    request.signal = S::Input::from_value(signal_input).pack_any();
    let activity_options = start_activity_options(ctx, &options, (xns, Heartbeat::Paired));
    let activity = options.activity.name(S::START_ACTIVITY);
    let result = schedule::<C, SignalWithStart<W, S>>(
        ctx,
        activity,
        Request::new(request),
        activity_options,
    )
    .await;
    finish(activity, result)
}

/// The update ID of a call of `U`.
fn update_id<C, U: XnsUpdate>(
    ctx: &WorkflowContext<C>,
    input: &ValueOf<U::Input>,
    options: &CallOptions,
) -> Result<String, XnsError> {
    resolve_id(ctx, options.update_id.as_ref(), U::ID, input, U::ACTIVITY)
}

/// Starts workflow `W` (or uses the running one, per the conflict policy)
/// with update `U` in the target namespace: the update's result, and the
/// run. The conflict policy defaults to the proto's for this pair.
pub async fn update_with_start<'a, C, W, U>(
    ctx: &'a WorkflowContext<C>,
    workflow: W,
    input: ValueOf<W::Input>,
    update: U,
    update_input: ValueOf<U::Input>,
    options: WorkflowCallOptions,
    update_options: CallOptions,
) -> Result<(ValueOf<U::Output>, XnsRun<'a, C, W>), XnsError>
where
    W: XnsWorkflow,
    U: XnsStartingUpdate<W>,
{
    let (call, run) = update_with_start_async(
        ctx,
        workflow,
        input,
        update,
        update_input,
        options,
        update_options,
    )?;
    Ok((call.get().await?, run))
}

/// What [`update_with_start_async`] returns: the update call in flight,
/// whose value is the update's result `O`, and the run.
pub type AsyncUpdateWithStart<'a, C, W, O> = (XnsCall<'a, O>, XnsRun<'a, C, W>);

/// [`update_with_start`] without waiting, as Go's `<Workflow>With<Update>Async`:
/// the update call in flight (await it for the update's result, or cancel
/// it) and the run, usable at once (calls on it retry until the remote
/// workflow exists).
pub fn update_with_start_async<'a, C, W, U>(
    ctx: &'a WorkflowContext<C>,
    _workflow: W,
    input: ValueOf<W::Input>,
    _update: U,
    update_input: ValueOf<U::Input>,
    options: WorkflowCallOptions,
    update_options: CallOptions,
) -> Result<AsyncUpdateWithStart<'a, C, W, U::Output>, XnsError>
where
    W: XnsWorkflow,
    U: XnsStartingUpdate<W>,
{
    let id = workflow_id::<C, W>(ctx, &input, &options)?;
    let update_id = update_id::<C, U>(ctx, &update_input, &update_options)?;
    let input = W::Input::from_value(input);
    let update_input = U::Input::from_value(update_input);
    let mut start = options.wire_start_options(id.clone());
    if start.workflow_id_conflict_policy == 0 {
        // As for a client's update-with-start: the workflow's own policy,
        // then the update ref's.
        let policy = W::DEFAULTS.id_conflict_policy.unwrap_or(U::CONFLICT_POLICY);
        start.workflow_id_conflict_policy =
            temporalio_common::protos::temporal::api::enums::v1::WorkflowIdConflictPolicy::from(
                policy,
            ) as i32;
    }
    let xns = <U as XnsStartingUpdate<W>>::REF_XNS.unwrap_or(<U as XnsUpdate>::XNS);
    let request = wire::UpdateWithStartRequest {
        heartbeat_interval: Some(to_wire_duration(
            options.activity.heartbeat_interval(xns, Heartbeat::Paired),
        )),
        start_workflow_options: Some(start),
        update_workflow_options: Some(wire::UpdateWorkflowWithOptionsRequest {
            update_id,
            workflow_id: id.clone(),
            ..Default::default()
        }),
        detached: false,
        input: input.pack_any(),
        update: update_input.pack_any(),
        parent_close_policy: options.wire_parent_close(W::XNS) as i32,
    };
    let call = XnsCall::new::<C, UpdateWithStart<W, U>>(
        ctx,
        U::START_ACTIVITY,
        Request::new(request),
        (&update_options, xns, DEFAULT_LONG_CALL_TIMEOUT),
    );
    Ok((call, XnsRun::attached(ctx, id, None, &options)))
}

/// Runs query `Q` on a workflow in the target namespace.
pub fn query<'a, C, Q: XnsQuery>(
    ctx: &'a WorkflowContext<C>,
    _query: Q,
    workflow_id: impl Into<String>,
    run_id: Option<String>,
    input: ValueOf<Q::Input>,
    options: CallOptions,
) -> XnsCall<'a, Q::Output> {
    query_with::<C, Q>(ctx, workflow_id, run_id, input, options, Q::XNS)
}

/// [`query`] with the XNS defaults `defaults`.
fn query_with<'a, C, Q: XnsQuery>(
    ctx: &'a WorkflowContext<C>,
    workflow_id: impl Into<String>,
    run_id: Option<String>,
    input: ValueOf<Q::Input>,
    options: CallOptions,
    defaults: &'static XnsDefaults,
) -> XnsCall<'a, Q::Output> {
    let input = Q::Input::from_value(input);
    let request = Request::new(wire::QueryRequest {
        run_id: run_id.unwrap_or_default(),
        workflow_id: workflow_id.into(),
        request: input.pack_any(),
        heartbeat_interval: Some(to_wire_duration(
            options
                .activity
                .heartbeat_interval(defaults, Heartbeat::Paired),
        )),
    });
    XnsCall::new::<C, Query<Q>>(
        ctx,
        Q::ACTIVITY,
        request,
        (&options, defaults, DEFAULT_SHORT_CALL_TIMEOUT),
    )
}

/// Sends signal `S` to a workflow in the target namespace.
pub fn signal<'a, C, S: XnsSignal>(
    ctx: &'a WorkflowContext<C>,
    _signal: S,
    workflow_id: impl Into<String>,
    run_id: Option<String>,
    input: ValueOf<S::Input>,
    options: CallOptions,
) -> XnsCall<'a, Empty> {
    signal_with::<C, S>(ctx, workflow_id, run_id, input, options, S::XNS)
}

/// [`signal`] with the XNS defaults `defaults`.
fn signal_with<'a, C, S: XnsSignal>(
    ctx: &'a WorkflowContext<C>,
    workflow_id: impl Into<String>,
    run_id: Option<String>,
    input: ValueOf<S::Input>,
    options: CallOptions,
    defaults: &'static XnsDefaults,
) -> XnsCall<'a, Empty> {
    let input = S::Input::from_value(input);
    let request = Request::new(wire::SignalRequest {
        run_id: run_id.unwrap_or_default(),
        workflow_id: workflow_id.into(),
        request: input.pack_any(),
        heartbeat_interval: Some(to_wire_duration(
            options
                .activity
                .heartbeat_interval(defaults, Heartbeat::Paired),
        )),
    });
    XnsCall::new::<C, Signal<S>>(
        ctx,
        S::ACTIVITY,
        request,
        (&options, defaults, DEFAULT_SHORT_CALL_TIMEOUT),
    )
}

/// Runs update `U` on a workflow in the target namespace.
pub fn update<'a, C, U: XnsUpdate>(
    ctx: &'a WorkflowContext<C>,
    _update: U,
    workflow_id: impl Into<String>,
    run_id: Option<String>,
    input: ValueOf<U::Input>,
    options: CallOptions,
) -> Result<XnsCall<'a, U::Output>, XnsError> {
    update_with::<C, U>(ctx, workflow_id, run_id, input, options, U::XNS)
}

/// [`update`] with the XNS defaults `defaults`.
fn update_with<'a, C, U: XnsUpdate>(
    ctx: &'a WorkflowContext<C>,
    workflow_id: impl Into<String>,
    run_id: Option<String>,
    input: ValueOf<U::Input>,
    options: CallOptions,
    defaults: &'static XnsDefaults,
) -> Result<XnsCall<'a, U::Output>, XnsError> {
    let id = update_id::<C, U>(ctx, &input, &options)?;
    let input = U::Input::from_value(input);
    let request = Request::new(wire::UpdateRequest {
        heartbeat_interval: Some(to_wire_duration(
            options
                .activity
                .heartbeat_interval(defaults, Heartbeat::Paired),
        )),
        update_workflow_options: Some(wire::UpdateWorkflowWithOptionsRequest {
            update_id: id,
            workflow_id: workflow_id.into(),
            run_id: run_id.unwrap_or_default(),
            ..Default::default()
        }),
        request: input.pack_any(),
    });
    Ok(XnsCall::new::<C, Update<U>>(
        ctx,
        U::ACTIVITY,
        request,
        (&options, defaults, DEFAULT_LONG_CALL_TIMEOUT),
    ))
}

/// Requests cancellation of a workflow in the target namespace, with the
/// `CancelWorkflow` activity of the service that declares `W` (which, like
/// Go's, cancels any workflow of the namespace by ID; the marker names the
/// service). `run_id` pins one run, `None` the latest.
pub fn cancel_workflow<'a, C, W: XnsWorkflow>(
    ctx: &'a WorkflowContext<C>,
    _workflow: W,
    workflow_id: impl Into<String>,
    run_id: Option<String>,
    options: CallOptions,
) -> XnsCall<'a, Empty> {
    cancel_with(ctx, W::CANCEL_ACTIVITY, workflow_id, run_id, options)
}

/// Requests cancellation of a workflow in the target namespace with the
/// service's `CancelWorkflow` activity (`activity`).
fn cancel_with<'a, C>(
    ctx: &'a WorkflowContext<C>,
    activity: &'static str,
    workflow_id: impl Into<String>,
    run_id: Option<String>,
    options: CallOptions,
) -> XnsCall<'a, Empty> {
    let request = CancelRequest {
        workflow_id: workflow_id.into(),
        run_id: run_id.unwrap_or_default(),
    };
    XnsCall::new::<C, CancelWorkflow>(
        ctx,
        activity,
        request,
        (
            &options,
            &XnsDefaults::default(),
            DEFAULT_SHORT_CALL_TIMEOUT,
        ),
    )
}
