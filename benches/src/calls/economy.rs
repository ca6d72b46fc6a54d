//! RPC economy: what an XNS call of known duration costs the server, from
//! the dev server's own request counters: history long-polls in the
//! target namespace (the wait for the result) and activity heartbeats in
//! the caller's.

use std::time::Duration;

use anyhow::Result;

use super::metrics::{counter, namespace_label, scrape};
use super::{CALLER_NAMESPACE, Rig, TARGET_NAMESPACE};
use crate::protos::bench::v1::{DriveRequest, Via};
use crate::report::{Goal, Report, Row};

/// The server's long-poll window (`frontend.longPollExpirationInterval`).
const LONG_POLL_WINDOW: Duration = Duration::from_secs(20);
/// Quiet time around the counter readings.
const SETTLE: Duration = Duration::from_secs(3);
/// Heartbeat timeout of the measured calls; the interval is half of it.
const HEARTBEAT_TIMEOUT: Duration = Duration::from_secs(2);

/// Makes `calls` XNS calls of `delay_ms` each, one after another, and
/// reports the requests they cost per call.
pub async fn run(rig: &Rig, calls: u32, delay_ms: u64, report: &mut Report) -> Result<()> {
    // The server publishes its counters about a second late: let earlier
    // requests settle before the first reading and these before the last.
    tokio::time::sleep(SETTLE).await;
    let before = scrape(rig.metrics_port).await?;
    rig.drive_with(DriveRequest {
        via: Via::Xns as i32,
        calls,
        concurrent: false,
        delay_ms,
        heartbeat_timeout_ms: HEARTBEAT_TIMEOUT.as_millis() as u64,
    })
    .await?;
    tokio::time::sleep(SETTLE).await;
    let after = scrape(rig.metrics_port).await?;
    for (name, text) in [("before", &before), ("after", &after)] {
        std::fs::write(rig.work.join(format!("economy-metrics-{name}.prom")), text)?;
    }

    let count = |ns: &str, operation: &str| {
        let ns = namespace_label(ns);
        let labels = [
            ("namespace", ns.as_str()),
            ("operation", operation),
            ("service_name", "frontend"),
        ];
        counter(&after, "service_requests", &labels) - counter(&before, "service_requests", &labels)
    };
    let per_call = |n: f64| n / f64::from(calls);
    // The frontend counts a history read that waits for new events as
    // `PollWorkflowExecutionHistory`.
    let polls = per_call(
        count(TARGET_NAMESPACE, "GetWorkflowExecutionHistory")
            + count(TARGET_NAMESPACE, "PollWorkflowExecutionHistory"),
    );
    let heartbeats = per_call(
        count(CALLER_NAMESPACE, "RecordActivityTaskHeartbeat")
            + count(CALLER_NAMESPACE, "RecordActivityTaskHeartbeatById"),
    );
    let duration = Duration::from_millis(delay_ms);
    let interval = HEARTBEAT_TIMEOUT / 2;
    // One heartbeat records the remote run at the start, then at most one
    // per interval.
    let allowed = 1.0 + (duration.as_secs_f64() / interval.as_secs_f64()).floor();
    report.push(
        Row::compared(
            "economy",
            format!(
                "history polls per XNS call of {} s (long-poll window {} s), {calls} calls",
                duration.as_secs_f64(),
                LONG_POLL_WINDOW.as_secs()
            ),
            format!("{polls:.2}"),
            "-",
            polls,
        )
        .goal(Goal::AtMost(2.0)),
    );
    report.push(
        Row::compared(
            "economy",
            format!(
                "heartbeats per XNS call of {} s, interval {} s",
                duration.as_secs_f64(),
                interval.as_secs_f64()
            ),
            format!("{heartbeats:.2}"),
            format!("at most {allowed:.0} (1 + one per interval)"),
            heartbeats,
        )
        .goal(Goal::AtMost(allowed)),
    );
    Ok(())
}
