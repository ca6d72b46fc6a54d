//! The names generated code uses, in one namespace.
//!
//! Every module protoc-gen-rust-temporal generates starts with
//! `use ::xns_runtime::codegen as rt;` and writes `rt::WorkflowRun`,
//! `rt::ClientError`, `rt::dispatch::...`: short paths that cannot collide
//! with the names the generated code declares, whatever the proto calls
//! its methods. The items live in the runtime's modules ([`crate::client`],
//! [`crate::worker`], [`crate::workflow`], [`crate::xns`], ...) and in the
//! Temporal SDK crates; this module only gathers them. Hand-written code
//! should use them from where they live.

pub use core::future::Future;
pub use core::time::Duration;

pub use crate::client::{
    ClientError, IdFn, IdReusePolicy, ParentClose, PriorityDefaults, ProtoClient, RetryDefaults,
    StartOptions, UpdateDefaults, UpdateHandle, UpdateOptions, UpdateWithStartOptions, WaitStage,
    WorkflowDefaults, WorkflowRun,
};
pub use crate::expr::{
    self, EvalError, IdEnv, MappingError, SearchAttributeValues, SearchAttributesFn,
};
pub use crate::payload::{Empty, WellKnown};
pub use crate::proto::{ProtoActivity, ProtoUpdate, ProtoWorkflow, StartingSignal, StartingUpdate};
pub use crate::worker::dispatch::{ActivityContext, ActivityError};
pub use crate::worker::{
    ActivityList, ActivityMethod, ActivityNameClash, HandlerError, Handlers, Host,
    WorkflowContract, WorkflowRegistry, dispatch, register_workflow,
};
pub use crate::workflow::{
    ActivityCall, ActivityDefaults, ChildCall, ChildRun, LocalActivityCall, signal_external,
};
pub use crate::xns::{
    self, Registrar, XnsDefaults, XnsHandlerOf, XnsQuery, XnsRun, XnsSignal, XnsStartingSignal,
    XnsStartingUpdate, XnsUpdate, XnsWorkflow, serve,
};

pub use temporalio_client::{Client, WorkflowIdConflictPolicy};
pub use temporalio_common::{
    ActivityDefinition, HasWorkflowDefinition, QueryDefinition, SignalDefinition, UntypedWorkflow,
    UpdateDefinition, WorkflowDefinition,
};
pub use temporalio_sdk::{WorkerOptions, WorkflowRegistrationError};
pub use temporalio_workflow::{
    ActivityCloseTimeouts, ContinueAsNewOptions, WorkflowContext, WorkflowContextView,
    WorkflowResult, WorkflowSignalError,
};
