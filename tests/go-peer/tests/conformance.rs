//! Differential conformance over the Go generator's own protos: every
//! workflow is started with the same input by the Go-generated client (Go
//! SDK) and by ours (Rust SDK), both through the Go peer's recording proxy,
//! and the two start requests the server received are compared field by
//! field. Then both clients run every query, signal and update each started
//! workflow declares, by workflow ID, with the same sample input, and the
//! signal, query and update requests are compared the same way.
//! Differences are held to `divergences.toml` (classes `start` and
//! `handler`); protos our pipeline rejects are class `generate`.

use std::collections::BTreeMap;
use std::time::Duration;

use anyhow::{Context, Result};
use go_peer::compare::{self, FieldDiff};
use go_peer::corpus::{DrivenHandler, HANDLERS, REJECTED, WORKFLOWS};
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

/// How long each handler call may wait: with no worker, queries and
/// updates never complete, and their request has reached the proxy long
/// before (the Go side uses the same deadline).
const HANDLER_TIMEOUT: Duration = Duration::from_secs(1);

/// A corpus workflow as `peer corpus` lists it.
#[derive(Debug, Deserialize)]
struct CorpusWorkflow {
    file: String,
    service: String,
    method: String,
    sample: Value,
    /// The queries, signals and updates it declares.
    handlers: Vec<CorpusHandler>,
}

/// A handler a corpus workflow declares, as `peer corpus` lists it.
#[derive(Debug, Deserialize)]
struct CorpusHandler {
    kind: String,
    service: String,
    method: String,
    /// The Temporal name Go gives it.
    name: String,
    sample: Value,
}

impl CorpusHandler {
    fn key(&self) -> HandlerKey {
        (self.kind.clone(), self.service.clone(), self.method.clone())
    }
}

/// A handler by kind, service full name and method.
type HandlerKey = (String, String, String);

fn driven_key(h: &DrivenHandler) -> HandlerKey {
    (
        h.kind.to_string(),
        h.service.to_string(),
        h.method.to_string(),
    )
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
    /// The outcomes of the workflow's handler calls.
    #[serde(default)]
    handlers: Vec<GoHandlerCall>,
}

/// The outcome of one handler call of `peer start --handlers`.
#[derive(Debug, Deserialize)]
struct GoHandlerCall {
    kind: String,
    service: String,
    method: String,
    #[serde(default)]
    error: Option<String>,
}

/// How a handler call ended: `Ok` when it returned or timed out (the
/// expected end of a query or update with no worker), else the error.
type CallOutcome = Result<(), String>;

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
async fn start_and_handler_requests_match_the_go_client() -> Result<()> {
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
            "--handlers",
        ],
        b"",
    )?;
    let mut go: BTreeMap<String, Result<String, String>> = BTreeMap::new();
    let mut go_calls: BTreeMap<(String, HandlerKey), CallOutcome> = BTreeMap::new();
    for line in go_out.lines() {
        let s =
            serde_json::from_str::<GoStart>(line).with_context(|| format!("peer start: {line}"))?;
        let key = format!("{}.{}", s.service, s.method);
        for call in s.handlers {
            let outcome = call.error.map_or(Ok(()), Err);
            go_calls.insert(
                (key.clone(), (call.kind, call.service, call.method)),
                outcome,
            );
        }
        let outcome = match (s.workflow_id, s.error) {
            (Some(id), None) => Ok(id),
            (_, error) => Err(error.unwrap_or_default()),
        };
        go.insert(key, outcome);
    }

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

    let rust_calls = run_handlers(&client, &corpus, &rust).await;

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
    let starts = ratchet::check("start", &found);

    let calls = Calls {
        recorded: &recorded,
        go_ids: &go,
        rust_ids: &rust,
        go_calls: &go_calls,
        rust_calls: &rust_calls,
    };
    let handlers = calls.compare(&corpus);
    match (starts, handlers) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(e), Ok(())) | (Ok(()), Err(e)) => Err(e),
        (Err(s), Err(h)) => Err(anyhow::anyhow!("{s:#}\n\n{h:#}")),
    }
}

