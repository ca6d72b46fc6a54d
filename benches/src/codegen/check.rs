//! `cargo check` of the generated code: one scratch crate over the prost
//! output alone and one over prost's and ours, sharing a target directory
//! and the workspace's lock file, so that only the generated code differs.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use crate::stats::interleaved_medians;

/// A scratch crate over one generated tree.
#[derive(Debug)]
pub struct ScratchCrate {
    dir: PathBuf,
}

impl ScratchCrate {
    /// Writes crate `name` in `dir` whose library includes, per package,
    /// the prost file in `generated` (which includes ours when present).
    /// Without `incremental` every check of the crate is a full one (what
    /// a changed proto or a CI build costs); with it, a check after a
    /// touch reuses the cache of the last. Only the crate's own profile
    /// changes, so crates of both kinds share their checked dependencies.
    pub fn write(
        name: &str,
        dir: &Path,
        generated: &Path,
        packages: &[String],
        workspace: &Path,
        incremental: bool,
    ) -> Result<Self> {
        std::fs::create_dir_all(dir.join("src"))?;
        let manifest = format!(
            r#"[package]
name = "{name}"
version = "0.0.0"
edition = "2024"
publish = false

[dependencies]
prost = "0.14"
prost-types = "0.14"
xns-runtime = {{ path = "{runtime}" }}

[workspace]

[profile.dev.package.{name}]
incremental = {incremental}
"#,
            runtime = workspace.join("crates/xns-runtime").display()
        );
        std::fs::write(dir.join("Cargo.toml"), manifest)?;
        // The workspace's lock file pins the same versions, so the
        // dependencies are checked once for both crates.
        std::fs::copy(workspace.join("Cargo.lock"), dir.join("Cargo.lock"))
            .context("copying Cargo.lock")?;
        let mut lib = String::from("//! Generated code of the synthetic set.\n\n");
        for package in packages {
            let module = package.split('.').nth(2).unwrap_or(package);
            let file = generated
                .join(package.replace('.', "/"))
                .join(format!("{package}.rs"));
            lib.push_str(&format!(
                "pub mod {module} {{\n    include!({:?});\n}}\n",
                file.display().to_string()
            ));
        }
        std::fs::write(dir.join("src/lib.rs"), lib)?;
        Ok(Self {
            dir: dir.to_path_buf(),
        })
    }

    /// Runs `cargo check` once, with `target` as target directory.
    fn check(&self, target: &Path) -> Result<Duration> {
        // A fresh modification time makes cargo check this crate again
        // (and only it).
        let lib = self.dir.join("src/lib.rs");
        let text = std::fs::read(&lib)?;
        std::fs::write(&lib, text)?;
        let started = Instant::now();
        let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
            .current_dir(&self.dir)
            .env("CARGO_TARGET_DIR", target)
            .args(["check", "--quiet", "--lib"])
            .output()
            .context("running cargo check")?;
        let elapsed = started.elapsed();
        if !output.status.success() {
            bail!(
                "cargo check of {} failed:\n{}",
                self.dir.display(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        Ok(elapsed)
    }
}

/// Median `cargo check` time of each crate after an untimed first check
/// (which checks the dependencies).
#[derive(Debug, Clone, Copy)]
pub struct CheckTimings {
    /// The crate over prost's output alone.
    pub prost: Duration,
    /// The crate over prost's output and ours.
    pub both: Duration,
}

impl CheckTimings {
    /// What our generated code adds.
    pub fn ours(&self) -> Duration {
        self.both.saturating_sub(self.prost)
    }
}

/// Checks both crates `runs` times each, interleaved, after an untimed
/// check (which checks the dependencies).
pub fn time(
    prost: &ScratchCrate,
    both: &ScratchCrate,
    target: &Path,
    runs: usize,
) -> Result<CheckTimings> {
    let crates = [prost, both];
    let [prost, both] = interleaved_medians(runs, |i| crates[i].check(target))?;
    Ok(CheckTimings { prost, both })
}
