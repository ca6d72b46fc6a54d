//! Compile-fail tests of the generated code: a missing handler, a wrong
//! input type, a wrong output type, a missing validator, a wrong activity
//! output, a signal-with-start the proto does not allow and, under
//! `deny(deprecated)`, a call of a deprecated rpc, and a call through an XNS
//! run handle of a handler its workflow does not declare must not
//! compile, and the compiler must say why in terms of the generated trait
//! or the proto.
//!
//! Each `tests/ui/*.rs` is checked by `rustc` against the `e2e` library this
//! test was built with (found next to the test binary), so no second build
//! of the SDK is needed. The normalized diagnostics are compared with the
//! committed `tests/ui/*.stderr`; run with `UI_BLESS=1` to rewrite them.
//! `tests/ui/pass/*.rs` must compile: the control that the setup works.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};

/// `target/<profile>/deps`, where cargo put this binary and its dependencies.
fn deps_dir() -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    exe.parent()
        .map(Path::to_path_buf)
        .context("test binary has no parent directory")
}

/// The newest `libe2e-*.rlib`: the one built with this test binary.
fn e2e_rlib(deps: &Path) -> Result<PathBuf> {
    let mut best: Option<(std::time::SystemTime, PathBuf)> = None;
    for entry in std::fs::read_dir(deps)? {
        let path = entry?.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with("libe2e-") && name.ends_with(".rlib") {
            let modified = path.metadata()?.modified()?;
            if best.as_ref().is_none_or(|(t, _)| modified > *t) {
                best = Some((modified, path));
            }
        }
    }
    best.map(|(_, p)| p)
        .context("no libe2e-*.rlib next to the test binary")
}

/// Checks `file` with rustc; returns (success, stderr).
fn check(file: &Path, deps: &Path, rlib: &Path, out: &Path) -> Result<(bool, String)> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let output = Command::new(rustc)
        .arg("--edition=2024")
        .arg("--crate-type=lib")
        .arg("--emit=metadata")
        .arg("--color=never")
        .arg("--out-dir")
        .arg(out)
        .arg("-L")
        .arg(format!("dependency={}", deps.display()))
        .arg("--extern")
        .arg(format!("e2e={}", rlib.display()))
        .arg(file)
        .output()
        .context("running rustc")?;
    Ok((
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    ))
}

/// Makes diagnostics independent of the machine: paths become `$DIR`
/// (the ui directory) and `$OUT_DIR` (generated code), and line numbers
/// inside generated code become `LL:CC`, since they move whenever the
/// generator's output changes.
fn normalize(stderr: &str, ui_dir: &Path) -> String {
    let ui = ui_dir.display().to_string();
    let mut out = String::new();
    let mut in_generated = false;
    for line in stderr.lines() {
        let mut line = line.replace(&ui, "$DIR");
        if let Some((arrow, marker)) = ["--> ", "::: "]
            .into_iter()
            .find_map(|m| line.find(m).map(|at| (at, m)))
        {
            let path = &line[arrow + 4..];
            in_generated = path.contains("/out/gen/");
            if in_generated {
                let gen_at = path.find("/out/gen/").unwrap_or(0);
                let rest = &path[gen_at + "/out/gen/".len()..];
                let file = rest.split(':').next().unwrap_or(rest);
                line = format!("{}{marker}$OUT_DIR/gen/{file}:LL:CC", &line[..arrow]);
            } else if path.starts_with("crates/") {
                // The runtime's own lines move with every edit of it.
                let file = path.split(':').next().unwrap_or(path);
                line = format!("{}{marker}{file}:LL:CC", &line[..arrow]);
            }
        } else if in_generated {
            // Gutter line numbers of a snippet from generated code.
            let trimmed = line.trim_start();
            let digits = trimmed.chars().take_while(char::is_ascii_digit).count();
            if digits > 0 && trimmed[digits..].starts_with(" |") {
                line = format!("LL{}", &trimmed[digits..]);
            }
        }
        if line.is_empty() {
            in_generated = false;
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn rs_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)?
        .map(|e| e.map(|e| e.path()))
        .collect::<std::io::Result<_>>()?;
    files.retain(|p| p.extension().is_some_and(|e| e == "rs"));
    files.sort();
    Ok(files)
}

#[test]
fn contracts_reject_wrong_implementations() -> Result<()> {
    let ui_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("ui");
    let deps = deps_dir()?;
    let rlib = e2e_rlib(&deps)?;
    let out = std::env::temp_dir().join(format!("e2e-ui-{}", std::process::id()));
    std::fs::create_dir_all(&out)?;
    let bless = std::env::var_os("UI_BLESS").is_some();

    for file in rs_files(&ui_dir.join("pass"))? {
        let (ok, stderr) = check(&file, &deps, &rlib, &out)?;
        ensure!(ok, "{} must compile:\n{stderr}", file.display());
    }

    let cases = rs_files(&ui_dir)?;
    ensure!(
        cases.len() >= 5,
        "compile-fail cases missing in {}",
        ui_dir.display()
    );
    let mut mismatches = Vec::new();
    for file in cases {
        let (ok, stderr) = check(&file, &deps, &rlib, &out)?;
        ensure!(!ok, "{} must not compile", file.display());
        let actual = normalize(&stderr, &ui_dir);
        let expected_path = file.with_extension("stderr");
        if bless {
            std::fs::write(&expected_path, &actual)?;
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).with_context(|| {
            format!(
                "reading {} (bless with UI_BLESS=1)",
                expected_path.display()
            )
        })?;
        if expected != actual {
            mismatches.push(format!(
                "{}:\n--- expected\n{expected}\n--- actual\n{actual}",
                file.display()
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&out);
    if !mismatches.is_empty() {
        bail!(
            "diagnostics differ (run with UI_BLESS=1 to accept):\n{}",
            mismatches.join("\n")
        );
    }
    Ok(())
}
