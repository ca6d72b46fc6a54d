//! The SDK's `WorkflowImplementation`, once for every generated workflow.
//!
//! Generated code declares a workflow's contract: a trait the user
//! implements (`CreateFooWorkflowImpl`) and an impl of [`WorkflowContract`]
//! on the workflow's marker that says how to create the state, run it and
//! which trait method handles which query, signal and update. [`Host`] turns
//! that into the SDK's workflow implementation: it routes handler names to
//! the trait methods, decodes their inputs with the proto's wire type and
//! encodes their results. A handler name the workflow does not declare, or an
//! input of the wrong type, is a workflow error, never a panic.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::ops::{Deref, DerefMut};

use temporalio_common::protos::temporal::api::common::v1::Payload;
use temporalio_common::{QueryDefinition, SignalDefinition, UpdateDefinition, WorkflowDefinition};
use temporalio_sdk::WorkflowRegistrationError;
use temporalio_workflow::workflows::WorkflowImplementation;
use temporalio_workflow::{WorkflowContext, WorkflowContextView, WorkflowResult};

use super::HandlerError;
use super::dispatch::{
    self, Input, LocalFuture, Output, PayloadConverter, Payloads, WorkflowDefinitionDescriptor,
    WorkflowError, WorkflowTermination,
};
use super::registry::{WorkflowRegistry, register_workflow_as, workflow_type};
use crate::payload::{PayloadValue, ValueOf};

/// The context a workflow's run and handlers receive.
pub type HostContext<M, W> = WorkflowContext<Host<M, W>>;

/// A workflow's contract as generated code declares it, implemented on the
/// workflow's marker `Self` for every implementation `W` of the workflow's
/// trait.
pub trait WorkflowContract<W: 'static>: WorkflowDefinition + Sized + 'static
where
    Self::Input: PayloadValue,
    Self::Output: PayloadValue,
{
    /// The proto's workflow type name.
    const NAME: &'static str;
    /// Further names the workflow is registered under (`aliases`).
    const ALIASES: &'static [&'static str] = &[];

    /// Creates the state from the start input (the default value when the
    /// start carried none), before the run and before any handler.
    fn init(ctx: &WorkflowContextView, input: ValueOf<Self::Input>) -> W;

    /// The workflow's main routine.
    fn run(
        ctx: HostContext<Self, W>,
    ) -> impl Future<Output = WorkflowResult<ValueOf<Self::Output>>> + 'static;

    /// Lists the handlers: which method of `W` runs each query, signal
    /// and update. None by default.
    fn handlers(handlers: &mut Handlers<Self, W>) {
        let _ = handlers;
    }
}

/// Runs an implementation `W` of the contract of workflow `M`: the type the
/// SDK sees. Workflow state is reached through it (`ctx.state(|s| s.field)`):
/// it dereferences to `W`.
pub struct Host<M, W> {
    state: W,
    workflow: PhantomData<fn() -> M>,
}

impl<M, W> Deref for Host<M, W> {
    type Target = W;
    fn deref(&self) -> &W {
        &self.state
    }
}

impl<M, W> DerefMut for Host<M, W> {
    fn deref_mut(&mut self) -> &mut W {
        &mut self.state
    }
}

impl<M, W: fmt::Debug> fmt::Debug for Host<M, W> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Host").field(&self.state).finish()
    }
}

/// Registers `W` as the workflow `M` on a worker or replayer, under the
/// proto's name and each alias.
pub fn register_workflow<M, W>(
    registry: &mut impl WorkflowRegistry,
) -> Result<(), WorkflowRegistrationError>
where
    M: WorkflowContract<W>,
    M::Input: PayloadValue + Send,
    M::Output: PayloadValue,
    ValueOf<M::Input>: Default,
    W: 'static,
{
    for name in std::iter::once(M::NAME).chain(M::ALIASES.iter().copied()) {
        register_workflow_as::<Host<M, W>, _>(registry, name)?;
    }
    Ok(())
}

