//! Payload decoding of a message with enums, a recursive field and a
//! `google.protobuf.Struct`: `test.expr.v1.ExprInput` of the ID-expression
//! vectors, whose prost types and descriptors the expression tests have.

use super::*;

#[allow(clippy::all, dead_code)]
#[rustfmt::skip]
#[path = "../expr/vector_tests/pb.rs"]
mod pb;

use pb::ExprInput;

static EXPR_DESCRIPTORS: Descriptors = Descriptors::new(include_bytes!(
    "../../../protoc-gen-rust-temporal/tests/protos/expr/expr_test.binpb"
));

pub struct ExprSource;

impl DescriptorSource for ExprSource {
    fn descriptors() -> &'static Descriptors {
        &EXPR_DESCRIPTORS
    }
}

impl ProtoMessage for ExprInput {
    const FULL_NAME: &'static str = "test.expr.v1.ExprInput";
    type Source = ExprSource;
}

fn payload(encoding: &str, data: impl Into<Vec<u8>>) -> Payload {
    Payload {
        metadata: HashMap::from([(ENCODING_KEY.to_string(), encoding.as_bytes().to_vec())]),
        data: data.into(),
        ..Default::default()
    }
}

fn from_json(json: &str) -> Result<ExprInput, String> {
    decode::<ExprInput>(payload(JSON_PROTOBUF, json)).map_err(|e| e.to_string())
}

/// What Go's default converter makes of protojson input, as observed with
/// go.temporal.io/sdk v1.44.0 `converter.GetDefaultDataConverter().FromPayload`
/// (google.golang.org/protobuf v1.36.11) on `test.expr.v1.ExprInput`:
/// `Ok(status)` or `Err(` Go's error text `)`.
const GO_DEFAULT_CONVERTER: &[(&str, Result<i32, &str>)] = &[
    // An unknown field: rejected (DiscardUnknown is false).
    (
        r#"{"futureField":true}"#,
        Err(r#"unknown field "futureField""#),
    ),
    (
        r#"{"outerSingle":{"nope":1}}"#,
        Err(r#"unknown field "nope""#),
    ),
    // An unknown enum name: rejected (the same DiscardUnknown switch).
    (
        r#"{"status":"STATUS_NOPE"}"#,
        Err(r#"invalid value for enum field status: "STATUS_NOPE""#),
    ),
    (
        r#"{"status":"status_done"}"#,
        Err(r#"invalid value for enum field status: "status_done""#),
    ),
    (
        r#"{"status":"7"}"#,
        Err(r#"invalid value for enum field status: "7""#),
    ),
    (
        r#"{"parent":{"statuses":["STATUS_NOPE"]}}"#,
        Err(r#"invalid value for enum field statuses: "STATUS_NOPE""#),
    ),
    // Enum numbers, named or not, and names (an alias too) are accepted.
    (r#"{"status":7}"#, Ok(7)),
    (r#"{"status":-5}"#, Ok(-5)),
    (r#"{"status":"STATUS_DONE"}"#, Ok(2)),
    (r#"{"status":"STATUS_FINISHED"}"#, Ok(2)),
    (r#"{"status":null}"#, Ok(0)),
    // Out of int32: rejected.
    (
        r#"{"status":2147483648}"#,
        Err("invalid value for enum field status: 2147483648"),
    ),
];

#[test]
fn json_input_is_read_like_gos_default_converter() {
    for (json, go) in GO_DEFAULT_CONVERTER {
        let ours = from_json(json).map(|m| m.status);
        match (go, &ours) {
            (Ok(want), Ok(got)) => assert_eq!(got, want, "{json}"),
            (Err(_), Err(e)) => assert!(
                e.starts_with("cannot decode test.expr.v1.ExprInput from json/protobuf: "),
                "{json}: {e}"
            ),
            _ => panic!("{json}: Go gives {go:?}, we give {ours:?}"),
        }
    }
}

#[test]
fn unknown_enum_names_are_errors_naming_the_field_and_the_name() {
    let cases = [
        (r#"{"status":"STATUS_NOPE"}"#, "`status`", "STATUS_NOPE"),
        (
            r#"{"id":"x","statuses":["STATUS_ACTIVE","NOPE"]}"#,
            "`statuses[1]`",
            "NOPE",
        ),
        (
            r#"{"parent":{"parent":{"optionalStatus":"X"}}}"#,
            "`parent.parent.optionalStatus`",
            "X",
        ),
        (r#"{"target_status":"STATUS"}"#, "`target_status`", "STATUS"),
    ];
    for (json, field, name) in cases {
        let err = from_json(json).unwrap_err();
        assert!(
            err.starts_with("cannot decode test.expr.v1.ExprInput from json/protobuf: ")
                && err.contains(&format!(
                    "invalid value for enum field {field} (test.expr.v1.Status): \"{name}\""
                )),
            "{json}: {err}"
        );
    }
}

/// `{"parent":{"parent":...{}}}`, `depth` messages below the top.
fn nested_parents(depth: usize) -> String {
    format!("{}{{}}{}", r#"{"parent":"#.repeat(depth), "}".repeat(depth))
}

/// `{"attributes":{"a":{"a":...1}}}`: a Struct `depth` objects deep.
fn nested_struct(depth: usize) -> String {
    format!(
        r#"{{"attributes":{}1{}}}"#,
        r#"{"a":"#.repeat(depth),
        "}".repeat(depth)
    )
}

#[test]
fn json_nested_too_deeply_is_a_json_error() {
    // Within both limits.
    let mut m = from_json(&nested_parents(99)).unwrap();
    let mut depth = 0;
    while let Some(parent) = m.parent {
        m = *parent;
        depth += 1;
    }
    assert_eq!(depth, 99);
    assert!(from_json(&nested_struct(30)).is_ok());

    // Past prost's recursion limit (100 messages) but within serde_json's
    // (128): this used to be reported as a binary/protobuf error. A Struct
    // is three messages per JSON object (Struct, map entry, Value). Past
    // serde_json's: 200 levels.
    for json in [
        nested_parents(101),
        nested_parents(120),
        nested_parents(200),
        nested_struct(40),
        nested_struct(200),
    ] {
        let err = decode::<ExprInput>(payload(JSON_PROTOBUF, json.clone())).unwrap_err();
        assert_eq!(err.message_type(), "test.expr.v1.ExprInput");
        assert!(
            matches!(err.kind, PayloadErrorKind::Json(_)),
            "{}: {err:?}",
            &json[..40]
        );
        let err = err.to_string();
        assert!(
            err.starts_with("cannot decode test.expr.v1.ExprInput from json/protobuf: ")
                && err.contains("recursion limit")
                && err.len() < 200,
            "{err}"
        );
    }
}

#[test]
fn binary_nested_too_deeply_is_a_binary_error() {
    let mut m = ExprInput::default();
    for _ in 0..120 {
        m = ExprInput {
            parent: Some(Box::new(m)),
            ..Default::default()
        };
    }
    let err = decode::<ExprInput>(payload(BINARY_PROTOBUF, m.encode_to_vec())).unwrap_err();
    assert!(matches!(err.kind, PayloadErrorKind::Binary(_)), "{err:?}");

    // Writing it as JSON reads the binary encoding into a DynamicMessage,
    // with the same limit: an encoding error, not a decoding one.
    let err = encode(&m).unwrap_err().to_string();
    assert!(
        err.starts_with("cannot encode test.expr.v1.ExprInput as json/protobuf: ")
            && err.contains("recursion limit"),
        "{err}"
    );
}
