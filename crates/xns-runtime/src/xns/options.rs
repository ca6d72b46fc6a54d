//! Option builders of XNS calls, mirroring the Go generator's: options of
//! the remote workflow start, of the XNS activity that makes the call, its
//! heartbeats, the parent close policy and detached mode.
//!
//! Precedence: a setter > the proto's `xns` options > the contract's
//! defaults (heartbeat timeout 60 s, interval half of it, schedule-to-close
//! 24 h for workflow and update calls and 1 min for the others).

use std::time::Duration;

use temporalio_client::WorkflowIdConflictPolicy;
use temporalio_common::RetryPolicy;
use temporalio_common::protos::temporal::api::enums::v1::WorkflowIdConflictPolicy as ProtoConflictPolicy;
use temporalio_workflow::{
    ActivityCancellationType, ActivityCloseTimeouts, ActivityOptions, WorkflowCancellationToken,
};

use super::defs::{DEFAULT_HEARTBEAT_TIMEOUT, XnsDefaults};
use super::wire;
use crate::client::{IdReusePolicy, ParentClose};

/// Settings of the XNS activity itself, shared by every call kind.
#[derive(Debug, Clone, Default)]
pub(crate) struct ActivitySettings {
    name: Option<String>,
    task_queue: Option<String>,
    schedule_to_close: Option<Duration>,
    schedule_to_start: Option<Duration>,
    start_to_close: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    heartbeat_interval: Option<Duration>,
    heartbeat_timeout: Option<Duration>,
}

/// How an XNS activity's heartbeat timeout defaults when only the interval
/// is set: Go's generator does it one way for workflow starts and another
/// for the rest, and ours follows it call by call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Heartbeat {
    /// A workflow start and its `Get`: the timeout defaults to 60 s.
    Start,
    /// Queries, signals, updates and with-start calls: twice the interval
    /// when only that is set, else 60 s.
    Paired,
}

impl ActivitySettings {
    /// The XNS activity's name: the option, else `default`.
    pub(crate) fn name<'n>(&'n self, default: &'n str) -> &'n str {
        self.name.as_deref().unwrap_or(default)
    }

    fn heartbeat_timeout(&self, d: &XnsDefaults, rule: Heartbeat) -> Duration {
        let interval = self.heartbeat_interval.or(d.heartbeat_interval);
        self.heartbeat_timeout
            .or(d.heartbeat_timeout)
            .unwrap_or(match (rule, interval) {
                (Heartbeat::Paired, Some(interval)) => interval * 2,
                _ => DEFAULT_HEARTBEAT_TIMEOUT,
            })
    }

    /// The heartbeat interval the activity uses.
    pub(crate) fn heartbeat_interval(&self, d: &XnsDefaults, rule: Heartbeat) -> Duration {
        self.heartbeat_interval
            .or(d.heartbeat_interval)
            .unwrap_or_else(|| self.heartbeat_timeout(d, rule) / 2)
    }

    /// The SDK options of the XNS activity. `fallback` is the
    /// schedule-to-close timeout when no close timeout is set anywhere.
    pub(crate) fn activity_options(
        &self,
        d: &XnsDefaults,
        fallback: Duration,
        token: WorkflowCancellationToken,
        rule: Heartbeat,
    ) -> ActivityOptions {
        let schedule_to_close = self.schedule_to_close.or(d.schedule_to_close_timeout);
        let start_to_close = self.start_to_close.or(d.start_to_close_timeout);
        let close = match (schedule_to_close, start_to_close) {
            (Some(schedule_to_close), Some(start_to_close)) => {
                ActivityCloseTimeouts::ScheduleAndStartToClose {
                    schedule_to_close,
                    start_to_close,
                }
            }
            (Some(d), None) => ActivityCloseTimeouts::ScheduleToClose(d),
            (None, Some(d)) => ActivityCloseTimeouts::StartToClose(d),
            (None, None) => ActivityCloseTimeouts::ScheduleToClose(fallback),
        };
        let mut o = ActivityOptions::with_close_timeouts(close).build();
        o.task_queue = self.task_queue.clone().or(d.task_queue.map(str::to_string));
        o.schedule_to_start_timeout = self.schedule_to_start.or(d.schedule_to_start_timeout);
        o.heartbeat_timeout = Some(self.heartbeat_timeout(d, rule));
        o.retry_policy = self
            .retry_policy
            .clone()
            .or_else(|| d.retry_policy.map(|r| r.to_policy()));
        // The caller waits for the XNS activity to finish its cancellation,
        // so the remote side is dealt with before the caller moves on.
        o.cancellation_type = ActivityCancellationType::WaitCancellationCompleted;
        o.cancellation_token = Some(token);
        o
    }
}

