//! Support for generated typed clients: option precedence, the typed
//! error, run / update handles, and clients configured from envconfig
//! profiles.

mod error;
mod options;
mod priority;
mod profile;
mod proto_client;
mod run;

pub use crate::payload::ValueOf;
pub use error::ClientError;
pub use options::{
    IdFn, IdReusePolicy, ParentClose, RetryDefaults, StartOptions, UpdateDefaults, UpdateOptions,
    UpdateWithStartOptions, WaitStage, WorkflowDefaults,
};
pub use priority::PriorityDefaults;
pub(crate) use priority::{PriorityOverrides, priority_setters};
pub use profile::{ClientProfile, ProfileError, connect_profile, profile_options};
pub use proto_client::ProtoClient;
pub use run::{UpdateHandle, WithStartDefaults, WorkflowRun};
