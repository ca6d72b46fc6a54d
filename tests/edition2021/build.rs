//! Generates the protos that cover every generated surface (the example,
//! the kitchen sink with cross-package references, well-known types, and
//! the Go peer's interop service) into a crate on edition 2021.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    protoc_gen_rust_temporal::Builder::new()
        .include("../protos")
        .include("../../examples/protos")
        .compile(&[
            "../../examples/protos/example/v1/example.proto",
            "../protos/kitchen/v1/kitchen.proto",
            "../protos/kitchen/common/v1/common.proto",
            "../protos/clock/v1/clock.proto",
            "../protos/interop/v1/interop.proto",
            "../protos/worker/v1/worker.proto",
        ])?;
    Ok(())
}
