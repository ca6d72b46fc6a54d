//! What an XNS activity attempt has done remotely, kept in its heartbeat
//! details so that the next attempt re-attaches instead of calling again.
//!
//! The details are laid out as the Go generator's activities lay them out
//! (protoc-gen-go-temporal v1.24.0, `<Workflow>With<Update>` and
//! `<Update>`): one `json/plain` string per value, so that a retry on a Go
//! worker re-attaches to what a Rust attempt did, and the other way round:
//!
//! - update: `[update ID]`;
//! - update-with-start: `[workflow ID, run ID, update ID]`;
//! - start, signal-with-start and get: `[workflow ID, run ID]` (Go records
//!   `[workflow ID]` and reads nothing back; we read either);
//! - query and signal: nothing.

use temporalio_common::data_converters::{
    GenericPayloadConverter, PayloadConversionError, SerializationContext, TemporalSerializable,
};
use temporalio_common::protos::temporal::api::common::v1::Payload;
use temporalio_sdk::activities::ActivityContext;

use crate::payload::ENCODING_KEY;

/// `json/plain`: the encoding of each value.
const JSON_PLAIN: &str = "json/plain";

/// The remote workflow, run and update an attempt started or reached.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(super) struct Progress {
    pub(super) workflow_id: String,
    pub(super) run_id: Option<String>,
    pub(super) update_id: Option<String>,
}

impl Progress {
    /// A run, as a start or a get records it.
    pub(super) fn run(workflow_id: String, run_id: Option<String>) -> Self {
        Self {
            workflow_id,
            run_id,
            update_id: None,
        }
    }

    /// An update by ID, as the update activity records it.
    pub(super) fn update(update_id: String) -> Self {
        Self {
            update_id: Some(update_id),
            ..Self::default()
        }
    }

    /// The values recorded, in Go's order.
    fn values(&self) -> Vec<String> {
        let run = || self.run_id.clone().unwrap_or_default();
        match (&self.update_id, self.workflow_id.is_empty()) {
            (Some(update), true) => vec![update.clone()],
            (Some(update), false) => vec![self.workflow_id.clone(), run(), update.clone()],
            (None, true) => Vec::new(),
            (None, false) => match &self.run_id {
                Some(run) => vec![self.workflow_id.clone(), run.clone()],
                None => vec![self.workflow_id.clone()],
            },
        }
    }

    /// Records it as the activity's heartbeat details.
    pub(super) async fn record(&self, ctx: &ActivityContext) {
        // A heartbeat that cannot be recorded is retried at the next tick;
        // the server's heartbeat timeout is the backstop.
        let _ = ctx.record_heartbeat(Details(self.values())).await;
    }

    /// The run a previous start recorded: `[workflow ID, run ID]`, or Go's
    /// `[workflow ID]`.
    pub(super) fn previous_run(details: &[Payload]) -> Option<Self> {
        match strings(details)?.as_slice() {
            [workflow] => Some(Self::run(workflow.clone(), None)),
            [workflow, run] => Some(Self::run(workflow.clone(), non_empty(run))),
            _ => None,
        }
    }

    /// The update a previous attempt started: `[update ID]`.
    pub(super) fn previous_update(details: &[Payload]) -> Option<String> {
        match strings(details)?.as_slice() {
            [update] => non_empty(update),
            _ => None,
        }
    }

    /// The run and update a previous update-with-start started:
    /// `[workflow ID, run ID, update ID]`, all set.
    pub(super) fn previous_update_with_start(details: &[Payload]) -> Option<Self> {
        match strings(details)?.as_slice() {
            [workflow, run, update] if !workflow.is_empty() => Some(Self {
                workflow_id: workflow.clone(),
                run_id: Some(non_empty(run)?),
                update_id: Some(non_empty(update)?),
            }),
            _ => None,
        }
    }
}

/// Heartbeat details: one payload per value, each written by the
/// activity's converter (as the SDK's `MultiArgs` types write theirs).
struct Details(Vec<String>);

impl TemporalSerializable for Details {
    fn to_payload(&self, _: &SerializationContext<'_>) -> Result<Payload, PayloadConversionError> {
        Err(PayloadConversionError::WrongEncoding)
    }

