//! Support for generated worker-side contracts.
//!
//! For every workflow, protoc-gen-rust-temporal generates a trait (for
//! example `CreateFooWorkflowImpl`) whose methods are the run entry and the
//! handlers the proto declares, and an impl of [`WorkflowContract`] on the
//! workflow's marker that lists them. [`Host`] runs any implementation of
//! that trait on the SDK's workflow runtime, once for every workflow.
//! For every service with activities it generates an activities trait and a
//! registration function. This module holds what those generated items share:
//! the host, registration on workers and replayers (including aliases), the
//! handler error type, and the dispatch glue.

mod activities;
#[doc(hidden)]
pub mod dispatch;
mod host;
mod ledger;
pub(crate) mod registry;

pub use activities::{ActivitiesHost, ActivityList, ActivityMethod};
pub use host::{
    Handlers, Host, HostContext, WorkflowContract, continue_as_new, continue_as_new_with,
    register_workflow,
};
pub use ledger::{ActivityNameClash, LEDGER_ACTIVITY, claim_activity_names};
pub use registry::{
    WorkflowRegistry, activity_type, register_activity_as, register_workflow_as, workflow_type,
};

/// Error a query, update or validator handler returns. Anything that
/// converts into a boxed error works with `?`, including `String`, `&str`
/// and `anyhow::Error`. Callers see its `Display` text as the failure
/// message.
pub type HandlerError = Box<dyn std::error::Error + Send + Sync>;
