use prost_types::Duration;
use serde_json::Value;

use temporalio_common::data_converters::{
    PayloadConverter, SerializationContextData, WorkflowSerializationContext,
};

use super::*;
use crate::payload::MESSAGE_TYPE_KEY;
use crate::xns::wire::{
    RetryPolicy, SignalRequest, UpdateRequest, UpdateWorkflowWithOptionsRequest, WorkflowRequest,
};

fn request() -> Request<WorkflowRequest, SignalRequest, RetryPolicy> {
    let input = SignalRequest {
        workflow_id: "wf-1".into(),
        run_id: "run-1".into(),
        ..Default::default()
    };
    let signal = RetryPolicy {
        max_attempts: 3,
        ..Default::default()
    };
    Request::new(WorkflowRequest {
        heartbeat_interval: Some(Duration {
            seconds: 10,
            nanos: 0,
        }),
        request: input.pack_any(),
        signal: signal.pack_any(),
        detached: true,
        parent_close_policy: wire::ParentClosePolicy::RequestCancel as i32,
        ..Default::default()
    })
}

#[test]
fn json_inlines_the_packed_messages_like_protojson() {
    let payload = request().encode().unwrap();
    assert_eq!(payload.metadata[ENCODING_KEY], JSON_PROTOBUF.as_bytes());
    assert_eq!(
        payload.metadata[MESSAGE_TYPE_KEY],
        b"temporal.xns.v1.WorkflowRequest"
    );
    let json: Value = serde_json::from_slice(&payload.data).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "heartbeatInterval": "10s",
            "request": {
                "@type": "type.googleapis.com/temporal.xns.v1.SignalRequest",
                "runId": "run-1",
                "workflowId": "wf-1",
            },
            "detached": true,
            "signal": {
                "@type": "type.googleapis.com/temporal.xns.v1.RetryPolicy",
                "maxAttempts": 3,
            },
            "parentClosePolicy": "PARENT_CLOSE_POLICY_REQUEST_CANCEL",
        })
    );
}

#[test]
fn json_and_binary_decode_to_the_same_request() {
    let original = request();
    let json = original.encode().unwrap();
    let decoded = Request::<WorkflowRequest, SignalRequest, RetryPolicy>::decode(&json).unwrap();
    assert_eq!(decoded.message, original.message);

    let binary = Payload {
        metadata: HashMap::from([(
            ENCODING_KEY.to_string(),
            BINARY_PROTOBUF.as_bytes().to_vec(),
        )]),
        data: original.message.encode_to_vec(),
        ..Default::default()
    };
    let decoded = Request::<WorkflowRequest, SignalRequest, RetryPolicy>::decode(&binary).unwrap();
    assert_eq!(decoded.message, original.message);
    assert_eq!(
        SignalRequest::unpack_any(decoded.message.request.as_ref())
            .unwrap()
            .workflow_id,
        "wf-1"
    );
}

#[test]
fn empty_inputs_leave_the_any_unset() {
    assert_eq!(Empty.pack_any(), None);
    assert!(Empty::unpack_any(None).is_ok());
    let r = Request::<WorkflowRequest, Empty>::new(WorkflowRequest::default());
    let json: Value = serde_json::from_slice(&r.encode().unwrap().data).unwrap();
    assert_eq!(json, serde_json::json!({}));
}

#[test]
fn unknown_encodings_are_errors_naming_the_message() {
    let p = Payload {
        metadata: HashMap::from([(ENCODING_KEY.to_string(), b"json/plain".to_vec())]),
        data: b"{}".to_vec(),
        ..Default::default()
    };
    let err = Request::<WorkflowRequest, Empty>::decode(&p).unwrap_err();
    assert!(
        err.to_string().contains("temporal.xns.v1.WorkflowRequest"),
        "{err}"
    );
    assert!(err.to_string().contains("json/plain"), "{err}");
}

#[test]
fn json_requests_are_read_like_gos_default_converter() {
    // Unknown fields and unknown enum names are errors, as for user
    // payloads (see `payload::JSON_OPTIONS`), also inside an Any; enum
    // numbers are accepted.
    type Update = Request<UpdateRequest, UpdateWorkflowWithOptionsRequest>;
    let decode = |json: &str| {
        let p = Payload {
            metadata: HashMap::from([(
                ENCODING_KEY.to_string(),
                JSON_PROTOBUF.as_bytes().to_vec(),
            )]),
            data: json.as_bytes().to_vec(),
            ..Default::default()
        };
        Update::decode(&p).map_err(|e| e.to_string())
    };
    let any = r#""@type":"type.googleapis.com/temporal.xns.v1.UpdateWorkflowWithOptionsRequest""#;
    let cases = [
        (
            r#"{"updateWorkflowOptions":{"waitForStage":"WAIT_POLICY_SOON"}}"#.to_string(),
            "invalid value for enum field `updateWorkflowOptions.waitForStage` \
             (temporal.xns.v1.WaitPolicy): \"WAIT_POLICY_SOON\"",
        ),
        (
            format!(r#"{{"request":{{{any},"waitForStage":"SOON"}}}}"#),
            "invalid value for enum field `request.waitForStage` \
             (temporal.xns.v1.WaitPolicy): \"SOON\"",
        ),
        (
            format!(r#"{{"request":{{{any},"future":1}}}}"#),
            "unrecognized field name 'future'",
        ),
    ];
    for (json, want) in cases {
        let err = decode(&json).unwrap_err();
        assert!(
            err.starts_with(
                "XNS request temporal.xns.v1.UpdateRequest: cannot decode from json/protobuf: "
            ) && err.contains(want),
            "{json}: {err}"
        );
    }
    let ok = decode(&format!(r#"{{"request":{{{any},"waitForStage":3}}}}"#)).unwrap();
    let inner = UpdateWorkflowWithOptionsRequest::unpack_any(ok.message.request.as_ref()).unwrap();
    assert_eq!(inner.wait_for_stage, 3);
}

#[test]
fn replies_write_null_for_nothing_and_read_it_back() {
    let ctx_data = SerializationContextData::Workflow(WorkflowSerializationContext::new());
    let converter = PayloadConverter::default();
    let ctx = SerializationContext::new(&ctx_data, &converter);
    let none: Reply<SignalRequest> = Reply(None);
    let p = none.to_payload(&ctx).unwrap();
    assert_eq!(p.metadata[ENCODING_KEY], BINARY_NULL.as_bytes());
    assert!(
        Reply::<SignalRequest>::from_payload(&ctx, p)
            .unwrap()
            .0
            .is_none()
    );

    let some = Reply(Some(SignalRequest {
        workflow_id: "x".into(),
        ..Default::default()
    }));
    let p = some.to_payload(&ctx).unwrap();
    let back = Reply::<SignalRequest>::from_payload(&ctx, p).unwrap();
    assert_eq!(back.0.unwrap().workflow_id, "x");

    let empty = Reply::<Empty>::from_payloads(&ctx, Vec::new()).unwrap();
    assert!(empty.0.is_some());
}

#[test]
fn cancel_requests_are_two_string_arguments() {
    let ctx_data = SerializationContextData::Workflow(WorkflowSerializationContext::new());
    let converter = PayloadConverter::default();
    let ctx = SerializationContext::new(&ctx_data, &converter);
    let r = CancelRequest {
        workflow_id: "wf".into(),
        run_id: "run".into(),
    };
    let payloads = r.to_payloads(&ctx).unwrap();
    assert_eq!(payloads.len(), 2);
    assert_eq!(payloads[0].data, b"\"wf\"");
    assert_eq!(CancelRequest::from_payloads(&ctx, payloads).unwrap(), r);
}
