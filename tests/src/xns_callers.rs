//! Workflows of the XNS end-to-end tests, written the way a user would:
//! callers in one namespace use the generated `example_temporal::xns`
//! module to reach `CreateFoo` in another; `FlakyFoo` is a target that
//! fails on request.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use temporalio_client::WorkflowIdConflictPolicy;
use temporalio_common::RetryPolicy;
use temporalio_common::error::ApplicationFailure;
use temporalio_sdk::{WorkflowContext, WorkflowContextView, WorkflowResult};
use temporalio_workflow::{workflow, workflow_methods};
use xns_runtime::client::ParentClose;

use crate::generated::example::v1::{
    CreateFooRequest, CreateFooResponse, Foo, SetFooProgressRequest,
    example_temporal::{
        CREATE_FOO_WORKFLOW_NAME, CreateFooWorkflow, GetFooProgressQuery, SetFooProgressSignal,
        UpdateFooProgressUpdate,
        xns::{self, CallOptions, WorkflowCallOptions, XnsError},
    },
    foo,
};

/// Application error type `FlakyFoo` fails with when asked to reject.
pub const REJECTED: &str = "FooRejected";
/// Application error type of `FlakyFoo`'s retryable failure.
pub const FLAKY: &str = "FooFlaky";

fn request(name: &str) -> CreateFooRequest {
    CreateFooRequest {
        name: name.to_string(),
    }
}

fn progress(p: f32) -> SetFooProgressRequest {
    SetFooProgressRequest { progress: p }
}

/// How an [`ExecuteCaller`] calls `CreateFoo` in the target namespace.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Plan {
    /// `CreateFoo` input name (the remote ID is `create-foo/<slug>`).
    pub name: String,
    /// Task queue of the remote workflow.
    pub task_queue: String,
    /// Start async and await through the run handle instead of one
    /// start-and-wait call.
    pub via_run: bool,
    /// Remote execution timeout.
    pub execution_timeout_ms: Option<u64>,
    /// Remote retry policy: this many attempts, 100 ms apart.
    pub remote_attempts: Option<u32>,
    /// `request_cancel`, `terminate` or `abandon`.
    pub parent_close: Option<String>,
    /// Heartbeat timeout of the XNS activity (interval: a third of it).
    pub heartbeat_timeout_ms: Option<u64>,
    /// Schedule-to-close timeout of the XNS activity.
    pub call_timeout_ms: Option<u64>,
    /// The XNS activity's name, when registered under another one.
    pub activity_name: Option<String>,
    /// Memo `owner` of the remote workflow.
    pub memo_owner: Option<String>,
    /// Search attribute `EchoName` (a keyword) of the remote workflow.
    pub echo_name: Option<String>,
    /// Start delay of the remote workflow.
    pub start_delay_ms: Option<u64>,
}

impl Plan {
    /// A plan for `name` on `task_queue` with everything else defaulted.
    pub fn new(name: impl Into<String>, task_queue: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            task_queue: task_queue.into(),
            ..Self::default()
        }
    }

    /// The call options this plan asks for.
    pub fn options(&self) -> WorkflowCallOptions {
        let mut o = WorkflowCallOptions::new().task_queue(&self.task_queue);
        if let Some(ms) = self.execution_timeout_ms {
            o = o.execution_timeout(Duration::from_millis(ms));
        }
        if let Some(attempts) = self.remote_attempts {
            o = o.retry_policy(
                RetryPolicy::builder()
                    .initial_interval(Duration::from_millis(100))
                    .backoff_coefficient(1.0)
                    .maximum_attempts(attempts)
                    .build(),
            );
        }
        if let Some(policy) = &self.parent_close {
            o = o.parent_close_policy(match policy.as_str() {
                "terminate" => ParentClose::Terminate,
                "abandon" => ParentClose::Abandon,
                _ => ParentClose::RequestCancel,
            });
        }
        if let Some(ms) = self.heartbeat_timeout_ms {
            o = o
                .heartbeat_timeout(Duration::from_millis(ms))
                .heartbeat_interval(Duration::from_millis(ms / 3));
        }
        if let Some(ms) = self.call_timeout_ms {
            o = o.schedule_to_close_timeout(Duration::from_millis(ms));
        }
        if let Some(name) = &self.activity_name {
            o = o.activity_name(name);
        }
        if let Some(owner) = &self.memo_owner {
            let mut memo = serde_json::Map::new();
            memo.insert("owner".to_string(), owner.as_str().into());
            o = o.memo(memo);
        }
        if let Some(name) = &self.echo_name {
            let mut attributes = serde_json::Map::new();
            attributes.insert("EchoName".to_string(), name.as_str().into());
            o = o.search_attributes(attributes);
        }
        if let Some(ms) = self.start_delay_ms {
            o = o.start_delay(Duration::from_millis(ms));
        }
        o
    }
}

