//! Querying, through an XNS run handle of `Reorder`, a query the workflow
//! does not declare (`Status` is `Place`'s): the run handle only calls the
//! handlers the workflow's options refer to.

use e2e::generated::kitchen::v1::orders_temporal::{StatusQuery, xns};
use e2e::xns_runtime::xns::CallOptions;

pub async fn status<C>(run: &xns::ReorderRun<'_, C>) {
    let _ = run.query(StatusQuery, (), CallOptions::new()).await;
}

fn main() {}
