//! Start and update options of generated clients, and their precedence:
//! a setter wins over the caller's base options, which win over the proto
//! defaults (`WorkflowDefaults`). Task queue: setter > base > workflow >
//! service > error. Workflow ID: setter > base > ID expression > random UUID.

use std::time::Duration;

use temporalio_client::{
    WorkflowIdConflictPolicy, WorkflowIdReusePolicy, WorkflowStartOptions,
    WorkflowUpdateWithStartOptions,
};
use temporalio_common::RetryPolicy;
use temporalio_common::protos::temporal::api::common::v1::RetryPolicy as ProtoRetryPolicy;
use temporalio_common::search_attributes::SearchAttributes;

use super::{ClientError, PriorityDefaults, PriorityOverrides, priority_setters};
use crate::expr::{ClientIdEnv, EvalError, IdEnv, SearchAttributesFn};

/// A generated ID function: evaluates an ID expression on an input.
pub type IdFn<T> = fn(&T, &dyn IdEnv) -> Result<String, EvalError>;

/// Runs `id_fn` (if any) on `input` in the client environment.
pub(crate) fn eval_id<T>(
    name: &str,
    input: &T,
    id_fn: Option<IdFn<T>>,
) -> Result<Option<String>, ClientError> {
    id_fn
        .map(|f| f(input, &ClientIdEnv))
        .transpose()
        .map_err(|source| ClientError::IdExpression {
            name: name.to_string(),
            source,
        })
}

/// Workflow ID reuse policy as the proto states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdReusePolicy {
    /// Allow a new run with the same ID once the previous one closed.
    AllowDuplicate,
    /// Allow only when the previous run did not complete successfully.
    AllowDuplicateFailedOnly,
    /// Never reuse the ID.
    RejectDuplicate,
    /// Terminate a running workflow with this ID and start anew. The server
    /// expresses this as allow-duplicate plus conflict policy terminate-existing.
    TerminateIfRunning,
}

/// What happens to a child workflow when its parent closes, as the proto
/// states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParentClose {
    /// Terminate the child.
    Terminate,
    /// Leave the child running.
    Abandon,
    /// Ask the child to cancel.
    RequestCancel,
}

/// Retry policy defaults from the proto.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryDefaults {
    /// First retry interval.
    pub initial_interval: Option<Duration>,
    /// Backoff coefficient.
    pub backoff_coefficient: Option<f64>,
    /// Maximum interval.
    pub max_interval: Option<Duration>,
    /// Maximum attempts (0 = unlimited).
    pub max_attempts: u32,
    /// Error types that are not retried.
    pub non_retryable_error_types: &'static [&'static str],
}

impl RetryDefaults {
    /// No field set: the server's defaults, unlimited attempts.
    pub const NONE: Self = Self {
        initial_interval: None,
        backoff_coefficient: None,
        max_interval: None,
        max_attempts: 0,
        non_retryable_error_types: &[],
    };

    /// The SDK retry policy, with only the fields the proto sets: the
    /// server fills in the rest (initial interval 1 s, backoff 2.0), so the
    /// request carries what the Go client sends.
    pub fn to_policy(&self) -> RetryPolicy {
        let mut policy = RetryPolicy::from(ProtoRetryPolicy {
            backoff_coefficient: self.backoff_coefficient.unwrap_or_default(),
            maximum_attempts: i32::try_from(self.max_attempts).unwrap_or(i32::MAX),
            non_retryable_error_types: self
                .non_retryable_error_types
                .iter()
                .map(|t| t.to_string())
                .collect(),
            ..Default::default()
        });
        if let Some(interval) = self.initial_interval {
            policy.set_initial_interval(interval);
        }
        policy.set_maximum_interval(self.max_interval);
        policy
    }
}

/// A workflow's defaults from its proto options (generated as a constant).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WorkflowDefaults {
    /// Temporal workflow type name.
    pub name: &'static str,
    /// Workflow `task_queue`, else the service's.
    pub task_queue: Option<&'static str>,
    /// Execution timeout.
    pub execution_timeout: Option<Duration>,
    /// Run timeout.
    pub run_timeout: Option<Duration>,
    /// Workflow task timeout.
    pub task_timeout: Option<Duration>,
    /// ID reuse policy.
    pub id_reuse_policy: Option<IdReusePolicy>,
    /// ID conflict policy.
    pub id_conflict_policy: Option<WorkflowIdConflictPolicy>,
    /// Retry policy.
    pub retry_policy: Option<RetryDefaults>,
    /// Eager start.
    pub enable_eager_start: bool,
    /// What happens to the workflow, run as a child, when its parent closes.
    pub parent_close_policy: Option<ParentClose>,
    /// Whether a parent cancelling the workflow, run as a child, waits for
    /// the cancellation to complete.
    pub wait_for_cancellation: bool,
    /// Priority and fairness.
    pub priority: PriorityDefaults,
}

