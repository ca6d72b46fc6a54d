//! Inputs at and past the generator's limits (huge numbers, deep
//! nesting, non-finite or negative options, control characters) give a
//! clear error naming file, service and method, on one line, never a panic.

mod support;

use protoc_gen_rust_temporal::RawRequest;

fn error_for(name: &str) -> String {
    support::generation_error(&[&format!("invalid/{name}.proto")])
}

#[test]
fn a_number_past_f64_range_in_an_id_expression_is_an_error() {
    let err = error_for("huge_number");
    let literal = format!("1{}", "0".repeat(309));
    assert!(
        err.starts_with("invalid/huge_number.proto: Svc.Run: syntax error")
            && err.contains(&format!("number `{literal}` is out of range")),
        "{err}"
    );
}

#[test]
fn retry_coefficients_durations_and_priorities_out_of_range_are_errors() {
    let err = error_for("bad_numbers");
    let lines: Vec<&str> = err.lines().collect();
    let expected = [
        "Svc.InfBackoff: `(temporal.v1.workflow).retry_policy.backoff_coefficient` must be a finite number of at least 1 (or 0 for the server's default), got inf",
        "Svc.NanBackoff: `(temporal.v1.activity).retry_policy.backoff_coefficient` must be a finite number of at least 1 (or 0 for the server's default), got NaN",
        "Svc.NegativeBackoff: `(temporal.v1.workflow).xns.retry_policy.backoff_coefficient` must be a finite number of at least 1 (or 0 for the server's default), got -2",
        "Svc.SmallBackoff: `(temporal.v1.update).xns.retry_policy.backoff_coefficient` must be a finite number of at least 1 (or 0 for the server's default), got 0.5",
        "Svc.NegInfBackoff: `(temporal.v1.query).xns.retry_policy.backoff_coefficient` must be a finite number of at least 1 (or 0 for the server's default), got -inf",
        "Svc.NegativeAttempts: `(temporal.v1.signal).xns.retry_policy.max_attempts` must not be negative, got -1",
        "Svc.NegativeSeconds: `(temporal.v1.workflow).execution_timeout` must not be negative: seconds -1, nanos 0",
        "Svc.NegativeNanos: `(temporal.v1.activity).start_to_close_timeout` must not be negative: seconds 0, nanos -5",
        "Svc.NanosOutOfRange: `(temporal.v1.activity).retry_policy.initial_interval` has nanos out of range (at most 999999999): seconds 0, nanos 1000000000",
        "Svc.HugeDuration: `(temporal.v1.workflow).xns.heartbeat_interval` is out of google.protobuf.Duration's range (at most 315576000000 seconds, 10000 years): seconds 9223372036854775807, nanos 0",
        "Svc.NegativePriority: `(temporal.v1.workflow).priority.priority_key` must not be negative, got -1",
        "Svc.NanWeight: `(temporal.v1.activity).priority.fairness_weight` must be a finite number of at least 0, got NaN",
        "Svc.RefXns: `(temporal.v1.workflow).query[1].xns.retry_policy.max_interval` must not be negative: seconds -3, nanos 0",
    ];
    for want in expected {
        let want = format!("invalid/bad_numbers.proto: {want}");
        assert!(
            lines.contains(&want.as_str()),
            "missing {want:?} in:\n{err}"
        );
    }
    assert_eq!(lines.len(), expected.len(), "{err}");
}

#[test]
fn the_largest_valid_durations_and_coefficients_generate() {
    let request = support::request(&["limits/max_values.proto"], "");
    let files = protoc_gen_rust_temporal::generate(&request).expect("generates");
    let code = &files[0].content;
    assert!(
        code.contains("Duration::new(315576000000u64, 999999999u32)"),
        "{code}"
    );
}

#[test]
fn errors_quoting_names_with_control_characters_stay_on_one_line() {
    let err = error_for("control_chars");
    let lines: Vec<&str> = err.lines().collect();
    let expected = [
        "Svc.Two: duplicate workflow name `a\\nb`: also used by Svc.One",
        "Svc.Three: unknown field `nme` on message `invalid.control_chars.In` in ID expression `x/${! nme }\\r\\n\\u{1b}`",
        "Svc.Four: query ref `Lo\\tok` does not name a method (write `Method`, `Service.Method` or `pkg.Service.Method`)",
    ];
    for want in expected {
        let want = format!("invalid/control_chars.proto: {want}");
        assert!(
            lines.contains(&want.as_str()),
            "missing {want:?} in:\n{err}"
        );
    }
    assert_eq!(lines.len(), expected.len(), "{err}");
}

