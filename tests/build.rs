//! Generates the fixture code with the real pipeline users run:
//! `protoc --prost_out=X --rust-temporal_out=X`, with protoc-gen-prost and
//! our plugin joined through the `module` insertion point.
//!
//! The plugin binary is this very build script: protoc runs it again with
//! `E2E_ACT_AS_PLUGIN` set, and it answers like `protoc-gen-rust-temporal`
//! (whose `main` is the same one call), so no second cargo build is needed.

use std::env;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "support/buf.rs"]
mod buf;

const PROTOS: &[&str] = &[
    "example/v1/example.proto",
    "kitchen/v1/kitchen.proto",
    "kitchen/common/v1/common.proto",
    "interop/v1/interop.proto",
    "worker/v1/worker.proto",
    "clock/v1/clock.proto",
];

fn main() {
    if env::var_os("E2E_ACT_AS_PLUGIN").is_some() {
        protoc_gen_rust_temporal::run_stdio().expect("plugin stdin/stdout");
        return;
    }

    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest.parent().expect("workspace root").to_path_buf();
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("gen");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).expect("create out dir");

    let protoc = env::var("PROTOC").unwrap_or_else(|_| "protoc".into());
    let me = env::current_exe().expect("build script path");
    let prost = find_protoc_gen_prost();
    let status = Command::new(&protoc)
        .env("E2E_ACT_AS_PLUGIN", "1")
        .arg(format!("-I{}", root.join("proto").display()))
        .arg(format!("-I{}", manifest.join("protos").display()))
        .arg(format!("-I{}", root.join("examples/protos").display()))
        .arg(format!("--plugin=protoc-gen-prost={}", prost.display()))
        .arg(format!(
            "--plugin=protoc-gen-rust-temporal={}",
            me.display()
        ))
        .arg(format!("--prost_out={}", out.display()))
        .arg(format!("--rust-temporal_out={}", out.display()))
        .args(PROTOS)
        .status()
        .unwrap_or_else(|e| panic!("cannot run {protoc}: {e} (run scripts/setup.sh)"));
    assert!(status.success(), "protoc failed: {status}");

    println!(
        "cargo:rerun-if-changed={}",
        manifest.join("protos").display()
    );
    println!("cargo:rerun-if-changed={}", root.join("proto").display());
    println!(
        "cargo:rerun-if-changed={}",
        root.join("examples/protos").display()
    );
    println!("cargo:rerun-if-env-changed=PROTOC");

    editions(&root, &manifest, &out);
}

/// The editions proto (`protos-editions`), which protoc 3.21 cannot parse
/// and protoc-gen-prost does not support: `buf build` writes its
/// descriptor set (in a workspace of links to it and to the schema), and
/// the `Builder` generates prost's messages and our code from that, into
/// `gen/editions`.
fn editions(root: &Path, manifest: &Path, out: &Path) {
    let set = buf::build_set(
        &buf::find(root),
        &out.join("editions-workspace"),
        &[
            ("editions", &manifest.join("protos-editions")),
            ("schema", &root.join("proto")),
        ],
        &out.join("editions.binpb"),
    )
    .unwrap_or_else(|e| panic!("buf build of protos-editions: {e}"));
    let editions_out = out.join("editions");
    let _ = std::fs::remove_dir_all(&editions_out);
    std::fs::create_dir_all(&editions_out).expect("create gen/editions");
    // snippet:start editions
    protoc_gen_rust_temporal::Builder::new()
        .out_dir(&editions_out)
        .compile_descriptor_set(&set, &["ledger/v1/ledger.proto"])
        .expect("generate the editions proto");
    // snippet:end
    println!(
        "cargo:rerun-if-changed={}",
        manifest.join("protos-editions").display()
    );
    println!("cargo:rerun-if-env-changed=BUF");
}

/// protoc-gen-prost from PATH or `~/.cargo/bin` (scripts/setup.sh installs it).
fn find_protoc_gen_prost() -> PathBuf {
    let name = "protoc-gen-prost";
    let mut candidates: Vec<PathBuf> = env::var_os("PATH")
        .map(|p| env::split_paths(&p).map(|d| d.join(name)).collect())
        .unwrap_or_default();
    if let Some(home) = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
    {
        candidates.push(home.join("bin").join(name));
    }
    candidates
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| {
            panic!("{name} not found on PATH or in ~/.cargo/bin: run scripts/setup.sh")
        })
}
