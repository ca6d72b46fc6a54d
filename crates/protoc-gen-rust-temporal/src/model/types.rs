//! The validated model that rendering consumes. Later stages never look at
//! raw descriptors except through the `MessageDescriptor`s kept here for
//! naming and payload descriptors.

use std::time::Duration;

use prost_reflect::MessageDescriptor;

use crate::expr::CompiledTemplate;
use crate::options::schema;

/// A method's input or output as it appears in signatures.
#[derive(Debug, Clone)]
pub enum Payload {
    /// `google.protobuf.Empty`: disappears from signatures.
    Empty,
    /// A message type that gets payload impls.
    Message(MessageDescriptor),
    /// A well-known type other than Empty (`google.protobuf.StringValue`,
    /// `Timestamp`, ...): signatures show prost's type for it, definitions
    /// the runtime's `WellKnown` wrapper.
    WellKnown(MessageDescriptor),
}

impl Payload {
    /// The message that gets payload impls: none for Empty or a
    /// well-known type.
    pub fn message(&self) -> Option<&MessageDescriptor> {
        match self {
            Payload::Message(m) => Some(m),
            Payload::Empty | Payload::WellKnown(_) => None,
        }
    }

    /// The message's descriptor, unless Empty.
    pub fn descriptor(&self) -> Option<&MessageDescriptor> {
        match self {
            Payload::Message(m) | Payload::WellKnown(m) => Some(m),
            Payload::Empty => None,
        }
    }
}

/// Identity and shape shared by every kind of method.
#[derive(Debug, Clone)]
pub struct Method {
    /// Proto method name (`CreateFoo`).
    pub name: String,
    /// `pkg.Service.Method`.
    pub full_name: String,
    /// Proto comment.
    pub comments: Option<String>,
    /// `option deprecated = true` on the rpc.
    pub deprecated: bool,
    pub input: Payload,
    pub output: Payload,
}

/// A reference from a workflow to one of its handlers, resolved.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct HandlerRef {
    /// Full name of the service that declares the handler method.
    pub service: String,
    /// Method name in that service.
    pub method: String,
}

/// Retry policy with durations converted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RetryPolicy {
    pub initial_interval: Option<Duration>,
    pub backoff_coefficient: Option<f64>,
    pub max_interval: Option<Duration>,
    pub max_attempts: Option<i32>,
    pub non_retryable_error_types: Vec<String>,
}

/// Task priority and fairness; each field `None` when the proto leaves it
/// zero.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Priority {
    pub priority_key: Option<u32>,
    pub fairness_key: Option<String>,
    pub fairness_weight: Option<f32>,
}

/// XNS activity defaults (used by the xns module).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct XnsOptions {
    pub task_queue: Option<String>,
    pub schedule_to_close_timeout: Option<Duration>,
    pub schedule_to_start_timeout: Option<Duration>,
    pub start_to_close_timeout: Option<Duration>,
    pub heartbeat_interval: Option<Duration>,
    pub heartbeat_timeout: Option<Duration>,
    pub retry_policy: Option<RetryPolicy>,
    pub parent_close_policy: schema::ParentClosePolicy,
}

/// A query a workflow declares.
#[derive(Debug, Clone)]
pub struct QueryUse {
    pub target: HandlerRef,
    pub xns: Option<XnsOptions>,
}

/// A signal a workflow declares.
#[derive(Debug, Clone)]
pub struct SignalUse {
    pub target: HandlerRef,
    /// Generate signal-with-start.
    pub start: bool,
    pub xns: Option<XnsOptions>,
}

/// An update a workflow declares.
#[derive(Debug, Clone)]
pub struct UpdateUse {
    pub target: HandlerRef,
    /// Generate update-with-start.
    pub start: bool,
    /// Conflict policy of update-with-start (FAIL when unset).
    pub conflict_policy: Option<IdConflictPolicy>,
    /// Whether the workflow validates the update (ref overrides the update's own flag).
    pub validate: bool,
    /// `validate` as written on the ref, if set.
    pub validate_override: Option<bool>,
    pub xns: Option<XnsOptions>,
}

/// Workflow ID reuse policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdReusePolicy {
    AllowDuplicate,
    AllowDuplicateFailedOnly,
    RejectDuplicate,
    /// Deprecated server-side; expressed as allow-duplicate + terminate-existing.
    TerminateIfRunning,
}

/// Workflow ID conflict policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdConflictPolicy {
    Fail,
    UseExisting,
    TerminateExisting,
}

