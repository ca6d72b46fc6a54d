//! Protobuf's well-known types as Temporal payloads.
//!
//! prost maps `google.protobuf.StringValue` to `String`,
//! `google.protobuf.Timestamp` to `prost_types::Timestamp`, and so on. Those
//! types are foreign to generated code, so it cannot give them payload
//! impls, and `String` already has the SDK's serde impls (`json/plain`),
//! which Go and Python read differently. [`WellKnown`] is the wire type
//! definitions use instead: it writes the Go and Python form
//! (`json/protobuf`, `messageType = google.protobuf.StringValue`, protojson
//! data such as `"text"`), while signatures show the prost type.

use std::sync::OnceLock;

use prost::Message as _;
use prost_reflect::DescriptorPool;
use prost_types::Any;
use temporalio_common::data_converters::{
    PayloadConversionError, SerializationContext, TemporalDeserializable, TemporalSerializable,
};
use temporalio_common::protos::temporal::api::common::v1::Payload;

use super::{Descriptors, PayloadError, PayloadValue, decode_as, encode_as};
use crate::xns::any::{AnyError, pack_as, unpack_as};
use crate::xns::codec::AnyValue;

/// A prost type that stands for one of protobuf's well-known messages.
pub trait WellKnownType: prost::Message + Default + Send + 'static {
    /// Full protobuf name, e.g. `google.protobuf.StringValue`.
    const FULL_NAME: &'static str;
}

macro_rules! well_known_types {
    ($($ty:ty = $name:literal;)+) => {
        $(impl WellKnownType for $ty {
            const FULL_NAME: &'static str = concat!("google.protobuf.", $name);
        })+
    };
}

well_known_types! {
    f64 = "DoubleValue";
    f32 = "FloatValue";
    i64 = "Int64Value";
    u64 = "UInt64Value";
    i32 = "Int32Value";
    u32 = "UInt32Value";
    bool = "BoolValue";
    String = "StringValue";
    Vec<u8> = "BytesValue";
    prost_types::Any = "Any";
    prost_types::Duration = "Duration";
    prost_types::Timestamp = "Timestamp";
    prost_types::Struct = "Struct";
    prost_types::Value = "Value";
    prost_types::ListValue = "ListValue";
    prost_types::FieldMask = "FieldMask";
}

/// A well-known type in a payload slot. Generated definitions name it
/// (`type Input = WellKnown<String>`); calls and worker contracts take and
/// return the inner prost value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WellKnown<T>(pub T);

/// The descriptors of the well-known types' files, from prost-reflect.
fn descriptors() -> &'static Descriptors {
    static DESCRIPTORS: OnceLock<Descriptors> = OnceLock::new();
    DESCRIPTORS.get_or_init(|| {
        let set = prost_types::FileDescriptorSet {
            file: DescriptorPool::global()
                .file_descriptor_protos()
                .cloned()
                .collect(),
        };
        Descriptors::new(Vec::leak(set.encode_to_vec()))
    })
}

impl<T: WellKnownType> WellKnown<T> {
    /// Writes the value as a `json/protobuf` payload with `messageType`.
    pub fn encode(&self) -> Result<Payload, PayloadError> {
        encode_as(T::FULL_NAME, descriptors(), &self.0)
    }

    /// Reads a value from a `json/protobuf` or `binary/protobuf` payload.
    pub fn decode(payload: Payload) -> Result<Self, PayloadError> {
        decode_as(T::FULL_NAME, descriptors(), payload).map(WellKnown)
    }
}

impl<T: WellKnownType> TemporalSerializable for WellKnown<T> {
    fn to_payload(&self, _: &SerializationContext<'_>) -> Result<Payload, PayloadConversionError> {
        Ok(self.encode()?)
    }
}

impl<T: WellKnownType> TemporalDeserializable for WellKnown<T> {
    fn from_payload(
        _: &SerializationContext<'_>,
        payload: Payload,
    ) -> Result<Self, PayloadConversionError> {
        Ok(Self::decode(payload)?)
    }
}

impl<T: WellKnownType> PayloadValue for WellKnown<T> {
    type Value = T;
    fn into_value(self) -> T {
        self.0
    }
    fn from_value(value: T) -> Self {
        WellKnown(value)
    }
}

impl<T: WellKnownType> AnyValue for WellKnown<T> {
    fn pack_any(&self) -> Option<Any> {
        Some(pack_as(T::FULL_NAME, &self.0))
    }
    fn unpack_any(any: Option<&Any>) -> Result<Self, AnyError> {
        unpack_as(T::FULL_NAME, any).map(WellKnown)
    }
    fn any_descriptors() -> Option<&'static Descriptors> {
        Some(descriptors())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;
    use crate::payload::{BINARY_PROTOBUF, ENCODING_KEY, JSON_PROTOBUF, MESSAGE_TYPE_KEY};