/// Runs every entry of `HANDLERS` whose workflow our client started, all at
/// once, each bounded by [`HANDLER_TIMEOUT`], with the sample input Go lists
/// for the handler. An entry Go does not list is not run.
async fn run_handlers(
    client: &temporalio_client::Client,
    corpus: &[CorpusWorkflow],
    started: &BTreeMap<String, Result<String, String>>,
) -> BTreeMap<(String, HandlerKey), CallOutcome> {
    let calls = HANDLERS.iter().filter_map(|h| {
        let key = format!("{}.{}", h.workflow_service, h.workflow_method);
        let Some(Ok(workflow_id)) = started.get(&key) else {
            return None;
        };
        let sample = corpus
            .iter()
            .find(|w| w.key() == key)?
            .handlers
            .iter()
            .find(|c| c.key() == driven_key(h))?
            .sample
            .to_string();
        let call = (h.call)(client.clone(), workflow_id.clone(), sample);
        Some(async move {
            let outcome = match tokio::time::timeout(HANDLER_TIMEOUT, call).await {
                Ok(Ok(())) | Err(_) => Ok(()),
                Ok(Err(e)) => Err(format!("{e:#}")),
            };
            ((key, driven_key(h)), outcome)
        })
    });
    futures::future::join_all(calls).await.into_iter().collect()
}

/// The handler calls of both clients and what the proxy recorded.
struct Calls<'a> {
    recorded: &'a [Recorded],
    /// Workflow IDs (or start errors) by `service.method`.
    go_ids: &'a BTreeMap<String, Result<String, String>>,
    rust_ids: &'a BTreeMap<String, Result<String, String>>,
    go_calls: &'a BTreeMap<(String, HandlerKey), CallOutcome>,
    rust_calls: &'a BTreeMap<(String, HandlerKey), CallOutcome>,
}

impl Calls<'_> {
    /// Compares, for every workflow both clients started, the request of
    /// each handler call Go made with ours, and holds the differences to
    /// class `handler`.
    fn compare(&self, corpus: &[CorpusWorkflow]) -> Result<()> {
        let mut found = Vec::new();
        let mut compared: BTreeMap<&str, usize> = BTreeMap::new();
        for w in corpus.iter().filter(|w| !rejected(w)) {
            let key = w.key();
            let (Some(Ok(go_id)), Some(Ok(rust_id))) =
                (self.go_ids.get(&key), self.rust_ids.get(&key))
            else {
                if !w.handlers.is_empty() {
                    eprintln!("{key}: handlers not run, the workflow did not start on both sides");
                }
                continue;
            };
            let ours: Vec<&DrivenHandler> = HANDLERS
                .iter()
                .filter(|h| h.workflow_service == w.service && h.workflow_method == w.method)
                .collect();
            for h in &w.handlers {
                let case = |what: &str| {
                    let handler = if h.service == w.service {
                        h.method.clone()
                    } else {
                        format!("{}.{}", h.service, h.method)
                    };
                    format!("{key} {} {handler} {what}", h.kind)
                };
                let Some(driven) = ours.iter().find(|d| driven_key(d) == h.key()) else {
                    found.push(Found::new(
                        case("call"),
                        "Go runs it by workflow ID; our generator gives the workflow no such \
                         handler",
                    ));
                    continue;
                };
                let call_key = (key.clone(), h.key());
                let go_outcome = self.go_calls.get(&call_key);
                let rust_outcome = self.rust_calls.get(&call_key);
                for (side, outcome) in [("Go", go_outcome), ("Rust", rust_outcome)] {
                    if let Some(Err(e)) = outcome {
                        eprintln!("{key} {} {}: the {side} call failed: {e}", h.kind, h.method);
                    }
                }
                let go_request = self.request(GO_NAMESPACE, go_id, &h.kind, &h.name);
                let rust_request = self.request(RUST_NAMESPACE, rust_id, &h.kind, driven.name);
                match (go_request, rust_request) {
                    (Some(go), Some(rust)) => {
                        *compared.entry(kind_word(&h.kind)).or_default() += 1;
                        let (go, rust) = (flatten(go), flatten(rust));
                        let fields: std::collections::BTreeSet<&String> =
                            go.keys().chain(rust.keys()).collect();
                        for field in fields {
                            let (g, r) = (go.get(field), rust.get(field));
                            if g != r {
                                found.push(Found::new(
                                    case(field),
                                    format!("Go {} / Rust {}", compare::show(g), compare::show(r)),
                                ));
                            }
                        }
                    }
                    (Some(_), None) => found.push(Found::new(
                        case("request"),
                        format!("Go sends it, ours does not ({})", describe(rust_outcome)),
                    )),
                    (None, Some(_)) => found.push(Found::new(
                        case("request"),
                        format!("ours sends it, Go does not ({})", describe(go_outcome)),
                    )),
                    (None, None) => eprintln!(
                        "{key} {} {}: neither side sends it (Go: {}; Rust: {})",
                        h.kind,
                        h.method,
                        describe(go_outcome),
                        describe(rust_outcome)
                    ),
                }
            }
            for d in ours
                .iter()
                .filter(|d| !w.handlers.iter().any(|h| h.key() == driven_key(d)))
            {
                found.push(Found::new(
                    format!("{key} {} {}.{} call", d.kind, d.service, d.method),
                    "our generator gives the workflow this handler; Go declares none",
                ));
            }
        }
        eprintln!(
            "compared handler requests: {} queries, {} signals, {} updates; {} differences",
            compared.get("query").unwrap_or(&0),
            compared.get("signal").unwrap_or(&0),
            compared.get("update").unwrap_or(&0),
            found.len()
        );
        ratchet::check("handler", &found)
    }

    /// The normalised request of the first `kind` call named `name` on
    /// `workflow_id` in `namespace` (a client may repeat an update request
    /// while it waits).
    fn request(&self, namespace: &str, workflow_id: &str, kind: &str, name: &str) -> Option<Value> {
        let (method, execution, name_at): (&str, &str, &[&str]) = match kind {
            "signal" => (
                "SignalWorkflowExecution",
                "workflowExecution",
                &["signalName"],
            ),
            "query" => ("QueryWorkflow", "execution", &["query", "queryType"]),
            "update" => (
                "UpdateWorkflowExecution",
                "workflowExecution",
                &["request", "input", "name"],
            ),
            _ => return None,
        };
        self.recorded
            .iter()
            .filter(|r| r.method == method)
            .map(|r| &r.request)
            .find(|r| {
                r["namespace"] == namespace
                    && r[execution]["workflowId"] == workflow_id
                    && name_at.iter().fold(*r, |v, k| &v[*k]) == name
            })
            .map(normalise_handler_request)
    }
}

