//! Servers of the test's own: a persistent database survives a graceful
//! stop and a SIGKILL, the address stays the same across restarts, and a
//! fixed port is used as given.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use temporal_devserver::DevServer;
use temporalio_client::{
    Client, UntypedWorkflow, WorkflowDescribeOptions, WorkflowExecutionStatus, WorkflowStartOptions,
};

/// A database path unique to this process and `tag`, with the files SQLite
/// may add beside it removed on drop.
struct TempDb(PathBuf);

impl TempDb {
    fn new(tag: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "temporal-devserver-{tag}-{}.db",
            std::process::id()
        ));
        let db = Self(path);
        db.remove();
        db
    }

    fn path(&self) -> &Path {
        &self.0
    }

    fn remove(&self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = self.0.clone().into_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
}

impl Drop for TempDb {
    fn drop(&mut self) {
        self.remove();
    }
}

async fn refused(address: &str) -> bool {
    tokio::net::TcpStream::connect(address).await.is_err()
}

/// Starts a workflow no worker serves: it stays running.
async fn start_idle(client: &Client, id: &str) -> Result<()> {
    client
        .start_workflow(
            UntypedWorkflow::new("devserver.Idle"),
            // No arguments (an empty `RawValue`).
            Default::default(),
            WorkflowStartOptions::new("devserver-idle", id).build(),
        )
        .await
        .with_context(|| format!("starting {id}"))?;
    Ok(())
}

async fn status(server: &DevServer, id: &str) -> Result<WorkflowExecutionStatus> {
    let client = server.client("ns-b").await?;
    let description = client
        .get_workflow_handle::<UntypedWorkflow>(id)
        .describe(WorkflowDescribeOptions::default())
        .await
        .with_context(|| format!("describing {id}"))?;
    Ok(description.status())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_survives_stop_and_kill_on_the_same_address() -> Result<()> {
    let db = TempDb::new("restart");
    let mut server = DevServer::builder().db_filename(db.path()).start().await?;
    assert_eq!(server.db_filename(), Some(db.path()));
    let address = server.address().to_owned();
    let id = format!("idle-{}", std::process::id());
    start_idle(&server.client("ns-b").await?, &id).await?;

    // Graceful stop: the port closes, the state stays.
    let stopping = Instant::now();
    server.stop().await?;
    println!("SIGTERM stop took {:?}", stopping.elapsed());
    assert!(!server.is_running());
    assert!(refused(&address).await, "{address} still answers");
    let starting = Instant::now();
    server.restart().await?;
    println!("restart took {:?}", starting.elapsed());
    assert_eq!(server.address(), address);
    assert_eq!(
        status(&server, &id).await?,
        WorkflowExecutionStatus::Running
    );

    // A crash (SIGKILL) keeps it too.
    server.kill()?;
    assert!(refused(&address).await, "{address} still answers");
    server.restart().await?;
    assert!(server.is_running());
    assert_eq!(
        status(&server, &id).await?,
        WorkflowExecutionStatus::Running
    );
    // Stopping twice is fine; restart of a running server stops it first.
    server.restart().await?;
    assert_eq!(
        status(&server, &id).await?,
        WorkflowExecutionStatus::Running
    );
    server.stop().await?;
    server.stop().await?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fixed_port_is_used_and_a_taken_one_fails_with_the_reason() -> Result<()> {
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let server = DevServer::builder().port(port).start().await?;
    assert_eq!(server.address(), format!("127.0.0.1:{port}"));
    assert_eq!(server.db_filename(), None);

    let started = Instant::now();
    let err = DevServer::builder()
        .port(port)
        .start()
        .await
        .expect_err("the port is taken");
    let message = format!("{err:#}");
    ensure!(
        message.contains("address already in use"),
        "unexpected error: {message}"
    );
    ensure!(
        started.elapsed() < Duration::from_secs(30),
        "a taken port took {:?} to report",
        started.elapsed()
    );
    // The first server is unharmed.
    server.client("ns-a").await?;
    Ok(())
}