    use temporalio_common::data_converters::{
        PayloadConverter, SerializationContextData, WorkflowSerializationContext,
    };

    /// Runs `f` with a workflow serialization context (which the impls
    /// ignore).
    fn in_context<R>(f: impl FnOnce(&SerializationContext<'_>) -> R) -> R {
        let data = SerializationContextData::Workflow(WorkflowSerializationContext::new());
        let converter = PayloadConverter::default();
        f(&SerializationContext::new(&data, &converter))
    }

    fn to_payload<T: WellKnownType + Clone>(value: &T) -> Payload {
        in_context(|cx| WellKnown(value.clone()).to_payload(cx)).unwrap()
    }

    fn from_payload<T: WellKnownType>(payload: Payload) -> Result<T, PayloadConversionError> {
        in_context(|cx| WellKnown::<T>::from_payload(cx, payload)).map(|w| w.0)
    }

    fn round_trip<T: WellKnownType + Clone + PartialEq + std::fmt::Debug>(value: T, json: &str) {
        let payload = to_payload(&value);
        assert_eq!(payload.metadata[ENCODING_KEY], JSON_PROTOBUF.as_bytes());
        assert_eq!(payload.metadata[MESSAGE_TYPE_KEY], T::FULL_NAME.as_bytes());
        assert_eq!(
            String::from_utf8_lossy(&payload.data),
            json,
            "{}",
            T::FULL_NAME
        );
        assert_eq!(from_payload::<T>(payload).unwrap(), value);
    }

    /// The protojson forms Go's `protojson.Marshal` writes for these values.
    #[test]
    fn payloads_are_protojson_as_go_writes_them() {
        round_trip("text".to_string(), r#""text""#);
        round_trip(String::new(), r#""""#);
        round_trip(-7i32, "-7");
        round_trip(9_007_199_254_740_993i64, r#""9007199254740993""#);
        round_trip(u64::MAX, r#""18446744073709551615""#);
        round_trip(7u32, "7");
        round_trip(true, "true");
        round_trip(1.5f64, "1.5");
        round_trip(0.25f32, "0.25");
        round_trip(vec![0u8, 255], r#""AP8=""#);
        round_trip(
            prost_types::Timestamp {
                seconds: 1_700_000_000,
                nanos: 5_000_000,
            },
            r#""2023-11-14T22:13:20.005Z""#,
        );
        round_trip(
            prost_types::Duration {
                seconds: 90,
                nanos: 0,
            },
            r#""90s""#,
        );
        round_trip(
            prost_types::FieldMask {
                paths: vec!["a.b_c".into()],
            },
            r#""a.bC""#,
        );
        let value = prost_types::Value {
            kind: Some(prost_types::value::Kind::StringValue("x".into())),
        };
        round_trip(
            prost_types::Struct {
                fields: [("k".to_string(), value.clone())].into(),
            },
            r#"{"k":"x"}"#,
        );
        round_trip(value.clone(), r#""x""#);
        round_trip(
            prost_types::ListValue {
                values: vec![value],
            },
            r#"["x"]"#,
        );
    }

    #[test]
    fn binary_payloads_are_read() {
        let payload = Payload {
            metadata: HashMap::from([(
                ENCODING_KEY.to_string(),
                BINARY_PROTOBUF.as_bytes().to_vec(),
            )]),
            data: "bin".to_string().encode_to_vec(),
            ..Default::default()
        };
        assert_eq!(from_payload::<String>(payload).unwrap(), "bin");
    }

    #[test]
    fn errors_name_the_well_known_type() {
        let payload = Payload {
            metadata: HashMap::from([(
                ENCODING_KEY.to_string(),
                JSON_PROTOBUF.as_bytes().to_vec(),
            )]),
            data: b"{}".to_vec(),
            ..Default::default()
        };
        let err = from_payload::<prost_types::Timestamp>(payload)
            .unwrap_err()
            .to_string();
        assert!(err.contains("google.protobuf.Timestamp"), "{err}");
    }

    #[test]
    fn any_fields_carry_the_well_known_type_url() {
        let any = WellKnown("x".to_string()).pack_any().unwrap();
        assert_eq!(
            any.type_url,
            "type.googleapis.com/google.protobuf.StringValue"
        );
        let back = WellKnown::<String>::unpack_any(Some(&any)).unwrap();
        assert_eq!(back.0, "x");
        assert!(WellKnown::<i32>::unpack_any(Some(&any)).is_err());
    }
}
