//! Workers used by the end-to-end tests and the demo, written the way a
//! user would: SDK macros plus the generated name constants.

use crate::generated::example::v1::{
    CreateFooRequest, CreateFooResponse, Foo, GetFooProgressResponse, SetFooProgressRequest,
    example_temporal::{
        CREATE_FOO_WORKFLOW_NAME, GET_FOO_PROGRESS_QUERY_NAME, SET_FOO_PROGRESS_SIGNAL_NAME,
        UPDATE_FOO_PROGRESS_UPDATE_NAME,
    },
    foo,
};
use temporalio_sdk::{SyncWorkflowContext, WorkflowContext, WorkflowContextView, WorkflowResult};
use temporalio_workflow::{workflow, workflow_methods};

/// CreateFoo implemented with the SDK macros: it finishes once progress
/// reaches 1.0, set by the signal or the update.
#[workflow]
pub struct CreateFoo {
    name: String,
    progress: f32,
}

#[workflow_methods]
impl CreateFoo {
    #[init]
    pub fn new(_ctx: &WorkflowContextView, input: CreateFooRequest) -> Self {
        Self {
            name: input.name,
            progress: 0.0,
        }
    }

    #[run(name = CREATE_FOO_WORKFLOW_NAME)]
    pub async fn run(ctx: &mut WorkflowContext<Self>) -> WorkflowResult<CreateFooResponse> {
        ctx.wait_condition(|s| s.progress >= 1.0).await?;
        Ok(CreateFooResponse {
            foo: Some(Foo {
                name: ctx.state(|s| s.name.clone()),
                status: foo::Status::FooStatusReady as i32,
            }),
        })
    }

    #[query(name = GET_FOO_PROGRESS_QUERY_NAME)]
    pub fn get_foo_progress(&self, _ctx: &WorkflowContextView) -> GetFooProgressResponse {
        self.status()
    }

    #[signal(name = SET_FOO_PROGRESS_SIGNAL_NAME)]
    pub fn set_foo_progress(
        &mut self,
        _ctx: &mut SyncWorkflowContext<Self>,
        input: SetFooProgressRequest,
    ) {
        self.progress = input.progress;
    }

    #[update(name = UPDATE_FOO_PROGRESS_UPDATE_NAME)]
    pub fn update_foo_progress(
        &mut self,
        _ctx: &mut SyncWorkflowContext<Self>,
        input: SetFooProgressRequest,
    ) -> GetFooProgressResponse {
        self.progress = input.progress;
        self.status()
    }
}

impl CreateFoo {
    /// Current progress as the query reports it.
    pub fn status(&self) -> GetFooProgressResponse {
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
