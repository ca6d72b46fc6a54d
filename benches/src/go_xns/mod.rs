//! XNS against the Go generator's XNS on one dev server. Both sides run the
//! Go peer's interop proto (`tests/go-peer/protos/gopeer/v1/gopeer.proto`):
//! `Caller.CallEchoes` makes XNS start-and-wait calls of `Counter.Echo` in
//! the target namespace and times each in workflow time. The Go caller is
//! the Go generator's xns package in a Go SDK worker (`peer interop worker
//! --caller --xns-activities`), ours is our generated code in a process of
//! its own ([`caller`]); both have 2,000 activity slots and call the same
//! Rust `Echo` worker (in this process). Each caller has a namespace of its
//! own, since both serve `Caller`'s task queue.

pub mod caller;

use std::time::Duration;

use anyhow::{Context, Result, bail};
use go_peer::interop::gopeer::caller_temporal::CallerClient;
use go_peer::interop::gopeer::counter_temporal::ECHO_WORKFLOW_NAME;
use go_peer::interop::gopeer::{CallEchoesInput, CallEchoesOutput};
use go_peer::peer::Process;
use temporal_devserver::DevServer;
use temporalio_sdk::{Runtime, Worker};
use xns_runtime::client::StartOptions;

use crate::calls::caller::{ACTIVITY_SLOTS, CallerProcess, rss_kib};
use crate::calls::idle::{await_count, count, settled_rss};
use crate::report::{Goal, Report, Row};
use crate::stats::{median, ms, quantile, ratio};

/// Namespace of our caller.
const RUST_NAMESPACE: &str = "ns-a";
/// Namespace of the Go caller (created by the dev server's arguments).
const GO_NAMESPACE: &str = "ns-go";
/// Namespace of `Echo`.
const TARGET_NAMESPACE: &str = "ns-b";
/// The longest a `CallEchoes` may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(600);
/// Sequential calls of each caller before the latency rounds.
const LATENCY_WARM_UP: i32 = 5;
/// Concurrent calls of a fresh caller before its memory is read.
const IDLE_WARM_UP: i32 = 50;
/// How long `Echo` holds the idle calls.
const IDLE_HOLD_SECONDS: i32 = 3600;

/// Which comparisons to run and how big.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// Sequential calls per round of the latency comparison.
    pub latency_calls: i32,
    /// Rounds of the latency comparison (Go and ours alternate).
    pub latency_rounds: u32,
    /// Calls in flight in the throughput comparison.
    pub throughput_calls: i32,
    /// Rounds of the throughput comparison.
    pub throughput_rounds: u32,
    /// Idle calls of the memory comparison.
    pub idle_calls: i32,
}

impl Plan {
    /// The sizes of the XNS contract's benchmarks.
    pub const FULL: Plan = Plan {
        latency_calls: 25,
        latency_rounds: 4,
        throughput_calls: 500,
        throughput_rounds: 3,
        idle_calls: 1_000,
    };
    /// Small sizes for smoke runs.
    pub const QUICK: Plan = Plan {
        latency_calls: 3,
        latency_rounds: 1,
        throughput_calls: 10,
        throughput_rounds: 1,
        idle_calls: 20,
    };
}

/// The XNS caller: ours or the Go generator's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Rust,
    Go,
}

const SIDES: [Side; 2] = [Side::Rust, Side::Go];

impl Side {
    fn namespace(self) -> &'static str {
        match self {
            Side::Rust => RUST_NAMESPACE,
            Side::Go => GO_NAMESPACE,
        }
    }
}

/// A running caller process.
enum Caller {
    Rust(CallerProcess),
    Go(Process),
}

impl Caller {
    /// Starts `side`'s caller process against `server`, ready to work.
    async fn spawn(side: Side, server: &DevServer) -> Result<Self> {
        Ok(match side {
            Side::Rust => Caller::Rust(CallerProcess::spawn_as(server, caller::SUBCOMMAND).await?),
            Side::Go => {
                let slots = ACTIVITY_SLOTS.to_string();
                let flags = [
                    "--caller",
                    "--xns-activities",
                    "--target-namespace",
                    TARGET_NAMESPACE,
                    "--activity-slots",
                    &slots,
                    // Its activities in flight log errors when it stops.
                    "--quiet",
                ];
                Caller::Go(tokio::task::block_in_place(|| {
                    go_peer::harness::go_worker(server, GO_NAMESPACE, &flags)
                })?)
            }
        })
    }

