//! Typed run and update handles over the SDK's handles, generic over the
//! generated definition markers.

use temporalio_client::errors::WorkflowStartError;
use temporalio_client::{
    Client, NamespacedClient, WorkflowCancelOptions, WorkflowExecuteUpdateOptions,
    WorkflowExecutionInfo, WorkflowGetResultOptions, WorkflowHandle, WorkflowIdConflictPolicy,
    WorkflowQueryOptions, WorkflowSignalOptions, WorkflowStartOptions, WorkflowStartUpdateOptions,
    WorkflowTerminateOptions, WorkflowUpdateHandle,
};
use temporalio_common::{
    HasWorkflowDefinition, QueryDefinition, SignalDefinition, UpdateDefinition,
};

use super::ClientError;
use super::options::{
    IdFn, StartOptions, UpdateDefaults, UpdateOptions, UpdateWithStartOptions, WaitStage,
    WorkflowDefaults, apply_search_attributes, eval_id,
};
use crate::payload::{PayloadValue, ValueOf};
use crate::proto::{ProtoUpdate, ProtoWorkflow};

/// A workflow run (or chain of runs) in the client's namespace.
pub struct WorkflowRun<W: HasWorkflowDefinition> {
    handle: WorkflowHandle<Client, W>,
}

impl<W: HasWorkflowDefinition + Clone> Clone for WorkflowRun<W> {
    fn clone(&self) -> Self {
        Self {
            handle: self.handle.clone(),
        }
    }
}

impl<W: HasWorkflowDefinition> std::fmt::Debug for WorkflowRun<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkflowRun")
            .field("workflow_id", &self.id())
            .field("run_id", &self.run_id())
            .finish()
    }
}

