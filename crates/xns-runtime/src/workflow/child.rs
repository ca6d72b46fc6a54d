//! Typed child workflows: start or execute with proto defaults, then
//! signal the child and await its result through a handle.

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use temporalio_common::{RetryPolicy, SignalDefinition, WorkflowDefinition};
use temporalio_workflow::{
    ChildWorkflowCancellationType, ChildWorkflowExecutionError, ChildWorkflowOptions,
    ChildWorkflowStartError, ParentClosePolicy, SignalWorkflowOptions, StartedChildWorkflow,
    WorkflowContext, WorkflowIdReusePolicy, WorkflowSignalError, WorkflowTermination,
};

use super::WorkflowIdEnv;
use crate::client::{IdReusePolicy, ParentClose, PriorityOverrides, priority_setters};
use crate::expr::{EvalError, MappingError};
use crate::payload::{PayloadValue, ValueOf};
use crate::proto::ProtoWorkflow;

/// Why a child workflow call failed.
#[derive(Debug, thiserror::Error)]
pub enum ChildError {
    /// The child's ID expression failed on the input.
    #[error("ID expression of child workflow {workflow} failed")]
    IdExpression {
        /// Workflow type name.
        workflow: String,
        /// The evaluation error.
        #[source]
        source: EvalError,
    },
    /// The child's search attribute mapping failed on the input.
    #[error("search attribute mapping of child workflow {workflow} failed")]
    SearchAttributes {
        /// Workflow type name.
        workflow: String,
        /// The evaluation error.
        #[source]
        source: MappingError,
    },
    /// The child could not be started (for example, its ID is in use).
    #[error(transparent)]
    Start(#[from] ChildWorkflowStartError),
    /// The child ran and failed, was cancelled, or its result did not decode.
    #[error(transparent)]
    Execution(#[from] ChildWorkflowExecutionError),
}

impl From<ChildError> for WorkflowTermination {
    fn from(err: ChildError) -> Self {
        match err {
            ChildError::Start(e) => e.into(),
            ChildError::Execution(e) => e.into(),
            e @ (ChildError::IdExpression { .. } | ChildError::SearchAttributes { .. }) => {
                WorkflowTermination::failed_application(
                    temporalio_common::error::ApplicationFailure::new(e),
                )
            }
        }
    }
}

/// A typed call of child workflow `WD`, not yet started. Set options with
/// its methods, then `.await` it for the child's result, or
/// [`start`](Self::start) it for a handle `H`. Options left unset take the
/// proto's defaults; the task queue falls back to the parent's.
#[must_use = "a child workflow call does nothing until awaited or started"]
pub struct ChildCall<'a, W, WD: ProtoWorkflow, H> {
    ctx: &'a WorkflowContext<W>,
    workflow: WD,
    input: ValueOf<WD::Input>,
    id: Option<String>,
    task_queue: Option<String>,
    execution_timeout: Option<Duration>,
    run_timeout: Option<Duration>,
    task_timeout: Option<Duration>,
    id_reuse_policy: Option<IdReusePolicy>,
    retry_policy: Option<RetryPolicy>,
    parent_close_policy: Option<ParentClosePolicy>,
    cancel_type: Option<ChildWorkflowCancellationType>,
    summary: Option<String>,
    priority: PriorityOverrides,
    handle: PhantomData<fn() -> H>,
}

impl<'a, W, WD: ProtoWorkflow, H> ChildCall<'a, W, WD, H> {
    /// A call with the proto's defaults and the workflow's ID expression
    /// (both from the marker `workflow`).
    pub fn new(ctx: &'a WorkflowContext<W>, workflow: WD, input: ValueOf<WD::Input>) -> Self {
        Self {
            ctx,
            workflow,
            input,
            id: None,
            task_queue: None,
            execution_timeout: None,
            run_timeout: None,
            task_timeout: None,
            id_reuse_policy: None,
            retry_policy: None,
            parent_close_policy: None,
            cancel_type: None,
            summary: None,
            priority: PriorityOverrides::default(),
            handle: PhantomData,
        }
    }

