//! Snapshots of the generated code for the canonical Example service and the
//! kitchen-sink protos, plus output placement and determinism.

mod support;

use protoc_gen_rust_temporal::generate;

fn snapshot_all(files: &[&str], parameter: &str) -> Vec<protoc_gen_rust_temporal::OutputFile> {
    generate(&support::request(files, parameter)).expect("generation succeeds")
}

#[test]
fn example_service() {
    let out = snapshot_all(&["example/v1/example.proto"], "");
    assert_eq!(out.len(), 2);
    assert_eq!(out[0].name, "example/v1/example.v1.temporal.rs");
    insta::assert_snapshot!("example.v1.temporal.rs", out[0].content);
    assert_eq!(out[1].name, "example/v1/example.v1.rs");
    assert_eq!(out[1].insertion_point.as_deref(), Some("module"));
    assert_eq!(out[1].content, "include!(\"example.v1.temporal.rs\");\n");
}

#[test]
fn kitchen_sink() {
    let out = snapshot_all(
        &["kitchen/v1/kitchen.proto", "kitchen/common/v1/common.proto"],
        "",
    );
    let names: Vec<&str> = out.iter().map(|f| f.name.as_str()).collect();
    // Only the package with services gets a file; common.v1 has none.
    assert_eq!(
        names,
        [
            "kitchen/v1/kitchen.v1.temporal.rs",
            "kitchen/v1/kitchen.v1.rs"
        ]
    );
    insta::assert_snapshot!("kitchen.v1.temporal.rs", out[0].content);
}

/// Well-known types as payloads: prost's types in signatures, the
/// runtime's `WellKnown` in definitions, and no payload impls of ours.
#[test]
fn well_known_types() {
    let out = snapshot_all(&["clock/v1/clock.proto"], "");
    let code = &out[0].content;
    for f in [
        "type Input = rt::WellKnown<::prost_types::Timestamp>;",
        "type Output = rt::WellKnown<String>;",
        "const ID: Option<rt::IdFn<::prost_types::Struct>> = Some(reflect_workflow_id);",
        "input: i64,",
    ] {
        assert!(code.contains(f), "no {f:?} in\n{code}");
    }
    assert!(!code.contains("proto_messages!"), "{code}");
    insta::assert_snapshot!("clock.v1.temporal.rs", code);
}

/// Methods named like fixed generated items: renamed (`new_workflow`),
/// not clashing.
#[test]
fn names_of_fixed_items_are_escaped() {
    let out = snapshot_all(&["names/v1/names.proto"], "");
    let code = &out[0].content;
    for f in [
        "pub fn new_workflow(",
        "pub fn client_workflow(",
        "pub fn cancel_workflow_workflow(",
        "pub fn terminate_workflow_workflow(",
        "pub fn cancel_workflow_workflow<C>(",
        "pub type CreateOrderRun<'a, C> = rt::XnsRun<'a, C, CreateOrderWorkflow>;",
        "BarImpl: self::BarWorkflowImpl,\n        BarWorkflowImpl: BarWorkflowWorkflowImpl,",
    ] {
        assert!(code.contains(f), "no {f:?} in\n{code}");
    }
    insta::assert_snapshot!("names.v1.temporal.rs", code);
}

/// ID functions live in the service module: the oneof enums prost
/// declares in message modules (`r#in::Kind`) are reached through
/// `super::`, here and in another package.
#[test]
fn id_expressions_read_oneofs_optionals_and_nested_fields() {
    let out = snapshot_all(&["ids/v1/ids.proto", "ids/other/v1/other.proto"], "");
    let code = &out[0].content;
    for path in [
        "super::r#in::Kind::Name(x)",
        "super::inner::Pick::C(x)",
        "super::inner::deep::Choice::X(x)",
        "super::super::other::v1::ext::O::Y(x)",
    ] {
        assert!(code.contains(path), "no {path:?} in\n{code}");
    }
    insta::assert_snapshot!("ids.v1.temporal.rs", code);
}

