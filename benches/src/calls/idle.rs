//! Idle cost: resident memory of a fresh caller process with `calls` XNS
//! calls in flight (remote workflows that wait an hour) against the same
//! process with none, after a warm-up.

use std::time::{Duration, Instant};

use anyhow::{Result, bail};
use temporalio_client::{Client, WorkflowCountOptions};
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

    let running = format!("WorkflowType = '{ECHO_WORKFLOW_NAME}' AND ExecutionStatus = 'Running'");
    let running_before = count(&rig.target, &running).await?;
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
    await_count(&rig.target, &running, running_before + calls as usize).await?;
    let loaded = settled_rss(|| caller.rss_kib()).await?;
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

/// The workflows `query` counts in `target`'s namespace.
pub async fn count(target: &Client, query: &str) -> Result<usize> {
    Ok(target
        .count_workflows(query, WorkflowCountOptions::default())
        .await?
        .count())
}

/// Waits until `query` counts at least `want` workflows (the remote
/// workflows of the calls to measure), for at most [`SETTLE_TIMEOUT`].
pub async fn await_count(target: &Client, query: &str, want: usize) -> Result<()> {
    let deadline = Instant::now() + SETTLE_TIMEOUT;
    loop {
        let counted = count(target, query).await?;
        if counted >= want {
            return Ok(());
        }
        if Instant::now() > deadline {
            bail!("only {counted} of {want} workflows ({query}) in {SETTLE_TIMEOUT:?}");
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}

/// Resident memory once the calls have settled: every activity has started
/// its remote workflow; the last ones get time to record it and enter their
/// wait, then the highest of three readings of `rss`.
pub async fn settled_rss(rss: impl Fn() -> Result<u64>) -> Result<u64> {
    tokio::time::sleep(Duration::from_secs(3)).await;
    let mut loaded = 0;
    for _ in 0..3 {
        loaded = loaded.max(rss()?);
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok(loaded)
}
