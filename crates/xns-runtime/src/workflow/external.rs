//! Signalling a workflow that is not a child of the current one.

use std::future::Future;

use temporalio_common::SignalDefinition;
use temporalio_workflow::{SignalWorkflowOptions, WorkflowContext, WorkflowSignalError};

use crate::payload::{PayloadValue, ValueOf};

/// Sends `signal` with `input` to the workflow `workflow_id` (the latest run
/// unless `run_id` is given) in the current namespace.
///
/// The future does not borrow `ctx` (`use<..>` leaves its lifetime out), so
/// that generated helpers returning it as `impl Future + 'static` compile in
/// crates on edition 2021 as well as 2024.
pub fn signal_external<W, S, I>(
    ctx: &WorkflowContext<W>,
    signal: S,
    workflow_id: I,
    run_id: Option<String>,
    input: ValueOf<S::Input>,
) -> impl Future<Output = Result<(), WorkflowSignalError>> + 'static + use<W, S, I>
where
    S: SignalDefinition<Input: PayloadValue> + 'static,
    I: Into<String>,
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
