//! Runs inputs in worker processes (see [`crate::worker`]) and turns what
//! they report, and how they end, into counts and findings. A worker that
//! dies (abort, stack overflow, allocation failure past its memory bound)
//! or stops reporting for longer than the hang limit is charged with the
//! input it was running, and a new worker goes on after that input.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::input::Mode;

/// A run's settings.
#[derive(Debug, Clone)]
pub struct Config {
    pub seed: u64,
    pub mode: Mode,
    /// Inputs `start..start + inputs` run (a long run can go in parts).
    pub start: u64,
    pub inputs: u64,
    pub jobs: usize,
    pub hang: Duration,
    pub mem_mb: u64,
    /// Where seeds, worker logs and findings go.
    pub out: PathBuf,
    pub root: PathBuf,
    /// Accepted inputs with distinct outputs kept for the compile check.
    pub samples: usize,
    /// Faults injected into the workers (see [`crate::worker::Job`]).
    pub inject: Option<String>,
}

/// A class of failure and every input that showed it.
#[derive(Debug, Clone)]
pub struct Finding {
    pub kind: &'static str,
    pub detail: String,
    pub indices: Vec<u64>,
}

/// What a run saw.
#[derive(Debug, Default)]
pub struct Report {
    pub accepted: u64,
    pub rejected: u64,
    pub unbuilt: u64,
    pub distinct_outputs: u64,
    /// Findings by signature.
    pub findings: BTreeMap<String, Finding>,
    /// Reservoir of accepted inputs with distinct outputs.
    pub samples: Vec<u64>,
    pub elapsed: Duration,
}

impl Report {
    pub fn total(&self) -> u64 {
        self.accepted
            + self.rejected
            + self.unbuilt
            + self
                .findings
                .values()
                .map(|f| f.indices.len() as u64)
                .sum::<u64>()
    }

    fn add(&mut self, kind: &'static str, detail: &str, index: u64) {
        let signature = format!("{kind}: {}", signature(detail));
        if !self.findings.contains_key(&signature) {
            // Said at once: a long run's findings are worth reading early.
            eprintln!("[fuzz] new finding at input {index}: {signature}");
        }
        self.findings
            .entry(signature)
            .or_insert_with(|| Finding {
                kind,
                detail: detail.to_string(),
                indices: Vec::new(),
            })
            .indices
            .push(index);
    }
}

/// A finding's signature: its detail without the numbers that differ per
/// input.
fn signature(detail: &str) -> String {
    let first = detail.split("\\n").next().unwrap_or(detail);
    let mut out = String::new();
    let mut in_digits = false;
    for c in first.chars().take(160) {
        if c.is_ascii_digit() && !out.ends_with(".rs:") && !in_digits_after_rs(&out) {
            if !in_digits {
                out.push('N');
            }
            in_digits = true;
        } else {
            in_digits = false;
            out.push(c);
        }
    }
    out
}

fn in_digits_after_rs(out: &str) -> bool {
    // Keep line numbers of `file.rs:123`.
    let tail = out.rsplit(".rs:").next().unwrap_or("");
    out.contains(".rs:") && tail.chars().all(|c| c.is_ascii_digit())
}

enum Event {
    Line(usize, String),
    Closed(usize),
}

struct Slot {
    child: Child,
    /// Inputs `next..end` are left in its range.
    next: u64,
    end: u64,
    last_progress: Instant,
    hung: bool,
    /// Whether it reported any input: one that exits with an error before
    /// that could not start (no seeds, no schema), which is the harness's
    /// failure, not the input's.
    reported: bool,
    stderr: PathBuf,
}

/// Inputs per worker process before a fresh one starts.
const CHUNK: u64 = 2_000;

