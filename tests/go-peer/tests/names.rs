//! The Temporal names of the Go generator's own protos: every workflow,
//! activity, query, signal and update name (and workflow alias) the Go
//! generator's committed output declares (`peer names`) against the ones
//! our generated code declares (the generated constants, through
//! `corpus::all_names`), proto file by proto file. A name on one side only
//! is held to `divergences.toml` (class `names`).

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, ensure};
use go_peer::corpus::{REJECTED, all_names};
use go_peer::peer;
use go_peer::ratchet::{self, Found};
use serde::Deserialize;

/// One name as `peer names` lists it.
#[derive(Debug, Deserialize)]
struct GoName {
    file: String,
    kind: String,
    name: String,
    alias: bool,
}

/// A name within its file: (kind, name, alias).
type Entry = (String, String, bool);

/// Whether our pipeline rejected `file` (relative to its proto root).
fn rejected(file: &str) -> bool {
    REJECTED
        .iter()
        .any(|r| r.proto.ends_with(&format!("/{file}")))
}

fn go_names() -> Result<BTreeMap<String, BTreeSet<Entry>>> {
    let dir = peer::go_generator_dir()?;
    let dir = dir.to_str().context("module directory is not UTF-8")?;
    // Plus ours: the Go generator's output for the interop proto.
    let ours = peer::module_root()
        .to_str()
        .context("peer directory is not UTF-8")?;
    let out = peer::run(&["names", "--module-dir", dir, "--peer-dir", ours], b"")?;
    let names: Vec<GoName> = serde_json::from_str(&out).context("peer names output")?;
    let mut by_file: BTreeMap<String, BTreeSet<Entry>> = BTreeMap::new();
    for n in names {
        by_file
            .entry(n.file)
            .or_default()
            .insert((n.kind, n.name, n.alias));
    }
    Ok(by_file)
}

fn our_names() -> BTreeMap<String, BTreeSet<Entry>> {
    let mut by_file: BTreeMap<String, BTreeSet<Entry>> = BTreeMap::new();
    for n in all_names() {
        by_file.entry(n.file.to_string()).or_default().insert((
            n.kind.to_string(),
            n.name.to_string(),
            n.alias,
        ));
    }
    by_file
}

#[test]
fn names_match_the_go_output() -> Result<()> {
    let go = go_names()?;
    let ours = our_names();
    let none = BTreeSet::new();

    let files: BTreeSet<&String> = go.keys().chain(ours.keys()).collect();
    let mut found = Vec::new();
    let mut empty = Vec::new();
    // Per kind: names in both, Go only, ours only.
    let mut tally: BTreeMap<&str, [usize; 3]> = BTreeMap::new();
    let mut compared_files = 0;
    for file in files.into_iter().filter(|f| !rejected(f)) {
        let go = go.get(file).unwrap_or(&none);
        let ours = ours.get(file).unwrap_or(&none);
        if go.is_empty() || ours.is_empty() {
            empty.push(format!(
                "{file}: Go lists {} names, we list {}",
                go.len(),
                ours.len()
            ));
            continue;
        }
        compared_files += 1;
        for entry in go.union(ours) {
            let (kind, name, alias) = entry;
            let (in_go, in_ours) = (go.contains(entry), ours.contains(entry));
            let counts = tally.entry(kind.as_str()).or_default();
            let side = match (in_go, in_ours) {
                (true, true) => {
                    counts[0] += 1;
                    continue;
                }
                (true, false) => {
                    counts[1] += 1;
                    "the Go output declares it, our generated code does not"
                }
                (false, _) => {
                    counts[2] += 1;
                    "our generated code declares it, the Go output does not"
                }
            };
            let alias = if *alias { " alias" } else { "" };
            found.push(Found::new(format!("{file} {kind} {name}{alias}"), side));
        }
    }
    for (kind, [both, go_only, ours_only]) in &tally {
        eprintln!("{kind}: {both} in both, {go_only} Go only, {ours_only} ours only");
    }
    eprintln!(
        "compared the names of {compared_files} proto files; {} differences",
        found.len()
    );
    ensure!(
        empty.is_empty(),
        "proto files where one side declares no names (a path mismatch?):\n{}",
        empty.join("\n")
    );
    ensure!(compared_files > 0, "no proto file compared");
    ratchet::check("names", &found)
}
