//! Codegen against the Go generator on the synthetic set: `protoc
//! --go_out --go_temporal_out` (protoc-gen-go and protoc-gen-go-temporal
//! v1.24.0, built from the Go peer's module versions) against `protoc
//! --prost_out --rust-temporal_out`, each with its message generator alone
//! as its floor, interleaved and repeated.
//!
//! The synthetic protos have no `go_package`: each file gets an import path
//! by an `M` option. The Go generator runs with the options of its own
//! `buf.gen.yaml` that bear on what both generators write (XNS, updates);
//! its CLI (`cli-enabled`), which we have no counterpart of, is left out.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use anyhow::{Context, Result, bail};

use super::protoc::{Outputs, Toolchain, empty_dir, timed};
use super::synthetic::{METHODS_PER_SERVICE, ProtoSet};
use super::{Plan, synthetic, tree_size};
use crate::report::{Goal, Report, Row};
use crate::stats::{interleaved_medians, ms, ratio};

/// The Go generator's options besides `paths` and the `M` mappings.
const GO_TEMPORAL_OPTIONS: &str = "enable-xns=true,workflow-update-enabled=true";
/// Import path prefix of the synthetic packages.
const GO_IMPORT_PREFIX: &str = "example.com/synth";

/// The Go plugins, built from the Go peer's module versions.
#[derive(Debug)]
struct GoPlugins {
    /// protoc-gen-go.
    go: PathBuf,
    /// protoc-gen-go_temporal.
    temporal: PathBuf,
    /// The Go generator's proto directory (its `temporal/v1` schema has a
    /// `go_package`).
    schema: PathBuf,
}

/// Builds both plugins into `bin` (Go's build cache makes it quick after
/// the first run).
fn build(bin: &Path) -> Result<GoPlugins> {
    std::fs::create_dir_all(bin)?;
    let go = bin.join("protoc-gen-go");
    let temporal = bin.join("protoc-gen-go_temporal");
    let module = go_peer::peer::go_generator_dir()?;
    go_build(
        go_peer::peer::go()
            .args(["build", "-o"])
            .arg(&go)
            .arg("google.golang.org/protobuf/cmd/protoc-gen-go"),
    )?;
    go_build(
        go_peer::peer::go()
            .arg("build")
            .arg("-C")
            .arg(&module)
            .arg("-o")
            .arg(&temporal)
            .arg("./cmd/protoc-gen-go_temporal"),
    )?;
    Ok(GoPlugins {
        go,
        temporal,
        schema: module.join("proto"),
    })
}

fn go_build(cmd: &mut Command) -> Result<()> {
    let output = cmd.output().context("running go (run scripts/setup.sh)")?;
    if !output.status.success() {
        bail!(
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(())
}

/// The Go configurations.
#[derive(Debug, Clone, Copy)]
enum GoOutputs {
    /// protoc-gen-go.
    Go,
    /// protoc-gen-go and protoc-gen-go_temporal.
    GoAndTemporal,
}

impl GoPlugins {
    /// Runs protoc over `set` once with the Go plugins, writing into `out`
    /// (emptied first), and returns how long protoc took.
    fn run(
        &self,
        tools: &Toolchain,
        set: &ProtoSet,
        outputs: GoOutputs,
        out: &Path,
    ) -> Result<Duration> {
        empty_dir(out)?;
        let mappings: String = set
            .files
            .iter()
            .map(|file| {
                let dir = Path::new(file).parent().unwrap_or(Path::new(""));
                let package = dir.to_string_lossy().replace('/', "");
                format!(",M{file}={GO_IMPORT_PREFIX}/{};{package}", dir.display())
            })
            .collect();
        let mut cmd = Command::new(&tools.protoc);
        // The Go generator's schema first, for its `go_package`; ours for
        // the temporal/api protos it imports.
        cmd.arg("-I")
            .arg(&self.schema)
            .arg("-I")
            .arg(&tools.schema)
            .arg("-I")
            .arg(&set.root)
            .arg(format!("--plugin=protoc-gen-go={}", self.go.display()))
            .arg(format!(
                "--plugin=protoc-gen-go_temporal={}",
                self.temporal.display()
            ))
            .arg(format!("--go_out={}", out.display()))
            .arg(format!("--go_opt=paths=source_relative{mappings}"));
        if let GoOutputs::GoAndTemporal = outputs {
            cmd.arg(format!("--go_temporal_out={}", out.display()))
                .arg(format!(
                    "--go_temporal_opt=paths=source_relative{mappings},{GO_TEMPORAL_OPTIONS}"
                ));
        }
        cmd.args(&set.files);
        timed(&mut cmd, &format!("{outputs:?}"))
    }
}

/// Runs the codegen benchmarks against the Go generator in `work`, adding
/// rows to `report`.
pub fn run(plan: Plan, work: &Path, workspace: &Path, report: &mut Report) -> Result<()> {
    let set = synthetic::write(plan.shape, &work.join("protos"))?;
    let tools = super::toolchain(workspace, work)?;
    println!("  building the Go plugins");
    let go = build(&work.join("bin"))?;
    report.note(format!(
        "go-codegen: the Go generator protoc-gen-go-temporal v1.24.0 with `{GO_TEMPORAL_OPTIONS}` (no CLI, \
         which we do not generate), protoc-gen-go for the messages; set: {} services x \
         {METHODS_PER_SERVICE} methods in {} files",
        plan.shape.services(),
        set.files.len()
    ));

    let [prost, ours, go_alone, go_both] = interleaved_medians(plan.runs, |i| match i {
        0 => tools.run(&set, Outputs::Prost, &work.join("prost")),
        1 => tools.run(&set, Outputs::ProstAndOurs, &work.join("ours")),
        2 => go.run(&tools, &set, GoOutputs::Go, &work.join("go")),
        _ => go.run(
            &tools,
            &set,
            GoOutputs::GoAndTemporal,
            &work.join("go-temporal"),
        ),
    })?;
    let our_cost = ours.saturating_sub(prost);
    let go_cost = go_both.saturating_sub(go_alone);
    report.push(
        Row::compared(
            "go-codegen",
            "what the Temporal plugin adds to a protoc run: ours vs protoc-gen-go_temporal",
            format!("+{}", ms(our_cost)),
            format!("protoc-gen-go_temporal +{}", ms(go_cost)),
            ratio(our_cost, go_cost),
        )
        .goal(Goal::AtMost(1.0)),
    );
    report.push(Row::compared(
        "go-codegen",
        "protoc --prost_out --rust-temporal_out vs --go_out --go_temporal_out",
        format!("{} (prost alone {})", ms(ours), ms(prost)),
        format!("{} (protoc-gen-go alone {})", ms(go_both), ms(go_alone)),
        ratio(ours, go_both),
    ));

    let ours = tree_size(&work.join("ours"), |p| {
        p.to_string_lossy().ends_with(".temporal.rs")
    })?;
    let go = tree_size(&work.join("go-temporal"), |p| {
        p.to_string_lossy().ends_with("_temporal.pb.go")
    })?;
    report.push(Row::compared(
        "go-codegen",
        "generated Temporal code: ours vs the Go generator's (xns included), lines (bytes)",
        format!("{} ({} KB)", ours.lines, ours.bytes / 1000),
        format!("Go {} ({} KB)", go.lines, go.bytes / 1000),
        ours.lines as f64 / go.lines.max(1) as f64,
    ));
    Ok(())
}
