//! The benchmark workflows, written the way a user would: `Echo` is the
//! callee; `Drive` calls it through XNS or as a child workflow and times
//! each call in workflow time.

use std::time::{Duration, SystemTime};

use temporalio_common::error::ApplicationFailure;
use temporalio_sdk::{WorkflowContextView, WorkflowResult};
// The SDK's join: `futures`' one wakes futures from outside the SDK past
// 30 of them, which the worker rejects as nondeterministic.
use temporalio_workflow::join_all;
use xns_runtime::xns::WorkflowCallOptions;

use crate::protos::bench::v1::{
    DriveRequest, DriveResponse, EchoRequest, EchoResponse, Via,
    driver_temporal::{DriveContext, DriveWorkflowImpl},
    echo_temporal::{self, EchoContext, EchoWorkflowImpl, xns as echo_xns},
};

/// `Echo`: waits `delay_ms`, then returns the sequence number.
pub struct Echo {
    request: EchoRequest,
}

impl EchoWorkflowImpl for Echo {
    fn new(_ctx: &WorkflowContextView, input: EchoRequest) -> Self {
        Self { request: input }
    }

    async fn run(ctx: EchoContext<Self>) -> WorkflowResult<EchoResponse> {
        let (seq, delay_ms) = ctx.state(|s| (s.request.seq, s.request.delay_ms));
        if delay_ms > 0 {
            ctx.timer(Duration::from_millis(delay_ms)).await;
        }
        Ok(EchoResponse { seq })
    }
}

/// `Drive`: makes the calls its request asks for and times them.
pub struct Drive {
    request: DriveRequest,
}

impl DriveWorkflowImpl for Drive {
    fn new(_ctx: &WorkflowContextView, input: DriveRequest) -> Self {
        Self { request: input }
    }

    async fn run(ctx: DriveContext<Self>) -> WorkflowResult<DriveResponse> {
        let request = ctx.state(|s| s.request);
        let started = now(&ctx);
        let mut latencies_us = Vec::new();
        if request.concurrent {
            let calls = (0..request.calls).map(|seq| call(&ctx, &request, seq));
            for result in join_all(calls).await {
                result?;
            }
        } else {
            latencies_us.reserve(request.calls as usize);
            for seq in 0..request.calls {
                let before = now(&ctx);
                call(&ctx, &request, seq).await?;
                latencies_us.push(micros_between(before, now(&ctx)));
            }
        }
        Ok(DriveResponse {
            latencies_us,
            elapsed_us: micros_between(started, now(&ctx)),
        })
    }
}

/// One call of `Echo`, the way the request says.
async fn call(ctx: &DriveContext<Drive>, request: &DriveRequest, seq: u32) -> WorkflowResult<()> {
    let input = EchoRequest {
        seq,
        delay_ms: request.delay_ms,
    };
    let reply = match request.via() {
        Via::Xns => echo_xns::echo(ctx, input, xns_options(request)).await?,
        Via::Child => echo_temporal::echo_child(ctx, input).await?,
        Via::Unspecified => {
            return Err(
                ApplicationFailure::builder("DriveRequest.via is unspecified")
                    .non_retryable(true)
                    .build()
                    .into(),
            );
        }
    };
    if reply.seq != seq {
        return Err(ApplicationFailure::builder(format!(
            "Echo returned sequence number {} for call {seq}",
            reply.seq
        ))
        .non_retryable(true)
        .build()
        .into());
    }
    Ok(())
}

fn xns_options(request: &DriveRequest) -> WorkflowCallOptions {
    let options = WorkflowCallOptions::new();
    match request.heartbeat_timeout_ms {
        0 => options,
        ms => options
            .heartbeat_timeout(Duration::from_millis(ms))
            .heartbeat_interval(Duration::from_millis(ms / 2)),
    }
}

/// The workflow's clock: the start time of the current workflow task.
fn now<W>(ctx: &temporalio_sdk::WorkflowContext<W>) -> SystemTime {
    ctx.workflow_time().unwrap_or(SystemTime::UNIX_EPOCH)
}

fn micros_between(from: SystemTime, to: SystemTime) -> u64 {
    let elapsed = to.duration_since(from).unwrap_or_default();
    u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX)
}
