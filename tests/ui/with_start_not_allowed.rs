//! Signal-with-start of `Count` with `Add`: the workflow's ref to `Add` does
//! not set `start: true`, so the pair does not compile.

use e2e::generated::worker::v1::AddInput;
use e2e::generated::worker::v1::CountInput;
use e2e::generated::worker::v1::counter_temporal::{AddSignal, CountWorkflow, CounterClient};
use e2e::xns_runtime::client::{ClientError, StartOptions};

pub async fn start_with_add(client: &CounterClient) -> Result<(), ClientError> {
    client
        .signal_with_start(
            CountWorkflow,
            CountInput::default(),
            AddSignal,
            AddInput::default(),
            StartOptions::new(),
        )
        .await?;
    Ok(())
}

fn main() {}