macro_rules! activity_setters {
    () => {
        /// Name of the XNS activity to schedule, for activities a worker
        /// registered under another name with its registration filter.
        pub fn activity_name(mut self, name: impl Into<String>) -> Self {
            self.activity.name = Some(name.into());
            self
        }

        /// Task queue of the XNS activity (default: `xns.task_queue`, else
        /// the calling workflow's queue).
        pub fn activity_task_queue(mut self, task_queue: impl Into<String>) -> Self {
            self.activity.task_queue = Some(task_queue.into());
            self
        }

        /// Schedule-to-close timeout of the XNS activity.
        pub fn schedule_to_close_timeout(mut self, timeout: Duration) -> Self {
            self.activity.schedule_to_close = Some(timeout);
            self
        }

        /// Schedule-to-start timeout of the XNS activity.
        pub fn schedule_to_start_timeout(mut self, timeout: Duration) -> Self {
            self.activity.schedule_to_start = Some(timeout);
            self
        }

        /// Start-to-close timeout of the XNS activity.
        pub fn start_to_close_timeout(mut self, timeout: Duration) -> Self {
            self.activity.start_to_close = Some(timeout);
            self
        }

        /// Retry policy of the XNS activity (default: `xns.retry_policy`).
        pub fn activity_retry_policy(mut self, policy: RetryPolicy) -> Self {
            self.activity.retry_policy = Some(policy);
            self
        }

        /// How often the XNS activity heartbeats while it waits (default:
        /// `xns.heartbeat_interval`, else half the heartbeat timeout).
        pub fn heartbeat_interval(mut self, interval: Duration) -> Self {
            self.activity.heartbeat_interval = Some(interval);
            self
        }

        /// Heartbeat timeout of the XNS activity (default:
        /// `xns.heartbeat_timeout`, else 60 s).
        pub fn heartbeat_timeout(mut self, timeout: Duration) -> Self {
            self.activity.heartbeat_timeout = Some(timeout);
            self
        }
    };
}

/// Options of an XNS call that starts (or attaches to) a workflow in the
/// target namespace.
#[derive(Debug, Clone, Default)]
pub struct WorkflowCallOptions {
    pub(crate) activity: ActivitySettings,
    pub(crate) id: Option<String>,
    task_queue: Option<String>,
    execution_timeout: Option<Duration>,
    run_timeout: Option<Duration>,
    task_timeout: Option<Duration>,
    start_delay: Option<Duration>,
    id_reuse_policy: Option<IdReusePolicy>,
    id_conflict_policy: Option<WorkflowIdConflictPolicy>,
    retry_policy: Option<RetryPolicy>,
    memo: Option<serde_json::Map<String, serde_json::Value>>,
    search_attributes: Option<serde_json::Map<String, serde_json::Value>>,
    enable_eager_start: bool,
    error_when_already_started: bool,
    pub(crate) parent_close_policy: Option<ParentClose>,
    pub(crate) detached: bool,
}

impl WorkflowCallOptions {
    /// Options with nothing set: proto defaults apply.
    pub fn new() -> Self {
        Self::default()
    }

    activity_setters!();

    /// Remote workflow ID (default: the ID expression, else a
    /// deterministic UUID from the calling workflow).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// Task queue of the remote workflow (default: the proto's).
    pub fn task_queue(mut self, task_queue: impl Into<String>) -> Self {
        self.task_queue = Some(task_queue.into());
        self
    }

    /// Execution timeout of the remote workflow.
    pub fn execution_timeout(mut self, timeout: Duration) -> Self {
        self.execution_timeout = Some(timeout);
        self
    }

    /// Run timeout of the remote workflow.
    pub fn run_timeout(mut self, timeout: Duration) -> Self {
        self.run_timeout = Some(timeout);
        self
    }

