//! Our `temporal.v1` and `temporal.xns.v1` schemas are wire-compatible with
//! the Go generator's: every extension, message field and enum value of the
//! reference tables (shared/reference/options-schema.md) is checked by
//! number, name and type; then a proto that sets every option is read back.

mod support;

use prost_reflect::{Cardinality, DescriptorPool, Kind};

fn pool() -> DescriptorPool {
    let request = support::request(
        &[
            "temporal/v1/temporal.proto",
            "temporal/xns/v1/xns.proto",
            "compat/every_option.proto",
        ],
        "",
    );
    let mut pool = DescriptorPool::new();
    for file in &request.proto_file {
        pool.decode_file_descriptor_proto(file.as_slice()).unwrap();
    }
    pool
}

/// `(number, name, type)`; type is a scalar name, `.full.Name` for messages
/// and enums, with a `repeated ` prefix for lists.
type Row = (u32, &'static str, &'static str);

fn type_of(field: &prost_reflect::FieldDescriptor) -> String {
    let base = match field.kind() {
        Kind::Message(m) => format!(".{}", m.full_name()),
        Kind::Enum(e) => format!(".{}", e.full_name()),
        Kind::String => "string".into(),
        Kind::Bool => "bool".into(),
        Kind::Int32 => "int32".into(),
        Kind::Double => "double".into(),
        other => format!("{other:?}"),
    };
    if field.cardinality() == Cardinality::Repeated {
        format!("repeated {base}")
    } else {
        base
    }
}

fn check_message(pool: &DescriptorPool, name: &str, rows: &[Row]) {
    let message = pool
        .get_message_by_name(name)
        .unwrap_or_else(|| panic!("missing message {name}"));
    for (number, field_name, ty) in rows {
        let field = message
            .get_field(*number)
            .unwrap_or_else(|| panic!("{name}: no field number {number}"));
        assert_eq!(field.name(), *field_name, "{name} field {number}");
        assert_eq!(type_of(&field), *ty, "{name}.{field_name} type");
    }
    assert_eq!(
        message.fields().len(),
        rows.len(),
        "{name}: field count differs from the reference"
    );
}

const DURATION: &str = ".google.protobuf.Duration";

#[test]
fn extensions_match_by_number() {
    let pool = pool();
    let rows = [
        (
            "temporal.v1.service",
            "google.protobuf.ServiceOptions",
            7233,
            ".temporal.v1.ServiceOptions",
        ),
        (
            "temporal.v1.cli",
            "google.protobuf.ServiceOptions",
            7234,
            ".temporal.v1.CLIOptions",
        ),
        (
            "temporal.v1.workflow",
            "google.protobuf.MethodOptions",
            7233,
            ".temporal.v1.WorkflowOptions",
        ),
        (
            "temporal.v1.activity",
            "google.protobuf.MethodOptions",
            7234,
            ".temporal.v1.ActivityOptions",
        ),
        (
            "temporal.v1.query",
            "google.protobuf.MethodOptions",
            7235,
            ".temporal.v1.QueryOptions",
        ),
        (
            "temporal.v1.signal",
            "google.protobuf.MethodOptions",
            7236,
            ".temporal.v1.SignalOptions",
        ),
        (
            "temporal.v1.update",
            "google.protobuf.MethodOptions",
            7237,
            ".temporal.v1.UpdateOptions",
        ),
        (
            "temporal.v1.command",
            "google.protobuf.MethodOptions",
            7238,
            ".temporal.v1.CommandOptions",
        ),
        (
            "temporal.v1.field",
            "google.protobuf.FieldOptions",
            7233,
            ".temporal.v1.FieldOptions",
        ),
    ];
    for (name, extendee, number, ty) in rows {
        let ext = pool
            .get_extension_by_name(name)
            .unwrap_or_else(|| panic!("missing extension {name}"));
        assert_eq!(ext.containing_message().full_name(), extendee, "{name}");
        assert_eq!(ext.number(), number, "{name}");
        let ext_type = match ext.kind() {
            Kind::Message(m) => format!(".{}", m.full_name()),
            other => format!("{other:?}"),
        };
        assert_eq!(ext_type, ty, "{name}");
    }
}

