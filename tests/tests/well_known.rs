//! End-to-end: protobuf's well-known types as Temporal payloads
//! (`tests/protos/clock/v1/clock.proto`), on a real dev server. Each
//! position takes and returns prost's own type (`String`, `i64`,
//! `prost_types::Timestamp`, ...): workflow input and output, a query's
//! output, a signal's and an update's input, an update's output, an
//! activity's input and output, signal- and update-with-start, by-ID calls,
//! and a Struct workflow with an ID expression; then the same types across
//! namespaces through XNS, with a query no workflow declares. The payloads
//! themselves are Go's (`json/protobuf` with `messageType`): the history
//! shows them, and the Go peer's interop tests run a well-known-type
//! workflow and activity between Go and Rust.

use anyhow::{Context, Result, bail};
use e2e::clock::{ClockCaller, ClockTrip, Keep, Reflect, Scaler, Stopwatch, at};
use e2e::devserver::{self, with_workers};
use e2e::generated::clock::v1::clock_temporal::{
    self as clock, ClockClient, KeepWorkflow, LabelSignal, NowQuery, ShiftUpdate, StopSignal,
    xns::{XnsRegistration, register_clock_xns_activities},
};
use prost_types::{Struct, Value, value::Kind};
use temporalio_client::{WorkflowFetchHistoryOptions, WorkflowStartOptions};
use temporalio_common::protos::temporal::api::history::v1::history_event::Attributes;
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use xns_runtime::client::{StartOptions, UpdateOptions, UpdateWithStartOptions};

const NAMESPACE: &str = "default";

#[tokio::test]
async fn well_known_types_in_every_payload_position() -> Result<()> {
    let server = devserver::shared().await;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let mut options = WorkerOptions::new(clock::CLOCK_TASK_QUEUE).build();
    clock::register_clock_workflows::<Keep, Reflect>(&mut options)?;
    clock::register_clock_activities(&mut options, Scaler)?;
    let mut worker = Worker::new(&runtime, server.client(NAMESPACE).await?, options)?;
    let client = ClockClient::new(server.client(NAMESPACE).await?);

    let body = async {
        // Start, query, signal, update, by-ID calls and the result.
        let run = client
            .keep_async(at(1_000), StartOptions::new().id("keep-wkt"))
            .await?;
        run.signal(LabelSignal, "plain".to_string()).await?;
        assert_eq!(run.query(NowQuery, ()).await?, at(1_000));
        let shifted = run.update(ShiftUpdate, 30, UpdateOptions::new()).await?;
        assert_eq!(shifted, at(1_030));
        let now = client.query(NowQuery, "keep-wkt", None, ()).await?;
        assert_eq!(now, at(1_030));
        client.signal(StopSignal, "keep-wkt", None, ()).await?;
        assert_eq!(run.get().await?, "plain moved 60s");
        let payload = started_input(&client, "keep-wkt").await?;
        assert_eq!(
            payload,
            (
                "json/protobuf".to_string(),
                "google.protobuf.Timestamp".to_string(),
                "\"1970-01-01T00:16:40Z\"".to_string()
            ),
            "the start's input payload is Go's"
        );

        // Signal-with-start and update-with-start.
        let run = client
            .signal_with_start(
                KeepWorkflow,
                at(0),
                LabelSignal,
                "sws".to_string(),
                StartOptions::new().id("keep-wkt-sws"),
            )
            .await?;
        run.signal(StopSignal, ()).await?;
        assert_eq!(run.get().await?, "sws moved 0s");
        let (shifted, run) = client
            .execute_update_with_start(
                KeepWorkflow,
                at(100),
                ShiftUpdate,
                -7,
                UpdateWithStartOptions::new().start(StartOptions::new().id("keep-wkt-uws")),
            )
            .await?;
        assert_eq!(shifted, at(93));
        run.signal(StopSignal, ()).await?;
        assert_eq!(run.get().await?, " moved 14s");

        // A Struct, with an ID expression that reads no field.
        let input = Struct {
            fields: [(
                "k".to_string(),
                Value {
                    kind: Some(Kind::ListValue(prost_types::ListValue {
                        values: vec![Value {
                            kind: Some(Kind::NumberValue(1.5)),
                        }],
                    })),
                },
            )]
            .into(),
        };
        let run = client
            .reflect_async(input.clone(), StartOptions::new())
            .await?;
        assert!(run.id().starts_with("reflect/"), "{}", run.id());
        assert_eq!(run.get().await?, input);
        anyhow::Ok(())
    };
    tokio::select! {
        result = worker.run() => bail!("worker stopped early: {result:?}"),
        result = tokio::time::timeout(std::time::Duration::from_secs(120), body) => result?,
    }
}