    /// Workflow ID (instead of the ID expression, or a deterministic UUID).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Task queue (default: the proto's, else the parent's).
    pub fn task_queue(mut self, task_queue: impl Into<String>) -> Self {
        self.task_queue = Some(task_queue.into());
        self
    }

    /// Execution timeout (overrides the proto's).
    pub fn execution_timeout(mut self, timeout: Duration) -> Self {
        self.execution_timeout = Some(timeout);
        self
    }

    /// Run timeout (overrides the proto's).
    pub fn run_timeout(mut self, timeout: Duration) -> Self {
        self.run_timeout = Some(timeout);
        self
    }

    /// Workflow task timeout (overrides the proto's).
    pub fn task_timeout(mut self, timeout: Duration) -> Self {
        self.task_timeout = Some(timeout);
        self
    }

    /// ID reuse policy (overrides the proto's).
    pub fn id_reuse_policy(mut self, policy: IdReusePolicy) -> Self {
        self.id_reuse_policy = Some(policy);
        self
    }

    /// Retry policy (replaces the proto's).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// What happens to the child when the parent closes (overrides the proto's).
    pub fn parent_close_policy(mut self, policy: ParentClosePolicy) -> Self {
        self.parent_close_policy = Some(policy);
        self
    }

    /// How cancelling the child is reported (overrides `wait_for_cancellation`).
    pub fn cancel_type(mut self, cancel_type: ChildWorkflowCancellationType) -> Self {
        self.cancel_type = Some(cancel_type);
        self
    }

    /// Summary shown in the UI.
    pub fn summary(mut self, summary: impl Into<String>) -> Self {
        self.summary = Some(summary.into());
        self
    }

    priority_setters!();

    /// The child's workflow ID: the setter, else the ID expression
    /// evaluated deterministically, else a deterministic UUID.
    pub fn resolve_id(&self) -> Result<String, ChildError> {
        if let Some(id) = &self.id {
            return Ok(id.clone());
        }
        let env = WorkflowIdEnv::new(self.ctx);
        match WD::ID {
            Some(f) => f(&self.input, &env).map_err(|source| ChildError::IdExpression {
                workflow: WD::DEFAULTS.name.to_string(),
                source,
            }),
            None => Ok(self.ctx.uuid4()),
        }
    }

    /// The SDK options this call resolves to, with `workflow_id`.
    pub fn options(&self, workflow_id: String) -> ChildWorkflowOptions {
        let d = WD::DEFAULTS;
        let mut o = ChildWorkflowOptions::workflow_id(workflow_id);
        o.task_queue = self.task_queue.clone().or(d.task_queue.map(str::to_string));
        o.execution_timeout = self.execution_timeout.or(d.execution_timeout);
        o.run_timeout = self.run_timeout.or(d.run_timeout);
        o.task_timeout = self.task_timeout.or(d.task_timeout);
        o.id_reuse_policy = match self.id_reuse_policy.or(d.id_reuse_policy) {
            None => WorkflowIdReusePolicy::Unspecified,
            Some(IdReusePolicy::AllowDuplicate) => WorkflowIdReusePolicy::AllowDuplicate,
            Some(IdReusePolicy::AllowDuplicateFailedOnly) => {
                WorkflowIdReusePolicy::AllowDuplicateFailedOnly
            }
            Some(IdReusePolicy::RejectDuplicate) => WorkflowIdReusePolicy::RejectDuplicate,
            Some(IdReusePolicy::TerminateIfRunning) => WorkflowIdReusePolicy::TerminateIfRunning,
        };
        o.retry_policy = self
            .retry_policy
            .clone()
            .or_else(|| d.retry_policy.map(|r| r.to_policy()));
        o.parent_close_policy = self
            .parent_close_policy
            .unwrap_or(match d.parent_close_policy {
                None => ParentClosePolicy::Unspecified,
                Some(ParentClose::Terminate) => ParentClosePolicy::Terminate,
                Some(ParentClose::Abandon) => ParentClosePolicy::Abandon,
                Some(ParentClose::RequestCancel) => ParentClosePolicy::RequestCancel,
            });
        o.cancel_type = self.cancel_type.unwrap_or(if d.wait_for_cancellation {
            ChildWorkflowCancellationType::WaitCancellationCompleted
        } else {
            ChildWorkflowCancellationType::TryCancel
        });
        o.static_summary = self.summary.clone();
        o.priority = self.priority.resolve(None, &d.priority);
        o
    }
}

impl<'a, W, WD, H> ChildCall<'a, W, WD, H>
where
    WD: ProtoWorkflow,
    H: From<ChildRun<WD>>,
{
    /// Starts the child and returns its handle once the server confirmed
    /// the start.
    pub fn start(self) -> impl Future<Output = Result<H, ChildError>> + 'a {
        let run = self.start_run();
        async move { run.await.map(H::from) }
    }

