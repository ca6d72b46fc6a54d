//! The Rust side of the interop proto (`protos/gopeer/v1/gopeer.proto`):
//! `Counter` and `Caller` implemented through the traits our generator
//! writes, exactly as the proto's comments say, so that a test can put
//! either a Go or a Rust worker behind any client or XNS caller.

use std::future::Future;
use std::time::{Duration, SystemTime};

use temporalio_client::{Client, WorkflowIdConflictPolicy};
use temporalio_common::error::ApplicationFailure;
use temporalio_sdk::{WorkerOptions, WorkflowContext, WorkflowContextView, WorkflowResult};
// The SDK's join: `futures`' one wakes futures from outside the SDK past
// 30 of them, which the worker rejects as nondeterministic.
use temporalio_workflow::{join_all, workflow, workflow_methods};
use xns_runtime::worker::HandlerError;
use xns_runtime::worker::dispatch::{ActivityContext, ActivityError};

/// Our generated code for the interop proto (a module of the corpus).
pub use crate::corpus::ours::gopeer::v1 as gopeer;
use gopeer::caller_temporal::{
    self, CALLER_TASK_QUEUE, CallCountContext, CallCountWorkflowImpl, CallEchoesContext,
    CallEchoesWorkflowImpl, CallFailContext, CallFailWorkflowImpl,
};
use gopeer::counter_temporal::xns::{self as counter_xns, CallOptions, WorkflowCallOptions};
use gopeer::counter_temporal::{
    self, AddSignal, BumpUpdate, COUNTER_TASK_QUEUE, CountContext, CountWorkflowImpl,
    CounterActivities, EchoContext, EchoWorkflowImpl, FailContext, FailWorkflowImpl, FinishSignal,
    TotalQuery,
};
use gopeer::stamper_temporal::{
    self, STAMPER_TASK_QUEUE, StampContext, StampWorkflowImpl, StamperActivities,
};
use gopeer::{
    AddInput, CallCountInput, CallCountOutput, CallEchoesInput, CallEchoesOutput, CallFailOutput,
    CountInput, CountOutput, DescribeOutput, EchoInput, EchoOutput, FailInput,
};

/// `Count`: counts from `start` until `Finish`, then describes the count.
#[derive(Debug)]
pub struct Count {
    count: CountOutput,
    finished: bool,
}

impl Count {
    fn add(&mut self, amount: i64) -> CountOutput {
        self.count.total += amount;
        self.count.adds += 1;
        self.count.clone()
    }
}

impl CountWorkflowImpl for Count {
    fn new(_ctx: &WorkflowContextView, input: CountInput) -> Self {
        Self {
            count: CountOutput {
                name: input.name,
                total: input.start,
                ..CountOutput::default()
            },
            finished: false,
        }
    }

    async fn run(ctx: CountContext<Self>) -> WorkflowResult<CountOutput> {
        ctx.wait_condition(|s| s.finished).await?;
        let count = ctx.state(|s| s.count.clone());
        let described = counter_temporal::describe_activity(&ctx, count.clone()).await?;
        Ok(CountOutput {
            description: described.text,
            ..count
        })
    }

    fn total(&self, _ctx: &WorkflowContextView) -> Result<CountOutput, HandlerError> {
        Ok(self.count.clone())
    }

    fn add(ctx: CountContext<Self>, input: AddInput) -> impl Future<Output = ()> {
        ctx.state_mut(|s| s.add(input.amount));
        std::future::ready(())
    }

    fn finish(ctx: CountContext<Self>) -> impl Future<Output = ()> {
        ctx.state_mut(|s| s.finished = true);
        std::future::ready(())
    }

    async fn bump(ctx: CountContext<Self>, input: AddInput) -> Result<CountOutput, HandlerError> {
        Ok(ctx.state_mut(|s| s.add(input.amount)))
    }

    fn validate_bump(
        &self,
        _ctx: &WorkflowContextView,
        input: &AddInput,
    ) -> Result<(), HandlerError> {
        if input.amount < 0 {
            return Err(HandlerError::from(anyhow::anyhow!("negative amount")));
        }
        Ok(())
    }
}

/// `Fail`: fails at once with the application error its input describes.
#[derive(Debug)]
pub struct Fail {
    input: FailInput,
}

impl FailWorkflowImpl for Fail {
    fn new(_ctx: &WorkflowContextView, input: FailInput) -> Self {
        Self { input }
    }

    async fn run(ctx: FailContext<Self>) -> WorkflowResult<()> {
        let input = ctx.state(|s| s.input.clone());
        Err(ApplicationFailure::builder(anyhow::anyhow!(input.message))
            .type_name(input.error_type)
            .non_retryable(input.non_retryable)
            .build()
            .into())
    }
}

/// `Echo`: returns `seq` after sleeping `hold_seconds`.
#[derive(Debug)]
pub struct Echo {
    input: EchoInput,
}

impl EchoWorkflowImpl for Echo {
    fn new(_ctx: &WorkflowContextView, input: EchoInput) -> Self {
        Self { input }
    }

