//! Errors of the generator. Every error that concerns a method or service
//! names the proto file, the service and the method, and goes back to protoc
//! in `CodeGeneratorResponse.error`.

use std::borrow::Cow;
use std::fmt;

/// A user-provided string (a name, an ID template, a file name, a
/// parameter value) as error messages quote it: control characters and the
/// Unicode line and paragraph separators are escaped the way Rust writes
/// them (`\n`, `\r`, `\t`, `\u{1b}`), so that every error stays on one
/// line. Everything else, backslashes included, is kept as written.
pub fn escape(s: &str) -> Cow<'_, str> {
    let needs_escape = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !s.contains(needs_escape) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if needs_escape(c) {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Where in the protos an error was found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Location {
    /// Proto file name as protoc knows it.
    pub file: String,
    /// Service name (unqualified).
    pub service: Option<String>,
    /// Method name.
    pub method: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", escape(&self.file))?;
        match (&self.service, &self.method) {
            (Some(s), Some(m)) => write!(f, ": {}.{}", escape(s), escape(m)),
            (Some(s), None) => write!(f, ": service {}", escape(s)),
            _ => Ok(()),
        }
    }
}

/// A generation failure. Its message is one line (a [`Error::Many`] one
/// line per error): the text that comes from the protos, the parameter or
/// other libraries is passed through [`escape`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The plugin parameter is malformed.
    #[error("invalid parameter: {}", escape(.0))]
    Parameter(String),
    /// The request itself is malformed.
    #[error("invalid CodeGeneratorRequest: {}", escape(.0))]
    Request(String),
    /// A file uses an edition other than 2023.
    #[error(
        "{}: edition {} is not supported by protoc-gen-rust-temporal (edition 2023, proto2 and proto3 are)",
        escape(.file),
        escape(.edition)
    )]
    Editions {
        /// The editions file.
        file: String,
        /// Its edition.
        edition: String,
    },
    /// An editions file whose fields do not all have the file's presence.
    #[error(
        "{}: `{}` has a `features.field_presence` other than its file's; protoc-gen-rust-temporal reads an editions file as proto2 (explicit presence) or proto3 (implicit), so every field must have the file's presence",
        escape(.file),
        escape(.field)
    )]
    MixedPresence {
        /// The editions file.
        file: String,
        /// The field, as `Message.field`.
        field: String,
    },
    /// prost-reflect rejected a file.
    #[error("{}: invalid descriptor: {}", escape(.file), escape(.message))]
    Descriptor {
        /// The file.
        file: String,
        /// What was wrong.
        message: String,
    },
    /// The Temporal options of a service or method are invalid.
    #[error("{location}: {}", escape(.message))]
    Invalid {
        /// Where.
        location: Location,
        /// What is wrong, and how to fix it where possible.
        message: String,
    },
    /// A bug in the generator (generated code that does not parse, ...).
    #[error(
        "internal error in protoc-gen-rust-temporal, please report it: {}",
        escape(.0)
    )]
    Internal(String),
    /// Several errors at once (all validation errors are reported together).
    #[error("{}", .0.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n"))]
    Many(Vec<Error>),
}

impl Error {
    /// An error about a method.
    pub fn method(file: &str, service: &str, method: &str, message: impl Into<String>) -> Self {
        Error::Invalid {
            location: Location {
                file: file.to_string(),
                service: Some(service.to_string()),
                method: Some(method.to_string()),
            },
            message: message.into(),
        }
    }

    /// An error about a service.
    pub fn service(file: &str, service: &str, message: impl Into<String>) -> Self {
        Error::Invalid {
            location: Location {
                file: file.to_string(),
                service: Some(service.to_string()),
                method: None,
            },
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::escape;

    #[test]
    fn escape_keeps_text_and_escapes_controls() {
        assert_eq!(escape("plain `x` \\n é"), "plain `x` \\n é");
        assert_eq!(escape("a\nb\rc\td"), "a\\nb\\rc\\td");
        assert_eq!(escape("\0\u{1b}\u{7f}\u{85}"), "\\0\\u{1b}\\u{7f}\\u{85}");
        assert_eq!(escape("x\u{2028}y\u{2029}"), "x\\u{2028}y\\u{2029}");
    }
}
