//! The examples run end to end against a dev server (started here, or
//! `TEMPORAL_ADDRESS`), and did what they print.

use examples::protos::example::v1::{example_temporal::ExampleClient, foo};
use examples::{CALLER_NAMESPACE, TARGET_NAMESPACE, fresh_foo_name, target_service, xns_caller};
use tokio::sync::Mutex;

/// Both examples run an `Example` worker on the same task queue; one at a
/// time, so that neither stops a worker the other is using.
static ONE_AT_A_TIME: Mutex<()> = Mutex::const_new(());

#[tokio::test]
async fn target_service_creates_a_ready_foo_through_the_generated_client() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let server = temporal_devserver::shared().await;
    let name = fresh_foo_name("Example Test");

    let response = target_service::run(server, &name)
        .await
        .expect("target service example");

    let foo = response.foo.expect("a foo");
    assert_eq!(foo.name, name);
    assert_eq!(foo.status(), foo::Status::FooStatusReady);
}

#[tokio::test]
async fn xns_caller_drives_create_foo_in_the_other_namespace() {
    let _turn = ONE_AT_A_TIME.lock().await;
    let server = temporal_devserver::shared().await;
    let name = fresh_foo_name("Caller Test");

    let response = xns_caller::run(server, &name)
        .await
        .expect("xns caller example");

    // The remote ID follows the proto's `create-foo/${! name.slug() }`.
    let id = response.steps[0]
        .strip_prefix("started CreateFoo `")
        .and_then(|rest| rest.strip_suffix("` in the target namespace"))
        .expect("first step names the remote run")
        .to_string();
    assert!(id.starts_with("create-foo/caller-test-"), "{id}");
    assert_eq!(response.foo_name, name);
    assert_eq!(
        response.steps,
        [
            format!("started CreateFoo `{id}` in the target namespace"),
            "signalled SetFooProgress(0.3)".to_string(),
            "queried GetFooProgress: progress 0.3, status FOO_STATUS_CREATING".to_string(),
            "updated UpdateFooProgress(1.0): status FOO_STATUS_READY".to_string(),
            format!("CreateFoo returned foo `{name}`, status FOO_STATUS_READY"),
        ]
    );

    // The remote run lives in the target namespace, not the caller's.
    let target = ExampleClient::new(server.client(TARGET_NAMESPACE).await.expect("client"));
    let remote = target
        .get_create_foo(&id, None)
        .get()
        .await
        .expect("remote result");
    assert_eq!(
        remote.foo.expect("a foo").status(),
        foo::Status::FooStatusReady
    );
    let caller = ExampleClient::new(server.client(CALLER_NAMESPACE).await.expect("client"));
    assert!(caller.get_create_foo(&id, None).get().await.is_err());
}
