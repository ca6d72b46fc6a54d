//! Packing user messages into `google.protobuf.Any`, as Go's `anypb.New`
//! does: the binary protobuf encoding under
//! `type.googleapis.com/<full message name>`.

use prost_types::Any;

use crate::payload::ProtoMessage;

/// Prefix of the type URLs Go and Python write.
const TYPE_URL_PREFIX: &str = "type.googleapis.com/";

/// Why an `Any` did not unpack into the expected message.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AnyError {
    /// The `Any` field was not set.
    #[error("missing {expected} (the Any field is not set)")]
    Missing {
        /// Full name of the expected message.
        expected: &'static str,
    },
    /// The `Any` holds another message type.
    #[error("expected {expected}, got type URL {type_url:?}")]
    WrongType {
        /// Full name of the expected message.
        expected: &'static str,
        /// The type URL found.
        type_url: String,
    },
    /// The bytes are not a valid encoding of the message.
    #[error("invalid {expected}: {message}")]
    Decode {
        /// Full name of the expected message.
        expected: &'static str,
        /// The decoder's message.
        message: String,
    },
}

/// Packs `message` into an `Any`.
pub fn pack<M: ProtoMessage>(message: &M) -> Any {
    pack_as(M::FULL_NAME, message)
}

/// [`pack`] of a message named `full_name`.
pub(crate) fn pack_as<M: prost::Message>(full_name: &str, message: &M) -> Any {
    Any {
        type_url: format!("{TYPE_URL_PREFIX}{full_name}"),
        value: message.encode_to_vec(),
    }
}

/// Unpacks an `M` from `any`, which must name `M` in its type URL (any
/// host before the last `/` is accepted, as protobuf does).
pub fn unpack<M: ProtoMessage>(any: Option<&Any>) -> Result<M, AnyError> {
    unpack_as(M::FULL_NAME, any)
}

/// [`unpack`] of a message named `expected`.
pub(crate) fn unpack_as<M: prost::Message + Default>(
    expected: &'static str,
    any: Option<&Any>,
) -> Result<M, AnyError> {
    let any = any.ok_or(AnyError::Missing { expected })?;
    let name = any.type_url.rsplit('/').next().unwrap_or_default();
    if name != expected {
        return Err(AnyError::WrongType {
            expected,
            type_url: any.type_url.clone(),
        });
    }
    M::decode(any.value.as_slice()).map_err(|e| AnyError::Decode {
        expected,
        message: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xns::wire::SignalRequest;

    fn sample() -> SignalRequest {
        SignalRequest {
            workflow_id: "wf-1".into(),
            run_id: "run-1".into(),
            ..Default::default()
        }
    }

    #[test]
    fn round_trip_with_go_type_url() {
        let any = pack(&sample());
        assert_eq!(
            any.type_url,
            "type.googleapis.com/temporal.xns.v1.SignalRequest"
        );
        assert_eq!(unpack::<SignalRequest>(Some(&any)), Ok(sample()));
    }

    #[test]
    fn other_hosts_are_accepted() {
        let mut any = pack(&sample());
        any.type_url = "example.com/x/temporal.xns.v1.SignalRequest".into();
        assert_eq!(unpack::<SignalRequest>(Some(&any)), Ok(sample()));
    }

    #[test]
    fn errors_name_the_expected_type() {
        assert_eq!(
            unpack::<SignalRequest>(None),
            Err(AnyError::Missing {
                expected: "temporal.xns.v1.SignalRequest"
            })
        );
        let wrong = Any {
            type_url: "type.googleapis.com/example.v1.Other".into(),
            value: Vec::new(),
        };
        let err = unpack::<SignalRequest>(Some(&wrong)).unwrap_err();
        assert!(
            err.to_string()
                .contains("expected temporal.xns.v1.SignalRequest"),
            "{err}"
        );
        let garbage = Any {
            type_url: "type.googleapis.com/temporal.xns.v1.SignalRequest".into(),
            value: vec![0xff, 0xff],
        };
        assert!(matches!(
            unpack::<SignalRequest>(Some(&garbage)),
            Err(AnyError::Decode { .. })
        ));
    }
}
