//! The one error type of generated clients.

use temporalio_client::errors::{
    WorkflowGetResultError, WorkflowInteractionError, WorkflowQueryError, WorkflowStartError,
    WorkflowUpdateError, WorkflowUpdateWithStartError,
};

use crate::expr::{EvalError, MappingError};

/// Error of a generated client call. SDK errors are kept as the source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// No task queue from the options, the workflow or the service.
    #[error(
        "task queue is required to start workflow `{workflow}`: set it in the options or with `task_queue` in the proto"
    )]
    MissingTaskQueue {
        /// Temporal workflow type name.
        workflow: String,
    },
    /// The workflow or update ID expression failed on this input.
    #[error("cannot compute the ID of `{name}` from its ID expression")]
    IdExpression {
        /// Temporal name of the workflow or update.
        name: String,
        /// What failed.
        #[source]
        source: EvalError,
    },
    /// The workflow's search attribute mapping failed on this input.
    #[error("cannot compute the search attributes of `{workflow}` from its mapping")]
    SearchAttributes {
        /// Temporal workflow type name.
        workflow: String,
        /// What failed.
        #[source]
        source: MappingError,
    },
    /// Starting the workflow failed (including "already started").
    #[error("start workflow `{workflow}`")]
    Start {
        /// Temporal workflow type name.
        workflow: String,
        /// SDK error.
        #[source]
        source: WorkflowStartError,
    },
    /// The workflow did not complete successfully, or its result could not be read.
    #[error("workflow `{workflow_id}`")]
    Result {
        /// Workflow ID.
        workflow_id: String,
        /// SDK error.
        #[source]
        source: WorkflowGetResultError,
    },
    /// A query failed.
    #[error("query `{query}` on workflow `{workflow_id}`")]
    Query {
        /// Temporal query name.
        query: String,
        /// Workflow ID.
        workflow_id: String,
        /// SDK error.
        #[source]
        source: WorkflowQueryError,
    },
    /// An update failed or was rejected.
    #[error("update `{update}` on workflow `{workflow_id}`")]
    Update {
        /// Temporal update name.
        update: String,
        /// Workflow ID.
        workflow_id: String,
        /// SDK error.
        #[source]
        source: WorkflowUpdateError,
    },
    /// Update-with-start failed.
    #[error("update-with-start `{update}` of workflow `{workflow}`")]
    UpdateWithStart {
        /// Temporal workflow type name.
        workflow: String,
        /// Temporal update name.
        update: String,
        /// SDK error.
        #[source]
        source: WorkflowUpdateWithStartError,
    },
    /// A signal, cancel or terminate request failed.
    #[error("{operation} on workflow `{workflow_id}`")]
    Interaction {
        /// What was attempted (`signal <name>`, `cancel`, `terminate`).
        operation: String,
        /// Workflow ID.
        workflow_id: String,
        /// SDK error.
        #[source]
        source: WorkflowInteractionError,
    },
}

impl ClientError {
    /// True when a start failed because a workflow with this ID is already running
    /// (or closed, under reject-duplicate).
    pub fn is_already_started(&self) -> bool {
        matches!(
            self,
            ClientError::Start {
                source: WorkflowStartError::AlreadyStarted { .. },
                ..
            }
        ) || matches!(
            self,
            ClientError::UpdateWithStart {
                source: WorkflowUpdateWithStartError::Start(
                    WorkflowStartError::AlreadyStarted { .. }
                ),
                ..
            }
        )
    }
}