#[test]
fn option_messages_match_by_number() {
    let pool = pool();
    let xns = ".temporal.v1.XNSActivityOptions";
    let retry = ".temporal.v1.RetryPolicy";
    let patches = "repeated .temporal.v1.Patch";
    let cli = ".temporal.v1.CLICommandOptions";
    check_message(
        &pool,
        "temporal.v1.ServiceOptions",
        &[
            (1, "task_queue", "string"),
            (2, "namespace", "string"),
            (3, "patches", patches),
            (4, "nexus", ".temporal.v1.NexusServiceOptions"),
        ],
    );
    check_message(
        &pool,
        "temporal.v1.WorkflowOptions",
        &[
            (1, "query", "repeated .temporal.v1.WorkflowOptions.Query"),
            (2, "signal", "repeated .temporal.v1.WorkflowOptions.Signal"),
            (3, "update", "repeated .temporal.v1.WorkflowOptions.Update"),
            (4, "execution_timeout", DURATION),
            (5, "id", "string"),
            (6, "id_reuse_policy", ".temporal.v1.IDReusePolicy"),
            (7, "namespace", "string"),
            (8, "parent_close_policy", ".temporal.v1.ParentClosePolicy"),
            (9, "retry_policy", retry),
            (10, "run_timeout", DURATION),
            (11, "task_queue", "string"),
            (12, "task_timeout", DURATION),
            (13, "wait_for_cancellation", "bool"),
            (14, "name", "string"),
            (15, "search_attributes", "string"),
            (16, "xns", xns),
            (17, "aliases", "repeated string"),
            (18, "patches", patches),
            (19, "cli", cli),
            (
                20,
                "workflow_id_conflict_policy",
                ".temporal.api.enums.v1.WorkflowIdConflictPolicy",
            ),
            (
                21,
                "versioning_behavior",
                ".temporal.api.enums.v1.VersioningBehavior",
            ),
            (22, "typed_search_attributes", "string"),
            (23, "enable_eager_start", "bool"),
            (24, "nexus", ".temporal.v1.NexusOperationOptions"),
            (25, "priority", ".temporal.api.common.v1.Priority"),
        ],
    );
    check_message(
        &pool,
        "temporal.v1.WorkflowOptions.Query",
        &[(1, "ref", "string"), (2, "xns", xns)],
    );
    check_message(
        &pool,
        "temporal.v1.WorkflowOptions.Signal",
        &[
            (1, "ref", "string"),
            (2, "start", "bool"),
            (3, "xns", xns),
            (4, "cli", cli),
        ],
    );
    check_message(
        &pool,
        "temporal.v1.WorkflowOptions.Update",
        &[
            (1, "ref", "string"),
            (2, "xns", xns),
            (3, "start", "bool"),
            (4, "cli", cli),
            (
                5,
                "workflow_id_conflict_policy",
                ".temporal.api.enums.v1.WorkflowIdConflictPolicy",
            ),
            (6, "validate", "bool"),
        ],
    );
    assert!(
        pool.get_message_by_name("temporal.v1.WorkflowOptions.Update")
            .unwrap()
            .get_field(6)
            .unwrap()
            .supports_presence(),
        "Update.validate is `optional bool`"
    );
    check_message(
        &pool,
        "temporal.v1.ActivityOptions",
        &[
            (1, "task_queue", "string"),
            (2, "schedule_to_close_timeout", DURATION),
            (3, "schedule_to_start_timeout", DURATION),
            (4, "start_to_close_timeout", DURATION),
            (5, "heartbeat_timeout", DURATION),
            (6, "retry_policy", retry),
            (7, "name", "string"),
            (8, "wait_for_cancellation", "bool"),
            (9, "priority", ".temporal.api.common.v1.Priority"),
        ],
    );
    for name in ["temporal.v1.QueryOptions", "temporal.v1.SignalOptions"] {
        check_message(
            &pool,
            name,
            &[
                (1, "name", "string"),
                (2, "xns", xns),
                (3, "patches", patches),
                (4, "cli", cli),
            ],
        );
    }
    check_message(
        &pool,
        "temporal.v1.UpdateOptions",
        &[
            (1, "id", "string"),
            (2, "validate", "bool"),
            (3, "wait_policy", ".temporal.v1.WaitPolicy"),
            (4, "name", "string"),
            (5, "xns", xns),
            (6, "patches", patches),
            (7, "wait_for_stage", ".temporal.v1.WaitPolicy"),
            (8, "cli", cli),
        ],
    );
    check_message(
        &pool,
        "temporal.v1.RetryPolicy",
        &[
            (1, "initial_interval", DURATION),
            (2, "backoff_coefficient", "double"),
            (3, "max_interval", DURATION),
            (4, "max_attempts", "int32"),
            (5, "non_retryable_error_types", "repeated string"),
        ],
    );
    check_message(
        &pool,
        "temporal.v1.XNSActivityOptions",
        &[
            (1, "task_queue", "string"),
            (2, "schedule_to_close_timeout", DURATION),
            (3, "schedule_to_start_timeout", DURATION),
            (4, "start_to_close_timeout", DURATION),
            (5, "heartbeat_timeout", DURATION),
            (6, "retry_policy", retry),
            (7, "name", "string"),
            (8, "heartbeat_interval", DURATION),
            (9, "parent_close_policy", ".temporal.v1.ParentClosePolicy"),
        ],
    );
    for name in ["temporal.v1.CLIOptions", "temporal.v1.CLICommandOptions"] {
        check_message(
            &pool,
            name,
            &[
                (1, "ignore", "bool"),
                (2, "name", "string"),
                (3, "usage", "string"),
                (4, "aliases", "repeated string"),
            ],
        );
    }
    check_message(
        &pool,
        "temporal.v1.CLIFlagOptions",
        &[
            (2, "name", "string"),
            (3, "usage", "string"),
            (4, "aliases", "repeated string"),
        ],
    );
    check_message(
        &pool,
        "temporal.v1.FieldOptions",
        &[(1, "cli", ".temporal.v1.CLIFlagOptions")],
    );
    check_message(
        &pool,
        "temporal.v1.CommandOptions",
        &[(1, "ignore", "bool")],
    );
    check_message(
        &pool,
        "temporal.v1.NexusServiceOptions",
        &[(1, "enabled", "bool"), (2, "name", "string")],
    );
    check_message(
        &pool,
        "temporal.v1.NexusOperationOptions",
        &[(1, "disabled", "bool"), (2, "name", "string")],
    );
    check_message(
        &pool,
        "temporal.v1.Patch",
        &[
            (1, "version", ".temporal.v1.Patch.Version"),
            (2, "mode", ".temporal.v1.Patch.Mode"),
        ],
    );
}

