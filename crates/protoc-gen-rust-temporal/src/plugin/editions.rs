//! Editions files (`edition = "2023"`), read as the classic syntax they
//! behave like.
//!
//! prost-build and prost-reflect know only `proto2` and `proto3` (both
//! panic or fail on `syntax = "editions"`). Edition 2023 differs from them
//! in its feature defaults, and of those the Rust code depends on one:
//! field presence, which decides between `T` and `Option<T>` in prost's
//! structs and whether protojson writes a zero value. So an editions file is
//! read as `proto3` when its fields have implicit presence
//! (`option features.field_presence = IMPLICIT;`) and as `proto2` when they
//! have explicit presence (2023's default). Every other feature concerns the
//! binary encoding (packed repeated fields, delimited messages, closed
//! enums, UTF-8 checks) and payloads are protojson, which is the same
//! either way.
//!
//! A field whose own `features.field_presence` differs from its file's
//! cannot be expressed in one classic syntax: that is an error naming it.

use std::borrow::Cow;

use prost::Message;

use crate::error::Error;

/// `Edition.EDITION_2023`.
const EDITION_2023: i32 = 1000;
/// `FeatureSet.FieldPresence` values.
const EXPLICIT: i32 = 1;
const IMPLICIT: i32 = 2;
/// `FileDescriptorProto.syntax`.
const SYNTAX_TAG: u32 = 12;

/// The syntax of a `FileDescriptorProto`, decoded before anything else
/// (every file of a request is looked at; few are editions files).
#[derive(Clone, PartialEq, Message)]
struct SyntaxOnly {
    #[prost(string, optional, tag = "12")]
    syntax: Option<String>,
}

/// The parts of an editions `FileDescriptorProto` that decide its classic
/// syntax.
#[derive(Clone, PartialEq, Message)]
struct EditionsFile {
    #[prost(string, optional, tag = "1")]
    name: Option<String>,
    #[prost(message, repeated, tag = "4")]
    message_type: Vec<MessageShape>,
    #[prost(message, optional, tag = "8")]
    options: Option<FileOptionsFeatures>,
    #[prost(int32, optional, tag = "14")]
    edition: Option<i32>,
}

#[derive(Clone, PartialEq, Message)]
struct MessageShape {
    #[prost(string, optional, tag = "1")]
    name: Option<String>,
    #[prost(message, repeated, tag = "2")]
    field: Vec<FieldShape>,
    #[prost(message, repeated, tag = "3")]
    nested_type: Vec<MessageShape>,
    #[prost(message, optional, tag = "7")]
    options: Option<MessageOptionsFeatures>,
}

#[derive(Clone, PartialEq, Message)]
struct FieldShape {
    #[prost(string, optional, tag = "1")]
    name: Option<String>,
    #[prost(message, optional, tag = "8")]
    options: Option<FieldOptionsFeatures>,
}

#[derive(Clone, PartialEq, Message)]
struct FileOptionsFeatures {
    #[prost(message, optional, tag = "50")]
    features: Option<Presence>,
}

#[derive(Clone, PartialEq, Message)]
struct MessageOptionsFeatures {
    #[prost(message, optional, tag = "12")]
    features: Option<Presence>,
}

#[derive(Clone, PartialEq, Message)]
struct FieldOptionsFeatures {
    #[prost(message, optional, tag = "21")]
    features: Option<Presence>,
}

/// `FeatureSet.field_presence`.
#[derive(Clone, PartialEq, Message)]
struct Presence {
    #[prost(int32, optional, tag = "1")]
    field_presence: Option<i32>,
}

/// The classic syntax an editions file is read as; `None` for a file that
/// is not an editions file.
pub fn classic_syntax(raw: &[u8]) -> Result<Option<&'static str>, Error> {
    let undecodable =
        |e: prost::DecodeError| Error::Request(format!("undecodable FileDescriptorProto: {e}"));
    if SyntaxOnly::decode(raw)
        .map_err(undecodable)?
        .syntax
        .as_deref()
        != Some("editions")
    {
        return Ok(None);
    }
    let file = EditionsFile::decode(raw).map_err(undecodable)?;
    let name = file.name.clone().unwrap_or_default();
    match file.edition {
        Some(EDITION_2023) => {}
        other => {
            return Err(Error::Editions {
                file: name,
                edition: other.map_or_else(|| "none".to_string(), edition_name),
            });
        }
    }
    let presence = file
        .options
        .and_then(|o| o.features)
        .and_then(|f| f.field_presence)
        .unwrap_or(EXPLICIT);
    let mut stack: Vec<(String, &MessageShape, i32)> = file
        .message_type
        .iter()
        .map(|m| (m.name.clone().unwrap_or_default(), m, presence))
        .collect();
    while let Some((path, message, inherited)) = stack.pop() {
        let own = message
            .options
            .as_ref()
            .and_then(|o| o.features.as_ref())
            .and_then(|f| f.field_presence)
            .unwrap_or(inherited);
        for field in &message.field {
            let set = field
                .options
                .as_ref()
                .and_then(|o| o.features.as_ref())
                .and_then(|f| f.field_presence)
                .unwrap_or(own);
            if set != presence {
                return Err(Error::MixedPresence {
                    file: name,
                    field: format!("{path}.{}", field.name.as_deref().unwrap_or_default()),
                });
            }
        }
        for nested in &message.nested_type {
            let nested_path = format!("{path}.{}", nested.name.as_deref().unwrap_or_default());
            stack.push((nested_path, nested, own));
        }
    }
    Ok(Some(if presence == IMPLICIT {
        "proto3"
    } else {
        "proto2"
    }))
}

