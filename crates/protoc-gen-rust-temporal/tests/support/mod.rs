//! Builds real `CodeGeneratorRequest`s by running protoc.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;

use prost::Message;
use protoc_gen_rust_temporal::RawRequest;

/// Workspace root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("root")
}

/// A `FileDescriptorSet` with each file kept as raw bytes.
#[derive(Clone, PartialEq, Message)]
struct RawSet {
    #[prost(bytes = "vec", repeated, tag = "1")]
    file: Vec<Vec<u8>>,
}

/// Runs protoc on `files` (relative to one of the include dirs: the schema,
/// `tests/protos`, `examples/protos` and this crate's `tests/protos`) and
/// builds the request a plugin would receive.
pub fn request(files: &[&str], parameter: &str) -> RawRequest {
    let root = root();
    let includes = [
        root.join("proto"),
        root.join("tests/protos"),
        root.join("examples/protos"),
        root.join("crates/protoc-gen-rust-temporal/tests/protos"),
    ];
    request_with_includes(&includes, files, parameter)
}

/// The request for a proto written at test time: `source` as
/// `<name>.proto` in a fresh include directory, beside the schema.
pub fn request_for_source(name: &str, source: &str) -> RawRequest {
    let dir = tempfile_path("src");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = format!("{name}.proto");
    std::fs::write(dir.join(&file), source).expect("write proto");
    let request = request_with_includes(&[root().join("proto"), dir.clone()], &[&file], "");
    let _ = std::fs::remove_dir_all(&dir);
    request
}

/// Runs protoc on `files` with the include dirs `includes`.
fn request_with_includes(includes: &[PathBuf], files: &[&str], parameter: &str) -> RawRequest {
    let out = tempfile_path("fds");
    let protoc = std::env::var("PROTOC").unwrap_or_else(|_| "protoc".into());
    let output = Command::new(protoc)
        .args(includes.iter().map(|dir| format!("-I{}", dir.display())))
        .arg("--include_imports")
        .arg("--include_source_info")
        .arg(format!("--descriptor_set_out={}", out.display()))
        .args(files)
        .output()
        .expect("run protoc (scripts/setup.sh installs it)");
    assert!(
        output.status.success(),
        "protoc failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let bytes = std::fs::read(&out).expect("read descriptor set");
    let _ = std::fs::remove_file(&out);
    let set = RawSet::decode(bytes.as_slice()).expect("descriptor set");
    RawRequest {
        file_to_generate: files.iter().map(|f| f.to_string()).collect(),
        parameter: (!parameter.is_empty()).then(|| parameter.to_string()),
        proto_file: set.file,
    }
}

fn tempfile_path(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    std::env::temp_dir().join(format!(
        "prgt-{}-{}-{}.bin",
        tag,
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ))
}

/// Generates and returns the error message, panicking on success.
pub fn generation_error(files: &[&str]) -> String {
    match protoc_gen_rust_temporal::generate(&request(files, "")) {
        Ok(files) => panic!("expected an error, generated {} files", files.len()),
        Err(e) => e.to_string(),
    }
}
