//! The caller side: `ProvisionFoo` of `provision.v1.Provision` runs in the
//! caller's namespace and reaches `CreateFoo` in the target namespace
//! through the generated `example_temporal::xns` module.

use temporalio_sdk::{WorkflowContextView, WorkflowResult};

use crate::protos::example::v1::{
    CreateFooRequest, SetFooProgressRequest,
    example_temporal::{
        GetFooProgressQuery, SetFooProgressSignal, UpdateFooProgressUpdate,
        xns::{self, CallOptions, WorkflowCallOptions},
    },
};
use crate::protos::provision::v1::{
    ProvisionFooRequest, ProvisionFooResponse,
    provision_temporal::{ProvisionFooContext, ProvisionFooWorkflowImpl},
};

/// `ProvisionFoo`: starts `CreateFoo` in the target namespace, signals,
/// queries and updates it, awaits its result, and reports every step.
pub struct ProvisionFoo {
    name: String,
}

impl ProvisionFooWorkflowImpl for ProvisionFoo {
    fn new(_ctx: &WorkflowContextView, input: ProvisionFooRequest) -> Self {
        Self { name: input.name }
    }

    // snippet:start xns-calls
    async fn run(ctx: ProvisionFooContext<Self>) -> WorkflowResult<ProvisionFooResponse> {
        let mut steps = Vec::new();
        let name = ctx.state(|s| s.name.clone());

        // Start CreateFoo in the target namespace; the handle resolves once
        // the remote run has started. Defaults (task queue, timeouts,
        // heartbeats) come from the proto's options.
        let request = CreateFooRequest { name };
        let run = xns::create_foo_async(&ctx, request, WorkflowCallOptions::new()).await?;
        steps.push(format!(
            "started CreateFoo `{}` in the target namespace",
            run.id()
        ));

        let progress = SetFooProgressRequest { progress: 0.3 };
        run.signal(SetFooProgressSignal, progress, CallOptions::new())
            .await?;
        steps.push("signalled SetFooProgress(0.3)".to_string());

        let status = run
            .query(GetFooProgressQuery, (), CallOptions::new())
            .await?;
        steps.push(format!(
            "queried GetFooProgress: progress {:.1}, status {}",
            status.progress,
            status.status().as_str_name()
        ));

        let progress = SetFooProgressRequest { progress: 1.0 };
        let status = run
            .update(UpdateFooProgressUpdate, progress, CallOptions::new())?
            .await?;
        steps.push(format!(
            "updated UpdateFooProgress(1.0): status {}",
            status.status().as_str_name()
        ));

        let created = run.get().await?.foo.unwrap_or_default();
        steps.push(format!(
            "CreateFoo returned foo `{}`, status {}",
            created.name,
            created.status().as_str_name()
        ));
        Ok(ProvisionFooResponse {
            steps,
            foo_name: created.name,
        })
    }
    // snippet:end
}
