//! Codegen benchmarks: our plugin against protoc-gen-prost on a synthetic
//! set, and `cargo check` of what each generates.

pub mod check;
pub mod go;
pub mod protoc;
pub mod synthetic;

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};

use crate::report::{Goal, Report, Row};
use crate::stats::{ms, ratio};
use protoc::Toolchain;
use synthetic::{METHODS_PER_SERVICE, Shape};

/// How much to measure.
#[derive(Debug, Clone, Copy)]
pub struct Plan {
    /// The synthetic set.
    pub shape: Shape,
    /// Timed repetitions of each measurement (after an untimed one).
    pub runs: usize,
}

/// Runs the codegen benchmarks in `work`, adding rows to `report`.
pub fn run(plan: Plan, work: &Path, workspace: &Path, report: &mut Report) -> Result<()> {
    let set = synthetic::write(plan.shape, &work.join("protos"))?;
    let tools = toolchain(workspace, work)?;
    let set_name = format!(
        "{} services x {METHODS_PER_SERVICE} methods",
        plan.shape.services()
    );
    report.note(format!(
        "codegen: plugins {} and {}; set: {set_name} in {} files ({})",
        tools.ours.display(),
        tools.prost.display(),
        set.files.len(),
        set.root.display()
    ));

    let request = tools.capture_request(&set, &self_as(work, protoc::CAPTURE_PLUGIN)?, work)?;
    let alone = tools.time_plugins(&request, plan.runs)?;
    report.push(
        Row::compared(
            "codegen",
            format!(
                "plugin alone on protoc's request ({set_name}, {} KiB)",
                alone.request_bytes / 1024
            ),
            ms(alone.ours),
            format!("protoc-gen-prost {}", ms(alone.prost)),
            ratio(alone.ours, alone.prost),
        )
        .goal(Goal::AtMost(1.0)),
    );

    let timings = tools.time(&set, plan.runs, work)?;
    report.push(
        Row::compared(
            "codegen",
            "what the plugin adds to a protoc run",
            format!("+{}", ms(timings.our_cost())),
            format!("protoc-gen-prost +{}", ms(timings.prost_cost())),
            ratio(timings.our_cost(), timings.prost_cost()),
        )
        .goal(Goal::AtMost(1.0)),
    );
    report.push(Row::compared(
        "codegen",
        "protoc --prost_out --rust-temporal_out vs --prost_out",
        ms(timings.both),
        ms(timings.prost),
        ratio(timings.both, timings.prost),
    ));
    report.push(Row::info(
        "codegen",
        "our plugin's share of that protoc run",
        format!(
            "{:.0}% (protoc alone {})",
            100.0 * ratio(timings.our_cost(), timings.both),
            ms(timings.parse)
        ),
    ));

    let generated = work.join("both");
    let (ours, prost) = output_sizes(&generated)?;
    report.push(
        Row::compared(
            "codegen",
            "generated code: ours vs prost's, lines",
            ours.lines.to_string(),
            prost.lines.to_string(),
            ours.lines as f64 / prost.lines.max(1) as f64,
        )
        .goal(Goal::AtMost(8.0)),
    );
    report.push(Row::compared(
        "codegen",
        "generated code: ours vs prost's, bytes",
        format!("{} KB", ours.bytes / 1000),
        format!("{} KB", prost.bytes / 1000),
        ours.bytes as f64 / prost.bytes.max(1) as f64,
    ));
    // The plugins' cost per megabyte they write: how fast each emits,
    // whatever the amount.
    let per_mb = |d: Duration, bytes: usize| d.div_f64((bytes as f64 / 1e6).max(1e-6));
    let (ours_rate, prost_rate) = (
        per_mb(alone.ours, ours.bytes),
        per_mb(alone.prost, prost.bytes),
    );
    report.push(Row::compared(
        "codegen",
        "plugin alone, time per MB of Rust written",
        ms(ours_rate),
        format!("protoc-gen-prost {}", ms(prost_rate)),
        ratio(ours_rate, prost_rate),
    ));
    if alone.ours > alone.prost {
        report.note(format!(
            "codegen: our plugin takes {:.1}x protoc-gen-prost's time because it writes {:.1}x as many bytes of code \
             (a client, worker contracts, workflow helpers and an xns module per service, against prost's \
             message structs); per megabyte written it takes {:.2}x prost's time. Profiled with `perf record` \
             on the release plugin and this request: the code is written as text, laid out as rustfmt lays \
             it out (only ID-expression bodies still go through quote, syn and prettyplease, a tenth of the \
             CPU); a fifth goes to the part that runs on one core (decoding the request, the descriptor \
             pool, the model); the name check and the services run in parallel, on every core.",
            ratio(alone.ours, alone.prost),
            ours.bytes as f64 / prost.bytes.max(1) as f64,
            ratio(ours_rate, prost_rate),
        ));
    }

    let check = work.join("check");
    for (incremental, measure) in [
        (
            false,
            "cargo check from scratch: our generated code vs prost's messages",
        ),
        (
            true,
            "cargo check after a touch (incremental): our generated code vs prost's messages",
        ),
    ] {
        let kind = if incremental { "incremental" } else { "full" };
        let prost_crate = check::ScratchCrate::write(
            &format!("synth-prost-{kind}"),
            &check.join(format!("prost-{kind}")),
            &work.join("prost"),
            &set.packages,
            workspace,
            incremental,
        )?;
        let both_crate = check::ScratchCrate::write(
            &format!("synth-temporal-{kind}"),
            &check.join(format!("temporal-{kind}")),
            &generated,
            &set.packages,
            workspace,
            incremental,
        )?;
        let t = check::time(
            &prost_crate,
            &both_crate,
            &check.join("target"),
            plan.runs.min(3),
        )?;
        report.push(
            Row::compared(
                "codegen",
                measure,
                format!("+{}", ms(t.ours())),
                ms(t.prost),
                ratio(t.ours(), t.prost),
            )
            .goal(Goal::AtMost(0.6)),
        );
    }
    report.note(
        "codegen: `cargo check` time follows the number of bodies rustc type-checks and borrow-checks \
         (functions, constants, derived impls), not the bytes: per service our code has about as many \
         as prost's messages (two payload functions and a name constant per message, a name function and \
         four derives per marker, the surfaces' delegates), each small (`RUSTC_BOOTSTRAP=1 cargo rustc -- -Z self-profile` \
         on the scratch crates).",
    );
    Ok(())
}

