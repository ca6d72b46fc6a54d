//! Putting a service's XNS activities on the caller's worker, with a client
//! bound to the target namespace, an optional error converter and an
//! optional activity-name filter.

use std::sync::Arc;

use temporalio_client::Client;
use temporalio_sdk::WorkerOptions;

use super::defs::{
    XnsQuery, XnsSignal, XnsStartingSignal, XnsStartingUpdate, XnsUpdate, XnsWorkflow,
};
use super::serve::{
    CancelWorkflow, ErrorConverter, GetWorkflow, Operation, Query, Signal, SignalWithStart,
    StartWorkflow, Target, Task, TerminateWorkflow, Update, UpdateWithStart,
    default_error_converter,
};
use crate::worker::{ActivityNameClash, claim_activity_names, register_activity_as};

/// Decides, per XNS activity, the name it is registered under: return the
/// name (unchanged or renamed) or `None` to skip it.
pub type ActivityFilter = Arc<dyn Fn(&str) -> Option<String> + Send + Sync>;

/// Settings of one service's XNS registration.
#[derive(Clone, Default)]
pub struct XnsRegistration {
    converter: Option<ErrorConverter>,
    filter: Option<ActivityFilter>,
    max_waits: Option<usize>,
}

impl std::fmt::Debug for XnsRegistration {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("XnsRegistration")
            .field("custom_converter", &self.converter.is_some())
            .field("filter", &self.filter.is_some())
            .field("max_waits", &self.max_waits)
            .finish()
    }
}

impl XnsRegistration {
    /// The defaults: every activity under its own name, the default error
    /// converter, at most [`DEFAULT_MAX_WAITS`](crate::xns::DEFAULT_MAX_WAITS)
    /// calls polling for their outcome at once.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces the default error converter for this registration.
    pub fn error_converter(
        mut self,
        converter: impl Fn(crate::client::ClientError) -> temporalio_common::ActivityError
        + Send
        + Sync
        + 'static,
    ) -> Self {
        self.converter = Some(Arc::new(converter));
        self
    }

    /// Filters (skips or renames) the activities registered. A caller that
    /// uses a renamed activity passes the new name to its call's
    /// `activity_name` option.
    pub fn filter(
        mut self,
        filter: impl Fn(&str) -> Option<String> + Send + Sync + 'static,
    ) -> Self {
        self.filter = Some(Arc::new(filter));
        self
    }

    /// At most `max` calls of this registration poll the target namespace
    /// for their outcome at once (default:
    /// [`DEFAULT_MAX_WAITS`](crate::xns::DEFAULT_MAX_WAITS)); past it,
    /// calls in flight take turns. Every call in flight waits with a long
    /// poll, and the server caps the long polls of a namespace, its own
    /// workers' included (`frontend.namespaceCount`, 1,200 per frontend by
    /// default): keep the sum over all callers of a target namespace below
    /// that cap.
    pub fn max_waits(mut self, max: usize) -> Self {
        self.max_waits = Some(max);
        self
    }
}

/// Registers one XNS activity under a name.
type RegisterFn = Box<dyn FnOnce(&mut WorkerOptions, &str, Arc<Target>)>;

/// Registers one service's XNS activities: generated code adds each
/// workflow and handler by its marker (the activity names come from the
/// marker's XNS trait), then calls [`finish`](Self::finish), which adds
/// the service's own `CancelWorkflow` and `TerminateWorkflow`.
pub struct Registrar<'w> {
    options: &'w mut WorkerOptions,
    service: String,
    owner: String,
    target: Arc<Target>,
    filter: Option<ActivityFilter>,
    pending: Vec<(String, RegisterFn)>,
}

impl<'w> Registrar<'w> {
    /// A registrar for the XNS activities of `service` (full proto name)
    /// calling the target namespace with `client`.
    pub fn new(
        options: &'w mut WorkerOptions,
        service: &str,
        client: Client,
        settings: XnsRegistration,
    ) -> Self {
        let converter = settings
            .converter
            .unwrap_or_else(|| Arc::new(default_error_converter));
        Self {
            options,
            service: service.to_string(),
            owner: format!("the XNS activities of {service}"),
            target: Arc::new(match settings.max_waits {
                Some(max) => Target::new(client, converter).max_waits(max),
                None => Target::new(client, converter),
            }),
            filter: settings.filter,
            pending: Vec::new(),
        }
    }

    /// Adds operation `Op` under `name`, as the filter decides.
    pub fn activity<Op: Operation>(mut self, name: &str) -> Self {
        let name = match &self.filter {
            Some(filter) => filter(name),
            None => Some(name.to_string()),
        };
        if let Some(name) = name {
            self.pending.push((
                name,
                Box::new(|options, name, target| {
                    register_activity_as::<Task<Op>>(options, name, target);
                }),
            ));
        }
        self
    }

    /// Adds the activities that start workflow `W` and attach to its runs.
    pub fn workflow<W: XnsWorkflow>(self, _workflow: W) -> Self {
        self.activity::<StartWorkflow<W>>(W::ACTIVITY)
            .activity::<GetWorkflow<W>>(W::GET_ACTIVITY)
    }

    /// Adds the activity of query `Q`.
    pub fn query<Q: XnsQuery>(self, _query: Q) -> Self {
        self.activity::<Query<Q>>(Q::ACTIVITY)
    }

    /// Adds the activity of signal `S`.
    pub fn signal<S: XnsSignal>(self, _signal: S) -> Self {
        self.activity::<Signal<S>>(S::ACTIVITY)
    }

    /// Adds the activity of update `U`.
    pub fn update<U: XnsUpdate>(self, _update: U) -> Self {
        self.activity::<Update<U>>(U::ACTIVITY)
    }

    /// Adds the signal-with-start activity of workflow `W` and signal `S`.
    pub fn signal_with_start<W: XnsWorkflow, S: XnsStartingSignal<W>>(
        self,
        _workflow: W,
        _signal: S,
    ) -> Self {
        self.activity::<SignalWithStart<W, S>>(S::START_ACTIVITY)
    }

    /// Adds the update-with-start activity of workflow `W` and update `U`.
    pub fn update_with_start<W: XnsWorkflow, U: XnsStartingUpdate<W>>(
        self,
        _workflow: W,
        _update: U,
    ) -> Self {
        self.activity::<UpdateWithStart<W, U>>(U::START_ACTIVITY)
    }

    /// Adds the service's `CancelWorkflow` and `TerminateWorkflow`
    /// activities, then registers everything added, after checking that no
    /// name is already registered on the worker through generated code
    /// (nothing is registered when one is).
    pub fn finish(self) -> Result<(), ActivityNameClash> {
        let cancel = format!("{}.CancelWorkflow", self.service);
        let terminate = format!("{}.TerminateWorkflow", self.service);
        self.activity::<CancelWorkflow>(&cancel)
            .activity::<TerminateWorkflow>(&terminate)
            .register()
    }

    /// Registers everything added.
    fn register(self) -> Result<(), ActivityNameClash> {
        claim_activity_names(
            self.options,
            &self.owner,
            self.pending.iter().map(|(name, _)| name.as_str()),
        )?;
        for (name, register) in self.pending {
            register(self.options, &name, self.target.clone());
        }
        Ok(())
    }
}
