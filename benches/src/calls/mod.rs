//! XNS benchmarks on one dev server: latency, throughput, RPC economy and
//! idle memory of XNS calls, each against a reference measured in the same
//! run (a same-namespace child workflow, a client call from outside).
//!
//! Processes: this one runs the dev server and the `Echo` workers of both
//! namespaces; a second one ([`caller::CallerProcess`]) runs the caller's
//! worker (`Drive` and the XNS activities), whose memory is measured.

pub mod caller;
pub mod economy;
pub mod idle;
pub mod latency;
pub mod metrics;
pub mod services;
pub mod throughput;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use temporal_devserver::DevServer;
use temporalio_client::Client;
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use xns_runtime::client::StartOptions;

use crate::protos::bench::v1::{
    DriveRequest, DriveResponse, Via,
    driver_temporal::DriverClient,
    echo_temporal::{self, ECHO_TASK_QUEUE, EchoClient},
};
use crate::report::Report;
use services::Echo;

/// Namespace of the caller (`Drive`).
pub const CALLER_NAMESPACE: &str = "ns-a";
/// Namespace of the XNS target (`Echo`).
pub const TARGET_NAMESPACE: &str = "ns-b";

/// The longest a `Drive` may take.
const DRIVE_TIMEOUT: Duration = Duration::from_secs(600);

/// Which XNS benchmarks to run and how big.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Sequential calls per round of the latency benchmark (0: skip it).
    pub latency_calls: u32,
    /// Rounds of the latency benchmark (XNS, child and client alternate).
    pub latency_rounds: u32,
    /// Calls in flight in the throughput benchmark (0: skip it).
    pub throughput_calls: u32,
    /// Rounds of the throughput benchmark.
    pub throughput_rounds: u32,
    /// XNS calls of the RPC economy benchmark (0: skip it).
    pub economy_calls: u32,
    /// Duration of each of those calls, in milliseconds.
    pub economy_delay_ms: u64,
    /// Idle XNS calls of the memory benchmark (0: skip it).
    pub idle_calls: u32,
}

impl Plan {
    /// The sizes the issue asks for.
    pub const FULL: Plan = Plan {
        latency_calls: 25,
        latency_rounds: 4,
        throughput_calls: 500,
        throughput_rounds: 3,
        economy_calls: 3,
        economy_delay_ms: 5_000,
        idle_calls: 1_000,
    };
    /// Small sizes for smoke runs.
    pub const QUICK: Plan = Plan {
        latency_calls: 3,
        latency_rounds: 1,
        throughput_calls: 10,
        throughput_rounds: 1,
        economy_calls: 1,
        economy_delay_ms: 1_500,
        idle_calls: 20,
    };

    /// This plan with only the sections `wanted` says yes to.
    pub fn only(mut self, wanted: impl Fn(&str) -> bool) -> Plan {
        for (section, calls) in [
            ("latency", &mut self.latency_calls),
            ("throughput", &mut self.throughput_calls),
            ("economy", &mut self.economy_calls),
            ("idle", &mut self.idle_calls),
        ] {
            if !wanted(section) {
                *calls = 0;
            }
        }
        self
    }

    /// Whether any section runs.
    pub fn is_empty(&self) -> bool {
        self.latency_calls == 0
            && self.throughput_calls == 0
            && self.economy_calls == 0
            && self.idle_calls == 0
    }
}

/// The server, its clients and the caller process the benchmarks share.
pub struct Rig {
    /// Where sections keep what explains their figures.
    work: PathBuf,
    server: DevServer,
    metrics_port: u16,
    caller: Option<caller::CallerProcess>,
    driver: DriverClient,
    echo: EchoClient,
    target: Client,
}

impl Rig {
    /// Runs `Drive` in the caller's namespace and returns its report.
    pub async fn drive(&self, via: Via, calls: u32, concurrent: bool) -> Result<DriveResponse> {
        self.drive_with(DriveRequest {
            via: via as i32,
            calls,
            concurrent,
            ..DriveRequest::default()
        })
        .await
    }

    /// Runs `Drive` with `request`.
    pub async fn drive_with(&self, request: DriveRequest) -> Result<DriveResponse> {
        let run = self
            .driver
            .drive_async(request, StartOptions::new())
            .await
            .context("starting Drive")?;
        // A workflow task that fails is retried forever; do not wait so.
        match tokio::time::timeout(DRIVE_TIMEOUT, run.get()).await {
            Ok(result) => result.with_context(|| format!("Drive `{}` failed", run.id())),
            Err(_) => bail!(
                "Drive `{}` in {CALLER_NAMESPACE} did not finish in {DRIVE_TIMEOUT:?}; see its history",
                run.id()
            ),
        }
    }
}

/// Runs the XNS benchmarks of `plan`, adding rows to `report`.
pub async fn run(plan: Plan, work: &Path, report: &mut Report) -> Result<()> {
    std::fs::create_dir_all(work)?;
    let metrics_port = free_port()?;
    let server = DevServer::start_with_args(&["--metrics-port", &metrics_port.to_string()]).await?;
    println!(
        "  dev server at {}, metrics on port {metrics_port}",
        server.address()
    );
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let mut echo_caller_side = Worker::new(
        &runtime,
        server.client(CALLER_NAMESPACE).await?,
        echo_worker_options()?,
    )?;
    let mut echo_target_side = Worker::new(
        &runtime,
        server.client(TARGET_NAMESPACE).await?,
        echo_worker_options()?,
    )?;
    let target = server.client(TARGET_NAMESPACE).await?;
    let mut rig = Rig {
        caller: Some(caller::CallerProcess::spawn(&server).await?),
        driver: DriverClient::new(server.client(CALLER_NAMESPACE).await?),
        echo: EchoClient::new(target.clone()),
        target,
        metrics_port,
        server,
        work: work.to_path_buf(),
    };
    let benchmarks = async {
        if plan.latency_calls > 0 {
            latency::run(&rig, plan.latency_calls, plan.latency_rounds, report).await?;
        }
        if plan.throughput_calls > 0 {
            throughput::run(&rig, plan.throughput_calls, plan.throughput_rounds, report).await?;
        }
        if plan.economy_calls > 0 {
            economy::run(&rig, plan.economy_calls, plan.economy_delay_ms, report).await?;
        }
        if plan.idle_calls > 0 {
            if let Some(caller) = rig.caller.take() {
                caller.stop().await?;
            }
            idle::run(&rig, plan.idle_calls, report).await?;
        }
        anyhow::Ok(())
    };
    tokio::select! {
        stopped = echo_caller_side.run() => bail!("the Echo worker of {CALLER_NAMESPACE} stopped: {stopped:?}"),
        stopped = echo_target_side.run() => bail!("the Echo worker of {TARGET_NAMESPACE} stopped: {stopped:?}"),
        done = benchmarks => done,
    }
}

/// `Echo` on its task queue: the same worker shape in both namespaces.
fn echo_worker_options() -> Result<WorkerOptions> {
    let mut options = WorkerOptions::new(ECHO_TASK_QUEUE).build();
    echo_temporal::register_echo_workflows::<Echo>(&mut options)?;
    Ok(options)
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