/// `query`, `signal` or `update` as a static word (for the counts).
fn kind_word(kind: &str) -> &'static str {
    match kind {
        "query" => "query",
        "signal" => "signal",
        _ => "update",
    }
}

fn describe(outcome: Option<&CallOutcome>) -> String {
    match outcome {
        None => "not called".to_string(),
        Some(Ok(())) => "the call returned or timed out".to_string(),
        Some(Err(e)) => format!("the call failed: {e}"),
    }
}

/// A recorded signal, query or update request as compared: the workflow ID
/// and update ID shaped (random parts replaced, see `compare::id_shape`),
/// run IDs replaced by a placeholder, the update's per-call identity
/// dropped, then `compare::normalise`d.
fn normalise_handler_request(request: &Value) -> Value {
    let mut request = request.clone();
    for execution in ["workflowExecution", "execution"] {
        if let Some(Value::Object(e)) = request.get_mut(execution) {
            if let Some(Value::String(id)) = e.get_mut("workflowId") {
                *id = compare::id_shape(id);
            }
            placeholder_run_id(e.get_mut("runId"));
        }
    }
    placeholder_run_id(request.get_mut("firstExecutionRunId"));
    if let Some(Value::Object(meta)) = request.pointer_mut("/request/meta") {
        meta.remove("identity");
        if let Some(Value::String(id)) = meta.get_mut("updateId") {
            *id = compare::id_shape(id);
        }
    }
    compare::normalise(&request)
}

/// A run ID differs per run: a set one becomes `<run-id>`.
fn placeholder_run_id(value: Option<&mut Value>) {
    if let Some(v @ Value::String(_)) = value
        && v.as_str() != Some("")
    {
        *v = Value::String("<run-id>".to_string());
    }
}

/// A request as dotted field paths (`request.input.name`) to their values:
/// nested messages are followed down to scalars, lists and payloads (an
/// object with `payloads` or `metadata`), which are compared whole.
fn flatten(request: Value) -> BTreeMap<String, Value> {
    fn walk(prefix: &str, value: Value, out: &mut BTreeMap<String, Value>) {
        match value {
            Value::Object(fields)
                if !fields.is_empty()
                    && !fields.contains_key("payloads")
                    && !fields.contains_key("metadata") =>
            {
                for (k, v) in fields {
                    let path = if prefix.is_empty() {
                        k
                    } else {
                        format!("{prefix}.{k}")
                    };
                    walk(&path, v, out);
                }
            }
            other => {
                out.insert(prefix.to_string(), other);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk("", request, &mut out);
    out
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
