//! Decoding a `CodeGeneratorRequest` while keeping each file's raw bytes,
//! so that custom options survive into the prost-reflect pool.

use std::collections::{BTreeSet, HashMap};

use prost::Message;
use prost_reflect::DescriptorPool;

use super::editions;
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
/// the pool.
#[derive(Clone, PartialEq, Message)]
struct FileHeader {
    #[prost(string, optional, tag = "1")]
    name: Option<String>,
    #[prost(string, repeated, tag = "3")]
    dependency: Vec<String>,
    #[prost(string, optional, tag = "12")]
    syntax: Option<String>,
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

    // Files to generate that import the schema, directly or not.
    let importers = importers_of(SCHEMA_FILE, &headers);
    let relevant: Vec<String> = request
        .file_to_generate
        .iter()
        .filter(|f| importers.contains(f.as_str()))
        .cloned()
        .collect();
    if relevant.is_empty() {
        return Ok(None);
    }

    let needed = with_imports(&relevant, &headers)?;
    for name in &needed {
        let (header, _) = &headers[name.as_str()];
        check_syntax(name, header)?;
    }

    let mut pool = DescriptorPool::new();
    // `proto_file` lists files in topological order; keep that order.
    for raw in &request.proto_file {
        let header = FileHeader::decode(raw.as_slice()).unwrap_or_default();
        let name = header.name.unwrap_or_default();
        if needed.contains(&name) {
            add_file(&mut pool, &name, &editions::as_classic(raw)?)?;
        }
    }
    Ok(Some((pool, relevant)))
}

/// Adds one file to the pool. prost-reflect panics while describing some
/// errors of a file it is adding (a label that points into that very file,
/// which its list does not hold yet): that is an invalid file too.
fn add_file(pool: &mut DescriptorPool, name: &str, raw: &[u8]) -> Result<(), Error> {
    let added = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        pool.decode_file_descriptor_proto(raw)
    }));
    let message = match added {
        Ok(Ok(())) => return Ok(()),
        Ok(Err(e)) => e.to_string(),
        Err(_) => {
            "prost-reflect cannot read it (it panicked describing an error in it)".to_string()
        }
    };
    Err(Error::Descriptor {
        file: name.to_string(),
        message,
    })
}

/// Every file that imports `target`, directly or through other files: one
/// walk of the reversed import graph, linear in the request's size and
/// without recursion (a request may hold a chain of thousands of files).
fn importers_of<'a>(
    target: &str,
    headers: &'a HashMap<String, (FileHeader, &[u8])>,
) -> BTreeSet<&'a str> {
    let mut imported_by: HashMap<&str, Vec<&str>> = HashMap::new();
    for (name, (header, _)) in headers {
        for dep in &header.dependency {
            imported_by
                .entry(dep.as_str())
                .or_default()
                .push(name.as_str());
        }
    }
    let mut found = BTreeSet::new();
    let mut todo = vec![target];
    while let Some(file) = todo.pop() {
        for &importer in imported_by.get(file).into_iter().flatten() {
            if found.insert(importer) {
                todo.push(importer);
            }
        }
    }
    found
}

/// `files` and everything they import, directly or not (one walk, no
/// recursion). Every imported file must be in the request.
fn with_imports(
    files: &[String],
    headers: &HashMap<String, (FileHeader, &[u8])>,
) -> Result<BTreeSet<String>, Error> {
    let mut needed: BTreeSet<String> = files.iter().cloned().collect();
    let mut todo: Vec<&str> = files.iter().map(String::as_str).collect();
    while let Some(file) = todo.pop() {
        let Some((header, _)) = headers.get(file) else {
            return Err(Error::Request(format!(
                "the request lacks imported file `{file}`"
            )));
        };
        for dep in &header.dependency {
            if needed.insert(dep.clone()) {
                todo.push(dep);
            }
        }
    }
    Ok(needed)
}

/// A `syntax` the descriptor library does not know (it panics on one) is an
/// invalid descriptor. Editions files are read as a classic syntax (see
/// [`editions`]).
fn check_syntax(name: &str, header: &FileHeader) -> Result<(), Error> {
    match header.syntax.as_deref() {
        None | Some("" | "proto2" | "proto3" | "editions") => Ok(()),
        Some(other) => Err(Error::Descriptor {
            file: name.to_string(),
            message: format!(
                "unknown syntax {other:?} (expected \"proto2\", \"proto3\" or \"editions\")"
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost_types::FileDescriptorProto;

    fn file(name: &str, deps: &[&str], syntax: &str) -> Vec<u8> {
        FileDescriptorProto {
            name: Some(name.to_string()),
            package: Some(format!("p{}", name.len())),
            dependency: deps.iter().map(|d| d.to_string()).collect(),
            syntax: Some(syntax.to_string()),
            ..Default::default()
        }
        .encode_to_vec()
    }

    fn schema() -> Vec<u8> {
        FileDescriptorProto {
            name: Some(SCHEMA_FILE.to_string()),
            package: Some("temporal.v1".to_string()),
            syntax: Some("proto3".to_string()),
            ..Default::default()
        }
        .encode_to_vec()
    }

    #[test]
    fn a_long_import_chain_is_walked_in_linear_time_without_recursion() {
        // The walk used to keep every file's whole import closure (quadratic:
        // a 20,000-file chain took more than 6 GB) and to recurse once per
        // link. Run it on a small stack to prove it no longer recurses.
        const LINKS: usize = 20_000;
        let mut proto_file = vec![schema()];
        let names: Vec<String> = (0..LINKS).map(|i| format!("chain/f{i}.proto")).collect();
        for (i, name) in names.iter().enumerate() {
            let dep = if i == 0 {
                SCHEMA_FILE
            } else {
                names[i - 1].as_str()
            };
            proto_file.push(file(name, &[dep], "proto3"));
        }
        let request = RawRequest {
            file_to_generate: vec![names[LINKS - 1].clone()],
            parameter: None,
            proto_file,
        };
        let relevant = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                let headers = request
                    .proto_file
                    .iter()
                    .map(|raw| {
                        let h = FileHeader::decode(raw.as_slice()).expect("header");
                        (h.name.clone().unwrap_or_default(), (h, raw.as_slice()))
                    })
                    .collect::<HashMap<_, _>>();
                let importers = importers_of(SCHEMA_FILE, &headers);
                let needed = with_imports(&request.file_to_generate, &headers).expect("walk");
                (importers.len(), needed.len())
            })
            .expect("spawn")
            .join()
            .expect("no stack overflow");
        assert_eq!(relevant, (LINKS, LINKS + 1));
    }

    #[test]
    fn an_unknown_syntax_is_an_error_not_a_panic() {
        let request = RawRequest {
            file_to_generate: vec!["odd.proto".to_string()],
            parameter: None,
            proto_file: vec![schema(), file("odd.proto", &[SCHEMA_FILE], "proto4")],
        };
        let err = load_pool(&request).expect_err("unknown syntax");
        let message = err.to_string();
        assert!(
            message.contains("odd.proto") && message.contains("unknown syntax \"proto4\""),
            "{message}"
        );
    }
}
