//! The `Add` signal handler takes the wrong input message.

use e2e::generated::worker::v1::counter_temporal::{CountContext, CountWorkflowImpl};
use e2e::generated::worker::v1::{AddInput, CountInput, CountResult, SetInput, TotalResult};
use e2e::temporalio_sdk::{WorkflowContextView, WorkflowResult};
use e2e::xns_runtime::worker::HandlerError;

pub struct Count;

impl CountWorkflowImpl for Count {
    fn new(_ctx: &WorkflowContextView, _input: CountInput) -> Self {
        Count
    }

    fn total(&self, _ctx: &WorkflowContextView) -> Result<TotalResult, HandlerError> {
        Ok(TotalResult::default())
    }

    async fn run(_ctx: CountContext<Self>) -> WorkflowResult<CountResult> {
        Ok(CountResult::default())
    }

    async fn add(_ctx: CountContext<Self>, _input: SetInput) {}

    async fn add_later(_ctx: CountContext<Self>, _input: AddInput) {}

    async fn finish(_ctx: CountContext<Self>) {}

    async fn set(_ctx: CountContext<Self>, input: SetInput) -> Result<TotalResult, HandlerError> {
        Ok(TotalResult { total: input.total })
    }

    fn validate_set(&self, _ctx: &WorkflowContextView, _input: &SetInput) -> Result<(), HandlerError> {
        Ok(())
    }
}
