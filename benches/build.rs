//! Generates the benchmark services' code with the build.rs API.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    protoc_gen_rust_temporal::Builder::new()
        .include("protos")
        .compile(&["protos/bench/v1/bench.proto"])?;
    Ok(())
}