impl WorkflowDefaults {
    /// Defaults of the workflow `name` with no option set; generated
    /// constants write the options the proto sets and take the rest from
    /// here (`WorkflowDefaults { task_queue: .., ..WorkflowDefaults::new(NAME) }`).
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            task_queue: None,
            execution_timeout: None,
            run_timeout: None,
            task_timeout: None,
            id_reuse_policy: None,
            id_conflict_policy: None,
            retry_policy: None,
            enable_eager_start: false,
            parent_close_policy: None,
            wait_for_cancellation: false,
            priority: PriorityDefaults::NONE,
        }
    }
}

/// Options of one workflow start. Unset fields fall back to the base
/// options given with [`StartOptions::base`], then to the proto defaults.
#[derive(Debug, Clone, Default)]
pub struct StartOptions {
    base: Option<WorkflowStartOptions>,
    id: Option<String>,
    task_queue: Option<String>,
    execution_timeout: Option<Duration>,
    run_timeout: Option<Duration>,
    task_timeout: Option<Duration>,
    id_reuse_policy: Option<IdReusePolicy>,
    id_conflict_policy: Option<WorkflowIdConflictPolicy>,
    retry_policy: Option<RetryPolicy>,
    priority: PriorityOverrides,
    enable_eager_start: Option<bool>,
    error_when_already_started: bool,
}

impl StartOptions {
    /// Options with nothing set: proto defaults apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Base SDK options for everything without a setter (search attributes,
    /// memo, headers, ...). Their non-empty fields win over proto defaults;
    /// setters win over them. Empty `workflow_id`/`task_queue` count as unset.
    pub fn base(mut self, base: WorkflowStartOptions) -> Self {
        self.base = Some(base);
        self
    }

    /// Workflow ID (instead of the ID expression).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Task queue.
    pub fn task_queue(mut self, task_queue: impl Into<String>) -> Self {
        self.task_queue = Some(task_queue.into());
        self
    }

    /// Execution timeout.
    pub fn execution_timeout(mut self, timeout: Duration) -> Self {
        self.execution_timeout = Some(timeout);
        self
    }

    /// Run timeout.
    pub fn run_timeout(mut self, timeout: Duration) -> Self {
        self.run_timeout = Some(timeout);
        self
    }

    /// Workflow task timeout.
    pub fn task_timeout(mut self, timeout: Duration) -> Self {
        self.task_timeout = Some(timeout);
        self
    }

    /// ID reuse policy.
    pub fn id_reuse_policy(mut self, policy: IdReusePolicy) -> Self {
        self.id_reuse_policy = Some(policy);
        self
    }

    /// ID conflict policy.
    pub fn id_conflict_policy(mut self, policy: WorkflowIdConflictPolicy) -> Self {
        self.id_conflict_policy = Some(policy);
        self
    }

    /// Retry policy of the workflow.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    priority_setters!();

    /// Eager start.
    pub fn enable_eager_start(mut self, enable: bool) -> Self {
        self.enable_eager_start = Some(enable);
        self
    }

    /// Fail with [`ClientError::Start`] (`is_already_started()`) when the
    /// workflow ID is taken, instead of returning a handle to the run that
    /// has it. The default attaches, as Go's client does unless its
    /// `WorkflowExecutionErrorWhenAlreadyStarted` is set.
    pub fn error_when_already_started(mut self, error: bool) -> Self {
        self.error_when_already_started = error;
        self
    }

    /// Whether a taken workflow ID is an error (see
    /// [`error_when_already_started`](Self::error_when_already_started)).
    pub fn errors_when_already_started(&self) -> bool {
        self.error_when_already_started
    }

    /// The explicit ID (setter, else base), if any: the ID expression is
    /// evaluated only when this is `None`.
    pub fn explicit_id(&self) -> Option<&str> {
        self.id.as_deref().or_else(|| {
            self.base
                .as_ref()
                .map(|b| b.workflow_id.as_str())
                .filter(|s| !s.is_empty())
        })
    }

