//! Runs `buf generate` on the repository's buf workspace (`buf.yaml` at the
//! root) once per template in this directory, as a user would:
//!
//! - `buf.gen.yaml`: buf's default strategy, one request per directory;
//! - `buf.gen.all.yaml`: `strategy: all`, one request for everything;
//! - `buf.gen.definitions.yaml` and `buf.gen.xns-only.yaml`: with parts of
//!   the generated surface switched off by plugin parameters.
//!
//! Both templates name the plugins as `local:` binaries found on `PATH`.
//! `protoc-gen-prost` comes from `~/.cargo/bin` (scripts/setup.sh installs
//! it); `protoc-gen-rust-temporal` is this very build script, linked under
//! that name into `OUT_DIR/bin`: run with `PIPELINES_ACT_AS_PLUGIN` set, it
//! answers like the plugin binary (whose `main` is the same one call).

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;

// Only `find`: this script runs `buf generate`, not `buf build`.
#[allow(dead_code)]
#[path = "../support/buf.rs"]
mod buf;

/// (template, output directory under `OUT_DIR`)
const TEMPLATES: &[(&str, &str)] = &[
    ("buf.gen.yaml", "directory"),
    ("buf.gen.all.yaml", "all"),
    ("buf.gen.definitions.yaml", "definitions"),
    ("buf.gen.xns-only.yaml", "xns_only"),
];

const ACT_AS_PLUGIN: &str = "PIPELINES_ACT_AS_PLUGIN";

fn main() {
    if env::var_os(ACT_AS_PLUGIN).is_some() {
        protoc_gen_rust_temporal::run_stdio().expect("plugin stdin/stdout");
        return;
    }

    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR"));
    let root = manifest
        .parent()
        .and_then(Path::parent)
        .expect("workspace root")
        .to_path_buf();
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    let path = plugin_path(&out);
    let buf = buf::find(&root);

    for (template, dir) in TEMPLATES {
        let target = out.join(dir);
        let _ = std::fs::remove_dir_all(&target);
        let status = Command::new(&buf)
            .current_dir(&root)
            .env("PATH", &path)
            .env(ACT_AS_PLUGIN, "1")
            .arg("generate")
            .arg("--template")
            .arg(manifest.join(template))
            .arg("--output")
            .arg(&target)
            .status()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", buf.display()));
        assert!(
            status.success(),
            "buf generate --template {template} failed: {status}"
        );
        println!(
            "cargo:rerun-if-changed={}",
            manifest.join(template).display()
        );
    }

    for input in ["buf.yaml", "proto", "examples/protos", "tests/protos"] {
        println!("cargo:rerun-if-changed={}", root.join(input).display());
    }
    println!("cargo:rerun-if-env-changed=BUF");
}

/// `PATH` for buf: `OUT_DIR/bin` (this script as `protoc-gen-rust-temporal`),
/// then `~/.cargo/bin` (protoc-gen-prost), then the inherited `PATH`.
fn plugin_path(out: &Path) -> OsString {
    let bin = out.join("bin");
    std::fs::create_dir_all(&bin).expect("create OUT_DIR/bin");
    let link = bin.join("protoc-gen-rust-temporal");
    let _ = std::fs::remove_file(&link);
    let me = env::current_exe().expect("build script path");
    std::os::unix::fs::symlink(&me, &link).expect("link the plugin");

    let mut dirs = vec![bin];
    if let Some(cargo_home) = env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
    {
        dirs.push(cargo_home.join("bin"));
    }
    if let Some(inherited) = env::var_os("PATH") {
        dirs.extend(env::split_paths(&inherited));
    }
    env::join_paths(dirs).expect("PATH")
}
