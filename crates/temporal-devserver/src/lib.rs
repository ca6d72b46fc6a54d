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
//! [`DevServer::builder`] starts a server of this process's own, always
//! (`TEMPORAL_ADDRESS` does not apply), optionally on a fixed port and with
//! a persistent database (`--db-filename`). Such a server can be stopped
//! ([`DevServer::stop`]: SIGTERM, [`DevServer::kill`]: SIGKILL) and started
//! again on the same address and database ([`DevServer::restart`]), for
//! tests of what survives a server restart.
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
    io::Write,
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

/// The search attributes the shared server registers: those the
/// repository's test protos map (`worker.v1`'s `Echo`).
pub const SHARED_SEARCH_ATTRIBUTES: [&str; 2] = ["--search-attribute", "EchoName=Keyword"];

/// How long [`DevServer::start`] waits for the server to answer.
const READY_TIMEOUT: Duration = Duration::from_secs(60);
/// How many times to retry on a port taken between probing and binding.
const START_ATTEMPTS: usize = 3;

/// Runs the CLI (`"$@"`) in the background and kills it with SIGKILL (and
/// removes its log) once its own stdin (fd 3 here) reaches EOF; a line
/// `term` on that stdin sends the server SIGTERM instead (a graceful stop).
/// Exits with the server's status, so that an early server exit is visible
/// as the watchdog's exit (the log stays then, for the error message).
const WATCHDOG_SCRIPT: &str = r#"
exec 3<&0
"$@" </dev/null 3<&- &
srv=$!
{ while read -r cmd <&3; do if [ "$cmd" = term ]; then kill -TERM "$srv" 2>/dev/null; fi; done; kill -9 "$srv" 2>/dev/null; rm -f "$TEMPORAL_DEVSERVER_LOG"; } &
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
    /// How this process starts the server (again); `None` when external.
    launch: Option<Launch>,
    process: Option<ServerProcess>,
}

/// How a server of this process's own is started.
#[derive(Debug, Clone)]
struct Launch {
    cli: PathBuf,
    port: u16,
    db_filename: Option<PathBuf>,
    args: Vec<String>,
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

/// Options of a dev server of this process's own: [`DevServer::builder`].
#[derive(Debug, Clone, Default)]
pub struct DevServerBuilder {
    port: Option<u16>,
    db_filename: Option<PathBuf>,
    args: Vec<String>,
}

impl DevServerBuilder {
    /// The frontend port (on 127.0.0.1). Without one, a free port is
    /// picked; either way [`DevServer::restart`] uses the same one again.
    pub fn port(mut self, port: u16) -> Self {
        self.port = Some(port);
        self
    }

    /// Keeps the server's state in the SQLite file `path`
    /// (`--db-filename`) instead of memory, so that it survives
    /// [`DevServer::restart`]. The file is created if missing and is the
    /// caller's to remove.
    pub fn db_filename(mut self, path: impl Into<PathBuf>) -> Self {
        self.db_filename = Some(path.into());
        self
    }

    /// Passes `args` to `temporal server start-dev` as well (e.g.
    /// `--search-attribute K=Keyword`).
    pub fn args<S: AsRef<str>>(mut self, args: impl IntoIterator<Item = S>) -> Self {
        self.args
            .extend(args.into_iter().map(|a| a.as_ref().to_owned()));
        self
    }

    /// Starts the server with [`NAMESPACES`] and waits until every
    /// namespace answers. `TEMPORAL_ADDRESS` does not apply here.
    pub async fn start(self) -> Result<DevServer> {
        let cli = temporal_cli()?;
        let launch = |port| Launch {
            cli: cli.clone(),
            port,
            db_filename: self.db_filename.clone(),
            args: self.args.clone(),
        };
        if let Some(port) = self.port {
            return DevServer::launched(launch(port)).await;
        }
        let mut last_err = None;
        for _ in 0..START_ATTEMPTS {
            match DevServer::launched(launch(free_port()?)).await {
                Ok(server) => return Ok(server),
                // A port taken between probing and binding: try another.
                Err(err) if is_port_taken(&err) => last_err = Some(err),
                Err(err) => return Err(err),
            }
        }
        Err(last_err.unwrap_or_else(|| anyhow!("temporal dev server did not start")))
    }
}

/// Whether a start failed because a port was taken: the one probed for,
/// or one the server picks for itself (it panics on the bind error).
fn is_port_taken(err: &anyhow::Error) -> bool {
    format!("{err:#}").contains("address already in use")
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
        Self::builder().args(extra_args).start().await
    }

