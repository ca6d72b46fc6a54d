//! Rust and Go, generated from one proto (`protos/gopeer/v1/gopeer.proto`:
//! the Go side from the Go generator, ours from our generator), working
//! together on a dev server: each client against the other's worker, each
//! XNS caller against the other's target, XNS activities served by the
//! other language, and the same errors seen on both sides.
//!
//! Every test has its own dev server: the proto fixes the task queues, and
//! a Go and a Rust worker on one queue would take each other's tasks.

use anyhow::{Result, bail};
use futures::TryStreamExt;
use go_peer::harness::{self, go_client, go_worker, json_of, rust_worker, with_workers};
use go_peer::interop::gopeer::caller_temporal::{CALLER_TASK_QUEUE, CallerClient};
use go_peer::interop::gopeer::counter_temporal::{
    AddSignal, BumpUpdate, CountWorkflow, CounterClient, FinishSignal, TotalQuery,
};
use go_peer::interop::gopeer::stamper_temporal::StamperClient;
use go_peer::interop::gopeer::{
    AddInput, CallCountInput, CallEchoesInput, CountInput, CountOutput,
};
use go_peer::interop::{self, AwaitCount, CallerParts};
use serde_json::{Value, json};
use temporal_devserver::DevServer;
use temporalio_client::errors::{WorkflowGetResultError, WorkflowUpdateError};
use temporalio_client::{UntypedWorkflow, WorkflowStartOptions};
use temporalio_common::error::IncomingError;
use temporalio_common::protos::temporal::api::enums::v1::PendingActivityState;
use temporalio_sdk::Runtime;
use xns_runtime::client::{ClientError, StartOptions, UpdateOptions, UpdateWithStartOptions};

const CALLER_NAMESPACE: &str = "ns-a";
const TARGET_NAMESPACE: &str = "ns-b";

/// The timestamp of the `stamp` scenarios (the Go client's
/// `ScenarioStampSeconds` and `ScenarioStampNanos`)...
fn stamp_input() -> prost_types::Timestamp {
    prost_types::Timestamp {
        seconds: 1_700_000_000,
        nanos: 5_000_000,
    }
}

/// ...and what `Stamp` returns for it, the Go and the Rust `Format` alike.
const STAMP_TEXT: &str = "1700000000.005000000";

/// What `Count{name, start: 10}` gives after `Add(5)`, `Bump(7)`, `Finish`.
fn expected_count(name: &str) -> Value {
    json!({
        "total": {"name": name, "total": "15", "adds": 1},
        "bumped": {"name": name, "total": "22", "adds": 2},
        "result": {
            "name": name,
            "total": "22",
            "adds": 2,
            "description": format!("{name}: 22 after 2 adds"),
        },
    })
}

/// The failure every `Fail` of these tests asks for, as the caller sees it.
fn expected_failure() -> Value {
    json!({"code": "PeerError", "nonRetryable": true, "message": "boom"})
}

/// Our client running the `count` scenario of the Go client.
async fn rust_count(counter: &CounterClient, name: &str) -> Result<Value> {
    let input = CountInput {
        name: name.to_string(),
        start: 10,
    };
    let run = counter.count_async(input, StartOptions::new()).await?;
    run.signal(AddSignal, AddInput { amount: 5 }).await?;
    let total = run.query(TotalQuery, ()).await?;
    let bumped = run
        .update(BumpUpdate, AddInput { amount: 7 }, UpdateOptions::new())
        .await?;
    let rejected = match run
        .update(BumpUpdate, AddInput { amount: -1 }, UpdateOptions::new())
        .await
    {
        Ok(count) => bail!("Bump(-1) was accepted: {count:?}"),
        Err(ClientError::Update {
            source: WorkflowUpdateError::Failed(failure),
            ..
        }) => failure.message,
        Err(other) => bail!("Bump(-1) failed otherwise: {other:#}"),
    };
    run.signal(FinishSignal, ()).await?;
    let result = run.get().await?;
    Ok(json!({
        "workflow_id": run.id(),
        "total": json_of(&total)?,
        "bumped": json_of(&bumped)?,
        "rejected": rejected,
        "result": json_of(&result)?,
    }))
}