    /// Resolves the SDK options for `input`, evaluating the workflow's ID
    /// expression only when no explicit ID is set, and its search attribute
    /// mapping only when the base options set no search attributes.
    pub fn resolve_for<T>(
        self,
        defaults: &WorkflowDefaults,
        input: &T,
        id_fn: Option<IdFn<T>>,
        search_attributes: Option<SearchAttributesFn<T>>,
    ) -> Result<WorkflowStartOptions, ClientError> {
        let computed = match self.explicit_id() {
            Some(_) => None,
            None => eval_id(defaults.name, input, id_fn)?,
        };
        let mut out = self.resolve(defaults, computed)?;
        apply_search_attributes(
            &mut out.search_attributes,
            defaults.name,
            input,
            search_attributes,
        )?;
        Ok(out)
    }

    /// Resolves the SDK options. `computed_id` is the ID expression's result
    /// (only consulted when no explicit ID is set).
    pub fn resolve(
        self,
        defaults: &WorkflowDefaults,
        computed_id: Option<String>,
    ) -> Result<WorkflowStartOptions, ClientError> {
        let id = self
            .explicit_id()
            .map(str::to_string)
            .or(computed_id)
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let base_queue = self
            .base
            .as_ref()
            .map(|b| b.task_queue.clone())
            .filter(|q| !q.is_empty());
        let task_queue = self
            .task_queue
            .or(base_queue)
            .or(defaults.task_queue.map(str::to_string))
            .ok_or_else(|| ClientError::MissingTaskQueue {
                workflow: defaults.name.to_string(),
            })?;
        let mut out = match self.base {
            Some(mut base) => {
                base.workflow_id = id;
                base.task_queue = task_queue;
                base
            }
            None => WorkflowStartOptions::new(task_queue, id).build(),
        };
        out.execution_timeout = self
            .execution_timeout
            .or(out.execution_timeout)
            .or(defaults.execution_timeout);
        out.run_timeout = self
            .run_timeout
            .or(out.run_timeout)
            .or(defaults.run_timeout);
        out.task_timeout = self
            .task_timeout
            .or(out.task_timeout)
            .or(defaults.task_timeout);
        out.retry_policy = self
            .retry_policy
            .or(out.retry_policy)
            .or_else(|| defaults.retry_policy.map(|r| r.to_policy()));
        out.priority = self
            .priority
            .resolve(Some(out.priority), &defaults.priority)
            .unwrap_or_default();
        out.enable_eager_workflow_start = self
            .enable_eager_start
            .unwrap_or(out.enable_eager_workflow_start || defaults.enable_eager_start);

        let base_reuse = (out.id_reuse_policy != WorkflowIdReusePolicy::Unspecified)
            .then_some(out.id_reuse_policy);
        let base_conflict = (out.id_conflict_policy != WorkflowIdConflictPolicy::Unspecified)
            .then_some(out.id_conflict_policy);
        let (reuse, implied_conflict) = match self.id_reuse_policy.or(defaults.id_reuse_policy) {
            Some(p) if self.id_reuse_policy.is_some() || base_reuse.is_none() => sdk_reuse(p),
            _ => (
                base_reuse.unwrap_or(WorkflowIdReusePolicy::Unspecified),
                None,
            ),
        };
        out.id_reuse_policy = reuse;
        out.id_conflict_policy = self
            .id_conflict_policy
            .or(base_conflict)
            .or(implied_conflict)
            .or(defaults.id_conflict_policy)
            .unwrap_or(WorkflowIdConflictPolicy::Unspecified);
        Ok(out)
    }
}

/// Sets `attributes` from the workflow's mapping, as Go's generated
/// client does: unless the caller set some, and only when the proto has a
/// mapping.
pub(crate) fn apply_search_attributes<T>(
    attributes: &mut Option<SearchAttributes>,
    workflow: &str,
    input: &T,
    mapping: Option<SearchAttributesFn<T>>,
) -> Result<(), ClientError> {
    let Some(mapping) = mapping else {
        return Ok(());
    };
    if attributes.as_ref().is_some_and(|a| !a.is_empty()) {
        return Ok(());
    }
    let values = mapping(input).map_err(|source| ClientError::SearchAttributes {
        workflow: workflow.to_string(),
        source,
    })?;
    *attributes = Some(values.into_sdk());
    Ok(())
}

