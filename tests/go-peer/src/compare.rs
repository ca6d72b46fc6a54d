//! Comparing recorded requests of the Go client with ours: both are
//! normalised (fields each SDK sets per connection or per call dropped,
//! payloads decoded, random ID parts replaced by their shape), then diffed
//! field by field.

use std::collections::BTreeSet;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Map, Value};

/// Request fields that each client sets per connection or per call, not
/// from the proto: never compared.
pub const PER_CALL_FIELDS: &[&str] = &["namespace", "identity", "requestId"];

/// One differing top-level field of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldDiff {
    /// The top-level field (protojson name).
    pub field: String,
    /// Go's value, or `-` if unset.
    pub go: String,
    /// Ours, or `-` if unset.
    pub rust: String,
}

impl std::fmt::Display for FieldDiff {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: Go {} / Rust {}", self.field, self.go, self.rust)
    }
}

/// Values the server reads exactly as an unset field, which one SDK writes
/// and the other leaves out: a zero duration (`0s`, no timeout), the
/// normal task queue kind (the default of a workflow's task queue), and the
/// query reject condition NONE (the server rejects a query only for
/// NOT_OPEN and NOT_COMPLETED_CLEANLY).
const SAME_AS_UNSET: &[&str] = &[
    "0s",
    "TASK_QUEUE_KIND_NORMAL",
    "QUERY_REJECT_CONDITION_NONE",
];

/// A request as compared: per-call fields dropped, payloads decoded,
/// random parts of the workflow ID replaced by their shape, and values the
/// server reads as unset (see [`SAME_AS_UNSET`], and empty messages such
/// as a header or priority with nothing in them) removed.
pub fn normalise(request: &Value) -> Value {
    let mut request = request.clone();
    if let Value::Object(fields) = &mut request {
        for field in PER_CALL_FIELDS {
            fields.remove(*field);
        }
        if let Some(Value::String(id)) = fields.get_mut("workflowId") {
            *id = id_shape(id);
        }
    }
    decode_payloads(&mut request);
    drop_unset(&mut request);
    request
}

/// Removes fields whose value the server reads as unset, bottom up.
fn drop_unset(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            fields.values_mut().for_each(drop_unset);
            fields.retain(|_, v| !reads_as_unset(v));
        }
        Value::Array(items) => items.iter_mut().for_each(drop_unset),
        _ => {}
    }
}

fn reads_as_unset(value: &Value) -> bool {
    match value {
        Value::Object(fields) => fields.is_empty(),
        Value::String(s) => SAME_AS_UNSET.contains(&s.as_str()),
        _ => false,
    }
}

/// The top-level fields that differ between Go's request and ours.
pub fn diff(go: &Value, rust: &Value) -> Vec<FieldDiff> {
    let empty = Map::new();
    let go = go.as_object().unwrap_or(&empty);
    let rust = rust.as_object().unwrap_or(&empty);
    let keys: BTreeSet<&String> = go.keys().chain(rust.keys()).collect();
    keys.into_iter()
        .filter(|k| go.get(*k) != rust.get(*k))
        .map(|k| FieldDiff {
            field: k.clone(),
            go: show(go.get(k)),
            rust: show(rust.get(k)),
        })
        .collect()
}

/// A JSON value as a diff shows it, `-` when unset.
pub fn show(value: Option<&Value>) -> String {
    value.map_or_else(|| "-".to_string(), Value::to_string)
}