/// Code blocks in proto comments become text blocks, which rustdoc does
/// not test.
#[test]
fn proto_comment_code_blocks_are_text() {
    let out = snapshot_all(&["docs/v1/docs.proto"], "");
    let code = &out[0].content;
    assert!(
        !code.contains("```rust") && !code.contains("~~~json"),
        "{code}"
    );
    let unindented: Vec<&str> = code.lines().map(str::trim_start).collect();
    let unindented = unindented.join("\n");
    for block in [
        "/// ```text\n/// grpcurl -d '{\"name\": \"<name>\"}' localhost:7233\n/// ```\n",
        "/// ```text\n/// let x = <not rust>;\n/// ```\n",
        "/// ```text\n/// foo bar\n/// baz(<qux>)\n/// ```\n",
        "/// ```text\n/// tctl workflow start --type Start\n/// ```\n",
        "/// ~~~text\n/// {\"name\": \"a\"}\n/// ~~~\n",
        "/// ```text\n/// fn main() { oops\n/// ```\n",
        "Inline code stays as written: `Vec<u8>` and `[x]`.",
    ] {
        assert!(unindented.contains(block), "no {block:?} in\n{code}");
    }
    insta::assert_snapshot!("docs.v1.temporal.rs", code);
}

#[test]
fn flat_output_and_no_insertion() {
    let out = snapshot_all(
        &["example/v1/example.proto"],
        "flat_output_dir,module_insertion=false",
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].name, "example.v1.temporal.rs");
}

#[test]
fn output_is_deterministic() {
    let files = [
        "kitchen/v1/kitchen.proto",
        "example/v1/example.proto",
        "kitchen/common/v1/common.proto",
    ];
    let first = snapshot_all(&files, "");
    for _ in 0..3 {
        assert_eq!(snapshot_all(&files, ""), first);
    }
    // The order files are given in does not matter either.
    let mut reversed = files;
    reversed.reverse();
    let mut again = snapshot_all(&reversed, "");
    let mut sorted = first.clone();
    again.sort_by(|a, b| a.name.cmp(&b.name));
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    assert_eq!(again, sorted);
}

#[test]
fn files_without_the_schema_yield_nothing() {
    let out = snapshot_all(&["kitchen/common/v1/common.proto"], "");
    assert!(out.is_empty());
}

#[test]
fn runtime_crate_parameter_changes_paths() {
    let out = snapshot_all(&["example/v1/example.proto"], "runtime_crate=crate::rt");
    assert!(out[0].content.contains("crate::rt::proto_messages! {"));
    assert!(out[0].content.contains("use crate::rt::codegen as rt;"));
    assert!(!out[0].content.contains("::xns_runtime"));
}

/// Each surface can be switched off alone; what it writes goes, the rest
/// stays (the generator's own check of declared against written names runs
/// on every output).
#[test]
fn surfaces_switch_off_one_by_one() {
    let protos = ["example/v1/example.proto", "kitchen/v1/kitchen.proto"];
    let full = snapshot_all(&protos, "")[0].content.clone();
    let surfaces: [(&str, &[&str]); 4] = [
        (
            "client",
            &["pub struct ExampleClient", "pub type CreateFooRun ="],
        ),
        (
            "worker",
            &[
                "pub trait CreateFooWorkflowImpl",
                "rt::WorkflowContract<W> for CreateFooWorkflow",
                "pub fn register_example_activities",
            ],
        ),
        (
            "workflow_helpers",
            &[
                "pub fn notify_activity",
                "pub fn create_foo_child",
                "pub fn set_foo_progress_external",
            ],
        ),
        (
            "xns",
            &[
                "pub mod xns {",
                "impl rt::XnsWorkflow for CreateFooWorkflow",
            ],
        ),
    ];
    for (surface, items) in surfaces {
        let code = snapshot_all(&protos, &format!("{surface}=false"))[0]
            .content
            .clone();
        for item in items {
            assert!(full.contains(item), "{item}");
            assert!(!code.contains(item), "{surface}=false still writes {item}");
        }
        assert!(code.contains("pub struct CreateFooWorkflow;"), "{surface}");
        for (other, other_items) in surfaces.iter().filter(|(o, _)| *o != surface) {
            for item in *other_items {
                assert!(
                    code.contains(item),
                    "{surface}=false drops {other}'s {item}"
                );
            }
        }
    }
}