/// Lone CRs (and CRLFs) in proto comments, and control characters and
/// backticks in Temporal names, templates, aliases and task queues, give
/// code that parses: comments have their line ends normalised, names in
/// docs are escaped code spans, and string literals are escaped by quote.
#[test]
fn control_characters_in_comments_and_names_give_valid_code() {
    let source = "syntax = \"proto3\";\n\
        package limits.cr;\n\
        import \"temporal/v1/temporal.proto\";\n\
        message In { string name = 1; }\n\
        message Out { string value = 1; }\n\
        // A service comment\rwith lone CRs\r\rand a CRLF\r\n// line.\n\
        service Svc {\n\
          option (temporal.v1.service) = { task_queue: \"q\\r\\n\" };\n\
          // Runs.\r/ not a comment start\r\n\
          rpc Run(In) returns (Out) {\n\
            option (temporal.v1.workflow) = {\n\
              name: \"a\\rb`c\\n\"\n\
              aliases: [\"x\\r\\ty\", \"``\"]\n\
              id: \"id/\\r${! name }\\n\"\n\
              task_queue: \"t\\r\"\n\
            };\n\
          }\n\
          // Looks.\r\n\
          rpc Look(In) returns (Out) { option (temporal.v1.query) = { name: \"\\r\" }; }\n\
        }\n";
    let request = support::request_for_source("cr", source);
    let files = protoc_gen_rust_temporal::generate(&request).expect("generates");
    let code = &files[0].content;
    if let Err(e) = syn::parse_file(code) {
        panic!("generated code does not parse: {e}\n{code}");
    }
    assert!(!code.contains('\r'), "{code}");
    assert!(
        code.contains("/// A service comment\n/// with lone CRs\n///\n/// and a CRLF"),
        "{code}"
    );
    assert!(code.contains("``a\\rb`c\\n``"), "{code}");
    assert!(code.contains("\"a\\rb`c\\n\""), "{code}");
}

/// A proto whose workflow ID is `template` (on `In`, which has a `name`
/// and a recursive `parent`).
fn id_proto(template: &str) -> String {
    format!(
        "syntax = \"proto3\";\n\
         package limits.deep;\n\
         import \"temporal/v1/temporal.proto\";\n\
         message In {{ string name = 1; In parent = 2; }}\n\
         message Out {{ string value = 1; }}\n\
         service Svc {{\n\
           rpc Run(In) returns (Out) {{ option (temporal.v1.workflow) = {{ id: {template:?} }}; }}\n\
         }}\n"
    )
}

/// Stack size of the thread the deep-nesting tests generate on: well under
/// the 2 MiB of a spawned thread. The whole generation of a template at the
/// nesting limit takes about 550 KiB in a debug build.
const SMALL_STACK: usize = 768 * 1024;

fn generate_on_small_stack(request: RawRequest) -> Result<String, String> {
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || match protoc_gen_rust_temporal::generate(&request) {
            Ok(files) => {
                let code = files[0].content.clone();
                syn::parse_file(&code).map_err(|e| format!("does not parse: {e}"))?;
                Ok(code)
            }
            Err(e) => Err(e.to_string()),
        })
        .expect("spawn")
        .join()
        .expect("generation panicked")
}

/// Nested `or`s (a call and a closure per level: the most stack per level)
/// at exactly the limit generate, with the longest path innermost; one
/// level more is an error naming the method. Thousands of levels, which
/// overflowed the stack, are the same error.
#[test]
fn id_expressions_nest_up_to_the_limit() {
    use protoc_gen_rust_temporal::expr::{MAX_DEPTH, MAX_PATH_SEGMENTS};
    let ors = |n: usize, innermost: &str| {
        format!(
            "x/${{! {}{innermost}{} }}",
            "name.or(".repeat(n),
            ")".repeat(n)
        )
    };
    let longest_path = format!("{}name", "parent.".repeat(MAX_PATH_SEGMENTS - 1));
    for template in [ors(MAX_DEPTH, "\"x\""), ors(MAX_DEPTH - 1, &longest_path)] {
        let code =
            generate_on_small_stack(support::request_for_source("deep", &id_proto(&template)))
                .unwrap_or_else(|e| panic!("{template}: {e}"));
        assert!(code.contains("fn run_workflow_id"), "{code}");
    }
    for n in [MAX_DEPTH + 1, 10_000] {
        let err = generate_on_small_stack(support::request_for_source(
            "deep",
            &id_proto(&ors(n, "\"x\"")),
        ))
        .expect_err("too deep");
        assert!(
            err.starts_with(&format!(
                "deep.proto: Svc.Run: ID expression nested too deeply (more than {MAX_DEPTH} levels)"
            )) && !err.contains('\n'),
            "{err}"
        );
    }
    let too_long = format!("x/${{! {}name }}", "parent.".repeat(MAX_PATH_SEGMENTS));
    let err = generate_on_small_stack(support::request_for_source("deep", &id_proto(&too_long)))
        .expect_err("too long");
    assert!(
        err.starts_with(&format!(
            "deep.proto: Svc.Run: path too long (more than {MAX_PATH_SEGMENTS} segments)"
        )),
        "{err}"
    );
}

#[test]
fn packages_that_are_one_rust_module_are_an_error_not_an_internal_one() {
    // `foo_bar.v1` and `fooBar.v1` are both prost's module `foo_bar::v1`
    // (one file); the generated items of both would meet there. This was an
    // "internal error". Found by the fuzz harness.
    let err = support::generation_error(&["limits/cased/snake.proto", "limits/cased/camel.proto"]);
    assert_eq!(
        err,
        "limits/cased/snake.proto: packages `fooBar.v1` and `foo_bar.v1` are both the Rust module `foo_bar::v1` (prost snake-cases each segment), and both would hold generated code; spell them alike"
    );
}

