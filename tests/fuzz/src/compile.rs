//! Generated protos to a plugin request, compiled in-process by protox
//! (a pure-Rust protobuf compiler): protoc itself would cost a process per
//! input. The compile check of sampled outputs runs real protoc on the same
//! files, so what protox accepts and protoc does not is caught there.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use prost::Message;
use protoc_gen_rust_temporal::RawRequest;
use protox::file::{File, FileResolver};

use crate::protogen::Protos;
use crate::seeds::RawSet;

/// The `temporal.v1` schema, what it imports and the well-known types,
/// compiled once: each input then parses only its own files.
#[derive(Clone, Default)]
pub struct Schema(Arc<HashMap<String, prost_types::FileDescriptorProto>>);

/// Well-known types the generated protos import.
pub const WELL_KNOWN: &[&str] = &[
    "google/protobuf/empty.proto",
    "google/protobuf/timestamp.proto",
    "google/protobuf/duration.proto",
    "google/protobuf/wrappers.proto",
    "google/protobuf/struct.proto",
    "google/protobuf/any.proto",
];

impl Schema {
    /// Compiles the schema from the workspace's `proto` directory.
    pub fn load(root: &Path) -> Result<Self, String> {
        let base = root.join("proto");
        let mut names = Vec::new();
        let mut stack = vec![base.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))? {
                let path = entry.map_err(|e| e.to_string())?.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "proto") {
                    let name = path.strip_prefix(&base).expect("under base");
                    names.push(name.to_string_lossy().into_owned());
                }
            }
        }
        names.extend(WELL_KNOWN.iter().map(|s| s.to_string()));
        let mut compiler = protox::Compiler::new([&base]).map_err(|e| e.to_string())?;
        compiler.include_imports(true);
        compiler.open_files(&names).map_err(|e| e.to_string())?;
        let files = compiler.file_descriptor_set().file;
        Ok(Self(Arc::new(
            files
                .into_iter()
                .map(|f| (f.name().to_string(), f))
                .collect(),
        )))
    }
}

struct Resolver {
    sources: Protos,
    schema: Schema,
}

impl FileResolver for Resolver {
    fn open_file(&self, name: &str) -> Result<File, protox::Error> {
        if let Some((_, source)) = self.sources.files.iter().find(|(n, _)| n == name) {
            return File::from_source(name, source);
        }
        match self.schema.0.get(name) {
            Some(descriptor) => Ok(File::from_file_descriptor_proto(descriptor.clone())),
            None => Err(protox::Error::file_not_found(name)),
        }
    }
}

/// The request protoc would send for `protos` with `parameter`, or
/// protox's error when it rejects them.
pub fn request(
    schema: &Schema,
    protos: &Protos,
    parameter: Option<String>,
) -> Result<Vec<u8>, String> {
    let mut compiler = protox::Compiler::with_file_resolver(Resolver {
        sources: protos.clone(),
        schema: schema.clone(),
    });
    compiler.include_imports(true).include_source_info(true);
    let names: Vec<&str> = protos.files.iter().map(|(n, _)| n.as_str()).collect();
    compiler.open_files(&names).map_err(|e| e.to_string())?;
    let set = RawSet::decode(compiler.encode_file_descriptor_set().as_slice())
        .map_err(|e| e.to_string())?;
    Ok(RawRequest {
        file_to_generate: names.iter().map(|n| n.to_string()).collect(),
        parameter,
        proto_file: set.file,
    }
    .encode_to_vec())
}
