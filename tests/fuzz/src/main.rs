//! The fuzz harness of protoc-gen-rust-temporal, on stable Rust.
//!
//! ```text
//! cargo run -p fuzz --release -- run --inputs 1000000        # the long run
//! cargo run -p fuzz -- run --inputs 20000 --samples 16       # CI's short run
//! cargo run -p fuzz --release -- repro --seed S --mode M --index I
//! ```
//!
//! `run` makes inputs (mutants of requests captured from protoc, and
//! generated protos compiled by protox), runs the plugin on them in
//! supervised worker processes (panics caught; aborts, stack overflows,
//! hangs and runaway memory detected), then compiles a sample of the
//! accepted outputs with `cargo test -p fuzz-check` (warnings denied,
//! doctests run). It exits non-zero on any finding.

/// The plugin allocates heavily (syn and prettyplease); glibc malloc was
/// 40% of a worker's time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod check;
mod compile;
mod dict;
mod findings;
mod input;
mod minimize;
mod mutate;
mod probe;
mod protogen;
mod rng;
mod seeds;
mod supervisor;
mod wire;
mod worker;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use input::Mode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(&Args(&args[1..])),
        Some("worker") => worker(&Args(&args[1..])).map(|()| ExitCode::SUCCESS),
        Some("repro") => repro(&Args(&args[1..])),
        Some("minimize") => minimize(&Args(&args[1..])),
        _ => Err(
            "usage: fuzz run|repro [--inputs N] [--seed S] [--mode mixed|mutants|protos] \
                  [--start I] [--jobs J] [--hang-secs S] [--mem-mb M] [--samples N] [--batch N] [--out DIR] \
                  | repro --seed S --mode M --index I [--write DIR] \
                  | minimize --request FILE --out FILE"
                .to_string(),
        ),
    };
    result.unwrap_or_else(|e| {
        eprintln!("fuzz: {e}");
        ExitCode::FAILURE
    })
}

/// `--key value` arguments.
struct Args<'a>(&'a [String]);

impl Args<'_> {
    fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .position(|a| a == key)
            .and_then(|i| self.0.get(i + 1))
            .map(String::as_str)
    }

    fn num(&self, key: &str, default: u64) -> Result<u64, String> {
        self.get(key).map_or(Ok(default), |v| {
            v.parse().map_err(|_| format!("{key}: not a number: {v}"))
        })
    }

    fn mode(&self) -> Result<Mode, String> {
        let m = self.get("--mode").unwrap_or("mixed");
        Mode::parse(m).ok_or_else(|| format!("--mode: one of mixed, mutants, protos, not {m}"))
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("workspace root")
}

