//! Registering generated workflow hosts on workers and replayers, under the
//! proto's workflow type name and each alias.
//!
//! The SDK keys a registration by `WorkflowImplementation::definition()`,
//! a function without arguments, so one Rust type has one name. Aliases
//! would need one type per name, and with it a different context type for
//! the user's trait methods. Instead a host's `name()` asks
//! [`workflow_type`], which returns the name being registered while
//! [`register_workflow_as`] runs and the proto name otherwise. The SDK reads
//! the name only when registering (and in an error message), so every alias
//! gets its own registration backed by the same implementation.

use std::cell::{Cell, RefCell};
use std::sync::Arc;

use temporalio_common::WorkflowDefinition;
use temporalio_sdk::workflow_replayer::WorkflowReplayerOptions;
use temporalio_sdk::{WorkerOptions, WorkflowRegistrationError};
use temporalio_workflow::workflows::WorkflowImplementation;

thread_local! {
    static REGISTERING_AS: Cell<Option<&'static str>> = const { Cell::new(None) };
    static REGISTERING_ACTIVITY: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Where workflows are registered: a worker's options or a replayer's.
pub trait WorkflowRegistry {
    /// Registers `W` under the type name its definition reports.
    fn register<W>(&mut self) -> Result<(), WorkflowRegistrationError>
    where
        W: WorkflowImplementation,
        <W::Run as WorkflowDefinition>::Input: Send;
}

impl WorkflowRegistry for WorkerOptions {
    fn register<W>(&mut self) -> Result<(), WorkflowRegistrationError>
    where
        W: WorkflowImplementation,
        <W::Run as WorkflowDefinition>::Input: Send,
    {
        self.register_workflow::<W>().map(|_| ())
    }
}

impl WorkflowRegistry for WorkflowReplayerOptions {
    fn register<W>(&mut self) -> Result<(), WorkflowRegistrationError>
    where
        W: WorkflowImplementation,
        <W::Run as WorkflowDefinition>::Input: Send,
    {
        self.register_workflow::<W>().map(|_| ())
    }
}

/// The workflow type name a generated host reports: `name` while
/// [`register_workflow_as`] registers it under `name`, else `default`.
pub fn workflow_type(default: &'static str) -> &'static str {
    REGISTERING_AS.with(Cell::get).unwrap_or(default)
}

/// Registers the generated host `W` under `name` (the proto name or an
/// alias). Hosts report `name` through [`workflow_type`] during the call.
pub fn register_workflow_as<W, R>(
    registry: &mut R,
    name: &'static str,
) -> Result<(), WorkflowRegistrationError>
where
    R: WorkflowRegistry,
    W: WorkflowImplementation,
    <W::Run as WorkflowDefinition>::Input: Send,
{
    struct Reset(Option<&'static str>);
    impl Drop for Reset {
        fn drop(&mut self) {
            REGISTERING_AS.with(|c| c.set(self.0));
        }
    }
    let _reset = Reset(REGISTERING_AS.with(|c| c.replace(Some(name))));
    registry.register::<W>()
}

/// The activity type name a runtime-defined activity reports while
/// [`register_activity_as`] registers it (empty otherwise: such activities
/// are named per instance when a workflow schedules them).
pub fn activity_type() -> String {
    REGISTERING_ACTIVITY.with(|c| c.borrow().clone().unwrap_or_default())
}

/// Registers activity `A` on `options` under `name`; `A::definition()`
/// reports `name` through [`activity_type`] during the call.
pub fn register_activity_as<A>(
    options: &mut WorkerOptions,
    name: &str,
    implementer: Arc<A::Implementer>,
) where
    A: temporalio_sdk::activities::ExecutableActivity,
    A::Input: Send + Sync,
    A::Output: Send + Sync,
{
    struct Reset(Option<String>);
    impl Drop for Reset {
        fn drop(&mut self) {
            let prev = self.0.take();
            REGISTERING_ACTIVITY.with(|c| *c.borrow_mut() = prev);
        }
    }
    let _reset = Reset(REGISTERING_ACTIVITY.with(|c| c.borrow_mut().replace(name.to_string())));
    options.register_activity::<A>(implementer);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_is_overridden_only_during_registration() {
        assert_eq!(workflow_type("proto"), "proto");
        let seen = REGISTERING_AS.with(|c| {
            let prev = c.replace(Some("alias"));
            let seen = workflow_type("proto");
            c.set(prev);
            seen
        });
        assert_eq!(seen, "alias");
        assert_eq!(workflow_type("proto"), "proto");
    }
}
