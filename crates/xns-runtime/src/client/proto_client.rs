//! The part of every generated service client that is the same for all:
//! starts, attaches, and calls by workflow ID, generic over the definition
//! markers. A generated client (`ExampleClient`) adds one named entry
//! point per workflow and dereferences to [`ProtoClient`] for the rest.

use temporalio_client::{Client, WorkflowTerminateOptions};
use temporalio_common::{
    HasWorkflowDefinition, QueryDefinition, SignalDefinition, UntypedWorkflow,
};

use super::ClientError;
use super::options::{StartOptions, UpdateOptions, UpdateWithStartOptions};
use super::run::{UpdateHandle, WorkflowRun};
use crate::payload::{PayloadValue, ValueOf};
use crate::proto::{ProtoUpdate, ProtoWorkflow, StartingSignal, StartingUpdate};

/// A client of one namespace whose calls take the proto's definition
/// markers: `client.query(GetFooProgressQuery, workflow_id, None, ())`.
/// Options default to what the proto sets on the marker.
#[derive(Debug, Clone)]
pub struct ProtoClient {
    client: Client,
}

impl ProtoClient {
    /// Wraps a client connected to the namespace the workflows run in.
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    /// The underlying SDK client.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Starts `workflow` and returns its run handle once it started.
    pub async fn start<W: ProtoWorkflow>(
        &self,
        workflow: W,
        input: ValueOf<W::Input>,
        options: StartOptions,
    ) -> Result<WorkflowRun<W>, ClientError> {
        WorkflowRun::start(&self.client, workflow, input, options).await
    }

    /// Starts `workflow` and waits for its result.
    pub async fn execute<W: ProtoWorkflow>(
        &self,
        workflow: W,
        input: ValueOf<W::Input>,
        options: StartOptions,
    ) -> Result<ValueOf<W::Output>, ClientError> {
        self.start(workflow, input, options).await?.get().await
    }

    /// A run handle on an existing workflow; `run_id` pins one run, `None`
    /// follows the latest.
    pub fn get<W: HasWorkflowDefinition>(
        &self,
        _workflow: W,
        workflow_id: impl Into<String>,
        run_id: Option<String>,
    ) -> WorkflowRun<W> {
        WorkflowRun::attach(&self.client, workflow_id, run_id)
    }

    /// Sends `signal` to `workflow`, starting the workflow first if it is
    /// not running (signal-with-start); the proto must allow the pair
    /// (`start: true` on the workflow's signal ref).
    pub async fn signal_with_start<W, S>(
        &self,
        workflow: W,
        input: ValueOf<W::Input>,
        signal: S,
        signal_input: ValueOf<S::Input>,
        options: StartOptions,
    ) -> Result<WorkflowRun<W>, ClientError>
    where
        W: ProtoWorkflow,
        S: StartingSignal<W>,
    {
        WorkflowRun::signal_with_start(&self.client, workflow, input, signal, signal_input, options)
            .await
    }

    /// [`signal_with_start`](Self::signal_with_start), waiting for the
    /// workflow's result (as Go's `<Workflow>With<Signal>` does; its
    /// `...Async` form is `signal_with_start`).
    pub async fn execute_signal_with_start<W, S>(
        &self,
        workflow: W,
        input: ValueOf<W::Input>,
        signal: S,
        signal_input: ValueOf<S::Input>,
        options: StartOptions,
    ) -> Result<ValueOf<W::Output>, ClientError>
    where
        W: ProtoWorkflow,
        S: StartingSignal<W>,
    {
        self.signal_with_start(workflow, input, signal, signal_input, options)
            .await?
            .get()
            .await
    }

    /// Starts `workflow` (or, per the conflict policy, uses the running
    /// one) with `update`; returns once the update was accepted, with the
    /// update's handle and the run. The proto must allow the pair (`start:
    /// true` on the workflow's update ref), and its conflict policy applies
    /// when the options set none.
    pub async fn update_with_start<W, U>(
        &self,
        workflow: W,
        input: ValueOf<W::Input>,
        update: U,
        update_input: ValueOf<U::Input>,
        options: UpdateWithStartOptions,
    ) -> Result<(UpdateHandle<U>, WorkflowRun<W>), ClientError>
    where
        W: ProtoWorkflow,
        U: StartingUpdate<W>,
    {
        WorkflowRun::update_with_start(
            &self.client,
            workflow,
            input,
            update,
            update_input,
            options,
            U::CONFLICT_POLICY,
        )
        .await
    }