    /// Options for a server of this process's own, which can be stopped and
    /// restarted: a fixed port, a persistent database, extra arguments.
    pub fn builder() -> DevServerBuilder {
        DevServerBuilder::default()
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
            launch: None,
            process: None,
        })
    }

    /// Starts a server as `launch` says and waits until it is ready.
    async fn launched(launch: Launch) -> Result<Self> {
        let mut server = Self::external(&format!("127.0.0.1:{}", launch.port))?;
        server.launch = Some(launch);
        server.run().await?;
        Ok(server)
    }

    /// Starts the process of [`Self::launch`] and waits until it is ready;
    /// on failure, stops what it started and says why, with the server's
    /// output.
    async fn run(&mut self) -> Result<()> {
        // Another server on the port would answer the readiness checks in
        // place of this one (which fails to bind and exits a moment later).
        let port = self.launch.as_ref().map_or(0, |l| l.port);
        match TcpListener::bind(("127.0.0.1", port)) {
            Ok(_) => {}
            Err(err) if err.kind() == std::io::ErrorKind::AddrInUse => {
                bail!("port {port} on 127.0.0.1: address already in use")
            }
            Err(err) => bail!("port {port} on 127.0.0.1 cannot be bound: {err}"),
        }
        self.spawn()?;
        let deadline = Instant::now() + READY_TIMEOUT;
        match self.wait_ready(Some(deadline)).await {
            Ok(()) => Ok(()),
            Err(err) => {
                let log = self.log_tail();
                self.kill_process();
                Err(err.context(format!(
                    "temporal dev server on {} did not become ready; its output:\n{log}",
                    self.address
                )))
            }
        }
    }

    fn spawn(&mut self) -> Result<()> {
        let launch = self
            .launch
            .as_ref()
            .context("not a dev server of this process")?;
        let port = launch.port;
        let log = std::env::temp_dir().join(format!("temporal-dev-server-{port}.log"));
        let log_file = File::create(&log).with_context(|| format!("creating {}", log.display()))?;
        let mut cmd = Command::new("sh");
        cmd.arg("-c").arg(WATCHDOG_SCRIPT).arg("temporal-watchdog");
        cmd.arg(&launch.cli).args([
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
        if let Some(db) = &launch.db_filename {
            cmd.arg("--db-filename").arg(db);
        }
        cmd.args(&launch.args);
        // `--http-port` and `--metrics-port` default to random free ports;
        // `--headless` disables the UI port.
        cmd.env("TEMPORAL_DEVSERVER_LOG", &log)
            .stdin(Stdio::piped())
            .stdout(log_file.try_clone()?)
            .stderr(log_file);
        let mut watchdog = cmd
            .spawn()
            .with_context(|| format!("spawning {} server start-dev", launch.cli.display()))?;
        let lifeline = watchdog.stdin.take();
        self.process = Some(ServerProcess {
            watchdog,
            lifeline,
            log,
        });
        Ok(())
    }

    /// Stops the server gracefully (SIGTERM) and waits until it has exited
    /// (SIGKILL after 30 s). A no-op when it is not running; an error for
    /// an external server.
    pub async fn stop(&mut self) -> Result<()> {
        self.own()?;
        let Some(mut p) = self.process.take() else {
            return Ok(());
        };
        let asked = p
            .lifeline
            .as_mut()
            .is_some_and(|l| l.write_all(b"term\n").and_then(|()| l.flush()).is_ok());
        let deadline = Instant::now() + Duration::from_secs(30);
        while asked && Instant::now() < deadline {
            if !matches!(p.watchdog.try_wait(), Ok(None)) {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        let log = p.log.clone();
        reap(p);
        let _ = std::fs::remove_file(log);
        Ok(())
    }

    /// Kills the server with SIGKILL and waits until it is gone: a crash,
    /// as far as the server can tell. A no-op when it is not running; an
    /// error for an external server.
    pub fn kill(&mut self) -> Result<()> {
        self.own()?;
        self.kill_process();
        Ok(())
    }

    fn kill_process(&mut self) {
        if let Some(p) = self.process.take() {
            reap(p);
        }
    }

    /// Starts the server again on the same address, database and arguments
    /// (stopping it first if it runs) and waits until it is ready. Retries
    /// for a few seconds while the port is still taken.
    pub async fn restart(&mut self) -> Result<()> {
        self.stop().await?;
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            match self.run().await {
                Err(err) if is_port_taken(&err) && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(250)).await;
                }
                result => return result,
            }
        }
    }

    /// Whether this process runs the server and it has not exited.
    pub fn is_running(&mut self) -> bool {
        self.process.is_some() && !self.exited()
    }

    /// The server's database file, when it has one ([`DevServerBuilder::db_filename`]).
    pub fn db_filename(&self) -> Option<&Path> {
        self.launch.as_ref()?.db_filename.as_deref()
    }

    /// The process id of the watchdog (`sh`) the server runs under, when
    /// this process runs it.
    pub fn watchdog_pid(&self) -> Option<u32> {
        self.process.as_ref().map(|p| p.watchdog.id())
    }

    fn own(&self) -> Result<()> {
        if self.launch.is_none() {
            bail!(
                "the dev server at {} is external (TEMPORAL_ADDRESS); it cannot be stopped or restarted from here",
                self.address
            );
        }
        Ok(())
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
        excerpt(&log)
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
        self.kill_process();
    }
}

