//! The harness finds what it is for: faults injected into its workers at
//! known inputs (a panic, an abort, a stack overflow, an allocation past
//! the memory bound, a hang) are each reported once, at their input, and
//! the run goes on past them.

use std::process::Command;

#[test]
fn every_injected_fault_is_reported_at_its_input_and_the_run_goes_on() {
    let out = std::env::temp_dir().join(format!("fuzz-selftest-{}", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_fuzz"))
        .args([
            "run",
            "--inputs",
            "40",
            "--mode",
            "mutants",
            "--jobs",
            "2",
            "--samples",
            "0",
        ])
        .args(["--hang-secs", "3", "--mem-mb", "1024"])
        .args(["--inject", "panic@3,abort@11,overflow@17,oom@25,hang@33"])
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run the fuzz binary");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "findings must fail the run\n{stdout}\n{stderr}"
    );
    for expected in [
        "FINDING panic: injected panic (1 inputs, e.g. index 3)",
        "FINDING crash: process died (signal N) (1 inputs, e.g. index 11)",
        "FINDING crash: stack overflow (signal N) (1 inputs, e.g. index 17)",
        "FINDING crash: allocation failed (memory bound) (signal N) (1 inputs, e.g. index 25)",
        "FINDING hang: no result within Ns (1 inputs, e.g. index 33)",
    ] {
        assert!(
            stdout.contains(expected),
            "missing `{expected}` in\n{stdout}\n{stderr}"
        );
    }
    // All 40 inputs are accounted for: 5 findings and 35 ordinary results.
    assert!(stdout.contains("fuzz: 40 inputs"), "{stdout}");
    let _ = std::fs::remove_dir_all(out);
}
