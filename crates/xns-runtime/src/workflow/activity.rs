//! Typed activity calls from a workflow, remote and local.

use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use temporalio_common::{ActivityDefinition, RetryPolicy};
use temporalio_workflow::{
    ActivityCancellationType, ActivityCloseTimeouts, ActivityExecutionError, ActivityOptions,
    LocalActivityOptions, WorkflowContext,
};

use crate::client::{PriorityDefaults, PriorityOverrides, RetryDefaults, priority_setters};
use crate::payload::{PayloadValue, ValueOf};
use crate::proto::ProtoActivity;

/// An activity's defaults from its proto options (generated as a constant).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ActivityDefaults {
    /// Temporal activity type name.
    pub name: &'static str,
    /// The activity's `task_queue`, else the service's; `None` runs the
    /// activity on the calling workflow's queue.
    pub task_queue: Option<&'static str>,
    /// Schedule-to-close timeout (an explicit zero is kept).
    pub schedule_to_close_timeout: Option<Duration>,
    /// Schedule-to-start timeout.
    pub schedule_to_start_timeout: Option<Duration>,
    /// Start-to-close timeout (an explicit zero is kept).
    pub start_to_close_timeout: Option<Duration>,
    /// Heartbeat timeout.
    pub heartbeat_timeout: Option<Duration>,
    /// Retry policy.
    pub retry_policy: Option<RetryDefaults>,
    /// Whether cancelling waits for the activity to acknowledge.
    pub wait_for_cancellation: bool,
    /// Priority and fairness (remote calls only: a local activity runs in
    /// the calling worker).
    pub priority: PriorityDefaults,
}

impl ActivityDefaults {
    /// Defaults of the activity `name` with no option set; generated
    /// constants write the options the proto sets and take the rest from
    /// here.
    pub const fn new(name: &'static str) -> Self {
        Self {
            name,
            task_queue: None,
            schedule_to_close_timeout: None,
            schedule_to_start_timeout: None,
            start_to_close_timeout: None,
            heartbeat_timeout: None,
            retry_policy: None,
            wait_for_cancellation: false,
            priority: PriorityDefaults::NONE,
        }
    }
}

/// The SDK's close timeouts from the two optional ones; `None` when both
/// are unset.
const fn close_timeouts(
    schedule_to_close: Option<Duration>,
    start_to_close: Option<Duration>,
) -> Option<ActivityCloseTimeouts> {
    match (schedule_to_close, start_to_close) {
        (Some(schedule_to_close), Some(start_to_close)) => {
            Some(ActivityCloseTimeouts::ScheduleAndStartToClose {
                schedule_to_close,
                start_to_close,
            })
        }
        (Some(d), None) => Some(ActivityCloseTimeouts::ScheduleToClose(d)),
        (None, Some(d)) => Some(ActivityCloseTimeouts::StartToClose(d)),
        (None, None) => None,
    }
}

impl ActivityDefaults {
    /// The close timeouts the proto sets, if it sets any.
    pub const fn close_timeouts(&self) -> Option<ActivityCloseTimeouts> {
        close_timeouts(self.schedule_to_close_timeout, self.start_to_close_timeout)
    }

    fn cancellation_type(&self) -> ActivityCancellationType {
        if self.wait_for_cancellation {
            ActivityCancellationType::WaitCancellationCompleted
        } else {
            ActivityCancellationType::TryCancel
        }
    }
}

/// The close timeouts of `A`'s proto, checked when the caller is compiled:
/// a proto without them is a compile error, not a failure at run time.
const fn proto_close_timeouts<A: ProtoActivity>() -> ActivityCloseTimeouts {
    const {
        match A::DEFAULTS.close_timeouts() {
            Some(close) => close,
            None => panic!(
                "the activity's proto sets no schedule-to-close or start-to-close timeout: \
                 build its call with `with_close_timeouts`"
            ),
        }
    }
}

