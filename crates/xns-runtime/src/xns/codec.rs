//! How XNS activity inputs and results cross the wire.
//!
//! Inputs are `temporal.xns.v1` messages written as `json/protobuf` with
//! `messageType`, like Go's default converter writes them, and read from
//! `json/protobuf` or `binary/protobuf`. Their `Any` fields carry user
//! messages, whose fields protojson inlines, so the JSON form is built with
//! one descriptor pool holding the XNS files and the user messages' files
//! (merged once per combination and cached).
//!
//! Results are the remote value as its own payload, or `binary/null` when
//! there is none (a detached start), as Go writes a nil pointer.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Mutex, OnceLock};

use prost::Message;
use prost_reflect::DescriptorPool;
use prost_types::Any;
use temporalio_common::data_converters::{
    GenericPayloadConverter, PayloadConversionError, SerializationContext, TemporalDeserializable,
    TemporalSerializable,
};
use temporalio_common::protos::temporal::api::common::v1::Payload;

use super::any::{AnyError, pack, unpack};
use super::wire;
use crate::payload::{
    BINARY_NULL, BINARY_PROTOBUF, Descriptors, ENCODING_KEY, Empty, JSON_PROTOBUF, PayloadValue,
    ProtoMessage, encoding_of, from_json, json_payload,
};

/// `FileDescriptorSet` of `temporal/xns/v1/xns.proto` and its imports
/// (`protoc --include_imports`), checked current by `tests/wire_current.rs`.
static XNS_DESCRIPTOR_SET: &[u8] = include_bytes!("wire/xns.binpb");

/// A value carried in an XNS request's `Any` field: a user message, or
/// nothing for `google.protobuf.Empty` (the field stays unset, as Go leaves
/// it for methods without input).
pub trait AnyValue: PayloadValue {
    /// Packs the value; `None` leaves the field unset.
    fn pack_any(&self) -> Option<Any>;
    /// Unpacks the value from the field.
    fn unpack_any(any: Option<&Any>) -> Result<Self, AnyError>
    where
        Self: Sized;
    /// The descriptors protojson needs to inline the packed message.
    fn any_descriptors() -> Option<&'static Descriptors>;
}

impl<M> AnyValue for M
where
    M: ProtoMessage + PayloadValue,
{
    fn pack_any(&self) -> Option<Any> {
        Some(pack(self))
    }
    fn unpack_any(any: Option<&Any>) -> Result<Self, AnyError> {
        unpack(any)
    }
    fn any_descriptors() -> Option<&'static Descriptors> {
        Some(M::descriptors())
    }
}

impl AnyValue for Empty {
    fn pack_any(&self) -> Option<Any> {
        None
    }
    fn unpack_any(_: Option<&Any>) -> Result<Self, AnyError> {
        Ok(Empty)
    }
    fn any_descriptors() -> Option<&'static Descriptors> {
        None
    }
}

impl AnyValue for () {
    fn pack_any(&self) -> Option<Any> {
        None
    }
    fn unpack_any(_: Option<&Any>) -> Result<Self, AnyError> {
        Ok(())
    }
    fn any_descriptors() -> Option<&'static Descriptors> {
        None
    }
}

/// A `temporal.xns.v1` request message.
pub trait WireMessage: Message + Default + Send + 'static {
    /// Full protobuf name.
    const FULL_NAME: &'static str;
}

macro_rules! wire_messages {
    ($($ty:ident),* $(,)?) => {
        $(impl WireMessage for wire::$ty {
            const FULL_NAME: &'static str = concat!("temporal.xns.v1.", stringify!($ty));
        })*
    };
}

wire_messages!(
    WorkflowRequest,
    GetWorkflowRequest,
    QueryRequest,
    SignalRequest,
    UpdateRequest,
    UpdateWithStartRequest,
);

/// An XNS activity input: the wire message `R`, whose `Any` fields carry
/// an `A` and (for with-start requests) a `B`.
pub struct Request<R, A, B = Empty> {
    /// The wire message.
    pub message: R,
    _any: PhantomData<fn() -> (A, B)>,
}

