//! What the Go peer tests share: the Go peer's interop client and workers
//! as processes, Rust workers run beside a test body, and messages in
//! protojson.

use anyhow::{Context, Result, bail};
use serde_json::Value;
use temporal_devserver::DevServer;
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use xns_runtime::payload::{self, ProtoMessage};

use crate::peer::{self, Process};

pub use temporal_devserver::with_workers;

/// A message in protojson, as Go prints it.
pub fn json_of<M: ProtoMessage>(message: &M) -> Result<Value> {
    Ok(serde_json::from_slice(&payload::encode(message)?.data)?)
}

/// The Go peer's client running `scenario` against `namespace`, on a
/// blocking thread, so the Rust workers polled by the test's task go on.
pub async fn go_client(
    server: &DevServer,
    namespace: &str,
    scenario: &str,
    name: &str,
) -> Result<Value> {
    let args: Vec<String> = [
        "interop",
        "client",
        "--address",
        server.address(),
        "--namespace",
        namespace,
        "--scenario",
        scenario,
        "--name",
        name,
    ]
    .map(str::to_string)
    .to_vec();
    let out = tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        peer::run(&args, b"")
    })
    .await??;
    serde_json::from_str(&out).with_context(|| format!("go client {scenario}: {out}"))
}

/// A Go worker process with `flags` (see `peer interop worker`).
pub fn go_worker(server: &DevServer, namespace: &str, flags: &[&str]) -> Result<Process> {
    let mut args = vec![
        "interop",
        "worker",
        "--address",
        server.address(),
        "--namespace",
        namespace,
    ];
    args.extend_from_slice(flags);
    let (process, ready) = Process::spawn(&args)?;
    if ready["ready"] != true {
        bail!("go worker {flags:?}: {ready}");
    }
    Ok(process)
}

/// A Rust worker of `namespace` with `options`.
pub async fn rust_worker(
    runtime: &Runtime,
    server: &DevServer,
    namespace: &str,
    options: WorkerOptions,
) -> Result<Worker> {
    Worker::new(runtime, server.client(namespace).await?, options).context("worker")
}

/// The history of a workflow's latest run in `namespace`, in protojson, as
/// the Temporal CLI prints it.
pub fn history(server: &DevServer, namespace: &str, workflow_id: &str) -> Result<Value> {
    let output = std::process::Command::new(temporal_devserver::temporal_cli()?)
        .args(["workflow", "show", "--output", "json"])
        .args(["--address", server.address(), "--namespace", namespace])
        .args(["--workflow-id", workflow_id])
        .output()
        .context("running temporal workflow show")?;
    if !output.status.success() {
        bail!(
            "temporal workflow show {workflow_id}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    serde_json::from_slice(&output.stdout).context("the CLI's history JSON")
}

/// The attributes of every `ActivityTaskScheduled` event of a history.
pub fn scheduled_activities(history: &Value) -> Vec<Value> {
    history["events"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("activityTaskScheduledEventAttributes"))
        .cloned()
        .collect()
}
