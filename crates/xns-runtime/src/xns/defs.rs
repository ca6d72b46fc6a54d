//! What generated code tells the runtime about a service's items: the
//! traits its definition markers implement for XNS, and the proto's `xns`
//! defaults.

use std::time::Duration;

use temporalio_common::{
    HasWorkflowDefinition, QueryDefinition, SignalDefinition, UpdateDefinition,
};

use super::codec::AnyValue;
use crate::client::{ParentClose, RetryDefaults};
use crate::payload::PayloadValue;
use crate::proto::{ProtoUpdate, ProtoWorkflow, StartingSignal, StartingUpdate};

/// The XNS defaults of one workflow, query, signal or update, from its
/// proto `xns` options (generated as a constant).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct XnsDefaults {
    /// Task queue of the XNS activity (`xns.task_queue`); `None` runs it on
    /// the calling workflow's queue.
    pub task_queue: Option<&'static str>,
    /// Schedule-to-close timeout of the XNS activity.
    pub schedule_to_close_timeout: Option<Duration>,
    /// Schedule-to-start timeout of the XNS activity.
    pub schedule_to_start_timeout: Option<Duration>,
    /// Start-to-close timeout of the XNS activity.
    pub start_to_close_timeout: Option<Duration>,
    /// Heartbeat interval of the XNS activity.
    pub heartbeat_interval: Option<Duration>,
    /// Heartbeat timeout of the XNS activity.
    pub heartbeat_timeout: Option<Duration>,
    /// Retry policy of the XNS activity (never the workflow's own).
    pub retry_policy: Option<RetryDefaults>,
    /// What happens to the remote workflow when the call is cancelled:
    /// `xns.parent_close_policy`, else the workflow's `parent_close_policy`.
    pub parent_close_policy: Option<ParentClose>,
}

impl XnsDefaults {
    /// No `xns` option set.
    pub const NONE: Self = Self {
        task_queue: None,
        schedule_to_close_timeout: None,
        schedule_to_start_timeout: None,
        start_to_close_timeout: None,
        heartbeat_interval: None,
        heartbeat_timeout: None,
        retry_policy: None,
        parent_close_policy: None,
    };
}

/// Heartbeat timeout when neither the call nor the proto sets one.
pub const DEFAULT_HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(60);
/// Schedule-to-close timeout of workflow and update calls when no close
/// timeout is set anywhere.
pub const DEFAULT_LONG_CALL_TIMEOUT: Duration = Duration::from_secs(24 * 60 * 60);
/// Schedule-to-close timeout of query, signal and cancel calls when no
/// close timeout is set anywhere.
pub const DEFAULT_SHORT_CALL_TIMEOUT: Duration = Duration::from_secs(60);

/// A workflow that XNS can start, await and attach to in another
/// namespace (implemented by generated code on the workflow's marker).
pub trait XnsWorkflow: ProtoWorkflow<Input: AnyValue + Sync, Output: Sync> {
    /// XNS defaults of the workflow (applied in the caller); none by default.
    const XNS: &'static XnsDefaults = &XnsDefaults::NONE;
    /// Name of the XNS activity that starts the workflow and waits.
    const ACTIVITY: &'static str;
    /// Name of the XNS activity that attaches to a run and waits.
    const GET_ACTIVITY: &'static str;
    /// Name of the service's XNS activity that cancels a workflow.
    const CANCEL_ACTIVITY: &'static str;
    /// Name of the service's XNS activity that terminates a workflow.
    const TERMINATE_ACTIVITY: &'static str;
}

/// A query XNS can run against a workflow in another namespace.
pub trait XnsQuery:
    QueryDefinition<
        Workflow: HasWorkflowDefinition<Run = <Self as QueryDefinition>::Workflow> + Send + Sync,
        Input: AnyValue + Sync,
        Output: PayloadValue + Sync,
    > + Default
    + Send
    + Sync
    + 'static
{
    /// XNS defaults of the query; none by default.
    const XNS: &'static XnsDefaults = &XnsDefaults::NONE;
    /// Name of the XNS activity of the query.
    const ACTIVITY: &'static str;
}

/// A signal XNS can send to a workflow in another namespace.
pub trait XnsSignal:
    SignalDefinition<
        Workflow: HasWorkflowDefinition<Run = <Self as SignalDefinition>::Workflow> + Send + Sync,
        Input: AnyValue + Sync,
    > + Default
    + Send
    + Sync
    + 'static
{
    /// XNS defaults of the signal; none by default.
    const XNS: &'static XnsDefaults = &XnsDefaults::NONE;
    /// Name of the XNS activity of the signal.
    const ACTIVITY: &'static str;
}

/// An update XNS can run against a workflow in another namespace.
pub trait XnsUpdate:
    ProtoUpdate<
        Workflow: HasWorkflowDefinition<Run = <Self as UpdateDefinition>::Workflow> + Send + Sync,
        Input: AnyValue + Sync,
        Output: PayloadValue + Sync,
    >
{
    /// XNS defaults of the update; none by default.
    const XNS: &'static XnsDefaults = &XnsDefaults::NONE;
    /// Name of the XNS activity of the update.
    const ACTIVITY: &'static str;
}

/// A query, signal or update that workflow `W` declares (a `query`,
/// `signal` or `update` ref in its proto options): what an XNS run handle
/// of `W` may call.
#[diagnostic::on_unimplemented(
    message = "workflow `{W}` does not declare `{Self}` in its proto",
    label = "not a handler of this workflow",
    note = "the run handle calls the handlers the workflow's options refer to; \
            call others by workflow ID (`xns::query`, `xns::signal`, `xns::update`)"
)]
pub trait XnsHandlerOf<W> {
    /// The XNS defaults of the workflow's ref, when it sets `xns`: they
    /// replace the handler's own for calls through the run handle, as in
    /// Go.
    const REF_XNS: Option<&'static XnsDefaults> = None;
}

/// A signal-with-start XNS can run in another namespace: workflow `W`
/// started with this signal.
pub trait XnsStartingSignal<W: XnsWorkflow>: XnsSignal<Workflow = W> + StartingSignal<W> {
    /// Name of the XNS activity (`<service>.<Workflow>With<Signal>`).
    const START_ACTIVITY: &'static str;
    /// The XNS defaults of the workflow's signal ref, when it sets `xns`:
    /// they replace the workflow's, as in Go.
    const REF_XNS: Option<&'static XnsDefaults> = None;
}

/// An update-with-start XNS can run in another namespace: workflow `W`
/// started with this update.
pub trait XnsStartingUpdate<W: XnsWorkflow>: XnsUpdate<Workflow = W> + StartingUpdate<W> {
    /// Name of the XNS activity (`<service>.<Workflow>With<Update>`).
    const START_ACTIVITY: &'static str;
    /// The XNS defaults of the workflow's update ref, when it sets `xns`:
    /// they replace the update's own, as in Go.
    const REF_XNS: Option<&'static XnsDefaults> = None;
}