/// A workflow definition.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub method: Method,
    /// Temporal workflow type name.
    pub name: String,
    pub aliases: Vec<String>,
    /// The ID template as written, and compiled.
    pub id: Option<(String, CompiledTemplate)>,
    pub task_queue: Option<String>,
    pub execution_timeout: Option<Duration>,
    pub run_timeout: Option<Duration>,
    pub task_timeout: Option<Duration>,
    pub id_reuse_policy: Option<IdReusePolicy>,
    pub id_conflict_policy: Option<IdConflictPolicy>,
    pub retry_policy: Option<RetryPolicy>,
    pub parent_close_policy: schema::ParentClosePolicy,
    pub wait_for_cancellation: bool,
    pub enable_eager_start: bool,
    pub priority: Option<Priority>,
    /// The search attribute mapping (`search_attributes` or
    /// `typed_search_attributes`), compiled.
    pub search_attributes: Option<crate::expr::CompiledMapping>,
    pub queries: Vec<QueryUse>,
    pub signals: Vec<SignalUse>,
    pub updates: Vec<UpdateUse>,
    pub xns: Option<XnsOptions>,
}

/// An activity definition.
#[derive(Debug, Clone)]
pub struct Activity {
    pub method: Method,
    pub name: String,
    pub task_queue: Option<String>,
    pub schedule_to_close_timeout: Option<Duration>,
    pub schedule_to_start_timeout: Option<Duration>,
    pub start_to_close_timeout: Option<Duration>,
    pub heartbeat_timeout: Option<Duration>,
    pub retry_policy: Option<RetryPolicy>,
    pub wait_for_cancellation: bool,
    pub priority: Option<Priority>,
}

/// A query definition.
#[derive(Debug, Clone)]
pub struct Query {
    pub method: Method,
    pub name: String,
    pub xns: Option<XnsOptions>,
}

/// A signal definition.
#[derive(Debug, Clone)]
pub struct Signal {
    pub method: Method,
    pub name: String,
    pub xns: Option<XnsOptions>,
}

/// Stage an update call waits for before returning a handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitStage {
    Admitted,
    Accepted,
    Completed,
}

/// An update definition.
#[derive(Debug, Clone)]
pub struct Update {
    pub method: Method,
    pub name: String,
    pub id: Option<(String, CompiledTemplate)>,
    pub validate: bool,
    pub wait_for_stage: WaitStage,
    pub xns: Option<XnsOptions>,
}

/// A service with Temporal annotations.
#[derive(Debug, Clone)]
pub struct Service {
    /// Proto service name (`Example`).
    pub name: String,
    /// `pkg.Example`.
    pub full_name: String,
    /// Proto package.
    pub package: String,
    /// The proto file that declares it.
    pub file: String,
    pub comments: Option<String>,
    pub task_queue: Option<String>,
    pub workflows: Vec<Workflow>,
    pub activities: Vec<Activity>,
    pub queries: Vec<Query>,
    pub signals: Vec<Signal>,
    pub updates: Vec<Update>,
}

impl Service {
    /// Every annotated method in declaration order of kind (workflows,
    /// activities, queries, signals, updates); a method of two kinds
    /// appears twice.
    pub fn methods(&self) -> impl Iterator<Item = &Method> {
        self.workflows
            .iter()
            .map(|w| &w.method)
            .chain(self.activities.iter().map(|a| &a.method))
            .chain(self.queries.iter().map(|a| &a.method))
            .chain(self.signals.iter().map(|a| &a.method))
            .chain(self.updates.iter().map(|a| &a.method))
    }
}

/// One generated output: the Temporal code of one proto package.
#[derive(Debug, Clone)]
pub struct PackageModel {
    pub package: String,
    /// Services in declaration order (files sorted by name).
    pub services: Vec<Service>,
    /// Messages that get payload impls in this package's output, sorted by full name.
    pub payload_messages: Vec<MessageDescriptor>,
    /// What prost declares in the package's module, which the generated
    /// code shares (for the name clash check).
    pub prost_items: Vec<crate::names::ProstItem>,
}

/// Everything generated from one request.
#[derive(Debug, Clone)]
pub struct Model {
    pub packages: Vec<PackageModel>,
    /// The options set in the protos that change nothing in the output.
    pub notices: Vec<crate::notice::Notice>,
}

impl Model {
    /// Finds a service by full name.
    pub fn service(&self, full_name: &str) -> Option<&Service> {
        self.packages
            .iter()
            .flat_map(|p| &p.services)
            .find(|s| s.full_name == full_name)
    }

    /// The first workflow (in generation order) that declares `target` as a
    /// handler: the workflow its markers are bound to.
    pub fn primary_workflow(&self, target: &HandlerRef) -> Option<(&Service, &Workflow)> {
        self.packages
            .iter()
            .flat_map(|p| &p.services)
            .find_map(|s| {
                s.workflows
                    .iter()
                    .find(|w| {
                        w.queries.iter().any(|q| &q.target == target)
                            || w.signals.iter().any(|q| &q.target == target)
                            || w.updates.iter().any(|q| &q.target == target)
                    })
                    .map(|w| (s, w))
            })
    }
}