/// Overrides shared by remote and local calls.
#[derive(Debug, Clone, Default)]
struct Common {
    schedule_to_close: Option<Duration>,
    start_to_close: Option<Duration>,
    schedule_to_start: Option<Duration>,
    retry_policy: Option<RetryPolicy>,
    activity_id: Option<String>,
    cancellation_type: Option<ActivityCancellationType>,
    summary: Option<String>,
}

impl Common {
    fn close_timeouts(&self, base: ActivityCloseTimeouts) -> ActivityCloseTimeouts {
        close_timeouts(
            self.schedule_to_close.or(base.schedule_to_close()),
            self.start_to_close.or(base.start_to_close()),
        )
        .unwrap_or(base)
    }

    fn retry_policy(&self, defaults: &ActivityDefaults) -> Option<RetryPolicy> {
        self.retry_policy
            .clone()
            .or_else(|| defaults.retry_policy.map(|r| r.to_policy()))
    }

    fn schedule_to_start(&self, defaults: &ActivityDefaults) -> Option<Duration> {
        self.schedule_to_start
            .or(defaults.schedule_to_start_timeout)
    }

    fn cancellation_type(&self, defaults: &ActivityDefaults) -> ActivityCancellationType {
        self.cancellation_type
            .unwrap_or_else(|| defaults.cancellation_type())
    }
}

/// The result of an awaited activity call.
pub type ActivityResult<A> =
    Result<ValueOf<<A as ActivityDefinition>::Output>, ActivityExecutionError>;

/// Boxes an SDK activity future, mapping its output to the signature value.
fn into_value<'a, A>(
    call: impl Future<Output = Result<A::Output, ActivityExecutionError>> + 'a,
) -> Pin<Box<dyn Future<Output = ActivityResult<A>> + 'a>>
where
    A: ActivityDefinition,
    A::Output: PayloadValue,
{
    Box::pin(async move { call.await.map(PayloadValue::into_value) })
}

macro_rules! common_setters {
    () => {
        /// Schedule-to-close timeout (overrides the proto's).
        pub fn schedule_to_close_timeout(mut self, timeout: Duration) -> Self {
            self.common.schedule_to_close = Some(timeout);
            self
        }

        /// Start-to-close timeout (overrides the proto's).
        pub fn start_to_close_timeout(mut self, timeout: Duration) -> Self {
            self.common.start_to_close = Some(timeout);
            self
        }

        /// Schedule-to-start timeout (overrides the proto's).
        pub fn schedule_to_start_timeout(mut self, timeout: Duration) -> Self {
            self.common.schedule_to_start = Some(timeout);
            self
        }

        /// Retry policy (replaces the proto's).
        pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
            self.common.retry_policy = Some(policy);
            self
        }

        /// Activity ID (default: the SDK's sequence number).
        pub fn activity_id(mut self, id: impl Into<String>) -> Self {
            self.common.activity_id = Some(id.into());
            self
        }

        /// How cancellation is reported (overrides `wait_for_cancellation`).
        pub fn cancellation_type(mut self, cancellation_type: ActivityCancellationType) -> Self {
            self.common.cancellation_type = Some(cancellation_type);
            self
        }

        /// Summary shown in the UI.
        pub fn summary(mut self, summary: impl Into<String>) -> Self {
            self.common.summary = Some(summary.into());
            self
        }
    };
}

/// A typed call of activity `A` from a workflow, not yet scheduled. Set
/// options with its methods, then `.await` it for the activity's result.
/// Timeouts, retry policy and task queue left unset take the proto's
/// defaults; the task queue falls back to the calling workflow's.
#[must_use = "an activity call does nothing until awaited"]
pub struct ActivityCall<'a, W, A: ProtoActivity> {
    ctx: &'a WorkflowContext<W>,
    activity: A,
    input: A::Input,
    close: ActivityCloseTimeouts,
    common: Common,
    task_queue: Option<String>,
    heartbeat_timeout: Option<Duration>,
    priority: PriorityOverrides,
}

