//! The committed prost types of the options schema
//! (`src/options/generated/`) are what protoc-gen-prost generates from
//! `proto/` today. Regenerate with the command in the failure message.

mod support;

use std::process::Command;

const FILES: &[&str] = &[
    "temporal/v1/temporal.proto",
    "temporal/api/common/v1/message.proto",
    "temporal/api/enums/v1/workflow.proto",
    "temporal/api/enums/v1/common.proto",
    "temporal/api/enums/v1/event_type.proto",
    "temporal/api/enums/v1/reset.proto",
];

#[test]
fn schema_is_current() {
    let root = support::root();
    let out = std::env::temp_dir().join(format!("schema-current-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let home = std::env::var("HOME").unwrap_or_default();
    let path = format!(
        "{home}/.cargo/bin:{}",
        std::env::var("PATH").unwrap_or_default()
    );
    let status = Command::new(std::env::var("PROTOC").unwrap_or_else(|_| "protoc".into()))
        .env("PATH", path)
        .current_dir(root.join("proto"))
        .arg(format!("--prost_out=flat_output_dir:{}", out.display()))
        .args(FILES)
        .status()
        .expect("run protoc with protoc-gen-prost (scripts/setup.sh installs both)");
    assert!(status.success());
    let committed = root.join("crates/protoc-gen-rust-temporal/src/options/generated");
    for name in [
        "temporal.v1.rs",
        "temporal.api.common.v1.rs",
        "temporal.api.enums.v1.rs",
    ] {
        let fresh = std::fs::read_to_string(out.join(name)).unwrap();
        let kept = std::fs::read_to_string(committed.join(name)).unwrap();
        assert!(
            fresh == kept,
            "{name} is stale: run `cd proto && protoc --prost_out=flat_output_dir:../crates/protoc-gen-rust-temporal/src/options/generated {}`",
            FILES.join(" ")
        );
    }
    let _ = std::fs::remove_dir_all(&out);
}