    /// Resident memory of the process, in KiB.
    fn rss_kib(&self) -> Result<u64> {
        match self {
            Caller::Rust(process) => process.rss_kib(),
            Caller::Go(process) => rss_kib(process.pid()),
        }
    }

    async fn stop(self) -> Result<()> {
        match self {
            Caller::Rust(process) => process.stop().await,
            Caller::Go(process) => {
                tokio::task::block_in_place(|| drop(process));
                Ok(())
            }
        }
    }
}

/// The server and the clients of both callers' namespaces.
struct Rig {
    server: DevServer,
    rust: CallerClient,
    go: CallerClient,
    target: temporalio_client::Client,
}

impl Rig {
    fn caller(&self, side: Side) -> &CallerClient {
        match side {
            Side::Rust => &self.rust,
            Side::Go => &self.go,
        }
    }

    /// Runs `CallEchoes` on `side`'s caller and returns its report.
    async fn call_echoes(
        &self,
        side: Side,
        count: i32,
        concurrency: i32,
    ) -> Result<CallEchoesOutput> {
        let input = CallEchoesInput {
            count,
            concurrency,
            hold_seconds: 0,
        };
        let run = self
            .caller(side)
            .call_echoes_async(input, StartOptions::new())
            .await
            .context("starting CallEchoes")?;
        // A workflow task that fails is retried forever; do not wait so.
        match tokio::time::timeout(CALL_TIMEOUT, run.get()).await {
            Ok(result) => result.with_context(|| format!("CallEchoes `{}` failed", run.id())),
            Err(_) => bail!(
                "CallEchoes `{}` in {} did not finish in {CALL_TIMEOUT:?}; see its history",
                run.id(),
                side.namespace()
            ),
        }
    }
}

/// Runs the comparisons of `plan`, adding rows to `report`.
pub async fn run(plan: Plan, report: &mut Report) -> Result<()> {
    println!("  building the Go peer");
    tokio::task::block_in_place(go_peer::peer::binary)?;
    let server = DevServer::start_with_args(&["--namespace", GO_NAMESPACE]).await?;
    println!("  dev server at {}", server.address());
    let runtime = Runtime::from_current_tokio(Default::default())?;
    let mut echo = Worker::new(
        &runtime,
        server.client(TARGET_NAMESPACE).await?,
        go_peer::interop::counter_worker()?,
    )?;
    let rig = Rig {
        rust: CallerClient::new(server.client(RUST_NAMESPACE).await?),
        go: CallerClient::new(server.client(GO_NAMESPACE).await?),
        target: server.client(TARGET_NAMESPACE).await?,
        server,
    };
    report.note(format!(
        "go-xns: Caller.CallEchoes calling Counter.Echo of tests/go-peer's interop proto, from a Go SDK \
         worker with the Go generator's xns package and from ours, both with {ACTIVITY_SLOTS} activity \
         slots, against one Rust Echo worker on the same dev server"
    ));
    let benchmarks = async {
        let callers = [
            Caller::spawn(Side::Rust, &rig.server).await?,
            Caller::spawn(Side::Go, &rig.server).await?,
        ];
        latency(&rig, plan.latency_calls, plan.latency_rounds, report).await?;
        throughput(&rig, plan.throughput_calls, plan.throughput_rounds, report).await?;
        for caller in callers {
            caller.stop().await?;
        }
        idle(&rig, plan.idle_calls, report).await
    };
    tokio::select! {
        stopped = echo.run() => bail!("the Echo worker stopped: {stopped:?}"),
        done = benchmarks => done,
    }
}

