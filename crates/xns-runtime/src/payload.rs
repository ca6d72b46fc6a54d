//! Protobuf payloads compatible with the Go and Python SDKs.
//!
//! Messages are written as `json/protobuf` (protojson: lowerCamel names,
//! 64-bit integers as strings, enums by name, default values omitted) with
//! the `messageType` metadata, as Go's and Python's default converters do,
//! and read from `json/protobuf` or `binary/protobuf`. The JSON form goes
//! through prost-reflect with the message's descriptors, which generated
//! code embeds (see [`Descriptors`]), so the prost types need no serde.

mod declare;
mod well_known;

pub use well_known::{WellKnown, WellKnownType};

use std::collections::HashMap;
use std::fmt;
use std::sync::OnceLock;

use prost::Message as _;
use prost_reflect::{
    DescriptorPool, DeserializeOptions, DynamicMessage, Kind, MessageDescriptor, SerializeOptions,
};
use temporalio_common::data_converters::{
    PayloadConversionError, SerializationContext, TemporalDeserializable, TemporalSerializable,
};
use temporalio_common::protos::temporal::api::common::v1::Payload;

/// Payload metadata key of the encoding.
pub const ENCODING_KEY: &str = "encoding";
/// Payload metadata key of the protobuf message type (Go/Python convention).
pub const MESSAGE_TYPE_KEY: &str = "messageType";
/// Encoding of protojson payloads.
pub const JSON_PROTOBUF: &str = "json/protobuf";
/// Encoding of binary protobuf payloads.
pub const BINARY_PROTOBUF: &str = "binary/protobuf";
/// Encoding of a null payload.
pub const BINARY_NULL: &str = "binary/null";

/// Encoded `FileDescriptorSet` embedded by generated code, decoded into a
/// descriptor pool the first time a payload needs it.
pub struct Descriptors {
    bytes: &'static [u8],
    pool: OnceLock<Result<DescriptorPool, String>>,
}

impl Descriptors {
    /// Wraps an encoded `FileDescriptorSet`.
    pub const fn new(bytes: &'static [u8]) -> Self {
        Self {
            bytes,
            pool: OnceLock::new(),
        }
    }

    /// The descriptor of `full_name`.
    pub fn message(&self, full_name: &str) -> Result<MessageDescriptor, PayloadError> {
        let pool = self
            .pool
            .get_or_init(|| DescriptorPool::decode(self.bytes).map_err(|e| e.to_string()));
        match pool {
            Ok(pool) => pool
                .get_message_by_name(full_name)
                .ok_or_else(|| PayloadError {
                    message_type: full_name.to_string(),
                    kind: PayloadErrorKind::Descriptor(
                        "message not in the embedded descriptors".into(),
                    ),
                }),
            Err(e) => Err(PayloadError {
                message_type: full_name.to_string(),
                kind: PayloadErrorKind::Descriptor(e.clone()),
            }),
        }
    }
}

impl Descriptors {
    /// Adds these descriptors' files to `pool` (files it already has are
    /// skipped).
    pub(crate) fn add_to(&self, pool: &mut DescriptorPool) -> Result<(), String> {
        let set = prost_types::FileDescriptorSet::decode(self.bytes).map_err(|e| e.to_string())?;
        pool.add_file_descriptor_set(set).map_err(|e| e.to_string())
    }
}

impl fmt::Debug for Descriptors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Descriptors")
            .field("len", &self.bytes.len())
            .finish_non_exhaustive()
    }
}

/// Where the embedded descriptors of a set of messages live: one type per
/// generated file, which each of its messages names in
/// [`ProtoMessage::Source`], so that a message costs no function of its own.
pub trait DescriptorSource: 'static {
    /// The descriptors.
    fn descriptors() -> &'static Descriptors;
}

/// A prost message that generated code made Temporal-serializable.
pub trait ProtoMessage: prost::Message + Default + Sized + 'static {
    /// Full protobuf name, e.g. `example.v1.CreateFooRequest`.
    const FULL_NAME: &'static str;
    /// The type that holds the descriptors of this message's file, shared
    /// by every message of that file.
    type Source: DescriptorSource;

    /// The descriptors that describe this message.
    fn descriptors() -> &'static Descriptors {
        Self::Source::descriptors()
    }
}

/// Why a payload could not be encoded or decoded.
#[derive(Debug)]
pub struct PayloadError {
    message_type: String,
    kind: PayloadErrorKind,
}

#[derive(Debug)]
enum PayloadErrorKind {
    Descriptor(String),
    UnsupportedEncoding(String),
    Encode(String),
    Json(String),
    Binary(prost::DecodeError),
    Missing,
}

