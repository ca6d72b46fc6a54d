//! Timing protoc runs over the synthetic set: protoc alone (parsing, a
//! descriptor set out), protoc with protoc-gen-prost, and protoc with
//! protoc-gen-prost and our plugin, interleaved and repeated.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};

use super::synthetic::ProtoSet;
use crate::stats::interleaved_medians;

/// The programs a protoc run needs.
#[derive(Debug, Clone)]
pub struct Toolchain {
    /// protoc.
    pub protoc: PathBuf,
    /// protoc-gen-prost.
    pub prost: PathBuf,
    /// Our plugin.
    pub ours: PathBuf,
    /// Include directory of the `temporal/v1` schema.
    pub schema: PathBuf,
}

/// Median wall time of each protoc configuration.
#[derive(Debug, Clone, Copy)]
pub struct Timings {
    /// protoc alone, writing a descriptor set.
    pub parse: Duration,
    /// protoc with protoc-gen-prost.
    pub prost: Duration,
    /// protoc with protoc-gen-prost and our plugin.
    pub both: Duration,
}

impl Timings {
    /// What protoc-gen-prost adds to protoc alone.
    pub fn prost_cost(&self) -> Duration {
        self.prost.saturating_sub(self.parse)
    }

    /// What our plugin adds to protoc with protoc-gen-prost.
    pub fn our_cost(&self) -> Duration {
        self.both.saturating_sub(self.prost)
    }
}

/// The three output configurations.
#[derive(Debug, Clone, Copy)]
pub enum Outputs {
    /// A descriptor set: protoc alone.
    DescriptorSet,
    /// protoc-gen-prost.
    Prost,
    /// protoc-gen-prost and our plugin.
    ProstAndOurs,
}

impl Toolchain {
    /// Runs protoc over `set` once, writing into `out` (emptied first), and
    /// returns how long protoc took.
    pub fn run(&self, set: &ProtoSet, outputs: Outputs, out: &Path) -> Result<Duration> {
        empty_dir(out)?;
        let mut cmd = Command::new(&self.protoc);
        cmd.arg("-I")
            .arg(&self.schema)
            .arg("-I")
            .arg(&set.root)
            .arg(format!(
                "--plugin=protoc-gen-prost={}",
                self.prost.display()
            ))
            .arg(format!(
                "--plugin=protoc-gen-rust-temporal={}",
                self.ours.display()
            ));
        match outputs {
            Outputs::DescriptorSet => {
                cmd.arg(format!(
                    "--descriptor_set_out={}",
                    out.join("set.binpb").display()
                ));
            }
            Outputs::Prost => {
                cmd.arg(format!("--prost_out={}", out.display()));
            }
            Outputs::ProstAndOurs => {
                cmd.arg(format!("--prost_out={}", out.display()));
                cmd.arg(format!("--rust-temporal_out={}", out.display()));
            }
        }
        cmd.args(&set.files);
        timed(&mut cmd, &format!("{outputs:?}"))
    }

    /// Times each configuration `runs` times, interleaved; the outputs of
    /// the last run stay in `work/{parse,prost,both}`.
    pub fn time(&self, set: &ProtoSet, runs: usize, work: &Path) -> Result<Timings> {
        let configs = [
            (Outputs::DescriptorSet, "parse"),
            (Outputs::Prost, "prost"),
            (Outputs::ProstAndOurs, "both"),
        ];
        let [parse, prost, both] = interleaved_medians(runs, |i| {
            let (outputs, dir) = configs[i];
            self.run(set, outputs, &work.join(dir))
        })?;
        Ok(Timings { parse, prost, both })
    }
}

/// Empties `dir`, creating it if need be.
pub fn empty_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    Ok(std::fs::create_dir_all(dir)?)
}