fn run(args: &Args<'_>) -> Result<ExitCode, String> {
    let root = root();
    let seed = args.num("--seed", 1)?;
    let jobs = std::thread::available_parallelism().map_or(2, |n| n.get()) as u64;
    let config = supervisor::Config {
        seed,
        mode: args.mode()?,
        start: args.num("--start", 0)?,
        inputs: args.num("--inputs", 20_000)?,
        jobs: args.num("--jobs", jobs)?.max(1) as usize,
        hang: Duration::from_secs(args.num("--hang-secs", 30)?),
        mem_mb: args.num("--mem-mb", 2048)?,
        out: args
            .get("--out")
            .map(PathBuf::from)
            .unwrap_or_else(|| root.join("target/fuzz").join(format!("seed-{seed}"))),
        root: root.clone(),
        samples: args.num("--samples", 16)? as usize,
        inject: args.get("--inject").map(String::from),
    };
    eprintln!(
        "[fuzz] {} {} inputs from {}, seed {seed}, {} workers, {} MiB each, hang limit {:?}",
        config.inputs,
        config.mode.name(),
        config.start,
        config.jobs,
        config.mem_mb,
        config.hang
    );
    let report = supervisor::run(&config)?;
    let seeds = seeds::load(&config.out.join("seeds.bin")).map_err(|e| e.to_string())?;
    let schema = compile::Schema::load(&root)?;
    findings::save(&report, seed, config.mode, &config.out, &seeds, &schema)
        .map_err(|e| e.to_string())?;

    println!(
        "fuzz: {} inputs in {:.1} s ({:.0}/s): {} accepted ({} distinct outputs), {} rejected with an error, {} generated protos protox refused",
        report.total(),
        report.elapsed.as_secs_f64(),
        report.total() as f64 / report.elapsed.as_secs_f64(),
        report.accepted,
        report.distinct_outputs,
        report.rejected,
        report.unbuilt,
    );
    let mut failed = !report.findings.is_empty();
    for (signature, f) in &report.findings {
        println!(
            "FINDING {signature} ({} inputs, e.g. index {})",
            f.indices.len(),
            f.indices[0]
        );
    }
    if !report.findings.is_empty() {
        println!(
            "findings written to {}",
            config.out.join("findings").display()
        );
    }
    if !report.samples.is_empty() {
        let checked = check::check(&check::CheckInput {
            seed,
            mode: config.mode,
            samples: &report.samples,
            seeds: &seeds,
            schema: &schema,
            root: &root,
            out: &config.out,
            batch: args.num("--batch", 16)? as usize,
        })?;
        println!(
            "fuzz: compile check: {} sampled outputs compiled with warnings denied and doctests run, in {} batches, {:.1} s; {} failed",
            checked.compiled,
            checked.batches,
            checked.elapsed.as_secs_f64(),
            checked.failures.len()
        );
        for f in &checked.failures {
            println!(
                "COMPILE FAILURE {} (blame: {})\n{}",
                f.sample, f.blame, f.excerpt
            );
            failed |= f.blame != "prost";
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn worker(args: &Args<'_>) -> Result<(), String> {
    let need = |k: &str| {
        args.get(k)
            .map(PathBuf::from)
            .ok_or_else(|| format!("worker: {k} is required"))
    };
    worker::run(worker::Job {
        seed: args.num("--seed", 1)?,
        mode: args.mode()?,
        from: args.num("--from", 0)?,
        to: args.num("--to", 0)?,
        seeds: need("--seeds")?,
        root: need("--root")?,
        mem_mb: args.num("--mem-mb", 2048)?,
        inject: args.get("--inject").map(String::from),
    })
}

fn repro(args: &Args<'_>) -> Result<ExitCode, String> {
    let root = root();
    let seed = args.num("--seed", 1)?;
    let index = args.num("--index", 0)?;
    let seeds = seeds::capture(&root)?;
    let schema = compile::Schema::load(&root)?;
    let input = input::make(seed, index, args.mode()?, &seeds, &schema)
        .map_err(|e| format!("protox: {e}"))?;
    if let (Some(dir), Some(protos)) = (args.get("--write"), &input.protos) {
        findings::write_protos(protos, &PathBuf::from(dir)).map_err(|e| e.to_string())?;
        eprintln!("protos written to {dir}");
    }
    // No panic hook and no catch: a panic shows with its backtrace.
    let response = protoc_gen_rust_temporal::run(&input.request);
    let response = <prost_types::compiler::CodeGeneratorResponse as prost::Message>::decode(
        response.as_slice(),
    )
    .map_err(|e| e.to_string())?;
    match response.error {
        Some(e) => println!("rejected: {e}"),
        None => {
            for f in &response.file {
                println!("== {}\n{}", f.name(), f.content());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn minimize(args: &Args<'_>) -> Result<ExitCode, String> {
    let from = args
        .get("--request")
        .ok_or("minimize: --request FILE is required")?;
    let to = args
        .get("--out")
        .ok_or("minimize: --out FILE is required")?;
    let request = std::fs::read(from).map_err(|e| format!("{from}: {e}"))?;
    let small = minimize::minimize(&request)?;
    std::fs::write(to, &small).map_err(|e| format!("{to}: {e}"))?;
    eprintln!(
        "{} bytes -> {} bytes, written to {to}",
        request.len(),
        small.len()
    );
    Ok(ExitCode::SUCCESS)
}