/// Replaces the random parts an ID expression can produce (`uuid_v4()`
/// anywhere; `ksuid()` and `nanoid()` as a whole `/`-separated segment)
/// with a placeholder naming their kind, so IDs from two runs compare equal
/// when they have the same shape.
pub fn id_shape(id: &str) -> String {
    let mut shaped = String::new();
    let mut rest = id;
    while !rest.is_empty() {
        if rest.len() >= 36 && rest.is_char_boundary(36) && is_uuid(&rest[..36]) {
            shaped.push_str("<uuid>");
            rest = &rest[36..];
            continue;
        }
        let ch = rest.chars().next().expect("not empty");
        shaped.push(ch);
        rest = &rest[ch.len_utf8()..];
    }
    shaped
        .split('/')
        .map(|part| {
            if part.len() == 27 && part.chars().all(|c| c.is_ascii_alphanumeric()) {
                "<ksuid>"
            } else if part.len() == 21 && part.chars().all(is_nanoid_char) {
                "<nanoid>"
            } else {
                part
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

fn is_nanoid_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Decodes every `Payload` (an object with base64 `metadata` values and
/// `data`) in place: metadata to strings, JSON data to JSON, other data to
/// a string when it is UTF-8.
fn decode_payloads(value: &mut Value) {
    match value {
        Value::Object(fields) => {
            let is_payload = fields.keys().all(|k| k == "metadata" || k == "data")
                && fields.contains_key("metadata");
            if is_payload {
                if let Some(Value::Object(meta)) = fields.get_mut("metadata") {
                    for v in meta.values_mut() {
                        if let Some(text) = v.as_str().and_then(decode_text) {
                            *v = Value::String(text);
                        }
                    }
                }
                if let Some(data) = fields.get_mut("data")
                    && let Some(text) = data.as_str().and_then(decode_text)
                {
                    *data = serde_json::from_str(&text).unwrap_or(Value::String(text));
                    shape_strings(data);
                }
                return;
            }
            for v in fields.values_mut() {
                decode_payloads(v);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(decode_payloads),
        _ => {}
    }
}

/// Random IDs inside a payload (an XNS request's update ID, say) become
/// their shape, as in [`id_shape`].
fn shape_strings(value: &mut Value) {
    match value {
        Value::String(s) => *s = id_shape(s),
        Value::Array(items) => items.iter_mut().for_each(shape_strings),
        Value::Object(fields) => fields.values_mut().for_each(shape_strings),
        _ => {}
    }
}

fn decode_text(b64: &str) -> Option<String> {
    let bytes = STANDARD.decode(b64).ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn random_id_parts_become_their_shape() {
        assert_eq!(
            id_shape("foo/9b2c8a4e-3f1d-4c2b-9a7e-0123456789ab"),
            "foo/<uuid>"
        );
        assert_eq!(id_shape("what/2Qx1KpZrT9vY3mN8bW4cD6eF0gH"), "what/<ksuid>");
        assert_eq!(id_shape("create-foo/bar"), "create-foo/bar");
        assert_eq!(id_shape("cart/wl0G2YSAWYqq0q-n7xkwk"), "cart/<nanoid>");
        assert_eq!(
            id_shape("Sample_9b2c8a4e-3f1d-4c2b-9a7e-0123456789ab"),
            "Sample_<uuid>"
        );
    }

    #[test]
    fn values_the_server_reads_as_unset_are_dropped() {
        let request = json!({
            "header": {},
            "priority": {},
            "workflowRunTimeout": "0s",
            "taskQueue": {"name": "q", "kind": "TASK_QUEUE_KIND_NORMAL"},
            "retryPolicy": {"maximumAttempts": 3},
        });
        assert_eq!(
            normalise(&request),
            json!({"taskQueue": {"name": "q"}, "retryPolicy": {"maximumAttempts": 3}})
        );
    }

    #[test]
    fn payloads_are_decoded_and_per_call_fields_dropped() {
        let request = json!({
            "namespace": "ns-a",
            "requestId": "r1",
            "workflowId": "x",
            "input": {"payloads": [{
                "metadata": {"encoding": STANDARD.encode("json/protobuf")},
                "data": STANDARD.encode(r#"{"name":"a"}"#),
            }]},
        });
        assert_eq!(
            normalise(&request),
            json!({
                "workflowId": "x",
                "input": {"payloads": [{
                    "metadata": {"encoding": "json/protobuf"},
                    "data": {"name": "a"},
                }]},
            })
        );
    }

    #[test]
    fn diff_names_each_differing_top_level_field() {
        let go = json!({"a": 1, "b": {"c": 2}, "same": true});
        let rust = json!({"b": {"c": 3}, "same": true, "d": "x"});
        let fields: Vec<String> = diff(&go, &rust).into_iter().map(|d| d.field).collect();
        assert_eq!(fields, ["a", "b", "d"]);
        assert_eq!(
            diff(&go, &rust)[0].to_string(),
            "a: Go 1 / Rust -",
            "unset shows as -"
        );
    }
}
