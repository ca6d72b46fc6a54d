//! End-to-end fault tests of XNS on a real dev server ("reliability on the
//! server", issue 14): callers in `ns-a` call `CreateFoo` in `ns-b` through
//! the generated `example_temporal::xns` module while things go wrong.
//!
//! - The server restarts (SIGTERM, then SIGKILL) on a persistent database
//!   while calls are in flight.
//! - The caller's worker, in a process of its own, is killed with SIGKILL
//!   while calls are in flight, and a new one takes over.
//! - A retried call finds no progress recorded, though its first attempt
//!   started the remote workflow (its worker died before the first
//!   heartbeat), and that remote workflow has completed.
//! - The target namespace does not exist.
//! - Many calls are in flight on one caller worker at once (500 here; the
//!   5,000-call run is `#[ignore]`d, see its doc comment).
//!
//! Every call must complete with the right result and exactly one remote
//! run per remote workflow ID. The tests run one at a time (they measure
//! and time things on a small machine). Figures are printed (run with
//! `-- --nocapture` to see them), never asserted; the "prompt" failure of
//! a missing namespace is asserted loosely (under 10 s, where retries
//! with backoff would take minutes).
//!
//! What happens, as measured: the SDK's workers (caller and target) keep
//! polling through a server outage and need no restart. The XNS
//! activities in flight lose their heartbeats while the server is down, so
//! the server times them out once it is back and retries them; the
//! retries re-attach to the remote runs through the progress recorded in
//! heartbeat details. After a SIGKILL of the caller worker, the calls
//! complete on the new worker after the heartbeat timeout, the retry
//! backoff and the sticky task queue's timeout (about 15 s here).

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use futures::{StreamExt, TryStreamExt};
use temporalio_client::{
    Client, ClientOptions, UntypedWorkflow, WorkflowCountOptions, WorkflowExecutionStatus,
    WorkflowFetchHistoryOptions, WorkflowStartOptions,
};
use temporalio_common::data_converters::RawValue;
use temporalio_common::protos::temporal::api::enums::v1::PendingActivityState;
use temporalio_common::protos::temporal::api::failure::v1::failure::FailureInfo;
use temporalio_common::protos::temporal::api::history::v1::HistoryEvent;
use temporalio_common::protos::temporal::api::history::v1::history_event::Attributes;
use temporalio_common::{ActivityError, HasWorkflowDefinition};
use temporalio_sdk::activities::{ActivityContext, activities};
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use tokio::sync::Notify;
use tokio::task::{JoinHandle, LocalSet};

use e2e::devserver::{self, DevServer};
use e2e::generated::example::v1::{
    CreateFooRequest, CreateFooResponse, SetFooProgressRequest,
    example_temporal::{CreateFooWorkflow, ExampleClient, SetFooProgressSignal},
};
use e2e::workers::CreateFoo;
use e2e::xns_callers::{ExecuteCaller, Outcome, Plan};
use e2e::xns_faults::{CallerProcess, FailingCaller, FanOut, FanOutCaller, caller_worker_options};
use xns_runtime::client::StartOptions;
use xns_runtime::xns::error_types;

const CALLER_NS: &str = "ns-a";
const TARGET_NS: &str = "ns-b";

/// The caller worker binary of this crate.
const CALLER_WORKER: &str = env!("CARGO_BIN_EXE_xns-caller-worker");

/// The tests of this file run one at a time.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// A name unique to this process and call; lower case so that the remote
/// ID is `create-foo/<name>`.
fn unique(prefix: &str) -> String {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}-{}-{n}", std::process::id())
}

fn remote_id(name: &str) -> String {
    format!("create-foo/{name}")
}

/// Polls `check` every 100 ms until it answers `true`; fails after
/// `timeout` with `what` and the last error, if any.
async fn wait_until<F, Fut>(what: &str, timeout: Duration, check: F) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool>>,
{
    wait_until_every(what, timeout, Duration::from_millis(100), check).await
}

/// [`wait_until`], polling every `every`.
async fn wait_until_every<F, Fut>(
    what: &str,
    timeout: Duration,
    every: Duration,
    mut check: F,
) -> Result<()>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<bool>>,
{
    let deadline = Instant::now() + timeout;
    let mut last_err = None;
    loop {
        match check().await {
            Ok(true) => return Ok(()),
            Ok(false) => {}
            Err(err) => last_err = Some(err),
        }
        if Instant::now() >= deadline {
            bail!("{what}: not after {timeout:?} (last error: {last_err:?})");
        }
        tokio::time::sleep(every).await;
    }
}

/// Clients of both namespaces of one server.
struct Env {
    a: Client,
    b: Client,
    example_b: ExampleClient,
}