fn sdk_reuse(p: IdReusePolicy) -> (WorkflowIdReusePolicy, Option<WorkflowIdConflictPolicy>) {
    match p {
        IdReusePolicy::AllowDuplicate => (WorkflowIdReusePolicy::AllowDuplicate, None),
        IdReusePolicy::AllowDuplicateFailedOnly => {
            (WorkflowIdReusePolicy::AllowDuplicateFailedOnly, None)
        }
        IdReusePolicy::RejectDuplicate => (WorkflowIdReusePolicy::RejectDuplicate, None),
        IdReusePolicy::TerminateIfRunning => (
            WorkflowIdReusePolicy::AllowDuplicate,
            Some(WorkflowIdConflictPolicy::TerminateExisting),
        ),
    }
}

/// Stage an update call waits for before it returns a handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitStage {
    /// Return once the server admitted the update. The Rust SDK cannot
    /// return earlier than acceptance, so this behaves as `Accepted`.
    Admitted,
    /// Return once the workflow accepted the update (validator passed).
    Accepted,
    /// Return once the update completed.
    Completed,
}

/// An update's defaults from its proto options.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UpdateDefaults {
    /// Temporal update name.
    pub name: &'static str,
    /// Stage the async form waits for (`wait_for_stage`, default Accepted).
    pub wait_for_stage: WaitStage,
}

/// Options of one update call.
#[derive(Debug, Clone, Default)]
pub struct UpdateOptions {
    id: Option<String>,
    wait_for_stage: Option<WaitStage>,
}

impl UpdateOptions {
    /// Nothing set: proto defaults apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Update ID (instead of the ID expression or a random one).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Stage the async form waits for.
    pub fn wait_for_stage(mut self, stage: WaitStage) -> Self {
        self.wait_for_stage = Some(stage);
        self
    }

    /// The explicit update ID, if any.
    pub fn explicit_id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The update ID: setter > ID expression on `input` > `None` (the SDK
    /// then generates one).
    pub fn resolve_id<T>(
        &self,
        defaults: &UpdateDefaults,
        input: &T,
        id_fn: Option<IdFn<T>>,
    ) -> Result<Option<String>, ClientError> {
        match &self.id {
            Some(id) => Ok(Some(id.clone())),
            None => eval_id(defaults.name, input, id_fn),
        }
    }

    /// The stage to wait for: setter > proto.
    pub fn stage(&self, defaults: &UpdateDefaults) -> WaitStage {
        self.wait_for_stage.unwrap_or(defaults.wait_for_stage)
    }
}

/// Options of update-with-start: the start options plus the update's.
#[derive(Debug, Clone, Default)]
pub struct UpdateWithStartOptions {
    /// Options of the workflow start.
    pub start: StartOptions,
    /// Options of the update.
    pub update: UpdateOptions,
}

impl UpdateWithStartOptions {
    /// Nothing set: proto defaults apply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets the start options.
    pub fn start(mut self, start: StartOptions) -> Self {
        self.start = start;
        self
    }

    /// Sets the update options.
    pub fn update(mut self, update: UpdateOptions) -> Self {
        self.update = update;
        self
    }

    /// Resolves the SDK options. The conflict policy is, in the order of
    /// Go's generated code: the start options' setter, the caller's base
    /// options', the workflow's own `workflow_id_conflict_policy` (as for a
    /// start), then `conflict_policy`, the update ref's (FAIL when unset).
    pub fn resolve(
        self,
        defaults: &WorkflowDefaults,
        computed_id: Option<String>,
        conflict_policy: WorkflowIdConflictPolicy,
        update_id: Option<String>,
    ) -> Result<WorkflowUpdateWithStartOptions, ClientError> {
        let start = self.start.resolve(defaults, computed_id)?;
        let conflict = match start.id_conflict_policy {
            WorkflowIdConflictPolicy::Unspecified => conflict_policy,
            set => set,
        };
        Ok(Self::combine(start, conflict, update_id))
    }

