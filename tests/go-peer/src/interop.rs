//! The Rust side of the interop proto (`protos/gopeer/v1/gopeer.proto`):
//! `Counter` and `Caller` implemented through the traits our generator
//! writes, exactly as the proto's comments say, so that a test can put
//! either a Go or a Rust worker behind any client or XNS caller.

use std::future::Future;

use temporalio_client::Client;
use temporalio_common::error::ApplicationFailure;
use temporalio_sdk::{WorkerOptions, WorkflowContextView, WorkflowResult};
use xns_runtime::worker::HandlerError;
use xns_runtime::worker::dispatch::{ActivityContext, ActivityError};

/// Our generated code for the interop proto (a module of the corpus).
pub use crate::corpus::ours::gopeer::v1 as gopeer;
use gopeer::caller_temporal::{
    self, CALLER_TASK_QUEUE, CallCountContext, CallCountWorkflowImpl, CallFailContext,
    CallFailWorkflowImpl,
};
use gopeer::counter_temporal::xns::{self as counter_xns, CallOptions, WorkflowCallOptions};
use gopeer::counter_temporal::{
    self, COUNTER_TASK_QUEUE, CountContext, CountWorkflowImpl, CounterActivities, FailContext,
    FailWorkflowImpl,
};
use gopeer::{
    AddInput, CallCountInput, CallCountOutput, CallFailOutput, CountInput, CountOutput,
    DescribeOutput, FailInput,
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
        run.add(AddInput { amount: 5 }, CallOptions::new()).await?;
        steps.push("added 5".to_string());
        let total = run.total(CallOptions::new()).await?;
        steps.push(format!("total {} after {} adds", total.total, total.adds));
        let bumped = run
            .bump(AddInput { amount: 7 }, CallOptions::new())?
            .await?;
        steps.push(format!("bumped to {}", bumped.total));
        run.finish(CallOptions::new()).await?;
        steps.push("finished".to_string());
        let result = run.get().await?;
        steps.push(format!("result {}", result.description));
        Ok(CallCountOutput {
            steps,
            result: Some(result),
        })
    }
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
    counter_temporal::register_counter_workflows::<Count, Fail>(&mut options)?;
    counter_temporal::register_counter_activities(&mut options, Describer)?;
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
        caller_temporal::register_caller_workflows::<CallCount, CallFail>(&mut options)?;
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
