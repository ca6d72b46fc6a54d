//! Starting a workflow whose rpc the proto deprecates
//! (`option deprecated = true`): the generated entry point carries
//! `#[deprecated]`, so under `deny(deprecated)` the call does not compile.

#![deny(deprecated)]

use e2e::generated::kitchen::v1::PlaceRequest;
use e2e::generated::kitchen::v1::orders_temporal::OrdersClient;
use e2e::xns_runtime::client::{ClientError, StartOptions};

pub async fn reorder(client: &OrdersClient) -> Result<(), ClientError> {
    client
        .reorder_async(PlaceRequest::default(), StartOptions::new())
        .await?;
    Ok(())
}

fn main() {}