/// Our client's signal-with-start and update-with-start of `Count`.
async fn rust_with_start(counter: &CounterClient, name: &str) -> Result<(Value, Value)> {
    let input = |suffix: &str| CountInput {
        name: format!("{name}-{suffix}"),
        start: 10,
    };
    let run = counter
        .signal_with_start(
            CountWorkflow,
            input("sws"),
            AddSignal,
            AddInput { amount: 5 },
            StartOptions::new(),
        )
        .await?;
    run.signal(FinishSignal, ()).await?;
    let signalled = run.get().await?;
    let (bumped, run) = counter
        .execute_update_with_start(
            CountWorkflow,
            input("uws"),
            BumpUpdate,
            AddInput { amount: 7 },
            UpdateWithStartOptions::new(),
        )
        .await?;
    run.signal(FinishSignal, ()).await?;
    let updated = run.get().await?;
    Ok((
        json!({"result": json_of(&signalled)?}),
        json!({"bumped": json_of(&bumped)?, "result": json_of(&updated)?}),
    ))
}

/// Our client's view of `Fail`: the workflow's application error.
async fn rust_fail(counter: &CounterClient, name: &str) -> Result<Value> {
    let err = match counter
        .fail(interop::peer_failure(name), StartOptions::new())
        .await
    {
        Ok(()) => bail!("Fail succeeded"),
        Err(err) => err,
    };
    let ClientError::Result {
        source: WorkflowGetResultError::Failed(incoming),
        ..
    } = &err
    else {
        bail!("Fail failed otherwise: {err:#}");
    };
    let IncomingError::Application(app) = incoming.as_ref() else {
        bail!("Fail: not an application error: {err:#}");
    };
    Ok(json!({
        "code": app.type_name(),
        "nonRetryable": app.is_non_retryable(),
        "message": app.source_error().to_string(),
    }))
}

