//! The default conversion of remote outcomes into the XNS activity's
//! error, per the contract's table: what the remote workflow decided is
//! final (non-retryable) for the caller; transport trouble is retried.
//!
//! A workflow that is not found is retried, as the Go generator's XNS
//! activities do (measured by the Go peer tests): a Go caller workflow
//! signals, queries and updates a remote workflow it started without
//! waiting for the start to land, and relies on the retry. A namespace that
//! is not found is final.

use std::sync::Arc;

use temporalio_client::errors::{
    WorkflowGetResultError, WorkflowInteractionError, WorkflowQueryError, WorkflowStartError,
    WorkflowUpdateError, WorkflowUpdateWithStartError,
};
use temporalio_client::tonic::{self, Code};
use temporalio_common::ActivityError;
use temporalio_common::data_converters::{
    DefaultFailureConverter, FailureConverter, PayloadConverter, SerializationContextData,
};
use temporalio_common::error::{ApplicationFailure, IncomingError};
use temporalio_common::protos::temporal::api::failure::v1::{Failure, failure::FailureInfo};

use super::non_retryable;
use crate::client::ClientError;

/// Turns the error of a remote call into the XNS activity's error. One is
/// given per registration; [`default_error_converter`] is the default.
pub type ErrorConverter = Arc<dyn Fn(ClientError) -> ActivityError + Send + Sync>;

/// Error types (codes) the default converter gives the caller.
pub mod error_types {
    /// The remote workflow was cancelled.
    pub const CANCELED: &str = "CanceledError";
    /// The remote workflow was terminated.
    pub const TERMINATED: &str = "TerminatedError";
    /// The remote workflow timed out.
    pub const TIMEOUT: &str = "TimeoutError";
    /// The remote workflow failed because of a child workflow.
    pub const CHILD_WORKFLOW: &str = "ChildWorkflowExecutionError";
    /// The remote workflow failed otherwise.
    pub const WORKFLOW_EXECUTION: &str = "WorkflowExecutionError";
    /// The remote start was rejected: the ID is taken.
    pub const ALREADY_STARTED: &str = "WorkflowExecutionAlreadyStarted";
    /// The remote workflow (or namespace) does not exist.
    pub const NOT_FOUND: &str = "NotFound";
    /// The remote workflow rejected a query.
    pub const QUERY_REJECTED: &str = "QueryRejected";
    /// A value could not be encoded or decoded.
    pub const PAYLOAD: &str = "PayloadConversionError";
    /// The request cannot be served (bad options, bad input).
    pub const INVALID_ARGUMENT: &str = super::super::INVALID_ARGUMENT;
}

/// The default converter (see the module docs).
pub fn default_error_converter(error: ClientError) -> ActivityError {
    let message = chain(&error);
    match error {
        ClientError::Result { source, .. } => match source {
            WorkflowGetResultError::Failed(failure) => remote_failure(*failure),
            WorkflowGetResultError::Cancelled { .. } => {
                non_retryable(message, error_types::CANCELED)
            }
            WorkflowGetResultError::Terminated { .. } => {
                non_retryable(message, error_types::TERMINATED)
            }
            WorkflowGetResultError::TimedOut => non_retryable(message, error_types::TIMEOUT),
            WorkflowGetResultError::NotFound(status) => not_found(message, &status),
            WorkflowGetResultError::PayloadConversion(_) => {
                non_retryable(message, error_types::PAYLOAD)
            }
            WorkflowGetResultError::Rpc(status) => rpc(message, &status),
            _ => retryable(message),
        },
        ClientError::Start { source, .. } => start_error(message, source),
        ClientError::UpdateWithStart { source, .. } => match source {
            WorkflowUpdateWithStartError::Start(source) => start_error(message, source),
            WorkflowUpdateWithStartError::Update(source) => update_error(message, source),
            _ => retryable(message),
        },
        ClientError::Update { source, .. } => update_error(message, source),
        ClientError::Query { source, .. } => match source {
            WorkflowQueryError::NotFound(status) => not_found(message, &status),
            WorkflowQueryError::Rejected { .. } => {
                non_retryable(message, error_types::QUERY_REJECTED)
            }
            WorkflowQueryError::PayloadConversion(_) => {
                non_retryable(message, error_types::PAYLOAD)
            }
            WorkflowQueryError::Rpc(status) => rpc(message, &status),
            _ => retryable(message),
        },
        ClientError::Interaction { source, .. } => match source {
            WorkflowInteractionError::NotFound(status) => not_found(message, &status),
            WorkflowInteractionError::PayloadConversion(_) => {
                non_retryable(message, error_types::PAYLOAD)
            }
            WorkflowInteractionError::Rpc(status) => rpc(message, &status),
            _ => retryable(message),
        },
        ClientError::MissingTaskQueue { .. }
        | ClientError::IdExpression { .. }
        | ClientError::SearchAttributes { .. } => {
            non_retryable(message, error_types::INVALID_ARGUMENT)
        }
    }
}

