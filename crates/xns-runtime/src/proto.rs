//! What generated code tells the runtime about each definition marker:
//! the proto's defaults and ID expressions, as trait constants. The runtime
//! reads them wherever the marker is used (client starts and run handles,
//! child workflows, activity calls, XNS), so a call needs only the marker
//! and the input, and a new option is added once, here and where it is
//! applied.

use temporalio_client::WorkflowIdConflictPolicy;
use temporalio_common::{
    ActivityDefinition, HasWorkflowDefinition, SignalDefinition, UpdateDefinition,
    WorkflowDefinition,
};

use crate::client::{IdFn, UpdateDefaults, WorkflowDefaults};
use crate::expr::SearchAttributesFn;
use crate::payload::{PayloadValue, ValueOf};
use crate::workflow::ActivityDefaults;

/// A workflow as the proto declares it, implemented by generated code on
/// the workflow's marker.
pub trait ProtoWorkflow:
    WorkflowDefinition<Input: PayloadValue, Output: PayloadValue>
    + HasWorkflowDefinition<Run = Self>
    + Default
    + Send
    + Sync
    + 'static
{
    /// Start defaults (name, task queue, timeouts, policies, ...).
    const DEFAULTS: WorkflowDefaults;
    /// The workflow's ID expression, if the proto gives one.
    const ID: Option<IdFn<ValueOf<Self::Input>>> = None;
    /// The workflow's search attribute mapping (`search_attributes` or
    /// `typed_search_attributes`), if the proto gives one.
    const SEARCH_ATTRIBUTES: Option<SearchAttributesFn<ValueOf<Self::Input>>> = None;
}

/// An update as the proto declares it, implemented by generated code on
/// the update's marker (and on the marker a workflow uses for an update
/// it shares with another).
pub trait ProtoUpdate:
    UpdateDefinition<Input: PayloadValue, Output: PayloadValue> + Default + Send + Sync + 'static
{
    /// Call defaults (the name, for errors, and the wait stage).
    const DEFAULTS: UpdateDefaults;
    /// The update's ID expression, if the proto gives one.
    const ID: Option<IdFn<ValueOf<Self::Input>>> = None;
}

/// An activity as the proto declares it, implemented by generated code on
/// the activity's marker.
pub trait ProtoActivity:
    ActivityDefinition<Input: PayloadValue, Output: PayloadValue> + Default + Send + Sync + 'static
{
    /// Call defaults (name, task queue, timeouts, retry policy, ...).
    const DEFAULTS: ActivityDefaults;
}

/// A signal the proto lets start workflow `W` (`start: true` on the
/// workflow's signal ref), implemented by generated code: a
/// signal-with-start of any other pair does not compile.
#[diagnostic::on_unimplemented(
    message = "the proto does not let signal `{Self}` start workflow `{W}`",
    label = "not a signal `{W}` starts with",
    note = "set `start: true` on the workflow's ref to this signal to allow signal-with-start"
)]
pub trait StartingSignal<W: ProtoWorkflow>:
    SignalDefinition<Workflow = W, Input: PayloadValue> + Default + Send + Sync + 'static
{
}

/// An update the proto lets start workflow `W` (`start: true` on the
/// workflow's update ref), implemented by generated code: an
/// update-with-start of any other pair does not compile.
#[diagnostic::on_unimplemented(
    message = "the proto does not let update `{Self}` start workflow `{W}`",
    label = "not an update `{W}` starts with",
    note = "set `start: true` on the workflow's ref to this update to allow update-with-start"
)]
pub trait StartingUpdate<W: ProtoWorkflow>: ProtoUpdate<Workflow = W> {
    /// The conflict policy when the call sets none: the ref's
    /// `workflow_id_conflict_policy`, else FAIL.
    const CONFLICT_POLICY: WorkflowIdConflictPolicy = WorkflowIdConflictPolicy::Fail;
}
