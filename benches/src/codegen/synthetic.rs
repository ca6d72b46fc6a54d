//! The synthetic proto set of the codegen benchmark: `packages` packages of
//! `services_per_package` services, one file each, every service with ten
//! annotated methods of every kind (three workflows, a query, two signals,
//! an update, three activities), ID expressions and XNS options.
//!
//! Deterministic: the same shape gives the same bytes. `bench synth --out
//! DIR` writes it for a look or for other tools.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The shape of a synthetic set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shape {
    /// Number of proto packages.
    pub packages: usize,
    /// Services (and files) per package.
    pub services_per_package: usize,
}

impl Shape {
    /// The set the issue asks for: 100 services of 10 methods.
    pub const FULL: Shape = Shape {
        packages: 10,
        services_per_package: 10,
    };
    /// A small set for smoke runs.
    pub const QUICK: Shape = Shape {
        packages: 2,
        services_per_package: 2,
    };

    /// Total number of services.
    pub fn services(self) -> usize {
        self.packages * self.services_per_package
    }
}

/// Annotated methods per service.
pub const METHODS_PER_SERVICE: usize = 10;

/// A written set: the include root and the files relative to it.
#[derive(Debug, Clone)]
pub struct ProtoSet {
    /// Directory to pass to protoc with `-I`.
    pub root: PathBuf,
    /// Proto files, relative to `root`, in a stable order.
    pub files: Vec<String>,
    /// Proto package of each file's package, in order (`bench.synth.p00.v1`).
    pub packages: Vec<String>,
}

/// Writes the set of `shape` under `root` (emptied first).
pub fn write(shape: Shape, root: &Path) -> Result<ProtoSet> {
    if root.exists() {
        std::fs::remove_dir_all(root).with_context(|| format!("emptying {}", root.display()))?;
    }
    let mut files = Vec::new();
    let mut packages = Vec::new();
    for p in 0..shape.packages {
        let package = format!("bench.synth.p{p:02}.v1");
        for s in 0..shape.services_per_package {
            let service = format!("S{:03}", p * shape.services_per_package + s);
            let file = format!("bench/synth/p{p:02}/v1/{}.proto", service.to_lowercase());
            let path = root.join(&file);
            std::fs::create_dir_all(path.parent().unwrap_or(root))?;
            std::fs::write(&path, service_file(&package, &service))
                .with_context(|| format!("writing {}", path.display()))?;
            files.push(file);
        }
        packages.push(package);
    }
    Ok(ProtoSet {
        root: root.to_path_buf(),
        files,
        packages,
    })
}