impl Env {
    async fn new(server: &DevServer) -> Result<Self> {
        let b = server.client(TARGET_NS).await?;
        Ok(Self {
            a: server.client(CALLER_NS).await?,
            example_b: ExampleClient::new(b.clone()),
            b,
        })
    }

    /// An in-process caller worker with up to `slots` calls in flight.
    fn caller(&self, task_queue: &str, target: Client, slots: usize) -> Result<Worker> {
        worker(
            &self.a,
            caller_worker_options(task_queue, target, slots, None)?,
        )
    }

    /// A target worker in `ns-b` running `CreateFoo` (which waits for
    /// progress 1.0), caching up to `cached` workflows.
    fn target(&self, task_queue: &str, cached: usize) -> Result<Worker> {
        let options = WorkerOptions::new(task_queue)
            .max_cached_workflows(cached)
            .register_workflow::<CreateFoo>()?
            .build();
        worker(&self.b, options)
    }

    /// Starts an [`ExecuteCaller`] in `ns-a`.
    async fn execute(
        &self,
        task_queue: &str,
        plan: Plan,
    ) -> Result<CallerRun<impl HasWorkflowDefinition<Output = Outcome> + use<>>> {
        let id = format!("caller/{}", plan.name);
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

    async fn remote_status(&self, name: &str) -> Result<WorkflowExecutionStatus> {
        Ok(self
            .b
            .get_workflow_handle::<UntypedWorkflow>(remote_id(name))
            .describe(Default::default())
            .await?
            .status())
    }

    /// Waits until the remote `CreateFoo` of every name runs.
    async fn await_remotes_running(&self, names: &[String]) -> Result<()> {
        for name in names {
            wait_until(
                &format!("remote {name} running"),
                Duration::from_secs(60),
                || async {
                    Ok(self.remote_status(name).await? == WorkflowExecutionStatus::Running)
                },
            )
            .await?;
        }
        Ok(())
    }

    /// Sets the progress of the remote `CreateFoo` named `name` to 1.0,
    /// which completes it; retries while the server is not back yet.
    async fn finish_remote(&self, name: &str) -> Result<()> {
        wait_until(
            &format!("signal to {name}"),
            Duration::from_secs(60),
            || async {
                self.example_b
                    .signal(
                        SetFooProgressSignal,
                        remote_id(name),
                        None,
                        SetFooProgressRequest { progress: 1.0 },
                    )
                    .await?;
                Ok(true)
            },
        )
        .await
    }

    /// Finishes the remote `CreateFoo` of every name, 32 at a time.
    async fn finish_remotes(&self, names: &[String]) -> Result<()> {
        futures::stream::iter(names)
            .map(|name| self.finish_remote(name))
            .buffer_unordered(32)
            .try_collect::<Vec<()>>()
            .await?;
        Ok(())
    }

    /// How many runs with the remote `CreateFoo` ID of `name` exist.
    async fn remote_runs(&self, name: &str) -> Result<usize> {
        let query = format!("WorkflowId = '{}'", remote_id(name));
        let runs: Vec<_> = self
            .b
            .list_workflows(query, Default::default())
            .try_collect()
            .await?;
        Ok(runs.len())
    }

    /// Waits until the XNS activity of each caller has heartbeated with
    /// details (the remote run it started is recorded).
    async fn await_heartbeats(&self, caller_ids: &[String]) -> Result<()> {
        for id in caller_ids {
            wait_until(
                &format!("a heartbeat of {id}'s XNS activity"),
                Duration::from_secs(60),
                || async {
                    let pending = self
                        .a
                        .get_workflow_handle::<UntypedWorkflow>(id)
                        .describe(Default::default())
                        .await?
                        .raw_description
                        .pending_activities;
                    Ok(pending.iter().any(|p| p.heartbeat_details.is_some()))
                },
            )
            .await?;
        }
        Ok(())
    }

    async fn history(&self, id: &str) -> Result<Vec<HistoryEvent>> {
        Ok(self
            .a
            .get_workflow_handle::<UntypedWorkflow>(id)
            .fetch_history(WorkflowFetchHistoryOptions::default())
            .into_events()
            .await?)
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
        Ok(self.handle.get_result(Default::default()).await?)
    }
}

/// A worker polling in a local task of its own (the SDK's worker future is
/// not `Send`; tests run inside a [`LocalSet`]), so that a test can watch
/// it across a server restart.
struct Running {
    name: &'static str,
    stop: Box<dyn Fn() + Send + Sync>,
    task: JoinHandle<Result<()>>,
}

impl Running {
    fn start(name: &'static str, mut worker: Worker) -> Self {
        let stop = worker.shutdown_handle();
        let task = tokio::task::spawn_local(async move { Ok(worker.run().await?) });
        Self {
            name,
            stop: Box::new(stop),
            task,
        }
    }