    /// Workflow task timeout of the remote workflow.
    pub fn task_timeout(mut self, timeout: Duration) -> Self {
        self.task_timeout = Some(timeout);
        self
    }

    /// Delay before the remote workflow's first task (carried on the wire
    /// for Go workers; the Rust client has no start delay and ignores it).
    pub fn start_delay(mut self, delay: Duration) -> Self {
        self.start_delay = Some(delay);
        self
    }

    /// ID reuse policy of the remote workflow.
    pub fn id_reuse_policy(mut self, policy: IdReusePolicy) -> Self {
        self.id_reuse_policy = Some(policy);
        self
    }

    /// ID conflict policy of the remote start (default: use the running
    /// workflow, so that a retried call attaches to the run it started).
    pub fn id_conflict_policy(mut self, policy: WorkflowIdConflictPolicy) -> Self {
        self.id_conflict_policy = Some(policy);
        self
    }

    /// Retry policy of the remote workflow.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry_policy = Some(policy);
        self
    }

    /// Memo of the remote workflow.
    pub fn memo(mut self, memo: serde_json::Map<String, serde_json::Value>) -> Self {
        self.memo = Some(memo);
        self
    }

    /// Untyped search attributes of the remote workflow.
    pub fn search_attributes(
        mut self,
        attributes: serde_json::Map<String, serde_json::Value>,
    ) -> Self {
        self.search_attributes = Some(attributes);
        self
    }

    /// Eager start of the remote workflow.
    pub fn enable_eager_start(mut self, enable: bool) -> Self {
        self.enable_eager_start = enable;
        self
    }

    /// Fail when a workflow with the ID is already running instead of
    /// attaching to it.
    pub fn error_when_already_started(mut self, error: bool) -> Self {
        self.error_when_already_started = error;
        self
    }

    /// What happens to the remote workflow when this call is cancelled
    /// (including when the calling workflow closes first).
    pub fn parent_close_policy(mut self, policy: ParentClose) -> Self {
        self.parent_close_policy = Some(policy);
        self
    }

    /// Return once the remote workflow started, without its result.
    pub fn detached(mut self, detached: bool) -> Self {
        self.detached = detached;
        self
    }

    /// The wire start options for the remote workflow `workflow_id`.
    pub(crate) fn wire_start_options(&self, workflow_id: String) -> wire::StartWorkflowOptions {
        wire::StartWorkflowOptions {
            id: workflow_id,
            task_queue: self.task_queue.clone().unwrap_or_default(),
            execution_timeout: self.execution_timeout.map(to_wire_duration),
            run_timeout: self.run_timeout.map(to_wire_duration),
            task_timeout: self.task_timeout.map(to_wire_duration),
            id_reuse_policy: self.id_reuse_policy.map_or(
                wire::IdReusePolicy::WorkflowIdReusePolicyUnspecified,
                reuse_to_wire,
            ) as i32,
            error_when_already_started: self.error_when_already_started,
            retry_policy: self.retry_policy.as_ref().map(retry_to_wire),
            memo: self.memo.clone().map(json_to_struct),
            search_attirbutes: self.search_attributes.clone().map(json_to_struct),
            enable_eager_start: self.enable_eager_start,
            start_delay: self.start_delay.map(to_wire_duration),
            workflow_id_conflict_policy: self.id_conflict_policy.map_or(0, conflict_to_wire),
        }
    }

    /// The parent close policy on the wire.
    pub(crate) fn wire_parent_close(&self, d: &XnsDefaults) -> wire::ParentClosePolicy {
        match self.parent_close_policy.or(d.parent_close_policy) {
            None => wire::ParentClosePolicy::Unspecified,
            Some(ParentClose::Terminate) => wire::ParentClosePolicy::Terminate,
            Some(ParentClose::Abandon) => wire::ParentClosePolicy::Abandon,
            Some(ParentClose::RequestCancel) => wire::ParentClosePolicy::RequestCancel,
        }
    }
}

/// Options of an XNS query, signal, update or cancel call.
#[derive(Debug, Clone, Default)]
pub struct CallOptions {
    pub(crate) activity: ActivitySettings,
    pub(crate) update_id: Option<String>,
}