#[test]
fn xns_messages_match_by_number() {
    let pool = pool();
    let any = ".google.protobuf.Any";
    let start = ".temporal.xns.v1.StartWorkflowOptions";
    let update = ".temporal.xns.v1.UpdateWorkflowWithOptionsRequest";
    let pcp = ".temporal.v1.ParentClosePolicy";
    check_message(
        &pool,
        "temporal.xns.v1.WorkflowRequest",
        &[
            (1, "heartbeat_interval", DURATION),
            (2, "start_workflow_options", start),
            (3, "request", any),
            (4, "detached", "bool"),
            (5, "signal", any),
            (6, "parent_close_policy", pcp),
        ],
    );
    check_message(
        &pool,
        "temporal.xns.v1.GetWorkflowRequest",
        &[
            (1, "heartbeat_interval", DURATION),
            (2, "run_id", "string"),
            (3, "workflow_id", "string"),
            (
                4,
                "parent_close_policy",
                ".temporal.api.enums.v1.ParentClosePolicy",
            ),
        ],
    );
    for name in [
        "temporal.xns.v1.QueryRequest",
        "temporal.xns.v1.SignalRequest",
    ] {
        check_message(
            &pool,
            name,
            &[
                (1, "run_id", "string"),
                (2, "workflow_id", "string"),
                (3, "request", any),
                (4, "heartbeat_interval", DURATION),
            ],
        );
    }
    check_message(
        &pool,
        "temporal.xns.v1.UpdateRequest",
        &[
            (1, "heartbeat_interval", DURATION),
            (2, "update_workflow_options", update),
            (3, "request", any),
        ],
    );
    check_message(
        &pool,
        "temporal.xns.v1.UpdateWithStartRequest",
        &[
            (1, "heartbeat_interval", DURATION),
            (2, "start_workflow_options", start),
            (3, "update_workflow_options", update),
            (4, "detached", "bool"),
            (5, "input", any),
            (6, "update", any),
            (7, "parent_close_policy", pcp),
        ],
    );
    check_message(
        &pool,
        "temporal.xns.v1.UpdateWorkflowWithOptionsRequest",
        &[
            (1, "update_id", "string"),
            (2, "workflow_id", "string"),
            (3, "run_id", "string"),
            (4, "first_execution_run_id", "string"),
            (5, "wait_policy", ".temporal.xns.v1.WaitPolicy"),
            (6, "wait_for_stage", ".temporal.xns.v1.WaitPolicy"),
        ],
    );
    check_message(
        &pool,
        "temporal.xns.v1.StartWorkflowOptions",
        &[
            (1, "id", "string"),
            (2, "task_queue", "string"),
            (3, "execution_timeout", DURATION),
            (4, "run_timeout", DURATION),
            (5, "task_timeout", DURATION),
            (6, "id_reuse_policy", ".temporal.xns.v1.IDReusePolicy"),
            (7, "error_when_already_started", "bool"),
            (8, "retry_policy", ".temporal.xns.v1.RetryPolicy"),
            (9, "memo", ".google.protobuf.Struct"),
            (10, "search_attirbutes", ".google.protobuf.Struct"),
            (11, "enable_eager_start", "bool"),
            (12, "start_delay", DURATION),
            (
                13,
                "workflow_id_conflict_policy",
                ".temporal.api.enums.v1.WorkflowIdConflictPolicy",
            ),
        ],
    );
}