pub fn run(config: &Config) -> Result<Report, String> {
    std::fs::create_dir_all(&config.out).map_err(|e| format!("{}: {e}", config.out.display()))?;
    let seeds = crate::seeds::capture(&config.root)?;
    let seeds_path = config.out.join("seeds.bin");
    crate::seeds::save(&seeds_path, &seeds).map_err(|e| e.to_string())?;

    let started = Instant::now();
    let mut report = Report::default();
    let end = config.start + config.inputs;
    let mut chunks: Vec<(u64, u64)> = (config.start..end)
        .step_by(CHUNK as usize)
        .map(|from| (from, (from + CHUNK).min(end)))
        .collect();
    chunks.reverse();
    let (tx, rx) = mpsc::channel();
    let mut slots: Vec<Option<Slot>> = (0..config.jobs).map(|_| None).collect();
    let mut seen = HashSet::new();
    let mut distinct_accepted: u64 = 0;
    let mut reservoir_rng = crate::rng::Rng::for_input(config.seed, u64::MAX);
    let mut last_print = Instant::now();

    let spawn = |slot: usize, from: u64, end: u64| -> Result<Slot, String> {
        let stderr = config.out.join(format!("worker-{slot}.stderr"));
        let log = std::fs::File::create(&stderr).map_err(|e| e.to_string())?;
        let mut child = Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
            .arg("worker")
            .args([
                "--seed",
                &config.seed.to_string(),
                "--mode",
                config.mode.name(),
            ])
            .args(["--from", &from.to_string(), "--to", &end.to_string()])
            .arg("--seeds")
            .arg(&seeds_path)
            .arg("--root")
            .arg(&config.root)
            .args(["--mem-mb", &config.mem_mb.to_string()])
            .args(config.inject.iter().flat_map(|i| ["--inject", i.as_str()]))
            // mimalloc reserves 1 GiB arenas by default, which an address
            // space bound of that order cannot hold.
            .env("MIMALLOC_ARENA_RESERVE", "32MiB")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("cannot start a worker: {e}"))?;
        let stdout = child.stdout.take().expect("piped");
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                match line {
                    Ok(line) => {
                        if tx.send(Event::Line(slot, line)).is_err() {
                            return;
                        }
                    }
                    Err(_) => break,
                }
            }
            let _ = tx.send(Event::Closed(slot));
        });
        Ok(Slot {
            child,
            next: from,
            end,
            last_progress: Instant::now(),
            hung: false,
            reported: false,
            stderr,
        })
    };

    loop {
        for (i, slot) in slots.iter_mut().enumerate() {
            if slot.is_none()
                && let Some((from, end)) = chunks.pop()
            {
                *slot = Some(spawn(i, from, end)?);
            }
        }
        if slots.iter().all(Option::is_none) {
            break;
        }
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(Event::Line(i, line)) => {
                let Some(slot) = slots[i].as_mut() else {
                    continue;
                };
                slot.last_progress = Instant::now();
                slot.reported = true;
                let mut parts = line.splitn(3, ' ');
                let (code, index, rest) = (parts.next(), parts.next(), parts.next().unwrap_or(""));
                let Some(index) = index.and_then(|s| s.parse::<u64>().ok()) else {
                    return Err(format!("worker {i} wrote an unreadable line: {line}"));
                };
                slot.next = index + 1;
                match code {
                    Some("A") => {
                        report.accepted += 1;
                        let hash = rest.split(' ').next().unwrap_or("");
                        if seen.insert(hash.to_string()) {
                            distinct_accepted += 1;
                            // Reservoir sampling over distinct outputs.
                            if report.samples.len() < config.samples {
                                report.samples.push(index);
                            } else if config.samples > 0 {
                                let j = reservoir_rng.below(distinct_accepted as usize);
                                if j < config.samples {
                                    report.samples[j] = index;
                                }
                            }
                        }
                    }
                    Some("R") => report.rejected += 1,
                    Some("I") => report.unbuilt += 1,
                    Some("P") => report.add("panic", rest, index),
                    Some("E") => report.add("internal-error", rest, index),
                    Some("N") => {
                        report.add("nondeterministic", "output differs between two runs", index)
                    }
                    Some("Q") => report.add("input-panic", rest, index),
                    _ => return Err(format!("worker {i} wrote an unknown line: {line}")),
                }
            }
            Ok(Event::Closed(i)) => {
                let Some(mut slot) = slots[i].take() else {
                    continue;
                };
                let status = slot.child.wait().map_err(|e| e.to_string())?;
                if !slot.reported && !slot.hung && status.code() == Some(1) {
                    return Err(format!(
                        "a worker could not start: {}",
                        tail(&slot.stderr).trim()
                    ));
                }
                if slot.next < slot.end {
                    let crashed = slot.next;
                    if slot.hung {
                        report.add(
                            "hang",
                            &format!("no result within {:?}", config.hang),
                            crashed,
                        );
                    } else {
                        let tail = tail(&slot.stderr);
                        report.add("crash", &classify(&status, &tail), crashed);
                    }
                    if crashed + 1 < slot.end {
                        slots[i] = Some(spawn(i, crashed + 1, slot.end)?);
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        for slot in slots.iter_mut().flatten() {
            if !slot.hung && slot.last_progress.elapsed() > config.hang {
                slot.hung = true;
                let _ = slot.child.kill();
            }
        }
        if last_print.elapsed() > Duration::from_secs(15) {
            last_print = Instant::now();
            let done = report.total();
            eprintln!(
                "[fuzz] {done}/{} inputs, {:.0}/s, {} findings",
                config.inputs,
                done as f64 / started.elapsed().as_secs_f64(),
                report.findings.len()
            );
        }
    }
    report.distinct_outputs = distinct_accepted;
    report.samples.sort_unstable();
    report.elapsed = started.elapsed();
    Ok(report)
}

fn tail(path: &Path) -> String {
    let Ok(mut f) = std::fs::File::open(path) else {
        return String::new();
    };
    let len = f.metadata().map(|m| m.len()).unwrap_or(0);
    let _ = f.seek(SeekFrom::Start(len.saturating_sub(4096)));
    let mut s = String::new();
    let _ = f.read_to_string(&mut s);
    s
}

fn classify(status: &std::process::ExitStatus, stderr: &str) -> String {
    use std::os::unix::process::ExitStatusExt;
    let what = if stderr.contains("overflowed its stack") {
        "stack overflow"
    } else if stderr.contains("memory allocation of") {
        "allocation failed (memory bound)"
    } else {
        "process died"
    };
    match status.signal() {
        Some(sig) => format!("{what} (signal {sig})"),
        None => format!("{what} ({status})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_drop_per_input_numbers_but_keep_source_lines() {
        assert_eq!(
            signature("src/model/build.rs:120: index 5 out of range for 3"),
            "src/model/build.rs:120: index N out of range for N"
        );
    }
}