impl CallOptions {
    /// Options with nothing set: proto defaults apply.
    pub fn new() -> Self {
        Self::default()
    }

    activity_setters!();

    /// Update ID (updates only; default: the update's ID expression, else
    /// a deterministic UUID from the calling workflow).
    pub fn update_id(mut self, id: impl Into<String>) -> Self {
        self.update_id = Some(id.into());
        self
    }
}

/// A wire duration (saturating at the protobuf maximum).
pub(crate) fn to_wire_duration(d: Duration) -> prost_types::Duration {
    prost_types::Duration::try_from(d).unwrap_or(prost_types::Duration {
        seconds: 315_576_000_000,
        nanos: 0,
    })
}

/// A wire duration as a `Duration`; zero, negative and unset durations are
/// unset (Go writes zero for "not set").
pub(crate) fn from_wire_duration(d: Option<&prost_types::Duration>) -> Option<Duration> {
    Duration::try_from(*d?).ok().filter(|d| !d.is_zero())
}

fn conflict_to_wire(p: WorkflowIdConflictPolicy) -> i32 {
    ProtoConflictPolicy::from(p) as i32
}

/// The conflict policy a wire value names, if any.
pub(crate) fn conflict_from_wire(v: i32) -> Option<WorkflowIdConflictPolicy> {
    match ProtoConflictPolicy::try_from(v).ok()? {
        ProtoConflictPolicy::Unspecified => None,
        ProtoConflictPolicy::Fail => Some(WorkflowIdConflictPolicy::Fail),
        ProtoConflictPolicy::UseExisting => Some(WorkflowIdConflictPolicy::UseExisting),
        ProtoConflictPolicy::TerminateExisting => Some(WorkflowIdConflictPolicy::TerminateExisting),
    }
}

fn reuse_to_wire(p: IdReusePolicy) -> wire::IdReusePolicy {
    match p {
        IdReusePolicy::AllowDuplicate => wire::IdReusePolicy::WorkflowIdReusePolicyAllowDuplicate,
        IdReusePolicy::AllowDuplicateFailedOnly => {
            wire::IdReusePolicy::WorkflowIdReusePolicyAllowDuplicateFailedOnly
        }
        IdReusePolicy::RejectDuplicate => wire::IdReusePolicy::WorkflowIdReusePolicyRejectDuplicate,
        IdReusePolicy::TerminateIfRunning => {
            wire::IdReusePolicy::WorkflowIdReusePolicyTerminateIfRunning
        }
    }
}

/// The reuse policy a wire value names, if any.
pub(crate) fn reuse_from_wire(v: i32) -> Option<IdReusePolicy> {
    match wire::IdReusePolicy::try_from(v).ok()? {
        wire::IdReusePolicy::WorkflowIdReusePolicyUnspecified => None,
        wire::IdReusePolicy::WorkflowIdReusePolicyAllowDuplicate => {
            Some(IdReusePolicy::AllowDuplicate)
        }
        wire::IdReusePolicy::WorkflowIdReusePolicyAllowDuplicateFailedOnly => {
            Some(IdReusePolicy::AllowDuplicateFailedOnly)
        }
        wire::IdReusePolicy::WorkflowIdReusePolicyRejectDuplicate => {
            Some(IdReusePolicy::RejectDuplicate)
        }
        wire::IdReusePolicy::WorkflowIdReusePolicyTerminateIfRunning => {
            Some(IdReusePolicy::TerminateIfRunning)
        }
    }
}

fn retry_to_wire(p: &RetryPolicy) -> wire::RetryPolicy {
    wire::RetryPolicy {
        initial_interval: Some(to_wire_duration(p.initial_interval())),
        backoff_coefficient: p.backoff_coefficient(),
        max_interval: p.maximum_interval().map(to_wire_duration),
        max_attempts: i32::try_from(p.maximum_attempts()).unwrap_or(i32::MAX),
        non_retryable_error_types: p
            .non_retryable_error_types()
            .iter()
            .map(ToString::to_string)
            .collect(),
    }
}

