//! The Go peer's recording proxy (`peer proxy`): a gRPC pass-through in
//! front of the dev server that writes every start, signal, query, update,
//! cancel and terminate request it forwards to a JSON-lines file. Go and
//! Rust clients both talk to the server through it, so the requests can be
//! compared field by field, including the fields the server does not keep
//! in history (ID reuse and conflict policies).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use serde::Deserialize;
use serde_json::Value;
use temporalio_client::{Client, ClientOptions, Connection, ConnectionOptions, Url};

use crate::peer;

/// A running proxy; stopped when dropped.
#[derive(Debug)]
pub struct RecordingProxy {
    _process: peer::Process,
    address: String,
    record: PathBuf,
}

/// One recorded request.
#[derive(Debug, Clone, Deserialize)]
pub struct Recorded {
    /// The `WorkflowService` method, e.g. `StartWorkflowExecution`.
    pub method: String,
    /// The request in protojson.
    pub request: Value,
}

impl RecordingProxy {
    /// Starts a proxy in front of `upstream` (`host:port`) recording into
    /// `record`.
    pub fn start(upstream: &str, record: &Path) -> Result<Self> {
        let _ = std::fs::remove_file(record);
        let record_arg = record.display().to_string();
        let (process, ready) = peer::Process::spawn(&[
            "proxy",
            "--listen",
            "127.0.0.1:0",
            "--upstream",
            upstream,
            "--record",
            &record_arg,
        ])?;
        let address = ready["listening"]
            .as_str()
            .with_context(|| format!("peer proxy did not report its address: {ready}"))?
            .to_string();
        Ok(Self {
            _process: process,
            address,
            record: record.to_path_buf(),
        })
    }

    /// `host:port` of the proxy.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// A Rust SDK client of `namespace` through the proxy.
    pub async fn client(&self, namespace: &str) -> Result<Client> {
        let url = Url::parse(&format!("http://{}", self.address))?;
        let options = ConnectionOptions::new(url)
            .identity("go-peer-rust".to_owned())
            .connect_timeout(Duration::from_secs(5))
            .build();
        let connection = Connection::connect(options)
            .await
            .with_context(|| format!("connecting to the proxy at {}", self.address))?;
        Client::new(connection, ClientOptions::new(namespace).build())
            .with_context(|| format!("client for namespace {namespace}"))
    }

    /// Every request recorded so far, in arrival order.
    pub fn recorded(&self) -> Result<Vec<Recorded>> {
        let text = std::fs::read_to_string(&self.record)
            .with_context(|| format!("reading {}", self.record.display()))?;
        text.lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).with_context(|| format!("recorded line {l}")))
            .collect()
    }
}
