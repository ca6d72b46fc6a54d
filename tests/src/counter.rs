//! The `worker.v1.Counter` service implemented through the generated
//! worker-side traits: plain Rust, no macros. Used by the worker contract,
//! replay and Python interop tests.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use temporalio_common::ActivityError;
use temporalio_sdk::activities::ActivityContext;
use temporalio_sdk::{TimerResult, WorkflowContextView, WorkflowResult};
use xns_runtime::worker::{HandlerError, continue_as_new};

use crate::generated::worker::v1::{
    AddInput, CountInput, CountResult, EchoInput, EchoResult, FlakyInput, FlakyResult,
    OrchestrateInput, OrchestrateResult, PokeInput, SetInput, ShoutInput, ShoutResult, TotalResult,
    counter_temporal::{
        self as counter, CountContext, CountWorkflowImpl, CounterActivities, EchoContext,
        EchoWorkflowImpl, OrchestrateContext, OrchestrateWorkflowImpl,
    },
};

/// State of a `Count` run.
#[derive(Debug)]
pub struct Count {
    total: i64,
    rounds: i32,
    runs: i32,
    finished: bool,
}

impl CountWorkflowImpl for Count {
    fn new(_ctx: &WorkflowContextView, input: CountInput) -> Self {
        Self {
            total: input.start,
            rounds: input.rounds,
            runs: 1,
            finished: false,
        }
    }

    async fn run(ctx: CountContext<Self>) -> WorkflowResult<CountResult> {
        ctx.wait_condition(|s| s.finished).await?;
        let (total, rounds, runs) = ctx.state(|s| (s.total, s.rounds, s.runs));
        if rounds > 0 {
            return continue_as_new(
                &ctx,
                CountInput {
                    start: total,
                    rounds: rounds - 1,
                },
            );
        }
        Ok(CountResult { total, runs })
    }

    fn total(&self, _ctx: &WorkflowContextView) -> Result<TotalResult, HandlerError> {
        Ok(TotalResult { total: self.total })
    }

    // A handler that completes at once: the state changes during dispatch.
    fn add(ctx: CountContext<Self>, input: AddInput) -> impl Future<Output = ()> {
        ctx.state_mut(|s| s.total += input.amount);
        std::future::ready(())
    }

    // A handler that awaits a timer before it changes state.
    async fn add_later(ctx: CountContext<Self>, input: AddInput) {
        if let TimerResult::Fired = ctx.timer(Duration::from_millis(200)).await {
            ctx.state_mut(|s| s.total += input.amount);
        }
    }

    async fn finish(ctx: CountContext<Self>) {
        ctx.state_mut(|s| s.finished = true);
    }

    async fn set(ctx: CountContext<Self>, input: SetInput) -> Result<TotalResult, HandlerError> {
        let total = ctx.state_mut(|s| {
            s.total = input.total;
            s.total
        });
        Ok(TotalResult { total })
    }

    fn validate_set(
        &self,
        _ctx: &WorkflowContextView,
        input: &SetInput,
    ) -> Result<(), HandlerError> {
        if input.total < 0 {
            return Err(format!("total must not be negative, got {}", input.total).into());
        }
        Ok(())
    }
}

/// `Orchestrate`: a remote activity with retries, a local activity, a child
/// workflow signalled through its handle, and an external signal.
#[derive(Debug)]
pub struct Orchestrate {
    input: OrchestrateInput,
}

impl OrchestrateWorkflowImpl for Orchestrate {
    fn new(_ctx: &WorkflowContextView, input: OrchestrateInput) -> Self {
        Self { input }
    }

