//! Search attribute mappings: runtime support for the Bloblang mappings of
//! `WorkflowOptions.search_attributes` (untyped: `Name = query`) and
//! `typed_search_attributes` (`type.Name = query`).
//!
//! protoc-gen-rust-temporal compiles each assignment's query like an ID
//! expression's. The generated function evaluates them on the start input
//! and [`search_attributes`] turns the values into the payloads the Go SDK
//! writes for the same mapping: JSON (`json/plain`) as Go's
//! `encoding/json` writes it, `binary/null` for a null untyped value, and
//! for a typed mapping the `type` metadata of the attribute's indexed type,
//! after Go's conversions (`MarshalTypedSearchAttributes`).

use std::collections::BTreeMap;

use temporalio_common::protos::temporal::api::common::v1::{
    Payload, SearchAttributes as ProtoSearchAttributes,
};
use temporalio_common::search_attributes::SearchAttributes;

use super::convert;
use super::error::QueryError;
use super::json::{self, float as json_float, string as json_string};
use super::value::Value;

/// The type prefix of a typed mapping's assignment (`int64.CustomIntField`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeType {
    /// `bool`.
    Bool,
    /// `float64`.
    Float64,
    /// `int64`.
    Int64,
    /// `keyword`.
    Keyword,
    /// `string` (a Text attribute).
    String,
    /// `keyword_list` (or `list`).
    KeywordList,
    /// `time` (a Datetime attribute).
    Time,
}

impl AttributeType {
    /// The indexed value type's name, as the Go SDK writes it in a
    /// payload's `type` metadata.
    fn indexed_name(self) -> &'static str {
        match self {
            AttributeType::Bool => "Bool",
            AttributeType::Float64 => "Double",
            AttributeType::Int64 => "Int",
            AttributeType::Keyword => "Keyword",
            AttributeType::String => "Text",
            AttributeType::KeywordList => "KeywordList",
            AttributeType::Time => "Datetime",
        }
    }
}

/// What one assignment computes: a query's value, or the strings of a
/// repeated field.
#[derive(Debug, Clone, PartialEq)]
pub enum AttributeValue {
    /// A query's value.
    Scalar(Value),
    /// A `repeated string` field.
    List(Vec<String>),
}

/// One assignment of a mapping, evaluated, as generated code passes it.
#[derive(Debug)]
pub struct Assignment {
    /// The search attribute's name.
    pub name: &'static str,
    /// The type prefix of a typed mapping; `None` in an untyped one.
    pub ty: Option<AttributeType>,
    /// The query as written.
    pub query: &'static str,
    /// Its value.
    pub value: Result<AttributeValue, QueryError>,
}

/// A search attribute mapping could not be evaluated: a query failed, or
/// a value does not convert to its attribute's type. Every failing
/// assignment is reported, in mapping order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("error evaluating search attribute mapping `{mapping}`: {}", .errors.join("; "))]
pub struct MappingError {
    mapping: String,
    errors: Vec<String>,
}

impl MappingError {
    /// The mapping as written in the proto.
    pub fn mapping(&self) -> &str {
        &self.mapping
    }

    /// One message per failing assignment.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }
}

/// A generated mapping function: the search attributes of a start input.
pub type SearchAttributesFn<T> = fn(&T) -> Result<SearchAttributeValues, MappingError>;

/// The search attributes a mapping evaluated to, as payloads by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchAttributeValues {
    fields: BTreeMap<String, Payload>,
}

impl SearchAttributeValues {
    /// The payload of attribute `name`.
    pub fn get(&self, name: &str) -> Option<&Payload> {
        self.fields.get(name)
    }