impl<W> WorkflowRun<W>
where
    W: HasWorkflowDefinition,
    W::Input: PayloadValue,
    W::Output: PayloadValue,
{
    /// Starts a workflow: options resolved against the proto defaults, the
    /// ID from the options or the ID expression. When the ID is taken (a
    /// running workflow, or a closed one its reuse policy keeps), returns a
    /// handle to that run, as Go's client does, unless the options say
    /// [`error_when_already_started`](StartOptions::error_when_already_started).
    pub async fn start(
        client: &Client,
        workflow: W,
        input: ValueOf<W::Input>,
        options: StartOptions,
    ) -> Result<Self, ClientError>
    where
        W: ProtoWorkflow,
    {
        let attach_to_taken = !options.errors_when_already_started();
        let options = options.resolve_for(&W::DEFAULTS, &input, W::ID, W::SEARCH_ATTRIBUTES)?;
        let workflow_id = options.workflow_id.clone();
        match Self::start_resolved(client, workflow, input, options).await {
            Err(ClientError::Start {
                source: WorkflowStartError::AlreadyStarted { run_id, .. },
                ..
            }) if attach_to_taken => Ok(Self::attach(client, workflow_id, run_id)),
            other => other,
        }
    }

    /// Starts a workflow with fully resolved SDK options.
    pub async fn start_resolved(
        client: &Client,
        workflow: W,
        input: ValueOf<W::Input>,
        options: WorkflowStartOptions,
    ) -> Result<Self, ClientError> {
        let name = workflow.name().to_string();
        let handle = client
            .start_workflow(workflow, W::Input::from_value(input), options)
            .await
            .map_err(|source| ClientError::Start {
                workflow: name,
                source,
            })?;
        Ok(Self { handle })
    }

    /// Signals a workflow, starting it first if it is not running.
    pub async fn signal_with_start<S>(
        client: &Client,
        workflow: W,
        input: ValueOf<W::Input>,
        signal: S,
        signal_input: ValueOf<S::Input>,
        options: StartOptions,
    ) -> Result<Self, ClientError>
    where
        W: ProtoWorkflow,
        S: SignalDefinition<Workflow = W::Run>,
        S::Input: PayloadValue,
    {
        let options = options.resolve_for(&W::DEFAULTS, &input, W::ID, W::SEARCH_ATTRIBUTES)?;
        let name = workflow.name().to_string();
        let handle = client
            .signal_with_start_workflow(
                workflow,
                W::Input::from_value(input),
                signal,
                S::Input::from_value(signal_input),
                options,
            )
            .await
            .map_err(|source| ClientError::Start {
                workflow: name,
                source,
            })?;
        Ok(Self { handle })
    }

    /// Starts a workflow (or uses the running one, per the conflict policy)
    /// and sends it an update; returns once the update was accepted.
    pub async fn update_with_start<U>(
        client: &Client,
        workflow: W,
        input: ValueOf<W::Input>,
        update: U,
        update_input: ValueOf<U::Input>,
        options: UpdateWithStartOptions,
        conflict_policy: WorkflowIdConflictPolicy,
    ) -> Result<(UpdateHandle<U>, Self), ClientError>
    where
        W: ProtoWorkflow,
        U: ProtoUpdate<Workflow = W::Run>,
    {
        let defaults = WithStartDefaults {
            workflow: &W::DEFAULTS,
            workflow_id: W::ID,
            update: &U::DEFAULTS,
            update_id: U::ID,
            conflict_policy,
        };
        let computed = match options.start.explicit_id() {
            Some(_) => None,
            None => eval_id(defaults.workflow.name, &input, defaults.workflow_id)?,
        };
        let update_id =
            options
                .update
                .resolve_id(defaults.update, &update_input, defaults.update_id)?;
        let mut options = options.resolve(
            defaults.workflow,
            computed,
            defaults.conflict_policy,
            update_id,
        )?;
        apply_search_attributes(
            &mut options.search_attributes,
            defaults.workflow.name,
            &input,
            W::SEARCH_ATTRIBUTES,
        )?;
        let workflow_name = workflow.name().to_string();
        let update_name = update.name().to_string();
        let workflow_id = options.workflow_id.clone();
        let inner = client
            .start_update_with_start_workflow(
                workflow,
                W::Input::from_value(input),
                update,
                U::Input::from_value(update_input),
                options,
            )
            .await
            .map_err(|source| ClientError::UpdateWithStart {
                workflow: workflow_name,
                update: update_name.clone(),
                source,
            })?;
        let run = Self::attach(
            client,
            workflow_id,
            inner.workflow_run_id().map(str::to_string),
        );
        Ok((
            UpdateHandle {
                inner,
                name: update_name,
            },
            run,
        ))
    }

    /// Waits for the result (long poll, follows continue-as-new).
    pub async fn get(&self) -> Result<ValueOf<W::Output>, ClientError> {
        self.handle
            .get_result(WorkflowGetResultOptions::default())
            .await
            .map(PayloadValue::into_value)
            .map_err(|source| ClientError::Result {
                workflow_id: self.id().to_string(),
                source,
            })
    }
}

impl<W: HasWorkflowDefinition> WorkflowRun<W> {
    /// A handle on an existing workflow; `run_id` pins one run.
    pub fn attach(client: &Client, workflow_id: impl Into<String>, run_id: Option<String>) -> Self {
        let info = WorkflowExecutionInfo::builder()
            .namespace(client.namespace())
            .workflow_id(workflow_id.into())
            .maybe_run_id(run_id)
            .build();
        Self {
            handle: WorkflowHandle::new(client.clone(), info),
        }
    }

    /// Workflow ID.
    pub fn id(&self) -> &str {
        &self.handle.info().workflow_id
    }

    /// Run ID, when the handle is pinned to a run.
    pub fn run_id(&self) -> Option<&str> {
        self.handle.run_id()
    }

    /// The SDK handle, for calls the generated API does not cover.
    pub fn handle(&self) -> &WorkflowHandle<Client, W> {
        &self.handle
    }

