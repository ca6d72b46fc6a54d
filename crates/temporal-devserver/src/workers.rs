//! Running workers beside a test body.

use std::future::Future;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use futures::stream::{FuturesUnordered, StreamExt};
use temporalio_sdk::Worker;

/// How long [`with_workers`] lets the body run.
const BODY_TIMEOUT: Duration = Duration::from_secs(120);

/// Runs `body` while every worker in `workers` polls, then shuts the
/// workers down; fails if a worker stops first or the body takes more than
/// two minutes. The body must not block its thread: the workers are polled
/// by the same task.
pub async fn with_workers<T>(
    workers: &mut [Worker],
    body: impl Future<Output = Result<T>>,
) -> Result<T> {
    let stops: Vec<_> = workers.iter().map(Worker::shutdown_handle).collect();
    let mut runs: FuturesUnordered<_> = workers.iter_mut().map(Worker::run).collect();
    let body = tokio::time::timeout(BODY_TIMEOUT, body);
    let result = tokio::select! {
        Some(result) = runs.next() => bail!("a worker stopped early: {result:?}"),
        result = body => result.context("test body timed out").and_then(|r| r),
    };
    for stop in &stops {
        stop();
    }
    while let Some(run) = runs.next().await {
        run?;
    }
    result
}
