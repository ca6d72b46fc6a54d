//! The protoc plugin binary: a request on stdin, a response on stdout.

use std::io::{Read, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut request = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut request) {
        eprintln!("protoc-gen-rust-temporal: cannot read the request from stdin: {e}");
        return ExitCode::FAILURE;
    }
    let response = protoc_gen_rust_temporal::run(&request);
    if let Err(e) = std::io::stdout().write_all(&response) {
        eprintln!("protoc-gen-rust-temporal: cannot write the response to stdout: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