/// Checks a `count` scenario's output (Go's or ours).
fn check_count(who: &str, out: &Value, name: &str) -> Result<()> {
    let expected = expected_count(name);
    for key in ["total", "bumped", "result"] {
        if out[key] != expected[key] {
            bail!("{who}: {key} is {}, expected {}", out[key], expected[key]);
        }
    }
    let rejected = out["rejected"].as_str().unwrap_or_default();
    if !rejected.contains("negative amount") {
        bail!("{who}: Bump(-1) rejected with {rejected:?}, expected `negative amount`");
    }
    if out["workflow_id"] != format!("count/{name}") {
        bail!("{who}: workflow ID {}", out["workflow_id"]);
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn go_client_drives_a_rust_worker() -> Result<()> {
    let server = DevServer::start().await?;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let mut workers = [
        rust_worker(
            &runtime,
            &server,
            CALLER_NAMESPACE,
            interop::counter_worker()?,
        )
        .await?,
        rust_worker(
            &runtime,
            &server,
            CALLER_NAMESPACE,
            interop::stamper_worker()?,
        )
        .await?,
    ];
    with_workers(&mut workers, async {
        let out = go_client(&server, CALLER_NAMESPACE, "stamp", "go-stamp").await?;
        assert_eq!(
            out,
            json!({"result": STAMP_TEXT}),
            "Stamp of the Go client on the Rust worker"
        );

        let out = go_client(&server, CALLER_NAMESPACE, "count", "go-to-rust").await?;
        check_count("Go client, Rust worker", &out, "go-to-rust")?;

        let out = go_client(&server, CALLER_NAMESPACE, "signal-with-start", "go-sws").await?;
        let expected = expected_count("go-sws");
        let mut result = expected["result"].clone();
        result["total"] = json!("15");
        result["adds"] = json!(1);
        result["description"] = json!("go-sws: 15 after 1 adds");
        assert_eq!(out["result"], result, "signal-with-start: {out}");

        let out = go_client(&server, CALLER_NAMESPACE, "update-with-start", "go-uws").await?;
        assert_eq!(
            out["bumped"],
            json!({"name": "go-uws", "total": "17", "adds": 1}),
            "update-with-start: {out}"
        );
        assert_eq!(out["result"]["description"], "go-uws: 17 after 1 adds");

        let out = go_client(&server, CALLER_NAMESPACE, "fail", "go-fail").await?;
        assert_eq!(
            json!({
                "code": out["error_type"],
                "nonRetryable": out["non_retryable"],
                "message": out["message"],
            }),
            expected_failure(),
            "the Go client sees the Rust workflow's error: {out}"
        );
        Ok(())
    })
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_client_drives_a_go_worker() -> Result<()> {
    let server = DevServer::start().await?;
    let _go = go_worker(&server, CALLER_NAMESPACE, &["--counter"])?;
    let counter = CounterClient::new(server.client(CALLER_NAMESPACE).await?);

    let out = rust_count(&counter, "rust-to-go").await?;
    check_count("Rust client, Go worker", &out, "rust-to-go")?;

    let (signalled, updated) = rust_with_start(&counter, "rust-go").await?;
    assert_eq!(
        signalled["result"]["description"],
        "rust-go-sws: 15 after 1 adds"
    );
    assert_eq!(
        updated["bumped"],
        json!({"name": "rust-go-uws", "total": "17", "adds": 1})
    );
    assert_eq!(
        updated["result"]["description"],
        "rust-go-uws: 17 after 1 adds"
    );

    let failure = rust_fail(&counter, "rust-fail").await?;
    assert_eq!(failure, expected_failure(), "the Go workflow's error");

    let stamper = StamperClient::new(server.client(CALLER_NAMESPACE).await?);
    let text = stamper.stamp(stamp_input(), StartOptions::new()).await?;
    assert_eq!(text, STAMP_TEXT, "Stamp of our client on the Go worker");
    Ok(())
}

/// `CallCount` and `CallFail` through `Caller` (the callers' namespace),
/// started by our client; checks both outputs.
async fn rust_calls(server: &DevServer, name: &str) -> Result<()> {
    let caller = CallerClient::new(server.client(CALLER_NAMESPACE).await?);
    let out = caller
        .call_count(
            CallCountInput {
                name: name.to_string(),
            },
            StartOptions::new(),
        )
        .await?;
    check_call_count(&json_of(&out)?, name)?;
    let out = caller
        .call_fail(interop::peer_failure(name), StartOptions::new())
        .await?;
    assert_eq!(json_of(&out)?, expected_failure(), "CallFail");
    let input = CallEchoesInput {
        count: 4,
        concurrency: 2,
        hold_seconds: 0,
    };
    let out = caller.call_echoes(input, StartOptions::new()).await?;
    check_call_echoes(&json_of(&out)?)
}

/// The same through the Go client.
async fn go_calls(server: &DevServer, name: &str) -> Result<()> {
    let out = go_client(server, CALLER_NAMESPACE, "call-count", name).await?;
    check_call_count(&out, name)?;
    let out = go_client(server, CALLER_NAMESPACE, "call-fail", name).await?;
    assert_eq!(out, expected_failure(), "CallFail");
    let out = go_client(server, CALLER_NAMESPACE, "call-echoes", name).await?;
    check_call_echoes(&out)
}

/// Checks `CallEchoes{count: 4, concurrency: 2}`'s output: a latency per
/// call, none longer than the whole.
fn check_call_echoes(out: &Value) -> Result<()> {
    let micros = |v: &Value| v.as_str().and_then(|s| s.parse::<u64>().ok());
    let latencies: Option<Vec<u64>> = out["latenciesUs"]
        .as_array()
        .and_then(|l| l.iter().map(micros).collect());
    let (Some(latencies), Some(elapsed)) = (latencies, micros(&out["elapsedUs"])) else {
        bail!("CallEchoes gave {out}");
    };
    if latencies.len() != 4 || latencies.iter().any(|&l| l > elapsed) {
        bail!("CallEchoes gave {out}: 4 latencies expected, each at most the elapsed time");
    }
    Ok(())
}

fn check_call_count(out: &Value, name: &str) -> Result<()> {
    let expected = json!({
        "steps": [
            format!("started count/{name}"),
            "added 5",
            "total 15 after 1 adds",
            "bumped to 22",
            "finished",
            format!("result {name}: 22 after 2 adds"),
        ],
        "result": expected_count(name)["result"],
    });
    if *out != expected {
        bail!("CallCount gave {out}, expected {expected}");
    }
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_xns_caller_reaches_a_go_target() -> Result<()> {
    let server = DevServer::start().await?;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let _go = go_worker(&server, TARGET_NAMESPACE, &["--counter"])?;
    let parts = CallerParts {
        workflows: true,
        xns_activities: true,
    };
    let target = server.client(TARGET_NAMESPACE).await?;
    let options = interop::caller_worker(parts, target)?;
    let mut workers = [rust_worker(&runtime, &server, CALLER_NAMESPACE, options).await?];
    with_workers(&mut workers, rust_calls(&server, "rust-caller-go-target")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn go_xns_caller_reaches_a_rust_target() -> Result<()> {
    let server = DevServer::start().await?;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let _go = go_worker(
        &server,
        CALLER_NAMESPACE,
        &[
            "--caller",
            "--xns-activities",
            "--target-namespace",
            TARGET_NAMESPACE,
        ],
    )?;
    let options = interop::counter_worker()?;
    let mut workers = [rust_worker(&runtime, &server, TARGET_NAMESPACE, options).await?];
    with_workers(&mut workers, go_calls(&server, "go-caller-rust-target")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn go_xns_activities_serve_a_rust_caller_workflow() -> Result<()> {
    // The temporal.xns.v1 wire from Rust to Go: our caller workflow
    // schedules the XNS activities, a Go worker runs them.
    let server = DevServer::start().await?;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let _go_activities = go_worker(
        &server,
        CALLER_NAMESPACE,
        &["--xns-activities", "--target-namespace", TARGET_NAMESPACE],
    )?;
    let _go_target = go_worker(&server, TARGET_NAMESPACE, &["--counter"])?;
    let parts = CallerParts {
        workflows: true,
        xns_activities: false,
    };
    let target = server.client(TARGET_NAMESPACE).await?;
    let options = interop::caller_worker(parts, target)?;
    let mut workers = [rust_worker(&runtime, &server, CALLER_NAMESPACE, options).await?];
    with_workers(&mut workers, rust_calls(&server, "rust-workflow-go-xns")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rust_xns_activities_serve_a_go_caller_workflow() -> Result<()> {
    // The wire from Go to Rust: Go's caller workflow, our XNS activities.
    let server = DevServer::start().await?;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let _go_caller = go_worker(&server, CALLER_NAMESPACE, &["--caller"])?;
    let parts = CallerParts {
        workflows: false,
        xns_activities: true,
    };
    let target = server.client(TARGET_NAMESPACE).await?;
    let mut workers = [
        rust_worker(
            &runtime,
            &server,
            CALLER_NAMESPACE,
            interop::caller_worker(parts, target)?,
        )
        .await?,
        rust_worker(
            &runtime,
            &server,
            TARGET_NAMESPACE,
            interop::counter_worker()?,
        )
        .await?,
    ];
    with_workers(&mut workers, go_calls(&server, "go-workflow-rust-xns")).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_rust_retry_reattaches_to_the_run_a_killed_go_attempt_started() -> Result<()> {
    // Go's XNS activity starts `Count` and records it in its heartbeat
    // details (`[workflow ID]`, no run ID); its worker is killed; the retry
    // runs on a Rust worker, which finds the run Go's attempt started (the
    // request's workflow ID, started after the activity was scheduled) and
    // waits for it. `AwaitCount` makes a second start fail, so the call
    // succeeds only through that re-attach.
    let server = DevServer::start().await?;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let go_activities = go_worker(
        &server,
        CALLER_NAMESPACE,
        &["--xns-activities", "--target-namespace", TARGET_NAMESPACE],
    )?;
    let (a, b) = (
        server.client(CALLER_NAMESPACE).await?,
        server.client(TARGET_NAMESPACE).await?,
    );
    let mut workers = [
        rust_worker(
            &runtime,
            &server,
            TARGET_NAMESPACE,
            interop::counter_worker()?,
        )
        .await?,
        rust_worker(
            &runtime,
            &server,
            CALLER_NAMESPACE,
            interop::await_count_worker()?,
        )
        .await?,
    ];
    let name = "go-attempt-rust-retry";
    let caller_id = format!("await-count/{name}");
    let count_id = format!("count/{name}");
    with_workers(&mut workers, async {
        let caller = a
            .start_workflow(
                AwaitCount::run,
                name.to_string(),
                WorkflowStartOptions::new(CALLER_TASK_QUEUE, &caller_id).build(),
            )
            .await?;
        let xns_activity = || async {
            let pending = a
                .get_workflow_handle::<UntypedWorkflow>(&caller_id)
                .describe(Default::default())
                .await?
                .raw_description
                .pending_activities;
            anyhow::Ok(pending.into_iter().next())
        };
        wait_until("Go's attempt to record the run it started", || async {
            Ok(xns_activity()
                .await?
                .is_some_and(|p| p.heartbeat_details.is_some()))
        })
        .await?;
        kill(&go_activities)?;
        drop(go_activities);

        let parts = CallerParts {
            workflows: false,
            xns_activities: true,
        };
        let options = interop::caller_worker(parts, b.clone())?;
        let mut rust_activities =
            [rust_worker(&runtime, &server, CALLER_NAMESPACE, options).await?];
        with_workers(&mut rust_activities, async {
            // Go's attempt times out on its heartbeat; the retry starts here.
            wait_until("the retry on the Rust worker", || async {
                Ok(xns_activity()
                    .await?
                    .is_some_and(|p| p.attempt >= 2 && p.state() == PendingActivityState::Started))
            })
            .await?;
            let counter = CounterClient::new(b.clone());
            counter
                .signal(FinishSignal, count_id.clone(), None, ())
                .await?;
            let output: CountOutput = caller.get_result(Default::default()).await?;
            assert_eq!(output.description, format!("{name}: 1 after 0 adds"));

            let runs: Vec<_> = b
                .list_workflows(format!("WorkflowId = '{count_id}'"), Default::default())
                .try_collect()
                .await?;
            assert_eq!(runs.len(), 1, "the retry started another run of {count_id}");
            let history = harness::history(&server, CALLER_NAMESPACE, &caller_id)?;
            let started: Vec<&Value> = history["events"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|e| e.get("activityTaskStartedEventAttributes"))
                .collect();
            assert_eq!(started.len(), 1, "{started:?}");
            assert_eq!(started[0]["attempt"], 2, "{started:?}");
            assert_eq!(
                started[0]["lastFailure"]["timeoutFailureInfo"]["timeoutType"],
                "TIMEOUT_TYPE_HEARTBEAT",
                "{started:?}"
            );
            Ok(())
        })
        .await
    })
    .await
}

/// SIGKILL of a peer process.
fn kill(process: &go_peer::peer::Process) -> Result<()> {
    let status = std::process::Command::new("kill")
        .args(["-KILL", &process.pid().to_string()])
        .status()?;
    if !status.success() {
        bail!("kill -KILL {} failed: {status}", process.pid());
    }
    Ok(())
}

/// Polls `check` every 200 ms until it holds, for at most 60 s.
async fn wait_until<F, Fut>(what: &str, check: F) -> Result<()>
where
    F: Fn() -> Fut,
    Fut: std::future::Future<Output = Result<bool>>,
{
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(60);
    while !check().await? {
        if tokio::time::Instant::now() > deadline {
            bail!("timed out waiting for {what}");
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    Ok(())
}

#[test]
fn the_describe_text_is_the_protos() {
    let count = CountOutput {
        name: "a".into(),
        total: 3,
        adds: 2,
        description: String::new(),
    };
    assert_eq!(interop::describe(&count), "a: 3 after 2 adds");
}

#[test]
fn the_format_text_is_the_protos() {
    assert_eq!(interop::format_text(&stamp_input()), STAMP_TEXT);
}
