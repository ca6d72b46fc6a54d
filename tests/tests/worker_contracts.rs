//! End-to-end: workflows and activities implemented through the generated
//! worker-side traits (`tests/src/counter.rs`), on a real dev server.
//!
//! Covers every handler kind (a signal that completes at once, one that
//! awaits a timer, a query, an update whose validator rejects bad input),
//! continue-as-new, an activity with `max_attempts: 3` that fails twice, a
//! local activity, a child workflow whose ID expression uses `uuid_v4()`
//! signalled through its handle, an external signal, registration under an
//! alias, the proto's `priority` on an activity and a child, the child's
//! search attributes from its proto mapping, and the
//! `#[activities]` macro with the generated markers. The
//! histories of those runs then replay without nondeterminism, and a
//! deliberately different implementation fails to replay them.

use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use e2e::counter::{Activities, Count, Echo, Orchestrate, with_macro::MacroActivities};
use e2e::devserver;
use e2e::generated::worker::v1::{
    AddInput, CountInput, CountResult, OrchestrateInput, SetInput, TotalResult,
    counter_temporal::{self as counter, CountContext, CountWorkflowImpl, CounterClient},
};
use temporalio_client::{WorkflowFetchHistoryOptions, WorkflowHistory, WorkflowStartOptions};
use temporalio_common::protos::temporal::api::common::v1::Priority;
use temporalio_common::protos::temporal::api::enums::v1::ParentClosePolicy;
use temporalio_common::protos::temporal::api::history::v1::history_event::Attributes;
use temporalio_common::{UntypedWorkflow, data_converters::RawValue};
use temporalio_sdk::workflow_replayer::{WorkflowReplayer, WorkflowReplayerOptions};
use temporalio_sdk::{Runtime, Worker, WorkerOptions, WorkflowContextView, WorkflowResult};
use xns_runtime::client::{StartOptions, UpdateOptions};
use xns_runtime::worker::HandlerError;

/// Worker options with the Counter workflows and the trait activities.
fn options(task_queue: &str, activities: &Activities) -> Result<WorkerOptions> {
    let mut options = WorkerOptions::new(task_queue).build();
    counter::register_counter_workflows::<Count, Orchestrate, Echo>(&mut options)?;
    counter::register_counter_activities(&mut options, activities.clone())?;
    Ok(options)
}

/// Runs `body` while a worker with `options` polls in `namespace`.
async fn with_worker<F, T>(namespace: &str, options: WorkerOptions, body: F) -> Result<T>
where
    F: std::future::Future<Output = Result<T>>,
{
    let server = devserver::shared().await;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let mut worker = Worker::new(&runtime, server.client(namespace).await?, options)?;
    tokio::select! {
        result = worker.run() => bail!("worker stopped early: {result:?}"),
        result = tokio::time::timeout(Duration::from_secs(120), body) => result?,
    }
}

