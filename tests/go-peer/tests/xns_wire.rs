//! The XNS activities a caller workflow schedules: the Go generator's caller
//! (`CallCount` from the Go-generated `xns` package) against ours, making
//! the same calls with the same input on one server. The scheduled
//! activities are compared field by field, with their decoded
//! `temporal.xns.v1` inputs; differences are held to `divergences.toml`
//! (class `xns`).

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use go_peer::compare::{self, FieldDiff};
use go_peer::harness::{
    go_client, go_worker, history, rust_worker, scheduled_activities, with_workers,
};
use go_peer::interop::gopeer::CallCountInput;
use go_peer::interop::gopeer::caller_temporal::CallerClient;
use go_peer::interop::{self, CallerParts};
use go_peer::ratchet::{self, Found};
use serde_json::Value;
use temporal_devserver::DevServer;
use temporalio_sdk::Runtime;
use xns_runtime::client::StartOptions;

const CALLER_NAMESPACE: &str = "ns-a";
const TARGET_NAMESPACE: &str = "ns-b";
/// Both callers drive the same remote counter name, one after the other.
const NAME: &str = "xns-wire";

/// Fields of a scheduled activity that each SDK sets per call, not from the
/// proto: the activity ID (a sequence number) and the event it follows.
const PER_CALL_FIELDS: &[&str] = &["activityId", "workflowTaskCompletedEventId"];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn xns_activities_are_scheduled_as_go_schedules_them() -> Result<()> {
    let server = DevServer::start().await?;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let _target = go_worker(&server, TARGET_NAMESPACE, &["--counter"])?;
    let count_id = format!("call-count/{NAME}");
    let fail_id = format!("call-fail/{NAME}");

    // Ours first: the Rust caller workflow with our XNS activities.
    let parts = CallerParts {
        workflows: true,
        xns_activities: true,
    };
    let options = interop::caller_worker(parts, server.client(TARGET_NAMESPACE).await?)?;
    let mut workers = [rust_worker(&runtime, &server, CALLER_NAMESPACE, options).await?];
    let caller = CallerClient::new(server.client(CALLER_NAMESPACE).await?);
    let input = CallCountInput {
        name: NAME.to_string(),
    };
    let fail = interop::peer_failure(NAME);
    with_workers(&mut workers, async {
        caller.call_count(input, StartOptions::new()).await?;
        caller.call_fail(fail, StartOptions::new()).await?;
        Ok(())
    })
    .await?;
    let rust_count = scheduled_activities(&history(&server, CALLER_NAMESPACE, &count_id)?);
    let rust_fail = scheduled_activities(&history(&server, CALLER_NAMESPACE, &fail_id)?);

    // Then Go's, on the same task queue once ours has stopped.
    let go_caller = go_worker(
        &server,
        CALLER_NAMESPACE,
        &[
            "--caller",
            "--xns-activities",
            "--target-namespace",
            TARGET_NAMESPACE,
        ],
    )?;
    go_client(&server, CALLER_NAMESPACE, "call-count", NAME).await?;
    go_client(&server, CALLER_NAMESPACE, "call-fail", NAME).await?;
    drop(go_caller);
    let go_count = scheduled_activities(&history(&server, CALLER_NAMESPACE, &count_id)?);
    let go_fail = scheduled_activities(&history(&server, CALLER_NAMESPACE, &fail_id)?);

    let mut found = Vec::new();
    for (caller, go, rust) in [
        ("CallCount", &go_count, &rust_count),
        ("CallFail", &go_fail, &rust_fail),
    ] {
        if rust.is_empty() || go.is_empty() {
            bail!(
                "{caller}: no XNS activity scheduled (Rust {}, Go {})",
                rust.len(),
                go.len()
            );
        }
        eprintln!(
            "{caller}: compared {} Go and {} Rust XNS activities",
            go.len(),
            rust.len()
        );
        found.extend(differences(caller, go, rust));
    }
    ratchet::check("xns", &found)
}