impl<'a, W, A: ProtoActivity> ActivityCall<'a, W, A> {
    /// A call with the proto defaults of the marker `activity`, including
    /// its close timeouts. An activity whose proto sets neither a
    /// schedule-to-close nor a start-to-close timeout has none to default
    /// to: building its call this way fails to compile (when the call is
    /// instantiated), and [`with_close_timeouts`](Self::with_close_timeouts)
    /// takes them.
    pub fn new(ctx: &'a WorkflowContext<W>, activity: A, input: ValueOf<A::Input>) -> Self {
        Self::with_close_timeouts(ctx, activity, input, proto_close_timeouts::<A>())
    }

    /// A call with the proto defaults of the marker `activity`; `close` are
    /// the close timeouts to use unless a setter overrides them.
    pub fn with_close_timeouts(
        ctx: &'a WorkflowContext<W>,
        activity: A,
        input: ValueOf<A::Input>,
        close: ActivityCloseTimeouts,
    ) -> Self {
        Self {
            ctx,
            activity,
            input: A::Input::from_value(input),
            close,
            common: Common::default(),
            task_queue: None,
            heartbeat_timeout: None,
            priority: PriorityOverrides::default(),
        }
    }

    common_setters!();

    /// Task queue (default: the proto's, else the calling workflow's).
    pub fn task_queue(mut self, task_queue: impl Into<String>) -> Self {
        self.task_queue = Some(task_queue.into());
        self
    }

    /// Heartbeat timeout (overrides the proto's).
    pub fn heartbeat_timeout(mut self, timeout: Duration) -> Self {
        self.heartbeat_timeout = Some(timeout);
        self
    }

    priority_setters!();

    /// The SDK options this call resolves to.
    pub fn options(&self) -> ActivityOptions {
        let d = &A::DEFAULTS;
        let mut o =
            ActivityOptions::with_close_timeouts(self.common.close_timeouts(self.close)).build();
        o.task_queue = self.task_queue.clone().or(d.task_queue.map(str::to_string));
        o.schedule_to_start_timeout = self.common.schedule_to_start(d);
        o.heartbeat_timeout = self.heartbeat_timeout.or(d.heartbeat_timeout);
        o.retry_policy = self.common.retry_policy(d);
        o.activity_id = self.common.activity_id.clone();
        o.cancellation_type = self.common.cancellation_type(d);
        o.summary = self.common.summary.clone();
        o.priority = self.priority.resolve(None, &d.priority);
        o
    }
}

impl<'a, W, A> IntoFuture for ActivityCall<'a, W, A>
where
    A: ProtoActivity + 'a,
    A::Output: PayloadValue,
{
    type Output = ActivityResult<A>;
    type IntoFuture = Pin<Box<dyn Future<Output = ActivityResult<A>> + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        let options = self.options();
        into_value::<A>(
            self.ctx
                .execute_activity(self.activity, self.input, options),
        )
    }
}

/// A typed local-activity call of `A` from a workflow: the activity runs in
/// the calling worker's process, recorded in history as a marker. Set
/// options with its methods, then `.await` it. Timeouts and retry policy
/// left unset take the proto's defaults.
#[must_use = "an activity call does nothing until awaited"]
pub struct LocalActivityCall<'a, W, A: ProtoActivity> {
    ctx: &'a WorkflowContext<W>,
    activity: A,
    input: A::Input,
    close: ActivityCloseTimeouts,
    common: Common,
}

impl<'a, W, A: ProtoActivity> LocalActivityCall<'a, W, A> {
    /// A call with the proto defaults of the marker `activity`, including
    /// its close timeouts (see [`ActivityCall::new`]).
    pub fn new(ctx: &'a WorkflowContext<W>, activity: A, input: ValueOf<A::Input>) -> Self {
        Self::with_close_timeouts(ctx, activity, input, proto_close_timeouts::<A>())
    }

