//! The suite end to end in its quick form (`bench --quick`): every section
//! runs against a real dev server, protoc and cargo, and reports its rows;
//! the Markdown report is written. The figures of a quick debug run mean
//! nothing and are not checked, but what the benchmarks observe is: the
//! server's counters saw the XNS call wait and heartbeat, and both
//! generators wrote code.

use std::process::Command;

#[test]
fn quick_run_reports_every_section() {
    let out = std::env::temp_dir().join(format!("bench-report-{}.md", std::process::id()));
    let output = Command::new(env!("CARGO_BIN_EXE_bench"))
        .args(["--quick", "--out"])
        .arg(&out)
        .env_remove("TEMPORAL_ADDRESS")
        .output()
        .expect("running bench");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "bench --quick failed: {}\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    let report = std::fs::read_to_string(&out).expect("the Markdown report");
    std::fs::remove_file(&out).ok();

    let rows: Vec<Vec<&str>> = report
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| section"))
        .map(|l| l.trim_matches('|').split(" | ").map(str::trim).collect())
        .collect();
    let count = |section: &str| rows.iter().filter(|r| r[0] == section).count();
    assert_eq!(count("codegen"), 9, "{report}");
    assert_eq!(count("latency"), 3, "{report}");
    assert_eq!(count("throughput"), 1, "{report}");
    assert_eq!(count("economy"), 2, "{report}");
    assert_eq!(count("idle"), 1, "{report}");
    assert_eq!(count("go-codegen"), 3, "{report}");
    assert_eq!(count("go-xns"), 4, "{report}");
    for row in rows.iter().filter(|r| r[5] != "-") {
        assert!(
            row[4].parse::<f64>().is_ok(),
            "no value for a goal: {row:?}"
        );
        assert!(matches!(row[6], "met" | "MISSED"), "no verdict: {row:?}");
    }

    let value = |measure: &str| -> f64 {
        let row = rows
            .iter()
            .find(|r| r[1].starts_with(measure))
            .unwrap_or_else(|| panic!("no row {measure:?} in\n{report}"));
        row[4].parse().unwrap()
    };
    // The XNS call's wait is one history long poll, seen by the server.
    assert_eq!(value("history polls per XNS call"), 1.0, "{report}");
    assert!(value("heartbeats per XNS call") >= 1.0, "{report}");
    // Both generators wrote Temporal code for the synthetic set.
    assert!(
        value("generated Temporal code: ours vs the Go") > 0.0,
        "{report}"
    );
}
