//! Every code block of the README is compiled or run by a test.
//!
//! Each fenced block is preceded by a directive comment saying how:
//!
//! - `<!-- snippet: PATH#NAME -->`: the block is the region of PATH between
//!   the comment lines `snippet:start NAME` and `snippet:end` (dedented).
//!   PATH is code the workspace compiles, or a manifest it builds with.
//! - `<!-- file: PATH -->`: the block is the whole of PATH, a file a test
//!   uses (the buf workspace and template, the example's config file).
//! - `<!-- run -->`: a shell block this test runs, in order, in a scratch
//!   directory that links the repository's `crates`, `proto`, `examples`,
//!   `tests` and `benches`.
//! - `<!-- ci -->`: a command `.ci/run` runs. `<!-- ci: ARGS -->`: a
//!   command `.ci/run` runs with ARGS appended (the benchmarks' smoke form).

use std::path::{Path, PathBuf};
use std::process::Command;

use e2e::devserver::workspace_root;

#[derive(Debug)]
enum Directive {
    Snippet {
        path: String,
        name: String,
    },
    File(String),
    Run,
    /// Extra arguments CI adds (empty: none).
    Ci(String),
}

impl Directive {
    fn kind(&self) -> &'static str {
        match self {
            Self::Snippet { .. } => "snippet",
            Self::File(_) => "file",
            Self::Run => "run",
            Self::Ci(_) => "ci",
        }
    }
}

#[derive(Debug)]
struct Block {
    /// 1-based line of the opening fence.
    line: usize,
    directive: Directive,
    body: String,
}

fn readme() -> String {
    std::fs::read_to_string(workspace_root().join("README.md")).expect("README.md")
}

/// The README's fenced blocks with their directives; panics on a block
/// without one.
fn blocks(readme: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut last_text: Option<&str> = None;
    let mut lines = readme.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        if !line.starts_with("```") {
            if !line.trim().is_empty() {
                last_text = Some(line.trim());
            }
            continue;
        }
        let directive = last_text.and_then(parse_directive).unwrap_or_else(|| {
            panic!(
                "README.md:{}: code block without a directive comment",
                index + 1
            )
        });
        let mut body = String::new();
        for (_, inner) in lines.by_ref() {
            if inner.starts_with("```") {
                break;
            }
            body.push_str(inner);
            body.push('\n');
        }
        blocks.push(Block {
            line: index + 1,
            directive,
            body,
        });
        last_text = None;
    }
    blocks
}

fn parse_directive(line: &str) -> Option<Directive> {
    let inner = line.strip_prefix("<!--")?.strip_suffix("-->")?.trim();
    if inner == "run" {
        return Some(Directive::Run);
    }
    if let Some(args) = inner.strip_prefix("ci") {
        let args = match args.trim() {
            "" => "",
            rest => rest.strip_prefix(':')?.trim(),
        };
        return Some(Directive::Ci(args.to_string()));
    }
    if let Some(path) = inner.strip_prefix("file:") {
        return Some(Directive::File(path.trim().to_string()));
    }
    let (path, name) = inner.strip_prefix("snippet:")?.trim().split_once('#')?;
    Some(Directive::Snippet {
        path: path.to_string(),
        name: name.to_string(),
    })
}

/// The lines between `snippet:start name` and `snippet:end` of `source`,
/// whatever the comment syntax, without their common indentation.
fn snippet(source: &str, name: &str) -> Option<String> {
    let marker = |line: &str| {
        line.trim()
            .trim_start_matches('/')
            .trim_start_matches('#')
            .trim()
            .to_string()
    };
    let start = format!("snippet:start {name}");
    let mut lines = source.lines().skip_while(|l| marker(l) != start);
    lines.next()?;
    let region: Vec<&str> = lines.take_while(|l| marker(l) != "snippet:end").collect();
    let indent = region
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    Some(
        region
            .iter()
            .map(|l| format!("{}\n", l.get(indent..).unwrap_or("")))
            .collect(),
    )
}

#[test]
fn every_block_has_a_directive() {
    let blocks = blocks(&readme());
    assert!(blocks.len() >= 10, "{} blocks", blocks.len());
    for kind in ["snippet", "file", "run", "ci"] {
        assert!(
            blocks.iter().any(|b| b.directive.kind() == kind),
            "no `{kind}` block"
        );
    }
}