    /// A call with the proto defaults of the marker `activity`; `close` are
    /// the close timeouts to use unless a setter overrides them.
    pub fn with_close_timeouts(
        ctx: &'a WorkflowContext<W>,
        activity: A,
        input: ValueOf<A::Input>,
        close: ActivityCloseTimeouts,
    ) -> Self {
        Self {
            ctx,
            activity,
            input: A::Input::from_value(input),
            close,
            common: Common::default(),
        }
    }

    common_setters!();

    /// The SDK options this call resolves to.
    pub fn options(&self) -> LocalActivityOptions {
        let d = &A::DEFAULTS;
        let close = self.common.close_timeouts(self.close);
        let mut o = LocalActivityOptions::default();
        o.schedule_to_close_timeout = close.schedule_to_close();
        o.start_to_close_timeout = close.start_to_close();
        o.schedule_to_start_timeout = self.common.schedule_to_start(d);
        if let Some(policy) = self.common.retry_policy(d) {
            o.retry_policy = policy;
        }
        o.activity_id = self.common.activity_id.clone();
        o.cancel_type = self.common.cancellation_type(d);
        o.summary = self.common.summary.clone();
        o
    }
}

impl<'a, W, A> IntoFuture for LocalActivityCall<'a, W, A>
where
    A: ProtoActivity + 'a,
    A::Output: PayloadValue,
{
    type Output = ActivityResult<A>;
    type IntoFuture = Pin<Box<dyn Future<Output = ActivityResult<A>> + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        let options = self.options();
        into_value::<A>(
            self.ctx
                .execute_local_activity(self.activity, self.input, options),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEFAULTS: ActivityDefaults = ActivityDefaults {
        name: "pkg.Svc.Act",
        task_queue: Some("proto-queue"),
        schedule_to_close_timeout: None,
        schedule_to_start_timeout: Some(Duration::from_secs(5)),
        start_to_close_timeout: Some(Duration::from_secs(30)),
        heartbeat_timeout: None,
        retry_policy: Some(RetryDefaults {
            initial_interval: None,
            backoff_coefficient: None,
            max_interval: None,
            max_attempts: 3,
            non_retryable_error_types: &[],
        }),
        wait_for_cancellation: true,
        priority: PriorityDefaults {
            priority_key: None,
            fairness_key: Some("tenant"),
            fairness_weight: Some(0.5),
        },
    };

    #[test]
    fn proto_close_timeouts_combine() {
        assert_eq!(
            DEFAULTS.close_timeouts(),
            Some(ActivityCloseTimeouts::StartToClose(Duration::from_secs(30)))
        );
        let zero = ActivityDefaults {
            schedule_to_close_timeout: Some(Duration::ZERO),
            ..DEFAULTS
        };
        assert_eq!(
            zero.close_timeouts(),
            Some(ActivityCloseTimeouts::ScheduleAndStartToClose {
                schedule_to_close: Duration::ZERO,
                start_to_close: Duration::from_secs(30),
            })
        );
    }

    #[test]
    fn setters_override_close_timeouts() {
        let c = Common {
            schedule_to_close: Some(Duration::from_secs(60)),
            ..Common::default()
        };
        assert_eq!(
            c.close_timeouts(ActivityCloseTimeouts::StartToClose(Duration::from_secs(30))),
            ActivityCloseTimeouts::ScheduleAndStartToClose {
                schedule_to_close: Duration::from_secs(60),
                start_to_close: Duration::from_secs(30),
            }
        );
    }

    #[test]
    fn retry_policy_setter_wins() {
        let mut c = Common::default();
        assert_eq!(c.retry_policy(&DEFAULTS).unwrap().maximum_attempts(), 3);
        let mut p = RetryPolicy::default();
        p.set_maximum_attempts(7);
        c.retry_policy = Some(p);
        assert_eq!(c.retry_policy(&DEFAULTS).unwrap().maximum_attempts(), 7);
    }
}
