//! The [`IdEnv`] of code running inside a workflow.

use std::time::{SystemTime, UNIX_EPOCH};

use temporalio_workflow::WorkflowContext;

use crate::expr::IdEnv;

/// Randomness and time for ID expressions evaluated inside a workflow: the
/// context's deterministic random source and the workflow time, so that a
/// replay computes the same IDs.
pub struct WorkflowIdEnv<'a, W> {
    ctx: &'a WorkflowContext<W>,
}

impl<'a, W> WorkflowIdEnv<'a, W> {
    /// An environment over `ctx`.
    pub fn new(ctx: &'a WorkflowContext<W>) -> Self {
        Self { ctx }
    }
}

impl<W> IdEnv for WorkflowIdEnv<'_, W> {
    fn random_u64(&self) -> u64 {
        self.ctx.random::<u64>()
    }

    fn now(&self) -> SystemTime {
        // The workflow time is always set once the workflow runs; the epoch
        // is a deterministic fallback.
        self.ctx.workflow_time().unwrap_or(UNIX_EPOCH)
    }

    fn uuid_v4(&self) -> String {
        self.ctx.uuid4()
    }
}
