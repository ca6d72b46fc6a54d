//! The clock proto (`tests/protos/clock`) implemented as a user would:
//! `Keep` and `Reflect` through the generated traits, `Scale` as an
//! activity; `Stopwatch`, a plain SDK workflow that answers `Elapsed`, the
//! query no workflow of the proto declares; and `ClockCaller`, which
//! reaches all of them in another namespace through the generated `xns`
//! module.

use prost_types::{Duration, Struct, Timestamp};
use serde::{Deserialize, Serialize};
use temporalio_sdk::{WorkflowContext, WorkflowContextView, WorkflowResult};
use temporalio_workflow::{workflow, workflow_methods};
use xns_runtime::payload::WellKnown;
use xns_runtime::worker::HandlerError;
use xns_runtime::worker::dispatch::{ActivityContext, ActivityError};

use crate::generated::clock::v1::clock_temporal::{
    self as clock, ClockActivities, ELAPSED_QUERY_NAME, ElapsedQuery, KeepContext,
    KeepWorkflowImpl, LabelSignal, NowQuery, ReflectContext, ReflectWorkflowImpl, ShiftUpdate,
    StopSignal,
    xns::{self, CallOptions, WorkflowCallOptions},
};

/// A timestamp at `seconds`.
pub fn at(seconds: i64) -> Timestamp {
    Timestamp { seconds, nanos: 0 }
}

/// `Keep`'s state.
pub struct Keep {
    started: Timestamp,
    now: Timestamp,
    label: String,
    stopped: bool,
}

impl KeepWorkflowImpl for Keep {
    fn new(_ctx: &WorkflowContextView, input: Timestamp) -> Self {
        Self {
            started: input,
            now: input,
            label: String::new(),
            stopped: false,
        }
    }

    async fn run(ctx: KeepContext<Self>) -> WorkflowResult<String> {
        ctx.wait_condition(|s| s.stopped).await?;
        let (moved, label) = ctx.state(|s| (s.now.seconds - s.started.seconds, s.label.clone()));
        let scaled = clock::scale_activity(&ctx, moved).await?;
        Ok(format!("{label} moved {}s", scaled.seconds))
    }

    fn now(&self, _ctx: &WorkflowContextView) -> Result<Timestamp, HandlerError> {
        Ok(self.now)
    }

    async fn label(ctx: KeepContext<Self>, input: String) {
        ctx.state_mut(|s| s.label = input);
    }

    async fn stop(ctx: KeepContext<Self>) {
        ctx.state_mut(|s| s.stopped = true);
    }

    async fn shift(ctx: KeepContext<Self>, input: i64) -> Result<Timestamp, HandlerError> {
        Ok(ctx.state_mut(|s| {
            s.now.seconds += input;
            s.now
        }))
    }
}

/// `Reflect`: its input, as is.
pub struct Reflect(Struct);

impl ReflectWorkflowImpl for Reflect {
    fn new(_ctx: &WorkflowContextView, input: Struct) -> Self {
        Self(input)
    }

    async fn run(ctx: ReflectContext<Self>) -> WorkflowResult<Struct> {
        Ok(ctx.state(|s| s.0.clone()))
    }
}

/// `Scale`: twice its input, in seconds.
#[derive(Debug, Clone, Copy)]
pub struct Scaler;

impl ClockActivities for Scaler {
    async fn scale(&self, _ctx: ActivityContext, input: i64) -> Result<Duration, ActivityError> {
        Ok(Duration {
            seconds: 2 * input.abs(),
            nanos: 0,
        })
    }
}

/// A workflow of no service that answers the proto's `Elapsed` query
/// (always 42 s) until it is stopped with `Stop`.
#[workflow]
#[derive(Default)]
pub struct Stopwatch {
    stopped: bool,
}

#[workflow_methods]
impl Stopwatch {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, _input: ()) -> Self {
        Self::default()
    }

    #[run(name = "clock_test.Stopwatch")]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<()> {
        ctx.wait_condition(|s| s.stopped).await?;
        Ok(())
    }

    #[query(name = ELAPSED_QUERY_NAME)]
    pub fn elapsed(&self, _ctx: &WorkflowContextView) -> WellKnown<Duration> {
        WellKnown(Duration {
            seconds: 42,
            nanos: 0,
        })
    }

    #[signal(name = clock::STOP_SIGNAL_NAME)]
    pub fn stop(&mut self, _ctx: &mut temporalio_sdk::SyncWorkflowContext<Self>) {
        self.stopped = true;
    }
}

/// What [`ClockCaller`] saw.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ClockTrip {
    /// Seconds of the time `Shift(20)` returned.
    pub shifted: i64,
    /// Seconds of the time `Now` returned after it.
    pub now: i64,
    /// Seconds `Elapsed` returned, by the stopwatch's ID.
    pub elapsed: i64,
    /// `Keep`'s result.
    pub result: String,
    /// The keys of the Struct `Reflect` returned.
    pub reflected: Vec<String>,
}

/// Drives `Keep` (from time 1000 s), `Reflect` and the stopwatch `input`
/// names in the target namespace through XNS: every call carries a
/// well-known type.
#[workflow]
pub struct ClockCaller {
    stopwatch: String,
}

#[workflow_methods]
impl ClockCaller {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, stopwatch: String) -> Self {
        Self { stopwatch }
    }

    #[run(name = "clock_test.ClockCaller")]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<ClockTrip> {
        let stopwatch = ctx.state(|s| s.stopwatch.clone());
        let call = CallOptions::new;
        let run = xns::keep_async(ctx, at(1_000), WorkflowCallOptions::new()).await?;
        run.signal(LabelSignal, "xns".to_string(), call()).await?;
        let shifted = run.update(ShiftUpdate, 20, call())?.await?;
        let now = run.query(NowQuery, (), call()).await?;
        let elapsed = xns::query(ctx, ElapsedQuery, &stopwatch, None, (), call()).await?;
        xns::signal(ctx, StopSignal, &stopwatch, None, (), call()).await?;
        run.signal(StopSignal, (), call()).await?;
        let result = run.get().await?;
        let input = Struct {
            fields: [("k".to_string(), prost_types::Value::default())].into(),
        };
        let reflected = xns::reflect(ctx, input, WorkflowCallOptions::new()).await?;
        Ok(ClockTrip {
            shifted: shifted.seconds,
            now: now.seconds,
            elapsed: elapsed.seconds,
            result,
            reflected: reflected.fields.into_keys().collect(),
        })
    }
}