#[test]
fn enums_match_by_number() {
    let pool = pool();
    let check = |name: &str, values: &[(&str, i32)]| {
        let e = pool
            .get_enum_by_name(name)
            .unwrap_or_else(|| panic!("missing enum {name}"));
        for (value, number) in values {
            assert_eq!(
                e.get_value_by_name(value).map(|v| v.number()),
                Some(*number),
                "{name}.{value}"
            );
        }
        assert_eq!(e.values().len(), values.len(), "{name}");
    };
    for pkg in ["temporal.v1", "temporal.xns.v1"] {
        check(
            &format!("{pkg}.IDReusePolicy"),
            &[
                ("WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED", 0),
                ("WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE", 1),
                ("WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY", 2),
                ("WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE", 3),
                ("WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING", 4),
            ],
        );
        check(
            &format!("{pkg}.ParentClosePolicy"),
            &[
                ("PARENT_CLOSE_POLICY_UNSPECIFIED", 0),
                ("PARENT_CLOSE_POLICY_TERMINATE", 1),
                ("PARENT_CLOSE_POLICY_ABANDON", 2),
                ("PARENT_CLOSE_POLICY_REQUEST_CANCEL", 3),
            ],
        );
        check(
            &format!("{pkg}.WaitPolicy"),
            &[
                ("WAIT_POLICY_UNSPECIFIED", 0),
                ("WAIT_POLICY_ADMITTED", 1),
                ("WAIT_POLICY_ACCEPTED", 2),
                ("WAIT_POLICY_COMPLETED", 3),
            ],
        );
    }
    check(
        "temporal.v1.Patch.Version",
        &[("PV_UNSPECIFIED", 0), ("PV_64", 1)],
    );
    check(
        "temporal.v1.Patch.Mode",
        &[
            ("PVM_ENABLED", 0),
            ("PVM_MARKER", 1),
            ("PVM_REMOVED", 2),
            ("PVM_DISABLED", 3),
        ],
    );
}

