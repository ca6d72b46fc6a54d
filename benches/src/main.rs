//! `bench`: the benchmark suite of protoc-gen-rust-temporal. Every figure
//! is compared with a reference measured in the same run on the same
//! machine, since absolute times do not carry from one machine to another.
//!
//! ```text
//! bench [--quick] [--only SECTION,...] [--out FILE]   run the suite
//! bench synth --out DIR [--quick]                     write the synthetic protos
//! ```
//!
//! Sections: `codegen` (plugin time against protoc-gen-prost, and `cargo
//! check` of the generated code), `latency`, `throughput`, `economy`,
//! `idle` (XNS calls against child workflows and the goals of the XNS
//! contract), `go-codegen` and `go-xns` (against the Go generator:
//! protoc-gen-go-temporal's plugin, and its XNS in a Go SDK worker). The
//! table is printed and written as Markdown to FILE
//! (default `target/bench/report.md`).

mod calls;
mod codegen;
mod go_xns;
mod report;
mod stats;

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};

use codegen::synthetic::Shape;
use report::Report;

/// The generated code of the benchmark services.
pub mod protos {
    include!(concat!(env!("OUT_DIR"), "/temporal_protos.rs"));
}

/// Our plugin's program name.
pub const PLUGIN_NAME: &str = "protoc-gen-rust-temporal";

const SECTIONS: [&str; 7] = [
    "codegen",
    "latency",
    "throughput",
    "economy",
    "idle",
    "go-codegen",
    "go-xns",
];

fn main() -> Result<()> {
    // Under a plugin's name this binary answers protoc (see codegen).
    match invoked_as().as_deref() {
        Some(PLUGIN_NAME) => return Ok(protoc_gen_rust_temporal::run_stdio()?),
        Some(codegen::protoc::CAPTURE_PLUGIN) => return codegen::protoc::capture_plugin(),
        _ => {}
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some(calls::caller::SUBCOMMAND) => runtime()?.block_on(calls::caller::serve()),
        Some(go_xns::caller::SUBCOMMAND) => runtime()?.block_on(go_xns::caller::serve()),
        Some("synth") => synth(&Args::parse(&args[1..])?),
        _ => {
            let args = Args::parse(&args)?;
            runtime()?.block_on(suite(&args))
        }
    }
}

fn invoked_as() -> Option<String> {
    let argv0 = std::env::args_os().next()?;
    Some(
        Path::new(&argv0)
            .file_name()?
            .to_string_lossy()
            .into_owned(),
    )
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

/// Command-line arguments.
#[derive(Debug, Default)]
struct Args {
    quick: bool,
    only: Option<Vec<String>>,
    out: Option<PathBuf>,
}

impl Args {
    fn parse(args: &[String]) -> Result<Self> {
        let mut parsed = Args::default();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            match arg.as_str() {
                "--quick" => parsed.quick = true,
                "--only" => {
                    let list = it.next().context("--only needs a list of sections")?;
                    let only: Vec<String> = list.split(',').map(str::to_string).collect();
                    if let Some(bad) = only.iter().find(|s| !SECTIONS.contains(&s.as_str())) {
                        bail!("unknown section {bad:?}; sections: {}", SECTIONS.join(", "));
                    }
                    parsed.only = Some(only);
                }
                "--out" => parsed.out = Some(it.next().context("--out needs a path")?.into()),
                other => {
                    bail!("unknown argument {other:?} (see the doc comment of benches/src/main.rs)")
                }
            }
        }
        Ok(parsed)
    }

    fn wants(&self, section: &str) -> bool {
        self.only
            .as_ref()
            .is_none_or(|only| only.iter().any(|s| s == section))
    }

    fn shape(&self) -> Shape {
        if self.quick {
            Shape::QUICK
        } else {
            Shape::FULL
        }
    }
}

fn synth(args: &Args) -> Result<()> {
    let out = args.out.as_ref().context("synth needs --out DIR")?;
    let set = codegen::synthetic::write(args.shape(), out)?;
    println!(
        "wrote {} files under {}",
        set.files.len(),
        set.root.display()
    );
    Ok(())
}

async fn suite(args: &Args) -> Result<()> {
    // The suite starts its own server, whose metrics it reads.
    if std::env::var_os("TEMPORAL_ADDRESS").is_some() {
        bail!("unset TEMPORAL_ADDRESS: the benchmarks start their own dev server");
    }
    let workspace = temporal_devserver::workspace_root();
    let work = workspace.join("target/bench");
    std::fs::create_dir_all(&work)?;
    let started = Instant::now();
    let mut report = Report::default();

    let codegen_plan = codegen::Plan {
        shape: args.shape(),
        runs: if args.quick { 1 } else { 7 },
    };
    if args.wants("codegen") {
        println!("== codegen");
        codegen::run(codegen_plan, &work.join("codegen"), &workspace, &mut report)?;
    }
    if args.wants("go-codegen") {
        println!("== codegen against the Go generator");
        let work = work.join("go-codegen");
        codegen::go::run(codegen_plan, &work, &workspace, &mut report)?;
    }
    let plan = if args.quick {
        calls::Plan::QUICK
    } else {
        calls::Plan::FULL
    }
    .only(|section| args.wants(section));
    if !plan.is_empty() {
        println!("== XNS calls");
        calls::run(plan, &work.join("calls"), &mut report).await?;
    }
    if args.wants("go-xns") {
        println!("== XNS against the Go generator's");
        let plan = if args.quick {
            go_xns::Plan::QUICK
        } else {
            go_xns::Plan::FULL
        };
        go_xns::run(plan, &mut report).await?;
    }

    let out = args.out.clone().unwrap_or_else(|| work.join("report.md"));
    let preamble = [
        format!(
            "run: {} ({}), {:.0} s",
            if args.quick {
                "quick smoke run; figures are not meaningful"
            } else {
                "full"
            },
            if cfg!(debug_assertions) {
                "debug build"
            } else {
                "release build"
            },
            started.elapsed().as_secs_f64()
        ),
        format!(
            "machine: {} CPUs",
            std::thread::available_parallelism().map_or(0, |n| n.get())
        ),
        "every ratio compares with a reference measured in the same run".to_string(),
    ];
    let markdown = report.to_markdown("protoc-gen-rust-temporal benchmarks", &preamble);
    if let Some(dir) = out.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&out, markdown).with_context(|| format!("writing {}", out.display()))?;
    println!("\n{}", report.to_text());
    let misses = report.misses().count();
    println!(
        "{} rows, {misses} goals missed; written to {}",
        report.rows().len(),
        out.display()
    );
    Ok(())
}
