//! Shrinks a finding's request field by field: drops every field (deepest
//! first) whose removal keeps the same failure, until none can go. The
//! result is small enough to read with `protoc --decode_raw` and to keep as
//! a regression test.

use crate::probe::{self, Outcome};
use crate::wire::{self, Field};

/// The failure a request shows, as a comparable signature; `None` when it
/// shows none.
fn failure(request: &[u8]) -> Option<String> {
    match probe::probe(request, false) {
        Outcome::Panic { message } => Some(format!("panic {}", first_line(&message))),
        Outcome::Internal { message } => Some(format!("internal {}", first_line(&message))),
        Outcome::Nondeterministic => Some("nondeterministic".into()),
        Outcome::Accepted { .. } | Outcome::Rejected { .. } => None,
    }
}

fn first_line(s: &str) -> &str {
    // The location part of a panic (`file:line: message`).
    s.split(": ").next().unwrap_or(s)
}

/// The smallest request found that fails as `request` does.
pub fn minimize(request: &[u8]) -> Result<Vec<u8>, String> {
    probe::install_panic_hook();
    let target = failure(request).ok_or("the request does not fail")?;
    let mut tree: Vec<Field> = wire::parse(request).ok_or("the request is not a message")?;
    loop {
        let mut progress = false;
        let mut paths = wire::paths(&tree);
        // Deepest and last first, so that removals keep earlier paths valid.
        paths.sort_by(|a, b| b.cmp(a));
        for path in paths {
            let mut candidate = tree.clone();
            let Some(list) = wire::parent_mut(&mut candidate, &path) else {
                continue;
            };
            let Some(&last) = path.last() else { continue };
            if last >= list.len() {
                continue;
            }
            list.remove(last);
            if failure(&wire::encode(&candidate)).as_deref() == Some(target.as_str()) {
                tree = candidate;
                progress = true;
            }
        }
        if !progress {
            return Ok(wire::encode(&tree));
        }
    }
}
