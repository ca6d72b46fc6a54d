//! The target service on its own: a worker for `example.v1.Example` and the
//! generated `ExampleClient` driving one `CreateFoo` run.

use anyhow::{Context, Result};
use temporal_devserver::DevServer;
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use xns_runtime::client::{StartOptions, UpdateOptions};

use crate::TARGET_NAMESPACE;
use crate::create_foo::{CreateFoo, Notifier};
use crate::protos::example::v1::{
    CreateFooRequest, CreateFooResponse, SetFooProgressRequest,
    example_temporal::{
        self, EXAMPLE_TASK_QUEUE, ExampleClient, GetFooProgressQuery, SetFooProgressSignal,
        UpdateFooProgressUpdate,
    },
};

/// The worker options of the `Example` service: `CreateFoo` and `Notify`
/// under the proto's names, polling the proto's task queue.
// snippet:start register-target
pub fn example_worker_options() -> Result<WorkerOptions> {
    let mut options = WorkerOptions::new(EXAMPLE_TASK_QUEUE).build();
    example_temporal::register_example_workflows::<CreateFoo>(&mut options)?;
    example_temporal::register_example_activities(&mut options, Notifier)?;
    Ok(options)
}
// snippet:end

/// Runs an `Example` worker in [`TARGET_NAMESPACE`] and drives a `CreateFoo`
/// named `name` through the generated client, printing each step.
pub async fn run(server: &DevServer, name: &str) -> Result<CreateFooResponse> {
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let client = server.client(TARGET_NAMESPACE).await?;
    let worker = Worker::new(&runtime, client.clone(), example_worker_options()?)?;
    println!(
        "== worker for `example.v1.Example` polls task queue `{EXAMPLE_TASK_QUEUE}` in `{TARGET_NAMESPACE}`"
    );

    let example = ExampleClient::new(client);
    let drive = drive(&example, name);
    // Runs the worker while the client drives it, then shuts it down
    // (dropping a running worker makes the SDK core panic on its way out).
    temporal_devserver::with_workers(&mut [worker], drive).await
}

// snippet:start client
async fn drive(example: &ExampleClient, name: &str) -> Result<CreateFooResponse> {
    let request = CreateFooRequest {
        name: name.to_string(),
    };
    // The workflow ID comes from the proto: `create-foo/${! name.slug() }`.
    let run = example
        .create_foo_async(request, StartOptions::new())
        .await?;
    println!("== started CreateFoo `{}`", run.id());

    let progress = SetFooProgressRequest { progress: 0.4 };
    run.signal(SetFooProgressSignal, progress).await?;
    println!("== signalled SetFooProgress(0.4)");

    let status = run.query(GetFooProgressQuery, ()).await?;
    let label = status.status().as_str_name();
    println!(
        "== queried GetFooProgress: progress {:.1}, status {label}",
        status.progress
    );

    let update = SetFooProgressRequest { progress: 1.0 };
    let status = run
        .update(UpdateFooProgressUpdate, update, UpdateOptions::new())
        .await?;
    println!(
        "== updated UpdateFooProgress(1.0): status {}",
        status.status().as_str_name()
    );

    let response = run.get().await?;
    let created = response.foo.as_ref().context("CreateFoo returned no foo")?;
    println!(
        "== CreateFoo returned foo `{}`, status {}",
        created.name,
        created.status().as_str_name()
    );
    Ok(response)
}
// snippet:end
