//! Demo: a Rust worker implements the proto-defined `CreateFoo` workflow and
//! the generated `ExampleClient` drives it: start, signal, query, update,
//! result. Without `TEMPORAL_ADDRESS` it starts an embedded dev server (with
//! namespaces `ns-a` and `ns-b`) and stops it at the end.
//!
//! Run: `bash scripts/demo.sh`

use anyhow::Result;
use e2e::devserver::DevServer;
use e2e::generated::example::v1::{
    CreateFooRequest, SetFooProgressRequest,
    example_temporal::{
        EXAMPLE_TASK_QUEUE, ExampleClient, GetFooProgressQuery, SetFooProgressSignal,
        UpdateFooProgressUpdate,
    },
};
use e2e::workers::CreateFoo;
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use xns_runtime::client::{StartOptions, UpdateOptions};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    println!("== starting a Temporal dev server (or using TEMPORAL_ADDRESS)");
    let server = DevServer::start().await?;
    println!("   server at {}", server.address());

    let runtime = Runtime::from_current_tokio(Default::default())?;
    let options = WorkerOptions::new(EXAMPLE_TASK_QUEUE)
        .register_workflow::<CreateFoo>()?
        .build();
    let mut worker = Worker::new(&runtime, server.client("default").await?, options)?;
    println!("== worker polling task queue `{EXAMPLE_TASK_QUEUE}` (from the proto)");

    let client = ExampleClient::new(server.client("default").await?);
    let demo = async {
        let name = format!("Demo Foo {}", std::process::id());
        let run = client
            .create_foo_async(CreateFooRequest { name: name.clone() }, StartOptions::new())
            .await?;
        println!(
            "== started CreateFoo `{}` (ID from `create-foo/${{! name.slug() }}`)",
            run.id()
        );

        run.signal(
            SetFooProgressSignal,
            SetFooProgressRequest { progress: 0.4 },
        )
        .await?;
        println!("== signalled SetFooProgress(0.4)");
        let status = run.query(GetFooProgressQuery, ()).await?;
        println!(
            "== queried GetFooProgress: progress={} status={}",
            status.progress,
            status.status().as_str_name()
        );

        let handle = run
            .update_async(
                UpdateFooProgressUpdate,
                SetFooProgressRequest { progress: 1.0 },
                UpdateOptions::new(),
            )
            .await?;
        let status = handle.get().await?;
        println!(
            "== update `{}` accepted and completed: status={}",
            handle.id(),
            status.status().as_str_name()
        );

        let result = run.get().await?;
        let created = result.foo.unwrap_or_default();
        println!(
            "== CreateFoo returned foo `{}` with status {}",
            created.name,
            created.status().as_str_name()
        );
        anyhow::Ok(())
    };
    tokio::select! {
        result = worker.run() => anyhow::bail!("worker stopped early: {result:?}"),
        result = demo => result?,
    }
    println!("== done; stopping the dev server");
    drop(server);
    Ok(())
}