/// Closes the lifeline, which makes the watchdog SIGKILL and reap the
/// server (if it still runs), and reaps the watchdog.
fn reap(mut p: ServerProcess) {
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

static SHARED: OnceCell<DevServer> = OnceCell::const_new();

/// The dev server shared by all tests of this test binary, started on first
/// use, with [`SHARED_SEARCH_ATTRIBUTES`]. It is killed when the test binary exits (see the module docs).
///
/// Panics if the server cannot be started.
pub async fn shared() -> &'static DevServer {
    let start = || DevServer::start_with_args(&SHARED_SEARCH_ATTRIBUTES);
    match SHARED.get_or_try_init(start).await {
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

/// The first and last lines of a server log: a Go panic's message (such as
/// a bind error on one of the ports the server picks for itself) comes
/// first and its goroutine dump after it, so both ends are kept.
fn excerpt(log: &str) -> String {
    const HEAD: usize = 15;
    const TAIL: usize = 25;
    let lines: Vec<&str> = log.lines().collect();
    if lines.len() <= HEAD + TAIL {
        return lines.join("\n");
    }
    let skipped = lines.len() - HEAD - TAIL;
    format!(
        "{}\n[... {skipped} lines ...]\n{}",
        lines[..HEAD].join("\n"),
        lines[lines.len() - TAIL..].join("\n")
    )
}

/// A loopback port that was free a moment ago.
fn free_port() -> Result<u16> {
    let listener = TcpListener::bind("127.0.0.1:0").context("probing for a free port")?;
    Ok(listener.local_addr()?.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_log_keeps_the_panic_message_and_the_end() {
        let mut log =
            String::from("panic: listen tcp 127.0.0.1:7235: bind: address already in use\n");
        for i in 0..100 {
            log.push_str(&format!("goroutine frame {i}\n"));
        }
        let kept = excerpt(&log);
        assert!(kept.starts_with("panic: listen tcp"), "{kept}");
        assert!(kept.contains("[... 61 lines ...]"), "{kept}");
        assert!(kept.ends_with("goroutine frame 99"), "{kept}");
        assert!(is_port_taken(&anyhow!(
            "did not become ready; its output:\n{kept}"
        )));
        assert_eq!(excerpt("a\nb"), "a\nb");
    }
}