/// The encoding, `messageType` and data of the input payload of the
/// workflow `workflow_id`'s start, from its history.
async fn started_input(
    client: &ClockClient,
    workflow_id: &str,
) -> Result<(String, String, String)> {
    let events = client
        .get_keep(workflow_id, None)
        .handle()
        .fetch_history(WorkflowFetchHistoryOptions::default())
        .into_events()
        .await?;
    let started = events
        .iter()
        .find_map(|e| match &e.attributes {
            Some(Attributes::WorkflowExecutionStartedEventAttributes(a)) => Some(a),
            _ => None,
        })
        .context("no start event")?;
    let payload = started
        .input
        .as_ref()
        .and_then(|p| p.payloads.first())
        .context("no input payload")?;
    let meta = |k: &str| String::from_utf8_lossy(&payload.metadata[k]).into_owned();
    Ok((
        meta("encoding"),
        meta("messageType"),
        String::from_utf8_lossy(&payload.data).into_owned(),
    ))
}

/// Through XNS from `ns-a` to `ns-b`: a Timestamp workflow with its
/// signal, update and query through the run handle, a Struct workflow, and
/// `Elapsed`, which no workflow of the proto declares, by workflow ID (on a
/// plain SDK workflow that answers it).
#[tokio::test]
async fn well_known_types_across_namespaces() -> Result<()> {
    let server = devserver::shared().await;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let (a, b) = (server.client("ns-a").await?, server.client("ns-b").await?);
    let caller_tq = format!("clock-caller-{}", std::process::id());

    let mut caller = WorkerOptions::new(&caller_tq)
        .register_workflow::<ClockCaller>()?
        .build();
    register_clock_xns_activities(&mut caller, b.clone(), XnsRegistration::new())?;
    let mut target = WorkerOptions::new(clock::CLOCK_TASK_QUEUE)
        .register_workflow::<Stopwatch>()?
        .build();
    clock::register_clock_workflows::<Keep, Reflect>(&mut target)?;
    clock::register_clock_activities(&mut target, Scaler)?;
    let mut workers = [
        Worker::new(&runtime, a.clone(), caller)?,
        Worker::new(&runtime, b.clone(), target)?,
    ];

    with_workers(&mut workers, async {
        let stopwatch = format!("stopwatch-{}", std::process::id());
        b.start_workflow(
            Stopwatch::run,
            (),
            WorkflowStartOptions::new(clock::CLOCK_TASK_QUEUE, &stopwatch).build(),
        )
        .await?;
        let trip: ClockTrip = a
            .start_workflow(
                ClockCaller::run,
                stopwatch,
                WorkflowStartOptions::new(
                    &caller_tq,
                    format!("clock-caller-{}", std::process::id()),
                )
                .build(),
            )
            .await?
            .get_result(Default::default())
            .await?;
        assert_eq!(
            trip,
            ClockTrip {
                shifted: 1_020,
                now: 1_020,
                elapsed: 42,
                result: "xns moved 40s".to_string(),
                reflected: vec!["k".to_string()],
            }
        );
        Ok(())
    })
    .await
}
