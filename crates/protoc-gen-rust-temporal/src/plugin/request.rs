//! Decoding a `CodeGeneratorRequest` while keeping each file's raw bytes,
//! so that custom options survive into the prost-reflect pool.

use std::collections::{BTreeSet, HashMap};

use prost::Message;
use prost_reflect::DescriptorPool;

use crate::error::Error;

/// The schema file whose import marks a file as relevant.
pub const SCHEMA_FILE: &str = "temporal/v1/temporal.proto";

/// `CodeGeneratorRequest` with `proto_file` kept as raw bytes. Decoding
/// through `prost_types` would drop the extension options.
#[derive(Clone, PartialEq, Message)]
pub struct RawRequest {
    #[prost(string, repeated, tag = "1")]
    pub file_to_generate: Vec<String>,
    #[prost(string, optional, tag = "2")]
    pub parameter: Option<String>,
    #[prost(bytes = "vec", repeated, tag = "15")]
    pub proto_file: Vec<Vec<u8>>,
}

/// The few header fields of a `FileDescriptorProto` needed before building
/// the pool (prost-reflect panics on editions files).
#[derive(Clone, PartialEq, Message)]
struct FileHeader {
    #[prost(string, optional, tag = "1")]
    name: Option<String>,
    #[prost(string, repeated, tag = "3")]
    dependency: Vec<String>,
    #[prost(string, optional, tag = "12")]
    syntax: Option<String>,
    #[prost(int32, optional, tag = "14")]
    edition: Option<i32>,
}

/// Builds the descriptor pool for the files to generate that use the
/// Temporal schema. Returns `None` when no file to generate imports it
/// (directly or through its imports): such a request yields no files.
pub fn load_pool(request: &RawRequest) -> Result<Option<(DescriptorPool, Vec<String>)>, Error> {
    let mut headers = HashMap::new();
    for raw in &request.proto_file {
        let header = FileHeader::decode(raw.as_slice())
            .map_err(|e| Error::Request(format!("undecodable FileDescriptorProto: {e}")))?;
        let name = header.name.clone().unwrap_or_default();
        headers.insert(name, (header, raw.as_slice()));
    }

    // Transitive imports of each file, memoised.
    let mut closure_cache: HashMap<String, BTreeSet<String>> = HashMap::new();
    let relevant: Vec<String> = request
        .file_to_generate
        .iter()
        .filter(|f| transitive_imports(f, &headers, &mut closure_cache).contains(SCHEMA_FILE))
        .cloned()
        .collect();
    if relevant.is_empty() {
        return Ok(None);
    }

    let mut needed = BTreeSet::new();
    for file in &relevant {
        needed.insert(file.clone());
        needed.extend(transitive_imports(file, &headers, &mut closure_cache));
    }
    for name in &needed {
        let Some((header, _)) = headers.get(name) else {
            return Err(Error::Request(format!(
                "the request lacks imported file `{name}`"
            )));
        };
        if header.syntax.as_deref() == Some("editions") || header.edition.is_some_and(|e| e != 0) {
            return Err(Error::Editions { file: name.clone() });
        }
    }

    let mut pool = DescriptorPool::new();
    // `proto_file` lists files in topological order; keep that order.
    for raw in &request.proto_file {
        let header = FileHeader::decode(raw.as_slice()).unwrap_or_default();
        let name = header.name.unwrap_or_default();
        if needed.contains(&name) {
            pool.decode_file_descriptor_proto(raw.as_slice())
                .map_err(|e| Error::Descriptor {
                    file: name.clone(),
                    message: e.to_string(),
                })?;
        }
    }
    Ok(Some((pool, relevant)))
}

fn transitive_imports(
    file: &str,
    headers: &HashMap<String, (FileHeader, &[u8])>,
    cache: &mut HashMap<String, BTreeSet<String>>,
) -> BTreeSet<String> {
    if let Some(found) = cache.get(file) {
        return found.clone();
    }
    // Guard against import cycles (protoc rejects them, hand-made requests may not).
    cache.insert(file.to_string(), BTreeSet::new());
    let mut all = BTreeSet::new();
    if let Some((header, _)) = headers.get(file) {
        for dep in &header.dependency {
            all.insert(dep.clone());
            all.extend(transitive_imports(dep, headers, cache));
        }
    }
    cache.insert(file.to_string(), all.clone());
    all
}