/// Latency of one call, median and p95, in workflow time; rounds alternate
/// the callers.
async fn latency(rig: &Rig, calls: i32, rounds: u32, report: &mut Report) -> Result<()> {
    for side in SIDES {
        rig.call_echoes(side, LATENCY_WARM_UP, 1).await?;
    }
    let mut samples = [Vec::new(), Vec::new()];
    for _ in 0..rounds {
        for (side, taken) in SIDES.into_iter().zip(&mut samples) {
            let out = rig.call_echoes(side, calls, 1).await?;
            taken.extend(out.latencies_us.iter().map(|&us| micros(us)));
        }
    }
    let [ours, go] = samples;
    let n = ours.len();
    for (label, q) in [("median", 0.5), ("p95", 0.95)] {
        let (ours, go) = (
            quantile(&ours, q).unwrap_or_default(),
            quantile(&go, q).unwrap_or_default(),
        );
        report.push(
            Row::compared(
                "go-xns",
                format!("XNS start-and-wait, ours vs the Go generator's, {label} of {n}"),
                ms(ours),
                format!("Go {}", ms(go)),
                ratio(ours, go),
            )
            .goal(Goal::AtMost(1.2)),
        );
    }
    Ok(())
}

/// Throughput: `calls` calls at once from one caller workflow, calls per
/// second of workflow time, median over rounds that alternate the callers.
async fn throughput(rig: &Rig, calls: i32, rounds: u32, report: &mut Report) -> Result<()> {
    let mut elapsed = [Vec::new(), Vec::new()];
    for _ in 0..rounds {
        for (side, taken) in SIDES.into_iter().zip(&mut elapsed) {
            taken.push(micros(
                rig.call_echoes(side, calls, calls).await?.elapsed_us,
            ));
        }
    }
    let [ours, go] = elapsed.map(|e| median(&e).unwrap_or_default());
    let rate = |d: Duration| f64::from(calls) / d.as_secs_f64().max(1e-9);
    report.push(
        Row::compared(
            "go-xns",
            format!("{calls} XNS calls in flight from one caller workflow: ours vs Go's, calls/s"),
            format!("{:.0}/s ({:.1} s)", rate(ours), ours.as_secs_f64()),
            format!("Go {:.0}/s ({:.1} s)", rate(go), go.as_secs_f64()),
            ratio(go, ours),
        )
        .goal(Goal::AtLeast(0.8)),
    );
    Ok(())
}

/// Memory per idle call in flight: for each side, a fresh caller process,
/// warmed up, with none and with `calls` calls whose `Echo` holds an hour.
async fn idle(rig: &Rig, calls: i32, report: &mut Report) -> Result<()> {
    // Every Echo ever started: the count only grows, whatever happens to
    // the remote workflows of earlier measurements.
    let started = format!("WorkflowType = '{ECHO_WORKFLOW_NAME}'");
    let mut per_call = [0.0; 2];
    let mut rss = [(0, 0); 2];
    for (i, side) in SIDES.into_iter().enumerate() {
        println!("  go-xns idle: a fresh {side:?} caller, warmed up with {IDLE_WARM_UP} calls");
        let caller = Caller::spawn(side, &rig.server).await?;
        rig.call_echoes(side, IDLE_WARM_UP, IDLE_WARM_UP).await?;
        tokio::time::sleep(Duration::from_secs(1)).await;
        let none = caller.rss_kib()?;
        let before = count(&rig.target, &started).await?;
        let input = CallEchoesInput {
            count: calls,
            concurrency: calls,
            hold_seconds: IDLE_HOLD_SECONDS,
        };
        let run = rig
            .caller(side)
            .call_echoes_async(input, StartOptions::new())
            .await?;
        await_count(&rig.target, &started, before + calls as usize).await?;
        let loaded = settled_rss(|| caller.rss_kib()).await?;
        run.terminate("benchmark done").await?;
        caller.stop().await?;
        // Kilobytes of 1,000 bytes, like the idle row.
        per_call[i] = loaded.saturating_sub(none) as f64 * 1.024 / f64::from(calls);
        rss[i] = (none / 1024, loaded / 1024);
    }
    let cell = |i: usize| {
        format!(
            "{:.1} KB (RSS {} -> {} MiB)",
            per_call[i], rss[i].0, rss[i].1
        )
    };
    report.push(
        Row::compared(
            "go-xns",
            format!(
                "caller worker memory per idle XNS call in flight ({calls} calls): ours vs Go's"
            ),
            cell(0),
            format!("Go {}", cell(1)),
            per_call[0] / per_call[1].max(1e-3),
        )
        .goal(Goal::AtMost(1.0)),
    );
    Ok(())
}

fn micros(us: i64) -> Duration {
    Duration::from_micros(us.try_into().unwrap_or_default())
}
