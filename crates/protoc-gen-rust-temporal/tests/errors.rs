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
fn well_known_types_without_payload_impls_are_rejected() {
    assert_error(
        "wkt_payload",
        &[
            "Svc.Run",
            "google.protobuf.Api cannot be a Temporal input or output",
            "wrap it in a message of your own",
        ],
    );
}

/// Go evaluates expressions on the input's JSON object: a Timestamp's is a
/// string, so every Go start of this workflow fails.
#[test]
fn expressions_need_an_input_whose_json_is_an_object() {
    assert_error(
        "wkt_id_input",
        &[
            "Svc.Run",
            "an ID expression needs an input whose JSON form is an object",
            "google.protobuf.Timestamp's is not",
        ],
    );
}

/// A Struct input's JSON is an object, but of free-form keys, not fields.
#[test]
fn well_known_inputs_have_no_fields_to_select() {
    assert_error(
        "wkt_field_path",
        &[
            "Svc.Run",
            "the input is the well-known type google.protobuf.Struct",
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
        &[
            "invalid/rust_name_clash.proto: Svc.Foo_Bar: activity `Foo_Bar` generates \
             `FOO_BAR_ACTIVITY_NAME` in module `svc_temporal`, which activity `FooBar` also \
             generates; rename one of them",
        ],
    );
}

#[test]
fn generated_functions_must_not_collide() {
    let err = error_for("function_clash");
    assert!(
        err.contains(
            "invalid/function_clash.proto: Svc.OrderAsync: workflow `OrderAsync` generates \
             `order_async` as a method of `SvcClient`, which workflow `Order` also generates"
        ),
        "{err}"
    );
    // The workflow named like a method of the runtime's client is renamed,
    // not rejected.
    assert!(!err.contains("Svc.Query"), "{err}");
}

/// The error for a proto written here: `body` after a header declaring
/// `package <name>;`, the schema and `google.protobuf.Empty` imports, and
/// messages `In` and `Out`.
fn error_for_source(name: &str, body: &str) -> String {
    let source = format!(
        "syntax = \"proto3\";\npackage clash.{name};\n\
         import \"google/protobuf/empty.proto\";\nimport \"temporal/v1/temporal.proto\";\n\
         message In {{ string name = 1; }}\nmessage Out {{ string value = 1; }}\n{body}"
    );
    match protoc_gen_rust_temporal::generate(&support::request_for_source(name, &source)) {
        Ok(files) => panic!("{name}: expected an error, generated {} files", files.len()),
        Err(e) => e.to_string(),
    }
}

fn assert_one_line_error(name: &str, body: &str, expected: &str) {
    let err = error_for_source(name, body);
    assert!(
        err.contains(expected),
        "error for {name} lacks {expected:?}:\n{err}"
    );
    assert!(!err.contains('\n'), "{name}: one error expected:\n{err}");
}

/// Name clashes that fuzzing found in output that did not compile; each is
/// one error naming the file, service, method(s) and both sources.
#[test]
fn clashing_generated_names_are_errors() {
    let wf = "option (temporal.v1.workflow) = {}";
    let act = "option (temporal.v1.activity) = {}";
    let cases: &[(&str, String, &str)] = &[
        (
            "activity_local",
            format!(
                "service Svc {{ rpc Foo(In) returns (Out) {{ {act}; }}\n\
                 rpc FooLocal(In) returns (Out) {{ {act}; }} }}"
            ),
            "activity_local.proto: Svc.FooLocal: activity `FooLocal` generates \
             `foo_local_activity` in module `svc_temporal`, which activity `Foo` also generates",
        ),
        (
            "secondary_marker",
            "service Svc {\n\
             rpc W(In) returns (Out) { option (temporal.v1.workflow) = { query: [{ ref: \"Q\" }] }; }\n\
             rpc A(In) returns (Out) { option (temporal.v1.workflow) = { query: [{ ref: \"Q\" }] }; }\n\
             rpc Q(In) returns (Out) { option (temporal.v1.query) = {}; }\n\
             rpc AQ(In) returns (Out) { option (temporal.v1.query) = {}; } }"
                .to_string(),
            "secondary_marker.proto: Svc.AQ: query `AQ` generates `AqQuery` in module \
             `svc_temporal`, which the query `clash.secondary_marker.Svc.Q` of workflow `A` \
             also generates",
        ),
        (
            "escaped_name",
            format!(
                "service Svc {{ rpc Query(In) returns (Out) {{ {wf}; }}\n\
                 rpc QueryWorkflow(In) returns (Out) {{ {wf}; }} }}"
            ),
            "escaped_name.proto: Svc.QueryWorkflow: workflow `QueryWorkflow` generates \
             `query_workflow` as a method of `SvcClient`, which workflow `Query` also generates",
        ),
        (
            "prost_module",
            format!(
                "message FooTemporal {{ message Inner {{ int32 x = 1; }} Inner inner = 1; }}\n\
                 service Foo {{ rpc Run(In) returns (Out) {{ {wf}; }} }}"
            ),
            "prost_module.proto: service Foo: service `Foo` (for its module) generates \
             `foo_temporal` in the module of package `clash.prost_module`, which prost \
             declares there for the module of the nested types of message \
             `clash.prost_module.FooTemporal`",
        ),
    ];
    for (name, body, expected) in cases {
        assert_one_line_error(name, body, expected);
    }
}

/// Handlers of the same name in two services, both declared by one
/// workflow, are called through their markers: nothing clashes.
#[test]
fn same_named_handlers_of_two_services_generate() {
    for (name, kind, output) in [
        ("signals", "signal", "google.protobuf.Empty"),
        ("queries", "query", "Out"),
    ] {
        let source = format!(
            "syntax = \"proto3\";\npackage clash.{name};\n\
             import \"google/protobuf/empty.proto\";\nimport \"temporal/v1/temporal.proto\";\n\
             message In {{ string name = 1; }}\nmessage Out {{ string value = 1; }}\n\
             service A {{ rpc Run(In) returns (Out) {{ option (temporal.v1.workflow) = \
             {{ {kind}: [{{ ref: \"A.Poke\" }}, {{ ref: \"B.Poke\" }}] }}; }}\n\
             rpc Poke(In) returns ({output}) {{ option (temporal.v1.{kind}) = {{}}; }} }}\n\
             service B {{ rpc Poke(In) returns ({output}) {{ option (temporal.v1.{kind}) = {{}}; }} }}"
        );
        let request = support::request_for_source(name, &source);
        if let Err(e) = protoc_gen_rust_temporal::generate(&request) {
            panic!("{name}: {e}");
        }
    }
}

/// prost's module of a sub-package (`foo_temporal` of package
/// `invalid.prost_clash.foo_temporal`) sits where the service `Foo`'s
/// module would go.
#[test]
fn a_sub_package_module_clashes_with_a_service_module() {
    assert_error(
        "prost_clash",
        &[
            "invalid/prost_clash.proto: service Foo: service `Foo` (for its module) generates \
             `foo_temporal` in the module of package `invalid.prost_clash`, which prost \
             declares there for the module of package `invalid.prost_clash.foo_temporal`",
        ],
    );
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

/// An edition other than 2023 (which protoc 3.21 cannot write, so the
/// descriptor is edited by hand, as a newer protoc would send it: a second
/// `syntax` and an `edition` appended, which protobuf reads as the values)
/// gets a clear error.
#[test]
fn editions_other_than_2023_get_a_clear_error() {
    let mut request = support::request(&["example/v1/example.proto"], "");
    let raw = request.proto_file.last_mut().unwrap();
    prost::encoding::string::encode(12, &"editions".to_string(), raw);
    prost::encoding::int32::encode(14, &1001, raw);
    let err = protoc_gen_rust_temporal::generate(&request)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("example/v1/example.proto: edition 2024 is not supported"),
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

/// Workflows `FOO_BAR` and `foo_bar` both make the run handle `FooBarRun`:
/// the clash is reported, and the handle's fixed methods listed twice are
/// not an "internal error" on top (found by the fuzz harness).
#[test]
fn a_type_declared_twice_is_one_clash_not_an_internal_error() {
    let wf = "option (temporal.v1.workflow) = { update: { ref: \"Xns\" } }";
    let body = format!(
        "service Svc {{ rpc FOO_BAR(In) returns (Out) {{ {wf}; }}\n\
         rpc foo_bar(In) returns (Out) {{ {wf}; }}\n\
         rpc Xns(In) returns (Out) {{ option (temporal.v1.update) = {{}}; }} }}"
    );
    let err = error_for_source("twice", &body);
    assert!(!err.contains("internal error"), "{err}");
    assert!(
        err.contains("twice.proto: Svc.foo_bar: workflow `foo_bar` generates"),
        "{err}"
    );
}
