//! The activity names registered on one `WorkerOptions` through generated
//! registration functions, so that a second registration of a name fails
//! with a clear message instead of silently replacing the first (the SDK's
//! registry overwrites and offers no way to list names).
//!
//! The names live in a ledger registered on the options themselves as an
//! inert activity, so they move and die with the options. To find the
//! ledger of a given `WorkerOptions` value, a process-wide table maps the
//! value's address to a weak reference. An address can be reused by
//! another value once the first has moved (into a worker) or died, so a
//! lookup verifies ownership: it registers a fresh ledger on the options,
//! which drops the previous one if and only if these options held it.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, Mutex, OnceLock, Weak};

use futures::future::BoxFuture;
use temporalio_common::{ActivityDefinition, ActivityError};
use temporalio_sdk::WorkerOptions;
use temporalio_sdk::activities::{
    ActivityContext, ActivityDefinitions, ActivityImplementer, ExecutableActivity,
};

/// Name under which the ledger sits in the worker's activity registry.
pub const LEDGER_ACTIVITY: &str = "protoc-gen-rust-temporal.registered-activities";

/// An activity name registered twice on the same worker options.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "activity `{name}` is already registered on this worker by {previous}; registering it again for {current} would silently replace it (rename one with the XNS activity filter, or register them on different workers)"
)]
pub struct ActivityNameClash {
    /// The activity name.
    pub name: String,
    /// Who registered it first.
    pub previous: String,
    /// Who tried to register it again.
    pub current: String,
}

#[derive(Default)]
struct Ledger {
    names: Mutex<HashMap<String, String>>,
}

impl ActivityImplementer for Ledger {
    fn register_all(self: Arc<Self>, _: &mut ActivityDefinitions) {}
}

struct LedgerActivity;

impl ActivityDefinition for LedgerActivity {
    type Input = ();
    type Output = ();
    fn name(&self) -> &str {
        LEDGER_ACTIVITY
    }
}

impl ExecutableActivity for LedgerActivity {
    type Implementer = Ledger;
    const REQUIRES_INSTANCE: bool = true;
    fn definition() -> Self {
        LedgerActivity
    }
    fn execute(
        _: Option<Arc<Ledger>>,
        _: ActivityContext,
        (): (),
    ) -> BoxFuture<'static, Result<(), ActivityError>> {
        Box::pin(async {
            Err(ActivityError::Application(Box::new(
                temporalio_common::error::ApplicationFailure::non_retryable(
                    "the registration ledger is not an activity to call",
                ),
            )))
        })
    }
}

fn table() -> &'static Mutex<HashMap<usize, Weak<Ledger>>> {
    static TABLE: OnceLock<Mutex<HashMap<usize, Weak<Ledger>>>> = OnceLock::new();
    TABLE.get_or_init(Default::default)
}

/// The ledger of `options`, carrying over the names of the one these
/// options already hold.
fn ledger_of(options: &mut WorkerOptions) -> Arc<Ledger> {
    let key = options as *const WorkerOptions as usize;
    let mut table = table().lock().unwrap_or_else(|e| e.into_inner());
    table.retain(|_, weak| weak.strong_count() > 0);
    let previous = table.get(&key).and_then(Weak::upgrade);
    let fresh = Arc::new(Ledger::default());
    options.register_activity::<LedgerActivity>(fresh.clone());
    if let Some(previous) = previous {
        // Replacing the registration dropped the options' reference; if
        // ours is the only one left, the previous ledger was theirs.
        if Arc::strong_count(&previous) == 1 {
            let names = previous
                .names
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .clone();
            *fresh.names.lock().unwrap_or_else(|e| e.into_inner()) = names;
        }
    }
    table.insert(key, Arc::downgrade(&fresh));
    fresh
}

/// Claims `names` on `options` for `owner` (a description such as "the XNS
/// activities of example.v1.Example"). Fails, claiming none, if any name
/// was claimed before on the same options.
pub fn claim_activity_names<'n>(
    options: &mut WorkerOptions,
    owner: &str,
    names: impl IntoIterator<Item = &'n str>,
) -> Result<(), ActivityNameClash> {
    let ledger = ledger_of(options);
    let mut claimed = ledger.names.lock().unwrap_or_else(|e| e.into_inner());
    let mut new: BTreeSet<&str> = BTreeSet::new();
    for name in names {
        if let Some(previous) = claimed.get(name) {
            return Err(ActivityNameClash {
                name: name.to_string(),
                previous: previous.clone(),
                current: owner.to_string(),
            });
        }
        if !new.insert(name) {
            return Err(ActivityNameClash {
                name: name.to_string(),
                previous: owner.to_string(),
                current: owner.to_string(),
            });
        }
    }
    for name in new {
        claimed.insert(name.to_string(), owner.to_string());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> WorkerOptions {
        WorkerOptions::new("q").build()
    }

    #[test]
    fn a_name_claimed_twice_on_the_same_options_clashes() {
        let mut o = options();
        claim_activity_names(&mut o, "first", ["a", "b"]).unwrap();
        claim_activity_names(&mut o, "second", ["c"]).unwrap();
        let err = claim_activity_names(&mut o, "third", ["d", "b"]).unwrap_err();
        assert_eq!(err.name, "b");
        assert_eq!(err.previous, "first");
        assert!(err.to_string().contains("third"), "{err}");
        // Nothing of the failed claim was kept.
        claim_activity_names(&mut o, "fourth", ["d"]).unwrap();
    }

    #[test]
    fn duplicates_within_one_claim_clash() {
        let mut o = options();
        assert!(claim_activity_names(&mut o, "one", ["x", "x"]).is_err());
    }

    #[test]
    fn new_options_at_a_reused_address_start_empty() {
        for _ in 0..3 {
            let mut o = options();
            claim_activity_names(&mut o, "loop", ["same"]).unwrap();
        }
        // Options moved away (into a Vec, as into a worker) keep their
        // ledger alive; fresh options built at the old place start empty.
        let mut kept = Vec::new();
        for _ in 0..3 {
            let mut o = options();
            claim_activity_names(&mut o, "moved", ["same"]).unwrap();
            kept.push(o);
        }
    }
}
