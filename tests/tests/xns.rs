//! End-to-end: cross-namespace (XNS) calls through the generated
//! `example_temporal::xns` module on a real dev server. Callers are
//! workflows in `ns-a` (tests/src/xns_callers.rs) whose worker carries the
//! XNS activities with a client of `ns-b`, where `CreateFoo` runs.
//!
//! Covers every case of the XNS contract's test list: start-and-wait,
//! async run with signal/query/update through the handle, calls by ID,
//! attach, signal-with-start, update-with-start shared by several callers;
//! parent close on caller cancellation (REQUEST_CANCEL, TERMINATE,
//! ABANDON); remote cancelled, terminated, timed out, failed (non-retryable
//! and retryable with 3 remote attempts); caller worker stopped and
//! restarted; target worker absent for a while; custom error converter and
//! activity filter; and, without a second namespace, a fake XNS activity
//! that checks the Go-shaped request.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};
use futures::TryStreamExt;
use temporalio_client::{
    Client, WorkflowExecutionStatus, WorkflowFetchHistoryOptions, WorkflowGetResultOptions,
    WorkflowStartOptions,
};
use temporalio_common::data_converters::RawValue;
use temporalio_common::error::ApplicationFailure;
use temporalio_common::protos::temporal::api::failure::v1::failure::FailureInfo;
use temporalio_common::protos::temporal::api::history::v1::HistoryEvent;
use temporalio_common::protos::temporal::api::history::v1::history_event::Attributes;
use temporalio_common::{ActivityError, HasWorkflowDefinition};
use temporalio_common::{UntypedWorkflow, protos::temporal::api::common::v1::Payload};
use temporalio_sdk::activities::{ActivityContext, activities};
use temporalio_sdk::{Runtime, Worker, WorkerOptions};

use e2e::devserver::{self, with_workers};
use e2e::generated::example::v1::{
    CreateFooResponse, Foo, SetFooProgressRequest,
    example_temporal::{
        ExampleClient, SetFooProgressSignal,
        xns::{XnsRegistration, register_example_xns_activities},
    },
};
use e2e::workers::CreateFoo;
use e2e::xns_callers::{
    ExecuteCaller, FLAKY, FlakyFoo, Outcome, Plan, REJECTED, RoundTrip, RoundTripCaller,
    SharedUpdateCaller,
};
use xns_runtime::client::{ClientProfile, connect_profile};
use xns_runtime::xns::error_types;

const CALLER_NS: &str = "ns-a";
const TARGET_NS: &str = "ns-b";

/// A name unique to this process and call; lower-case so that the remote
/// ID is `create-foo/<name>`.
fn unique(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{}-{n}", std::process::id())
}

fn remote_id(name: &str) -> String {
    format!("create-foo/{name}")
}

/// Clients of both namespaces.
struct Env {
    a: Client,
    b: Client,
    example_b: ExampleClient,
}

impl Env {
    async fn new() -> Result<Self> {
        let server = devserver::shared().await;
        let b = server.client(TARGET_NS).await?;
        Ok(Self {
            a: server.client(CALLER_NS).await?,
            example_b: ExampleClient::new(b.clone()),
            b,
        })
    }

    /// A caller worker in `ns-a` with the caller workflows and the XNS
    /// activities calling `ns-b`. Heartbeat throttling and the shutdown
    /// grace period are small so that tests take seconds.
    fn caller(&self, task_queue: &str, settings: XnsRegistration) -> Result<Worker> {
        self.caller_to(task_queue, self.b.clone(), settings)
    }

    /// [`Env::caller`] with the XNS activities calling through `target`.
    fn caller_to(
        &self,
        task_queue: &str,
        target: Client,
        settings: XnsRegistration,
    ) -> Result<Worker> {
        let mut options = WorkerOptions::new(task_queue)
            .max_heartbeat_throttle_interval(Duration::from_millis(500))
            .default_heartbeat_throttle_interval(Duration::from_millis(500))
            .graceful_shutdown_period(Duration::from_millis(500))
            .register_workflow::<ExecuteCaller>()?
            .register_workflow::<RoundTripCaller>()?
            .register_workflow::<SharedUpdateCaller>()?
            .build();
        register_example_xns_activities(&mut options, target, settings)?;
        worker(&self.a, options)
    }