/// The SDK retry policy a wire one describes; `None` when it sets nothing.
pub(crate) fn retry_from_wire(p: &wire::RetryPolicy) -> Option<RetryPolicy> {
    let mut out = RetryPolicy::default();
    let mut empty = true;
    if let Some(d) = from_wire_duration(p.initial_interval.as_ref()) {
        out.set_initial_interval(d);
        empty = false;
    }
    if p.backoff_coefficient != 0.0 {
        out.set_backoff_coefficient(p.backoff_coefficient);
        empty = false;
    }
    if let Some(d) = from_wire_duration(p.max_interval.as_ref()) {
        out.set_maximum_interval(Some(d));
        empty = false;
    }
    if p.max_attempts > 0 {
        out.set_maximum_attempts(p.max_attempts.unsigned_abs());
        empty = false;
    }
    if !p.non_retryable_error_types.is_empty() {
        out.set_non_retryable_error_types(p.non_retryable_error_types.iter().map(String::as_str));
        empty = false;
    }
    (!empty).then_some(out)
}

fn json_to_struct(map: serde_json::Map<String, serde_json::Value>) -> prost_types::Struct {
    prost_types::Struct {
        fields: map
            .into_iter()
            .map(|(k, v)| (k, json_to_value(v)))
            .collect(),
    }
}

fn json_to_value(v: serde_json::Value) -> prost_types::Value {
    use prost_types::value::Kind;
    let kind = match v {
        serde_json::Value::Null => Kind::NullValue(0),
        serde_json::Value::Bool(b) => Kind::BoolValue(b),
        serde_json::Value::Number(n) => Kind::NumberValue(n.as_f64().unwrap_or_default()),
        serde_json::Value::String(s) => Kind::StringValue(s),
        serde_json::Value::Array(a) => Kind::ListValue(prost_types::ListValue {
            values: a.into_iter().map(json_to_value).collect(),
        }),
        serde_json::Value::Object(o) => Kind::StructValue(json_to_struct(o)),
    };
    prost_types::Value { kind: Some(kind) }
}

/// A `google.protobuf.Struct` as JSON.
pub(crate) fn struct_to_json(
    s: &prost_types::Struct,
) -> serde_json::Map<String, serde_json::Value> {
    s.fields
        .iter()
        .map(|(k, v)| (k.clone(), value_to_json(v)))
        .collect()
}

