//! `cargo run -p examples --bin target-service`: a worker for the `Example`
//! service and the generated client driving one `CreateFoo`.

use anyhow::Result;
use temporal_devserver::DevServer;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    println!(
        "== starting a Temporal dev server with namespaces ns-a and ns-b (or using TEMPORAL_ADDRESS)"
    );
    let server = DevServer::start().await?;
    println!("   server at {}", server.address());
    examples::target_service::run(&server, &examples::fresh_foo_name("Target Foo")).await?;
    println!("== done; stopping the dev server");
    Ok(())
}