fn start_error(message: String, source: WorkflowStartError) -> ActivityError {
    match source {
        WorkflowStartError::AlreadyStarted { .. } => {
            non_retryable(message, error_types::ALREADY_STARTED)
        }
        WorkflowStartError::PayloadConversion(_) => non_retryable(message, error_types::PAYLOAD),
        WorkflowStartError::Rpc(status) => rpc(message, &status),
        _ => retryable(message),
    }
}

fn update_error(message: String, source: WorkflowUpdateError) -> ActivityError {
    match source {
        WorkflowUpdateError::Failed(failure) => failure_proto(message, *failure),
        WorkflowUpdateError::NotFound(status) => not_found(message, &status),
        WorkflowUpdateError::PayloadConversion(_) => non_retryable(message, error_types::PAYLOAD),
        WorkflowUpdateError::Rpc(status) => rpc(message, &status),
        _ => retryable(message),
    }
}

/// A remote workflow's failure: its application error keeps type and
/// message (the remote's own retry policy already ran); anything else gets
/// the contract's code. The remote failure is kept as the cause.
fn remote_failure(failure: IncomingError) -> ActivityError {
    let (message, type_name) = match &failure {
        IncomingError::Application(app) => (
            app.to_string(),
            app.type_name().unwrap_or_default().to_string(),
        ),
        IncomingError::ChildWorkflowExecution(_) => (
            failure.failure().message.clone(),
            error_types::CHILD_WORKFLOW.to_string(),
        ),
        IncomingError::Cancelled(_) => (
            failure.failure().message.clone(),
            error_types::CANCELED.to_string(),
        ),
        IncomingError::Terminated(_) => (
            failure.failure().message.clone(),
            error_types::TERMINATED.to_string(),
        ),
        IncomingError::Timeout(_) => (
            failure.failure().message.clone(),
            error_types::TIMEOUT.to_string(),
        ),
        _ => (
            failure.failure().message.clone(),
            error_types::WORKFLOW_EXECUTION.to_string(),
        ),
    };
    let cause = match failure {
        IncomingError::Application(app) => app
            .into_failure()
            .and_then(|f| f.cause)
            .and_then(|c| decode_failure(*c)),
        other => Some(other),
    };
    ActivityError::Application(Box::new(
        ApplicationFailure::builder(message)
            .type_name(type_name)
            .non_retryable(true)
            .maybe_cause(cause.map(Box::new))
            .build(),
    ))
}

/// An update's failure as the server reported it.
fn failure_proto(message: String, failure: Failure) -> ActivityError {
    let type_name = match &failure.failure_info {
        Some(FailureInfo::ApplicationFailureInfo(info)) if !info.r#type.is_empty() => {
            info.r#type.clone()
        }
        _ => error_types::WORKFLOW_EXECUTION.to_string(),
    };
    let message = if failure.message.is_empty() {
        message
    } else {
        failure.message.clone()
    };
    ActivityError::Application(Box::new(
        ApplicationFailure::builder(message)
            .type_name(type_name)
            .non_retryable(true)
            .maybe_cause(failure.cause.and_then(|c| decode_failure(*c)).map(Box::new))
            .build(),
    ))
}

/// A server status: invalid requests are final, a missing workflow or
/// namespace as [`not_found`] says, the rest (unavailable, deadlines, ...)
/// is retried.
fn rpc(message: String, status: &tonic::Status) -> ActivityError {
    match status.code() {
        Code::NotFound => not_found(message, status),
        Code::AlreadyExists => non_retryable(message, error_types::ALREADY_STARTED),
        Code::InvalidArgument | Code::FailedPrecondition => {
            non_retryable(message, error_types::INVALID_ARGUMENT)
        }
        _ => retryable(message),
    }
}

/// A failure proto as the SDK's error type (the default failure converter).
fn decode_failure(failure: Failure) -> Option<IncomingError> {
    DefaultFailureConverter::new(false)
        .to_error(
            failure,
            &PayloadConverter::default(),
            &SerializationContextData::None,
        )
        .ok()
}

fn retryable(message: String) -> ActivityError {
    ActivityError::Application(Box::new(ApplicationFailure::new(message)))
}

/// `NotFound`: final for a missing namespace; retried for a missing
/// workflow (see the module docs), with the code kept for the caller.
fn not_found(message: String, status: &tonic::Status) -> ActivityError {
    if is_namespace_not_found(status) {
        return non_retryable(message, error_types::NOT_FOUND);
    }
    ActivityError::Application(Box::new(
        ApplicationFailure::builder(message)
            .type_name(error_types::NOT_FOUND.to_string())
            .build(),
    ))
}

/// `google.rpc.Status` (a status's details), as far as needed: its details.
#[derive(Clone, PartialEq, prost::Message)]
struct RpcStatus {
    #[prost(message, repeated, tag = "3")]
    details: Vec<prost_types::Any>,
}

/// Whether the server's error details say the namespace does not exist
/// (`temporal.api.errordetails.v1.NamespaceNotFoundFailure`).
fn is_namespace_not_found(status: &tonic::Status) -> bool {
    <RpcStatus as prost::Message>::decode(status.details()).is_ok_and(|s| {
        s.details
            .iter()
            .any(|d| d.type_url.ends_with(".NamespaceNotFoundFailure"))
    })
}

