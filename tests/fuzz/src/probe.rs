//! Runs the plugin on one request, as protoc would, and judges the result.

use std::hash::{Hash, Hasher};
use std::panic::{self, AssertUnwindSafe};
use std::sync::Mutex;

use prost::Message;
use prost_types::compiler::CodeGeneratorResponse;

/// What the plugin did with one input.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Files generated: a hash of their names and contents, and how many.
    Accepted { hash: u64, files: usize },
    /// A generation error, as protoc would print it.
    Rejected { message: String },
    /// A panic: the finding the harness exists for.
    Panic { message: String },
    /// The error says "internal error": a bug by its own admission.
    Internal { message: String },
    /// Two runs on the same request gave different files.
    Nondeterministic,
}

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Installs a panic hook that records the message and location quietly
/// (the worker reports them).
pub fn install_panic_hook() {
    panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "non-string panic".into());
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        *LAST_PANIC.lock().unwrap_or_else(|e| e.into_inner()) =
            Some(format!("{location}: {payload}"));
    }));
}

fn run(request: &[u8]) -> Result<CodeGeneratorResponse, String> {
    match panic::catch_unwind(AssertUnwindSafe(|| protoc_gen_rust_temporal::run(request))) {
        Ok(bytes) => CodeGeneratorResponse::decode(bytes.as_slice())
            .map_err(|e| format!("undecodable response: {e}")),
        Err(_) => Err(LAST_PANIC
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .unwrap_or_else(|| "panic".into())),
    }
}

fn digest(response: &CodeGeneratorResponse) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in &response.file {
        f.name.hash(&mut h);
        f.insertion_point.hash(&mut h);
        f.content.hash(&mut h);
    }
    h.finish()
}

/// Runs the plugin on `request`; with `twice`, runs it again and compares.
pub fn probe(request: &[u8], twice: bool) -> Outcome {
    let response = match run(request) {
        Ok(r) => r,
        Err(message) => return Outcome::Panic { message },
    };
    if let Some(message) = response.error {
        if message.contains("internal error") {
            return Outcome::Internal { message };
        }
        return Outcome::Rejected { message };
    }
    let hash = digest(&response);
    if twice {
        match run(request) {
            Ok(again) if digest(&again) == hash => {}
            Ok(_) => return Outcome::Nondeterministic,
            Err(message) => return Outcome::Panic { message },
        }
    }
    Outcome::Accepted {
        hash,
        files: response.file.len(),
    }
}