    /// Requests cancellation.
    pub async fn cancel(&self, reason: impl Into<String>) -> Result<(), ClientError> {
        let mut options = WorkflowCancelOptions::default();
        options.reason = reason.into();
        self.handle
            .cancel(options)
            .await
            .map_err(|source| ClientError::Interaction {
                operation: "cancel".into(),
                workflow_id: self.id().to_string(),
                source,
            })
    }

    /// Terminates the workflow.
    pub async fn terminate(&self, reason: impl Into<String>) -> Result<(), ClientError> {
        let mut options = WorkflowTerminateOptions::default();
        options.reason = reason.into();
        self.terminate_with(options).await
    }

    /// Terminates the workflow with the SDK's options: a reason and
    /// details (Go's `TerminateWorkflow(ctx, id, runID, reason, details...)`).
    pub async fn terminate_with(
        &self,
        options: WorkflowTerminateOptions,
    ) -> Result<(), ClientError> {
        self.handle
            .terminate(options)
            .await
            .map_err(|source| ClientError::Interaction {
                operation: "terminate".into(),
                workflow_id: self.id().to_string(),
                source,
            })
    }

    /// Runs a query.
    pub async fn query<Q>(
        &self,
        query: Q,
        input: ValueOf<Q::Input>,
    ) -> Result<ValueOf<Q::Output>, ClientError>
    where
        Q: QueryDefinition<Workflow = W::Run>,
        Q::Input: PayloadValue,
        Q::Output: PayloadValue,
    {
        let name = query.name().to_string();
        self.handle
            .query(
                query,
                Q::Input::from_value(input),
                WorkflowQueryOptions::default(),
            )
            .await
            .map(PayloadValue::into_value)
            .map_err(|source| ClientError::Query {
                query: name,
                workflow_id: self.id().to_string(),
                source,
            })
    }

    /// Sends a signal.
    pub async fn signal<S>(&self, signal: S, input: ValueOf<S::Input>) -> Result<(), ClientError>
    where
        S: SignalDefinition<Workflow = W::Run>,
        S::Input: PayloadValue,
    {
        let name = signal.name().to_string();
        self.handle
            .signal(
                signal,
                S::Input::from_value(input),
                WorkflowSignalOptions::default(),
            )
            .await
            .map_err(|source| ClientError::Interaction {
                operation: format!("signal `{name}`"),
                workflow_id: self.id().to_string(),
                source,
            })
    }

    /// Runs an update and waits for its result; the update ID comes from
    /// the options or the update's ID expression.
    pub async fn update<U>(
        &self,
        update: U,
        input: ValueOf<U::Input>,
        options: UpdateOptions,
    ) -> Result<ValueOf<U::Output>, ClientError>
    where
        U: ProtoUpdate<Workflow = W::Run>,
    {
        let update_id = options.resolve_id(&U::DEFAULTS, &input, U::ID)?;
        self.execute_update(update, input, update_id).await
    }

    /// Starts an update and returns its handle once it reached the wait
    /// stage (options, else the proto's `wait_for_stage`, else accepted).
    pub async fn update_async<U>(
        &self,
        update: U,
        input: ValueOf<U::Input>,
        options: UpdateOptions,
    ) -> Result<UpdateHandle<U>, ClientError>
    where
        U: ProtoUpdate<Workflow = W::Run>,
    {
        let update_id = options.resolve_id(&U::DEFAULTS, &input, U::ID)?;
        let handle = self.start_update(update, input, update_id).await?;
        if options.stage(&U::DEFAULTS) == WaitStage::Completed {
            handle.wait_completed().await?;
        }
        Ok(handle)
    }