    /// A target worker in `ns-b` running `CreateFoo` (or `FlakyFoo`).
    fn target(&self, task_queue: &str, flaky: bool) -> Result<Worker> {
        let options = WorkerOptions::new(task_queue);
        let options = if flaky {
            options.register_workflow::<FlakyFoo>()?
        } else {
            options.register_workflow::<CreateFoo>()?
        };
        worker(&self.b, options.build())
    }

    /// Starts an [`ExecuteCaller`] in `ns-a`.
    async fn execute(
        &self,
        task_queue: &str,
        plan: Plan,
    ) -> Result<CallerRun<impl HasWorkflowDefinition<Output = Outcome> + use<>>> {
        let id = format!("caller/{}", unique("execute"));
        let handle = self
            .a
            .start_workflow(
                ExecuteCaller::run,
                plan,
                WorkflowStartOptions::new(task_queue, &id).build(),
            )
            .await?;
        Ok(CallerRun { id, handle })
    }

    /// The status of the remote `CreateFoo` named `name`, once it exists.
    async fn remote_status(&self, name: &str) -> Result<WorkflowExecutionStatus> {
        let run = self.example_b.get_create_foo(remote_id(name), None);
        let mut last = None;
        for _ in 0..200 {
            match run.handle().describe(Default::default()).await {
                Ok(d) => return Ok(d.status()),
                Err(err) => last = Some(err),
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("remote {name} never appeared: {last:?}")
    }

    /// Waits until the remote `CreateFoo` named `name` has `status`.
    async fn await_remote(&self, name: &str, status: WorkflowExecutionStatus) -> Result<()> {
        let mut last = None;
        for _ in 0..200 {
            let now = self.remote_status(name).await?;
            if now == status {
                return Ok(());
            }
            last = Some(now);
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        bail!("remote {name} stayed {last:?}, expected {status:?}")
    }

    /// Sets the progress of the remote `CreateFoo` named `name` to 1.0,
    /// which completes it.
    async fn finish_remote(&self, name: &str) -> Result<()> {
        self.remote_status(name).await?;
        self.example_b
            .signal(
                SetFooProgressSignal,
                remote_id(name),
                None,
                SetFooProgressRequest { progress: 1.0 },
            )
            .await?;
        Ok(())
    }

    /// How many executions (runs) with the remote `CreateFoo` ID exist.
    async fn remote_runs(&self, name: &str) -> Result<usize> {
        let query = format!("WorkflowId = '{}'", remote_id(name));
        let runs: Vec<_> = self
            .b
            .list_workflows(query, Default::default())
            .try_collect()
            .await?;
        Ok(runs.len())
    }
}

fn worker(client: &Client, options: WorkerOptions) -> Result<Worker> {
    let runtime = Runtime::from_current_tokio(Default::default())?;
    Ok(Worker::new(&runtime, client.clone(), options)?)
}

/// A caller workflow started by a test.
struct CallerRun<W> {
    id: String,
    handle: temporalio_client::WorkflowHandle<Client, W>,
}

impl<W: HasWorkflowDefinition<Output = Outcome>> CallerRun<W> {
    async fn outcome(&self) -> Result<Outcome> {
        Ok(self
            .handle
            .get_result(WorkflowGetResultOptions::default())
            .await?)
    }
}

impl<W> CallerRun<W> {
    async fn history(&self, client: &Client) -> Result<Vec<HistoryEvent>> {
        Ok(client
            .get_workflow_handle::<UntypedWorkflow>(&self.id)
            .fetch_history(WorkflowFetchHistoryOptions::default())
            .into_events()
            .await?)
    }
}

#[tokio::test]
async fn calls_of_every_kind_reach_the_remote_workflow() -> Result<()> {
    let env = Env::new().await?;
    let caller_tq = unique("xns-kinds-caller");
    let target_tq = unique("xns-kinds-target");
    let mut workers = [
        env.caller(&caller_tq, XnsRegistration::new())?,
        env.target(&target_tq, false)?,
    ];
    with_workers(&mut workers, async {
        // Async start, run handle, calls by ID, attach, with-start calls.
        let name = unique("round-trip");
        let handle = env
            .a
            .start_workflow(
                RoundTripCaller::run,
                Plan::new(&name, &target_tq),
                WorkflowStartOptions::new(&caller_tq, format!("caller/{name}")).build(),
            )
            .await?;
        let trip: RoundTrip = handle.get_result(Default::default()).await?;
        assert_eq!(trip.id, remote_id(&name));
        assert_eq!(trip.queried, 0.25);
        assert_eq!(trip.updated, 0.5);
        assert_eq!(trip.queried_by_id, 0.75);
        assert_eq!(
            trip.final_status,
            e2e::generated::example::v1::foo::Status::FooStatusReady as i32
        );
        assert_eq!(trip.results, [name.clone(), name.clone()]);
        assert_eq!(trip.signal_with_start, format!("{name} sws"));
        assert_eq!(trip.update_with_start, (0.5, format!("{name} uws")));
        assert_eq!(trip.update_with_start_async, (0.5, format!("{name} uwsa")));

        // Start-and-wait: one call that returns the remote result, which
        // arrives once the remote is signalled from outside. The call's
        // memo and search attributes reach the remote run.
        let name = unique("execute");
        let plan = Plan {
            memo_owner: Some("ada".to_string()),
            echo_name: Some("a<b".to_string()),
            ..Plan::new(&name, &target_tq)
        };
        let caller = env.execute(&caller_tq, plan).await?;
        env.finish_remote(&name).await?;
        let outcome = caller.outcome().await?;
        assert_eq!(outcome.foo.as_deref(), Some(name.as_str()), "{outcome:?}");
        let remote = env
            .example_b
            .get_create_foo(remote_id(&name), None)
            .handle()
            .describe(Default::default())
            .await?;
        assert_eq!(
            remote.memo().get::<String>("owner")?.as_deref(),
            Some("ada")
        );
        let attributes = remote.search_attributes();
        let echo_name = attributes
            .raw_payload("EchoName")
            .map(|p| String::from_utf8_lossy(&p.data).into_owned());
        assert_eq!(echo_name.as_deref(), Some("\"a\\u003cb\""));

        // Update-with-start with "use existing": two callers share one run.
        let name = unique("shared");
        let mut callers = Vec::new();
        for (i, p) in [0.25f32, 0.5].into_iter().enumerate() {
            callers.push(
                env.a
                    .start_workflow(
                        SharedUpdateCaller::run,
                        (Plan::new(&name, &target_tq), p),
                        WorkflowStartOptions::new(&caller_tq, format!("caller/{name}/{i}")).build(),
                    )
                    .await?,
            );
        }
        let mut seen = Vec::new();
        for caller in &callers {
            let (progress, id) = caller.get_result(Default::default()).await?;
            assert_eq!(id, remote_id(&name));
            seen.push(progress);
        }
        seen.sort_by(f32::total_cmp);
        assert_eq!(seen, [0.25, 0.5]);
        assert_eq!(env.remote_runs(&name).await?, 1, "one shared remote run");
        env.finish_remote(&name).await?;
        Ok(())
    })
    .await
}

#[tokio::test]
async fn remote_outcomes_reach_the_caller_with_their_codes() -> Result<()> {
    let env = Env::new().await?;
    let caller_tq = unique("xns-outcomes-caller");
    let target_tq = unique("xns-outcomes-target");
    let mut workers = [
        env.caller(&caller_tq, XnsRegistration::new())?,
        env.target(&target_tq, true)?,
    ];
    with_workers(&mut workers, async {
        let plan = |name: &str| Plan::new(name, &target_tq);
        let rejected = unique("reject");
        let flaky = unique("flaky");
        let timed_out = unique("timeout");
        let cancelled = unique("cancel");
        let terminated = unique("terminate");
        let delayed = unique("delayed");
        let callers = [
            env.execute(&caller_tq, plan(&rejected)).await?,
            env.execute(
                &caller_tq,
                Plan {
                    remote_attempts: Some(3),
                    ..plan(&flaky)
                },
            )
            .await?,
            env.execute(
                &caller_tq,
                Plan {
                    execution_timeout_ms: Some(1500),
                    ..plan(&timed_out)
                },
            )
            .await?,
            env.execute(
                &caller_tq,
                Plan {
                    via_run: true,
                    ..plan(&cancelled)
                },
            )
            .await?,
            env.execute(&caller_tq, plan(&terminated)).await?,
            // A start delay, which the Rust SDK's client cannot send.
            env.execute(
                &caller_tq,
                Plan {
                    start_delay_ms: Some(60_000),
                    ..plan(&delayed)
                },
            )
            .await?,
        ];
        env.remote_status(&cancelled).await?;
        env.example_b
            .get_create_foo(remote_id(&cancelled), None)
            .cancel("test")
            .await?;
        env.remote_status(&terminated).await?;
        env.example_b
            .terminate_workflow(remote_id(&terminated), None, "test")
            .await?;

        let expected = [
            REJECTED,
            FLAKY,
            error_types::TIMEOUT,
            error_types::CANCELED,
            error_types::TERMINATED,
            error_types::INVALID_ARGUMENT,
        ];
        for (caller, code) in callers.iter().zip(expected) {
            let outcome = caller.outcome().await?;
            assert_eq!(outcome.code.as_deref(), Some(code), "{outcome:?}");
            assert!(outcome.non_retryable, "{outcome:?}");
            assert!(!outcome.cancelled, "{outcome:?}");
            // The caller saw the code once: its XNS activities ran once.
            let starts = activity_starts(&caller.history(&env.a).await?);
            assert!(!starts.is_empty(), "{code}");
            assert!(
                starts.iter().all(|(attempt, _)| *attempt == 1),
                "{code}: {starts:?}"
            );
        }
        // The remote retry policy ran: exactly three remote attempts.
        let mut runs = 0;
        for _ in 0..100 {
            runs = env.remote_runs(&flaky).await?;
            if runs == 3 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(runs, 3, "remote attempts of {flaky}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn caller_cancellation_applies_the_parent_close_policy() -> Result<()> {
    let env = Env::new().await?;
    let caller_tq = unique("xns-close-caller");
    let target_tq = unique("xns-close-target");
    let mut workers = [
        env.caller(&caller_tq, XnsRegistration::new())?,
        env.target(&target_tq, false)?,
    ];
    with_workers(&mut workers, async {
        let cases = [
            ("request_cancel", true, WorkflowExecutionStatus::Canceled),
            ("terminate", false, WorkflowExecutionStatus::Terminated),
            ("abandon", true, WorkflowExecutionStatus::Running),
        ];
        for (policy, via_run, expected) in cases {
            let name = unique(&policy.replace('_', "-"));
            let caller = env
                .execute(
                    &caller_tq,
                    Plan {
                        via_run,
                        parent_close: Some(policy.to_string()),
                        // Cancellation reaches the activity with a heartbeat.
                        heartbeat_timeout_ms: Some(1500),
                        ..Plan::new(&name, &target_tq)
                    },
                )
                .await?;
            env.await_remote(&name, WorkflowExecutionStatus::Running)
                .await?;
            caller.handle.cancel(Default::default()).await?;
            // The caller waits for its XNS activity's cancellation, which
            // applies the policy before the caller's result is in.
            let outcome = caller.outcome().await?;
            assert!(outcome.cancelled, "{policy}: {outcome:?}");
            env.await_remote(&name, expected)
                .await
                .with_context(|| format!("policy {policy}"))?;
            if expected == WorkflowExecutionStatus::Running {
                // Abandoned: still running a moment later; clean up.
                tokio::time::sleep(Duration::from_millis(500)).await;
                assert_eq!(env.remote_status(&name).await?, expected);
                env.finish_remote(&name).await?;
            }
        }
        Ok(())
    })
    .await
}

#[tokio::test]
async fn caller_worker_restart_reattaches_to_the_same_remote_run() -> Result<()> {
    let env = Env::new().await?;
    let caller_tq = unique("xns-restart-caller");
    let target_tq = unique("xns-restart-target");
    let name = unique("restart");
    let mut target = [env.target(&target_tq, false)?];
    with_workers(&mut target, async {
        // First caller worker: the call starts the remote workflow, then
        // the worker stops while the call waits.
        let mut first = env.caller(&caller_tq, XnsRegistration::new())?;
        let stop = first.shutdown_handle();
        let caller = {
            let control = async {
                let caller = env
                    .execute(&caller_tq, Plan::new(&name, &target_tq))
                    .await?;
                env.await_remote(&name, WorkflowExecutionStatus::Running)
                    .await?;
                wait_for_heartbeat(&env.a, &caller.id).await?;
                stop();
                anyhow::Ok(caller)
            };
            let (run, caller) = tokio::join!(first.run(), control);
            run?;
            caller?
        };
        drop(first);

        // Second caller worker: the retried call re-attaches to the same
        // remote run and returns its result.
        let mut second = [env.caller(&caller_tq, XnsRegistration::new())?];
        let outcome = with_workers(&mut second, async {
            env.finish_remote(&name).await?;
            caller.outcome().await
        })
        .await?;
        assert_eq!(outcome.foo.as_deref(), Some(name.as_str()), "{outcome:?}");
        assert_eq!(env.remote_runs(&name).await?, 1, "exactly one remote run");

        let starts = activity_starts(&caller.history(&env.a).await?);
        assert_eq!(starts.len(), 1, "{starts:?}");
        let (attempt, last_failure) = &starts[0];
        assert!(*attempt >= 2, "attempt {attempt}");
        assert_eq!(last_failure.as_deref(), Some("WorkerStopped"));
        Ok(())
    })
    .await
}

#[tokio::test]
async fn absent_target_worker_keeps_the_call_heartbeating() -> Result<()> {
    let env = Env::new().await?;
    let caller_tq = unique("xns-absent-caller");
    let target_tq = unique("xns-absent-target");
    let name = unique("absent");
    let mut caller_worker = [env.caller(&caller_tq, XnsRegistration::new())?];
    let caller = with_workers(&mut caller_worker, async {
        let caller = env
            .execute(
                &caller_tq,
                Plan {
                    heartbeat_timeout_ms: Some(1500),
                    ..Plan::new(&name, &target_tq)
                },
            )
            .await?;
        // Nobody serves the remote queue: the call waits for 3 heartbeat
        // timeouts, heartbeating, on its first attempt.
        tokio::time::sleep(Duration::from_millis(4500)).await;
        let pending = env
            .a
            .get_workflow_handle::<UntypedWorkflow>(&caller.id)
            .describe(Default::default())
            .await?
            .raw_description
            .pending_activities;
        ensure!(pending.len() == 1, "{pending:?}");
        assert_eq!(pending[0].attempt, 1, "{pending:?}");
        assert!(pending[0].last_heartbeat_time.is_some(), "{pending:?}");
        anyhow::Ok(caller)
    })
    .await?;

    // A target worker appears; the call completes.
    let mut workers = [
        env.caller(&caller_tq, XnsRegistration::new())?,
        env.target(&target_tq, false)?,
    ];
    with_workers(&mut workers, async {
        env.finish_remote(&name).await?;
        let outcome = caller.outcome().await?;
        assert_eq!(outcome.foo.as_deref(), Some(name.as_str()), "{outcome:?}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn custom_error_converter_and_activity_filter_take_effect() -> Result<()> {
    let env = Env::new().await?;
    let caller_tq = unique("xns-custom-caller");
    let target_tq = unique("xns-custom-target");
    let renamed = "custom.CreateFoo";
    let settings = XnsRegistration::new()
        .filter(move |name| match name {
            "example.v1.Example.CreateFoo" => Some(renamed.to_string()),
            "example.v1.Example.GetFooProgress" => None,
            other => Some(other.to_string()),
        })
        .error_converter(|err| {
            ActivityError::Application(Box::new(
                ApplicationFailure::builder(anyhow::anyhow!("converted: {err}"))
                    .type_name("Converted".to_string())
                    .non_retryable(true)
                    .build(),
            ))
        });
    let mut workers = [
        env.caller(&caller_tq, settings)?,
        env.target(&target_tq, true)?,
    ];
    with_workers(&mut workers, async {
        // The renamed activity serves the call; the converter shapes the error.
        let name = unique("reject");
        let caller = env
            .execute(
                &caller_tq,
                Plan {
                    activity_name: Some(renamed.to_string()),
                    ..Plan::new(&name, &target_tq)
                },
            )
            .await?;
        let outcome = caller.outcome().await?;
        assert_eq!(outcome.code.as_deref(), Some("Converted"), "{outcome:?}");
        assert!(outcome.non_retryable);

        // Under its default name the start activity is not registered.
        let name = unique("unregistered");
        let caller = env
            .execute(
                &caller_tq,
                Plan {
                    call_timeout_ms: Some(3000),
                    ..Plan::new(&name, &target_tq)
                },
            )
            .await?;
        let outcome = caller.outcome().await?;
        assert!(outcome.foo.is_none(), "{outcome:?}");
        assert_ne!(outcome.code.as_deref(), Some("Converted"), "{outcome:?}");
        Ok(())
    })
    .await
}

#[tokio::test]
async fn target_client_from_an_envconfig_profile() -> Result<()> {
    let env = Env::new().await?;
    let server = devserver::shared().await;
    let path = std::env::temp_dir().join(format!("xns-e2e-{}.toml", unique("profile")));
    std::fs::write(
        &path,
        format!(
            "[profile.default]\naddress = \"{address}\"\nnamespace = \"{CALLER_NS}\"\n\n\
             [profile.target]\naddress = \"{address}\"\nnamespace = \"{TARGET_NS}\"\n",
            address = server.address()
        ),
    )?;
    let profile = ClientProfile::File {
        path: path.to_string_lossy().into_owned(),
        profile: "target".to_string(),
    };
    let target = connect_profile(&profile).await?;
    std::fs::remove_file(&path)?;
    assert_eq!(target.options().namespace, TARGET_NS);

    let caller_tq = unique("xns-profile-caller");
    let target_tq = unique("xns-profile-target");
    let mut workers = [
        env.caller_to(&caller_tq, target, XnsRegistration::new())?,
        env.target(&target_tq, false)?,
    ];
    with_workers(&mut workers, async {
        let name = unique("profile");
        let caller = env
            .execute(&caller_tq, Plan::new(&name, &target_tq))
            .await?;
        env.finish_remote(&name).await?;
        let outcome = caller.outcome().await?;
        assert_eq!(outcome.foo.as_deref(), Some(name.as_str()), "{outcome:?}");
        Ok(())
    })
    .await
}

#[test]
fn registering_the_same_xns_activities_twice_fails_and_names_them() -> Result<()> {
    let rt = tokio::runtime::Runtime::new()?;
    let client = rt.block_on(async { devserver::shared().await.client(TARGET_NS).await })?;
    let mut options = WorkerOptions::new("unused").build();
    register_example_xns_activities(&mut options, client.clone(), XnsRegistration::new())?;
    let err = register_example_xns_activities(&mut options, client, XnsRegistration::new())
        .expect_err("a second registration clashes");
    let message = err.to_string();
    assert!(
        message.contains("example.v1.Example.CreateFoo"),
        "{message}"
    );
    assert!(message.contains("example.v1.Example"), "{message}");
    Ok(())
}

/// `(activity, arguments)` of each cancel or terminate request a fake got.
type CloseLog = Mutex<Vec<(&'static str, Vec<String>)>>;

/// Stand-ins for the XNS activities behind a run handle, except `Get`,
/// which no worker registers: its attempts fail before any XNS code runs,
/// so only the caller itself can apply the parent close policy.
#[derive(Default)]
pub struct FakeRemote {
    closed: Arc<CloseLog>,
}

#[activities]
impl FakeRemote {
    #[activity(name = "example.v1.Example.CreateFoo")]
    pub async fn start(_ctx: ActivityContext, _input: RawValue) -> Result<(), ActivityError> {
        Ok(())
    }

    #[activity(name = "example.v1.Example.CancelWorkflow")]
    pub async fn cancel(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: RawValue,
    ) -> Result<(), ActivityError> {
        record_close(&self.closed, "cancel", input)
    }

    #[activity(name = "example.v1.Example.TerminateWorkflow")]
    pub async fn terminate(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: RawValue,
    ) -> Result<(), ActivityError> {
        record_close(&self.closed, "terminate", input)
    }
}

/// Records the two JSON string arguments (workflow ID, run ID) Go's
/// `CancelWorkflow` takes.
fn record_close(
    closed: &CloseLog,
    activity: &'static str,
    input: RawValue,
) -> Result<(), ActivityError> {
    let args = input
        .payloads
        .iter()
        .map(|p| serde_json::from_slice::<String>(&p.data))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("arguments are not JSON strings: {e}"))?;
    closed.lock().expect("not poisoned").push((activity, args));
    Ok(())
}

#[tokio::test]
async fn caller_cancelled_before_its_get_activity_ran_closes_the_remote_itself() -> Result<()> {
    let env = Env::new().await?;
    let caller_tq = unique("xns-unstarted-caller");
    let fake = FakeRemote::default();
    let closed = fake.closed.clone();
    let options = WorkerOptions::new(&caller_tq)
        .register_workflow::<ExecuteCaller>()?
        .register_activities(fake)
        .build();
    let mut workers = [worker(&env.a, options)?];
    with_workers(&mut workers, async {
        for (policy, activity) in [("terminate", "terminate"), ("request_cancel", "cancel")] {
            let name = unique("unstarted");
            let plan = Plan {
                via_run: true,
                parent_close: Some(policy.to_string()),
                ..Plan::new(&name, "remote-queue")
            };
            let caller = env.execute(&caller_tq, plan).await?;
            // Wait until the Get activity failed once (not registered) and
            // waits for its retry: cancelled now, no worker sees it.
            wait_for_retry(&env.a, &caller.id, "example.v1.Example.GetCreateFoo").await?;
            caller.handle.cancel(Default::default()).await?;
            let outcome = caller.outcome().await?;
            assert!(outcome.cancelled, "{policy}: {outcome:?}");
            let closed = closed.lock().expect("not poisoned").clone();
            assert!(
                closed.contains(&(activity, vec![remote_id(&name), String::new()])),
                "{policy}: {closed:?}"
            );
        }
        Ok(())
    })
    .await
}

/// Waits until the caller's `activity` is pending a retry (attempt 2+).
async fn wait_for_retry(client: &Client, caller_id: &str, activity: &str) -> Result<()> {
    for _ in 0..200 {
        let pending = client
            .get_workflow_handle::<UntypedWorkflow>(caller_id)
            .describe(Default::default())
            .await?
            .raw_description
            .pending_activities;
        let retrying = pending.iter().any(|p| {
            p.attempt >= 2 && p.activity_type.as_ref().is_some_and(|t| t.name == activity)
        });
        if retrying {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("{activity} of {caller_id} never reached a retry")
}

/// A stand-in for the XNS start activity, registered under its generated
/// name: it records the request it got and answers without any remote.
#[derive(Default)]
pub struct FakeCreateFoo {
    requests: Arc<Mutex<Vec<Payload>>>,
}

#[activities]
impl FakeCreateFoo {
    #[activity(name = "example.v1.Example.CreateFoo")]
    pub async fn create_foo(
        self: Arc<Self>,
        _ctx: ActivityContext,
        input: RawValue,
    ) -> Result<CreateFooResponse, ActivityError> {
        let payload = input.payloads.into_iter().next().unwrap_or_default();
        let request: serde_json::Value =
            serde_json::from_slice(&payload.data).map_err(|e| anyhow::anyhow!("not JSON: {e}"))?;
        self.requests.lock().expect("not poisoned").push(payload);
        let name = request["request"]["name"].as_str().unwrap_or_default();
        Ok(CreateFooResponse {
            foo: Some(Foo {
                name: format!("fake {name}"),
                status: 1,
            }),
        })
    }
}

#[tokio::test]
async fn fake_xns_activity_sees_the_go_request_shape() -> Result<()> {
    let server = devserver::shared().await;
    let a = server.client(CALLER_NS).await?;
    let caller_tq = unique("xns-fake-caller");
    let fake = FakeCreateFoo::default();
    let requests = fake.requests.clone();
    let options = WorkerOptions::new(&caller_tq)
        .register_workflow::<ExecuteCaller>()?
        .register_activities(fake)
        .build();
    let mut workers = [worker(&a, options)?];
    let name = unique("fake");
    let outcome = with_workers(&mut workers, async {
        let handle = a
            .start_workflow(
                ExecuteCaller::run,
                Plan::new(&name, "remote-queue"),
                WorkflowStartOptions::new(&caller_tq, format!("caller/{name}")).build(),
            )
            .await?;
        Ok(handle.get_result(Default::default()).await?)
    })
    .await?;
    assert_eq!(outcome.foo, Some(format!("fake {name}")), "{outcome:?}");

    let requests = requests.lock().expect("not poisoned");
    let [payload] = requests.as_slice() else {
        bail!("expected one request, got {requests:?}");
    };
    let meta = |k: &str| String::from_utf8_lossy(&payload.metadata[k]).into_owned();
    assert_eq!(meta("encoding"), "json/protobuf");
    assert_eq!(meta("messageType"), "temporal.xns.v1.WorkflowRequest");
    let request: serde_json::Value = serde_json::from_slice(&payload.data)?;
    assert_eq!(
        request["request"],
        serde_json::json!({
            "@type": "type.googleapis.com/example.v1.CreateFooRequest",
            "name": name,
        }),
        "{request:#}"
    );
    let start = &request["startWorkflowOptions"];
    assert_eq!(start["id"], remote_id(&name), "{request:#}");
    assert_eq!(start["taskQueue"], "remote-queue", "{request:#}");
    // The proto's `xns.heartbeat_interval`.
    assert_eq!(request["heartbeatInterval"], "10s", "{request:#}");
    Ok(())
}

/// The `(attempt, last failure type)` of each start of an activity in a
/// caller's history.
fn activity_starts(events: &[HistoryEvent]) -> Vec<(i32, Option<String>)> {
    events
        .iter()
        .filter_map(|e| match &e.attributes {
            Some(Attributes::ActivityTaskStartedEventAttributes(a)) => {
                let failure = a.last_failure.as_ref().and_then(|f| match &f.failure_info {
                    Some(FailureInfo::ApplicationFailureInfo(info)) => Some(info.r#type.clone()),
                    _ => None,
                });
                Some((a.attempt, failure))
            }
            _ => None,
        })
        .collect()
}

/// Waits until the caller's XNS activity has heartbeated at least once.
async fn wait_for_heartbeat(client: &Client, caller_id: &str) -> Result<()> {
    for _ in 0..200 {
        let pending = client
            .get_workflow_handle::<UntypedWorkflow>(caller_id)
            .describe(Default::default())
            .await?
            .raw_description
            .pending_activities;
        if pending.iter().any(|p| p.last_heartbeat_time.is_some()) {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("the XNS activity of {caller_id} never heartbeated")
}
