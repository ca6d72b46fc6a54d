//! `temporal.v1` option blocks in text format: mostly well-formed values a
//! user would write, with edge values (zero and maximal durations, odd
//! names, odd retry coefficients) mixed in.

use super::text::quote;
use crate::dict;
use crate::rng::Rng;

/// A `google.protobuf.Duration` literal: zero, nanos only, the largest
/// valid one, a year, or minutes to an hour.
pub fn duration(rng: &mut Rng) -> String {
    let (seconds, nanos): (i64, i32) = match rng.below(10) {
        0 => (0, 0),
        1 => (0, rng.range(1, 999_999_999) as i32),
        2 => (315_576_000_000, 999_999_999),
        3 => (86_400 * 365, 0),
        _ => (rng.range(1, 3600) as i64, 0),
    };
    if nanos == 0 {
        format!("{{ seconds: {seconds} }}")
    } else {
        format!("{{ seconds: {seconds} nanos: {nanos} }}")
    }
}

/// Each of the duration options `keys`, set with probability `percent`.
fn durations(rng: &mut Rng, keys: &[&str], percent: u32, parts: &mut Vec<String>) {
    for key in keys {
        if rng.chance(percent) {
            parts.push(format!("{key}: {}", duration(rng)));
        }
    }
}

fn name(rng: &mut Rng) -> String {
    if rng.bad(30) {
        return quote(rng.pick::<&str>(dict::STRINGS));
    }
    match rng.below(6) {
        0 => quote(&format!(
            "{}.{}",
            rng.pick(dict::IDENTS),
            rng.pick(dict::IDENTS)
        )),
        1 => quote(rng.pick::<&str>(dict::IDENTS)),
        2 => quote(&format!("custom.{}", rng.pick(dict::IDENTS))),
        _ => quote(&format!("name-{}", rng.below(4))),
    }
}

fn retry_policy(rng: &mut Rng) -> String {
    let mut out = String::from("{");
    if rng.chance(50) {
        out += &format!(" initial_interval: {}", duration(rng));
    }
    if rng.chance(50) {
        let c = if !rng.bad(40) {
            format!("{}", rng.range(1, 4))
        } else {
            match rng.below(5) {
                0 => "inf".to_string(),
                1 => "nan".to_string(),
                2 => "0.5".to_string(),
                3 => "1e308".to_string(),
                _ => "-1".to_string(),
            }
        };
        out += &format!(" backoff_coefficient: {c}");
    }
    if rng.chance(40) {
        out += &format!(" max_interval: {}", duration(rng));
    }
    if rng.chance(50) {
        let n: i64 = if rng.bad(20) {
            -1
        } else {
            *rng.pick(&[0, 1, 3, 2147483647])
        };
        out += &format!(" max_attempts: {n}");
    }
    if rng.chance(30) {
        out += &format!(" non_retryable_error_types: [{}]", name(rng));
    }
    out + " }"
}

fn xns(rng: &mut Rng) -> String {
    let mut parts = Vec::new();
    if rng.chance(30) {
        parts.push(format!("task_queue: {}", name(rng)));
    }
    durations(
        rng,
        &[
            "schedule_to_close_timeout",
            "schedule_to_start_timeout",
            "start_to_close_timeout",
            "heartbeat_timeout",
            "heartbeat_interval",
        ],
        25,
        &mut parts,
    );
    if rng.chance(20) {
        parts.push(format!("retry_policy: {}", retry_policy(rng)));
    }
    if rng.chance(15) {
        parts.push(format!("name: {}", name(rng)));
    }
    if rng.chance(20) {
        parts.push(format!("parent_close_policy: {}", rng.pick(PARENT_CLOSE)));
    }
    format!("{{ {} }}", parts.join(" "))
}

const PARENT_CLOSE: &[&str] = &[
    "PARENT_CLOSE_POLICY_UNSPECIFIED",
    "PARENT_CLOSE_POLICY_TERMINATE",
    "PARENT_CLOSE_POLICY_ABANDON",
    "PARENT_CLOSE_POLICY_REQUEST_CANCEL",
];
const WAIT: &[&str] = &[
    "WAIT_POLICY_UNSPECIFIED",
    "WAIT_POLICY_ADMITTED",
    "WAIT_POLICY_ACCEPTED",
    "WAIT_POLICY_COMPLETED",
];
const CONFLICT: &[&str] = &[
    "WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED",
    "WORKFLOW_ID_CONFLICT_POLICY_FAIL",
    "WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING",
    "WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING",
];

/// A handler a workflow may reference.
pub struct HandlerRef {
    /// `query`, `signal` or `update`.
    pub kind: &'static str,
    /// As the workflow writes it: `Method` or `pkg.Service.Method`.
    pub reference: String,
}

