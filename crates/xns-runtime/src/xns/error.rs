//! The caller's view of a failed XNS call, and helpers that read the code,
//! the non-retryable flag and the underlying application error (Go's
//! `xns.Code`, `xns.IsNonRetryable` and `xns.Unwrap`).

use temporalio_common::error::{ActivityExecutionError, ApplicationFailure, IncomingError};
use temporalio_workflow::WorkflowTermination;

use crate::expr::EvalError;

/// Why an XNS call failed, seen from the calling workflow.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum XnsError {
    /// The XNS activity failed or was cancelled; for a remote failure its
    /// cause is the converted error (see [`XnsError::code`]).
    #[error("XNS call `{activity}`")]
    Activity {
        /// Name of the XNS activity.
        activity: String,
        /// The SDK's error.
        #[source]
        source: Box<ActivityExecutionError>,
    },
    /// The remote workflow or update ID could not be computed.
    #[error("XNS call `{activity}`: cannot compute the ID from its expression")]
    IdExpression {
        /// Name of the XNS activity.
        activity: String,
        /// The evaluation error.
        #[source]
        source: EvalError,
    },
    /// The call was detached and has no result to return.
    #[error("XNS call `{activity}` was detached: it returns no result")]
    Detached {
        /// Name of the XNS activity.
        activity: String,
    },
}

impl XnsError {
    /// The application error the XNS activity failed with: the remote
    /// outcome as the error converter reported it.
    pub fn application_error(&self) -> Option<&ApplicationFailure> {
        let XnsError::Activity { source, .. } = self else {
            return None;
        };
        let ActivityExecutionError::Failed(failed) = source.as_ref() else {
            return None;
        };
        let mut cause = failed.cause();
        while let Some(c) = cause {
            if let IncomingError::Application(app) = c {
                return Some(app);
            }
            cause = c.cause();
        }
        None
    }

    /// The error code: the application error's type (`CanceledError`,
    /// `NotFound`, the remote workflow's own error type, ...).
    pub fn code(&self) -> Option<&str> {
        self.application_error()
            .and_then(ApplicationFailure::type_name)
    }

    /// Whether the failure is final (the remote workflow decided it).
    pub fn is_non_retryable(&self) -> bool {
        self.application_error()
            .is_some_and(ApplicationFailure::is_non_retryable)
    }

    /// Whether the call was cancelled (by the caller).
    pub fn is_cancelled(&self) -> bool {
        matches!(
            self,
            XnsError::Activity { source, .. }
                if matches!(source.as_ref(), ActivityExecutionError::Cancelled(_))
        )
    }
}

impl From<XnsError> for WorkflowTermination {
    fn from(err: XnsError) -> Self {
        match err {
            XnsError::Activity { source, .. } => (*source).into(),
            other => WorkflowTermination::failed_application(ApplicationFailure::new(other)),
        }
    }
}