/// One file: service `service` of package `package` and its messages.
pub fn service_file(package: &str, service: &str) -> String {
    let lower = service.to_lowercase();
    let mut out = String::new();
    let _ = write!(
        out,
        r#"syntax = "proto3";

// Synthetic service {service} of the codegen benchmark.
package {package};

import "google/protobuf/empty.proto";
import "temporal/v1/temporal.proto";

// {service} manages {lower} items.
service {service} {{
  option (temporal.v1.service) = {{
    task_queue: "{lower}"
  }};

  // Create creates an item; its ID comes from the name and count.
  rpc Create({service}CreateRequest) returns ({service}CreateResponse) {{
    option (temporal.v1.workflow) = {{
      id: '{lower}-create/${{! name.slug() }}/${{! count }}'
      execution_timeout: {{ seconds: 3600 }}
      query: {{ ref: "Status" }}
      signal: {{ ref: "Pause" start: true }}
      signal: {{ ref: "Resume" }}
      update: {{ ref: "Amend" start: true workflow_id_conflict_policy: WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING }}
      xns: {{
        heartbeat_timeout: {{ seconds: 30 }}
        heartbeat_interval: {{ seconds: 10 }}
        parent_close_policy: PARENT_CLOSE_POLICY_REQUEST_CANCEL
        schedule_to_close_timeout: {{ seconds: 7200 }}
      }}
    }};
  }}

  // Sync copies items from elsewhere.
  rpc Sync({service}SyncRequest) returns ({service}SyncResponse) {{
    option (temporal.v1.workflow) = {{
      id: '{lower}-sync/${{! id }}'
      task_queue: "{lower}-sync"
      retry_policy: {{
        initial_interval: {{ seconds: 1 }}
        backoff_coefficient: 2.0
        max_attempts: 3
      }}
      query: {{ ref: "Status" }}
      signal: {{ ref: "Resume" }}
      xns: {{
        task_queue: "{lower}-xns"
        start_to_close_timeout: {{ seconds: 600 }}
      }}
    }};
  }}

  // Purge removes old items.
  rpc Purge({service}PurgeRequest) returns ({service}PurgeResponse) {{
    option (temporal.v1.workflow) = {{
      run_timeout: {{ seconds: 300 }}
    }};
  }}

  // Status reports progress.
  rpc Status({service}StatusRequest) returns ({service}StatusResponse) {{
    option (temporal.v1.query) = {{}};
  }}

  // Pause pauses the work.
  rpc Pause({service}PauseRequest) returns (google.protobuf.Empty) {{
    option (temporal.v1.signal) = {{}};
  }}

  // Resume resumes the work.
  rpc Resume({service}ResumeRequest) returns (google.protobuf.Empty) {{
    option (temporal.v1.signal) = {{}};
  }}

  // Amend changes the item count.
  rpc Amend({service}AmendRequest) returns ({service}StatusResponse) {{
    option (temporal.v1.update) = {{
      id: '{lower}-amend/${{! count }}'
      validate: true
    }};
  }}

  // Fetch reads an item.
  rpc Fetch({service}FetchRequest) returns ({service}FetchResponse) {{
    option (temporal.v1.activity) = {{
      start_to_close_timeout: {{ seconds: 30 }}
    }};
  }}

  // Store writes an item.
  rpc Store({service}StoreRequest) returns ({service}StoreResponse) {{
    option (temporal.v1.activity) = {{
      schedule_to_close_timeout: {{ seconds: 120 }}
      heartbeat_timeout: {{ seconds: 10 }}
      retry_policy: {{ max_attempts: 5 }}
    }};
  }}

  // Notify sends a message.
  rpc Notify({service}NotifyRequest) returns ({service}Ack) {{
    option (temporal.v1.activity) = {{
      start_to_close_timeout: {{ seconds: 10 }}
      task_queue: "{lower}-notify"
    }};
  }}
}}

// State of an item.
enum {service}State {{
  {upper}_STATE_UNSPECIFIED = 0;
  {upper}_STATE_ACTIVE = 1;
  {upper}_STATE_PAUSED = 2;
}}

// An item.
message {service}Item {{
  string name = 1;
  int64 count = 2;
  repeated string tags = 3;
  {service}State state = 4;
  map<string, string> labels = 5;
}}

message {service}CreateRequest {{
  string name = 1;
  int64 count = 2;
  {service}Item template = 3;
}}

message {service}CreateResponse {{
  {service}Item item = 1;
}}

message {service}SyncRequest {{
  string id = 1;
  repeated {service}Item items = 2;
}}

message {service}SyncResponse {{
  int64 synced = 1;
}}

message {service}PurgeRequest {{
  int64 older_than_seconds = 1;
}}

message {service}PurgeResponse {{
  int64 removed = 1;
}}

message {service}StatusRequest {{}}

message {service}StatusResponse {{
  {service}State state = 1;
  float progress = 2;
}}

message {service}PauseRequest {{
  string reason = 1;
}}

message {service}ResumeRequest {{
  optional string note = 1;
}}

message {service}AmendRequest {{
  int64 count = 1;
}}

message {service}FetchRequest {{
  string name = 1;
}}

message {service}FetchResponse {{
  {service}Item item = 1;
}}

message {service}StoreRequest {{
  {service}Item item = 1;
}}

message {service}StoreResponse {{
  int64 version = 1;
}}

message {service}NotifyRequest {{
  string message = 1;
}}

message {service}Ack {{}}
"#,
        upper = service.to_uppercase(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_has_ten_annotated_methods() {
        let file = service_file("bench.synth.p00.v1", "S000");
        let annotated = file.matches("option (temporal.v1.").count();
        // One service option plus one per method.
        assert_eq!(annotated, 1 + METHODS_PER_SERVICE);
        assert!(file.contains("id: 's000-create/${! name.slug() }/${! count }'"));
        assert!(file.contains("xns: {"));
    }

    #[test]
    fn the_set_is_deterministic_and_laid_out_by_package() {
        let dir = std::env::temp_dir().join(format!("synth-test-{}", std::process::id()));
        let set = write(Shape::QUICK, &dir).unwrap();
        assert_eq!(
            set.files,
            [
                "bench/synth/p00/v1/s000.proto",
                "bench/synth/p00/v1/s001.proto",
                "bench/synth/p01/v1/s002.proto",
                "bench/synth/p01/v1/s003.proto",
            ]
        );
        assert_eq!(set.packages, ["bench.synth.p00.v1", "bench.synth.p01.v1"]);
        let first = std::fs::read_to_string(dir.join(&set.files[0])).unwrap();
        write(Shape::QUICK, &dir).unwrap();
        assert_eq!(
            first,
            std::fs::read_to_string(dir.join(&set.files[0])).unwrap()
        );
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(Shape::FULL.services(), 100);
    }
}
