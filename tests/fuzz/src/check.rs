//! The compile check: sampled accepted inputs are written into the
//! `fuzz-check` crate's input directory in batches, and `cargo test -p
//! fuzz-check` compiles each batch (warnings denied) and runs its doctests.
//! Generated protos go through real protoc there (the `Builder`), mutated
//! requests through `Builder::compile_descriptor_set`. A failure is blamed
//! on the sample whose directory the error points into, and on our file or
//! prost's by the file name.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::compile::Schema;
use crate::findings::write_protos;
use crate::input::{self, Mode};

/// A sample that did not compile.
#[derive(Debug)]
pub struct Failure {
    pub sample: String,
    /// `ours`, `prost` or `build` (protoc or the Builder refused it).
    pub blame: String,
    pub excerpt: String,
}

#[derive(Debug, Default)]
pub struct CheckReport {
    pub batches: usize,
    pub compiled: usize,
    pub failures: Vec<Failure>,
    pub elapsed: Duration,
}

pub struct CheckInput<'a> {
    pub seed: u64,
    pub mode: Mode,
    pub samples: &'a [u64],
    pub seeds: &'a [Vec<u8>],
    pub schema: &'a Schema,
    pub root: &'a Path,
    pub out: &'a Path,
    pub batch: usize,
}

pub fn check(input: &CheckInput<'_>) -> Result<CheckReport, String> {
    let started = Instant::now();
    let mut report = CheckReport::default();
    for (b, batch) in input.samples.chunks(input.batch.max(1)).enumerate() {
        let dir = input.out.join("check").join(format!("batch-{b}"));
        let _ = std::fs::remove_dir_all(&dir);
        let mut names = Vec::new();
        for &index in batch {
            let made = input::make(input.seed, index, input.mode, input.seeds, input.schema)?;
            let sample = dir.join(format!("s{index:07}"));
            std::fs::create_dir_all(&sample).map_err(|e| e.to_string())?;
            match &made.protos {
                Some(protos) => {
                    write_protos(protos, &sample.join("protos")).map_err(|e| e.to_string())?
                }
                None => std::fs::write(sample.join("request.binpb"), &made.request)
                    .map_err(|e| e.to_string())?,
            }
            names.push(format!("s{index:07}"));
        }
        report.batches += 1;
        let mut excluded: Vec<String> = Vec::new();
        // Up to three passes: blame, leave the blamed out, compile the rest.
        for _ in 0..3 {
            std::fs::write(dir.join("exclude.txt"), excluded.join("\n"))
                .map_err(|e| e.to_string())?;
            let (ok, output) = cargo_test(input.root, &dir)?;
            let mut blamed = build_failures(&dir);
            if !ok {
                blamed.extend(blame(&output, &names));
                if blamed.iter().all(|f| excluded.contains(&f.sample)) {
                    let excerpt: String = output
                        .lines()
                        .rev()
                        .take(40)
                        .collect::<Vec<_>>()
                        .into_iter()
                        .rev()
                        .collect::<Vec<_>>()
                        .join("\n");
                    return Err(format!(
                        "fuzz-check failed and no sample could be blamed:\n{excerpt}"
                    ));
                }
            }
            let fresh: Vec<Failure> = blamed
                .into_iter()
                .filter(|f| !excluded.contains(&f.sample))
                .collect();
            excluded.extend(fresh.iter().map(|f| f.sample.clone()));
            excluded.sort();
            excluded.dedup();
            let done = ok;
            report.failures.extend(fresh);
            if done {
                break;
            }
        }
        report.compiled += names.iter().filter(|n| !excluded.contains(n)).count();
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

fn cargo_test(root: &Path, dir: &Path) -> Result<(bool, String), String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(root)
        .args(["test", "-p", "fuzz-check", "--locked", "--quiet"])
        .env("FUZZ_CHECK_DIR", dir)
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    Ok((output.status.success(), text))
}

/// Samples the build script could not build (it writes them down).
fn build_failures(dir: &Path) -> Vec<Failure> {
    let report: PathBuf = dir.join("build-failures.txt");
    let Ok(text) = std::fs::read_to_string(report) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(sample, error)| Failure {
            sample: sample.to_string(),
            // prost-build refusing a name is prost's limit; anything else
            // (protoc refusing what protox accepted, our generator
            // refusing what it accepted in the fuzz run) is ours to look at.
            blame: if error.starts_with("prost-build") {
                "prost"
            } else {
                "build"
            }
            .into(),
            excerpt: error.replace("\\n", "\n"),
        })
        .collect()
}

/// Blames compile and doctest errors on samples: the first sample named in
/// each error's lines, and our file (`*.temporal.rs`) or prost's.
fn blame(output: &str, names: &[String]) -> Vec<Failure> {
    let mut out: Vec<Failure> = Vec::new();
    let errors = output.split("\nerror").skip(1).map(|b| (b, false));
    let doctests = output.split("\n---- ").skip(1).map(|b| (b, true));
    for (block, doctest) in errors.chain(doctests) {
        let Some(sample) = names.iter().find(|n| block.contains(n.as_str())) else {
            continue;
        };
        if out.iter().any(|f| &f.sample == sample) {
            continue;
        }
        // A compile error's `-->` line, or a doctest's header line, names
        // the file: ours end in `.temporal.rs`, the rest are prost's (which
        // marks ```rust blocks of proto comments `compile_fail`).
        let location = if doctest {
            block.lines().next().unwrap_or_default()
        } else {
            block
                .lines()
                .find(|l| l.contains(sample.as_str()))
                .unwrap_or_default()
        };
        let blame = if location.contains(".temporal.rs") {
            "ours"
        } else {
            "prost"
        };
        out.push(Failure {
            sample: sample.clone(),
            blame: blame.into(),
            excerpt: block.lines().take(20).collect::<Vec<_>>().join("\n"),
        });
    }
    out
}
