//! Interop, the other direction: a Python SDK client (messages from
//! `protoc --python_out`) starts `worker.v1.Counter.Count` hosted by a Rust
//! worker built from the generated traits, signals, queries and updates it,
//! and reads its result. The validator's rejection reaches Python as an
//! update failure.

use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use e2e::counter::{Activities, Count, Echo, Orchestrate};
use e2e::devserver;
use e2e::generated::worker::v1::counter_temporal::{self as counter, COUNTER_TASK_QUEUE};
use e2e::python::generate_python_protos_for;
use temporalio_sdk::{Runtime, Worker, WorkerOptions};

#[tokio::test]
async fn python_client_drives_a_rust_worker_built_from_the_traits() -> Result<()> {
    let server = devserver::shared().await;
    let namespace = "ns-b";
    let protos = std::env::temp_dir().join(format!("counter-py-{}", std::process::id()));
    generate_python_protos_for(&protos, &["worker/v1/worker.proto"])?;

    let mut options = WorkerOptions::new(COUNTER_TASK_QUEUE).build();
    counter::register_counter_workflows::<Count, Orchestrate, Echo>(&mut options)?;
    counter::register_counter_activities(&mut options, Activities::default())?;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let mut worker = Worker::new(&runtime, server.client(namespace).await?, options)?;

    let script = devserver::workspace_root()
        .join("tests")
        .join("python")
        .join("counter_client.py");
    let python = tokio::process::Command::new(devserver::python())
        .arg(&script)
        .args(["--address", server.address()])
        .args(["--namespace", namespace])
        .args(["--task-queue", COUNTER_TASK_QUEUE])
        .args(["--id", "count-from-python"])
        .env("PYTHONPATH", &protos)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .kill_on_drop(true)
        .output();
    let output = tokio::select! {
        result = worker.run() => bail!("worker stopped early: {result:?}"),
        output = tokio::time::timeout(Duration::from_secs(120), python) => output??,
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    ensure!(
        output.status.success(),
        "python client failed ({}):\n{stdout}\n{stderr}",
        output.status
    );
    let seen: serde_json::Value =
        serde_json::from_str(stdout.lines().last().context("python printed nothing")?)
            .with_context(|| format!("python output: {stdout}"))?;
    // An int64 above 2^32 went through Python's protojson and back.
    assert_eq!(seen["total_after_signals"], ((1i64 << 40) + 5).to_string());
    assert!(
        seen["rejected"]
            .as_str()
            .is_some_and(|m| m.contains("total must not be negative, got -1")),
        "{seen}"
    );
    assert_eq!(seen["updated"], 7);
    assert_eq!(seen["result"]["total"], 7);
    assert_eq!(seen["result"]["runs"], 1);
    let _ = std::fs::remove_dir_all(&protos);
    Ok(())
}
