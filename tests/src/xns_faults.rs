//! Support of the XNS fault tests (`tests/tests/xns_faults.rs`): two more
//! caller workflows, the caller worker's options, and the caller worker as
//! a process of its own (`src/bin/xns-caller-worker.rs`), which a test can
//! kill with SIGKILL and whose memory it can read.

use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use temporalio_client::Client;
use temporalio_sdk::runtime::worker_tuner::{FixedSizeSlotSupplier, TunerHolder};
use temporalio_sdk::{WorkerOptions, WorkflowContext, WorkflowContextView, WorkflowResult};
use temporalio_workflow::{workflow, workflow_methods};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

use crate::generated::example::v1::{
    CreateFooRequest,
    example_temporal::xns::{self, XnsRegistration, register_example_xns_activities},
};
use crate::xns_callers::{ExecuteCaller, Outcome, Plan};

/// Line the caller worker process prints once its worker is registered.
pub const READY: &str = "xns caller worker ready";

/// Calls `CreateFoo` in the target namespace as its [`Plan`] says and fails
/// with the call's error, if any (unlike [`ExecuteCaller`], which reports
/// it as its result). Returns the remote `Foo`'s name.
#[workflow]
pub struct FailingCaller {
    plan: Plan,
}

#[workflow_methods]
impl FailingCaller {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, plan: Plan) -> Self {
        Self { plan }
    }

    #[run(name = "xns_test.FailingCaller")]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<String> {
        let plan = ctx.state(|s| s.plan.clone());
        let input = CreateFooRequest {
            name: plan.name.clone(),
        };
        let response = xns::create_foo(ctx, input, plan.options()).await?;
        Ok(response.foo.map(|f| f.name).unwrap_or_default())
    }
}

/// What a [`FanOutCaller`] calls: `CreateFoo` named `<prefix>-<i>` for
/// each `i` below `count`, all at once.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct FanOut {
    /// Name prefix (lower case, so that the remote ID is
    /// `create-foo/<prefix>-<i>`).
    pub prefix: String,
    /// How many calls.
    pub count: u32,
    /// First `i`.
    pub first: u32,
    /// Task queue of the remote workflows.
    pub task_queue: String,
    /// Heartbeat timeout of the XNS activities (interval: a third of it).
    pub heartbeat_timeout_ms: Option<u64>,
}

impl FanOut {
    /// The `CreateFoo` name of call `i`.
    pub fn name(&self, i: u32) -> String {
        format!("{}-{i}", self.prefix)
    }

    /// The names this fan-out calls.
    pub fn names(&self) -> impl Iterator<Item = String> + '_ {
        (self.first..self.first + self.count).map(|i| self.name(i))
    }
}

/// Makes the calls of its [`FanOut`] concurrently (joined with the SDK's
/// `join_all`) and returns their outcomes in order.
#[workflow]
pub struct FanOutCaller {
    fan_out: FanOut,
}

#[workflow_methods]
impl FanOutCaller {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, fan_out: FanOut) -> Self {
        Self { fan_out }
    }

    #[run(name = "xns_test.FanOutCaller")]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<Vec<Outcome>> {
        let fan_out = ctx.state(|s| s.fan_out.clone());
        let ctx: &WorkflowContext<Self> = ctx;
        let calls = fan_out.names().map(|name| {
            let plan = Plan {
                heartbeat_timeout_ms: fan_out.heartbeat_timeout_ms,
                ..Plan::new(&name, &fan_out.task_queue)
            };
            async move {
                let input = CreateFooRequest { name };
                Outcome::of(xns::create_foo(ctx, input, plan.options()).await)
            }
        });
        Ok(temporalio_workflow::join_all(calls).await)
    }
}

