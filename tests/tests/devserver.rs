//! The dev server harness itself: both namespaces answer and are isolated,
//! the shared server is reused, a dropped server is gone, and the Python
//! interop peer round-trips through it.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use e2e::{
    devserver::{self, DevServer, NAMESPACES},
    python::{PythonWorker, generate_python_protos},
};
use temporalio_client::{
    Client, UntypedWorkflow, WorkflowCountOptions, WorkflowStartOptions, WorkflowTerminateOptions,
    tonic,
};
use temporalio_common::{
    data_converters::RawValue,
    protos::temporal::api::workflowservice::v1::ListWorkflowExecutionsRequest,
};

/// Counts the workflows matching `query`, retrying until `expected` (the
/// visibility store is eventually consistent).
async fn wait_count(client: &Client, query: &str, expected: usize) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let count = client
            .count_workflows(query, WorkflowCountOptions::default())
            .await?
            .count();
        if count == expected {
            return Ok(());
        }
        if Instant::now() >= deadline {
            bail!("count of {query:?} is {count}, expected {expected}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Lists the IDs of the workflows matching `query` in `namespace`.
async fn list_ids(client: &Client, namespace: &str, query: &str) -> Result<Vec<String>> {
    let mut service = client.connection().workflow_service();
    let response = service
        .list_workflow_executions(tonic::Request::new(ListWorkflowExecutionsRequest {
            namespace: namespace.to_owned(),
            page_size: 100,
            query: query.to_owned(),
            ..Default::default()
        }))
        .await
        .with_context(|| format!("listing workflows in {namespace}"))?;
    Ok(response
        .into_inner()
        .executions
        .into_iter()
        .filter_map(|e| e.execution.map(|e| e.workflow_id))
        .collect())
}

/// Starts a workflow in each namespace (no worker: it just stays open) and
/// checks that each namespace counts and lists only its own.
async fn check_namespaces(server: &DevServer, tag: &str) -> Result<()> {
    for ns in NAMESPACES {
        let client = server.client(ns).await?;
        // Listing and counting work on an empty (or shared) namespace.
        client
            .count_workflows("", WorkflowCountOptions::default())
            .await
            .with_context(|| format!("count in {ns}"))?;
        list_ids(&client, ns, "").await?;

        // Unique per run: an external TEMPORAL_ADDRESS server keeps old runs.
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)?
            .as_nanos();
        let id = format!("devserver-{tag}-{ns}-{}-{nanos}", std::process::id());
        let handle = client
            .start_workflow(
                UntypedWorkflow::new("devserver.Probe"),
                RawValue { payloads: vec![] },
                WorkflowStartOptions::new("devserver-probe", id.clone()).build(),
            )
            .await
            .with_context(|| format!("starting {id}"))?;
        let query = format!("WorkflowId = '{id}'");
        wait_count(&client, &query, 1).await?;
        assert_eq!(list_ids(&client, ns, &query).await?, vec![id.clone()]);
        for other in NAMESPACES.iter().filter(|o| **o != ns) {
            let other_client = server.client(other).await?;
            wait_count(&other_client, &query, 0).await?;
        }
        handle
            .terminate(
                WorkflowTerminateOptions::builder()
                    .reason("test done")
                    .build(),
            )
            .await?;
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn own_server_serves_both_namespaces_and_dies_on_drop() -> Result<()> {
    let server = DevServer::start().await?;
    let address = server.address().to_owned();
    assert!(address.contains(':'), "{address}");
    check_namespaces(&server, "own").await?;
    let external = std::env::var_os("TEMPORAL_ADDRESS").is_some_and(|a| !a.is_empty());
    drop(server);
    if !external {
        // Drop returns after the server process has been killed and reaped.
        let refused = tokio::net::TcpStream::connect(&address).await.is_err();
        assert!(refused, "{address} still accepts connections after drop");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn shared_server_is_reused() -> Result<()> {
    let first = devserver::shared().await;
    let second = devserver::shared().await;
    assert!(std::ptr::eq(first, second));
    check_namespaces(first, "shared").await
}

#[tokio::test(flavor = "multi_thread")]
async fn python_worker_round_trips_tally() -> Result<()> {
    let server = devserver::shared().await;
    let out = std::env::temp_dir().join(format!("e2e-devserver-py-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    generate_python_protos(&out)?;
    let task_queue = format!("interop-{}", std::process::id());
    let worker = PythonWorker::start(server.address(), "ns-b", &task_queue, &out).await?;

    let script = devserver::workspace_root().join("tests/python/smoke_client.py");
    let output = tokio::process::Command::new(devserver::python())
        .arg(&script)
        .args(["--address", server.address(), "--namespace", "ns-b"])
        .args(["--task-queue", &task_queue])
        .env("PYTHONPATH", &out)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .await?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "smoke client failed ({}):\n{stdout}\n{stderr}\nworker stderr:\n{}",
        output.status,
        worker.stderr()
    );
    assert!(stdout.contains(r#""total": "1099511627784""#), "{stdout}");
    drop(worker);
    let _ = std::fs::remove_dir_all(&out);
    Ok(())
}