    /// Whether the worker stopped by itself.
    fn stopped(&self) -> bool {
        self.task.is_finished()
    }

    /// Shuts the worker down; its own error, if it stopped with one.
    async fn stop(self) -> Result<()> {
        (self.stop)();
        tokio::time::timeout(Duration::from_secs(30), self.task)
            .await
            .with_context(|| format!("{} worker shutdown", self.name))?
            .with_context(|| format!("{} worker task", self.name))?
            .with_context(|| format!("{} worker", self.name))
    }
}

/// The `(attempt, last failure)` of each start of an activity in a
/// caller's history; the failure as `type` or `timeout`.
fn activity_starts(events: &[HistoryEvent]) -> Vec<(i32, Option<String>)> {
    events
        .iter()
        .filter_map(|e| match &e.attributes {
            Some(Attributes::ActivityTaskStartedEventAttributes(a)) => {
                let failure = a.last_failure.as_ref().map(|f| match &f.failure_info {
                    Some(FailureInfo::ApplicationFailureInfo(info)) => info.r#type.clone(),
                    Some(FailureInfo::TimeoutFailureInfo(info)) => {
                        format!("timeout {:?}", info.timeout_type())
                    }
                    _ => f.message.clone(),
                });
                Some((a.attempt, failure))
            }
            _ => None,
        })
        .collect()
}

/// A database path unique to this process and `tag`; the file and what
/// SQLite adds beside it are removed on drop.
struct TempDb(PathBuf);

impl TempDb {
    fn new(tag: &str) -> Self {
        let db = Self(std::env::temp_dir().join(format!("{}.db", unique(tag))));
        db.remove();
        db
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = self.0.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        self.remove();
    }
}

/// How many XNS calls the restart and kill tests keep in flight.
const CALLS: usize = 20;
/// Heartbeat timeout of their XNS activities (interval: a third): a call
/// whose worker is gone is retried after this.
const HEARTBEAT_TIMEOUT_MS: u64 = 3000;

/// Checks every caller's outcome and that each remote ID has one run;
/// prints the XNS activity attempts each caller's history shows.
async fn check_outcomes<W: HasWorkflowDefinition<Output = Outcome>>(
    env: &Env,
    names: &[String],
    callers: &[CallerRun<W>],
    label: &str,
) -> Result<Vec<Vec<(i32, Option<String>)>>> {
    let mut all_starts = Vec::new();
    for (name, caller) in names.iter().zip(callers) {
        let outcome = tokio::time::timeout(Duration::from_secs(120), caller.outcome())
            .await
            .with_context(|| format!("{label}: outcome of {}", caller.id))??;
        assert_eq!(
            outcome.foo.as_deref(),
            Some(name.as_str()),
            "{label}: {name}: {outcome:?}"
        );
        assert_eq!(
            env.remote_runs(name).await?,
            1,
            "{label}: remote runs of {name}"
        );
        all_starts.push(activity_starts(&env.history(&caller.id).await?));
    }
    // The history keeps the start of the last attempt only: its attempt
    // number and the failure of the attempt before.
    let mut tally = std::collections::BTreeMap::<_, usize>::new();
    for starts in &all_starts {
        *tally.entry(starts.last().cloned()).or_default() += 1;
    }
    println!(
        "{label}: {} calls complete, one remote run each; calls per last XNS activity start (attempt, failure of the attempt before): {tally:?}",
        names.len()
    );
    Ok(all_starts)
}

/// The server stops twice while `CALLS` calls wait for their remote
/// workflows, first gracefully (SIGTERM), then by SIGKILL, and comes back
/// each time on the same address and database. The in-process workers are
/// the same throughout: the SDK's pollers retry until the server answers
/// again. Each call then completes with its own remote run's result, and
/// there is exactly one remote run per call.
#[tokio::test(flavor = "multi_thread")]
async fn calls_in_flight_survive_server_restarts_with_one_remote_run_each() -> Result<()> {
    let _serial = SERIAL.lock().await;
    LocalSet::new().run_until(server_restarts()).await
}

async fn server_restarts() -> Result<()> {
    let db = TempDb::new("xns-faults-restart");
    let mut server = DevServer::builder().db_filename(db.path()).start().await?;
    let env = Env::new(&server).await?;
    let caller_tq = unique("xns-restart-caller");
    let target_tq = unique("xns-restart-target");
    let mut caller_worker = Running::start("caller", env.caller(&caller_tq, env.b.clone(), 1000)?);
    let mut target_worker = Running::start("target", env.target(&target_tq, 1000)?);

    let names: Vec<String> = (0..CALLS).map(|_| unique("restart")).collect();
    let mut callers = Vec::new();
    for name in &names {
        let plan = Plan {
            heartbeat_timeout_ms: Some(HEARTBEAT_TIMEOUT_MS),
            ..Plan::new(name, &target_tq)
        };
        callers.push(env.execute(&caller_tq, plan).await?);
    }
    let caller_ids: Vec<String> = callers.iter().map(|c| c.id.clone()).collect();
    env.await_remotes_running(&names).await?;
    env.await_heartbeats(&caller_ids).await?;

    let mut names = names;
    for graceful in [true, false] {
        let how = if graceful { "SIGTERM" } else { "SIGKILL" };
        if !graceful {
            // More calls, starting while the server goes down: their
            // workflow tasks, XNS activities and remote starts are under
            // way when it dies.
            for _ in 0..CALLS / 2 {
                let name = unique("restart-starting");
                let plan = Plan {
                    heartbeat_timeout_ms: Some(HEARTBEAT_TIMEOUT_MS),
                    ..Plan::new(&name, &target_tq)
                };
                callers.push(env.execute(&caller_tq, plan).await?);
                names.push(name);
            }
        }
        let stopping = Instant::now();
        if graceful {
            server.stop().await?;
        } else {
            server.kill()?;
        }
        let stopped_in = stopping.elapsed();
        // Down for longer than the XNS activities' heartbeat timeout.
        tokio::time::sleep(Duration::from_millis(2 * HEARTBEAT_TIMEOUT_MS)).await;
        let restarting = Instant::now();
        let down_for = restarting - stopping;
        server.restart().await?;
        println!(
            "server stop by {how}: {stopped_in:.1?}; down for {down_for:.1?}; restart took {:.1?}; workers stopped by themselves: caller {}, target {}",
            restarting.elapsed(),
            caller_worker.stopped(),
            target_worker.stopped(),
        );
        // The workers keep polling through the outage. Should one have
        // given up, a new one takes its place (and the test says so).
        if caller_worker.stopped() {
            println!(
                "the caller worker stopped during the outage ({how}): {:?}",
                caller_worker.stop().await
            );
            caller_worker = Running::start("caller", env.caller(&caller_tq, env.b.clone(), 1000)?);
        }
        if target_worker.stopped() {
            println!(
                "the target worker stopped during the outage ({how}): {:?}",
                target_worker.stop().await
            );
            target_worker = Running::start("target", env.target(&target_tq, 1000)?);
        }
        // Every remote workflow is still there and still running.
        env.await_remotes_running(&names).await?;
    }

    env.finish_remotes(&names).await?;
    check_outcomes(&env, &names, &callers, "server restarts").await?;
    caller_worker.stop().await?;
    target_worker.stop().await
}

/// The caller's worker runs in a process of its own and is killed with
/// SIGKILL while `CALLS` calls wait for their remote workflows. Half of the
/// remote workflows complete while no caller worker runs; then a new
/// process takes over and the other half complete. The XNS activities of
/// the dead worker time out (heartbeat) and their retries re-attach: every
/// call returns its own remote result, and each remote ID has one run.
#[tokio::test(flavor = "multi_thread")]
async fn a_caller_worker_killed_mid_call_is_replaced_and_every_call_completes_once() -> Result<()> {
    let _serial = SERIAL.lock().await;
    LocalSet::new().run_until(caller_worker_sigkill()).await
}

async fn caller_worker_sigkill() -> Result<()> {
    let server = devserver::shared().await;
    let env = Env::new(server).await?;
    let caller_tq = unique("xns-kill-caller");
    let target_tq = unique("xns-kill-target");
    let exe = Path::new(CALLER_WORKER);
    let target_worker = Running::start("target", env.target(&target_tq, 1000)?);
    let first = CallerProcess::spawn(exe, server.address(), &caller_tq, 1000, None).await?;

    let names: Vec<String> = (0..CALLS).map(|_| unique("killed")).collect();
    let mut callers = Vec::new();
    for name in &names {
        let plan = Plan {
            heartbeat_timeout_ms: Some(HEARTBEAT_TIMEOUT_MS),
            ..Plan::new(name, &target_tq)
        };
        callers.push(env.execute(&caller_tq, plan).await?);
    }
    env.await_remotes_running(&names).await?;
    let caller_ids: Vec<String> = callers.iter().map(|c| c.id.clone()).collect();
    env.await_heartbeats(&caller_ids).await?;
    let pid = first.pid();
    first.kill().await?;
    let killed = Instant::now();
    println!("caller worker process {pid} killed with SIGKILL, {CALLS} calls in flight");

    // Half of the remote workflows complete with no caller worker alive.
    let (early, late) = names.split_at(CALLS / 2);
    env.finish_remotes(early).await?;
    tokio::time::sleep(Duration::from_millis(HEARTBEAT_TIMEOUT_MS)).await;

    let second = CallerProcess::spawn(exe, server.address(), &caller_tq, 1000, None).await?;
    env.finish_remotes(late).await?;
    let starts = check_outcomes(&env, &names, &callers, "caller worker SIGKILL").await?;
    println!(
        "all {CALLS} calls complete {:?} after the SIGKILL",
        killed.elapsed()
    );
    // The dead worker's attempts timed out and were retried.
    for (name, starts) in names.iter().zip(&starts) {
        let last = starts.last().context("no XNS activity start")?;
        ensure!(
            last.0 >= 2,
            "{name}: the XNS activity was not retried: {starts:?}"
        );
    }
    second.stop().await?;
    target_worker.stop().await
}

/// Stands in for the first attempt of the XNS start activity on a worker
/// that dies right after the remote start and before its first heartbeat
/// reaches the server (so no progress is recorded): it starts the remote
/// workflow as the request says, waits until the test let that remote
/// complete, and fails, retryably, without a heartbeat.
pub struct DyingFirstAttempt {
    target: ExampleClient,
    started: Arc<Notify>,
    fail: Arc<Notify>,
}

#[activities]
impl DyingFirstAttempt {
    #[activity(name = "example.v1.Example.CreateFoo")]
    pub async fn create_foo(
        self: Arc<Self>,
        ctx: ActivityContext,
        input: RawValue,
    ) -> Result<CreateFooResponse, ActivityError> {
        if ctx.info().attempt > 1 {
            return Err(anyhow::anyhow!("only the first attempt is served here").into());
        }
        let payload = input.payloads.into_iter().next().unwrap_or_default();
        let request: serde_json::Value =
            serde_json::from_slice(&payload.data).map_err(|e| anyhow::anyhow!("not JSON: {e}"))?;
        let start = &request["startWorkflowOptions"];
        let text = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_string();
        self.target
            .create_foo_async(
                CreateFooRequest {
                    name: text(&request["request"]["name"]),
                },
                StartOptions::new()
                    .id(text(&start["id"]))
                    .task_queue(text(&start["taskQueue"])),
            )
            .await
            .map_err(anyhow::Error::new)?;
        self.started.notify_one();
        self.fail.notified().await;
        Err(anyhow::anyhow!("the worker dies before its first heartbeat").into())
    }
}

/// A retried XNS call whose previous attempt started the remote workflow
/// but recorded nothing (its worker died before the first heartbeat got
/// through), and whose remote workflow completed meanwhile: the retry
/// attaches to that run and returns its result. It used to start again:
/// `CreateFoo` rejects duplicate IDs, so the call failed with
/// `WorkflowExecutionAlreadyStarted` (a workflow that allows duplicates
/// would have run twice).
#[tokio::test(flavor = "multi_thread")]
async fn a_retry_without_recorded_progress_attaches_to_the_run_its_first_attempt_started()
-> Result<()> {
    let _serial = SERIAL.lock().await;
    LocalSet::new().run_until(retry_without_progress()).await
}

async fn retry_without_progress() -> Result<()> {
    let server = devserver::shared().await;
    let env = Env::new(server).await?;
    let caller_tq = unique("xns-noprogress-caller");
    let target_tq = unique("xns-noprogress-target");
    let target_worker = Running::start("target", env.target(&target_tq, 100)?);
    let (started, fail) = (Arc::new(Notify::new()), Arc::new(Notify::new()));
    let dying = DyingFirstAttempt {
        target: env.example_b.clone(),
        started: started.clone(),
        fail: fail.clone(),
    };
    let options = WorkerOptions::new(&caller_tq)
        .register_workflow::<ExecuteCaller>()?
        .register_activities(dying)
        .build();
    let dying_worker = Running::start("dying caller", worker(&env.a, options)?);

    let name = unique("no-progress");
    let caller = env
        .execute(&caller_tq, Plan::new(&name, &target_tq))
        .await?;
    tokio::time::timeout(Duration::from_secs(60), started.notified())
        .await
        .context("the first attempt never started the remote workflow")?;
    env.finish_remote(&name).await?;
    wait_until(
        &format!("remote {name} completed"),
        Duration::from_secs(60),
        || async { Ok(env.remote_status(&name).await? == WorkflowExecutionStatus::Completed) },
    )
    .await?;
    // The first attempt fails now; its worker goes before the retry (a
    // second later) comes, and a real caller worker serves the retry.
    fail.notify_one();
    dying_worker.stop().await?;
    let caller_worker = Running::start("caller", env.caller(&caller_tq, env.b.clone(), 100)?);

    let outcome = tokio::time::timeout(Duration::from_secs(60), caller.outcome())
        .await
        .context("the retried call")??;
    let starts = activity_starts(&env.history(&caller.id).await?);
    println!("retry without recorded progress: {outcome:?}; XNS activity starts {starts:?}");
    assert_eq!(outcome.foo.as_deref(), Some(name.as_str()), "{outcome:?}");
    assert_eq!(env.remote_runs(&name).await?, 1, "remote runs of {name}");
    ensure!(
        starts.last().is_some_and(|(attempt, _)| *attempt >= 2),
        "the XNS activity was not retried: {starts:?}"
    );
    caller_worker.stop().await?;
    target_worker.stop().await
}

/// A call into a namespace that does not exist fails at once and for good:
/// the XNS activity's first attempt reports `NotFound`, non-retryable,
/// with the namespace's name, and the caller workflow fails with it.
#[tokio::test(flavor = "multi_thread")]
async fn a_missing_target_namespace_fails_the_call_at_once_without_retries() -> Result<()> {
    let _serial = SERIAL.lock().await;
    LocalSet::new().run_until(missing_namespace()).await
}

async fn missing_namespace() -> Result<()> {
    let server = devserver::shared().await;
    let env = Env::new(server).await?;
    let missing = unique("ns-missing");
    let target = Client::new(
        server.connection().await?,
        ClientOptions::new(missing.as_str()).build(),
    )?;
    let caller_tq = unique("xns-missing-caller");
    let caller_worker = Running::start("caller", env.caller(&caller_tq, target, 100)?);

    // A caller that reports the outcome: the code and the flag.
    let name = unique("missing");
    let started = Instant::now();
    let caller = env.execute(&caller_tq, Plan::new(&name, "nowhere")).await?;
    let outcome = caller.outcome().await?;
    let reported_in = started.elapsed();
    assert_eq!(
        outcome.code.as_deref(),
        Some(error_types::NOT_FOUND),
        "{outcome:?}"
    );
    assert!(outcome.non_retryable, "{outcome:?}");
    let message = outcome.error.clone().unwrap_or_default();
    assert!(message.contains(&missing), "{message}");

    // A caller that fails with the call's error.
    let name = unique("missing");
    let id = format!("caller/{name}");
    let started = Instant::now();
    let handle = env
        .a
        .start_workflow(
            FailingCaller::run,
            Plan::new(&name, "nowhere"),
            WorkflowStartOptions::new(&caller_tq, &id).build(),
        )
        .await?;
    let err = handle
        .get_result(Default::default())
        .await
        .expect_err("the caller fails");
    let failed_in = started.elapsed();
    let failure = format!("{err:?}");
    assert!(failure.contains(&missing), "{failure}");
    assert!(failure.contains("not found"), "{failure}");

    for id in [&caller.id, &id] {
        let events = env.history(id).await?;
        let starts = activity_starts(&events);
        assert_eq!(starts, [(1, None)], "{id}: one attempt only");
        let scheduled = events
            .iter()
            .filter(|e| {
                matches!(
                    e.attributes,
                    Some(Attributes::ActivityTaskScheduledEventAttributes(_))
                )
            })
            .count();
        assert_eq!(scheduled, 1, "{id}: one XNS activity");
    }
    println!(
        "missing namespace {missing}: outcome reported in {reported_in:?}, caller failed in {failed_in:?}, XNS activity attempts: 1 each; error: {message}"
    );
    // Prompt, not after retries with backoff (the first retry would come
    // after a second, the tenth after minutes).
    ensure!(
        failed_in < Duration::from_secs(10) && reported_in < Duration::from_secs(10),
        "slow failure: {reported_in:?} / {failed_in:?}"
    );
    caller_worker.stop().await
}

/// Prints how a long wait goes, at most every 10 s.
struct Progress {
    began: Instant,
    last: std::cell::Cell<Instant>,
}

impl Progress {
    fn new(began: Instant) -> Self {
        Self {
            began,
            last: std::cell::Cell::new(Instant::now()),
        }
    }

