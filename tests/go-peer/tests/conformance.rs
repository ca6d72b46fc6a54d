//! Differential conformance over the Go generator's own protos: every
//! workflow is started with the same input by the Go-generated client (Go
//! SDK) and by ours (Rust SDK), both through the Go peer's recording proxy,
//! and the two start requests the server received are compared field by
//! field. Differences are held to `divergences.toml` (class `start`); protos
//! our pipeline rejects are class `generate`.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use go_peer::compare::{self, FieldDiff};
use go_peer::corpus::{REJECTED, WORKFLOWS};
use go_peer::peer;
use go_peer::proxy::{Recorded, RecordingProxy};
use go_peer::ratchet::{self, Found};
use serde::Deserialize;
use serde_json::Value;
use temporal_devserver::DevServer;

/// The Go client starts its workflows here, ours in the other namespace, so
/// the same deterministic IDs do not collide.
const GO_NAMESPACE: &str = "ns-a";
const RUST_NAMESPACE: &str = "ns-b";

/// The search attributes the corpus maps (`examples/searchattributes`,
/// `test/option`), registered so that starts are not rejected for them.
const SEARCH_ATTRIBUTES: &[&str] = &[
    "--search-attribute",
    "CustomKeywordField=Keyword",
    "--search-attribute",
    "CustomTextField=Text",
    "--search-attribute",
    "CustomIntField=Int",
    "--search-attribute",
    "CustomDoubleField=Double",
    "--search-attribute",
    "CustomBoolField=Bool",
    "--search-attribute",
    "CustomDatetimeField=Datetime",
    "--search-attribute",
    "CustomKeywordListField=KeywordList",
    "--search-attribute",
    "name=Keyword",
];

/// A corpus workflow as `peer corpus` lists it.
#[derive(Debug, Deserialize)]
struct CorpusWorkflow {
    file: String,
    service: String,
    method: String,
    sample: Value,
}

impl CorpusWorkflow {
    fn key(&self) -> String {
        format!("{}.{}", self.service, self.method)
    }
}

/// One line of `peer start`.
#[derive(Debug, Deserialize)]
struct GoStart {
    service: String,
    method: String,
    #[serde(default)]
    workflow_id: Option<String>,
    #[serde(default)]
    error: Option<String>,
}

fn corpus() -> Result<Vec<CorpusWorkflow>> {
    serde_json::from_str(&peer::run(&["corpus"], b"")?).context("peer corpus output")
}

/// Whether our pipeline rejected the proto that declares `w`.
fn rejected(w: &CorpusWorkflow) -> bool {
    REJECTED
        .iter()
        .any(|r| r.proto.ends_with(&format!("/{}", w.file)))
}

#[test]
fn protos_our_pipeline_rejects_are_listed() -> Result<()> {
    let found: Vec<Found> = REJECTED
        .iter()
        .map(|r| Found::new(r.proto, r.error))
        .collect();
    ratchet::check("generate", &found)
}

