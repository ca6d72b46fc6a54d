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
pub mod options;
pub mod plugin;
pub mod render;

use prost::Message;
use prost_types::compiler::{CodeGeneratorResponse, code_generator_response};

pub use builder::{BuildError, Builder, compile_protos};
pub use error::Error;
pub use plugin::{Params, RawRequest, Surfaces};
pub use render::OutputFile;

/// `CodeGeneratorResponse.supported_features`: proto3 `optional`.
const FEATURE_PROTO3_OPTIONAL: u64 = 1;

/// Generates the files for a decoded request.
pub fn generate(request: &RawRequest) -> Result<Vec<OutputFile>, Error> {
    let params = Params::parse(request.parameter.as_deref().unwrap_or_default())?;
    let Some((pool, files)) = plugin::load_pool(request)? else {
        return Ok(Vec::new());
    };
    let model = model::build(&pool, &files)?;
    render::render(&model, &params)
}

/// Runs the plugin as protoc and buf call it: the request on stdin, the
/// response on stdout. A generation error goes into the response (protoc
/// reports it); only an I/O failure is returned.
pub fn run_stdio() -> std::io::Result<()> {
    use std::io::{Read, Write};
    let mut request = Vec::new();
    std::io::stdin().read_to_end(&mut request)?;
    let response = run(&request);
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(&response)?;
    stdout.flush()
}

/// Runs the plugin on encoded `CodeGeneratorRequest` bytes and returns the
/// encoded `CodeGeneratorResponse`. Errors go into the response's `error`.
pub fn run(request: &[u8]) -> Vec<u8> {
    let result = RawRequest::decode(request)
        .map_err(|e| Error::Request(e.to_string()))
        .and_then(|r| generate(&r));
    let response = match result {
        Ok(files) => CodeGeneratorResponse {
            supported_features: Some(FEATURE_PROTO3_OPTIONAL),
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
        Err(e) => CodeGeneratorResponse {
            error: Some(e.to_string()),
            supported_features: Some(FEATURE_PROTO3_OPTIONAL),
            ..Default::default()
        },
    };
    response.encode_to_vec()
}