/// The error's message and its sources', joined with `: `. A source whose
/// text the message already holds is left out: some errors print their
/// source themselves (the client's `Server error: {status}` does, and then
/// names the status as its source too), which would say the server's
/// message twice.
fn chain(error: &dyn std::error::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !message.contains(&text) {
            message.push_str(": ");
            message.push_str(&text);
        }
        source = s.source();
    }
    message
}

#[cfg(test)]
mod tests {
    use temporalio_client::tonic::Status;

    use super::*;

    fn failure(error: ActivityError) -> (String, bool) {
        match error {
            ActivityError::Application(app) => (
                app.type_name().unwrap_or_default().to_string(),
                app.is_non_retryable(),
            ),
            other => panic!("expected an application failure, got {other:?}"),
        }
    }

    fn result_error(source: WorkflowGetResultError) -> ClientError {
        ClientError::Result {
            workflow_id: "wf".into(),
            source,
        }
    }

    #[test]
    fn remote_outcomes_are_final_with_the_contract_codes() {
        let timed_out = default_error_converter(result_error(WorkflowGetResultError::TimedOut));
        assert_eq!(failure(timed_out), (error_types::TIMEOUT.into(), true));
        let namespace_gone = Status::with_details(
            Code::NotFound,
            "Namespace ns-x is not found.",
            namespace_not_found_details(),
        );
        let not_found = default_error_converter(result_error(WorkflowGetResultError::NotFound(
            namespace_gone,
        )));
        assert_eq!(failure(not_found), (error_types::NOT_FOUND.into(), true));
        let taken = default_error_converter(ClientError::Start {
            workflow: "w".into(),
            source: WorkflowStartError::AlreadyStarted {
                run_id: None,
                source: Status::already_exists("taken"),
            },
        });
        assert_eq!(failure(taken), (error_types::ALREADY_STARTED.into(), true));
    }

    /// The details the server sends with a missing namespace.
    fn namespace_not_found_details() -> prost::bytes::Bytes {
        let status = RpcStatus {
            details: vec![prost_types::Any {
                type_url:
                    "type.googleapis.com/temporal.api.errordetails.v1.NamespaceNotFoundFailure"
                        .into(),
                value: vec![],
            }],
        };
        prost::Message::encode_to_vec(&status).into()
    }

    #[test]
    fn a_missing_workflow_is_retried_with_its_code_as_go_does() {
        // Go's caller workflows signal a remote workflow right after asking
        // for its start, and rely on this retry.
        let signal = default_error_converter(ClientError::Interaction {
            operation: "signal Add".into(),
            workflow_id: "count/x".into(),
            source: WorkflowInteractionError::NotFound(Status::not_found(
                "workflow not found for ID: count/x",
            )),
        });
        match signal {
            ActivityError::Application(app) => {
                assert_eq!(app.type_name(), Some(error_types::NOT_FOUND));
                assert!(!app.is_non_retryable());
                let message = app.to_string();
                assert!(
                    message.contains("signal Add on workflow `count/x`")
                        && message.contains("workflow not found for ID: count/x"),
                    "the message keeps the whole chain once: {message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_missing_namespace_is_named_once_in_a_final_error() {
        // The client's start error prints the status and names it as its
        // source as well: the server's message used to appear twice.
        let status = Status::with_details(
            Code::NotFound,
            "Namespace ns-x is not found.",
            namespace_not_found_details(),
        );
        let start = default_error_converter(ClientError::Start {
            workflow: "example.v1.Example.CreateFoo".into(),
            source: WorkflowStartError::Rpc(status),
        });
        match start {
            ActivityError::Application(app) => {
                assert_eq!(app.type_name(), Some(error_types::NOT_FOUND));
                assert!(app.is_non_retryable());
                let message = app.to_string();
                assert_eq!(
                    message.matches("Namespace ns-x is not found.").count(),
                    1,
                    "{message}"
                );
                assert!(
                    message.starts_with("start workflow `example.v1.Example.CreateFoo`"),
                    "{message}"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn transport_trouble_is_retried() {
        let unavailable = default_error_converter(result_error(WorkflowGetResultError::Rpc(
            Status::unavailable("down"),
        )));
        assert_eq!(failure(unavailable), (String::new(), false));
    }

    #[test]
    fn update_failures_keep_the_remote_error_type() {
        let failed = default_error_converter(ClientError::Update {
            update: "u".into(),
            workflow_id: "wf".into(),
            source: WorkflowUpdateError::Failed(Box::new(Failure {
                message: "negative".into(),
                failure_info: Some(FailureInfo::ApplicationFailureInfo(
                    temporalio_common::protos::temporal::api::failure::v1::ApplicationFailureInfo {
                        r#type: "Invalid".into(),
                        ..Default::default()
                    },
                )),
                ..Default::default()
            })),
        });
        match failed {
            ActivityError::Application(app) => {
                assert_eq!(app.type_name(), Some("Invalid"));
                assert!(app.is_non_retryable());
                assert_eq!(app.to_string(), "negative");
            }
            other => panic!("{other:?}"),
        }
    }
}