/// Size of generated code.
#[derive(Debug, Default, Clone, Copy)]
pub struct Size {
    /// Lines.
    pub lines: usize,
    /// Bytes.
    pub bytes: usize,
}

/// Size of our files (`*.temporal.rs`) and of prost's under `dir`.
fn output_sizes(dir: &Path) -> Result<(Size, Size)> {
    let ours = |path: &Path| path.to_string_lossy().ends_with(".temporal.rs");
    Ok((tree_size(dir, ours)?, tree_size(dir, |p| !ours(p))?))
}

/// Size of the files under `dir` that `wanted` picks.
pub fn tree_size(dir: &Path, wanted: impl Fn(&Path) -> bool) -> Result<Size> {
    let mut size = Size::default();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in
            std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))?
        {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if !wanted(&path) {
                continue;
            }
            let text = std::fs::read_to_string(&path)?;
            size.lines += text.lines().count();
            size.bytes += text.len();
        }
    }
    Ok(size)
}

/// protoc, protoc-gen-prost and our plugin: the release binary next to
/// this one when it was built (`scripts/bench.sh` builds it), else this
/// binary under the plugin's name (the same code, in a larger binary).
pub fn toolchain(workspace: &Path, work: &Path) -> Result<Toolchain> {
    let protoc = std::env::var_os("PROTOC")
        .map(PathBuf::from)
        .or_else(|| on_path("protoc"))
        .context("protoc not found (run scripts/setup.sh)")?;
    let prost = on_path("protoc-gen-prost")
        .or_else(|| {
            let home = std::env::var_os("CARGO_HOME")
                .map(PathBuf::from)
                .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))?;
            Some(home.join("bin/protoc-gen-prost")).filter(|p| p.is_file())
        })
        .context("protoc-gen-prost not found (run scripts/setup.sh)")?;
    let exe = std::env::current_exe()?;
    let sibling = exe.with_file_name(crate::PLUGIN_NAME);
    let ours = if sibling.is_file() {
        sibling
    } else {
        self_as(work, crate::PLUGIN_NAME)?
    };
    Ok(Toolchain {
        protoc,
        prost,
        ours,
        schema: workspace.join("proto"),
    })
}

fn on_path(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// A link to this binary named `name`, which `main` answers as that
/// program.
fn self_as(work: &Path, name: &str) -> Result<PathBuf> {
    let bin = work.join("bin");
    std::fs::create_dir_all(&bin)?;
    let link = bin.join(name);
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(std::env::current_exe()?, &link)
        .with_context(|| format!("linking {}", link.display()))?;
    Ok(link)
}