#[test]
fn a_file_prost_reflect_panics_on_is_an_invalid_descriptor() {
    // An explicitly empty `syntax` made prost-reflect panic while it
    // described the error (found by the fuzz harness, minimized from a
    // mutated request to these three files).
    use prost::Message;
    use prost_types::FileDescriptorProto;
    let file = |name: &str, dep: Option<&str>, syntax: Option<&str>| {
        FileDescriptorProto {
            name: Some(name.into()),
            dependency: dep.into_iter().map(String::from).collect(),
            syntax: syntax.map(String::from),
            ..Default::default()
        }
        .encode_to_vec()
    };
    let request = RawRequest {
        file_to_generate: vec!["x.proto".into()],
        parameter: None,
        proto_file: vec![
            file("temporal/api/common/v1/message.proto", None, Some("")),
            file(
                "temporal/v1/temporal.proto",
                Some("temporal/api/common/v1/message.proto"),
                None,
            ),
            file("x.proto", Some("temporal/v1/temporal.proto"), None),
        ],
    };
    let err = protoc_gen_rust_temporal::generate(&request).expect_err("invalid");
    assert_eq!(
        err.to_string(),
        "temporal/api/common/v1/message.proto: invalid descriptor: prost-reflect cannot read it (it panicked describing an error in it)"
    );
}

#[test]
fn an_id_expression_over_a_field_without_a_rust_name_is_an_error() {
    // A request whose field has a JSON name (`name`) but an empty proto
    // name, read by `run/${! name }`: the emitter panicked making an empty
    // identifier. Found by the fuzz harness and shrunk by `fuzz minimize`
    // to this 435-byte request.
    use prost::Message;
    let path = support::root()
        .join("crates/protoc-gen-rust-temporal/tests/protos/limits/nameless_field.binpb");
    let bytes = std::fs::read(path).expect("request");
    let request = RawRequest::decode(bytes.as_slice()).expect("a request");
    let err = protoc_gen_rust_temporal::generate(&request).expect_err("invalid");
    assert_eq!(
        err.to_string(),
        "compat/every_option.proto: Everything.Run: field `` cannot be read in ID expression `run/${! name }`: its name has no Rust form: it is not a protobuf identifier"
    );
}

#[test]
fn search_attribute_mappings_outside_the_subset_are_errors() {
    let err = error_for("bad_mappings");
    let lines: Vec<&str> = err.lines().collect();
    let expected = [
        "Svc.Both: `(temporal.v1.workflow).search_attributes` and `(temporal.v1.workflow).typed_search_attributes` are both set: the Temporal SDKs reject a start with both, set one",
        "Svc.NotAnAssignment: `(temporal.v1.workflow).search_attributes`, at `name`: expected an assignment `Name = query`",
        "Svc.Comparison: `(temporal.v1.workflow).search_attributes`, at `A == name`: expected an assignment `Name = query`",
        "Svc.NestedName: `(temporal.v1.workflow).search_attributes`, at `a.b = name`: `a.b` is not a search attribute name (letters, digits and `_`)",
        "Svc.UnknownType: `(temporal.v1.workflow).typed_search_attributes`, at `date.A = name`: unknown search attribute type `date` (bool, float64, int64, keyword, string, keyword_list, list or time)",
        "Svc.Untyped: `(temporal.v1.workflow).typed_search_attributes`, at `A = name`: a typed mapping assigns `type.Name`, such as `keyword.CustomKeywordField`",
        "Svc.UnknownField: `(temporal.v1.workflow).search_attributes`, at `A = nme`: unknown field `nme` on message `invalid.bad_mappings.In`",
        "Svc.Layout: `(temporal.v1.workflow).search_attributes`, at `A = name.ts_parse(\"Jan 2 2006\")`: unsupported `ts_parse` layout `Jan 2 2006` (supported: 2006-01-02T15:04:05Z07:00, 2006-01-02T15:04:05.999999999Z07:00, 2006-01-02T15:04:05Z, 2006-01-02)",
        "Svc.Clock: `(temporal.v1.workflow).search_attributes`, at `A = now()`: `uuid_v4()`, `nanoid()`, `ksuid()` and `now()` are not supported in a search attribute mapping",
        "Svc.Empty: `(temporal.v1.workflow).search_attributes`, at `# nothing`: the mapping assigns no search attribute",
        "Svc.ListMethod: `(temporal.v1.workflow).search_attributes`, at `A = tags.uppercase()`: the query fails for every input (no value of it can be assigned)",
    ];
    for want in expected {
        let want = format!("invalid/bad_mappings.proto: {want}");
        assert!(
            lines.contains(&want.as_str()),
            "missing {want:?} in:\n{err}"
        );
    }
    assert_eq!(lines.len(), expected.len(), "{err}");
}