    /// Whether the mapping set no attribute.
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Untyped search attributes from JSON values (the `Struct` of an XNS
    /// request), encoded as the Go SDK encodes the map Go's XNS activity
    /// reads from it; a NaN or infinity, which Go's encoder rejects, is an
    /// error.
    pub fn from_json(values: &serde_json::Map<String, serde_json::Value>) -> Result<Self, String> {
        let mut fields = BTreeMap::new();
        for (name, value) in values {
            let payload = match value {
                serde_json::Value::Null => null_payload(),
                v => {
                    // Go writes the `any` that `structpb.Value.AsInterface`
                    // makes of it.
                    let data = json::value(&json::decode(v.clone()))
                        .map_err(|e| format!("search attribute `{name}`: {e}"))?;
                    json_payload(data)
                }
            };
            fields.insert(name.clone(), payload);
        }
        Ok(Self { fields })
    }

    /// The SDK's search attributes.
    pub fn into_sdk(self) -> SearchAttributes {
        SearchAttributes::from_proto(&ProtoSearchAttributes {
            indexed_fields: self.fields.into_iter().collect(),
        })
    }
}

/// Evaluates `mapping` from its assignments. A later assignment of the same
/// name replaces an earlier one.
pub fn search_attributes(
    mapping: &str,
    assignments: impl IntoIterator<Item = Assignment>,
) -> Result<SearchAttributeValues, MappingError> {
    let mut fields = BTreeMap::new();
    let mut errors = Vec::new();
    for a in assignments {
        let payload = a
            .value
            .map_err(|e| format!("error evaluating `{}` query: {e}", a.query))
            .and_then(|value| match a.ty {
                None => untyped(&value).map_err(|e| format!("search attribute `{}`: {e}", a.name)),
                Some(ty) => typed(ty, value).map_err(|e| {
                    format!(
                        "search attribute `{}` of type `{}`: {e}",
                        a.name,
                        ty.indexed_name()
                    )
                }),
            });
        match payload {
            Ok(p) => {
                fields.insert(a.name.to_string(), p);
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(SearchAttributeValues { fields })
    } else {
        Err(MappingError {
            mapping: mapping.to_string(),
            errors,
        })
    }
}

/// The strings of a `repeated string` field: `null` when empty, as
/// protojson omits an empty list.
pub fn string_list(values: &[String]) -> Result<AttributeValue, QueryError> {
    Ok(if values.is_empty() {
        AttributeValue::Scalar(Value::Null)
    } else {
        AttributeValue::List(values.to_vec())
    })
}

/// A query's value as an assignment's.
pub fn scalar(value: Result<Value, QueryError>) -> Result<AttributeValue, QueryError> {
    value.map(AttributeValue::Scalar)
}

fn json_payload(data: String) -> Payload {
    Payload {
        metadata: [("encoding".to_string(), b"json/plain".to_vec())].into(),
        data: data.into_bytes(),
        ..Default::default()
    }
}

/// The Go SDK's payload of `nil`.
fn null_payload() -> Payload {
    Payload {
        metadata: [("encoding".to_string(), b"binary/null".to_vec())].into(),
        ..Default::default()
    }
}

/// The Go SDK's payload of an untyped value.
fn untyped(value: &AttributeValue) -> Result<Payload, String> {
    Ok(match value {
        AttributeValue::Scalar(Value::Null) => null_payload(),
        AttributeValue::Scalar(v) => json_payload(json::value(v)?),
        AttributeValue::List(items) => json_payload(json_list(items)),
    })
}

/// The Go generator's conversion of a value to `ty`, and its payload.
fn typed(ty: AttributeType, value: AttributeValue) -> Result<Payload, String> {
    let got = |v: &AttributeValue| match v {
        AttributeValue::Scalar(Value::Null) => "<nil>",
        AttributeValue::Scalar(Value::Bool(_)) => "bool",
        AttributeValue::Scalar(Value::Int(_)) => "int64",
        AttributeValue::Scalar(Value::Float(_)) => "float64",
        AttributeValue::Scalar(Value::String(_)) => "string",
        AttributeValue::Scalar(Value::Bytes(_)) => "[]uint8",
        AttributeValue::Scalar(Value::Array(_)) | AttributeValue::List(_) => "[]any",
        AttributeValue::Scalar(Value::Object(_)) => "map[string]any",
    };
    let data = match (ty, &value) {
        (AttributeType::Bool, AttributeValue::Scalar(Value::Bool(b))) => b.to_string(),
        (AttributeType::Bool, AttributeValue::Scalar(Value::String(s))) => parse_bool(s)
            .ok_or_else(|| format!("error parsing string {s:?} to bool"))?
            .to_string(),
        (AttributeType::Float64, AttributeValue::Scalar(Value::Float(f))) => json_float(*f)?,
        (AttributeType::Float64, AttributeValue::Scalar(Value::Int(i))) => json_float(*i as f64)?,
        (AttributeType::Float64, AttributeValue::Scalar(Value::String(s))) => json_float(
            s.parse::<f64>()
                .map_err(|_| format!("error parsing string {s:?} to float64"))?,
        )?,
        (AttributeType::Int64, AttributeValue::Scalar(Value::Int(i))) => i.to_string(),
        (AttributeType::Int64, AttributeValue::Scalar(Value::Float(f))) => convert::whole_i64(*f)
            .map_err(|e| format!("error casting float64 {f} to int64: {e}"))?
            .to_string(),
        (AttributeType::Int64, AttributeValue::Scalar(Value::String(s))) => s
            .parse::<i64>()
            .map_err(|_| format!("error parsing string {s:?} to int64"))?
            .to_string(),
        (
            AttributeType::Keyword | AttributeType::String,
            AttributeValue::Scalar(Value::String(s)),
        ) => json_string(s),
        (AttributeType::KeywordList, AttributeValue::List(items)) => json_list(items),
        (AttributeType::Time, AttributeValue::Scalar(Value::String(s))) => json_string(
            &convert::parse_time(s, "2006-01-02T15:04:05Z07:00")
                .ok_or_else(|| format!("error parsing string {s:?} to time.Time"))?,
        ),
        (ty, v) => {
            let expected = match ty {
                AttributeType::Bool => "bool or string",
                AttributeType::Float64 => "float64, int64, or string",
                AttributeType::Int64 => "int64, float64, or string",
                AttributeType::Keyword | AttributeType::String => "string",
                AttributeType::KeywordList => "[]any",
                AttributeType::Time => "time.Time or string",
            };
            return Err(format!("expected {expected}, got {}", got(v)));
        }
    };
    let mut payload = json_payload(data);
    payload
        .metadata
        .insert("type".to_string(), ty.indexed_name().as_bytes().to_vec());
    Ok(payload)
}

/// Go's `strconv.ParseBool`.
fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

fn json_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|s| json_string(s)).collect();
    format!("[{}]", items.join(","))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(p: &Payload) -> (String, String, Option<String>) {
        let meta = |k: &str| {
            p.metadata
                .get(k)
                .map(|v| String::from_utf8_lossy(v).into_owned())
        };
        (
            String::from_utf8_lossy(&p.data).into_owned(),
            meta("encoding").unwrap_or_default(),
            meta("type"),
        )
    }

    fn assign(name: &'static str, ty: Option<AttributeType>, value: Value) -> Assignment {
        Assignment {
            name,
            ty,
            query: " q ",
            value: Ok(AttributeValue::Scalar(value)),
        }
    }

    #[test]
    fn untyped_values_are_go_json() {
        let values = search_attributes(
            "m",
            [
                assign("S", None, Value::String("a<b>&\"c\"\u{1}".into())),
                assign("I", None, Value::Int(-3)),
                assign("F", None, Value::Float(1.5)),
                assign("N", None, Value::Null),
                Assignment {
                    name: "L",
                    ty: None,
                    query: " l ",
                    value: string_list(&["x".to_string(), "y".to_string()]),
                },
            ],
        )
        .unwrap();
        let get = |n| text(values.get(n).unwrap());
        assert_eq!(get("S").0, "\"a\\u003cb\\u003e\\u0026\\\"c\\\"\\u0001\"");
        assert_eq!(get("I"), ("-3".into(), "json/plain".into(), None));
        assert_eq!(get("F").0, "1.5");
        assert_eq!(get("N"), (String::new(), "binary/null".into(), None));
        assert_eq!(get("L").0, "[\"x\",\"y\"]");
    }

    #[test]
    fn typed_values_convert_as_go_does() {
        let values = search_attributes(
            "m",
            [
                assign("K", Some(AttributeType::Keyword), Value::String("k".into())),
                assign("I", Some(AttributeType::Int64), Value::String("42".into())),
                assign("D", Some(AttributeType::Float64), Value::Int(2)),
                assign("B", Some(AttributeType::Bool), Value::String("T".into())),
                assign(
                    "T",
                    Some(AttributeType::Time),
                    Value::String("2024-01-02T03:04:05.500+00:00".into()),
                ),
            ],
        )
        .unwrap();
        let get = |n| text(values.get(n).unwrap());
        assert_eq!(
            get("K"),
            ("\"k\"".into(), "json/plain".into(), Some("Keyword".into()))
        );
        assert_eq!(
            get("I"),
            ("42".into(), "json/plain".into(), Some("Int".into()))
        );
        assert_eq!(get("D").0, "2");
        assert_eq!(get("B").0, "true");
        assert_eq!(
            get("T"),
            (
                "\"2024-01-02T03:04:05.5Z\"".into(),
                "json/plain".into(),
                Some("Datetime".into())
            )
        );
        let err = search_attributes(
            "m",
            [
                assign("K", Some(AttributeType::Keyword), Value::Null),
                assign("I", Some(AttributeType::Int64), Value::String("0x1".into())),
            ],
        )
        .unwrap_err();
        assert_eq!(
            err.errors(),
            [
                "search attribute `K` of type `Keyword`: expected string, got <nil>",
                "search attribute `I` of type `Int`: error parsing string \"0x1\" to int64",
            ]
        );
    }

    #[test]
    fn json_attributes_are_written_as_go_writes_a_structpb_map() {
        let values: serde_json::Map<String, serde_json::Value> = serde_json::from_str(
            r#"{"K":"a&b","N":123,"F":0.5,"B":true,"Z":null,"L":["x",1],"O":{"b":1,"a":"<"}}"#,
        )
        .unwrap();
        let values = SearchAttributeValues::from_json(&values).unwrap();
        let data = |n| String::from_utf8_lossy(&values.get(n).unwrap().data).into_owned();
        assert_eq!(data("K"), "\"a\\u0026b\"");
        assert_eq!(data("N"), "123");
        assert_eq!(data("F"), "0.5");
        assert_eq!(data("B"), "true");
        assert_eq!(data("Z"), "");
        assert_eq!(data("L"), "[\"x\",1]");
        assert_eq!(data("O"), "{\"a\":\"\\u003c\",\"b\":1}");
        assert_eq!(
            text(values.get("Z").unwrap()).1,
            "binary/null",
            "a null is Go's nil"
        );
    }

    #[test]
    fn floats_are_written_as_go_json_writes_them() {
        for (f, want) in [
            (0.0, "0"),
            (3.0, "3"),
            (0.1, "0.1"),
            (1e-6, "0.000001"),
            (1e-7, "1e-7"),
            (1.5e-10, "1.5e-10"),
            (1e20, "100000000000000000000"),
            (1e21, "1e+21"),
            (-2.5e300, "-2.5e+300"),
        ] {
            assert_eq!(json_float(f).unwrap(), want, "{f}");
        }
        assert!(json_float(f64::NAN).is_err());
    }
}
