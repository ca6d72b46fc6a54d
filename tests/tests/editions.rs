//! End-to-end: an editions proto (`tests/protos-editions`, edition 2023)
//! that `buf build` compiled and the `Builder` generated (see build.rs), on
//! a real dev server. Its fields have explicit presence, so prost's fields
//! are `Option`s, the ID expression tells an unset memo from a set one, and
//! a zero amount that is set stays in the protojson payload, as Go's
//! protojson writes it. (The Go peer compares the start requests of the Go
//! generator's own editions protos with the Go client's.)

use anyhow::{Context, Result, bail};
use e2e::devserver;
use e2e::generated::editions::ledger::v1::{
    PostInput, PostOutput,
    ledger_temporal::{
        self as ledger, LedgerActivities, LedgerClient, PostContext, PostWorkflowImpl,
    },
};
use temporalio_client::WorkflowFetchHistoryOptions;
use temporalio_common::protos::temporal::api::history::v1::history_event::Attributes;
use temporalio_sdk::{Runtime, Worker, WorkerOptions, WorkflowContextView, WorkflowResult};
use xns_runtime::client::StartOptions;
use xns_runtime::worker::dispatch::{ActivityContext, ActivityError};

/// `Post`: the `Apply` of its input.
struct Post(PostInput);

impl PostWorkflowImpl for Post {
    fn new(_ctx: &WorkflowContextView, input: PostInput) -> Self {
        Self(input)
    }

    async fn run(ctx: PostContext<Self>) -> WorkflowResult<PostOutput> {
        let input = ctx.state(|s| s.0.clone());
        Ok(ledger::apply_activity(&ctx, input).await?)
    }
}

/// `Apply`: `opening + amount`.
#[derive(Clone, Copy)]
struct Apply;

impl LedgerActivities for Apply {
    async fn apply(
        &self,
        _ctx: ActivityContext,
        input: PostInput,
    ) -> Result<PostOutput, ActivityError> {
        Ok(PostOutput {
            account: input.account,
            balance: Some(input.opening.unwrap_or_default() + input.amount.unwrap_or_default()),
        })
    }
}

const NAMESPACE: &str = "default";

#[tokio::test]
async fn an_editions_proto_runs_with_explicit_presence() -> Result<()> {
    let server = devserver::shared().await;
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let mut options = WorkerOptions::new(ledger::LEDGER_TASK_QUEUE).build();
    ledger::register_ledger_workflows::<Post>(&mut options)?;
    ledger::register_ledger_activities(&mut options, Apply)?;
    let mut worker = Worker::new(&runtime, server.client(NAMESPACE).await?, options)?;
    let client = LedgerClient::new(server.client(NAMESPACE).await?);
    let unique = std::process::id();

    let body = async {
        let input = PostInput {
            account: Some(format!("acme-{unique}")),
            amount: Some(0),
            opening: Some(5),
            memo: None,
        };
        let run = client.post_async(input, StartOptions::new()).await?;
        assert_eq!(run.id(), format!("ledger/acme-{unique}/none"));
        let out = run.get().await?;
        assert_eq!(out.balance, Some(5));

        let data = start_payload(&client, run.id()).await?;
        let json: serde_json::Value = serde_json::from_str(&data)?;
        assert_eq!(
            json,
            serde_json::json!({"account": format!("acme-{unique}"), "amount": "0", "opening": "5"}),
            "a set zero stays, an unset memo is absent: {data}"
        );

        let memo = PostInput {
            account: Some(format!("acme-{unique}")),
            memo: Some(String::new()),
            ..PostInput::default()
        };
        let run = client.post_async(memo, StartOptions::new()).await?;
        // A set empty memo is a value, so `.or("none")` keeps it.
        assert_eq!(run.id(), format!("ledger/acme-{unique}/"));
        assert_eq!(run.get().await?.balance, Some(0));
        anyhow::Ok(())
    };
    tokio::select! {
        result = worker.run() => bail!("worker stopped early: {result:?}"),
        result = tokio::time::timeout(std::time::Duration::from_secs(120), body) => result?,
    }
}

/// The data of the input payload of the start of `workflow_id`.
async fn start_payload(client: &LedgerClient, workflow_id: &str) -> Result<String> {
    let events = client
        .get_post(workflow_id, None)
        .handle()
        .fetch_history(WorkflowFetchHistoryOptions::default())
        .into_events()
        .await?;
    let payload = events
        .iter()
        .find_map(|e| match &e.attributes {
            Some(Attributes::WorkflowExecutionStartedEventAttributes(a)) => a.input.as_ref(),
            _ => None,
        })
        .and_then(|p| p.payloads.first())
        .context("no start input")?;
    Ok(String::from_utf8_lossy(&payload.data).into_owned())
}
