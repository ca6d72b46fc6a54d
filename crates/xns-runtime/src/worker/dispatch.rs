//! Glue between generated workflow hosts and the SDK's workflow runtime
//! (`WorkflowImplementation`): decoding handler inputs, calling the user's
//! trait methods, boxing outputs. Generated code calls these; they are not
//! meant for hand-written code.
//!
//! Inputs are decoded with the wire type of the proto message (the lenient
//! [`Empty`](crate::payload::Empty) for `google.protobuf.Empty`) and handed
//! to the user as the signature type (`()` for Empty). A handler name the
//! workflow does not declare, or an input of the wrong type, becomes a
//! workflow error, never a panic.

use std::any::Any;
use std::future::Future;
use std::pin::Pin;

use temporalio_common::data_converters::{
    GenericPayloadConverter, SerializationContext, SerializationContextData,
    WorkflowSerializationContext,
};
use temporalio_common::protos::temporal::api::common::v1::Payload;
use temporalio_workflow::workflow_interceptors::WorkflowOutputValue;
use temporalio_workflow::workflows::UpdateDefinitionDescriptor;

use super::HandlerError;
use crate::payload::PayloadValue;

pub use temporalio_common::data_converters::PayloadConverter;
pub use temporalio_common::protos::temporal::api::common::v1::Payloads;
pub use temporalio_workflow::workflows::{
    WorkflowDefinitionDescriptor, WorkflowError, WorkflowImplementation,
};
pub use temporalio_workflow::{WorkflowContext, WorkflowContextView, WorkflowTermination};

/// A decoded handler input, as the SDK passes it around.
pub type Input = Box<dyn Any>;
/// A boxed, single-threaded future, as the SDK's runtime traits return.
pub type LocalFuture<T> = Pin<Box<dyn Future<Output = T>>>;
/// A workflow or handler result ready for the SDK to encode.
pub type Output = Box<dyn WorkflowOutputValue>;

/// The workflow definition the SDK routes by.
pub fn definition(
    workflow_type: &str,
    signals: &[&str],
    queries: &[&str],
    updates: &[(&str, bool)],
) -> WorkflowDefinitionDescriptor {
    let owned = |names: &[&str]| names.iter().map(|n| n.to_string()).collect();
    WorkflowDefinitionDescriptor {
        workflow_type: workflow_type.to_string(),
        has_init: true,
        init_takes_input: true,
        signals: owned(signals),
        queries: owned(queries),
        updates: updates
            .iter()
            .map(|(name, has_validator)| UpdateDefinitionDescriptor {
                name: name.to_string(),
                has_validator: *has_validator,
            })
            .collect(),
    }
}

/// Decodes a handler's payloads as `T` and boxes its signature value.
pub fn decode<T: PayloadValue>(
    payloads: Vec<Payload>,
    converter: &PayloadConverter,
) -> Result<Option<Input>, WorkflowError> {
    let data = SerializationContextData::Workflow(WorkflowSerializationContext::new());
    let ctx = SerializationContext::new(&data, converter);
    let value: T = converter.from_payloads(&ctx, payloads)?;
    Ok(Some(Box::new(value.into_value())))
}

fn error(message: String) -> WorkflowError {
    WorkflowError::Execution(message.into())
}

/// The typed input of handler `name`.
pub fn input<V: 'static>(input: Input, name: &str) -> Result<V, WorkflowError> {
    input.downcast::<V>().map(|v| *v).map_err(|_| {
        error(format!(
            "handler {name:?} received an input of the wrong type"
        ))
    })
}

/// The error for a handler name the workflow does not declare.
pub fn unknown(kind: &str, name: &str) -> WorkflowError {
    error(format!("no {kind} handler named {name:?}"))
}

/// Runs the user's `run` and boxes its result as the wire type `O`.
pub fn run<O, F>(run: F) -> LocalFuture<Result<Output, WorkflowTermination>>
where
    O: PayloadValue,
    F: Future<Output = Result<O::Value, WorkflowTermination>> + 'static,
{
    Box::pin(async move { Ok(Box::new(O::from_value(run.await?)) as Output) })
}

