//! The XNS caller worker of the fault tests, in a process of its own so
//! that a test can kill it with SIGKILL mid-call and read its memory:
//! `xns-caller-worker <task-queue> [activity-slots [max-waits]]`, against the server
//! in `TEMPORAL_ADDRESS`. It runs the caller workflows in `ns-a` with the
//! XNS activities calling `ns-b` (`e2e::xns_faults::caller_worker_options`),
//! prints `e2e::xns_faults::READY` once registered, and shuts the worker
//! down when its stdin closes.

use anyhow::{Context, Result, bail};
use e2e::devserver::DevServer;
use e2e::xns_faults::{READY, caller_worker_options};
use temporalio_sdk::{Runtime, Worker};

#[tokio::main]
async fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let task_queue = args
        .next()
        .context("usage: xns-caller-worker <task-queue> [activity-slots [max-waits]]")?;
    let slots = match args.next() {
        Some(s) => s.parse().with_context(|| format!("activity slots {s:?}"))?,
        None => 1000,
    };
    let max_waits = match args.next() {
        Some(s) => Some(s.parse().with_context(|| format!("max waits {s:?}"))?),
        None => None,
    };
    if std::env::var_os("TEMPORAL_ADDRESS").is_none_or(|a| a.is_empty()) {
        bail!("TEMPORAL_ADDRESS names the server to run against");
    }
    // With TEMPORAL_ADDRESS set this starts nothing: it waits until the
    // server answers.
    let server = DevServer::start().await?;
    let target = server.client("ns-b").await?;
    let options = caller_worker_options(&task_queue, target, slots, max_waits)?;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let mut worker = Worker::new(&runtime, server.client("ns-a").await?, options)?;
    let stop = worker.shutdown_handle();
    println!("{READY}");
    let stdin_closed = tokio::task::spawn_blocking(|| {
        use std::io::Read;
        let mut sink = Vec::new();
        std::io::stdin().read_to_end(&mut sink)
    });
    let run = worker.run();
    tokio::pin!(run);
    tokio::select! {
        stopped = &mut run => {
            // Exit at once: the runtime would wait for the stdin reader.
            eprintln!("the caller worker stopped by itself: {stopped:?}");
            std::process::exit(1);
        }
        // EOF: the test is done (or gone).
        _ = stdin_closed => {}
    }
    stop();
    run.await.context("shutting the caller worker down")
}
