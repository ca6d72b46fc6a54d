//! Payloads of generated message types: `json/protobuf` with `messageType`
//! out (protojson as Go and Python write it), `json/protobuf` and
//! `binary/protobuf` in, Empty as no payload, and clear decode errors.

use std::collections::HashMap;

use e2e::generated::kitchen::common::v1::Money;
use e2e::generated::kitchen::v1::{Kind, PlaceRequest};
use prost::Message;
use temporalio_common::data_converters::{
    GenericPayloadConverter, PayloadConverter, SerializationContext, SerializationContextData,
};
use temporalio_common::protos::temporal::api::common::v1::Payload;
use xns_runtime::payload::Empty;

fn converter() -> PayloadConverter {
    PayloadConverter::default()
}

fn to_payload<T: temporalio_common::data_converters::TemporalSerializable + 'static>(
    value: &T,
) -> Payload {
    let c = converter();
    c.to_payload(
        &SerializationContext::new(&SerializationContextData::None, &c),
        value,
    )
    .unwrap()
}

fn from_payload<T: temporalio_common::data_converters::TemporalDeserializable + 'static>(
    payload: Payload,
) -> Result<T, String> {
    let c = converter();
    c.from_payload(
        &SerializationContext::new(&SerializationContextData::None, &c),
        payload,
    )
    .map_err(|e| {
        format!(
            "{e}: {:?}",
            std::error::Error::source(&e).map(ToString::to_string)
        )
    })
}

fn sample() -> PlaceRequest {
    PlaceRequest {
        customer: "Ada Lovelace".into(),
        kind: Kind::Wholesale as i32,
        total: Some(Money {
            currency: "EUR".into(),
            amount_minor: 9_007_199_254_740_993,
        }),
        note: Some(String::new()),
        items: vec!["a".into(), "b".into()],
        quantity: 0,
        tags: HashMap::from([("rush".to_string(), 1)]),
    }
}

fn payload(encoding: &str, data: Vec<u8>) -> Payload {
    Payload {
        metadata: HashMap::from([("encoding".to_string(), encoding.as_bytes().to_vec())]),
        data,
        ..Default::default()
    }
}

#[test]
fn messages_are_written_as_protojson_with_message_type() {
    let p = to_payload(&sample());
    assert_eq!(p.metadata["encoding"], b"json/protobuf");
    assert_eq!(p.metadata["messageType"], b"kitchen.v1.PlaceRequest");
    let json: serde_json::Value = serde_json::from_slice(&p.data).unwrap();
    // lowerCamel names, int64 as a string, enums by name, defaults omitted,
    // a set optional field kept even when empty, a map as an object.
    assert_eq!(
        json,
        serde_json::json!({
            "customer": "Ada Lovelace",
            "kind": "KIND_WHOLESALE",
            "total": { "currency": "EUR", "amountMinor": "9007199254740993" },
            "note": "",
            "items": ["a", "b"],
            "tags": { "rush": 1 },
        })
    );
}

#[test]
fn both_protobuf_encodings_are_read() {
    let from_json: PlaceRequest = from_payload(to_payload(&sample())).unwrap();
    assert_eq!(from_json, sample());
    let from_binary: PlaceRequest =
        from_payload(payload("binary/protobuf", sample().encode_to_vec())).unwrap();
    assert_eq!(from_binary, sample());
    // Go and Python also accept proto field names, numbers for enums and
    // int64 as numbers.
    let loose = br#"{"customer":"x","kind":1,"total":{"amount_minor":5},"quantity":7,
        "tags":{"a":2}}"#;
    let decoded: PlaceRequest = from_payload(payload("json/protobuf", loose.to_vec())).unwrap();
    assert_eq!(decoded.kind, Kind::Retail as i32);
    assert_eq!(decoded.total.unwrap().amount_minor, 5);
    assert_eq!(decoded.quantity, 7);
    assert_eq!(decoded.tags["a"], 2, "a map reads from a JSON object");
}

#[test]
fn unknown_fields_and_enum_names_are_rejected_like_go() {
    // As Go's and Python's default converters do (protojson without
    // DiscardUnknown / json_format without ignore_unknown_fields): an
    // unknown enum name is not read as the zero value.
    let err = from_payload::<PlaceRequest>(payload(
        "json/protobuf",
        br#"{"customer":"x","futureField":true}"#.to_vec(),
    ))
    .unwrap_err();
    assert!(
        err.contains("cannot decode kitchen.v1.PlaceRequest from json/protobuf")
            && err.contains("futureField"),
        "{err}"
    );
    let err = from_payload::<PlaceRequest>(payload(
        "json/protobuf",
        br#"{"kind":"KIND_NOPE"}"#.to_vec(),
    ))
    .unwrap_err();
    assert!(
        err.contains("cannot decode kitchen.v1.PlaceRequest from json/protobuf")
            && err
                .contains(r#"invalid value for enum field `kind` (kitchen.v1.Kind): "KIND_NOPE""#),
        "{err}"
    );
}

#[test]
fn undecodable_payloads_name_the_message_type() {
    let err = from_payload::<PlaceRequest>(payload("json/plain", b"{}".to_vec())).unwrap_err();
    assert!(
        err.contains("kitchen.v1.PlaceRequest") && err.contains("json/plain"),
        "{err}"
    );
    let err =
        from_payload::<PlaceRequest>(payload("json/protobuf", b"{not json".to_vec())).unwrap_err();
    assert!(
        err.contains("cannot decode kitchen.v1.PlaceRequest from json/protobuf"),
        "{err}"
    );
    let err =
        from_payload::<PlaceRequest>(payload("binary/protobuf", vec![0xff, 0xff])).unwrap_err();
    assert!(err.contains("kitchen.v1.PlaceRequest"), "{err}");
}

#[test]
fn empty_is_no_payload_and_decodes_from_anything() {
    let c = converter();
    let ctx = SerializationContext::new(&SerializationContextData::None, &c);
    assert!(c.to_payloads(&ctx, &Empty).unwrap().is_empty());
    assert!(c.to_payloads(&ctx, &()).unwrap().is_empty());
    // No payload, the empty payload the SDK hands over for a workflow that
    // returned nothing, a Go `*emptypb.Empty`, and binary/null all decode.
    let _: Empty = c.from_payloads(&ctx, vec![]).unwrap();
    let _: Empty = from_payload(Payload::default()).unwrap();
    let _: Empty = from_payload(payload("json/protobuf", b"{}".to_vec())).unwrap();
    let _: Empty = from_payload(payload("binary/null", vec![])).unwrap();
}