impl<R: std::fmt::Debug, A, B> std::fmt::Debug for Request<R, A, B> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.message.fmt(f)
    }
}

impl<R, A, B> Request<R, A, B> {
    /// Wraps a wire message.
    pub fn new(message: R) -> Self {
        Self {
            message,
            _any: PhantomData,
        }
    }
}

/// Why an XNS request payload could not be encoded or decoded.
#[derive(Debug, thiserror::Error)]
#[error("XNS request {message_type}: {reason}")]
pub struct RequestCodecError {
    message_type: &'static str,
    reason: String,
}

impl From<RequestCodecError> for PayloadConversionError {
    fn from(e: RequestCodecError) -> Self {
        PayloadConversionError::EncodingError(Box::new(e))
    }
}

/// The descriptor pool of the XNS files merged with the given user files,
/// built once per combination.
fn merged_pool(users: [Option<&'static Descriptors>; 2]) -> Result<DescriptorPool, String> {
    static POOLS: OnceLock<Mutex<HashMap<[usize; 2], DescriptorPool>>> = OnceLock::new();
    let key = users.map(|d| d.map_or(0, |d| d as *const Descriptors as usize));
    let pools = POOLS.get_or_init(Default::default);
    if let Some(pool) = pools.lock().map_err(|e| e.to_string())?.get(&key) {
        return Ok(pool.clone());
    }
    let mut pool = DescriptorPool::decode(XNS_DESCRIPTOR_SET).map_err(|e| e.to_string())?;
    for user in users.into_iter().flatten() {
        user.add_to(&mut pool).map_err(|e| e.to_string())?;
    }
    pools
        .lock()
        .map_err(|e| e.to_string())?
        .insert(key, pool.clone());
    Ok(pool)
}

impl<R: WireMessage, A: AnyValue, B: AnyValue> Request<R, A, B> {
    fn error(reason: impl ToString) -> RequestCodecError {
        RequestCodecError {
            message_type: R::FULL_NAME,
            reason: reason.to_string(),
        }
    }

    fn pool() -> Result<DescriptorPool, RequestCodecError> {
        merged_pool([A::any_descriptors(), B::any_descriptors()]).map_err(Self::error)
    }

    fn descriptor() -> Result<prost_reflect::MessageDescriptor, RequestCodecError> {
        Self::pool()?
            .get_message_by_name(R::FULL_NAME)
            .ok_or_else(|| Self::error("no descriptor"))
    }

    /// Writes the request as `json/protobuf`.
    pub fn encode(&self) -> Result<Payload, RequestCodecError> {
        json_payload(Self::descriptor()?, &self.message.encode_to_vec()).map_err(Self::error)
    }

    /// Reads the request from `json/protobuf` or `binary/protobuf`.
    pub fn decode(payload: &Payload) -> Result<Self, RequestCodecError> {
        let message = match encoding_of(payload).as_deref() {
            Some(BINARY_PROTOBUF) => R::decode(payload.data.as_slice()).map_err(Self::error)?,
            Some(JSON_PROTOBUF) => from_json(Self::descriptor()?, &payload.data)
                .map_err(|e| Self::error(format!("cannot decode from {JSON_PROTOBUF}: {e}")))?,
            other => {
                return Err(Self::error(format!(
                    "unsupported encoding `{}` (expected `{JSON_PROTOBUF}` or `{BINARY_PROTOBUF}`)",
                    other.unwrap_or("none")
                )));
            }
        };
        Ok(Self::new(message))
    }
}

impl<R: WireMessage, A: AnyValue, B: AnyValue> TemporalSerializable for Request<R, A, B> {
    fn to_payload(&self, _: &SerializationContext<'_>) -> Result<Payload, PayloadConversionError> {
        Ok(self.encode()?)
    }
}

impl<R: WireMessage, A: AnyValue, B: AnyValue> TemporalDeserializable for Request<R, A, B> {
    fn from_payload(
        _: &SerializationContext<'_>,
        payload: Payload,
    ) -> Result<Self, PayloadConversionError> {
        Ok(Self::decode(&payload)?)
    }
}

/// The result of an XNS activity: the remote value, or nothing when the
/// call returned none (a detached start).
#[derive(Debug)]
pub struct Reply<O>(pub Option<O>);

fn null_payload() -> Payload {
    Payload {
        metadata: HashMap::from([(ENCODING_KEY.to_string(), BINARY_NULL.as_bytes().to_vec())]),
        ..Default::default()
    }
}

fn is_null(payload: &Payload) -> bool {
    match payload.metadata.get(ENCODING_KEY) {
        Some(e) => e.as_slice() == BINARY_NULL.as_bytes(),
        None => payload.data.is_empty(),
    }
}

impl<O: TemporalSerializable> TemporalSerializable for Reply<O> {
    fn to_payload(
        &self,
        ctx: &SerializationContext<'_>,
    ) -> Result<Payload, PayloadConversionError> {
        match &self.0 {
            Some(value) => value.to_payload(ctx),
            None => Ok(null_payload()),
        }
    }

    fn to_payloads(
        &self,
        ctx: &SerializationContext<'_>,
    ) -> Result<Vec<Payload>, PayloadConversionError> {
        match &self.0 {
            Some(value) => value.to_payloads(ctx),
            None => Ok(vec![null_payload()]),
        }
    }
}

impl<O: TemporalDeserializable> TemporalDeserializable for Reply<O> {
    fn from_payload(
        ctx: &SerializationContext<'_>,
        payload: Payload,
    ) -> Result<Self, PayloadConversionError> {
        if is_null(&payload) {
            // `Empty` results decode from anything, including null.
            return Ok(Reply(O::from_payloads(ctx, Vec::new()).ok()));
        }
        O::from_payload(ctx, payload).map(|v| Reply(Some(v)))
    }

    fn from_payloads(
        ctx: &SerializationContext<'_>,
        payloads: Vec<Payload>,
    ) -> Result<Self, PayloadConversionError> {
        match payloads.into_iter().next() {
            Some(p) => Self::from_payload(ctx, p),
            None => Ok(Reply(O::from_payloads(ctx, Vec::new()).ok())),
        }
    }
}

/// Input of the `CancelWorkflow` activity: two string arguments, workflow
/// ID and run ID, as Go's `CancelWorkflow(ctx, workflowID, runID)` takes them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CancelRequest {
    /// Workflow ID.
    pub workflow_id: String,
    /// Run ID (empty: the latest run).
    pub run_id: String,
}

