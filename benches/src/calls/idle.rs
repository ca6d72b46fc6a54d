//! Idle cost: resident memory of a fresh caller process with `calls` XNS
//! calls in flight (remote workflows that wait an hour) against the same
//! process with none, after a warm-up.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use temporalio_client::WorkflowCountOptions;
use xns_runtime::client::StartOptions;

use super::Rig;
use super::caller::CallerProcess;
use crate::protos::bench::v1::{DriveRequest, Via, echo_temporal::ECHO_WORKFLOW_NAME};
use crate::report::{Goal, Report, Row};

/// How long the remote workflows of the idle calls wait.
const IDLE_DELAY: Duration = Duration::from_secs(3600);
/// Concurrent calls of the warm-up.
const WARM_UP: u32 = 50;
/// How long to wait for every call to be in flight.
const SETTLE_TIMEOUT: Duration = Duration::from_secs(300);

/// Measures the caller's memory with `calls` idle XNS calls in flight.
pub async fn run(rig: &Rig, calls: u32, report: &mut Report) -> Result<()> {
    println!("  idle: a fresh caller process, warmed up with {WARM_UP} calls");
    let caller = CallerProcess::spawn(&rig.server).await?;
    // Connections, caches and code paths exist after some calls; what
    // is left is the cost of a call in flight.
    rig.drive(Via::Xns, WARM_UP, true).await?;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let idle = caller.rss_kib()?;

    let running_before = running_echoes(rig).await?;
    let run = rig
        .driver
        .drive_async(
            DriveRequest {
                via: Via::Xns as i32,
                calls,
                concurrent: true,
                delay_ms: IDLE_DELAY.as_millis() as u64,
                heartbeat_timeout_ms: 0,
            },
            StartOptions::new(),
        )
        .await?;
    println!("  idle: waiting for {calls} calls in flight (RSS with none: {idle} KiB)");
    let deadline = Instant::now() + SETTLE_TIMEOUT;
    loop {
        let running = running_echoes(rig).await?.saturating_sub(running_before);
        if running >= calls as usize {
            break;
        }
        if Instant::now() > deadline {
            bail!("only {running} of {calls} remote workflows started in {SETTLE_TIMEOUT:?}");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Every activity has started its remote workflow; give the last ones
    // time to record it and enter their wait.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut loaded = 0;
    for _ in 0..3 {
        loaded = loaded.max(caller.rss_kib()?);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    // Kilobytes of 1,000 bytes, as the goal is written.
    let per_call = loaded.saturating_sub(idle) as f64 * 1.024 / f64::from(calls);
    report.push(
        Row::compared(
            "idle",
            format!("caller worker memory per idle XNS call in flight ({calls} calls)"),
            format!("{per_call:.1} KB (RSS {} MiB)", loaded / 1024),
            format!("no call in flight: RSS {} MiB", idle / 1024),
            per_call,
        )
        .goal(Goal::AtMost(50.0)),
    );
    run.terminate("benchmark done").await?;
    caller.stop().await
}

async fn running_echoes(rig: &Rig) -> Result<usize> {
    let query = format!("WorkflowType = '{ECHO_WORKFLOW_NAME}' AND ExecutionStatus = 'Running'");
    Ok(rig
        .target
        .count_workflows(query, WorkflowCountOptions::default())
        .await?
        .count())
}
