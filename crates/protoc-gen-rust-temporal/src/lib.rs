//! `protoc-gen-rust-temporal`: typed Rust for the Temporal Rust SDK from
//! `temporal.v1`-annotated protobuf services.
//!
//! The data flow is one way: request bytes -> descriptor pool
//! ([`plugin`]) -> typed options ([`options`]) -> validated model
//! ([`model`]) -> Rust files ([`render`]). The binary is a thin wrapper over
//! [`run`]; `build.rs` users call [`Builder`] (or [`generate`] on a
//! request they built).

pub mod builder;
pub mod error;
pub mod expr;
pub mod model;
pub mod names;
pub mod notice;
pub mod options;
pub mod plugin;
pub mod render;

use prost::Message;
use prost_types::compiler::{CodeGeneratorResponse, code_generator_response};

pub use builder::{BuildError, Builder, compile_protos};
pub use error::Error;
pub use notice::Notice;
pub use plugin::{Params, RawRequest, Surfaces};
pub use render::OutputFile;

/// `CodeGeneratorResponse.supported_features`: proto3 `optional`, and
/// editions (within the range below).
const SUPPORTED_FEATURES: u64 = 1 | 2;
/// `CodeGeneratorResponse.minimum_edition` and `maximum_edition` (fields
/// prost_types 0.14 lacks): `EDITION_PROTO2` to `EDITION_2023`.
const MINIMUM_EDITION: (u32, i32) = (3, 998);
const MAXIMUM_EDITION: (u32, i32) = (4, 1000);

/// The output of one request: the files, and the notices about options
/// that are set but change nothing in them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Generation {
    /// The generated files.
    pub files: Vec<OutputFile>,
    /// Options read but not applied, in the order of the protos.
    pub notices: Vec<Notice>,
}

/// Generates the files for a decoded request.
pub fn generate(request: &RawRequest) -> Result<Vec<OutputFile>, Error> {
    generate_with_notices(request).map(|g| g.files)
}

/// Generates the files for a decoded request, with the notices about the
/// options it does not apply.
pub fn generate_with_notices(request: &RawRequest) -> Result<Generation, Error> {
    let params = Params::parse(request.parameter.as_deref().unwrap_or_default())?;
    let Some((pool, files)) = plugin::load_pool(request)? else {
        return Ok(Generation::default());
    };
    let model = model::build(&pool, &files)?;
    Ok(Generation {
        files: render::render(&model, &params)?,
        notices: model.notices,
    })
}

/// Runs the plugin as protoc and buf call it: the request on stdin, the
/// response on stdout. A generation error goes into the response (protoc
/// reports it); only an I/O failure is returned.
pub fn run_stdio() -> std::io::Result<()> {
    use std::io::{Read, Write};
    let mut request = Vec::new();
    std::io::stdin().read_to_end(&mut request)?;
    let (response, notices) = respond(&request);
    for notice in &notices {
        eprintln!("protoc-gen-rust-temporal: warning: {notice}");
    }
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&response)?;
    stdout.flush()
}

/// Runs the plugin on encoded `CodeGeneratorRequest` bytes and returns the
/// encoded `CodeGeneratorResponse`. Errors go into the response's `error`.
pub fn run(request: &[u8]) -> Vec<u8> {
    respond(request).0
}

/// The encoded response to encoded request bytes, and the notices (none
/// when generation fails).
fn respond(request: &[u8]) -> (Vec<u8>, Vec<Notice>) {
    let result = RawRequest::decode(request)
        .map_err(|e| Error::Request(e.to_string()))
        .and_then(|r| generate_with_notices(&r));
    let (response, notices) = match result {
        Ok(Generation { files, notices }) => (
            CodeGeneratorResponse {
                supported_features: Some(SUPPORTED_FEATURES),
                file: files
                    .into_iter()
                    .map(|f| code_generator_response::File {
                        name: Some(f.name),
                        insertion_point: f.insertion_point,
                        content: Some(f.content),
                        generated_code_info: None,
                    })
                    .collect(),
                ..Default::default()
            },
            notices,
        ),
        Err(e) => (
            CodeGeneratorResponse {
                error: Some(e.to_string()),
                supported_features: Some(SUPPORTED_FEATURES),
                ..Default::default()
            },
            Vec::new(),
        ),
    };
    let mut bytes = response.encode_to_vec();
    for (tag, edition) in [MINIMUM_EDITION, MAXIMUM_EDITION] {
        prost::encoding::int32::encode(tag, &edition, &mut bytes);
    }
    (bytes, notices)
}
