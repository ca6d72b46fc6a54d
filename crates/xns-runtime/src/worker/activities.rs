//! The SDK's activity traits, once for every generated activities trait.
//!
//! Generated code declares, per activity, which method of the service's
//! activities trait runs it ([`ActivityMethod`], on the activity's marker),
//! and lists the activities in the service's registration function
//! ([`ActivityList`]). The runtime's host runs them: it decodes the input
//! with the proto's wire type, calls the method and encodes its result.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use temporalio_common::ActivityDefinition;
use temporalio_sdk::WorkerOptions;
use temporalio_sdk::activities::{
    ActivityContext, ActivityDefinitions, ActivityImplementer, ExecutableActivity,
};

use super::dispatch::{ActivityError, SendFuture, missing_implementation};
use super::ledger::{ActivityNameClash, claim_activity_names};
use crate::payload::{PayloadValue, ValueOf};

/// How an implementation `A` of a service's activities trait runs the
/// activity `Self` (implemented on the activity's marker).
pub trait ActivityMethod<A>: ActivityDefinition + Default + Send + Sync + 'static
where
    Self::Input: PayloadValue,
    Self::Output: PayloadValue,
{
    /// Calls the trait method.
    fn call(
        activities: &A,
        ctx: ActivityContext,
        input: ValueOf<Self::Input>,
    ) -> impl Future<Output = Result<ValueOf<Self::Output>, ActivityError>> + Send;
}

/// Registers one activity of a host on the SDK's definitions.
type Registration<A> = fn(&mut ActivityDefinitions, Arc<ActivitiesHost<A>>);

/// The activities of one service, listed by its registration function.
pub struct ActivityList<A> {
    names: Vec<String>,
    registrations: Vec<Registration<A>>,
}

impl<A: Send + Sync + 'static> Default for ActivityList<A> {
    fn default() -> Self {
        Self::new()
    }
}

impl<A: Send + Sync + 'static> ActivityList<A> {
    /// No activity yet.
    pub fn new() -> Self {
        Self {
            names: Vec::new(),
            registrations: Vec::new(),
        }
    }

    /// Adds the activity `Act`.
    pub fn activity<Act>(mut self, activity: Act) -> Self
    where
        Act: ActivityMethod<A>,
        Act::Input: PayloadValue + Sync,
        Act::Output: PayloadValue + Sync,
    {
        self.names.push(activity.name().to_string());
        self.registrations.push(|defs, host| {
            defs.register_activity::<Task<Act, A>>(host);
        });
        self
    }

    /// Registers the listed activities, run by `activities`, on `worker`
    /// under their proto names. Fails, registering nothing, when one of the
    /// names is already registered on `worker` through generated code;
    /// `owner` says whose activities these are in that error.
    pub fn register(
        self,
        worker: &mut WorkerOptions,
        owner: &str,
        activities: A,
    ) -> Result<(), ActivityNameClash> {
        claim_activity_names(worker, owner, self.names.iter().map(String::as_str))?;
        worker.register_activities(ActivitiesHost {
            activities,
            registrations: self.registrations,
        });
        Ok(())
    }
}

/// Runs an implementation `A` of a service's activities trait on a worker.
pub struct ActivitiesHost<A> {
    activities: A,
    registrations: Vec<Registration<A>>,
}

impl<A: Send + Sync + 'static> ActivityImplementer for ActivitiesHost<A> {
    fn register_all(self: Arc<Self>, defs: &mut ActivityDefinitions) {
        for register in &self.registrations {
            register(defs, Arc::clone(&self));
        }
    }
}

/// The SDK's executable form of activity `Act` run by `A`.
struct Task<Act, A> {
    activity: Act,
    implementer: PhantomData<fn() -> A>,
}

impl<Act: ActivityDefinition, A> ActivityDefinition for Task<Act, A> {
    type Input = Act::Input;
    type Output = Act::Output;
    fn name(&self) -> &str {
        self.activity.name()
    }
}

impl<Act, A> ExecutableActivity for Task<Act, A>
where
    Act: ActivityMethod<A>,
    Act::Input: PayloadValue,
    Act::Output: PayloadValue,
    A: Send + Sync + 'static,
{
    type Implementer = ActivitiesHost<A>;
    const REQUIRES_INSTANCE: bool = true;

    fn definition() -> Self {
        Task {
            activity: Act::default(),
            implementer: PhantomData,
        }
    }

    fn execute(
        receiver: Option<Arc<ActivitiesHost<A>>>,
        ctx: ActivityContext,
        input: Act::Input,
    ) -> SendFuture<Result<Act::Output, ActivityError>> {
        Box::pin(async move {
            let Some(host) = receiver else {
                return Err(missing_implementation(Act::default().name()));
            };
            let output = Act::call(&host.activities, ctx, input.into_value()).await?;
            Ok(PayloadValue::from_value(output))
        })
    }
}