type Decode = fn(Vec<Payload>, &PayloadConverter) -> Result<Option<Input>, WorkflowError>;
type SignalFn<M, W> =
    Box<dyn Fn(HostContext<M, W>, Input, &str) -> LocalFuture<Result<(), WorkflowError>>>;
type QueryFn<W> =
    Box<dyn Fn(&W, &WorkflowContextView, Input, &str) -> Result<Output, WorkflowError>>;
type UpdateFn<M, W> =
    Box<dyn Fn(HostContext<M, W>, Input, &str) -> LocalFuture<Result<Output, WorkflowError>>>;
type ValidateFn<W> =
    Box<dyn Fn(&W, &WorkflowContextView, Input, &str) -> Result<(), WorkflowError>>;

/// One handler: its name, how its input decodes, and what runs it.
struct Entry<F> {
    name: String,
    decode: Decode,
    call: F,
}

/// An update's handler and its validator.
struct UpdateCall<M, W> {
    run: UpdateFn<M, W>,
    validate: Option<ValidateFn<W>>,
}

/// The handlers of a workflow, listed by its [`WorkflowContract`]: all of
/// them (for the workflow's definition), or only those of one name (to
/// dispatch a call), so a call boxes the one handler it runs.
pub struct Handlers<M, W> {
    only: Option<String>,
    signals: Vec<Entry<SignalFn<M, W>>>,
    queries: Vec<Entry<QueryFn<W>>>,
    updates: Vec<Entry<UpdateCall<M, W>>>,
}

impl<M, W> Handlers<M, W>
where
    M: WorkflowContract<W>,
    M::Input: PayloadValue,
    M::Output: PayloadValue,
    W: 'static,
{
    /// The handlers `M` lists, or only those named `only`.
    fn listed(only: Option<&str>) -> Self {
        let mut handlers = Self {
            only: only.map(str::to_string),
            signals: Vec::new(),
            queries: Vec::new(),
            updates: Vec::new(),
        };
        M::handlers(&mut handlers);
        handlers
    }

    /// Whether a handler named `name` is to be listed.
    fn wants(&self, name: &str) -> bool {
        self.only.as_deref().is_none_or(|only| only == name)
    }

    /// `handler` runs signal `S`.
    pub fn signal<S, F, Fut>(&mut self, signal: S, handler: F)
    where
        S: SignalDefinition,
        S::Input: PayloadValue,
        F: Fn(HostContext<M, W>, ValueOf<S::Input>) -> Fut + 'static,
        Fut: Future<Output = ()> + 'static,
    {
        if !self.wants(signal.name()) {
            return;
        }
        self.signals.push(Entry {
            name: signal.name().to_string(),
            decode: dispatch::decode::<S::Input>,
            call: Box::new(move |ctx, input, name| {
                dispatch::signal(input, name, |value| handler(ctx, value))
            }),
        });
    }

    /// `handler` answers query `Q`.
    pub fn query<Q, F>(&mut self, query: Q, handler: F)
    where
        Q: QueryDefinition,
        Q::Input: PayloadValue,
        Q::Output: PayloadValue,
        F: Fn(
                &W,
                &WorkflowContextView,
                ValueOf<Q::Input>,
            ) -> Result<ValueOf<Q::Output>, HandlerError>
            + 'static,
    {
        if !self.wants(query.name()) {
            return;
        }
        self.queries.push(Entry {
            name: query.name().to_string(),
            decode: dispatch::decode::<Q::Input>,
            call: Box::new(move |state, ctx, input, name| {
                dispatch::query::<_, Q::Output>(input, name, |value| handler(state, ctx, value))
            }),
        });
    }

    /// `handler` runs update `U`.
    pub fn update<U, F, Fut>(&mut self, update: U, handler: F)
    where
        U: UpdateDefinition,
        U::Input: PayloadValue,
        U::Output: PayloadValue,
        F: Fn(HostContext<M, W>, ValueOf<U::Input>) -> Fut + 'static,
        Fut: Future<Output = Result<ValueOf<U::Output>, HandlerError>> + 'static,
    {
        if !self.wants(update.name()) {
            return;
        }
        self.updates.push(Self::update_entry(update, handler, None));
    }

    /// `handler` runs update `U` once `validator` accepted it.
    pub fn validated_update<U, F, Fut, V>(&mut self, update: U, handler: F, validator: V)
    where
        U: UpdateDefinition,
        U::Input: PayloadValue,
        U::Output: PayloadValue,
        F: Fn(HostContext<M, W>, ValueOf<U::Input>) -> Fut + 'static,
        Fut: Future<Output = Result<ValueOf<U::Output>, HandlerError>> + 'static,
        V: Fn(&W, &WorkflowContextView, &ValueOf<U::Input>) -> Result<(), HandlerError> + 'static,
    {
        if !self.wants(update.name()) {
            return;
        }
        let validate: ValidateFn<W> = Box::new(move |state, ctx, input, name| {
            dispatch::validate(input, name, |value| validator(state, ctx, value))
        });
        self.updates
            .push(Self::update_entry(update, handler, Some(validate)));
    }

    fn update_entry<U, F, Fut>(
        update: U,
        handler: F,
        validate: Option<ValidateFn<W>>,
    ) -> Entry<UpdateCall<M, W>>
    where
        U: UpdateDefinition,
        U::Input: PayloadValue,
        U::Output: PayloadValue,
        F: Fn(HostContext<M, W>, ValueOf<U::Input>) -> Fut + 'static,
        Fut: Future<Output = Result<ValueOf<U::Output>, HandlerError>> + 'static,
    {
        Entry {
            name: update.name().to_string(),
            decode: dispatch::decode::<U::Input>,
            call: UpdateCall {
                run: Box::new(move |ctx, input, name| {
                    dispatch::update::<_, U::Output, _>(input, name, |value| handler(ctx, value))
                }),
                validate,
            },
        }
    }
}