/// What an XNS call returned, as the caller saw it.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Outcome {
    /// The remote `Foo`'s name on success.
    pub foo: Option<String>,
    /// [`XnsError::code`].
    pub code: Option<String>,
    /// [`XnsError::is_non_retryable`].
    pub non_retryable: bool,
    /// [`XnsError::is_cancelled`].
    pub cancelled: bool,
    /// The error's message.
    pub error: Option<String>,
}

impl Outcome {
    /// The outcome of a call's `result`.
    pub fn of(result: Result<CreateFooResponse, XnsError>) -> Self {
        match result {
            Ok(response) => Self {
                foo: response.foo.map(|f| f.name),
                ..Self::default()
            },
            Err(err) => Self {
                code: err.code().map(str::to_string),
                non_retryable: err.is_non_retryable(),
                cancelled: err.is_cancelled(),
                error: Some(format!("{:#}", anyhow::Error::new(err))),
                ..Self::default()
            },
        }
    }
}

/// Calls `CreateFoo` in the target namespace as its [`Plan`] says and
/// reports the outcome (errors included) as its result.
#[workflow]
pub struct ExecuteCaller {
    plan: Plan,
}

#[workflow_methods]
impl ExecuteCaller {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, plan: Plan) -> Self {
        Self { plan }
    }

    #[run(name = "xns_test.ExecuteCaller")]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<Outcome> {
        let plan = ctx.state(|s| s.plan.clone());
        let input = request(&plan.name);
        let result = if plan.via_run {
            match xns::create_foo_async(ctx, input, plan.options()).await {
                Ok(run) => run.get().await,
                Err(err) => Err(err),
            }
        } else {
            xns::create_foo(ctx, input, plan.options()).await
        };
        Ok(Outcome::of(result))
    }
}

/// What [`RoundTripCaller`] observed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RoundTrip {
    /// The remote workflow's ID.
    pub id: String,
    /// Progress queried through the run handle after signalling 0.25.
    pub queried: f32,
    /// Progress the update through the run handle returned.
    pub updated: f32,
    /// Progress queried by ID after signalling 0.75 by ID.
    pub queried_by_id: f32,
    /// Status the final update (through an attached handle) returned.
    pub final_status: i32,
    /// Result name, through the run handle and through the attached one.
    pub results: Vec<String>,
    /// Result name of a signal-with-start (signal completes the workflow).
    pub signal_with_start: String,
    /// Progress the update-with-start returned, and the run's result name.
    pub update_with_start: (f32, String),
    /// The same through the async form, which returns the update call and
    /// the run at once.
    pub update_with_start_async: (f32, String),
}

/// Drives `CreateFoo` in the target namespace through every kind of call:
/// async start, run-handle signal/query/update, calls by ID, attach,
/// signal-with-start and update-with-start (both forms).
#[workflow]
pub struct RoundTripCaller {
    plan: Plan,
}