#[test]
fn snippets_and_files_are_the_code_the_workspace_builds() {
    let root = workspace_root();
    for block in blocks(&readme()) {
        let (path, expected) = match &block.directive {
            Directive::Snippet { path, name } => {
                let source = std::fs::read_to_string(root.join(path))
                    .unwrap_or_else(|e| panic!("README.md:{}: {path}: {e}", block.line));
                let region = snippet(&source, name).unwrap_or_else(|| {
                    panic!("README.md:{}: no snippet `{name}` in {path}", block.line)
                });
                (path, region)
            }
            Directive::File(path) => {
                let source = std::fs::read_to_string(root.join(path))
                    .unwrap_or_else(|e| panic!("README.md:{}: {path}: {e}", block.line));
                (path, source)
            }
            Directive::Run | Directive::Ci(_) => continue,
        };
        assert_eq!(
            block.body, expected,
            "README.md:{}: the block differs from {path}",
            block.line
        );
    }
}

#[test]
fn ci_blocks_are_what_ci_runs() {
    let ci = std::fs::read_to_string(workspace_root().join(".ci/run")).expect(".ci/run");
    let ci_lines: Vec<&str> = ci.lines().map(str::trim).collect();
    for block in blocks(&readme()) {
        if let Directive::Ci(args) = &block.directive {
            for command in block.body.lines() {
                let expected = format!("{} {args}", command.trim());
                assert!(
                    ci_lines.contains(&expected.trim()),
                    "README.md:{}: `.ci/run` does not run `{}`",
                    block.line,
                    expected.trim()
                );
            }
        }
    }
}

/// Runs the `run` blocks in order, as a user would from a checkout: the
/// protoc quick start (which installs the plugin), then buf's.
#[test]
fn run_blocks_run_and_generate_code() {
    let root = workspace_root();
    let scratch = std::env::temp_dir().join(format!("readme-run-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    std::fs::create_dir_all(&scratch).expect("scratch dir");
    for entry in [
        "crates",
        "proto",
        "examples",
        "tests",
        "benches",
        "Cargo.toml",
        "Cargo.lock",
        "buf.yaml",
    ] {
        std::os::unix::fs::symlink(root.join(entry), scratch.join(entry)).expect("link");
    }
    // `cargo install` builds in its own directory, not in the one this test
    // runs from (cargo holds that one's lock); kept under target/ for reuse.
    let install_target = root.join("target").join("readme-install");
    let install_root = scratch.join("install");
    let path = std::env::join_paths(
        [
            install_root.join("bin"),
            cargo_home().join("bin"),
            root.join(".tools/node_modules/.bin"),
        ]
        .into_iter()
        .chain(std::env::split_paths(
            &std::env::var_os("PATH").unwrap_or_default(),
        )),
    )
    .expect("PATH");

    let run_blocks: Vec<Block> = blocks(&readme())
        .into_iter()
        .filter(|b| matches!(b.directive, Directive::Run))
        .collect();
    assert!(run_blocks.len() >= 2);
    for block in run_blocks {
        let output = Command::new("bash")
            .arg("-euo")
            .arg("pipefail")
            .arg("-c")
            .arg(&block.body)
            .current_dir(&scratch)
            .env("PATH", &path)
            .env("CARGO_INSTALL_ROOT", &install_root)
            .env("CARGO_TARGET_DIR", &install_target)
            .output()
            .expect("run bash");
        assert!(
            output.status.success(),
            "README.md:{}: block failed ({}):\n{}\n{}",
            block.line,
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    let generated = |p: &str| scratch.join("gen").join(p);
    let prost = std::fs::read_to_string(generated("example/v1/example.v1.rs")).expect("prost file");
    assert!(prost.contains("include!(\"example.v1.temporal.rs\");"));
    for file in [
        "example/v1/example.v1.temporal.rs",
        "provision/v1/provision.v1.temporal.rs",
        "worker/v1/worker.v1.temporal.rs",
    ] {
        assert!(generated(file).is_file(), "{file} not generated");
    }
    assert!(!generated("temporal/v1/temporal.v1.temporal.rs").exists());
    let _ = std::fs::remove_dir_all(&scratch);
}

fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| Path::new(&h).join(".cargo")))
        .expect("CARGO_HOME or HOME")
}

#[test]
fn directives_parse() {
    let kind = |line: &str| parse_directive(line).map(|d| d.kind());
    assert_eq!(kind("<!-- run -->"), Some("run"));
    assert_eq!(kind("<!-- file: buf.yaml -->"), Some("file"));
    assert_eq!(kind("<!-- snippet: a.rs#b -->"), Some("snippet"));
    assert!(matches!(parse_directive("<!-- ci -->"), Some(Directive::Ci(a)) if a.is_empty()));
    assert!(
        matches!(parse_directive("<!-- ci: --quick -->"), Some(Directive::Ci(a)) if a == "--quick")
    );
    assert!(parse_directive("<!-- cinema -->").is_none());
    assert!(parse_directive("<!-- nothing -->").is_none());
}