    /// Resolves the ID and options now (deterministically, in call order)
    /// and returns the future of the started child.
    fn start_run(self) -> impl Future<Output = Result<ChildRun<WD>, ChildError>> + 'a {
        let started = self.resolve_id().and_then(|id| {
            let mut options = self.options(id.clone());
            if let Some(mapping) = WD::SEARCH_ATTRIBUTES {
                let values =
                    mapping(&self.input).map_err(|source| ChildError::SearchAttributes {
                        workflow: WD::DEFAULTS.name.to_string(),
                        source,
                    })?;
                options.search_attributes = Some(values.into_sdk());
            }
            let fut = self.ctx.start_child_workflow(
                self.workflow,
                WD::Input::from_value(self.input),
                options,
            );
            Ok((id, fut))
        });
        async move {
            let (id, fut) = started?;
            Ok(ChildRun {
                id,
                inner: fut.await?,
            })
        }
    }
}

impl<'a, W, WD, H> IntoFuture for ChildCall<'a, W, WD, H>
where
    W: 'a,
    WD: ProtoWorkflow,
    H: From<ChildRun<WD>> + 'a,
{
    type Output = Result<ValueOf<WD::Output>, ChildError>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + 'a>>;

    /// Starts the child and waits for its result.
    fn into_future(self) -> Self::IntoFuture {
        let run = self.start_run();
        Box::pin(async move { Ok(run.await?.result().await?) })
    }
}

/// A started child workflow of type `WD`.
pub struct ChildRun<WD: WorkflowDefinition> {
    id: String,
    inner: StartedChildWorkflow<WD>,
}

impl<WD: WorkflowDefinition> std::fmt::Debug for ChildRun<WD> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChildRun")
            .field("id", &self.id)
            .field("run_id", &self.inner.run_id)
            .finish()
    }
}

impl<WD> ChildRun<WD>
where
    WD: WorkflowDefinition,
    WD::Output: PayloadValue,
{
    /// The child's workflow ID.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The child's run ID.
    pub fn run_id(&self) -> &str {
        &self.inner.run_id
    }

    /// Sends a signal the child declares.
    pub fn signal<S>(
        &self,
        signal: S,
        input: ValueOf<S::Input>,
    ) -> impl Future<Output = Result<(), WorkflowSignalError>> + 'static
    where
        S: SignalDefinition<Workflow = WD, Input: PayloadValue> + 'static,
    {
        self.inner.signal(
            signal,
            S::Input::from_value(input),
            SignalWorkflowOptions::default(),
        )
    }

    /// Requests cancellation of the child.
    pub fn cancel(&self, reason: impl Into<String>) {
        self.inner.cancel(reason.into());
    }

    /// Waits for the child's result.
    pub fn result(
        self,
    ) -> impl Future<Output = Result<ValueOf<WD::Output>, ChildWorkflowExecutionError>> {
        let fut = self.inner.result();
        async move { fut.await.map(PayloadValue::into_value) }
    }

    /// The SDK handle.
    pub fn into_inner(self) -> StartedChildWorkflow<WD> {
        self.inner
    }
}