fn value_to_json(v: &prost_types::Value) -> serde_json::Value {
    use prost_types::value::Kind;
    match &v.kind {
        None | Some(Kind::NullValue(_)) => serde_json::Value::Null,
        Some(Kind::BoolValue(b)) => serde_json::Value::Bool(*b),
        Some(Kind::NumberValue(n)) => serde_json::Number::from_f64(*n)
            .map_or(serde_json::Value::Null, serde_json::Value::Number),
        Some(Kind::StringValue(s)) => serde_json::Value::String(s.clone()),
        Some(Kind::ListValue(l)) => {
            serde_json::Value::Array(l.values.iter().map(value_to_json).collect())
        }
        Some(Kind::StructValue(s)) => serde_json::Value::Object(struct_to_json(s)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XNS: XnsDefaults = XnsDefaults {
        task_queue: Some("xns-queue"),
        schedule_to_close_timeout: None,
        schedule_to_start_timeout: None,
        start_to_close_timeout: None,
        heartbeat_interval: None,
        heartbeat_timeout: Some(Duration::from_secs(20)),
        retry_policy: None,
        parent_close_policy: Some(ParentClose::Terminate),
    };

    #[test]
    fn heartbeat_defaults_follow_the_contract() {
        let s = ActivitySettings::default();
        for rule in [Heartbeat::Start, Heartbeat::Paired] {
            assert_eq!(s.heartbeat_interval(&XNS, rule), Duration::from_secs(10));
            assert_eq!(
                s.heartbeat_interval(&XnsDefaults::default(), rule),
                Duration::from_secs(30)
            );
            let s = WorkflowCallOptions::new().heartbeat_interval(Duration::from_secs(1));
            assert_eq!(
                s.activity.heartbeat_interval(&XNS, rule),
                Duration::from_secs(1)
            );
        }
    }

    #[test]
    fn heartbeat_timeout_follows_a_lone_interval_as_go_does_by_call_kind() {
        let interval_only = XnsDefaults {
            heartbeat_interval: Some(Duration::from_secs(4)),
            ..XnsDefaults::default()
        };
        let timeout = |rule| {
            ActivitySettings::default()
                .activity_options(
                    &interval_only,
                    Duration::from_secs(7),
                    WorkflowCancellationToken::new(),
                    rule,
                )
                .heartbeat_timeout
        };
        // A workflow start: 60 s, whatever the interval.
        assert_eq!(timeout(Heartbeat::Start), Some(Duration::from_secs(60)));
        // Handlers and with-start: twice the interval.
        assert_eq!(timeout(Heartbeat::Paired), Some(Duration::from_secs(8)));
    }

    #[test]
    fn activity_options_fall_back_to_the_call_kind_timeout() {
        let o = ActivitySettings::default().activity_options(
            &XNS,
            Duration::from_secs(7),
            WorkflowCancellationToken::new(),
            Heartbeat::Start,
        );
        assert_eq!(
            o.close_timeouts,
            ActivityCloseTimeouts::ScheduleToClose(Duration::from_secs(7))
        );
        assert_eq!(o.task_queue.as_deref(), Some("xns-queue"));
        assert_eq!(o.heartbeat_timeout, Some(Duration::from_secs(20)));
        assert_eq!(
            o.cancellation_type,
            ActivityCancellationType::WaitCancellationCompleted
        );
        let o = CallOptions::new()
            .start_to_close_timeout(Duration::from_secs(3))
            .activity_task_queue("mine")
            .activity
            .activity_options(
                &XNS,
                Duration::from_secs(7),
                WorkflowCancellationToken::new(),
                Heartbeat::Start,
            );
        assert_eq!(
            o.close_timeouts,
            ActivityCloseTimeouts::StartToClose(Duration::from_secs(3))
        );
        assert_eq!(o.task_queue.as_deref(), Some("mine"));
    }

    #[test]
    fn parent_close_policy_setter_wins_over_the_proto() {
        let o = WorkflowCallOptions::new();
        assert_eq!(
            o.wire_parent_close(&XNS),
            wire::ParentClosePolicy::Terminate
        );
        let o = o.parent_close_policy(ParentClose::Abandon);
        assert_eq!(o.wire_parent_close(&XNS), wire::ParentClosePolicy::Abandon);
        assert_eq!(
            WorkflowCallOptions::new().wire_parent_close(&XnsDefaults::default()),
            wire::ParentClosePolicy::Unspecified
        );
    }

    #[test]
    fn wire_durations_treat_zero_as_unset() {
        assert_eq!(
            from_wire_duration(Some(&to_wire_duration(Duration::ZERO))),
            None
        );
        assert_eq!(
            from_wire_duration(Some(&to_wire_duration(Duration::from_millis(1500)))),
            Some(Duration::from_millis(1500))
        );
    }

    #[test]
    fn retry_policies_round_trip_through_the_wire() {
        let mut p = RetryPolicy::default();
        p.set_maximum_attempts(3);
        p.set_initial_interval(Duration::from_secs(2));
        p.set_non_retryable_error_types(["Bad"]);
        let back = retry_from_wire(&retry_to_wire(&p)).unwrap();
        assert_eq!(back.maximum_attempts(), 3);
        assert_eq!(back.initial_interval(), Duration::from_secs(2));
        assert_eq!(back.non_retryable_error_types(), ["Bad"]);
        assert!(retry_from_wire(&wire::RetryPolicy::default()).is_none());
    }

    #[test]
    fn start_options_carry_memo_and_policies() {
        let mut memo = serde_json::Map::new();
        memo.insert("k".into(), serde_json::json!({"a": [1.5, "x"]}));
        let o = WorkflowCallOptions::new()
            .memo(memo.clone())
            .id_reuse_policy(IdReusePolicy::RejectDuplicate)
            .id_conflict_policy(WorkflowIdConflictPolicy::UseExisting)
            .wire_start_options("wf".into());
        assert_eq!(o.id, "wf");
        assert_eq!(struct_to_json(o.memo.as_ref().unwrap()), memo);
        assert_eq!(
            reuse_from_wire(o.id_reuse_policy),
            Some(IdReusePolicy::RejectDuplicate)
        );
        assert_eq!(
            conflict_from_wire(o.workflow_id_conflict_policy),
            Some(WorkflowIdConflictPolicy::UseExisting)
        );
    }
}