impl TemporalSerializable for CancelRequest {
    fn to_payload(
        &self,
        ctx: &SerializationContext<'_>,
    ) -> Result<Payload, PayloadConversionError> {
        ctx.converter.to_payload(ctx, &self.workflow_id)
    }

    fn to_payloads(
        &self,
        ctx: &SerializationContext<'_>,
    ) -> Result<Vec<Payload>, PayloadConversionError> {
        Ok(vec![
            ctx.converter.to_payload(ctx, &self.workflow_id)?,
            ctx.converter.to_payload(ctx, &self.run_id)?,
        ])
    }
}

impl TemporalDeserializable for CancelRequest {
    fn from_payload(
        ctx: &SerializationContext<'_>,
        payload: Payload,
    ) -> Result<Self, PayloadConversionError> {
        Self::from_payloads(ctx, vec![payload])
    }

    fn from_payloads(
        ctx: &SerializationContext<'_>,
        payloads: Vec<Payload>,
    ) -> Result<Self, PayloadConversionError> {
        let mut it = payloads.into_iter();
        let mut next = || -> Result<String, PayloadConversionError> {
            match it.next() {
                Some(p) => ctx.converter.from_payload(ctx, p),
                None => Ok(String::new()),
            }
        };
        Ok(Self {
            workflow_id: next()?,
            run_id: next()?,
        })
    }
}

#[cfg(test)]
mod tests;
