//! A Temporal dev server for the end-to-end tests and the examples.
//!
//! [`DevServer::start`] runs `temporal server start-dev` (in-memory, headless)
//! on a free loopback port with the namespaces [`NAMESPACES`], and waits until
//! both answer. With `TEMPORAL_ADDRESS` set, it starts nothing and uses that
//! server instead (which must already have the namespaces).
//!
//! [`shared`] gives every test of a test binary the same server, and
//! [`with_workers`] runs workers beside a test body.
//!
//! # Cleanup
//!
//! The CLI is not spawned directly but under a small `sh` watchdog whose stdin
//! is a pipe held by this process (a "lifeline"). When the write end closes,
//! the watchdog kills the server with SIGKILL and reaps it. The write end
//! closes when the [`DevServer`] is dropped, and also when the test process
//! ends in any way (normal exit, panic, SIGKILL), because the kernel closes
//! its file descriptors. That matters for [`shared`]: statics are never
//! dropped. Unlike `PR_SET_PDEATHSIG`, this does not depend on which thread
//! spawned the child (tokio test runtimes and their threads come and go), and
//! it needs no `libc`. The pipe is close-on-exec, so other child processes do
//! not inherit it and cannot keep the server alive.

use std::{
    fs::File,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, ChildStdin, Command, Stdio},
    time::{Duration, Instant},
};

use anyhow::{Context, Result, anyhow, bail};

mod workers;
use temporalio_client::{
    Client, ClientOptions, Connection, ConnectionOptions, Url, WorkflowCountOptions,
};
use tokio::sync::OnceCell;
pub use workers::with_workers;

/// Namespaces created on the dev server (besides `default`).
pub const NAMESPACES: [&str; 2] = ["ns-a", "ns-b"];

/// How long [`DevServer::start`] waits for the server to answer.
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// How many times to retry on a port taken between probing and binding.
const START_ATTEMPTS: usize = 3;

/// Runs the CLI (`"$@"`) in the background and kills it with SIGKILL (and
/// removes its log) once its own stdin (fd 3 here) reaches EOF. Exits with the
/// server's status, so that an early server exit is visible as the watchdog's
/// exit (the log stays then, for the error message).
const WATCHDOG_SCRIPT: &str = r#"
exec 3<&0
"$@" </dev/null 3<&- &
srv=$!
{ while read -r _ <&3; do :; done; kill -9 "$srv" 2>/dev/null; rm -f "$TEMPORAL_DEVSERVER_LOG"; } &
reader=$!
exec 3<&-
wait "$srv"
status=$?
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
exit "$status"
"#;

/// A Temporal dev server: one started by this process, or the external one
/// named by `TEMPORAL_ADDRESS`.
#[derive(Debug)]
pub struct DevServer {
    address: String,
    url: Url,
    process: Option<ServerProcess>,
}

#[derive(Debug)]
struct ServerProcess {
    /// The `sh` watchdog; the CLI is its child.
    watchdog: Child,
    /// Write end of the watchdog's stdin; dropping it stops the server.
    lifeline: Option<ChildStdin>,
    /// Server stdout and stderr.
    log: PathBuf,
}

impl DevServer {
    /// Starts a dev server with [`NAMESPACES`] (or connects to
    /// `TEMPORAL_ADDRESS`) and waits until every namespace answers.
    pub async fn start() -> Result<Self> {
        Self::start_with_args(&[]).await
    }

