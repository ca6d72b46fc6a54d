//! Test-only: XNS wire messages used as stand-ins for user messages, with
//! the payload impls generated code gives user messages.

use temporalio_common::data_converters::{
    PayloadConversionError, SerializationContext, TemporalDeserializable, TemporalSerializable,
};
use temporalio_common::protos::temporal::api::common::v1::Payload;

use crate::payload::{DescriptorSource, Descriptors, ProtoMessage, decode, encode};
use crate::xns::wire::{RetryPolicy, SignalRequest, UpdateWorkflowWithOptionsRequest};

static XNS_DESCRIPTORS: Descriptors = Descriptors::new(include_bytes!("wire/xns.binpb"));

pub struct XnsSource;

impl DescriptorSource for XnsSource {
    fn descriptors() -> &'static Descriptors {
        &XNS_DESCRIPTORS
    }
}

macro_rules! user_message {
    ($($ty:ident),*) => {$(
        impl ProtoMessage for $ty {
            const FULL_NAME: &'static str = concat!("temporal.xns.v1.", stringify!($ty));
            type Source = XnsSource;
        }
        impl TemporalSerializable for $ty {
            fn to_payload(&self, _: &SerializationContext<'_>) -> Result<Payload, PayloadConversionError> {
                Ok(encode(self)?)
            }
        }
        impl TemporalDeserializable for $ty {
            fn from_payload(_: &SerializationContext<'_>, p: Payload) -> Result<Self, PayloadConversionError> {
                Ok(decode(p)?)
            }
        }
    )*};
}

user_message!(SignalRequest, RetryPolicy, UpdateWorkflowWithOptionsRequest);
