//! Interop: a Python SDK worker (messages from `protoc --python_out`)
//! implements `interop.v1.Interop.Tally`; the generated Rust client starts
//! it, signals, queries and updates it, and reads its result. Both sides see
//! the same int64, enum and nested message values.

use anyhow::Result;
use e2e::devserver;
use e2e::generated::interop::v1::{
    AddInput, Color, Owner, TallyInput,
    interop_temporal::{
        AddSignal, BumpUpdate, FinishSignal, INTEROP_TASK_QUEUE, InteropClient, TotalQuery,
    },
};
use e2e::python::{PythonWorker, generate_python_protos};
use xns_runtime::client::{ClientError, StartOptions, UpdateOptions};

const BIG: i64 = 1 << 40;

#[tokio::test]
async fn rust_client_drives_a_python_worker() -> Result<()> {
    let server = devserver::shared().await;
    let namespace = "ns-b";
    let protos = std::env::temp_dir().join(format!("interop-py-{}", std::process::id()));
    generate_python_protos(&protos)?;
    let _worker =
        PythonWorker::start(server.address(), namespace, INTEROP_TASK_QUEUE, &protos).await?;
    let client = InteropClient::new(server.client(namespace).await?);

    let owner = Owner {
        name: "ada".into(),
        tags: vec!["x".into(), "y".into()],
    };
    let input = TallyInput {
        name: "Interop Run".into(),
        start: 5,
        color: Color::Red as i32,
        owner: Some(owner.clone()),
    };
    let run = client.tally_async(input, StartOptions::new()).await?;
    assert_eq!(run.id(), "tally/interop-run");

    // Signal with an int64 beyond 2^32 and an enum; query sees both.
    let add = AddInput {
        amount: BIG,
        color: Color::Blue as i32,
    };
    run.signal(AddSignal, add).await?;
    let total = run.query(TotalQuery, ()).await?;
    assert_eq!(total.total, 5 + BIG);
    assert_eq!(total.last_color, Color::Blue as i32);
    assert_eq!(total.owner.as_ref(), Some(&owner));
    assert_eq!(total.adds, 1);

    // Update returns the new state; the Python validator rejects negatives.
    let bumped = run
        .update(
            BumpUpdate,
            AddInput {
                amount: 3,
                color: Color::Red as i32,
            },
            UpdateOptions::new(),
        )
        .await?;
    assert_eq!(bumped.total, 8 + BIG);
    assert_eq!(bumped.last_color, Color::Red as i32);
    match run
        .update(
            BumpUpdate,
            AddInput {
                amount: -1,
                color: Color::Red as i32,
            },
            UpdateOptions::new(),
        )
        .await
    {
        Err(ClientError::Update { .. }) => {}
        other => anyhow::bail!("negative bump should be rejected, got {other:?}"),
    }
    // By workflow ID through the client as well.
    let by_id = client.query(TotalQuery, run.id(), None, ()).await?;
    assert_eq!(by_id.adds, 2);

    // Finish (an Empty signal: no payload) and read the result.
    run.signal(FinishSignal, ()).await?;
    let result = run.get().await?;
    assert_eq!(result.name, "Interop Run");
    assert_eq!(result.total, 8 + BIG);
    assert_eq!(result.last_color, Color::Red as i32);
    assert_eq!(result.owner, Some(owner));
    assert_eq!(result.adds, 2);
    Ok(())
}