    fn combine(
        start: WorkflowStartOptions,
        conflict: WorkflowIdConflictPolicy,
        update_id: Option<String>,
    ) -> WorkflowUpdateWithStartOptions {
        let mut out =
            WorkflowUpdateWithStartOptions::new(start.task_queue, start.workflow_id, conflict)
                .build();
        out.id_reuse_policy = start.id_reuse_policy;
        out.execution_timeout = start.execution_timeout;
        out.run_timeout = start.run_timeout;
        out.task_timeout = start.task_timeout;
        out.search_attributes = start.search_attributes;
        out.retry_policy = start.retry_policy;
        out.priority = start.priority;
        out.memo = start.memo;
        out.static_summary = start.static_summary;
        out.static_details = start.static_details;
        out.update_id = update_id;
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULTS: WorkflowDefaults = WorkflowDefaults {
        name: "example.v1.Example.CreateFoo",
        task_queue: Some("proto-queue"),
        execution_timeout: Some(Duration::from_secs(3600)),
        run_timeout: None,
        task_timeout: Some(Duration::from_secs(10)),
        id_reuse_policy: Some(IdReusePolicy::RejectDuplicate),
        id_conflict_policy: None,
        retry_policy: Some(RetryDefaults {
            initial_interval: Some(Duration::from_secs(2)),
            backoff_coefficient: None,
            max_interval: None,
            max_attempts: 3,
            non_retryable_error_types: &["Fatal"],
        }),
        enable_eager_start: false,
        parent_close_policy: None,
        wait_for_cancellation: false,
        priority: PriorityDefaults {
            priority_key: Some(2),
            fairness_key: Some("default"),
            fairness_weight: None,
        },
    };

    #[test]
    fn proto_defaults_apply_when_nothing_is_set() {
        let o = StartOptions::new()
            .resolve(&DEFAULTS, Some("from-expr".into()))
            .unwrap();
        assert_eq!(o.workflow_id, "from-expr");
        assert_eq!(o.task_queue, "proto-queue");
        assert_eq!(o.execution_timeout, Some(Duration::from_secs(3600)));
        assert_eq!(o.task_timeout, Some(Duration::from_secs(10)));
        assert_eq!(o.id_reuse_policy, WorkflowIdReusePolicy::RejectDuplicate);
        let retry = o.retry_policy.unwrap();
        assert_eq!(retry.maximum_attempts(), 3);
        assert_eq!(retry.initial_interval(), Duration::from_secs(2));
        assert_eq!(o.priority.priority_key, Some(2));
        assert_eq!(o.priority.fairness_key.as_deref(), Some("default"));
        assert_eq!(o.priority.fairness_weight, None);
    }

    #[test]
    fn priority_fields_fill_the_base_and_setters_win() {
        let mut base = WorkflowStartOptions::new("", "").build();
        base.priority.priority_key = Some(5);
        let o = StartOptions::new()
            .base(base.clone())
            .resolve(&DEFAULTS, None)
            .unwrap();
        assert_eq!(o.priority.priority_key, Some(5), "the base's field");
        assert_eq!(o.priority.fairness_key.as_deref(), Some("default"));
        let o = StartOptions::new()
            .base(base)
            .fairness_weight(2.5)
            .priority_key(1)
            .resolve(&DEFAULTS, None)
            .unwrap();
        assert_eq!(o.priority.priority_key, Some(1));
        assert_eq!(o.priority.fairness_weight, Some(2.5));
    }

    #[test]
    fn retry_policy_carries_only_what_the_proto_sets() {
        // As the Go client sends it; the server fills in the rest.
        let policy = ProtoRetryPolicy::from(DEFAULTS.retry_policy.unwrap().to_policy());
        assert_eq!(
            policy.initial_interval.map(|d| (d.seconds, d.nanos)),
            Some((2, 0))
        );
        assert_eq!(policy.backoff_coefficient, 0.0, "unset");
        assert_eq!(policy.maximum_interval, None);
        assert_eq!(policy.maximum_attempts, 3);
        assert_eq!(policy.non_retryable_error_types, ["Fatal"]);
    }

    #[test]
    fn base_beats_proto_and_setter_beats_base() {
        let mut base = WorkflowStartOptions::new("base-queue", "base-id").build();
        base.execution_timeout = Some(Duration::from_secs(60));
        base.id_reuse_policy = WorkflowIdReusePolicy::AllowDuplicate;
        let o = StartOptions::new()
            .base(base.clone())
            .resolve(&DEFAULTS, Some("from-expr".into()))
            .unwrap();
        assert_eq!(o.workflow_id, "base-id");
        assert_eq!(o.task_queue, "base-queue");
        assert_eq!(o.execution_timeout, Some(Duration::from_secs(60)));
        assert_eq!(o.id_reuse_policy, WorkflowIdReusePolicy::AllowDuplicate);
        // Fields the base leaves unset still come from the proto.
        assert_eq!(o.task_timeout, Some(Duration::from_secs(10)));

        let o = StartOptions::new()
            .base(base)
            .id("setter-id")
            .task_queue("setter-queue")
            .execution_timeout(Duration::from_secs(5))
            .id_reuse_policy(IdReusePolicy::TerminateIfRunning)
            .resolve(&DEFAULTS, Some("from-expr".into()))
            .unwrap();
        assert_eq!(o.workflow_id, "setter-id");
        assert_eq!(o.task_queue, "setter-queue");
        assert_eq!(o.execution_timeout, Some(Duration::from_secs(5)));
        assert_eq!(o.id_reuse_policy, WorkflowIdReusePolicy::AllowDuplicate);
        assert_eq!(
            o.id_conflict_policy,
            WorkflowIdConflictPolicy::TerminateExisting
        );
    }

    #[test]
    fn explicit_id_skips_the_expression() {
        assert_eq!(StartOptions::new().explicit_id(), None);
        assert_eq!(StartOptions::new().id("x").explicit_id(), Some("x"));
        let base = WorkflowStartOptions::new("", "").build();
        assert_eq!(StartOptions::new().base(base).explicit_id(), None);
    }

    #[test]
    fn missing_id_becomes_a_uuid_and_missing_queue_is_an_error() {
        let o = StartOptions::new().resolve(&DEFAULTS, None).unwrap();
        assert_eq!(
            uuid::Uuid::parse_str(&o.workflow_id).map(|u| u.get_version_num()),
            Ok(4)
        );
        let no_queue = WorkflowDefaults {
            task_queue: None,
            ..DEFAULTS
        };
        let err = StartOptions::new().resolve(&no_queue, None).unwrap_err();
        assert!(err.to_string().contains("task queue is required"), "{err}");
    }

    #[test]
    fn update_with_start_conflict_policy_precedence() {
        let o = UpdateWithStartOptions::new()
            .resolve(
                &DEFAULTS,
                Some("id".into()),
                WorkflowIdConflictPolicy::Fail,
                Some("u".into()),
            )
            .unwrap();
        assert_eq!(o.id_conflict_policy, WorkflowIdConflictPolicy::Fail);
        assert_eq!(o.update_id.as_deref(), Some("u"));
        let o = UpdateWithStartOptions::new()
            .start(StartOptions::new().id_conflict_policy(WorkflowIdConflictPolicy::UseExisting))
            .resolve(
                &DEFAULTS,
                Some("id".into()),
                WorkflowIdConflictPolicy::Fail,
                None,
            )
            .unwrap();
        assert_eq!(o.id_conflict_policy, WorkflowIdConflictPolicy::UseExisting);

        // The caller's base options, then the workflow's own policy, come
        // before the update ref's.
        let mut base = WorkflowStartOptions::new("", "").build();
        base.id_conflict_policy = WorkflowIdConflictPolicy::TerminateExisting;
        let o = UpdateWithStartOptions::new()
            .start(StartOptions::new().base(base))
            .resolve(&DEFAULTS, None, WorkflowIdConflictPolicy::Fail, None)
            .unwrap();
        assert_eq!(
            o.id_conflict_policy,
            WorkflowIdConflictPolicy::TerminateExisting
        );
        let workflow_default = WorkflowDefaults {
            id_conflict_policy: Some(WorkflowIdConflictPolicy::UseExisting),
            ..DEFAULTS
        };
        let o = UpdateWithStartOptions::new()
            .resolve(
                &workflow_default,
                None,
                WorkflowIdConflictPolicy::Fail,
                None,
            )
            .unwrap();
        assert_eq!(o.id_conflict_policy, WorkflowIdConflictPolicy::UseExisting);
    }

    #[test]
    fn update_stage_precedence() {
        let d = UpdateDefaults {
            name: "u",
            wait_for_stage: WaitStage::Completed,
        };
        assert_eq!(UpdateOptions::new().stage(&d), WaitStage::Completed);
        assert_eq!(
            UpdateOptions::new()
                .wait_for_stage(WaitStage::Accepted)
                .stage(&d),
            WaitStage::Accepted
        );
    }
}