/// `raw` with the syntax of an editions file replaced by its classic one
/// (a second `syntax` field, which protobuf reads as the value); other
/// files unchanged.
pub fn as_classic(raw: &[u8]) -> Result<Cow<'_, [u8]>, Error> {
    let Some(syntax) = classic_syntax(raw)? else {
        return Ok(Cow::Borrowed(raw));
    };
    let mut out = raw.to_vec();
    prost::encoding::string::encode(SYNTAX_TAG, &syntax.to_string(), &mut out);
    Ok(Cow::Owned(out))
}

fn edition_name(edition: i32) -> String {
    match edition {
        998 => "proto2".to_string(),
        999 => "proto3".to_string(),
        1001 => "2024".to_string(),
        other => format!("number {other}"),
    }
}

#[cfg(test)]
mod tests {
    use prost_types::FileDescriptorProto;

    use super::*;

    /// An editions file with one message of `fields`, whose file-level
    /// presence is `presence`, written with the shapes above, since
    /// prost_types has no `features`.
    fn editions_file(presence: Option<i32>, fields: &[(&str, Option<i32>)]) -> Vec<u8> {
        let mut raw = FileDescriptorProto {
            name: Some("e.proto".into()),
            syntax: Some("editions".into()),
            ..Default::default()
        }
        .encode_to_vec();
        prost::encoding::int32::encode(14, &EDITION_2023, &mut raw);
        let message = MessageShape {
            name: Some("M".into()),
            field: fields
                .iter()
                .map(|(name, p)| FieldShape {
                    name: Some((*name).into()),
                    options: p.map(|p| FieldOptionsFeatures {
                        features: Some(Presence {
                            field_presence: Some(p),
                        }),
                    }),
                })
                .collect(),
            nested_type: Vec::new(),
            options: None,
        };
        prost::encoding::message::encode(4, &message, &mut raw);
        if let Some(p) = presence {
            let options = FileOptionsFeatures {
                features: Some(Presence {
                    field_presence: Some(p),
                }),
            };
            prost::encoding::message::encode(8, &options, &mut raw);
        }
        raw
    }

    #[test]
    fn classic_files_are_left_alone() {
        let raw = FileDescriptorProto {
            syntax: Some("proto3".into()),
            ..Default::default()
        }
        .encode_to_vec();
        assert_eq!(classic_syntax(&raw).unwrap(), None);
        assert!(matches!(as_classic(&raw).unwrap(), Cow::Borrowed(_)));
    }

    #[test]
    fn presence_decides_the_syntax() {
        let explicit = editions_file(None, &[("a", None)]);
        assert_eq!(classic_syntax(&explicit).unwrap(), Some("proto2"));
        let implicit = editions_file(Some(IMPLICIT), &[("a", None)]);
        assert_eq!(classic_syntax(&implicit).unwrap(), Some("proto3"));
        let rewritten = as_classic(&implicit).unwrap();
        let decoded = FileDescriptorProto::decode(rewritten.as_ref()).unwrap();
        assert_eq!(decoded.syntax(), "proto3");
        assert_eq!(decoded.message_type[0].name(), "M");
    }

    #[test]
    fn a_field_that_differs_from_its_file_is_named() {
        let mixed = editions_file(Some(IMPLICIT), &[("a", None), ("b", Some(EXPLICIT))]);
        let err = classic_syntax(&mixed).unwrap_err().to_string();
        assert!(err.contains("e.proto") && err.contains("M.b"), "{err}");
        // The same presence as the file's, said again, is fine.
        let same = editions_file(Some(IMPLICIT), &[("a", Some(IMPLICIT))]);
        assert_eq!(classic_syntax(&same).unwrap(), Some("proto3"));
    }

    #[test]
    fn other_editions_are_errors() {
        let mut raw = FileDescriptorProto {
            name: Some("e.proto".into()),
            syntax: Some("editions".into()),
            ..Default::default()
        }
        .encode_to_vec();
        prost::encoding::int32::encode(14, &1001, &mut raw);
        let err = classic_syntax(&raw).unwrap_err().to_string();
        assert!(err.contains("e.proto") && err.contains("2024"), "{err}");
    }
}
