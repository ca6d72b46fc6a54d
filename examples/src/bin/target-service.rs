//! `cargo run -p examples --bin target-service`: a worker for the `Example`
//! service and the generated client driving one `CreateFoo`.

#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    let server = examples::start_dev_server().await?;
    examples::target_service::run(&server, &examples::fresh_foo_name("Target Foo")).await?;
    println!("== done; stopping the dev server");
    Ok(())
}
