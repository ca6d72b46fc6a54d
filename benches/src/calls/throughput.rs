//! Throughput: `Drive` makes `calls` calls of `Echo` at once, through XNS
//! (one caller worker holds them all in flight) or as child workflows;
//! calls per second of workflow time, median over rounds that alternate.

use std::time::Duration;

use anyhow::Result;

use super::Rig;
use crate::protos::bench::v1::Via;
use crate::report::{Goal, Report, Row};
use crate::stats::{median, ratio};

/// Measures `rounds` rounds of `calls` concurrent calls of each kind.
pub async fn run(rig: &Rig, calls: u32, rounds: u32, report: &mut Report) -> Result<()> {
    let mut xns = Vec::new();
    let mut child = Vec::new();
    for _ in 0..rounds {
        xns.push(elapsed(rig, Via::Xns, calls).await?);
        child.push(elapsed(rig, Via::Child, calls).await?);
    }
    let xns = median(&xns).unwrap_or_default();
    let child = median(&child).unwrap_or_default();
    let rate = |d: Duration| f64::from(calls) / d.as_secs_f64().max(1e-9);
    report.push(
        Row::compared(
            "throughput",
            format!("{calls} calls in flight from one caller: XNS vs child workflows, calls/s"),
            format!("{:.0}/s ({:.1} s)", rate(xns), xns.as_secs_f64()),
            format!("child {:.0}/s ({:.1} s)", rate(child), child.as_secs_f64()),
            ratio(child, xns),
        )
        .goal(Goal::AtLeast(0.7)),
    );
    Ok(())
}

async fn elapsed(rig: &Rig, via: Via, calls: u32) -> Result<Duration> {
    let response = rig.drive(via, calls, true).await?;
    Ok(Duration::from_micros(response.elapsed_us))
}