/// Dispatches a signal to the user's handler.
pub fn signal<V, F>(
    input_value: Input,
    name: &str,
    handler: impl FnOnce(V) -> F,
) -> LocalFuture<Result<(), WorkflowError>>
where
    V: 'static,
    F: Future<Output = ()> + 'static,
{
    match input::<V>(input_value, name) {
        Ok(v) => {
            let fut = handler(v);
            Box::pin(async move {
                fut.await;
                Ok(())
            })
        }
        Err(e) => Box::pin(std::future::ready(Err(e))),
    }
}

/// The future for a signal the workflow does not declare.
pub fn unknown_signal(name: &str) -> LocalFuture<Result<(), WorkflowError>> {
    Box::pin(std::future::ready(Err(unknown("signal", name))))
}

/// Dispatches a query to the user's handler.
pub fn query<V, O>(
    input_value: Input,
    name: &str,
    handler: impl FnOnce(V) -> Result<O::Value, HandlerError>,
) -> Result<Output, WorkflowError>
where
    V: 'static,
    O: PayloadValue,
{
    let v = input::<V>(input_value, name)?;
    let out = handler(v).map_err(WorkflowError::Execution)?;
    Ok(Box::new(O::from_value(out)))
}

/// Dispatches an update to the user's handler.
pub fn update<V, O, F>(
    input_value: Input,
    name: &str,
    handler: impl FnOnce(V) -> F,
) -> LocalFuture<Result<Output, WorkflowError>>
where
    V: 'static,
    O: PayloadValue,
    F: Future<Output = Result<O::Value, HandlerError>> + 'static,
{
    match input::<V>(input_value, name) {
        Ok(v) => {
            let fut = handler(v);
            Box::pin(async move {
                let out = fut.await.map_err(WorkflowError::Execution)?;
                Ok(Box::new(O::from_value(out)) as Output)
            })
        }
        Err(e) => Box::pin(std::future::ready(Err(e))),
    }
}

/// The future for an update the workflow does not declare.
pub fn unknown_update(name: &str) -> LocalFuture<Result<Output, WorkflowError>> {
    Box::pin(std::future::ready(Err(unknown("update", name))))
}

/// Runs the user's validator of an update.
pub fn validate<V: 'static>(
    input_value: Input,
    name: &str,
    validator: impl FnOnce(&V) -> Result<(), HandlerError>,
) -> Result<(), WorkflowError> {
    let v = input::<V>(input_value, name)?;
    validator(&v).map_err(WorkflowError::Execution)
}

/// Continue-as-new with `input`: always an `Err` to return from `run`.
pub fn continue_as_new<W, T>(
    ctx: &WorkflowContext<W>,
    input: <W::Run as temporalio_common::WorkflowDefinition>::Input,
    options: temporalio_workflow::ContinueAsNewOptions,
) -> Result<T, WorkflowTermination>
where
    W: WorkflowImplementation,
{
    match ctx.continue_as_new(input, options) {
        Ok(never) => match never {},
        Err(termination) => Err(termination),
    }
}

/// A boxed, thread-safe future, as activity execution returns.
pub type SendFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

pub use temporalio_common::ActivityError;
pub use temporalio_sdk::activities::{
    ActivityContext, ActivityDefinitions, ActivityImplementer, ExecutableActivity,
};

/// The error for an activity executed without its implementation (the
/// SDK always passes one for activities registered through a host).
pub fn missing_implementation(name: &str) -> ActivityError {
    temporalio_common::error::ApplicationFailure::non_retryable(format!(
        "activity {name:?} was executed without its implementation"
    ))
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::Empty;

    #[test]
    fn wrong_input_type_is_an_error_not_a_panic() {
        let err = input::<String>(Box::new(5u32), "my.Signal").unwrap_err();
        assert!(err.to_string().contains("my.Signal"), "{err}");
    }

    #[test]
    fn empty_inputs_decode_from_nothing_to_unit() {
        let converter = PayloadConverter::default();
        let boxed = decode::<Empty>(Vec::new(), &converter).unwrap().unwrap();
        input::<()>(boxed, "q").unwrap();
    }

    #[test]
    fn definition_lists_handlers() {
        let d = definition("wf", &["s"], &["q"], &[("u", true)]);
        assert_eq!(d.workflow_type, "wf");
        assert!(d.has_init && d.init_takes_input);
        assert_eq!(d.signals, ["s"]);
        assert_eq!(d.queries, ["q"]);
        assert!(d.updates[0].has_validator);
    }
}
