//! Builds each sample directory of `FUZZ_CHECK_DIR` into its own module:
//! `sNNNNNNN/protos/**.proto` through the `Builder` (real protoc), or
//! `sNNNNNNN/request.binpb` (a plugin request) through
//! `Builder::compile_descriptor_set`. A sample that cannot be built is
//! written to `build-failures.txt` in that directory and left out; samples
//! named in `exclude.txt` are left out too.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use prost::Message;
use protoc_gen_rust_temporal::{Builder, RawRequest};

/// The descriptor set inside a request.
#[derive(Clone, PartialEq, Message)]
struct RawSet {
    #[prost(bytes = "vec", repeated, tag = "1")]
    file: Vec<Vec<u8>>,
}

fn main() {
    println!("cargo:rerun-if-env-changed=FUZZ_CHECK_DIR");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let mut modules = String::new();
    if let Some(dir) = std::env::var_os("FUZZ_CHECK_DIR").map(PathBuf::from) {
        println!("cargo:rerun-if-changed={}", dir.display());
        let exclude = std::fs::read_to_string(dir.join("exclude.txt")).unwrap_or_default();
        let mut failures = String::new();
        let mut samples: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("FUZZ_CHECK_DIR")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir())
            .collect();
        samples.sort();
        for sample in samples {
            let name = sample
                .file_name()
                .expect("name")
                .to_string_lossy()
                .into_owned();
            if exclude.lines().any(|l| l == name) {
                continue;
            }
            let target = out.join(&name);
            let _ = std::fs::remove_dir_all(&target);
            match build(&sample, &target) {
                Ok(()) => {
                    let _ = writeln!(
                        modules,
                        "pub mod {name} {{\n    include!(concat!(env!(\"OUT_DIR\"), \"/{name}/temporal_protos.rs\"));\n}}"
                    );
                }
                Err(e) => {
                    let _ = writeln!(failures, "{name}\t{}", e.replace('\n', "\\n"));
                }
            }
        }
        std::fs::write(dir.join("build-failures.txt"), failures).expect("write build-failures.txt");
    }
    std::fs::write(out.join("samples.rs"), modules).expect("write samples.rs");
}

fn build(sample: &Path, target: &Path) -> Result<(), String> {
    let builder = Builder::new().out_dir(target).emit_rerun_if_changed(false);
    let request = sample.join("request.binpb");
    if request.exists() {
        let bytes = std::fs::read(&request).map_err(|e| e.to_string())?;
        let request = RawRequest::decode(bytes.as_slice()).map_err(|e| e.to_string())?;
        let set = RawSet {
            file: request.proto_file,
        }
        .encode_to_vec();
        return builder
            .compile_descriptor_set(&set, &request.file_to_generate)
            .map_err(|e| error_chain(&e));
    }
    let root = sample.join("protos");
    let mut protos = Vec::new();
    collect(&root, &mut protos);
    protos.sort();
    builder
        .include(&root)
        .compile(&protos)
        .map_err(|e| error_chain(&e))
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut source = e.source();
    while let Some(cause) = source {
        let _ = write!(s, ": {cause}");
        source = cause.source();
    }
    s
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
}