    async fn run(ctx: EchoContext<Self>) -> WorkflowResult<EchoOutput> {
        let input = ctx.state(|s| s.input);
        if input.hold_seconds > 0 {
            ctx.timer(Duration::from_secs(
                input.hold_seconds.unsigned_abs().into(),
            ))
            .await;
        }
        Ok(EchoOutput { seq: input.seq })
    }
}

/// The `Fail` input of the interop tests: the failure the Go peer's `fail`
/// and `call-fail` client scenarios ask for too.
pub fn peer_failure(name: &str) -> FailInput {
    FailInput {
        name: name.to_string(),
        error_type: "PeerError".to_string(),
        non_retryable: true,
        message: "boom".to_string(),
    }
}

/// `Describe`: `<name>: <total> after <adds> adds`.
#[derive(Debug, Clone, Copy)]
pub struct Describer;

impl CounterActivities for Describer {
    async fn describe(
        &self,
        _ctx: ActivityContext,
        input: CountOutput,
    ) -> Result<DescribeOutput, ActivityError> {
        Ok(DescribeOutput {
            text: describe(&input),
        })
    }
}

/// The `Describe` text of a count.
pub fn describe(count: &CountOutput) -> String {
    format!("{}: {} after {} adds", count.name, count.total, count.adds)
}

/// `Stamp`: the `Format` of its timestamp.
#[derive(Debug)]
pub struct Stamp {
    input: prost_types::Timestamp,
}

impl StampWorkflowImpl for Stamp {
    fn new(_ctx: &WorkflowContextView, input: prost_types::Timestamp) -> Self {
        Self { input }
    }

    async fn run(ctx: StampContext<Self>) -> WorkflowResult<String> {
        let input = ctx.state(|s| s.input);
        Ok(stamper_temporal::format_activity(&ctx, input).await?)
    }
}

/// `Format`: `<seconds>.<nanos as 9 digits>` of a timestamp.
#[derive(Debug, Clone, Copy)]
pub struct Formatter;

impl StamperActivities for Formatter {
    async fn format(
        &self,
        _ctx: ActivityContext,
        input: prost_types::Timestamp,
    ) -> Result<String, ActivityError> {
        Ok(format_text(&input))
    }
}

/// The `Format` text of a timestamp.
pub fn format_text(ts: &prost_types::Timestamp) -> String {
    format!("{}.{:09}", ts.seconds, ts.nanos)
}

/// `CallCount`: drives `Count` in the target namespace through XNS.
#[derive(Debug)]
pub struct CallCount {
    name: String,
}

impl CallCountWorkflowImpl for CallCount {
    fn new(_ctx: &WorkflowContextView, input: CallCountInput) -> Self {
        Self { name: input.name }
    }

    async fn run(ctx: CallCountContext<Self>) -> WorkflowResult<CallCountOutput> {
        let name = ctx.state(|s| s.name.clone());
        let mut steps = Vec::new();
        let input = CountInput { name, start: 10 };
        let run = counter_xns::count_async(&ctx, input, WorkflowCallOptions::new()).await?;
        steps.push(format!("started {}", run.id()));
        run.signal(AddSignal, AddInput { amount: 5 }, CallOptions::new())
            .await?;
        steps.push("added 5".to_string());
        let total = run.query(TotalQuery, (), CallOptions::new()).await?;
        steps.push(format!("total {} after {} adds", total.total, total.adds));
        let bumped = run
            .update(BumpUpdate, AddInput { amount: 7 }, CallOptions::new())?
            .await?;
        steps.push(format!("bumped to {}", bumped.total));
        run.signal(FinishSignal, (), CallOptions::new()).await?;
        steps.push("finished".to_string());
        let result = run.get().await?;
        steps.push(format!("result {}", result.description));
        Ok(CallCountOutput {
            steps,
            result: Some(result),
        })
    }
}

/// `CallEchoes`: calls `Echo` in the target namespace, `concurrency` at a
/// time, and times each call in workflow time.
#[derive(Debug)]
pub struct CallEchoes {
    input: CallEchoesInput,
}

impl CallEchoesWorkflowImpl for CallEchoes {
    fn new(_ctx: &WorkflowContextView, input: CallEchoesInput) -> Self {
        Self { input }
    }

    async fn run(ctx: CallEchoesContext<Self>) -> WorkflowResult<CallEchoesOutput> {
        let input = ctx.state(|s| s.input);
        let count = input.count.max(0);
        let lanes = input.concurrency.clamp(1, count.max(1));
        let started = now(&ctx);
        // Lane `k` makes calls k, k + lanes, ... and returns (call, latency).
        let lane = |first: i32| {
            let ctx = &ctx;
            async move {
                let mut latencies = Vec::new();
                for seq in (first..count).step_by(lanes as usize) {
                    let before = now(ctx);
                    let echo = EchoInput {
                        seq,
                        hold_seconds: input.hold_seconds,
                    };
                    let reply = counter_xns::echo(ctx, echo, WorkflowCallOptions::new()).await?;
                    if reply.seq != seq {
                        return Err(ApplicationFailure::builder(format!(
                            "Echo returned seq {} for call {seq}",
                            reply.seq
                        ))
                        .type_name("WrongSeq".to_string())
                        .non_retryable(true)
                        .build()
                        .into());
                    }
                    latencies.push((seq, micros_between(before, now(ctx))));
                }
                WorkflowResult::Ok(latencies)
            }
        };
        let mut latencies_us = vec![0; count as usize];
        for lane in join_all((0..lanes).map(lane)).await {
            for (seq, us) in lane? {
                latencies_us[seq as usize] = us;
            }
        }
        Ok(CallEchoesOutput {
            latencies_us,
            elapsed_us: micros_between(started, now(&ctx)),
        })
    }
}

