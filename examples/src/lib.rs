//! Runnable examples of protoc-gen-rust-temporal.
//!
//! - [`target_service`]: the `example.v1.Example` service of the Go
//!   generator's XNS guide. A worker implements its `CreateFoo` workflow and
//!   `Notify` activity through the generated contracts, and the generated
//!   `ExampleClient` starts, signals, queries and updates it.
//! - [`xns_caller`]: the `provision.v1.Provision` service. Its
//!   `ProvisionFoo` workflow runs in namespace `ns-a` and drives `CreateFoo`
//!   in namespace `ns-b` through the generated `example_temporal::xns`
//!   module.
//!
//! Run them with `cargo run -p examples --bin target-service` and
//! `cargo run -p examples --bin xns-caller`. Without `TEMPORAL_ADDRESS` each
//! starts an embedded dev server with both namespaces and stops it at the
//! end; with it, the server there must have `ns-a` and `ns-b`.

/// The generated code: prost messages and the Temporal modules, one Rust
/// module per proto package (see build.rs).
// snippet:start include
pub mod protos {
    include!(concat!(env!("OUT_DIR"), "/temporal_protos.rs"));
}
// snippet:end

pub mod create_foo;
pub mod provision;
pub mod target_service;
pub mod xns_caller;

/// Namespace of the `Example` service's workers (the XNS target).
pub const TARGET_NAMESPACE: &str = "ns-b";
/// Namespace of the `Provision` service's workers (the XNS caller).
pub const CALLER_NAMESPACE: &str = "ns-a";

/// A foo name that has not been used on this server: `CreateFoo` IDs are
/// `create-foo/<slug of the name>` and reject duplicates.
pub fn fresh_foo_name(prefix: &str) -> String {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or_default();
    format!("{prefix} {} {nanos}", std::process::id())
}

/// Starts the embedded dev server with both namespaces (or connects to
/// `TEMPORAL_ADDRESS`), saying so. Dropping it stops the server.
pub async fn start_dev_server() -> anyhow::Result<temporal_devserver::DevServer> {
    println!(
        "== starting a Temporal dev server with namespaces {CALLER_NAMESPACE} and {TARGET_NAMESPACE} (or using TEMPORAL_ADDRESS)"
    );
    let server = temporal_devserver::DevServer::start().await?;
    println!("   server at {}", server.address());
    Ok(server)
}
