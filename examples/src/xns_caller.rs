//! The XNS caller: `ProvisionFoo` runs on a worker in [`CALLER_NAMESPACE`]
//! and creates a foo in [`TARGET_NAMESPACE`], where the `Example` worker
//! runs `CreateFoo`. The caller's worker reaches the target namespace
//! through a client read from a Temporal config profile.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use temporal_devserver::DevServer;
use temporalio_sdk::{Runtime, Worker, WorkerOptions};
use xns_runtime::client::{ClientProfile, StartOptions, connect_profile};

use crate::protos::example::v1::example_temporal::xns::{self as example_xns, XnsRegistration};
use crate::protos::provision::v1::{
    ProvisionFooRequest, ProvisionFooResponse,
    provision_temporal::{self, PROVISION_TASK_QUEUE, ProvisionClient},
};
use crate::provision::ProvisionFoo;
use crate::target_service::example_worker_options;
use crate::{CALLER_NAMESPACE, TARGET_NAMESPACE};

/// The caller's worker options: `ProvisionFoo`, and the `Example` service's
/// XNS activities with a client of the namespace named by profile `target`.
// snippet:start register-caller
pub async fn caller_worker_options(target: &ClientProfile) -> Result<WorkerOptions> {
    let target_client = connect_profile(target).await?;
    let mut options = WorkerOptions::new(PROVISION_TASK_QUEUE).build();
    provision_temporal::register_provision_workflows::<ProvisionFoo>(&mut options)?;
    example_xns::register_example_xns_activities(
        &mut options,
        target_client,
        XnsRegistration::new(),
    )?;
    Ok(options)
}
// snippet:end

/// The Temporal config file of the caller's worker: profile `target` names
/// the target namespace and its server.
pub const TARGET_PROFILE: &str = include_str!("../temporal.toml");

/// Writes [`TARGET_PROFILE`] to `dir`, pointed at `server` instead of the
/// default local address; returns the file's path and what it wrote.
pub fn write_target_profile(server: &DevServer, dir: &Path) -> Result<(PathBuf, String)> {
    let path = dir.join("temporal.toml");
    let config = TARGET_PROFILE.replace("127.0.0.1:7233", server.address());
    std::fs::write(&path, &config).with_context(|| format!("writing {}", path.display()))?;
    Ok((path, config))
}

/// Runs the target worker and the caller's worker, starts `ProvisionFoo`
/// for `name` and prints what it reports.
pub async fn run(server: &DevServer, name: &str) -> Result<ProvisionFooResponse> {
    let runtime = Runtime::from_current_tokio(Default::default())?;

    let target_worker = Worker::new(
        &runtime,
        server.client(TARGET_NAMESPACE).await?,
        example_worker_options()?,
    )?;
    println!("== `{TARGET_NAMESPACE}`: worker for `example.v1.Example` (CreateFoo, Notify)");

    let config_dir = std::env::temp_dir().join(format!("xns-caller-{}", std::process::id()));
    std::fs::create_dir_all(&config_dir)?;
    let (config, written) = write_target_profile(server, &config_dir)?;
    println!(
        "== the caller reaches `{TARGET_NAMESPACE}` through profile `target` of a Temporal config file:"
    );
    for line in written.lines() {
        println!("   {line}");
    }
    let target = ClientProfile::File {
        path: config.display().to_string(),
        profile: "target".to_string(),
    };
    let caller_options = caller_worker_options(&target).await;
    let _ = std::fs::remove_dir_all(&config_dir);
    let caller = server.client(CALLER_NAMESPACE).await?;
    let caller_worker = Worker::new(&runtime, caller.clone(), caller_options?)?;
    println!(
        "== `{CALLER_NAMESPACE}`: worker for `provision.v1.Provision` and the Example XNS activities"
    );

    let provision = ProvisionClient::new(caller);
    let drive = async {
        let request = ProvisionFooRequest {
            name: name.to_string(),
        };
        let run = provision
            .provision_foo_async(request, StartOptions::new())
            .await?;
        println!(
            "== started ProvisionFoo `{}` in `{CALLER_NAMESPACE}`; it reports:",
            run.id()
        );
        let response = run.get().await?;
        for (n, step) in response.steps.iter().enumerate() {
            println!("   {}. {step}", n + 1);
        }
        anyhow::Ok(response)
    };
    // Runs both workers while the calls are made, then shuts them down
    // (dropping a running worker makes the SDK core panic on its way out).
    temporal_devserver::with_workers(&mut [target_worker, caller_worker], drive).await
}