impl PayloadError {
    /// The protobuf message type involved.
    pub fn message_type(&self) -> &str {
        &self.message_type
    }
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = &self.message_type;
        match &self.kind {
            PayloadErrorKind::Descriptor(e) => write!(f, "no descriptor for {t}: {e}"),
            PayloadErrorKind::UnsupportedEncoding(enc) => write!(
                f,
                "cannot decode {t} from a payload encoded as `{enc}` (expected `{JSON_PROTOBUF}` or `{BINARY_PROTOBUF}`)"
            ),
            PayloadErrorKind::Encode(e) => write!(f, "cannot encode {t} as {JSON_PROTOBUF}: {e}"),
            PayloadErrorKind::Json(e) => write!(f, "cannot decode {t} from {JSON_PROTOBUF}: {e}"),
            // The decode error is the source.
            PayloadErrorKind::Binary(_) => write!(f, "cannot decode {t} from {BINARY_PROTOBUF}"),
            PayloadErrorKind::Missing => write!(f, "missing payload for {t}"),
        }
    }
}

impl std::error::Error for PayloadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            PayloadErrorKind::Binary(e) => Some(e),
            _ => None,
        }
    }
}

impl From<PayloadError> for PayloadConversionError {
    fn from(e: PayloadError) -> Self {
        PayloadConversionError::EncodingError(Box::new(e))
    }
}

/// The protojson payload (`json/protobuf`, `messageType = full_name`) of
/// a message given by its binary encoding and descriptor.
pub(crate) fn json_payload(
    descriptor: MessageDescriptor,
    binary: &[u8],
) -> Result<Payload, String> {
    let full_name = descriptor.full_name().to_string();
    let dynamic = DynamicMessage::decode(descriptor, binary).map_err(|e| brief(e.to_string()))?;
    let mut data = Vec::new();
    let mut serializer = serde_json::Serializer::new(&mut data);
    dynamic
        .serialize_with_options(&mut serializer, &SerializeOptions::new())
        .map_err(|e| e.to_string())?;
    Ok(Payload {
        metadata: HashMap::from([
            (ENCODING_KEY.to_string(), JSON_PROTOBUF.as_bytes().to_vec()),
            (MESSAGE_TYPE_KEY.to_string(), full_name.into_bytes()),
        ]),
        data,
        ..Default::default()
    })
}

/// How protojson input is read: like Go's `protojson.Unmarshal` with the
/// options of the Go SDK's default `ProtoJSONPayloadConverter`
/// (go.temporal.io/sdk v1.44.0 `converter.NewProtoJSONPayloadConverter`:
/// `protojson.UnmarshalOptions{}`, `DiscardUnknown: false`) and Python's
/// (`JSONProtoPayloadConverter(ignore_unknown_fields=False)`).
///
/// Go's `DiscardUnknown` governs both unknown field names and unknown enum
/// value names (google.golang.org/protobuf v1.36.11
/// `encoding/protojson/decode.go`, `unmarshalEnum`: an unknown name is an
/// error unless `discardUnknown`, which leaves the field unset), and Python's
/// `ignore_unknown_fields` does the same. Go's default converter sets neither,
/// so it rejects an unknown field (`unknown field "futureField"`) and an
/// unknown enum name (`invalid value for enum field status: "X"`), and
/// accepts an enum number, known or not. prost-reflect's
/// `deny_unknown_fields` is the same single switch, left at its default
/// (`true`), so we agree with Go on all three. (Turning it off would read an
/// unknown enum name as the enum's zero value: silently a different value.)
const JSON_OPTIONS: DeserializeOptions = DeserializeOptions::new();

/// The message protojson `data` describes, read with `descriptor`, which
/// describes `M`.
///
/// prost types have no serde, so the JSON is read into a [`DynamicMessage`]
/// and reaches `M` through its binary encoding. prost decodes that with its
/// recursion limit (100 nested messages), lower than serde_json's (128), so
/// JSON nested between the two fails there: still an error in reading this
/// JSON, not a `binary/protobuf` payload. (Go's limit is 10,000 levels;
/// Python's `json_format` allows 100, like us.)
pub(crate) fn from_json<M: prost::Message + Default>(
    descriptor: MessageDescriptor,
    data: &[u8],
) -> Result<M, String> {
    let mut de = serde_json::Deserializer::from_slice(data);
    let dynamic =
        DynamicMessage::deserialize_with_options(descriptor.clone(), &mut de, &JSON_OPTIONS)
            .and_then(|m| de.end().map(|()| m))
            .map_err(|e| json_error(&descriptor, data, &e))?;
    dynamic
        .transcode_to::<M>()
        .map_err(|e| brief(e.to_string()))
}

