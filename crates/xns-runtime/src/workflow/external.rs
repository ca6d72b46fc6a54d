//! Signalling a workflow that is not a child of the current one.

use std::future::Future;

use temporalio_common::SignalDefinition;
use temporalio_workflow::{SignalWorkflowOptions, WorkflowContext, WorkflowSignalError};

use crate::payload::{PayloadValue, ValueOf};

/// Sends `signal` with `input` to the workflow `workflow_id` (the latest run
/// unless `run_id` is given) in the current namespace.
pub fn signal_external<W, S>(
    ctx: &WorkflowContext<W>,
    signal: S,
    workflow_id: impl Into<String>,
    run_id: Option<String>,
    input: ValueOf<S::Input>,
) -> impl Future<Output = Result<(), WorkflowSignalError>> + 'static
where
    S: SignalDefinition<Input: PayloadValue> + 'static,
{
    let handle = ctx.external_workflow(workflow_id, run_id);
    async move {
        handle
            .signal(
                signal,
                S::Input::from_value(input),
                SignalWorkflowOptions::default(),
            )
            .await
    }
}