/// The differences between the activities Go's `caller` scheduled and
/// ours, paired by activity type in the order each scheduled them.
fn differences(caller: &str, go: &[Value], rust: &[Value]) -> Vec<Found> {
    let go = by_type(go);
    let rust = by_type(rust);
    let mut found = Vec::new();
    for activity_type in go
        .keys()
        .chain(rust.keys())
        .collect::<std::collections::BTreeSet<_>>()
    {
        let empty = Vec::new();
        let go_calls = go.get(activity_type).unwrap_or(&empty);
        let rust_calls = rust.get(activity_type).unwrap_or(&empty);
        if go_calls.len() != rust_calls.len() {
            found.push(Found::new(
                format!("{caller} {activity_type} count"),
                format!(
                    "Go schedules it {} times, ours {}",
                    go_calls.len(),
                    rust_calls.len()
                ),
            ));
        }
        for (go_call, rust_call) in go_calls.iter().zip(rust_calls) {
            for FieldDiff { field, go, rust } in compare::diff(go_call, rust_call) {
                found.push(Found::new(
                    format!("{caller} {activity_type} {field}"),
                    format!("Go {go} / Rust {rust}"),
                ));
            }
        }
    }
    found
}

/// Scheduled activities by type, normalised, in schedule order.
fn by_type(scheduled: &[Value]) -> BTreeMap<String, Vec<Value>> {
    let mut map: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for attributes in scheduled {
        let mut attributes = compare::normalise(attributes);
        if let Value::Object(fields) = &mut attributes {
            for field in PER_CALL_FIELDS {
                fields.remove(*field);
            }
        }
        let activity_type = attributes["activityType"]["name"]
            .as_str()
            .unwrap_or("?")
            .to_string();
        map.entry(activity_type).or_default().push(attributes);
    }
    map
}

/// Go's heartbeat details for `values` (`peer heartbeat`: the Go SDK's
/// default converter, as `activity.RecordHeartbeat` uses it), as
/// (encoding, data) pairs.
fn go_heartbeat(values: &[&str]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut args = vec!["heartbeat"];
    args.extend(values);
    let out: Value = serde_json::from_str(&go_peer::peer::run(&args, &[])?)?;
    let payloads = out["payloads"].as_array().cloned().unwrap_or_default();
    payloads
        .iter()
        .map(|p| {
            let field = |v: &Value| b64.decode(v.as_str().unwrap_or_default());
            Ok((field(&p["metadata"]["encoding"])?, field(&p["data"])?))
        })
        .collect()
}

/// Ours for `values`: each written by the Rust SDK's default converter, as
/// the XNS activities' heartbeat details write them (`xns_runtime`'s
/// `serve/progress.rs`, whose unit test checks that), as (encoding, data)
/// pairs.
fn rust_heartbeat(values: &[&str]) -> Result<Vec<(Vec<u8>, Vec<u8>)>> {
    use temporalio_common::data_converters::{
        GenericPayloadConverter, PayloadConverter, SerializationContext, SerializationContextData,
        WorkflowSerializationContext,
    };
    let data = SerializationContextData::Workflow(WorkflowSerializationContext::new());
    let converter = PayloadConverter::default();
    let ctx = SerializationContext::new(&data, &converter);
    values
        .iter()
        .map(|v| {
            let p = converter.to_payload(&ctx, &v.to_string())?;
            Ok((p.metadata["encoding"].clone(), p.data))
        })
        .collect()
}

/// The XNS activities record their heartbeat details as Go's do: an
/// update `[update ID]`, an update-with-start `[workflow ID, run ID,
/// update ID]`, one string payload each, byte for byte the Go SDK's. So a
/// retry on a Go worker re-attaches to what a Rust attempt started, and the
/// other way round (`xns_runtime`'s `serve/progress.rs` reads these).
#[test]
fn heartbeat_details_are_gos() -> Result<()> {
    for values in [&["update-1"][..], &["count/xns", "run-1", "update-1"][..]] {
        assert_eq!(rust_heartbeat(values)?, go_heartbeat(values)?, "{values:?}");
    }
    Ok(())
}
