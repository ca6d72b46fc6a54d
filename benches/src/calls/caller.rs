//! The caller's worker in a process of its own (`bench caller`), so that
//! its resident memory can be read apart from the server's and the target
//! workers': it runs `Drive` in the caller's namespace and the XNS
//! activities of `Echo`, with a client of the target namespace.

use std::process::Stdio;

use anyhow::{Context, Result, bail};
use temporal_devserver::DevServer;
use temporalio_client::Client;
use temporalio_sdk::runtime::worker_tuner::{FixedSizeSlotSupplier, TunerHolder};
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};
use xns_runtime::xns::XnsRegistration;

use super::services::Drive;
use super::{CALLER_NAMESPACE, TARGET_NAMESPACE};
use crate::protos::bench::v1::driver_temporal::{self, DRIVER_TASK_QUEUE};
use crate::protos::bench::v1::echo_temporal::xns as echo_xns;

/// Subcommand that runs the caller's worker.
pub const SUBCOMMAND: &str = "caller";
/// Line a caller process prints once its worker is registered.
pub const READY: &str = "caller ready";

/// Activity and workflow-task slots of the caller's worker: every XNS call
/// in flight holds an activity slot for as long as it waits, and the SDK's
/// default (100) would cap the calls in flight.
pub const ACTIVITY_SLOTS: usize = 2_000;

/// The slots of a caller's worker, with [`ACTIVITY_SLOTS`] activity slots.
pub fn tuner() -> TunerHolder {
    TunerHolder::builder()
        .workflow_task_slot_supplier(FixedSizeSlotSupplier::new(100))
        .activity_task_slot_supplier(FixedSizeSlotSupplier::new(ACTIVITY_SLOTS))
        .local_activity_task_slot_supplier(FixedSizeSlotSupplier::new(100))
        .nexus_task_slot_supplier(FixedSizeSlotSupplier::new(10))
        .build()
}

/// Worker options of the caller: `Drive` and the `Echo` XNS activities.
pub fn worker_options(target: Client) -> Result<WorkerOptions> {
    let mut options = WorkerOptions::new(DRIVER_TASK_QUEUE).tuner(tuner()).build();
    driver_temporal::register_driver_workflows::<Drive>(&mut options)?;
    echo_xns::register_echo_xns_activities(&mut options, target, XnsRegistration::new())?;
    Ok(options)
}

/// The caller process's main: runs the worker until stdin closes.
pub async fn serve() -> Result<()> {
    serve_worker(CALLER_NAMESPACE, TARGET_NAMESPACE, worker_options).await
}

/// A caller process's main: runs a worker of `namespace` with `options`
/// (given a client of `target`) until stdin closes.
pub async fn serve_worker(
    namespace: &str,
    target: &str,
    options: impl FnOnce(Client) -> Result<WorkerOptions>,
) -> Result<()> {
    // The parent passes the server in TEMPORAL_ADDRESS.
    let server = DevServer::start().await?;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let options = options(server.client(target).await?)?;
    let mut worker = Worker::new(&runtime, server.client(namespace).await?, options)?;
    println!("{READY}");
    let mut stdin = tokio::io::stdin();
    let mut sink = Vec::new();
    tokio::select! {
        stopped = worker.run() => bail!("the caller worker stopped: {stopped:?}"),
        // EOF: the parent is done (or gone).
        _ = stdin.read_to_end(&mut sink) => Ok(()),
    }
}

/// A running caller process; dropping it kills the process.
#[derive(Debug)]
pub struct CallerProcess {
    child: Child,
    pid: u32,
}

impl CallerProcess {
    /// Starts `bench caller` against `server` and waits until its worker
    /// is registered.
    pub async fn spawn(server: &DevServer) -> Result<Self> {
        Self::spawn_as(server, SUBCOMMAND).await
    }

    /// Starts `bench <subcommand>`, a caller process that prints [`READY`],
    /// against `server` and waits until its worker is registered.
    pub async fn spawn_as(server: &DevServer, subcommand: &str) -> Result<Self> {
        let exe = std::env::current_exe()?;
        let mut child = Command::new(exe)
            .arg(subcommand)
            .env("TEMPORAL_ADDRESS", server.address())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .context("starting the caller process")?;
        let pid = child.id().context("caller process id")?;
        let stdout = child.stdout.take().context("caller stdout")?;
        let mut lines = BufReader::new(stdout).lines();
        loop {
            match lines.next_line().await? {
                Some(line) if line == READY => break,
                Some(line) => println!("  caller: {line}"),
                None => bail!("the caller process exited before its worker was ready"),
            }
        }
        Ok(Self { child, pid })
    }

    /// Resident memory of the process, in KiB.
    pub fn rss_kib(&self) -> Result<u64> {
        rss_kib(self.pid)
    }

    /// Stops the process and waits for it.
    pub async fn stop(mut self) -> Result<()> {
        drop(self.child.stdin.take());
        if tokio::time::timeout(std::time::Duration::from_secs(10), self.child.wait())
            .await
            .is_err()
        {
            self.child.kill().await?;
        }
        Ok(())
    }
}

/// `VmRSS` of process `pid`, in KiB.
pub fn rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .with_context(|| format!("reading /proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmRSS in /proc status")
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_own_rss() {
        let kib = super::rss_kib(std::process::id()).unwrap();
        assert!(kib > 100, "{kib} KiB");
    }
}
