//! The `Shout` activity returns the wrong output message.

use e2e::generated::worker::v1::counter_temporal::CounterActivities;
use e2e::generated::worker::v1::{FlakyInput, FlakyResult, ShoutInput};
use e2e::temporalio_common::ActivityError;
use e2e::temporalio_sdk::activities::ActivityContext;

pub struct Activities;

impl CounterActivities for Activities {
    async fn flaky(&self, _ctx: ActivityContext, _input: FlakyInput) -> Result<FlakyResult, ActivityError> {
        Ok(FlakyResult::default())
    }

    async fn shout(&self, _ctx: ActivityContext, _input: ShoutInput) -> Result<FlakyResult, ActivityError> {
        Ok(FlakyResult::default())
    }
}
