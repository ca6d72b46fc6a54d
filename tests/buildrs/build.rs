//! The build script a user writes: one builder call. The proto imports
//! `temporal/v1/temporal.proto`, which the builder provides.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    protoc_gen_rust_temporal::Builder::new()
        .include("../protos")
        .compile(&["../protos/example/v1/example.proto"])?;
    Ok(())
}
