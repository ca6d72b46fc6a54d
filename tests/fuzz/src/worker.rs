//! A worker process: runs inputs `from..to` in order and reports one line
//! per input on stdout, flushed before the next input starts, so that the
//! supervisor knows which input was running when the process died or hung.
//!
//! Lines: `A <index> <hash> <files>` accepted, `R <index>` rejected,
//! `P <index> <message>` panic, `E <index> <message>` internal error,
//! `N <index>` nondeterministic output, `I <index>` protox rejected the
//! generated protos, `Q <index> <message>` building the input panicked.

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::path::PathBuf;

use crate::compile::Schema;
use crate::input::{self, Mode};
use crate::probe::{self, Outcome};
use crate::seeds;

/// What a worker runs.
pub struct Job {
    pub seed: u64,
    pub mode: Mode,
    pub from: u64,
    pub to: u64,
    pub seeds: PathBuf,
    pub root: PathBuf,
    pub mem_mb: u64,
    /// Faults to inject, for the harness's own tests: `kind@index` pairs,
    /// comma-separated (kinds: panic, abort, overflow, oom, hang).
    pub inject: Option<String>,
}

/// Stack of the thread that runs the plugin: a main thread's usual 8 MiB,
/// as protoc's child process has.
const STACK: usize = 8 << 20;

/// Every `DETERMINISM_EVERY`-th accepted input is generated twice.
const DETERMINISM_EVERY: u64 = 16;

pub fn run(job: Job) -> Result<(), String> {
    limit_memory(job.mem_mb)?;
    probe::install_panic_hook();
    let seeds = seeds::load(&job.seeds).map_err(|e| format!("{}: {e}", job.seeds.display()))?;
    let schema = Schema::load(&job.root).map_err(|e| format!("schema: {e}"))?;
    let thread = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(move || {
            let stdout = std::io::stdout();
            let mut out = stdout.lock();
            for index in job.from..job.to {
                let line = one(&job, index, &seeds, &schema);
                if writeln!(out, "{line}").and_then(|()| out.flush()).is_err() {
                    return;
                }
            }
        })
        .map_err(|e| format!("cannot start the worker thread: {e}"))?;
    thread
        .join()
        .map_err(|_| "worker thread panicked outside an input".to_string())
}

fn one(job: &Job, index: u64, seeds: &[Vec<u8>], schema: &Schema) -> String {
    if let Some(kind) = injected(job.inject.as_deref(), index)
        && panic::catch_unwind(|| inject(kind)).is_err()
    {
        return format!("P {index} injected panic");
    }
    let made = panic::catch_unwind(AssertUnwindSafe(|| {
        input::make(job.seed, index, job.mode, seeds, schema)
    }));
    let input = match made {
        Ok(Ok(input)) => input,
        Ok(Err(_)) => return format!("I {index}"),
        Err(_) => return format!("Q {index} input generation panicked"),
    };
    match probe::probe(&input.request, index.is_multiple_of(DETERMINISM_EVERY)) {
        Outcome::Accepted { hash, files } => format!("A {index} {hash} {files}"),
        Outcome::Rejected { .. } => format!("R {index}"),
        Outcome::Panic { message } => format!("P {index} {}", one_line(&message)),
        Outcome::Internal { message } => format!("E {index} {}", one_line(&message)),
        Outcome::Nondeterministic => format!("N {index}"),
    }
}

fn injected(spec: Option<&str>, index: u64) -> Option<&str> {
    spec?.split(',').find_map(|pair| {
        let (kind, at) = pair.split_once('@')?;
        (at.parse::<u64>().ok()? == index).then_some(kind)
    })
}

/// The faults the supervisor must notice.
fn inject(kind: &str) {
    match kind {
        "panic" => panic!("injected panic"),
        "abort" => std::process::abort(),
        "overflow" => {
            fn deep(n: u64) -> u64 {
                let pad = std::hint::black_box([n; 64]);
                if n == 0 { 0 } else { deep(n - 1) + pad[3] }
            }
            std::hint::black_box(deep(u64::MAX));
        }
        "oom" => {
            let mut hog: Vec<Vec<u8>> = Vec::new();
            loop {
                hog.push(vec![1u8; 64 << 20]);
            }
        }
        "hang" => loop {
            std::thread::sleep(std::time::Duration::from_secs(1));
        },
        _ => {}
    }
}

fn one_line(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('\n', "\\n")
        .replace('\r', "\\r")
}

/// Bounds the address space, so that a runaway allocation ends in an
/// allocation failure the supervisor reports instead of swapping the
/// machine.
fn limit_memory(mb: u64) -> Result<(), String> {
    let bytes = mb.saturating_mul(1 << 20);
    let limit = libc::rlimit {
        rlim_cur: bytes as libc::rlim_t,
        rlim_max: bytes as libc::rlim_t,
    };
    // SAFETY: setrlimit reads a valid rlimit struct and changes only this
    // process's limits.
    let rc = unsafe { libc::setrlimit(libc::RLIMIT_AS, &limit) };
    if rc == 0 {
        Ok(())
    } else {
        Err(format!(
            "setrlimit(RLIMIT_AS, {mb} MiB): {}",
            std::io::Error::last_os_error()
        ))
    }
}