/// Polls the `Total` query until it reports `want`.
async fn wait_for_total(run: &counter::CountRun, want: i64) -> Result<()> {
    let mut last = None;
    for _ in 0..100 {
        let total = run.query(counter::TotalQuery, ()).await?.total;
        if total == want {
            return Ok(());
        }
        last = Some(total);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("total stayed at {last:?}, expected {want}")
}

#[tokio::test]
async fn workflows_and_activities_through_the_generated_traits() -> Result<()> {
    let server = devserver::shared().await;
    // Workflows, their activities and children all run on the proto's task
    // queue, which is the default everywhere.
    let task_queue = counter::COUNTER_TASK_QUEUE;
    let client = CounterClient::new(server.client("default").await?);
    let activities = Activities::default();
    let opts = StartOptions::new;

    let (first_run, echo_id) = with_worker("default", options(task_queue, &activities)?, async {
        // Count: every handler kind, then continue-as-new.
        let run = client
            .count_async(
                CountInput {
                    start: 1,
                    rounds: 1,
                },
                opts().id("count-1"),
            )
            .await?;
        run.signal(counter::AddSignal, AddInput { amount: 2 })
            .await?;
        wait_for_total(&run, 3).await?;
        run.signal(counter::AddLaterSignal, AddInput { amount: 4 })
            .await?;
        wait_for_total(&run, 7).await?;

        let rejected = run
            .update(
                counter::SetUpdate,
                SetInput { total: -5 },
                UpdateOptions::new(),
            )
            .await
            .expect_err("the validator rejects a negative total");
        // The validator's message is in the error's source chain.
        let rejected = format!("{:#}", anyhow::Error::new(rejected));
        assert!(
            rejected.contains("total must not be negative, got -5"),
            "{rejected}"
        );
        let set = run
            .update(
                counter::SetUpdate,
                SetInput { total: 10 },
                UpdateOptions::new(),
            )
            .await?;
        assert_eq!(set.total, 10);
        wait_for_total(&run, 10).await?;

        // Finish round one: the workflow continues as new with start = 10.
        run.signal(counter::FinishSignal, ()).await?;
        let latest = client.get_count("count-1", None);
        let mut continued = false;
        for _ in 0..100 {
            let described = latest.handle().describe(Default::default()).await?;
            if Some(described.run_id()) != run.run_id() {
                continued = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        ensure!(continued, "Count did not continue as new");
        wait_for_total(&latest, 10).await?;
        latest
            .signal(counter::AddSignal, AddInput { amount: 5 })
            .await?;
        wait_for_total(&latest, 15).await?;
        latest.signal(counter::FinishSignal, ()).await?;
        let result: CountResult = latest.get().await?;
        assert_eq!(result.total, 15);
        assert_eq!(result.runs, 1, "the continued run starts its own count");

        // Orchestrate: activities, child, external signal to a fresh Count.
        let target = client
            .count_async(
                CountInput {
                    start: 0,
                    rounds: 0,
                },
                opts().id("count-target"),
            )
            .await?;
        let orchestrated = client
            .orchestrate(
                OrchestrateInput {
                    key: "k1".into(),
                    text: "hi".into(),
                    name: "bob".into(),
                    counter_id: "count-target".into(),
                },
                opts().id("orchestrate-1"),
            )
            .await?;
        assert_eq!(orchestrated.flaky_attempts, 3);
        assert_eq!(orchestrated.shouted, "HI");
        assert_eq!(orchestrated.echo_reply, "hello HI");
        let uuid = orchestrated
            .echo_id
            .strip_prefix("echo/bob/")
            .context("child ID from the expression")?;
        assert_eq!(uuid.len(), 36, "uuid_v4 in {}", orchestrated.echo_id);
        assert_eq!(uuid.as_bytes()[14], b'4', "a version 4 UUID: {uuid}");
        wait_for_total(&target, 100).await?;
        target.signal(counter::FinishSignal, ()).await?;
        assert_eq!(target.get().await?.total, 100);

        // Alias: start by the alias type name, finish through the client.
        let untyped = server.client("default").await?;
        let input = xns_runtime::payload::encode(&CountInput {
            start: 7,
            rounds: 0,
        })?;
        untyped
            .start_workflow(
                UntypedWorkflow::new("worker.v1.LegacyCount"),
                RawValue::new(vec![input]),
                WorkflowStartOptions::new(task_queue, "count-alias").build(),
            )
            .await?;
        let aliased = client.get_count("count-alias", None);
        wait_for_total(&aliased, 7).await?;
        aliased.signal(counter::FinishSignal, ()).await?;
        assert_eq!(aliased.get().await?.total, 7);

        Ok((run.run_id().map(str::to_string), orchestrated.echo_id))
    })
    .await?;

    // Flaky ran exactly three attempts.
    let attempts = activities
        .attempts
        .lock()
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .get("k1")
        .cloned();
    assert_eq!(attempts, Some(vec![1, 2, 3]));

    // Replay every history against the same implementations.
    let sdk = client.client();
    let all = WorkflowFetchHistoryOptions::default;
    let first_count = || -> WorkflowHistory {
        client
            .get_count("count-1", first_run.clone())
            .handle()
            .fetch_history(all())
    };
    let histories: Vec<WorkflowHistory> = vec![
        first_count(),
        client
            .get_count("count-1", None)
            .handle()
            .fetch_history(all()),
        client
            .get_orchestrate("orchestrate-1", None)
            .handle()
            .fetch_history(all()),
        sdk.get_workflow_handle::<UntypedWorkflow>(echo_id)
            .fetch_history(all()),
        client
            .get_count("count-alias", None)
            .handle()
            .fetch_history(all()),
    ];
    // The child was started with the proto's parent close policy.
    let events = client
        .get_orchestrate("orchestrate-1", None)
        .handle()
        .fetch_history(all())
        .into_events()
        .await?;
    let policies: Vec<i32> = events
        .iter()
        .filter_map(|e| match &e.attributes {
            Some(Attributes::StartChildWorkflowExecutionInitiatedEventAttributes(a)) => {
                Some(a.parent_close_policy)
            }
            _ => None,
        })
        .collect();
    assert_eq!(policies, [ParentClosePolicy::Terminate as i32]);
    // The proto's `priority` of the child (Echo) and of the activity (Flaky).
    let priorities: Vec<(&str, Option<Priority>)> = events
        .iter()
        .filter_map(|e| match &e.attributes {
            Some(Attributes::StartChildWorkflowExecutionInitiatedEventAttributes(a)) => {
                Some(("child", a.priority.clone()))
            }
            Some(Attributes::ActivityTaskScheduledEventAttributes(a)) => {
                Some(("activity", a.priority.clone()))
            }
            _ => None,
        })
        .collect();
    let priority = |key, fairness: &str, weight| Priority {
        priority_key: key,
        fairness_key: fairness.to_string(),
        fairness_weight: weight,
    };
    assert_eq!(
        priorities,
        [
            ("activity", Some(priority(4, "flaky", 0.0))),
            ("child", Some(priority(2, "", 1.5))),
        ]
    );
    // The child's search attributes, from Echo's mapping
    // `EchoName = name.uppercase()`, encoded as the Go SDK encodes them.
    let attributes: Vec<(String, String, String)> = events
        .iter()
        .filter_map(|e| match &e.attributes {
            Some(Attributes::StartChildWorkflowExecutionInitiatedEventAttributes(a)) => {
                a.search_attributes.clone()
            }
            _ => None,
        })
        .flat_map(|sa| sa.indexed_fields)
        .map(|(name, payload)| {
            let encoding = payload
                .metadata
                .get("encoding")
                .map(|e| String::from_utf8_lossy(e).into_owned())
                .unwrap_or_default();
            (
                name,
                encoding,
                String::from_utf8_lossy(&payload.data).into_owned(),
            )
        })
        .collect();
    assert_eq!(
        attributes,
        [(
            "EchoName".to_string(),
            "json/plain".to_string(),
            "\"BOB\"".to_string()
        )]
    );

    let mut replay = WorkflowReplayerOptions::new().build();
    counter::register_counter_workflows::<Count, Orchestrate, Echo>(&mut replay)?;
    let replayer = WorkflowReplayer::new(replay)?;
    for h in histories {
        replayer.replay_workflow(h).await?;
    }

    // The check is real: code that schedules a timer the history does not
    // have fails to replay it.
    let mut changed = WorkflowReplayerOptions::new().build();
    counter::register_count_workflow::<CountWithTimer>(&mut changed)?;
    let err = WorkflowReplayer::new(changed)?
        .replay_workflow(first_count())
        .await
        .expect_err("a changed workflow must not replay the old history");
    assert!(
        format!("{err:#}").to_lowercase().contains("nondetermin"),
        "{err:#}"
    );
    Ok(())
}

/// `Count` with an extra timer at the start of `run`: not replay-compatible.
struct CountWithTimer(Count);

impl CountWorkflowImpl for CountWithTimer {
    fn new(ctx: &WorkflowContextView, input: CountInput) -> Self {
        Self(Count::new(ctx, input))
    }

    async fn run(ctx: CountContext<Self>) -> WorkflowResult<CountResult> {
        ctx.timer(Duration::from_millis(1)).await;
        Ok(CountResult { total: 0, runs: 0 })
    }

    fn total(&self, ctx: &WorkflowContextView) -> Result<TotalResult, HandlerError> {
        self.0.total(ctx)
    }

    async fn add(_ctx: CountContext<Self>, _input: AddInput) {}

    async fn add_later(_ctx: CountContext<Self>, _input: AddInput) {}

    async fn finish(_ctx: CountContext<Self>) {}

    async fn set(_ctx: CountContext<Self>, input: SetInput) -> Result<TotalResult, HandlerError> {
        Ok(TotalResult { total: input.total })
    }

    fn validate_set(
        &self,
        ctx: &WorkflowContextView,
        input: &SetInput,
    ) -> Result<(), HandlerError> {
        self.0.validate_set(ctx, input)
    }
}

#[tokio::test]
async fn activities_written_with_the_sdk_macro_use_the_generated_markers() -> Result<()> {
    let server = devserver::shared().await;
    // Another namespace, so this worker does not meet the other test's on
    // the proto's task queue.
    let task_queue = counter::COUNTER_TASK_QUEUE;
    let client = CounterClient::new(server.client("ns-a").await?);
    let mut options = WorkerOptions::new(task_queue).build();
    counter::register_counter_workflows::<Count, Orchestrate, Echo>(&mut options)?;
    options.register_activities(MacroActivities);
    let result = with_worker("ns-a", options, async {
        Ok(client
            .orchestrate(
                OrchestrateInput {
                    key: "macro".into(),
                    text: "hi".into(),
                    name: "ann".into(),
                    counter_id: String::new(),
                },
                StartOptions::new(),
            )
            .await?)
    })
    .await?;
    assert_eq!(result.flaky_attempts, 42);
    assert_eq!(result.shouted, "hi!");
    assert_eq!(result.echo_reply, "hello hi!");
    Ok(())
}

#[test]
fn registering_the_same_activities_twice_fails_and_names_them() -> Result<()> {
    let activities = Activities::default();
    let mut options = WorkerOptions::new("unused").build();
    counter::register_counter_activities(&mut options, activities.clone())?;
    let err = counter::register_counter_activities(&mut options, activities)
        .expect_err("a second registration clashes");
    let message = err.to_string();
    assert!(message.contains("worker.v1.Counter."), "{message}");
    assert!(
        message.contains("the activities of worker.v1.Counter"),
        "{message}"
    );
    Ok(())
}