/// The handler named `name`.
fn find<'a, F>(entries: &'a [Entry<F>], name: &str) -> Option<&'a Entry<F>> {
    entries.iter().find(|e| e.name == name)
}

/// The decoded input of handler `name`; `None` when there is no such
/// handler.
fn decode<F>(
    entries: &[Entry<F>],
    name: &str,
    payloads: Vec<Payload>,
    converter: &PayloadConverter,
) -> Result<Option<Input>, WorkflowError> {
    match find(entries, name) {
        Some(entry) => (entry.decode)(payloads, converter),
        None => Ok(None),
    }
}

fn names<F>(entries: &[Entry<F>]) -> Vec<&str> {
    entries.iter().map(|e| e.name.as_str()).collect()
}

impl<M, W> WorkflowImplementation for Host<M, W>
where
    M: WorkflowContract<W>,
    M::Input: PayloadValue,
    M::Output: PayloadValue,
    ValueOf<M::Input>: Default,
    W: 'static,
{
    type Run = M;
    const HAS_INIT: bool = true;
    const INIT_TAKES_INPUT: bool = true;

    fn name() -> &'static str {
        workflow_type(M::NAME)
    }

    fn definition() -> WorkflowDefinitionDescriptor {
        let handlers = Handlers::<M, W>::listed(None);
        let updates: Vec<(&str, bool)> = handlers
            .updates
            .iter()
            .map(|e| (e.name.as_str(), e.call.validate.is_some()))
            .collect();
        dispatch::definition(
            Self::name(),
            &names(&handlers.signals),
            &names(&handlers.queries),
            &updates,
        )
    }

    fn init(ctx: WorkflowContextView, input: Option<M::Input>) -> Self {
        let value = input.map(PayloadValue::into_value).unwrap_or_default();
        Host {
            state: M::init(&ctx, value),
            workflow: PhantomData,
        }
    }

    fn run(
        ctx: WorkflowContext<Self>,
        _input: Option<M::Input>,
    ) -> LocalFuture<Result<Output, WorkflowTermination>> {
        dispatch::run::<M::Output, _>(M::run(ctx))
    }

    fn decode_signal_input(
        name: &str,
        payloads: Payloads,
        converter: &PayloadConverter,
    ) -> Result<Option<Input>, WorkflowError> {
        let handlers = Handlers::<M, W>::listed(Some(name));
        decode(&handlers.signals, name, payloads.payloads, converter)
    }

    fn dispatch_signal(
        ctx: WorkflowContext<Self>,
        name: &str,
        input: Input,
    ) -> LocalFuture<Result<(), WorkflowError>> {
        let handlers = Handlers::<M, W>::listed(Some(name));
        match find(&handlers.signals, name) {
            Some(entry) => (entry.call)(ctx, input, name),
            None => dispatch::unknown_signal(name),
        }
    }

    fn decode_query_input(
        name: &str,
        payloads: &Payloads,
        converter: &PayloadConverter,
    ) -> Result<Option<Input>, WorkflowError> {
        let handlers = Handlers::<M, W>::listed(Some(name));
        decode(
            &handlers.queries,
            name,
            payloads.payloads.clone(),
            converter,
        )
    }

    fn dispatch_query(
        &self,
        ctx: WorkflowContextView,
        name: &str,
        input: Input,
    ) -> Result<Output, WorkflowError> {
        let handlers = Handlers::<M, W>::listed(Some(name));
        match find(&handlers.queries, name) {
            Some(entry) => (entry.call)(&self.state, &ctx, input, name),
            None => Err(dispatch::unknown("query", name)),
        }
    }

    fn decode_update_input(
        name: &str,
        payloads: Payloads,
        converter: &PayloadConverter,
    ) -> Result<Option<Input>, WorkflowError> {
        let handlers = Handlers::<M, W>::listed(Some(name));
        decode(&handlers.updates, name, payloads.payloads, converter)
    }

    fn dispatch_update(
        ctx: WorkflowContext<Self>,
        name: &str,
        input: Input,
    ) -> LocalFuture<Result<Output, WorkflowError>> {
        let handlers = Handlers::<M, W>::listed(Some(name));
        match find(&handlers.updates, name) {
            Some(entry) => (entry.call.run)(ctx, input, name),
            None => dispatch::unknown_update(name),
        }
    }

    fn validate_update(
        &self,
        ctx: WorkflowContextView,
        name: &str,
        input: Input,
    ) -> Result<(), WorkflowError> {
        let handlers = Handlers::<M, W>::listed(Some(name));
        match find(&handlers.updates, name).and_then(|e| e.call.validate.as_ref()) {
            Some(validate) => validate(&self.state, &ctx, input, name),
            None => Ok(()),
        }
    }
}

/// Ends this run and continues the workflow as a new run with `input`,
/// inheriting this run's options: `return continue_as_new(&ctx, input);`
/// from the workflow's `run`. The input has the workflow's proto type.
pub fn continue_as_new<M, W, T>(
    ctx: &HostContext<M, W>,
    input: ValueOf<M::Input>,
) -> WorkflowResult<T>
where
    Host<M, W>: WorkflowImplementation<Run = M>,
    M: WorkflowDefinition<Input: PayloadValue>,
{
    continue_as_new_with(ctx, input, Default::default())
}

/// [`continue_as_new`], with options for the new run.
pub fn continue_as_new_with<M, W, T>(
    ctx: &HostContext<M, W>,
    input: ValueOf<M::Input>,
    options: temporalio_workflow::ContinueAsNewOptions,
) -> WorkflowResult<T>
where
    Host<M, W>: WorkflowImplementation<Run = M>,
    M: WorkflowDefinition<Input: PayloadValue>,
{
    dispatch::continue_as_new(ctx, M::Input::from_value(input), options)
}
