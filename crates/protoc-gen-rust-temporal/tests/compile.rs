//! Generated code for the protos that once gave code that did not compile
//! (names of fixed items, oneof paths in ID expressions, code blocks in
//! proto comments) compiles, with prost-build's messages and the real
//! runtime, and has no doctests that fail.
//!
//! It builds a crate of its own (with the Temporal SDK behind the runtime),
//! which takes minutes the first time, so it is ignored by default:
//! `cargo test -p protoc-gen-rust-temporal --test compile -- --ignored`.
//! Its build directory is `target/generated-code`.

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use prost::Message;

const PROTOS: &[&str] = &[
    "names/v1/names.proto",
    "ids/v1/ids.proto",
    "ids/other/v1/other.proto",
    "docs/v1/docs.proto",
];

/// A module tree: a package's files to include, and its sub-packages.
#[derive(Default)]
struct Tree {
    files: Vec<String>,
    children: BTreeMap<String, Tree>,
}

impl Tree {
    fn insert(&mut self, package: &str, file: String) {
        let mut node = self;
        for segment in package.split('.').filter(|s| !s.is_empty()) {
            node = node.children.entry(segment.to_string()).or_default();
        }
        node.files.push(file);
    }

    fn render(&self, out: &mut String) {
        for f in &self.files {
            out.push_str(&format!("include!({f:?});\n"));
        }
        for (name, child) in &self.children {
            out.push_str(&format!("pub mod {name} {{\n"));
            child.render(out);
            out.push_str("}\n");
        }
    }
}

fn cargo(dir: &Path, target: &Path, args: &[&str]) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "cargo {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
#[ignore = "builds a crate with the Temporal SDK; run with --ignored"]
fn generated_code_compiles_without_failing_doctests() {
    let root = support::root();
    let dir = root.join("target/generated-code/crate");
    let _ = std::fs::remove_dir_all(&dir);
    let src = dir.join("src");
    std::fs::create_dir_all(&src).expect("crate dir");

    let request = support::request(PROTOS, "flat_output_dir,module_insertion=false");
    let ours = protoc_gen_rust_temporal::generate(&request).expect("generation succeeds");
    // prost-build's messages for the files themselves (not their imports).
    let files: Vec<prost_types::FileDescriptorProto> = request
        .proto_file
        .iter()
        .map(|bytes| prost_types::FileDescriptorProto::decode(bytes.as_slice()).expect("file"))
        .filter(|f| PROTOS.contains(&f.name()))
        .collect();
    let packages: Vec<String> = files.iter().map(|f| f.package().to_string()).collect();
    prost_build::Config::new()
        .out_dir(&src)
        .compile_fds(prost_types::FileDescriptorSet { file: files })
        .expect("prost-build");

    let mut tree = Tree::default();
    let mut seen = Vec::new();
    for package in packages {
        if !seen.contains(&package) {
            tree.insert(&package, format!("{package}.rs"));
            seen.push(package);
        }
    }
    for file in &ours {
        std::fs::write(src.join(&file.name), &file.content).expect("write generated file");
        let package = file.name.trim_end_matches(".temporal.rs");
        tree.insert(package, file.name.clone());
    }
    let mut lib = String::from("#![allow(dead_code)]\n");
    tree.render(&mut lib);
    std::fs::write(src.join("lib.rs"), lib).expect("lib.rs");
    let runtime = root.join("crates/xns-runtime");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"generated-code\"\nversion = \"0.0.0\"\nedition = \"2024\"\n\
             publish = false\n\n[dependencies]\nprost = \"0.14\"\nprost-types = \"0.14\"\n\
             xns-runtime = {{ path = {:?} }}\n\n[workspace]\n\n\
             [profile.dev]\ndebug = \"line-tables-only\"\n\n\
             [profile.dev.package.\"*\"]\ndebug = false\n",
            runtime.display().to_string()
        ),
    )
    .expect("Cargo.toml");
    // The workspace's versions, so that the build matches what it tests.
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");

    let target = root.join("target/generated-code/target");
    cargo(&dir, &target, &["check", "--quiet"]);
    cargo(&dir, &target, &["test", "--doc", "--quiet"]);
}
