//! The protoc plugin binary: a request on stdin, a response on stdout.

use std::process::ExitCode;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match protoc_gen_rust_temporal::run_stdio() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!(
                "protoc-gen-rust-temporal: cannot exchange the request and response over stdin/stdout: {e}"
            );
            ExitCode::FAILURE
        }
    }
}
