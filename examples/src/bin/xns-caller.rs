//! `cargo run -p examples --bin xns-caller`: a workflow in namespace `ns-a`
//! creates, signals, queries, updates and awaits `CreateFoo` in `ns-b`.

use anyhow::Result;
use temporal_devserver::DevServer;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<()> {
    println!(
        "== starting a Temporal dev server with namespaces ns-a and ns-b (or using TEMPORAL_ADDRESS)"
    );
    let server = DevServer::start().await?;
    println!("   server at {}", server.address());
    examples::xns_caller::run(&server, &examples::fresh_foo_name("Provisioned Foo")).await?;
    println!("== done; stopping the dev server");
    Ok(())
}