/// The body of `option (temporal.v1.workflow) = { ... }`.
pub fn workflow(rng: &mut Rng, id: Option<String>, refs: &[HandlerRef]) -> String {
    let mut parts = Vec::new();
    for r in refs {
        let mut body = format!("ref: {}", quote(&r.reference));
        if rng.chance(30) {
            body += &format!(" xns: {}", xns(rng));
        }
        match r.kind {
            "signal" if rng.chance(40) => body += " start: true",
            "update" => {
                if rng.chance(40) {
                    body += " start: true";
                }
                if rng.chance(30) {
                    body += &format!(" workflow_id_conflict_policy: {}", rng.pick(CONFLICT));
                }
                if rng.chance(30) {
                    body += &format!(" validate: {}", rng.chance(50));
                }
            }
            _ => {}
        }
        parts.push(format!("{}: {{ {body} }}", r.kind));
    }
    if let Some(id) = id {
        parts.push(format!("id: {}", quote(&id)));
    }
    durations(
        rng,
        &["execution_timeout", "run_timeout", "task_timeout"],
        20,
        &mut parts,
    );
    if rng.chance(15) {
        parts.push(format!(
            "id_reuse_policy: {}",
            rng.pick(&[
                "WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED",
                "WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE",
                "WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY",
                "WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE",
                "WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING",
            ])
        ));
    }
    if rng.chance(15) {
        parts.push(format!("parent_close_policy: {}", rng.pick(PARENT_CLOSE)));
    }
    if rng.chance(20) {
        parts.push(format!("retry_policy: {}", retry_policy(rng)));
    }
    if rng.chance(25) {
        parts.push(format!("task_queue: {}", name(rng)));
    }
    if rng.chance(10) {
        parts.push(format!("wait_for_cancellation: {}", rng.chance(50)));
    }
    if rng.chance(20) {
        parts.push(format!("name: {}", name(rng)));
    }
    if rng.chance(10) {
        parts.push(format!("aliases: [{}, {}]", name(rng), name(rng)));
    }
    if rng.chance(20) {
        parts.push(format!("xns: {}", xns(rng)));
    }
    if rng.chance(10) {
        parts.push(format!(
            "workflow_id_conflict_policy: {}",
            rng.pick(CONFLICT)
        ));
    }
    if rng.chance(5) {
        parts.push("search_attributes: \"root = {}\"".to_string());
    }
    if rng.chance(5) {
        parts.push("enable_eager_start: true".to_string());
    }
    if rng.chance(5) {
        parts.push(format!("priority: {{ priority_key: {} }}", rng.range(0, 5)));
    }
    format!("{{ {} }}", parts.join(" "))
}

/// The body of `option (temporal.v1.activity) = { ... }`.
pub fn activity(rng: &mut Rng) -> String {
    let mut parts = Vec::new();
    if rng.chance(25) {
        parts.push(format!("task_queue: {}", name(rng)));
    }
    durations(
        rng,
        &[
            "schedule_to_close_timeout",
            "schedule_to_start_timeout",
            "start_to_close_timeout",
            "heartbeat_timeout",
        ],
        35,
        &mut parts,
    );
    if rng.chance(20) {
        parts.push(format!("retry_policy: {}", retry_policy(rng)));
    }
    if rng.chance(20) {
        parts.push(format!("name: {}", name(rng)));
    }
    if rng.chance(10) {
        parts.push(format!("wait_for_cancellation: {}", rng.chance(50)));
    }
    format!("{{ {} }}", parts.join(" "))
}

/// The body of a query or signal option.
pub fn handler(rng: &mut Rng) -> String {
    let mut parts = Vec::new();
    if rng.chance(25) {
        parts.push(format!("name: {}", name(rng)));
    }
    if rng.chance(20) {
        parts.push(format!("xns: {}", xns(rng)));
    }
    format!("{{ {} }}", parts.join(" "))
}

/// The body of an update option.
pub fn update(rng: &mut Rng, id: Option<String>) -> String {
    let mut parts = Vec::new();
    if let Some(id) = id {
        parts.push(format!("id: {}", quote(&id)));
    }
    if rng.chance(30) {
        parts.push(format!("validate: {}", rng.chance(50)));
    }
    if rng.chance(15) {
        parts.push(format!("wait_policy: {}", rng.pick(WAIT)));
    }
    if rng.chance(15) {
        parts.push(format!("wait_for_stage: {}", rng.pick(WAIT)));
    }
    if rng.chance(25) {
        parts.push(format!("name: {}", name(rng)));
    }
    if rng.chance(20) {
        parts.push(format!("xns: {}", xns(rng)));
    }
    format!("{{ {} }}", parts.join(" "))
}

/// `option (temporal.v1.service) = { ... }`'s body.
pub fn service(rng: &mut Rng) -> String {
    if rng.chance(70) {
        format!("{{ task_queue: {} }}", name(rng))
    } else {
        "{}".to_string()
    }
}