    /// Like [`DevServer::start`], passing `extra_args` to
    /// `temporal server start-dev` (e.g. `--search-attribute K=Keyword`).
    /// They are ignored when `TEMPORAL_ADDRESS` is set.
    pub async fn start_with_args(extra_args: &[&str]) -> Result<Self> {
        if let Some(address) = std::env::var("TEMPORAL_ADDRESS")
            .ok()
            .filter(|a| !a.trim().is_empty())
        {
            let mut server = Self::external(address.trim())?;
            server
                .wait_ready(None)
                .await
                .with_context(|| format!("TEMPORAL_ADDRESS={address}"))?;
            return Ok(server);
        }
        let cli = temporal_cli()?;
        let mut last_err = None;
        for _ in 0..START_ATTEMPTS {
            let port = free_port()?;
            let mut server = Self::spawn(&cli, port, extra_args)?;
            let deadline = Instant::now() + READY_TIMEOUT;
            match server.wait_ready(Some(deadline)).await {
                Ok(()) => return Ok(server),
                Err(err) => {
                    let exited = server.exited();
                    let log = server.log_tail();
                    let err = err.context(format!(
                        "temporal dev server on {} did not become ready; its output:\n{log}",
                        server.address
                    ));
                    // A port taken between probing and binding: try another.
                    if exited && log.contains("address already in use") {
                        last_err = Some(err);
                        continue;
                    }
                    return Err(err);
                }
            }
        }
        Err(last_err.unwrap_or_else(|| anyhow!("temporal dev server did not start")))
    }

    fn external(address: &str) -> Result<Self> {
        let (url, address) = match address.split_once("://") {
            Some((_, rest)) => (address.to_owned(), rest.trim_end_matches('/').to_owned()),
            None => (format!("http://{address}"), address.to_owned()),
        };
        let url = Url::parse(&url).with_context(|| format!("bad server address {url:?}"))?;
        Ok(Self {
            address,
            url,
            process: None,
        })
    }

    fn spawn(cli: &Path, port: u16, extra_args: &[&str]) -> Result<Self> {
        let mut server = Self::external(&format!("127.0.0.1:{port}"))?;
        let log = std::env::temp_dir().join(format!("temporal-dev-server-{port}.log"));
        let log_file = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(WATCHDOG_SCRIPT).arg("temporal-watchdog");
        cmd.arg(cli).args([
            "server",
            "start-dev",
            "--headless",
            "--ip",
            "127.0.0.1",
            "--port",
            &port.to_string(),
            "--log-level",
            "error",
        ]);
        for ns in NAMESPACES {
            cmd.args(["--namespace", ns]);
        }
        cmd.args(extra_args);
        // `--http-port` and `--metrics-port` default to random free ports;
        // `--headless` disables the UI port.
        cmd.env("TEMPORAL_DEVSERVER_LOG", &log)
            .stdin(Stdio::piped())
            .stdout(log_file.try_clone()?)
            .stderr(log_file);
        let mut watchdog = cmd
            .spawn()
            .with_context(|| format!("spawning {} server start-dev", cli.display()))?;
        let lifeline = watchdog.stdin.take();
        server.process = Some(ServerProcess {
            watchdog,
            lifeline,
            log,
        });
        Ok(server)
    }

    /// Whether the server process started by this value has exited.
    fn exited(&mut self) -> bool {
        match &mut self.process {
            Some(p) => !matches!(p.watchdog.try_wait(), Ok(None)),
            None => false,
        }
    }

    fn log_tail(&self) -> String {
        let Some(p) = &self.process else {
            return String::new();
        };
        let log = std::fs::read_to_string(&p.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(40)..].join("\n")
    }