/// Runs protoc `cmd` (doing `what`) to completion and returns how long it
/// took.
pub fn timed(cmd: &mut Command, what: &str) -> Result<Duration> {
    let started = Instant::now();
    let output = cmd
        .output()
        .with_context(|| format!("running {}", cmd.get_program().to_string_lossy()))?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        bail!(
            "protoc ({what}) failed: {}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(elapsed)
}

/// Name under which this benchmark binary answers protoc as a plugin that
/// saves its request (see [`capture_plugin`]).
pub const CAPTURE_PLUGIN: &str = "protoc-gen-capture";
/// Environment variable naming the file the capture plugin writes.
const CAPTURE_TO: &str = "BENCH_CAPTURE_TO";

/// The capture plugin: writes protoc's request to `$BENCH_CAPTURE_TO` and
/// answers with no files (supporting proto3 `optional`, like both plugins).
pub fn capture_plugin() -> Result<()> {
    use std::io::{Read as _, Write as _};
    let path = std::env::var_os(CAPTURE_TO).context("BENCH_CAPTURE_TO is not set")?;
    let mut request = Vec::new();
    std::io::stdin().read_to_end(&mut request)?;
    std::fs::write(&path, request)?;
    let response = prost_types::compiler::CodeGeneratorResponse {
        supported_features: Some(
            prost_types::compiler::code_generator_response::Feature::Proto3Optional as u64,
        ),
        ..Default::default()
    };
    std::io::stdout().write_all(&prost::Message::encode_to_vec(&response))?;
    Ok(())
}

/// Median wall time of each plugin alone on the same request.
#[derive(Debug, Clone, Copy)]
pub struct PluginTimings {
    /// protoc-gen-prost.
    pub prost: Duration,
    /// Our plugin.
    pub ours: Duration,
    /// Size of the request, in bytes.
    pub request_bytes: usize,
}

impl Toolchain {
    /// The request protoc sends plugins for `set`, saved by the capture
    /// plugin (`capture` is this binary under the name [`CAPTURE_PLUGIN`]).
    pub fn capture_request(&self, set: &ProtoSet, capture: &Path, work: &Path) -> Result<Vec<u8>> {
        let out = work.join("capture");
        std::fs::create_dir_all(&out)?;
        let file = work.join("request.binpb");
        let output = Command::new(&self.protoc)
            .env(CAPTURE_TO, &file)
            .arg("-I")
            .arg(&self.schema)
            .arg("-I")
            .arg(&set.root)
            .arg(format!("--plugin={CAPTURE_PLUGIN}={}", capture.display()))
            .arg(format!("--capture_out={}", out.display()))
            .args(&set.files)
            .output()
            .with_context(|| format!("running {}", self.protoc.display()))?;
        if !output.status.success() {
            bail!(
                "protoc (capture) failed: {}\n{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            );
        }
        std::fs::read(&file).with_context(|| format!("reading {}", file.display()))
    }

    /// Times both plugins on `request`, `runs` times each, interleaved.
    pub fn time_plugins(&self, request: &[u8], runs: usize) -> Result<PluginTimings> {
        let plugins = [&self.prost, &self.ours];
        let [prost, ours] = interleaved_medians(runs, |i| run_plugin(plugins[i], request))?;
        Ok(PluginTimings {
            prost,
            ours,
            request_bytes: request.len(),
        })
    }
}

/// Runs `plugin` on `request` the way protoc does (request on stdin,
/// response on stdout) and returns how long it took.
fn run_plugin(plugin: &Path, request: &[u8]) -> Result<Duration> {
    use std::io::{Read as _, Write as _};
    use std::process::Stdio;
    let started = Instant::now();
    let mut child = Command::new(plugin)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("running {}", plugin.display()))?;
    let mut stdin = child.stdin.take().context("plugin stdin")?;
    let mut stdout = child.stdout.take().context("plugin stdout")?;
    // Feed the request from a thread while reading the response, so that
    // neither pipe can fill up and block the other.
    let request = request.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&request));
    let mut response = Vec::new();
    stdout.read_to_end(&mut response)?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("writer thread panicked"))??;
    let output = child.wait_with_output()?;
    let elapsed = started.elapsed();
    if !output.status.success() {
        bail!(
            "{} failed: {}\n{}",
            plugin.display(),
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let response = <prost_types::compiler::CodeGeneratorResponse as prost::Message>::decode(
        response.as_slice(),
    )
    .with_context(|| format!("{} wrote an unreadable response", plugin.display()))?;
    if let Some(error) = response.error {
        bail!("{} reported: {error}", plugin.display());
    }
    if response.file.is_empty() {
        bail!("{} generated no files", plugin.display());
    }
    Ok(elapsed)
}
