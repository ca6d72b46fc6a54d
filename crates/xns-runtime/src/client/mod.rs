//! Support for generated typed clients: option precedence, the typed
//! error, and run / update handles.

mod error;
mod options;
mod run;

pub use error::ClientError;
pub use options::{
    IdFn, IdReusePolicy, ParentClose, RetryDefaults, StartOptions, UpdateDefaults, UpdateOptions,
    UpdateWithStartOptions, WaitStage, WorkflowDefaults,
};
pub use run::{UpdateHandle, ValueOf, WithStartDefaults, WorkflowRun};