/// Options of a caller worker on `task_queue`: [`ExecuteCaller`],
/// [`FailingCaller`] and [`FanOutCaller`], and the XNS activities of
/// `example.v1.Example` calling through `target`. Every call in flight
/// holds an activity slot, so `activity_slots` caps the calls in flight;
/// `max_waits` caps those polling the target namespace at once
/// ([`XnsRegistration::max_waits`]; the runtime's default if `None`).
pub fn caller_worker_options(
    task_queue: &str,
    target: Client,
    activity_slots: usize,
    max_waits: Option<usize>,
) -> Result<WorkerOptions> {
    let tuner = TunerHolder::builder()
        .workflow_task_slot_supplier(FixedSizeSlotSupplier::new(100))
        .activity_task_slot_supplier(FixedSizeSlotSupplier::new(activity_slots))
        .local_activity_task_slot_supplier(FixedSizeSlotSupplier::new(10))
        .nexus_task_slot_supplier(FixedSizeSlotSupplier::new(10))
        .build();
    let mut options = WorkerOptions::new(task_queue)
        .tuner(tuner)
        .graceful_shutdown_period(Duration::from_millis(500))
        .register_workflow::<ExecuteCaller>()?
        .register_workflow::<FailingCaller>()?
        .register_workflow::<FanOutCaller>()?
        .build();
    let mut settings = XnsRegistration::new();
    if let Some(max) = max_waits {
        settings = settings.max_waits(max);
    }
    register_example_xns_activities(&mut options, target, settings)?;
    Ok(options)
}

/// The caller worker running in a process of its own (the
/// `xns-caller-worker` binary): killed with SIGKILL when dropped.
#[derive(Debug)]
pub struct CallerProcess {
    child: Child,
    pid: u32,
}

impl CallerProcess {
    /// Starts `exe` (the `xns-caller-worker` binary) against the server at
    /// `address` with a caller worker on `task_queue` (see
    /// [`caller_worker_options`]), and waits until the worker is
    /// registered.
    pub async fn spawn(
        exe: &Path,
        address: &str,
        task_queue: &str,
        activity_slots: usize,
        max_waits: Option<usize>,
    ) -> Result<Self> {
        let mut command = Command::new(exe);
        command.args([task_queue, &activity_slots.to_string()]);
        if let Some(max) = max_waits {
            command.arg(max.to_string());
        }
        let mut child = command
            .env("TEMPORAL_ADDRESS", address)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("starting {}", exe.display()))?;
        let pid = child.id().context("caller worker process id")?;
        let stdout = child.stdout.take().context("caller worker stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        let ready = async {
            loop {
                match lines.next_line().await? {
                    Some(line) if line == READY => return anyhow::Ok(()),
                    Some(line) => println!("  caller worker: {line}"),
                    None => bail!("the caller worker process exited before it was ready"),
                }
            }
        };
        tokio::time::timeout(Duration::from_secs(60), ready)
            .await
            .context("the caller worker process was not ready after 60 s")??;
        Ok(Self { child, pid })
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.pid
    }

    /// Resident memory now (`VmRSS`), in KiB.
    pub fn rss_kib(&self) -> Result<u64> {
        proc_status_kib(self.pid, "VmRSS")
    }

    /// Peak resident memory so far (`VmHWM`), in KiB.
    pub fn peak_rss_kib(&self) -> Result<u64> {
        proc_status_kib(self.pid, "VmHWM")
    }

    /// Kills the process with SIGKILL (no shutdown of any kind: its
    /// activities just stop) and waits until it is gone.
    pub async fn kill(mut self) -> Result<()> {
        self.child.kill().await.context("killing the caller worker")
    }

    /// Asks the worker to shut down (stdin closes) and waits for the
    /// process; kills it after 30 s. Fails if it exited with an error.
    pub async fn stop(mut self) -> Result<()> {
        drop(self.child.stdin.take());
        match tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await {
            Ok(status) => {
                let status = status?;
                if !status.success() {
                    bail!("the caller worker process exited with {status}");
                }
                Ok(())
            }
            Err(_) => {
                self.child.kill().await?;
                bail!("the caller worker process did not stop within 30 s")
            }
        }
    }
}

/// A `kB` line (`VmRSS`, `VmHWM`, ...) of `/proc/<pid>/status`, in KiB.
fn proc_status_kib(pid: u32, key: &str) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .with_context(|| format!("no {key} in /proc/{pid}/status"))
}