    fn to_payloads(
        &self,
        ctx: &SerializationContext<'_>,
    ) -> Result<Vec<Payload>, PayloadConversionError> {
        self.0
            .iter()
            .map(|value| ctx.converter.to_payload(ctx, value))
            .collect()
    }
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// The details as strings, when each is a `json/plain` JSON string.
fn strings(details: &[Payload]) -> Option<Vec<String>> {
    details
        .iter()
        .map(|p| {
            let encoding = p.metadata.get(ENCODING_KEY)?;
            if encoding.as_slice() != JSON_PLAIN.as_bytes() {
                return None;
            }
            serde_json::from_slice::<String>(&p.data).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// A detail as Go's default converter writes a string (the Go peer's
    /// `heartbeat_details_are_gos` checks this against the Go SDK).
    fn go_string(s: &str) -> Payload {
        Payload {
            metadata: HashMap::from([(ENCODING_KEY.to_string(), JSON_PLAIN.as_bytes().to_vec())]),
            data: serde_json::to_vec(s).unwrap(),
            ..Default::default()
        }
    }

    /// What `record` sends: the SDK's default converter writing
    /// [`Details`], as the activity worker's converter does.
    fn recorded(progress: &Progress) -> Vec<Payload> {
        use temporalio_common::data_converters::{
            PayloadConverter, SerializationContextData, WorkflowSerializationContext,
        };
        let data = SerializationContextData::Workflow(WorkflowSerializationContext::new());
        let converter = PayloadConverter::default();
        converter
            .to_payloads(
                &SerializationContext::new(&data, &converter),
                &Details(progress.values()),
            )
            .unwrap()
    }

    #[test]
    fn details_are_one_go_string_per_value() {
        let uws = Progress {
            workflow_id: "wf".into(),
            run_id: Some("run".into()),
            update_id: Some("upd".into()),
        };
        assert_eq!(
            recorded(&uws),
            [go_string("wf"), go_string("run"), go_string("upd")]
        );
        assert_eq!(
            recorded(&Progress::update("upd".into())),
            [go_string("upd")]
        );
        assert!(recorded(&Progress::default()).is_empty());
    }

    #[test]
    fn values_are_in_gos_order() {
        let uws = Progress {
            workflow_id: "wf".into(),
            run_id: Some("run".into()),
            update_id: Some("upd".into()),
        };
        assert_eq!(uws.values(), ["wf", "run", "upd"]);
        assert_eq!(Progress::update("upd".into()).values(), ["upd"]);
        assert_eq!(
            Progress::run("wf".into(), Some("run".into())).values(),
            ["wf", "run"]
        );
        assert_eq!(Progress::run("wf".into(), None).values(), ["wf"]);
        assert!(Progress::default().values().is_empty());
    }

    #[test]
    fn gos_details_are_read() {
        let details = [go_string("wf"), go_string("run"), go_string("upd")];
        assert_eq!(
            strings(&details).unwrap(),
            ["wf", "run", "upd"],
            "Go's `RecordHeartbeat(ctx, run.ID(), run.RunID(), handle.UpdateID())`"
        );
        assert_eq!(
            Progress::previous_update_with_start(&details),
            Some(Progress {
                workflow_id: "wf".into(),
                run_id: Some("run".into()),
                update_id: Some("upd".into()),
            })
        );
        assert_eq!(Progress::previous_run(&details), None);
        assert_eq!(
            Progress::previous_update(&[go_string("upd")]).as_deref(),
            Some("upd"),
            "Go's `RecordHeartbeat(ctx, handle.UpdateID())`"
        );
        assert_eq!(
            Progress::previous_run(&[go_string("wf")]),
            Some(Progress::run("wf".into(), None)),
            "Go's start records `run.ID()` alone"
        );
        assert_eq!(
            Progress::previous_run(&[go_string("wf"), go_string("run")]),
            Some(Progress::run("wf".into(), Some("run".into())))
        );
        let mut binary = go_string("x");
        binary
            .metadata
            .insert(ENCODING_KEY.to_string(), b"binary/plain".to_vec());
        assert_eq!(strings(&[binary]), None);
    }
}
