//! The seeds of the mutation mode: requests captured from real protoc runs
//! over the repository's protos (valid and invalid ones), as protoc hands
//! them to a plugin.

use std::path::{Path, PathBuf};
use std::process::Command;

use prost::Message;
use protoc_gen_rust_temporal::RawRequest;

/// A `FileDescriptorSet` with each file kept as raw bytes.
#[derive(Clone, PartialEq, Message)]
pub struct RawSet {
    #[prost(bytes = "vec", repeated, tag = "1")]
    pub file: Vec<Vec<u8>>,
}

/// The proto roots searched for seeds, relative to the workspace root.
const ROOTS: &[&str] = &[
    "tests/protos",
    "examples/protos",
    "crates/protoc-gen-rust-temporal/tests/protos",
    "tests/go-peer/protos",
];

/// Captures one request per proto file under the roots.
pub fn capture(root: &Path) -> Result<Vec<Vec<u8>>, String> {
    let includes: Vec<PathBuf> = std::iter::once(root.join("proto"))
        .chain(ROOTS.iter().map(|r| root.join(r)))
        .collect();
    let mut protos = Vec::new();
    for dir in ROOTS {
        collect(&root.join(dir), &root.join(dir), &mut protos);
    }
    protos.sort();
    let protoc = std::env::var("PROTOC").unwrap_or_else(|_| "protoc".into());
    let out = std::env::temp_dir().join(format!("fuzz-seed-{}.binpb", std::process::id()));
    let mut seeds = Vec::new();
    for proto in &protos {
        let status = Command::new(&protoc)
            .args(includes.iter().map(|d| format!("-I{}", d.display())))
            .args(["--include_imports", "--include_source_info"])
            .arg(format!("--descriptor_set_out={}", out.display()))
            .arg(proto)
            .stderr(std::process::Stdio::null())
            .status()
            .map_err(|e| format!("cannot run {protoc}: {e} (run scripts/setup.sh)"))?;
        if !status.success() {
            continue;
        }
        let bytes = std::fs::read(&out).map_err(|e| format!("{}: {e}", out.display()))?;
        let set = RawSet::decode(bytes.as_slice()).map_err(|e| e.to_string())?;
        let request = RawRequest {
            file_to_generate: vec![proto.clone()],
            parameter: None,
            proto_file: set.file,
        };
        seeds.push(request.encode_to_vec());
        seeds.push(as_editions(request).encode_to_vec());
    }
    let _ = std::fs::remove_file(&out);
    if seeds.is_empty() {
        return Err("no seed request could be captured".into());
    }
    Ok(seeds)
}

/// `request` with its files to generate turned into edition 2023 files, as
/// a newer protoc or buf hands them over (protoc 3.21 cannot parse
/// editions protos): a second `syntax`, `editions`, and an `edition`,
/// which protobuf reads as the values. The mutants of these reach the
/// generator's editions reading.
fn as_editions(mut request: RawRequest) -> RawRequest {
    /// `FileDescriptorProto.syntax` and `.edition`; `Edition.EDITION_2023`.
    const SYNTAX: u32 = 12;
    const EDITION: u32 = 14;
    const EDITION_2023: i32 = 1000;
    for file in &mut request.proto_file {
        let name = FileName::decode(file.as_slice())
            .map(|f| f.name)
            .unwrap_or_default();
        if request.file_to_generate.contains(&name) {
            prost::encoding::string::encode(SYNTAX, &"editions".to_string(), file);
            prost::encoding::int32::encode(EDITION, &EDITION_2023, file);
        }
    }
    request
}

/// The name of a `FileDescriptorProto`.
#[derive(Clone, PartialEq, Message)]
struct FileName {
    #[prost(string, tag = "1")]
    name: String,
}

fn collect(base: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(base, &path, out);
        } else if path.extension().is_some_and(|e| e == "proto")
            && let Ok(rel) = path.strip_prefix(base)
        {
            out.push(rel.to_string_lossy().into_owned());
        }
    }
}

/// Writes seeds as length-prefixed records.
pub fn save(path: &Path, seeds: &[Vec<u8>]) -> std::io::Result<()> {
    let mut out = Vec::new();
    for s in seeds {
        out.extend_from_slice(&(s.len() as u64).to_le_bytes());
        out.extend_from_slice(s);
    }
    std::fs::write(path, out)
}

/// Reads seeds written by [`save`].
pub fn load(path: &Path) -> std::io::Result<Vec<Vec<u8>>> {
    let bytes = std::fs::read(path)?;
    let mut rest = bytes.as_slice();
    let mut seeds = Vec::new();
    while let Some((len, tail)) = rest.split_first_chunk::<8>() {
        let len = u64::from_le_bytes(*len) as usize;
        if len > tail.len() {
            return Err(std::io::Error::other("truncated seed file"));
        }
        seeds.push(tail[..len].to_vec());
        rest = &tail[len..];
    }
    Ok(seeds)
}
