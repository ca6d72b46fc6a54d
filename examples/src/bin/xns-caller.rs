//! `cargo run -p examples --bin xns-caller`: a workflow in namespace `ns-a`
//! creates, signals, queries, updates and awaits `CreateFoo` in `ns-b`.

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let server = examples::start_dev_server().await?;
    examples::xns_caller::run(&server, &examples::fresh_foo_name("Provisioned Foo")).await?;
    println!("== done; stopping the dev server");
    Ok(())
}
