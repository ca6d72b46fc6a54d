//! The divergence ratchet: `divergences.toml` lists every known difference
//! between our output and the Go generator's, by class. A test measures the
//! differences of one class and calls [`check`]: a difference that is not
//! listed fails, and so does a listed one that no longer occurs, so the
//! list can only shrink. The file's `[counts]` table must state how many
//! entries each class has.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

/// One measured difference.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Found {
    /// What identifies the case within its class (a workflow's full name,
    /// an expression, ...); the key the file lists.
    pub case: String,
    /// What differs, as measured.
    pub detail: String,
}

impl Found {
    pub fn new(case: impl Into<String>, detail: impl Into<String>) -> Self {
        Self {
            case: case.into(),
            detail: detail.into(),
        }
    }
}

/// The committed file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Divergences {
    /// Entries per class.
    pub counts: BTreeMap<String, usize>,
    #[serde(default)]
    pub divergence: Vec<Divergence>,
}

/// One listed difference.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Divergence {
    pub class: String,
    pub case: String,
    /// The proto (path in the Go generator's module, or ours) it shows in.
    pub proto: String,
    /// What differs.
    pub what: String,
    /// Why, and which issue removes it.
    pub why: String,
}

/// The path of `divergences.toml`.
pub fn path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("divergences.toml")
}

/// Reads and checks the file: unique cases per class, counts that match.
pub fn load() -> Result<Divergences> {
    let path = path();
    let text =
        std::fs::read_to_string(&path).with_context(|| format!("reading {}", path.display()))?;
    let file: Divergences =
        toml::from_str(&text).with_context(|| format!("parsing {}", path.display()))?;
    let mut seen = BTreeSet::new();
    let mut counted: BTreeMap<String, usize> = BTreeMap::new();
    for d in &file.divergence {
        if !seen.insert((d.class.as_str(), d.case.as_str())) {
            bail!(
                "{}: case `{}` of class `{}` is listed twice",
                path.display(),
                d.case,
                d.class
            );
        }
        *counted.entry(d.class.clone()).or_default() += 1;
    }
    let stated: BTreeMap<String, usize> = file
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(c, n)| (c.clone(), *n))
        .collect();
    if stated != counted {
        bail!(
            "{}: [counts] says {stated:?}, but the entries are {counted:?}",
            path.display()
        );
    }
    Ok(file)
}

/// Holds the measured differences of `class` to the file.
pub fn check(class: &str, found: &[Found]) -> Result<()> {
    let file = load()?;
    let listed: BTreeMap<&str, &Divergence> = file
        .divergence
        .iter()
        .filter(|d| d.class == class)
        .map(|d| (d.case.as_str(), d))
        .collect();
    let measured: BTreeMap<&str, &Found> = found.iter().map(|f| (f.case.as_str(), f)).collect();

    let mut problems = Vec::new();
    for (case, f) in &measured {
        if !listed.contains_key(case) {
            problems.push(format!(
                "new divergence (fix it, or list it in divergences.toml):\n\
                 [[divergence]]\nclass = {class:?}\ncase = {case:?}\nproto = \"?\"\nwhat = {:?}\nwhy = \"?\"",
                f.detail
            ));
        }
    }
    for (case, d) in &listed {
        if !measured.contains_key(case) {
            problems.push(format!(
                "no longer diverges (remove it from divergences.toml and lower [counts].{class}): \
                 case {case:?} ({})",
                d.what
            ));
        }
    }
    if !problems.is_empty() {
        bail!(
            "class `{class}`: {} problem(s) against {}\n\n{}",
            problems.len(),
            path().display(),
            problems.join("\n\n")
        );
    }
    Ok(())
}

/// The sentence the README quotes: the counts by class.
pub fn summary(file: &Divergences) -> String {
    let total: usize = file.counts.values().sum();
    let classes: Vec<String> = file
        .counts
        .iter()
        .map(|(class, n)| format!("{class} {n}"))
        .collect();
    format!(
        "`tests/go-peer/divergences.toml` lists {total} known differences: {}.",
        classes.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_readme_quotes_the_counts() {
        let file = load().expect("divergences.toml");
        let readme = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md"),
        )
        .expect("README.md");
        let sentence = summary(&file);
        assert!(
            readme.lines().any(|l| l == sentence),
            "the README's compatibility section must have the line\n{sentence}"
        );
    }
}
