//! Latency of one call, median and p95: (a) `Drive` awaiting an XNS
//! start-and-wait of `Echo` in the target namespace, (b) `Drive` awaiting
//! `Echo` as a child workflow in its own namespace, (c) a client starting
//! `Echo` and getting its result from outside. (a) and (b) are workflow
//! time between the task that makes the call and the task that sees the
//! result; (c) is wall time. Rounds alternate the three.

use std::time::{Duration, Instant};

use anyhow::Result;
use xns_runtime::client::StartOptions;

use super::Rig;
use crate::protos::bench::v1::{EchoRequest, Via};
use crate::report::{Goal, Report, Row};
use crate::stats::{ms, quantile, ratio};

/// Calls of each kind before measuring.
const WARM_UP: u32 = 5;

/// Measures `rounds` x `calls` calls of each kind.
pub async fn run(rig: &Rig, calls: u32, rounds: u32, report: &mut Report) -> Result<()> {
    rig.drive(Via::Xns, WARM_UP, false).await?;
    rig.drive(Via::Child, WARM_UP, false).await?;
    client_calls(rig, WARM_UP).await?;

    let mut xns = Vec::new();
    let mut child = Vec::new();
    let mut client = Vec::new();
    for _ in 0..rounds {
        xns.extend(micros(
            &rig.drive(Via::Xns, calls, false).await?.latencies_us,
        ));
        child.extend(micros(
            &rig.drive(Via::Child, calls, false).await?.latencies_us,
        ));
        client.extend(client_calls(rig, calls).await?);
    }

    let n = xns.len();
    let stat = |v: &[Duration], q: f64| quantile(v, q).unwrap_or_default();
    for (label, q) in [("median", 0.5), ("p95", 0.95)] {
        let (ours, child) = (stat(&xns, q), stat(&child, q));
        report.push(
            Row::compared(
                "latency",
                format!("(a) XNS start-and-wait vs (b) child workflow, {label} of {n}"),
                ms(ours),
                format!("child {}", ms(child)),
                ratio(ours, child),
            )
            .goal(Goal::AtMost(1.5)),
        );
    }
    let both = |v: &[Duration]| format!("{} / {}", ms(stat(v, 0.5)), ms(stat(v, 0.95)));
    report.push(Row::compared(
        "latency",
        format!("(a) XNS start-and-wait vs (c) client start + get from outside, median/p95 of {n}"),
        both(&xns),
        format!("client {}", both(&client)),
        ratio(stat(&xns, 0.5), stat(&client, 0.5)),
    ));
    Ok(())
}

/// `calls` client calls of `Echo` in the target namespace, one after
/// another, timed from outside.
async fn client_calls(rig: &Rig, calls: u32) -> Result<Vec<Duration>> {
    let mut out = Vec::with_capacity(calls as usize);
    for seq in 0..calls {
        let started = Instant::now();
        let reply = rig
            .echo
            .echo(EchoRequest { seq, delay_ms: 0 }, StartOptions::new())
            .await?;
        out.push(started.elapsed());
        anyhow::ensure!(reply.seq == seq, "Echo answered {} to {seq}", reply.seq);
    }
    Ok(out)
}

fn micros(us: &[u64]) -> impl Iterator<Item = Duration> + '_ {
    us.iter().map(|&u| Duration::from_micros(u))
}