#[workflow_methods]
impl RoundTripCaller {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, plan: Plan) -> Self {
        Self { plan }
    }

    #[run(name = "xns_test.RoundTripCaller")]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<RoundTrip> {
        let plan = ctx.state(|s| s.plan.clone());
        let call = CallOptions::new;
        let run = xns::create_foo_async(ctx, request(&plan.name), plan.options()).await?;
        let id = run.id().to_string();

        run.signal(SetFooProgressSignal, progress(0.25), call())
            .await?;
        let queried = run.query(GetFooProgressQuery, (), call()).await?.progress;
        let updated = run
            .update(UpdateFooProgressUpdate, progress(0.5), call())?
            .await?
            .progress;

        xns::signal(ctx, SetFooProgressSignal, &id, None, progress(0.75), call()).await?;
        let queried_by_id = xns::query(ctx, GetFooProgressQuery, &id, None, (), call())
            .await?
            .progress;

        let attached = xns::get_create_foo(ctx, &id, None, plan.options());
        let final_status = attached
            .update(
                UpdateFooProgressUpdate,
                progress(1.0),
                call().update_id("final"),
            )?
            .await?
            .status;
        let results = vec![name_of(run.get().await?), name_of(attached.get().await?)];

        let sws = xns::execute_signal_with_start(
            ctx,
            CreateFooWorkflow,
            request(&format!("{} sws", plan.name)),
            SetFooProgressSignal,
            progress(1.0),
            plan.options(),
        )
        .await?;

        let (status, uws) = xns::update_with_start(
            ctx,
            CreateFooWorkflow,
            request(&format!("{} uws", plan.name)),
            UpdateFooProgressUpdate,
            progress(0.5),
            plan.options(),
            call(),
        )
        .await?;
        uws.signal(SetFooProgressSignal, progress(1.0), call())
            .await?;
        let uws_name = name_of(uws.get().await?);

        let (update, uwsa) = xns::update_with_start_async(
            ctx,
            CreateFooWorkflow,
            request(&format!("{} uwsa", plan.name)),
            UpdateFooProgressUpdate,
            progress(0.5),
            plan.options(),
            call(),
        )?;
        // The run is there before the update's result; signalling it now
        // could reach the new run before the update does (in its first
        // task), ending it first, so the update is awaited first.
        let uwsa_status = update.await?;
        uwsa.signal(SetFooProgressSignal, progress(1.0), call())
            .await?;
        let uwsa_name = name_of(uwsa.get().await?);

        Ok(RoundTrip {
            id,
            queried,
            updated,
            queried_by_id,
            final_status,
            results,
            signal_with_start: name_of(sws),
            update_with_start: (status.progress, uws_name),
            update_with_start_async: (uwsa_status.progress, uwsa_name),
        })
    }
}

fn name_of(response: CreateFooResponse) -> String {
    response.foo.map(|f| f.name).unwrap_or_default()
}

/// Update-with-start with "use existing": callers running this with the
/// same name share one remote run. Returns the update's progress and the
/// remote ID.
#[workflow]
pub struct SharedUpdateCaller {
    plan: Plan,
    progress: f32,
}

#[workflow_methods]
impl SharedUpdateCaller {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, input: (Plan, f32)) -> Self {
        Self {
            plan: input.0,
            progress: input.1,
        }
    }

    #[run(name = "xns_test.SharedUpdateCaller")]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<(f32, String)> {
        let (plan, p) = ctx.state(|s| (s.plan.clone(), s.progress));
        let options = plan
            .options()
            .id_conflict_policy(WorkflowIdConflictPolicy::UseExisting);
        let (status, run) = xns::update_with_start(
            ctx,
            CreateFooWorkflow,
            request(&plan.name),
            UpdateFooProgressUpdate,
            progress(p),
            options,
            CallOptions::new(),
        )
        .await?;
        Ok((status.progress, run.id().to_string()))
    }
}

/// A `CreateFoo` implementation that fails on request: a name starting
/// with `reject` fails at once with non-retryable [`REJECTED`], one
/// starting with `flaky` fails every attempt with retryable [`FLAKY`];
/// anything else behaves like [`crate::workers::CreateFoo`] (waits for
/// progress 1.0).
#[workflow]
pub struct FlakyFoo {
    name: String,
    progress: f32,
}

#[workflow_methods]
impl FlakyFoo {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, input: CreateFooRequest) -> Self {
        Self {
            name: input.name,
            progress: 0.0,
        }
    }

    #[run(name = CREATE_FOO_WORKFLOW_NAME)]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<CreateFooResponse> {
        let name = ctx.state(|s| s.name.clone());
        if name.starts_with("reject") {
            let failure = ApplicationFailure::builder(anyhow::anyhow!("foo {name} rejected"))
                .type_name(REJECTED.to_string())
                .non_retryable(true)
                .build();
            return Err(failure.into());
        }
        if name.starts_with("flaky") {
            let failure = ApplicationFailure::builder(anyhow::anyhow!("foo {name} is flaky"))
                .type_name(FLAKY.to_string())
                .build();
            return Err(failure.into());
        }
        ctx.wait_condition(|s| s.progress >= 1.0).await?;
        Ok(CreateFooResponse {
            foo: Some(Foo {
                name,
                status: foo::Status::FooStatusReady as i32,
            }),
        })
    }

    #[signal(name = crate::generated::example::v1::example_temporal::SET_FOO_PROGRESS_SIGNAL_NAME)]
    pub fn set_foo_progress(
        &mut self,
        _ctx: &mut temporalio_sdk::SyncWorkflowContext<Self>,
        input: SetFooProgressRequest,
    ) {
        self.progress = input.progress;
    }
}