/// A proto that sets every option parses, and the typed options carry the
/// values (read by extension number, so the Go schema's copy works too).
#[test]
fn every_option_is_read() {
    let pool = pool();
    let service = pool.get_service_by_name("compat.v1.Everything").unwrap();
    let s = protoc_gen_rust_temporal::options::service_options(&service)
        .unwrap()
        .service
        .unwrap();
    assert_eq!(s.task_queue, "everything");
    assert_eq!(s.namespace, "unused");
    assert_eq!(s.patches.len(), 1);
    assert!(s.nexus.unwrap().enabled);

    let method = service.methods().find(|m| m.name() == "Run").unwrap();
    let o = protoc_gen_rust_temporal::options::method_options(&method).unwrap();
    let w = o.workflow.unwrap();
    assert!(o.activity.is_some(), "workflow + activity");
    assert_eq!(w.query[0].r#ref, "Look");
    assert_eq!(w.query[0].xns.as_ref().unwrap().name, "look-xns");
    assert!(w.signal[0].start);
    assert_eq!(w.update[0].validate, Some(false));
    assert_eq!(w.update[0].workflow_id_conflict_policy, 2);
    assert_eq!(w.execution_timeout.unwrap().seconds, 60);
    assert_eq!(w.id, "run/${! name }");
    assert_eq!(w.id_reuse_policy, 3);
    assert_eq!(w.parent_close_policy, 3);
    assert_eq!(w.retry_policy.as_ref().unwrap().max_attempts, 4);
    assert_eq!(w.retry_policy.unwrap().non_retryable_error_types, ["Bad"]);
    assert_eq!(w.run_timeout.unwrap().seconds, 30);
    assert_eq!(w.task_queue, "tq");
    assert_eq!(w.task_timeout.unwrap().seconds, 5);
    assert!(w.wait_for_cancellation);
    assert_eq!(w.name, "RunIt");
    assert_eq!(w.search_attributes, "CustomKeywordField = name");
    let x = w.xns.unwrap();
    assert_eq!(
        (
            x.task_queue.as_str(),
            x.name.as_str(),
            x.parent_close_policy
        ),
        ("xq", "run-xns", 1)
    );
    assert_eq!(x.heartbeat_interval.unwrap().seconds, 2);
    assert_eq!(x.heartbeat_timeout.unwrap().seconds, 4);
    assert_eq!(x.schedule_to_close_timeout.unwrap().seconds, 100);
    assert_eq!(x.schedule_to_start_timeout.unwrap().seconds, 10);
    assert_eq!(x.start_to_close_timeout.unwrap().seconds, 90);
    assert_eq!(x.retry_policy.unwrap().max_attempts, 2);
    assert_eq!(w.aliases, ["RunAlias"]);
    assert_eq!(w.patches.len(), 1);
    assert!(w.cli.unwrap().ignore);
    assert_eq!(w.workflow_id_conflict_policy, 1);
    assert_eq!(w.versioning_behavior, 1);
    assert!(w.enable_eager_start);
    assert!(w.nexus.unwrap().disabled);
    assert_eq!(w.priority.unwrap().priority_key, 2);
    let typed = service.methods().find(|m| m.name() == "Typed").unwrap();
    let typed = protoc_gen_rust_temporal::options::method_options(&typed)
        .unwrap()
        .workflow
        .unwrap();
    assert_eq!(
        typed.typed_search_attributes,
        "keyword.CustomKeywordField = name"
    );

    let a = o.activity.unwrap();
    assert_eq!(
        a.start_to_close_timeout.unwrap().seconds,
        0,
        "explicit zero is kept"
    );
    assert!(a.wait_for_cancellation);
    assert_eq!(a.name, "run-activity");

    let update = service.methods().find(|m| m.name() == "Change").unwrap();
    let u = protoc_gen_rust_temporal::options::method_options(&update)
        .unwrap()
        .update
        .unwrap();
    assert_eq!(
        (u.id.as_str(), u.validate, u.wait_policy, u.wait_for_stage),
        ("change/${! name }", true, 2, 3)
    );
}

/// Every option of the proto that sets them all either changes the output
/// or is a notice naming it, where it is set and why it is not applied.
#[test]
fn every_option_not_applied_is_a_notice() {
    let request = support::request(&["compat/every_option.proto"], "");
    let generation = protoc_gen_rust_temporal::generate_with_notices(&request).expect("generates");
    let notices: Vec<String> = generation.notices.iter().map(ToString::to_string).collect();
    let cli = "it configures the Go generator's CLI, which has no Rust counterpart";
    let patches = "it selects the Go generator's patch modes, which have no Rust counterpart";
    let namespace = "the option is deprecated, and the Go generator ignores it too";
    let nexus = "Nexus is not supported by the Rust SDK";
    let versioning = "the Rust SDK sets the versioning behavior per worker \
                      (`WorkerDeploymentOptions::default_versioning_behavior`), not per workflow";
    let xns_name = "the Go generator ignores it and names each XNS activity after the Temporal \
                    name, which Go and Rust workers must share; rename activities at registration \
                    (`XnsRegistration`) instead";
    let f = "compat/every_option.proto";
    let expected = [
        format!(
            "{f}: service Everything: `(temporal.v1.service).namespace` is read but not applied: {namespace}"
        ),
        format!(
            "{f}: service Everything: `(temporal.v1.service).patches` is read but not applied: {patches}"
        ),
        format!(
            "{f}: service Everything: `(temporal.v1.service).nexus` is read but not applied: {nexus}"
        ),
        format!("{f}: service Everything: `(temporal.v1.cli)` is read but not applied: {cli}"),
        format!(
            "{f}: Everything.Run: `(temporal.v1.workflow).namespace` is read but not applied: {namespace}"
        ),
        format!(
            "{f}: Everything.Run: `(temporal.v1.workflow).versioning_behavior` is read but not applied: {versioning}"
        ),
        format!(
            "{f}: Everything.Run: `(temporal.v1.workflow).xns.name` is read but not applied: {xns_name}"
        ),
        format!(
            "{f}: Everything.Run: `(temporal.v1.workflow).query[0].xns.name` is read but not applied: {xns_name}"
        ),
        format!(
            "{f}: Everything.Run: `(temporal.v1.workflow).patches` is read but not applied: {patches}"
        ),
        format!("{f}: Everything.Run: `(temporal.v1.workflow).cli` is read but not applied: {cli}"),
        format!(
            "{f}: Everything.Run: `(temporal.v1.workflow).nexus` is read but not applied: {nexus}"
        ),
        format!(
            "{f}: Everything.Run: `(temporal.v1.workflow).signal[0].cli` is read but not applied: {cli}"
        ),
        format!(
            "{f}: Everything.Run: `(temporal.v1.workflow).update[0].cli` is read but not applied: {cli}"
        ),
        format!(
            "{f}: Everything.Look: `(temporal.v1.query).patches` is read but not applied: {patches}"
        ),
        format!("{f}: Everything.Look: `(temporal.v1.query).cli` is read but not applied: {cli}"),
        format!(
            "{f}: Everything.Poke: `(temporal.v1.signal).patches` is read but not applied: {patches}"
        ),
        format!("{f}: Everything.Poke: `(temporal.v1.signal).cli` is read but not applied: {cli}"),
        format!(
            "{f}: Everything.Change: `(temporal.v1.update).patches` is read but not applied: {patches}"
        ),
        format!(
            "{f}: Everything.Change: `(temporal.v1.update).cli` is read but not applied: {cli}"
        ),
        format!("{f}: Everything.Legacy: `(temporal.v1.command)` is read but not applied: {cli}"),
        format!("{f}: `(temporal.v1.field)` on `compat.v1.In.name` is read but not applied: {cli}"),
    ];
    assert_eq!(notices, expected);

    // A proto that sets only applied options has none.
    let request = support::request(&["example/v1/example.proto"], "");
    let generation = protoc_gen_rust_temporal::generate_with_notices(&request).expect("generates");
    assert_eq!(generation.notices, []);
}

/// The plugin binary prints its notices on stderr, where protoc shows them,
/// and still generates.
#[test]
fn the_plugin_prints_notices_on_stderr() {
    let root = support::root();
    let out = std::env::temp_dir().join(format!("notices-{}", std::process::id()));
    std::fs::create_dir_all(&out).expect("out dir");
    let protoc = std::env::var("PROTOC").unwrap_or_else(|_| "protoc".into());
    let output = std::process::Command::new(protoc)
        .arg(format!(
            "--plugin=protoc-gen-rust-temporal={}",
            env!("CARGO_BIN_EXE_protoc-gen-rust-temporal")
        ))
        .arg(format!("--rust-temporal_out={}", out.display()))
        .arg("--rust-temporal_opt=module_insertion=false")
        .arg(format!("-I{}", root.join("proto").display()))
        .arg(format!(
            "-I{}",
            root.join("crates/protoc-gen-rust-temporal/tests/protos")
                .display()
        ))
        .arg("compat/every_option.proto")
        .output()
        .expect("protoc runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.lines().any(|l| l
            == "protoc-gen-rust-temporal: warning: compat/every_option.proto: Everything.Run: \
                `(temporal.v1.workflow).versioning_behavior` is read but not applied: the Rust SDK \
                sets the versioning behavior per worker \
                (`WorkerDeploymentOptions::default_versioning_behavior`), not per workflow"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 21, "{stderr}");
    let generated = std::fs::read_dir(&out).expect("out dir").count();
    assert!(generated > 0, "nothing generated");
    let _ = std::fs::remove_dir_all(&out);
}
