//! The Go peer binary (`cmd/peer` in this directory's Go module): built once
//! per test binary with the machine's Go toolchain, then run as a
//! subprocess. Its modules come from the Go module proxy through the
//! committed `go.mod` / `go.sum`; `scripts/setup.sh` downloads them.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Output, Stdio};
use std::sync::OnceLock;

use anyhow::{Context, Result, bail};

/// The Go generator's module, whose protos and committed Go output are the
/// corpus.
pub const GO_GENERATOR_MODULE: &str = "github.com/cludden/protoc-gen-go-temporal";

/// This directory: the Go module of the peer.
pub fn module_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `go` command: `$GO`, else `go` on `PATH`, else the one
/// `scripts/setup.sh` installs into `.tools/go`.
pub fn go() -> Command {
    let mut command = Command::new(go_path());
    command.current_dir(module_root());
    command
}

fn go_path() -> PathBuf {
    if let Some(go) = std::env::var_os("GO").filter(|g| !g.is_empty()) {
        return PathBuf::from(go);
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join("go"))
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    let tools = module_root().join("../../.tools/go/bin/go");
    on_path
        .into_iter()
        .chain([tools])
        .find(|p| p.is_file())
        .unwrap_or_else(|| PathBuf::from("go"))
}

/// The directory of the Go generator's module in the module cache.
pub fn go_generator_dir() -> Result<PathBuf> {
    let output = go()
        .args(["list", "-m", "-f", "{{.Dir}}", GO_GENERATOR_MODULE])
        .output()
        .context("running `go list` (run scripts/setup.sh)")?;
    let dir = PathBuf::from(String::from_utf8_lossy(&checked(output, "go list")?).trim());
    if !dir.is_dir() {
        bail!("{GO_GENERATOR_MODULE} is not in the module cache (run scripts/setup.sh)");
    }
    Ok(dir)
}

/// The peer binary, built on first use.
pub fn binary() -> Result<&'static Path> {
    static BINARY: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    BINARY
        .get_or_init(|| build().map_err(|e| format!("{e:#}")))
        .as_deref()
        .map_err(|e| anyhow::anyhow!("building the Go peer: {e}"))
}

fn build() -> Result<PathBuf> {
    // One binary per test executable, so parallel test binaries never write
    // the same file.
    let exe = std::env::current_exe().context("current test executable")?;
    let stem = exe
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "peer".into());
    let target = module_root().join("../../target/go-peer").join(stem);
    let output = target.join("peer");
    let result = go()
        .args(["build", "-o"])
        .arg(&output)
        .arg("./cmd/peer")
        .stdin(Stdio::null())
        .output()
        .context("running `go build` (run scripts/setup.sh)")?;
    checked(result, "go build ./cmd/peer")?;
    Ok(output)
}

/// Runs `peer <args>` to completion, with `stdin` as its input, and returns
/// its stdout.
pub fn run(args: &[&str], stdin: &[u8]) -> Result<String> {
    use std::io::Write;
    let mut child = Command::new(binary()?)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("spawning peer {}", args.join(" ")))?;
    let mut input = child.stdin.take().expect("piped stdin");
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || input.write_all(&data));
    let output = child.wait_with_output()?;
    writer
        .join()
        .map_err(|_| anyhow::anyhow!("stdin writer panicked"))??;
    let stdout = checked(output, &format!("peer {}", args.join(" ")))?;
    String::from_utf8(stdout).context("peer wrote non-UTF-8")
}

fn checked(output: Output, what: &str) -> Result<Vec<u8>> {
    if !output.status.success() {
        bail!(
            "{what} failed ({}): {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    Ok(output.stdout)
}

/// A long-running peer subcommand (`proxy`, `interop worker`): started by
/// [`Process::spawn`], which waits for its first line of output (a JSON
/// object saying it is ready), and stopped when dropped, by closing its
/// stdin, which it watches.
#[derive(Debug)]
pub struct Process {
    child: Child,
    lifeline: Option<ChildStdin>,
}

impl Process {
    /// Runs `peer <args>` and returns it with its first stdout line, parsed.
    pub fn spawn(args: &[&str]) -> Result<(Self, serde_json::Value)> {
        let mut child = Command::new(binary()?)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .with_context(|| format!("spawning peer {}", args.join(" ")))?;
        let lifeline = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let process = Self { child, lifeline };
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .context("reading the peer's first line")?;
        let ready = serde_json::from_str(&line).with_context(|| {
            format!(
                "peer {} did not say it is ready (got {line:?})",
                args.join(" ")
            )
        })?;
        Ok((process, ready))
    }

    /// The process ID.
    pub fn pid(&self) -> u32 {
        self.child.id()
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        drop(self.lifeline.take());
        // It exits on EOF; give it a moment before killing it.
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
