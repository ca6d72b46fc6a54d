//! The target side: `CreateFoo` and `Notify` of `example.v1.Example`,
//! implemented through the traits the generator writes for them.

use std::future::Future;

use temporalio_sdk::{WorkflowContextView, WorkflowResult};
use xns_runtime::worker::HandlerError;
use xns_runtime::worker::dispatch::{ActivityContext, ActivityError};

use crate::protos::example::v1::{
    CreateFooRequest, CreateFooResponse, Foo, GetFooProgressResponse, NotifyRequest,
    SetFooProgressRequest,
    example_temporal::{self, CreateFooContext, CreateFooWorkflowImpl, ExampleActivities},
    foo,
};

// snippet:start create-foo
/// `CreateFoo`: waits until progress reaches 1.0 (set by the signal or the
/// update), sends a notification, and returns the foo.
pub struct CreateFoo {
    name: String,
    progress: f32,
}

impl CreateFooWorkflowImpl for CreateFoo {
    fn new(_ctx: &WorkflowContextView, input: CreateFooRequest) -> Self {
        Self {
            name: input.name,
            progress: 0.0,
        }
    }

    async fn run(ctx: CreateFooContext<Self>) -> WorkflowResult<CreateFooResponse> {
        ctx.wait_condition(|s| s.progress >= 1.0).await?;
        let name = ctx.state(|s| s.name.clone());
        // Timeouts and retry policy come from the proto's activity options.
        let message = format!("foo `{name}` is ready");
        example_temporal::notify_activity(&ctx, NotifyRequest { message }).await?;
        let status = foo::Status::FooStatusReady as i32;
        Ok(CreateFooResponse {
            foo: Some(Foo { name, status }),
        })
    }

    fn get_foo_progress(
        &self,
        _ctx: &WorkflowContextView,
    ) -> Result<GetFooProgressResponse, HandlerError> {
        Ok(self.status())
    }

    fn set_foo_progress(
        ctx: CreateFooContext<Self>,
        input: SetFooProgressRequest,
    ) -> impl Future<Output = ()> {
        ctx.state_mut(|s| s.progress = input.progress);
        std::future::ready(())
    }

    async fn update_foo_progress(
        ctx: CreateFooContext<Self>,
        input: SetFooProgressRequest,
    ) -> Result<GetFooProgressResponse, HandlerError> {
        Ok(ctx.state_mut(|s| {
            s.progress = input.progress;
            s.status()
        }))
    }
}
// snippet:end

impl CreateFoo {
    fn status(&self) -> GetFooProgressResponse {
        let status = if self.progress >= 1.0 {
            foo::Status::FooStatusReady
        } else {
            foo::Status::FooStatusCreating
        };
        GetFooProgressResponse {
            progress: self.progress,
            status: status as i32,
        }
    }
}

/// The `Notify` activity: prints the message (a real one would send it).
#[derive(Debug, Default)]
pub struct Notifier;

impl ExampleActivities for Notifier {
    async fn notify(
        &self,
        _ctx: ActivityContext,
        input: NotifyRequest,
    ) -> Result<(), ActivityError> {
        println!("   [activity Notify] {}", input.message);
        Ok(())
    }
}
