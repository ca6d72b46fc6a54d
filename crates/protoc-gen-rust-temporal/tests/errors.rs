//! Every invalid case yields a clear error naming file, service and method,
//! reported through `CodeGeneratorResponse.error`, never a panic.

mod support;

use prost::Message;
use prost_types::compiler::CodeGeneratorResponse;

fn error_for(name: &str) -> String {
    support::generation_error(&[&format!("invalid/{name}.proto")])
}

fn assert_error(name: &str, expected: &[&str]) {
    let err = error_for(name);
    for part in expected {
        assert!(
            err.contains(part),
            "error for {name} lacks {part:?}:\n{err}"
        );
    }
}

#[test]
fn unknown_ref() {
    assert_error(
        "unknown_ref",
        &[
            "invalid/unknown_ref.proto: Svc.Run",
            "query ref `Missing` does not name a method",
        ],
    );
}

#[test]
fn ambiguous_ref() {
    let err = support::generation_error(&[
        "invalid/ambiguous_ref.proto",
        "invalid/ambiguous_other.proto",
    ]);
    assert!(
        err.contains("Other.Run") && err.contains("query ref `Other.Look` is ambiguous"),
        "{err}"
    );
    assert!(
        err.contains("`Other.Look`") && err.contains("`amb.Other.Look`"),
        "{err}"
    );
}

#[test]
fn ref_to_the_wrong_kind() {
    assert_error(
        "wrong_kind_ref",
        &["Svc.Run", "signal ref `Look`", "not annotated as a signal"],
    );
}

#[test]
fn a_ref_to_an_invalid_handler_reports_only_the_handler() {
    let err = error_for("broken_handler_ref");
    assert!(
        err.contains("Svc.Poke") && err.contains("a signal must return google.protobuf.Empty"),
        "{err}"
    );
    assert!(err.contains("Svc.Look"), "{err}");
    // The refs are fine: the handlers they name are annotated, only invalid.
    assert!(!err.contains("not annotated"), "{err}");
}

#[test]
fn invalid_kind_combination() {
    assert_error(
        "bad_combination",
        &["Svc.Both", "invalid combination of kinds workflow + query"],
    );
}

#[test]
fn signal_output_must_be_empty() {
    assert_error(
        "signal_output",
        &[
            "Svc.Poke",
            "a signal must return google.protobuf.Empty, not invalid.signal_output.Out",
        ],
    );
}

#[test]
fn duplicate_temporal_names() {
    assert_error(
        "duplicate_names",
        &["Svc.Two", "duplicate workflow name `same`", "Svc.One"],
    );
}

#[test]
fn unknown_field_in_expression() {
    assert_error("bad_expression", &["Svc.Run", "nme", "x/${! nme }"]);
}

#[test]
fn unsupported_expression_method() {
    assert_error("unsupported_method", &["Svc.Run", "re_replace_all"]);
}

#[test]
fn unterminated_expression() {
    assert_error("unterminated", &["Svc.Run", "unterminated"]);
}

#[test]
fn map_fields_are_rejected_in_expressions() {
    assert_error("map_in_expression", &["Svc.Run", "labels"]);
}

#[test]
fn well_known_types_cannot_be_payloads() {
    assert_error(
        "wkt_payload",
        &[
            "Svc.Run",
            "google.protobuf.Timestamp cannot be a Temporal input or output",
        ],
    );
}

#[test]
fn query_must_return_a_message() {
    assert_error(
        "query_empty_output",
        &["Svc.Look", "a query must return a message"],
    );
}

#[test]
fn generated_rust_names_must_not_collide() {
    assert_error(
        "rust_name_clash",
        &["Svc.Foo_Bar", "generated name `foo_bar` collides"],
    );
}

#[test]
fn generated_functions_must_not_collide() {
    let err = error_for("function_clash");
    assert!(
        err.contains("Svc.GetOrder")
            && err.contains("generated function `get_order` of query GetOrder collides with one of workflow Order"),
        "{err}"
    );
    assert!(!err.contains("CancelWorkflow"), "{err}");
}

#[test]
fn all_errors_are_reported_together() {
    let err = error_for("many_errors");
    assert!(err.contains("Svc.A") && err.contains("`Nope`"), "{err}");
    assert!(
        err.contains("Svc.B") && err.contains("a signal must return"),
        "{err}"
    );
}

#[test]
fn errors_go_back_in_the_response() {
    let request = support::request(&["invalid/unknown_ref.proto"], "");
    let response = CodeGeneratorResponse::decode(
        protoc_gen_rust_temporal::run(&request.encode_to_vec()).as_slice(),
    )
    .unwrap();
    assert!(response.file.is_empty());
    assert!(response.error.unwrap().contains("does not name a method"));
}

#[test]
fn bad_parameters_are_errors() {
    let request = support::request(&["example/v1/example.proto"], "no_such_option=1");
    let response = CodeGeneratorResponse::decode(
        protoc_gen_rust_temporal::run(&request.encode_to_vec()).as_slice(),
    )
    .unwrap();
    assert!(
        response
            .error
            .unwrap()
            .contains("unknown parameter `no_such_option`")
    );
}

#[test]
fn garbage_requests_do_not_panic() {
    for bytes in [&b"\xff\xff\xff"[..], b"", b"\x7a\x03abc", b"\x0a\x01"] {
        let response =
            CodeGeneratorResponse::decode(protoc_gen_rust_temporal::run(bytes).as_slice()).unwrap();
        // Either an error, or (for an empty request) nothing to do.
        assert!(response.file.is_empty());
    }
}

/// An editions file (which protoc 3.21 cannot write, so the descriptor is
/// built by hand, as a newer protoc would send it) gets a clear error.
#[test]
fn editions_files_get_a_clear_error() {
    let mut request = support::request(&["example/v1/example.proto"], "");
    let mut file =
        prost_types::FileDescriptorProto::decode(request.proto_file.last().unwrap().as_slice())
            .unwrap();
    file.syntax = Some("editions".into());
    *request.proto_file.last_mut().unwrap() = file.encode_to_vec();
    let err = protoc_gen_rust_temporal::generate(&request)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("example/v1/example.proto: protobuf editions are not supported"),
        "{err}"
    );
}

#[test]
fn names_that_give_no_rust_identifier_are_errors_not_panics() {
    // A method `_1` gave the constant `1_ACTIVITY_NAME`, and a message `_`
    // no type name: both panicked while rendering.
    assert_error(
        "unusable_idents",
        &[
            "invalid/unusable_idents.proto: Svc._1",
            "method name `_1` cannot name Rust items",
            "input message name `_` cannot name Rust items",
        ],
    );
}
