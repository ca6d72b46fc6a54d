//! Our generated code for the Go generator's own protos, a driver that
//! starts each of their workflows with our generated client and runs each
//! of their handlers by workflow ID, and the Temporal names the generated
//! code declares (written by `build.rs`).

// The driver reaches every name and handler of the corpus, including the
// ones its protos deprecate (`test/simple`'s `Deprecated` service).
#![allow(deprecated)]

use std::future::Future;
use std::pin::Pin;

use anyhow::{Context, Result};
use temporalio_client::Client;
use temporalio_common::protos::temporal::api::common::v1::Payload;
use xns_runtime::client::{StartOptions, UpdateOptions};
use xns_runtime::payload::{self, ProtoMessage, WellKnown, WellKnownType};

/// A proto of the corpus that protoc or our generator rejects.
#[derive(Debug, Clone, Copy)]
pub struct Rejected {
    /// Path in the Go generator's module.
    pub proto: &'static str,
    pub error: &'static str,
}

/// A workflow started by our generated client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Started {
    pub workflow_id: String,
    pub run_id: Option<String>,
}

/// The future of a driven start.
pub type StartFuture = Pin<Box<dyn Future<Output = Result<Started>> + Send>>;

/// One workflow of the corpus and how to start it with our client: the
/// function takes a client and the sample input in protojson.
#[derive(Clone, Copy)]
pub struct DrivenWorkflow {
    /// Full name of the proto service.
    pub service: &'static str,
    /// Proto method name.
    pub method: &'static str,
    /// The workflow type name our generator gives it.
    pub name: &'static str,
    pub start: fn(Client, String) -> StartFuture,
}

impl std::fmt::Debug for DrivenWorkflow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.service, self.method)
    }
}

/// The future of a driven handler call.
pub type HandlerFuture = Pin<Box<dyn Future<Output = Result<()>> + Send>>;

/// A query, signal or update a workflow of [`WORKFLOWS`] declares, and how
/// to run it with our client's by-ID method: the function takes a client,
/// the workflow ID and the sample input in protojson, and passes no run ID
/// (and default update options).
#[derive(Clone, Copy)]
pub struct DrivenHandler {
    /// Full name of the declaring workflow's service.
    pub workflow_service: &'static str,
    /// The declaring workflow's proto method name.
    pub workflow_method: &'static str,
    /// `query`, `signal` or `update`.
    pub kind: &'static str,
    /// Full name of the service declaring the handler.
    pub service: &'static str,
    /// The handler's proto method name.
    pub method: &'static str,
    /// The Temporal name our generator gives the handler.
    pub name: &'static str,
    pub call: fn(Client, String, String) -> HandlerFuture,
}

impl std::fmt::Debug for DrivenHandler {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}.{} {} {}.{}",
            self.workflow_service, self.workflow_method, self.kind, self.service, self.method
        )
    }
}

/// A Temporal name our generated code declares: the value of a generated
/// name constant (`CREATE_FOO_WORKFLOW_NAME`), or one of a workflow's
/// aliases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CorpusName {
    /// The proto file declaring it, relative to its proto root
    /// (`test/simple/v1/simple.proto`).
    pub file: &'static str,
    /// `workflow`, `activity`, `query`, `signal` or `update`.
    pub kind: &'static str,
    pub name: &'static str,
    /// An extra name (from a `<METHOD>_WORKFLOW_ALIASES` constant).
    pub alias: bool,
}

/// A generated aliases constant (`<METHOD>_WORKFLOW_ALIASES`).
#[derive(Debug, Clone, Copy)]
pub struct CorpusAliases {
    /// The proto file declaring the workflow, relative to its proto root.
    pub file: &'static str,
    /// `workflow`.
    pub kind: &'static str,
    pub aliases: &'static [&'static str],
}

/// Every name of [`NAMES`] and every alias of [`ALIASES`].
pub fn all_names() -> Vec<CorpusName> {
    let aliases = ALIASES.iter().flat_map(|a| {
        a.aliases.iter().map(|name| CorpusName {
            file: a.file,
            kind: a.kind,
            name,
            alias: true,
        })
    });
    NAMES.iter().copied().chain(aliases).collect()
}

/// A `json/protobuf` payload of `json`, as the SDKs write one.
fn json_payload(json: &str) -> Payload {
    let mut payload = Payload::default();
    payload.metadata.insert(
        payload::ENCODING_KEY.to_string(),
        payload::JSON_PROTOBUF.as_bytes().to_vec(),
    );
    payload.data = json.as_bytes().to_vec();
    payload
}

/// Reads a message from its protojson, as the SDKs' `json/protobuf`
/// payloads carry it.
fn from_json<M: ProtoMessage>(json: &str) -> Result<M> {
    payload::decode(json_payload(json))
        .with_context(|| format!("decoding {} from {json}", M::FULL_NAME))
}

/// Reads a well-known type's prost value from its protojson.
fn well_known_from_json<T: WellKnownType>(json: &str) -> Result<T> {
    WellKnown::<T>::decode(json_payload(json))
        .map(|w| w.0)
        .with_context(|| format!("decoding {} from {json}", T::FULL_NAME))
}

include!(concat!(env!("OUT_DIR"), "/corpus.rs"));
