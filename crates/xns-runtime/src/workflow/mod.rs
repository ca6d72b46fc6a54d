//! Helpers generated workflow code uses inside a workflow: typed activity
//! calls (remote and local), child workflows and signals to external
//! workflows, each with option builders whose defaults come from the proto.
//!
//! Precedence everywhere: a setter on the call > the proto option of the
//! method > the proto option of the service > the SDK's behaviour (for the
//! task queue: the current workflow's queue). ID expressions of child
//! workflows are evaluated with [`WorkflowIdEnv`], which draws randomness
//! and time from the workflow context, so IDs are the same on replay.

mod activity;
mod child;
mod external;
mod id_env;

pub use activity::{ActivityCall, ActivityDefaults, ActivityResult, LocalActivityCall};
pub use child::{ChildCall, ChildError, ChildRun};
pub use external::signal_external;
pub use id_env::WorkflowIdEnv;
