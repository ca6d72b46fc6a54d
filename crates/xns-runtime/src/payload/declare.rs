//! `proto_messages!`: the one-line form in which generated code makes its
//! messages Temporal payloads.

/// Makes prost messages Temporal payloads: each gets [`ProtoMessage`]
/// (its full protobuf name and the embedded descriptors) and the SDK's
/// serialization traits, encoding as `json/protobuf` and decoding both
/// protobuf encodings.
///
/// ```ignore
/// ::xns_runtime::proto_messages! {
///     descriptors = b"...";
///     CreateFooRequest = "example.v1.CreateFooRequest";
///     foo::Nested = "example.v1.Foo.Nested";
/// }
/// ```
///
/// `descriptors` is an encoded `FileDescriptorSet` that declares every
/// listed message and the types its fields reach. Generated code invokes
/// this macro; it declares nothing in the calling module but the impls.
///
/// [`ProtoMessage`]: crate::payload::ProtoMessage
#[macro_export]
macro_rules! proto_messages {
    (descriptors = $bytes:literal; $($message:path = $full_name:literal;)+) => {
        const _: () = {
            pub struct Source;
            impl $crate::payload::DescriptorSource for Source {
                fn descriptors() -> &'static $crate::payload::Descriptors {
                    static DESCRIPTORS: $crate::payload::Descriptors =
                        $crate::payload::Descriptors::new($bytes);
                    &DESCRIPTORS
                }
            }
            $(
                impl $crate::payload::ProtoMessage for $message {
                    const FULL_NAME: &'static str = $full_name;
                    type Source = Source;
                }
                impl $crate::__private::TemporalSerializable for $message {
                    fn to_payload(
                        &self,
                        _: &$crate::__private::SerializationContext<'_>,
                    ) -> ::core::result::Result<
                        $crate::__private::Payload,
                        $crate::__private::PayloadConversionError,
                    > {
                        ::core::result::Result::Ok($crate::payload::encode(self)?)
                    }
                }
                impl $crate::__private::TemporalDeserializable for $message {
                    fn from_payload(
                        _: &$crate::__private::SerializationContext<'_>,
                        payload: $crate::__private::Payload,
                    ) -> ::core::result::Result<Self, $crate::__private::PayloadConversionError> {
                        ::core::result::Result::Ok($crate::payload::decode(payload)?)
                    }
                }
            )+
        };
    };
}
