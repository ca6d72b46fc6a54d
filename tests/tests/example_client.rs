//! End-to-end: the generated `ExampleClient` against a Rust worker written
//! with the SDK macros and the generated name constants, on a real dev
//! server. Exercises start, execute, attach, query, signal, update (sync and
//! async), signal-with-start, update-with-start, cancel and terminate.

use std::time::Duration;

use anyhow::Result;
use e2e::devserver;
use e2e::generated::example::v1::{
    CreateFooRequest, SetFooProgressRequest,
    example_temporal::{
        self, CreateFooWorkflow, ExampleClient, GetFooProgressQuery, SetFooProgressSignal,
        UpdateFooProgressUpdate,
    },
    foo,
};
use e2e::workers::CreateFoo;
use temporalio_client::WorkflowTerminateOptions;
use temporalio_client::errors::WorkflowGetResultError;
use temporalio_common::protos::temporal::api::common::v1::{Payload, Payloads};
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use xns_runtime::client::{ClientError, StartOptions, UpdateOptions, UpdateWithStartOptions};

fn request(name: &str) -> CreateFooRequest {
    CreateFooRequest {
        name: name.to_string(),
    }
}

fn progress(p: f32) -> SetFooProgressRequest {
    SetFooProgressRequest { progress: p }
}

/// Runs `body` while a worker for CreateFoo polls `task_queue`.
async fn with_worker<F>(namespace: &str, task_queue: &str, body: F) -> Result<()>
where
    F: std::future::Future<Output = Result<()>>,
{
    let server = devserver::shared().await;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let options = WorkerOptions::new(task_queue)
        .register_workflow::<CreateFoo>()?
        .build();
    let mut worker = Worker::new(&runtime, server.client(namespace).await?, options)?;
    tokio::select! {
        result = worker.run() => anyhow::bail!("worker stopped early: {result:?}"),
        result = tokio::time::timeout(Duration::from_secs(120), body) => result?,
    }
}

