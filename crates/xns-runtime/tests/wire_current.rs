//! The committed `temporal.xns.v1` prost types (`src/xns/wire/`) are what
//! protoc-gen-prost generates from `proto/temporal/xns/v1/xns.proto` today.
//! Regenerate with the command in the failure message.

use std::path::PathBuf;
use std::process::Command;

const OPTS: &[&str] = &[
    "--prost_opt=flat_output_dir",
    "--prost_opt=extern_path=.temporal.api=::temporalio_common::protos::temporal::api",
    "--prost_opt=extern_path=.temporal.v1.ParentClosePolicy=crate::xns::wire::ParentClosePolicy",
];

#[test]
fn wire_types_are_current() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = crate_dir.join("../..");
    let out = std::env::temp_dir().join(format!("xns-wire-current-{}", std::process::id()));
    std::fs::create_dir_all(&out).unwrap();
    let home = std::env::var("HOME").unwrap_or_default();
    let path = format!(
        "{home}/.cargo/bin:{}",
        std::env::var("PATH").unwrap_or_default()
    );
    let status = Command::new(std::env::var("PROTOC").unwrap_or_else(|_| "protoc".into()))
        .env("PATH", path)
        .current_dir(root.join("proto"))
        .arg(format!("--prost_out={}", out.display()))
        .args(OPTS)
        .arg("temporal/xns/v1/xns.proto")
        .status()
        .expect("run protoc with protoc-gen-prost (scripts/setup.sh installs both)");
    assert!(status.success());
    let name = "temporal.xns.v1.rs";
    let fresh = std::fs::read_to_string(out.join(name)).unwrap();
    let kept = std::fs::read_to_string(crate_dir.join("src/xns/wire").join(name)).unwrap();
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        fresh == kept,
        "{name} is stale: run `cd proto && protoc --prost_out=../crates/xns-runtime/src/xns/wire {} temporal/xns/v1/xns.proto`",
        OPTS.join(" ")
    );
}

#[test]
fn descriptor_set_is_current() {
    let crate_dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let root = crate_dir.join("../..");
    let out = std::env::temp_dir().join(format!("xns-binpb-current-{}.binpb", std::process::id()));
    let status = Command::new(std::env::var("PROTOC").unwrap_or_else(|_| "protoc".into()))
        .current_dir(root.join("proto"))
        .arg("--include_imports")
        .arg(format!("--descriptor_set_out={}", out.display()))
        .arg("temporal/xns/v1/xns.proto")
        .status()
        .expect("run protoc (scripts/setup.sh installs it)");
    assert!(status.success());
    let fresh = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    let kept = std::fs::read(crate_dir.join("src/xns/wire/xns.binpb")).unwrap();
    assert!(
        fresh == kept,
        "xns.binpb is stale: run `cd proto && protoc --include_imports --descriptor_set_out=../crates/xns-runtime/src/xns/wire/xns.binpb temporal/xns/v1/xns.proto`"
    );
}