/// prost's limit on nested messages when decoding (`prost::RECURSION_LIMIT`,
/// which is private).
const PROST_RECURSION_LIMIT: u32 = 100;

/// A prost decode error's text, with the recursion-limit error (which names
/// every one of the hundred levels) said briefly.
fn brief(error: String) -> String {
    if error.contains("recursion limit reached") {
        format!("messages nested more than {PROST_RECURSION_LIMIT} deep (prost's recursion limit)")
    } else {
        error
    }
}

/// The message of a protojson deserialization `error`, naming the field
/// when the error is an unknown enum value name (prost-reflect's message has
/// only the name and the position).
fn json_error(descriptor: &MessageDescriptor, data: &[u8], error: &serde_json::Error) -> String {
    let message = error.to_string();
    if message.contains("recursion limit reached") {
        // From prost-reflect reading a well-known type (a deep Struct).
        return format!(
            "{} at line {} column {}",
            brief(message),
            error.line(),
            error.column()
        );
    }
    if !message.starts_with("unrecognized enum value ") {
        return message;
    }
    let Ok(json) = serde_json::from_slice::<serde_json::Value>(data) else {
        return message;
    };
    // The enum value name prost-reflect reports, quoted.
    let reported = |name: &str| message.contains(&format!("'{name}'"));
    match unknown_enum_name(descriptor, &json, "", &reported) {
        Some(found) => format!(
            "invalid value for enum field `{}` ({}): {:?} at line {} column {}",
            found.path,
            found.enum_name,
            found.name,
            error.line(),
            error.column()
        ),
        None => message,
    }
}

/// An enum field of protojson input holding a name its enum lacks.
struct UnknownEnumName {
    /// JSON path of the field: `status`, `parent.statuses[1]`.
    path: String,
    /// Full name of the enum.
    enum_name: String,
    /// The name.
    name: String,
}

/// The first enum field in `json` (protojson of `descriptor`, at `path`)
/// whose value is a name its enum lacks and `wanted` accepts.
fn unknown_enum_name(
    descriptor: &MessageDescriptor,
    json: &serde_json::Value,
    path: &str,
    wanted: &dyn Fn(&str) -> bool,
) -> Option<UnknownEnumName> {
    let fields = json.as_object()?;
    fields.iter().find_map(|(key, value)| {
        let field = descriptor
            .get_field_by_json_name(key)
            .or_else(|| descriptor.get_field_by_name(key))?;
        let path = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        if field.is_map() {
            let Kind::Message(entry) = field.kind() else {
                return None;
            };
            let kind = entry.map_entry_value_field().kind();
            value.as_object()?.iter().find_map(|(k, v)| {
                unknown_enum_name_in(&kind, v, &format!("{path}[{k:?}]"), wanted)
            })
        } else if field.is_list() {
            value.as_array()?.iter().enumerate().find_map(|(i, v)| {
                unknown_enum_name_in(&field.kind(), v, &format!("{path}[{i}]"), wanted)
            })
        } else {
            unknown_enum_name_in(&field.kind(), value, &path, wanted)
        }
    })
}

/// [`unknown_enum_name`] for one value of `kind`.
fn unknown_enum_name_in(
    kind: &Kind,
    json: &serde_json::Value,
    path: &str,
    wanted: &dyn Fn(&str) -> bool,
) -> Option<UnknownEnumName> {
    match (kind, json) {
        (Kind::Enum(e), serde_json::Value::String(name))
            if e.get_value_by_name(name).is_none() && wanted(name) =>
        {
            Some(UnknownEnumName {
                path: path.to_owned(),
                enum_name: e.full_name().to_owned(),
                name: name.clone(),
            })
        }
        // An Any inlines its message's fields next to `@type` (which is no
        // field, so it is skipped); well-known types have other forms.
        (Kind::Message(m), _) if m.full_name() == "google.protobuf.Any" => {
            let type_url = json.get("@type")?.as_str()?;
            let (_, name) = type_url.rsplit_once('/')?;
            let inner = m.parent_pool().get_message_by_name(name)?;
            if inner.full_name().starts_with("google.protobuf.") {
                return None;
            }
            unknown_enum_name(&inner, json, path, wanted)
        }
        (Kind::Message(m), _) if !m.full_name().starts_with("google.protobuf.") => {
            unknown_enum_name(m, json, path, wanted)
        }
        _ => None,
    }
}