    fn say(&self, what: impl FnOnce() -> String) {
        if self.last.get().elapsed() >= Duration::from_secs(10) {
            self.last.set(Instant::now());
            println!("  after {:.0?}: {}", self.began.elapsed(), what());
        }
    }
}

/// Runs `calls` XNS calls at once on one caller worker (a process of its
/// own with `calls` activity slots, and `max_waits` of them polling the
/// target namespace at once, if given): `FanOutCaller`s of up to 100 calls
/// each, against `CreateFoo`s that wait until every call is in flight.
/// Checks that all complete, each with its own result and one remote run;
/// prints wall times and the worker's peak RSS.
async fn many_calls_in_flight(calls: u32, max_waits: Option<usize>) -> Result<()> {
    const PER_CALLER: u32 = 100;
    let server = DevServer::builder().start().await?;
    let env = Env::new(&server).await?;
    let caller_tq = unique("xns-load-caller");
    let target_tq = unique("xns-load-target");
    let prefix = unique("load");
    let target_worker = Running::start("target", env.target(&target_tq, calls as usize + 100)?);
    let process = CallerProcess::spawn(
        Path::new(CALLER_WORKER),
        server.address(),
        &caller_tq,
        calls as usize + 100,
        max_waits,
    )
    .await?;
    let idle_rss = process.rss_kib()?;

    let began = Instant::now();
    let mut callers = Vec::new();
    let mut first = 0;
    while first < calls {
        let fan_out = FanOut {
            prefix: prefix.clone(),
            count: PER_CALLER.min(calls - first),
            first,
            task_queue: target_tq.clone(),
            // A long heartbeat timeout: the calls only wait.
            heartbeat_timeout_ms: Some(120_000),
        };
        let id = format!("caller/{prefix}/{first}");
        let handle = env
            .a
            .start_workflow(
                FanOutCaller::run,
                fan_out.clone(),
                WorkflowStartOptions::new(&caller_tq, &id).build(),
            )
            .await?;
        first += fan_out.count;
        callers.push((id, fan_out, handle));
    }
    let started_in = began.elapsed();

    // In flight: every remote workflow runs, and every caller has all its
    // XNS activities started (holding a slot each).
    let running =
        format!("WorkflowId STARTS_WITH 'create-foo/{prefix}-' AND ExecutionStatus = 'Running'");
    let progress = Progress::new(began);
    wait_until_every(
        &format!("{calls} remote workflows running"),
        Duration::from_secs(600),
        Duration::from_secs(1),
        || async {
            let n = env
                .b
                .count_workflows(running.as_str(), WorkflowCountOptions::default())
                .await?
                .count();
            progress.say(|| format!("{n} remote workflows running"));
            Ok(n == calls as usize)
        },
    )
    .await?;
    let in_flight = std::cell::Cell::new(0);
    wait_until_every(
        &format!("{calls} XNS activities started"),
        Duration::from_secs(600),
        Duration::from_secs(1),
        || {
            let callers = &callers;
            let env = &env;
            let in_flight = &in_flight;
            let progress = &progress;
            async move {
                let mut started = 0;
                for (id, _, _) in callers {
                    let pending = env
                        .a
                        .get_workflow_handle::<UntypedWorkflow>(id)
                        .describe(Default::default())
                        .await?
                        .raw_description
                        .pending_activities;
                    started += pending
                        .iter()
                        .filter(|p| p.state() == PendingActivityState::Started)
                        .count();
                }
                in_flight.set(started);
                progress.say(|| format!("{started} XNS activities started"));
                Ok(started == calls as usize)
            }
        },
    )
    .await?;
    let in_flight_in = began.elapsed();
    let in_flight_rss = process.rss_kib()?;

    // The target namespace still serves its own worker (whose polls count
    // against the same per-namespace cap as the calls' waits): a workflow
    // there that completes at once.
    let probe = Instant::now();
    let run = env
        .example_b
        .signal_with_start(
            CreateFooWorkflow,
            CreateFooRequest {
                name: format!("probe-{prefix}"),
            },
            SetFooProgressSignal,
            SetFooProgressRequest { progress: 1.0 },
            StartOptions::new().task_queue(&target_tq),
        )
        .await?;
    tokio::time::timeout(Duration::from_secs(300), run.get())
        .await
        .context("a workflow of the target namespace while the calls wait")??;
    let probe_in = probe.elapsed();

    let names: Vec<String> = callers
        .iter()
        .flat_map(|(_, fan_out, _)| fan_out.names().collect::<Vec<_>>())
        .collect();
    // Watches the rest: remote workflows completed, calls still pending.
    let remotes_done_in = std::rc::Rc::new(std::cell::Cell::new(None));
    let monitor = tokio::task::spawn_local({
        let (a, b) = (env.a.clone(), env.b.clone());
        let caller_ids: Vec<String> = callers.iter().map(|(id, ..)| id.clone()).collect();
        let completed = format!(
            "WorkflowId STARTS_WITH 'create-foo/{prefix}-' AND ExecutionStatus = 'Completed'"
        );
        let remotes_done_in = remotes_done_in.clone();
        async move {
            loop {
                tokio::time::sleep(Duration::from_secs(10)).await;
                let Ok(done) = b
                    .count_workflows(completed.as_str(), WorkflowCountOptions::default())
                    .await
                else {
                    continue;
                };
                let done = done.count();
                if done == calls as usize && remotes_done_in.get().is_none() {
                    remotes_done_in.set(Some(began.elapsed()));
                }
                let mut pending = 0;
                for id in &caller_ids {
                    if let Ok(d) = a
                        .get_workflow_handle::<UntypedWorkflow>(id)
                        .describe(Default::default())
                        .await
                    {
                        pending += d.raw_description.pending_activities.len();
                    }
                }
                println!(
                    "  after {:.0?}: {done} remote workflows completed, {pending} calls pending",
                    began.elapsed()
                );
            }
        }
    });
    env.finish_remotes(&names).await?;
    let released_in = began.elapsed();

    let mut lost = Vec::new();
    for (id, fan_out, handle) in &callers {
        let outcomes = tokio::time::timeout(
            Duration::from_secs(600),
            handle.get_result(Default::default()),
        )
        .await
        .with_context(|| format!("result of {id}"))??;
        ensure!(
            outcomes.len() == fan_out.count as usize,
            "{id}: {} outcomes for {} calls",
            outcomes.len(),
            fan_out.count
        );
        for (name, outcome) in fan_out.names().zip(outcomes) {
            if outcome.foo.as_deref() != Some(name.as_str()) {
                lost.push((name, outcome));
            }
        }
    }
    let done_in = began.elapsed();
    monitor.abort();
    let peak_rss = process.peak_rss_kib()?;
    ensure!(lost.is_empty(), "calls without their result: {lost:?}");

    // One remote run per call: as many runs as calls, over as many IDs.
    let all = format!("WorkflowId STARTS_WITH 'create-foo/{prefix}-'");
    let runs = env
        .b
        .count_workflows(all.as_str(), WorkflowCountOptions::default())
        .await?
        .count();
    assert_eq!(runs, calls as usize, "remote runs of {calls} calls");

    println!(
        "{calls} XNS calls in flight on one caller worker ({} caller workflows of up to {PER_CALLER} calls, {} activity slots, max waits {}): \
         callers started in {started_in:.1?}, all {} calls in flight after {in_flight_in:.1?}, \
         remotes released (signalled) after {released_in:.1?}, remotes all completed by {:.0?}, \
         all calls complete after {done_in:.1?} (wall time); \
         a workflow of the target namespace meanwhile took {probe_in:.1?}; \
         caller worker RSS {} MiB idle, {} MiB with all calls in flight, peak {} MiB",
        callers.len(),
        calls + 100,
        max_waits.map_or_else(|| "default".to_string(), |m| m.to_string()),
        in_flight.get(),
        remotes_done_in.get().unwrap_or(done_in),
        idle_rss / 1024,
        in_flight_rss / 1024,
        peak_rss / 1024,
    );
    process.stop().await?;
    target_worker.stop().await
}

/// 500 calls in flight on one caller worker (the CI-sized form of
/// [`five_thousand_calls_in_flight_on_one_caller_worker`]), at most 200 of
/// them polling the target namespace at once: the others take turns, as
/// past the default cap (1,000) in the 5,000-call run.
#[tokio::test(flavor = "multi_thread")]
async fn five_hundred_calls_in_flight_on_one_caller_worker() -> Result<()> {
    let _serial = SERIAL.lock().await;
    LocalSet::new()
        .run_until(many_calls_in_flight(500, Some(200)))
        .await
}

/// 5,000 calls in flight on one caller worker. Ignored in CI for its time
/// (about 6 minutes on 2 cores); run it with
///
/// ```sh
/// cargo test -p e2e --test xns_faults -- --ignored --nocapture five_thousand
/// ```
///
/// `XNS_FAULTS_MAX_WAITS=N` caps the calls polling the target namespace
/// at once at `N` instead of the runtime's default (1,000).
#[tokio::test(flavor = "multi_thread")]
#[ignore = "minutes long; run by hand (see the doc comment)"]
async fn five_thousand_calls_in_flight_on_one_caller_worker() -> Result<()> {
    let _serial = SERIAL.lock().await;
    let max_waits = match std::env::var("XNS_FAULTS_MAX_WAITS") {
        Ok(v) => Some(v.parse().context("XNS_FAULTS_MAX_WAITS")?),
        Err(_) => None,
    };
    LocalSet::new()
        .run_until(many_calls_in_flight(5_000, max_waits))
        .await
}