#[tokio::test]
async fn generated_client_drives_a_rust_worker() -> Result<()> {
    let server = devserver::shared().await;
    // The proto's task queue (`example-v1`) is the default: no option needed.
    let client = ExampleClient::new(server.client("default").await?);
    with_worker("default", example_temporal::EXAMPLE_TASK_QUEUE, async {
        // Start: the ID comes from `create-foo/${! name.slug() }`.
        let run = client
            .create_foo_async(request("My Foo"), StartOptions::new())
            .await?;
        assert_eq!(run.id(), "create-foo/my-foo");
        assert!(run.run_id().is_some());

        // Signal and query through the run handle.
        run.signal(SetFooProgressSignal, progress(0.25)).await?;
        let status = run.query(GetFooProgressQuery, ()).await?;
        assert_eq!(status.progress, 0.25);
        assert_eq!(status.status, foo::Status::FooStatusCreating as i32);

        // Attach by ID and query again; query by workflow ID on the client.
        let attached = client.get_create_foo("create-foo/my-foo", None);
        assert_eq!(
            attached.query(GetFooProgressQuery, ()).await?.progress,
            0.25
        );
        assert_eq!(
            client
                .query(GetFooProgressQuery, "create-foo/my-foo", None, ())
                .await?
                .progress,
            0.25
        );

        // Async update: the ID comes from `update-progress/${! progress.string() }`.
        let handle = run
            .update_async(UpdateFooProgressUpdate, progress(0.5), UpdateOptions::new())
            .await?;
        assert_eq!(handle.id(), "update-progress/0.5");
        assert_eq!(handle.get().await?.progress, 0.5);
        // A handle on that update by its ID, from another run handle.
        let by_id = attached.get_update_handle(UpdateFooProgressUpdate, "update-progress/0.5");
        assert_eq!(by_id.get().await?.progress, 0.5);

        // Sync update finishes the workflow.
        let done = attached
            .update(
                UpdateFooProgressUpdate,
                progress(1.0),
                UpdateOptions::new().id("final"),
            )
            .await?;
        assert_eq!(done.status, foo::Status::FooStatusReady as i32);
        let result = run.get().await?;
        assert_eq!(result.foo.as_ref().map(|f| f.name.as_str()), Some("My Foo"));
        assert_eq!(
            result.foo.map(|f| f.status),
            Some(foo::Status::FooStatusReady as i32)
        );

        // The proto's REJECT_DUPLICATE reuse policy: the same ID cannot start
        // again. As Go's client, the start returns the run that has the ID,
        // unless asked to fail.
        let again = client
            .create_foo_async(request("My Foo"), StartOptions::new())
            .await?;
        assert_eq!(again.id(), run.id());
        assert_eq!(
            again.get().await?.foo.map(|f| f.name).as_deref(),
            Some("My Foo")
        );
        let err = client
            .create_foo_async(
                request("My Foo"),
                StartOptions::new().error_when_already_started(true),
            )
            .await
            .unwrap_err();
        assert!(err.is_already_started(), "{err}");

        // Execute (start and wait) while a signal by workflow ID completes it.
        let options = StartOptions::new().id("execute-foo");
        let (result, signal) = tokio::join!(client.create_foo(request("exec"), options), async {
            tokio::time::sleep(Duration::from_millis(500)).await;
            client
                .signal(SetFooProgressSignal, "execute-foo", None, progress(1.0))
                .await
        });
        signal?;
        assert_eq!(result?.foo.map(|f| f.name), Some("exec".to_string()));

        // Update by workflow ID on the client, sync and async.
        let run = client
            .create_foo_async(request("by id"), StartOptions::new())
            .await?;
        let status = client
            .update(
                UpdateFooProgressUpdate,
                run.id(),
                None,
                progress(0.3),
                UpdateOptions::new(),
            )
            .await?;
        assert_eq!(status.progress, 0.3);
        let handle = client
            .update_async(
                UpdateFooProgressUpdate,
                run.id(),
                None,
                progress(1.0),
                UpdateOptions::new().id("u2"),
            )
            .await?;
        assert_eq!(handle.id(), "u2");
        assert_eq!(
            handle.get().await?.status,
            foo::Status::FooStatusReady as i32
        );
        run.get().await?;

        // Signal-with-start: the signal is delivered before the first task.
        let run = client
            .signal_with_start(
                CreateFooWorkflow,
                request("sws"),
                SetFooProgressSignal,
                progress(1.0),
                StartOptions::new(),
            )
            .await?;
        assert_eq!(run.id(), "create-foo/sws");
        assert_eq!(
            run.get().await?.foo.map(|f| f.name),
            Some("sws".to_string())
        );
        // ... and its form that waits for the result.
        let done = client
            .execute_signal_with_start(
                CreateFooWorkflow,
                request("sws-wait"),
                SetFooProgressSignal,
                progress(1.0),
                StartOptions::new(),
            )
            .await?;
        assert_eq!(done.foo.map(|f| f.name), Some("sws-wait".to_string()));

        // Update-with-start: starts the workflow and runs the update on it.
        let (status, run) = client
            .execute_update_with_start(
                CreateFooWorkflow,
                request("uws"),
                UpdateFooProgressUpdate,
                progress(0.75),
                UpdateWithStartOptions::new(),
            )
            .await?;
        assert_eq!(status.progress, 0.75);
        assert_eq!(run.id(), "create-foo/uws");
        run.signal(SetFooProgressSignal, progress(1.0)).await?;
        run.get().await?;

        // Cancel: the result reports cancellation.
        let run = client
            .create_foo_async(request("to cancel"), StartOptions::new())
            .await?;
        run.cancel("test").await?;
        match run.get().await {
            Err(ClientError::Result {
                source: WorkflowGetResultError::Cancelled { .. },
                ..
            }) => {}
            other => anyhow::bail!("expected cancellation, got {other:?}"),
        }

        // Terminate by ID on the client.
        let run = client
            .create_foo_async(request("to terminate"), StartOptions::new())
            .await?;
        client.terminate_workflow(run.id(), None, "test").await?;
        match run.get().await {
            Err(ClientError::Result {
                source: WorkflowGetResultError::Terminated { .. },
                ..
            }) => {}
            other => anyhow::bail!("expected termination, got {other:?}"),
        }

        // Terminate by ID with details, which the run's result carries.
        let run = client
            .create_foo_async(request("to terminate with details"), StartOptions::new())
            .await?;
        let detail = Payload {
            metadata: [("encoding".to_string(), b"json/plain".to_vec())].into(),
            data: b"\"why\"".to_vec(),
            ..Default::default()
        };
        let mut options = WorkflowTerminateOptions::default();
        options.reason = "test".to_string();
        options.details = Some(Payloads {
            payloads: vec![detail],
        });
        client
            .terminate_workflow_with(run.id(), None, options)
            .await?;
        match run.get().await {
            Err(ClientError::Result {
                source: WorkflowGetResultError::Terminated { details },
                ..
            }) => {
                let data: Vec<&[u8]> = details.raw().iter().map(|p| p.data.as_slice()).collect();
                assert_eq!(data, [b"\"why\"".as_slice()]);
            }
            other => anyhow::bail!("expected termination, got {other:?}"),
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn explicit_task_queue_and_id_win_over_the_proto() -> Result<()> {
    let server = devserver::shared().await;
    let client = ExampleClient::new(server.client("default").await?);
    // An explicit task queue wins over the proto's; the workflow runs there.
    with_worker("default", "example-explicit-queue", async {
        let run = client
            .create_foo_async(
                request("explicit"),
                StartOptions::new()
                    .task_queue("example-explicit-queue")
                    .id("explicit-id"),
            )
            .await?;
        assert_eq!(run.id(), "explicit-id");
        run.signal(SetFooProgressSignal, progress(1.0)).await?;
        run.get().await?;
        Ok(())
    })
    .await
}