#[test]
fn every_workflow_of_an_accepted_proto_is_driven() -> Result<()> {
    let corpus = corpus()?;
    let missing: Vec<String> = corpus
        .iter()
        .filter(|w| !rejected(w))
        .filter(|w| {
            !WORKFLOWS
                .iter()
                .any(|d| d.service == w.service && d.method == w.method)
        })
        .map(CorpusWorkflow::key)
        .collect();
    assert!(
        missing.is_empty(),
        "workflows of accepted protos that our generator gave no client: {missing:?}"
    );
    assert_eq!(
        corpus.len() - corpus.iter().filter(|w| rejected(w)).count(),
        WORKFLOWS.len(),
        "the driver starts exactly the corpus workflows of accepted protos"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_requests_match_the_go_client() -> Result<()> {
    let server = DevServer::start_with_args(SEARCH_ATTRIBUTES).await?;
    let dir = peer::module_root().join("../../target/go-peer/conformance");
    std::fs::create_dir_all(&dir)?;
    let proxy = RecordingProxy::start(server.address(), &dir.join("starts.jsonl"))?;
    let corpus = corpus()?;

    let go_out = peer::run(
        &[
            "start",
            "--address",
            proxy.address(),
            "--namespace",
            GO_NAMESPACE,
        ],
        b"",
    )?;
    let go: BTreeMap<String, Result<String, String>> = go_out
        .lines()
        .map(|l| serde_json::from_str::<GoStart>(l).with_context(|| format!("peer start: {l}")))
        .map(|s| {
            s.map(|s| {
                let outcome = match (s.workflow_id, s.error) {
                    (Some(id), None) => Ok(id),
                    (_, error) => Err(error.unwrap_or_default()),
                };
                (format!("{}.{}", s.service, s.method), outcome)
            })
        })
        .collect::<Result<_>>()?;

    let client = proxy.client(RUST_NAMESPACE).await?;
    let mut rust: BTreeMap<String, Result<String, String>> = BTreeMap::new();
    let mut type_names = BTreeMap::new();
    for driven in WORKFLOWS {
        let key = format!("{}.{}", driven.service, driven.method);
        let sample = corpus
            .iter()
            .find(|w| w.key() == key)
            .with_context(|| format!("{key} is not in the Go corpus"))?
            .sample
            .to_string();
        let outcome = (driven.start)(client.clone(), sample)
            .await
            .map(|s| s.workflow_id)
            .map_err(|e| format!("{e:#}"));
        type_names.insert(key.clone(), driven.name);
        rust.insert(key, outcome);
    }

    let recorded = proxy.recorded()?;
    let mut found = Vec::new();
    let mut compared = 0;
    let mut both_fail = 0;
    for w in corpus.iter().filter(|w| !rejected(w)) {
        let key = w.key();
        let go = go
            .get(&key)
            .with_context(|| format!("Go did not try {key}"))?;
        let rust = rust
            .get(&key)
            .with_context(|| format!("we did not try {key}"))?;
        match (go, rust) {
            (Ok(go_id), Ok(rust_id)) => {
                let name = type_names[&key];
                let go_request = start_request(&recorded, GO_NAMESPACE, go_id, name)?;
                let rust_request = start_request(&recorded, RUST_NAMESPACE, rust_id, name)?;
                compared += 1;
                for FieldDiff { field, go, rust } in compare::diff(
                    &compare::normalise(go_request),
                    &compare::normalise(rust_request),
                ) {
                    found.push(Found::new(
                        format!("{key} {field}"),
                        format!("Go {go} / Rust {rust}"),
                    ));
                }
            }
            (Ok(_), Err(e)) => found.push(Found::new(
                format!("{key} start"),
                format!("Go starts it, ours fails: {e}"),
            )),
            (Err(e), Ok(_)) => found.push(Found::new(
                format!("{key} start"),
                format!("Go fails ({e}), ours starts it"),
            )),
            (Err(go), Err(rust)) => {
                // Agreement: neither client starts it (a proto without a
                // task queue, say).
                both_fail += 1;
                eprintln!("{key}: both fail (Go: {go}; Rust: {rust})");
            }
        }
    }
    eprintln!(
        "compared {compared} start requests of {} corpus workflows ({both_fail} fail on both \
         sides); {} differences",
        corpus.len(),
        found.len()
    );
    ratchet::check("start", &found)
}

/// The request that started `workflow_id` in `namespace`: of the requests
/// for that ID, the one of workflow type `name` if there is one (two corpus
/// workflows can share an ID), else the first.
fn start_request<'a>(
    recorded: &'a [Recorded],
    namespace: &str,
    workflow_id: &str,
    name: &str,
) -> Result<&'a Value> {
    let requests: Vec<&Value> = recorded
        .iter()
        .filter(|r| {
            matches!(
                r.method.as_str(),
                "StartWorkflowExecution" | "SignalWithStartWorkflowExecution"
            )
        })
        .map(|r| &r.request)
        .filter(|r| r["namespace"] == namespace && r["workflowId"] == workflow_id)
        .collect();
    requests
        .iter()
        .find(|r| r["workflowType"]["name"] == name)
        .or(requests.first())
        .copied()
        .with_context(|| format!("no start request for {workflow_id} in {namespace} recorded"))
}