    /// Runs an update with an explicit (or SDK-generated) ID and waits for its result.
    pub async fn execute_update<U>(
        &self,
        update: U,
        input: ValueOf<U::Input>,
        update_id: Option<String>,
    ) -> Result<ValueOf<U::Output>, ClientError>
    where
        U: UpdateDefinition<Workflow = W::Run>,
        U::Input: PayloadValue,
        U::Output: PayloadValue,
    {
        let name = update.name().to_string();
        let mut options = WorkflowExecuteUpdateOptions::default();
        options.update_id = update_id;
        self.handle
            .execute_update(update, U::Input::from_value(input), options)
            .await
            .map(PayloadValue::into_value)
            .map_err(|source| ClientError::Update {
                update: name,
                workflow_id: self.id().to_string(),
                source,
            })
    }

    /// Starts an update and returns once the workflow accepted it.
    pub async fn start_update<U>(
        &self,
        update: U,
        input: ValueOf<U::Input>,
        update_id: Option<String>,
    ) -> Result<UpdateHandle<U>, ClientError>
    where
        U: UpdateDefinition<Workflow = W::Run>,
        U::Input: PayloadValue,
        U::Output: PayloadValue,
    {
        let name = update.name().to_string();
        let mut options = WorkflowStartUpdateOptions::default();
        options.update_id = update_id;
        let inner = self
            .handle
            .start_update(update, U::Input::from_value(input), options)
            .await
            .map_err(|source| ClientError::Update {
                update: name.clone(),
                workflow_id: self.id().to_string(),
                source,
            })?;
        Ok(UpdateHandle { inner, name })
    }

    /// A handle on an update started earlier, by its ID.
    pub fn get_update_handle<U>(&self, update: U, update_id: impl Into<String>) -> UpdateHandle<U>
    where
        U: UpdateDefinition<Workflow = W::Run>,
        U::Output: PayloadValue,
    {
        let name = update.name().to_string();
        UpdateHandle {
            inner: self.handle.get_update_handle(update, update_id),
            name,
        }
    }
}

/// Proto defaults of an update-with-start call.
#[derive(Debug)]
pub struct WithStartDefaults<'a, I, UI> {
    /// The workflow's start defaults.
    pub workflow: &'a WorkflowDefaults,
    /// The workflow's ID function.
    pub workflow_id: Option<IdFn<I>>,
    /// The update's call defaults.
    pub update: &'a UpdateDefaults,
    /// The update's ID function.
    pub update_id: Option<IdFn<UI>>,
    /// The ref's conflict policy (FAIL when unset in the proto).
    pub conflict_policy: temporalio_client::WorkflowIdConflictPolicy,
}

/// An update that was accepted; `get` waits for its result.
pub struct UpdateHandle<U: UpdateDefinition> {
    inner: WorkflowUpdateHandle<Client, U::Output>,
    name: String,
}

impl<U> UpdateHandle<U>
where
    U: UpdateDefinition,
    U::Output: PayloadValue,
{
    /// Update ID.
    pub fn id(&self) -> &str {
        self.inner.id()
    }

    /// Workflow ID.
    pub fn workflow_id(&self) -> &str {
        self.inner.workflow_id()
    }

    /// Run ID, when known.
    pub fn run_id(&self) -> Option<&str> {
        self.inner.workflow_run_id()
    }

    /// Waits until the update completed, discarding its result.
    async fn wait_completed(&self) -> Result<(), ClientError> {
        self.get().await.map(drop)
    }

    /// Waits for the update's result.
    pub async fn get(&self) -> Result<ValueOf<U::Output>, ClientError> {
        self.inner
            .get_result(Default::default())
            .await
            .map(PayloadValue::into_value)
            .map_err(|source| ClientError::Update {
                update: self.name.clone(),
                workflow_id: self.workflow_id().to_string(),
                source,
            })
    }
}

impl<U: UpdateDefinition> std::fmt::Debug for UpdateHandle<U> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UpdateHandle")
            .field("update", &self.name)
            .field("update_id", &self.inner.id())
            .field("workflow_id", &self.inner.workflow_id())
            .finish()
    }
}