    /// [`update_with_start`](Self::update_with_start), waiting for the
    /// update's result.
    pub async fn execute_update_with_start<W, U>(
        &self,
        workflow: W,
        input: ValueOf<W::Input>,
        update: U,
        update_input: ValueOf<U::Input>,
        options: UpdateWithStartOptions,
    ) -> Result<(ValueOf<U::Output>, WorkflowRun<W>), ClientError>
    where
        W: ProtoWorkflow,
        U: StartingUpdate<W>,
    {
        let (update, run) = self
            .update_with_start(workflow, input, update, update_input, options)
            .await?;
        Ok((update.get().await?, run))
    }

    /// Runs `query` on the workflow `workflow_id` (its latest run unless
    /// `run_id` is given).
    pub async fn query<Q>(
        &self,
        query: Q,
        workflow_id: impl Into<String>,
        run_id: Option<String>,
        input: ValueOf<Q::Input>,
    ) -> Result<ValueOf<Q::Output>, ClientError>
    where
        Q: QueryDefinition<Workflow: HasWorkflowDefinition<Run = Q::Workflow>>,
        Q::Input: PayloadValue,
        Q::Output: PayloadValue,
    {
        WorkflowRun::<Q::Workflow>::attach(&self.client, workflow_id, run_id)
            .query(query, input)
            .await
    }

    /// Sends `signal` to the workflow `workflow_id`.
    pub async fn signal<S>(
        &self,
        signal: S,
        workflow_id: impl Into<String>,
        run_id: Option<String>,
        input: ValueOf<S::Input>,
    ) -> Result<(), ClientError>
    where
        S: SignalDefinition<Workflow: HasWorkflowDefinition<Run = S::Workflow>>,
        S::Input: PayloadValue,
    {
        WorkflowRun::<S::Workflow>::attach(&self.client, workflow_id, run_id)
            .signal(signal, input)
            .await
    }

    /// Runs `update` on the workflow `workflow_id` and waits for its result.
    pub async fn update<U>(
        &self,
        update: U,
        workflow_id: impl Into<String>,
        run_id: Option<String>,
        input: ValueOf<U::Input>,
        options: UpdateOptions,
    ) -> Result<ValueOf<U::Output>, ClientError>
    where
        U: ProtoUpdate<Workflow: HasWorkflowDefinition<Run = U::Workflow>>,
    {
        WorkflowRun::<U::Workflow>::attach(&self.client, workflow_id, run_id)
            .update(update, input, options)
            .await
    }

    /// Starts `update` on the workflow `workflow_id` and returns its handle
    /// once it reached its wait stage.
    pub async fn update_async<U>(
        &self,
        update: U,
        workflow_id: impl Into<String>,
        run_id: Option<String>,
        input: ValueOf<U::Input>,
        options: UpdateOptions,
    ) -> Result<UpdateHandle<U>, ClientError>
    where
        U: ProtoUpdate<Workflow: HasWorkflowDefinition<Run = U::Workflow>>,
    {
        WorkflowRun::<U::Workflow>::attach(&self.client, workflow_id, run_id)
            .update_async(update, input, options)
            .await
    }

    /// Requests cancellation of the workflow `workflow_id` (and run, if
    /// given), whatever its type.
    pub async fn cancel_workflow(
        &self,
        workflow_id: impl Into<String>,
        run_id: Option<String>,
        reason: impl Into<String>,
    ) -> Result<(), ClientError> {
        WorkflowRun::<UntypedWorkflow>::attach(&self.client, workflow_id, run_id)
            .cancel(reason)
            .await
    }

    /// Terminates the workflow `workflow_id` (and run, if given), whatever
    /// its type.
    pub async fn terminate_workflow(
        &self,
        workflow_id: impl Into<String>,
        run_id: Option<String>,
        reason: impl Into<String>,
    ) -> Result<(), ClientError> {
        WorkflowRun::<UntypedWorkflow>::attach(&self.client, workflow_id, run_id)
            .terminate(reason)
            .await
    }

    /// Terminates a workflow by ID with the SDK's options (a reason and
    /// details).
    pub async fn terminate_workflow_with(
        &self,
        workflow_id: impl Into<String>,
        run_id: Option<String>,
        options: WorkflowTerminateOptions,
    ) -> Result<(), ClientError> {
        WorkflowRun::<UntypedWorkflow>::attach(&self.client, workflow_id, run_id)
            .terminate_with(options)
            .await
    }
}

impl From<Client> for ProtoClient {
    fn from(client: Client) -> Self {
        Self::new(client)
    }
}

impl From<ProtoClient> for Client {
    fn from(client: ProtoClient) -> Self {
        client.client
    }
}
