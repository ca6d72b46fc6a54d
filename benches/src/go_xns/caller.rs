//! Our caller of the interop proto in a process of its own (`bench
//! peer-caller`), the counterpart of the Go peer's caller process: it runs
//! `Caller`'s workflows and `Counter`'s XNS activities in its namespace,
//! with a client of the target namespace.

use anyhow::Result;
use go_peer::interop::gopeer::caller_temporal::{self, CALLER_TASK_QUEUE};
use go_peer::interop::gopeer::counter_temporal::xns as counter_xns;
use go_peer::interop::{CallCount, CallEchoes, CallFail};
use temporalio_client::Client;
use temporalio_sdk::WorkerOptions;
use xns_runtime::xns::XnsRegistration;

use super::{RUST_NAMESPACE, TARGET_NAMESPACE};
use crate::calls::caller::{serve_worker, tuner};

/// Subcommand that runs our caller's worker.
pub const SUBCOMMAND: &str = "peer-caller";

/// Worker options of our caller, with the bench caller's slots.
pub fn worker_options(target: Client) -> Result<WorkerOptions> {
    let mut options = WorkerOptions::new(CALLER_TASK_QUEUE).tuner(tuner()).build();
    caller_temporal::register_caller_workflows::<CallCount, CallFail, CallEchoes>(&mut options)?;
    counter_xns::register_counter_xns_activities(&mut options, target, XnsRegistration::new())?;
    Ok(options)
}

/// The process's main: runs the worker until stdin closes.
pub async fn serve() -> Result<()> {
    serve_worker(RUST_NAMESPACE, TARGET_NAMESPACE, worker_options).await
}
