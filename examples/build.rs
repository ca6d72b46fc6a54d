//! The whole code generation of the examples: one builder call. The protos
//! import `temporal/v1/temporal.proto`, which the builder provides.

// snippet:start build-rs
fn main() -> Result<(), Box<dyn std::error::Error>> {
    protoc_gen_rust_temporal::Builder::new()
        .include("protos")
        .compile(&[
            "protos/example/v1/example.proto",
            "protos/provision/v1/provision.proto",
        ])?;
    Ok(())
}
// snippet:end