    /// Polls until every namespace answers a `CountWorkflowExecutions`, the
    /// process dies, or the deadline passes.
    async fn wait_ready(&mut self, deadline: Option<Instant>) -> Result<()> {
        let deadline = deadline.unwrap_or_else(|| Instant::now() + READY_TIMEOUT);
        let mut last_err = anyhow!("no attempt made");
        loop {
            if self.exited() {
                bail!("temporal dev server exited during startup");
            }
            let attempt = tokio::time::timeout(Duration::from_secs(5), self.check_namespaces());
            match attempt.await {
                Ok(Ok(())) => return Ok(()),
                Ok(Err(err)) => last_err = err,
                Err(_) => last_err = anyhow!("readiness check timed out after 5 s"),
            }
            if Instant::now() >= deadline {
                return Err(last_err.context(format!(
                    "temporal dev server at {} not ready with namespaces {NAMESPACES:?} after {} s",
                    self.address,
                    READY_TIMEOUT.as_secs()
                )));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn check_namespaces(&self) -> Result<()> {
        let connection = self.connection().await?;
        for ns in NAMESPACES {
            let client = Client::new(connection.clone(), ClientOptions::new(ns).build())
                .with_context(|| format!("client for namespace {ns}"))?;
            client
                .count_workflows("", WorkflowCountOptions::default())
                .await
                .with_context(|| format!("counting workflows in namespace {ns}"))?;
        }
        Ok(())
    }

    /// The frontend address, `host:port`.
    pub fn address(&self) -> &str {
        &self.address
    }

    /// The frontend URL, `http://host:port`.
    pub fn url(&self) -> &Url {
        &self.url
    }

    /// Opens a new connection to the server. Connections belong to the tokio
    /// runtime that creates them, so every test should open its own.
    pub async fn connection(&self) -> Result<Connection> {
        let options = ConnectionOptions::new(self.url.clone())
            .identity("temporal-devserver".to_owned())
            .connect_timeout(Duration::from_secs(5))
            .build();
        Connection::connect(options)
            .await
            .with_context(|| format!("connecting to {}", self.address))
    }

    /// Opens a new connection and a client bound to `namespace`.
    pub async fn client(&self, namespace: &str) -> Result<Client> {
        let connection = self.connection().await?;
        Client::new(connection, ClientOptions::new(namespace).build())
            .with_context(|| format!("client for namespace {namespace}"))
    }
}

impl Drop for DevServer {
    fn drop(&mut self) {
        let Some(mut p) = self.process.take() else {
            return;
        };
        // Closing the lifeline makes the watchdog SIGKILL and reap the server.
        drop(p.lifeline.take());
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match p.watchdog.try_wait() {
                Ok(Some(_)) | Err(_) => break,
                Ok(None) if Instant::now() >= deadline => {
                    // Should not happen; do not leave a zombie behind.
                    let _ = p.watchdog.kill();
                    let _ = p.watchdog.wait();
                    break;
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    }
}

static SHARED: OnceCell<DevServer> = OnceCell::const_new();

/// The dev server shared by all tests of this test binary, started on first
/// use. It is killed when the test binary exits (see the module docs).
///
/// Panics if the server cannot be started.
pub async fn shared() -> &'static DevServer {
    match SHARED.get_or_try_init(DevServer::start).await {
        Ok(server) => server,
        Err(err) => panic!("starting the shared Temporal dev server: {err:#}"),
    }
}

/// The workspace root (the directory of the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("crates/temporal-devserver is two levels down")
        .to_path_buf()
}

/// The Python interpreter of the workspace venv (`.venv/bin/python`, made by
/// `scripts/setup.sh`).
pub fn python() -> PathBuf {
    workspace_root().join(".venv").join("bin").join("python")
}

/// Finds the Temporal CLI: `$TEMPORAL_CLI`, else `<workspace>/.venv/bin/temporal`,
/// else `temporal` on `PATH`.
pub fn temporal_cli() -> Result<PathBuf> {
    if let Some(cli) = std::env::var_os("TEMPORAL_CLI").filter(|s| !s.is_empty()) {
        let cli = PathBuf::from(cli);
        if cli.is_file() {
            return Ok(cli);
        }
        bail!(
            "TEMPORAL_CLI={} does not exist; unset it or run scripts/setup.sh",
            cli.display()
        );
    }
    let venv = workspace_root().join(".venv").join("bin").join("temporal");
    if venv.is_file() {
        return Ok(venv);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    if let Some(found) = std::env::split_paths(&path)
        .map(|dir| dir.join("temporal"))
        .find(|p| p.is_file())
    {
        return Ok(found);
    }
    bail!(
        "Temporal CLI not found ($TEMPORAL_CLI unset, no {}, no `temporal` on PATH); \
         run scripts/setup.sh",
        venv.display()
    )
}

/// A loopback port that was free a moment ago.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("probing for a free port")?;
    Ok(listener.local_addr()?.port())
}