/// The workflow's clock: the start time of the current workflow task.
fn now<W>(ctx: &WorkflowContext<W>) -> SystemTime {
    ctx.workflow_time().unwrap_or(SystemTime::UNIX_EPOCH)
}

fn micros_between(from: SystemTime, to: SystemTime) -> i64 {
    let elapsed = to.duration_since(from).unwrap_or_default();
    i64::try_from(elapsed.as_micros()).unwrap_or(i64::MAX)
}

/// `CallFail`: runs `Fail` in the target namespace and reports its error.
#[derive(Debug)]
pub struct CallFail {
    input: FailInput,
}

impl CallFailWorkflowImpl for CallFail {
    fn new(_ctx: &WorkflowContextView, input: FailInput) -> Self {
        Self { input }
    }

    async fn run(ctx: CallFailContext<Self>) -> WorkflowResult<CallFailOutput> {
        let input = ctx.state(|s| s.input.clone());
        let Err(err) = counter_xns::fail(&ctx, input, WorkflowCallOptions::new()).await else {
            return Ok(CallFailOutput::default());
        };
        Ok(CallFailOutput {
            code: err.code().unwrap_or_default().to_string(),
            non_retryable: err.is_non_retryable(),
            message: err
                .application_error()
                .map(|a| a.source_error().to_string())
                .unwrap_or_default(),
        })
    }
}

/// A worker of `Counter`: `Count`, `Fail` and `Describe`.
pub fn counter_worker() -> anyhow::Result<WorkerOptions> {
    let mut options = WorkerOptions::new(COUNTER_TASK_QUEUE).build();
    counter_temporal::register_counter_workflows::<Count, Fail, Echo>(&mut options)?;
    counter_temporal::register_counter_activities(&mut options, Describer)?;
    Ok(options)
}

/// `AwaitCount`, a plain SDK workflow outside the proto: runs `Count`
/// (from 1, named by its input) in the target namespace through the
/// generated XNS call that waits for the result, so that its one XNS
/// activity lasts until `Count` is finished. Its start fails on a running
/// `Count` of the same ID (conflict policy FAIL and an error when already
/// started; XNS's defaults return the running one), so a retry succeeds
/// only by re-attaching to the run an earlier attempt started.
#[workflow]
pub struct AwaitCount {
    name: String,
}

#[workflow_methods]
impl AwaitCount {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, name: String) -> Self {
        Self { name }
    }

    #[run(name = "gopeer_test.AwaitCount")]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<CountOutput> {
        let name = ctx.state(|s| s.name.clone());
        let input = CountInput { name, start: 1 };
        let options = WorkflowCallOptions::new()
            .id_conflict_policy(WorkflowIdConflictPolicy::Fail)
            .error_when_already_started(true);
        Ok(counter_xns::count(ctx, input, options).await?)
    }
}

/// A worker of `Caller`'s task queue running [`AwaitCount`] alone.
pub fn await_count_worker() -> anyhow::Result<WorkerOptions> {
    Ok(WorkerOptions::new(CALLER_TASK_QUEUE)
        .register_workflow::<AwaitCount>()?
        .build())
}

/// A worker of `Stamper`: `Stamp` and `Format`.
pub fn stamper_worker() -> anyhow::Result<WorkerOptions> {
    let mut options = WorkerOptions::new(STAMPER_TASK_QUEUE).build();
    stamper_temporal::register_stamper_workflows::<Stamp>(&mut options)?;
    stamper_temporal::register_stamper_activities(&mut options, Formatter)?;
    Ok(options)
}

/// What the worker of `Caller`'s task queue serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallerParts {
    /// `CallCount` and `CallFail`.
    pub workflows: bool,
    /// `Counter`'s XNS activities, with a client of the target namespace.
    pub xns_activities: bool,
}

/// A worker of `Caller`'s task queue; `target` is a client of the target
/// namespace (used when it serves the XNS activities).
pub fn caller_worker(parts: CallerParts, target: Client) -> anyhow::Result<WorkerOptions> {
    let mut options = WorkerOptions::new(CALLER_TASK_QUEUE).build();
    if parts.workflows {
        caller_temporal::register_caller_workflows::<CallCount, CallFail, CallEchoes>(
            &mut options,
        )?;
    }
    if parts.xns_activities {
        counter_xns::register_counter_xns_activities(
            &mut options,
            target,
            counter_xns::XnsRegistration::new(),
        )?;
    }
    Ok(options)
}