    async fn run(ctx: OrchestrateContext<Self>) -> WorkflowResult<OrchestrateResult> {
        let input = ctx.state(|s| s.input.clone());
        // snippet:start workflow-helpers
        let flaky = counter::flaky_activity(&ctx, FlakyInput { key: input.key }).await?;
        let shouted = counter::shout_local_activity(&ctx, ShoutInput { text: input.text }).await?;
        let echo = counter::echo_child(&ctx, EchoInput { name: input.name })
            .start()
            .await?;
        let echo_id = echo.id().to_string();
        echo.signal(
            counter::PokeSignal,
            PokeInput {
                message: format!("hello {}", shouted.text),
            },
        )
        .await?;
        let reply = echo.result().await?;
        if !input.counter_id.is_empty() {
            counter::add_external(&ctx, input.counter_id, None, AddInput { amount: 100 }).await?;
        }
        // snippet:end
        Ok(OrchestrateResult {
            flaky_attempts: flaky.attempt,
            shouted: shouted.text,
            echo_id,
            echo_reply: reply.reply,
        })
    }
}

/// `Echo`: waits for a poke.
#[derive(Debug)]
pub struct Echo {
    poked: Option<String>,
}

impl EchoWorkflowImpl for Echo {
    fn new(_ctx: &WorkflowContextView, _input: EchoInput) -> Self {
        Self { poked: None }
    }

    async fn run(ctx: EchoContext<Self>) -> WorkflowResult<EchoResult> {
        ctx.wait_condition(|s| s.poked.is_some()).await?;
        let reply = ctx.state(|s| s.poked.clone()).unwrap_or_default();
        Ok(EchoResult { reply })
    }

    async fn poke(ctx: EchoContext<Self>, input: PokeInput) {
        ctx.state_mut(|s| s.poked = Some(input.message));
    }
}

/// The activities through the generated trait. `Flaky` fails until the
/// third attempt and records every attempt per key.
#[derive(Debug, Clone, Default)]
pub struct Activities {
    /// Attempts seen per `FlakyInput.key`.
    pub attempts: Arc<Mutex<HashMap<String, Vec<u32>>>>,
}

impl CounterActivities for Activities {
    async fn flaky(
        &self,
        ctx: ActivityContext,
        input: FlakyInput,
    ) -> Result<FlakyResult, ActivityError> {
        let attempt = ctx.info().attempt;
        self.attempts
            .lock()
            .map_err(|e| anyhow::anyhow!("attempts lock: {e}"))?
            .entry(input.key)
            .or_default()
            .push(attempt);
        if attempt < 3 {
            return Err(anyhow::anyhow!("flaky failure on attempt {attempt}").into());
        }
        Ok(FlakyResult {
            attempt: attempt as i32,
        })
    }

    async fn shout(
        &self,
        _ctx: ActivityContext,
        input: ShoutInput,
    ) -> Result<ShoutResult, ActivityError> {
        Ok(ShoutResult {
            text: input.text.to_uppercase(),
        })
    }
}

/// The same activities written with the SDK's `#[activities]` macro, named
/// and type-checked through the generated markers.
pub mod with_macro {
    use temporalio_common::ActivityError;
    use temporalio_sdk::activities::ActivityContext;
    use temporalio_sdk::activities::activities;

    use crate::generated::worker::v1::{FlakyInput, FlakyResult, ShoutInput, ShoutResult};

    /// Activities for the `#[activities]` path; `Flaky` succeeds at once.
    pub struct MacroActivities;

    #[activities]
    impl MacroActivities {
        /// `worker.v1.Counter.Flaky`.
        #[activity(definition = crate::generated::worker::v1::counter_temporal::FlakyActivity)]
        pub async fn flaky(
            _ctx: ActivityContext,
            _input: FlakyInput,
        ) -> Result<FlakyResult, ActivityError> {
            Ok(FlakyResult { attempt: 42 })
        }

        /// `worker.v1.Counter.Shout`.
        #[activity(definition = crate::generated::worker::v1::counter_temporal::ShoutActivity)]
        pub async fn shout(
            _ctx: ActivityContext,
            input: ShoutInput,
        ) -> Result<ShoutResult, ActivityError> {
            Ok(ShoutResult {
                text: format!("{}!", input.text),
            })
        }
    }
}