/// A payload's `encoding` metadata.
pub(crate) fn encoding_of(payload: &Payload) -> Option<String> {
    payload
        .metadata
        .get(ENCODING_KEY)
        .map(|e| String::from_utf8_lossy(e).into_owned())
}

/// Writes `message` as a `json/protobuf` payload with `messageType`.
pub fn encode<M: ProtoMessage>(message: &M) -> Result<Payload, PayloadError> {
    encode_as(M::FULL_NAME, M::descriptors(), message)
}

/// Reads a message from a `json/protobuf` or `binary/protobuf` payload.
pub fn decode<M: ProtoMessage>(payload: Payload) -> Result<M, PayloadError> {
    decode_as(M::FULL_NAME, M::descriptors(), payload)
}

/// [`encode`] of a message named `full_name` in `descriptors`.
pub(crate) fn encode_as<M: prost::Message>(
    full_name: &str,
    descriptors: &Descriptors,
    message: &M,
) -> Result<Payload, PayloadError> {
    let descriptor = descriptors.message(full_name)?;
    json_payload(descriptor, &message.encode_to_vec()).map_err(|e| PayloadError {
        message_type: full_name.to_string(),
        kind: PayloadErrorKind::Encode(e),
    })
}

/// [`decode`] of a message named `full_name` in `descriptors`.
pub(crate) fn decode_as<M: prost::Message + Default>(
    full_name: &str,
    descriptors: &Descriptors,
    payload: Payload,
) -> Result<M, PayloadError> {
    let err = |kind| PayloadError {
        message_type: full_name.to_string(),
        kind,
    };
    match encoding_of(&payload).as_deref() {
        Some(BINARY_PROTOBUF) => {
            M::decode(payload.data.as_slice()).map_err(|e| err(PayloadErrorKind::Binary(e)))
        }
        Some(JSON_PROTOBUF) => {
            let descriptor = descriptors.message(full_name)?;
            from_json(descriptor, &payload.data).map_err(|e| err(PayloadErrorKind::Json(e)))
        }
        None if payload.data.is_empty() => Err(err(PayloadErrorKind::Missing)),
        other => Err(err(PayloadErrorKind::UnsupportedEncoding(
            other.unwrap_or("none").to_string(),
        ))),
    }
}

/// `google.protobuf.Empty` in a result position: encodes as no payload (like
/// a Go function that returns only an error) and decodes from anything,
/// including the missing or empty payload the SDK hands over for a workflow
/// that returned nothing. Generated signatures show `()` instead.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Empty;

impl TemporalSerializable for Empty {
    fn to_payload(&self, _: &SerializationContext<'_>) -> Result<Payload, PayloadConversionError> {
        Ok(Payload {
            metadata: HashMap::from([(ENCODING_KEY.to_string(), BINARY_NULL.as_bytes().to_vec())]),
            ..Default::default()
        })
    }

    fn to_payloads(
        &self,
        _: &SerializationContext<'_>,
    ) -> Result<Vec<Payload>, PayloadConversionError> {
        Ok(Vec::new())
    }
}

impl TemporalDeserializable for Empty {
    fn from_payload(
        _: &SerializationContext<'_>,
        _: Payload,
    ) -> Result<Self, PayloadConversionError> {
        // Protobuf decoding into Empty ignores content; so do we.
        Ok(Empty)
    }

    fn from_payloads(
        _: &SerializationContext<'_>,
        _: Vec<Payload>,
    ) -> Result<Self, PayloadConversionError> {
        Ok(Empty)
    }
}

/// The value generated signatures show for the wire type `T` (`()` for
/// Empty, `String` for `WellKnown<String>`).
pub type ValueOf<T> = <T as PayloadValue>::Value;

/// A type that crosses the wire in a Temporal payload slot, and the value
/// generated signatures show for it (`()` for `google.protobuf.Empty`).
pub trait PayloadValue: TemporalSerializable + TemporalDeserializable + Send + 'static {
    /// What signatures show.
    type Value: Send + 'static;
    /// Into the signature value.
    fn into_value(self) -> Self::Value;
    /// From the signature value.
    fn from_value(value: Self::Value) -> Self;
}

impl<M> PayloadValue for M
where
    M: ProtoMessage + TemporalSerializable + TemporalDeserializable + Send,
{
    type Value = M;
    fn into_value(self) -> M {
        self
    }
    fn from_value(value: M) -> M {
        value
    }
}

impl PayloadValue for Empty {
    type Value = ();
    fn into_value(self) {}
    fn from_value((): ()) -> Self {
        Empty
    }
}

impl PayloadValue for () {
    type Value = ();
    fn into_value(self) {}
    fn from_value((): ()) {}
}

#[cfg(test)]
mod tests;
