//! Errors of ID-expression evaluation.

/// The failure of one query: a `throw("...")`, a method applied to a value
/// of the wrong type, an invalid timestamp, ...
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct QueryError {
    message: String,
    nothing: bool,
}

impl QueryError {
    /// A query error with this message.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            nothing: false,
        }
    }

    /// Bloblang's `nothing`: what a `match` that no case matched, or an
    /// `if` without `else` whose conditions all failed, yields. It is not
    /// a value of the JSON model but behaves as a failure almost
    /// everywhere: `.or()` and `|` replace it, `.string()` makes it
    /// `"null"`, `.catch()` passes it on, array and object literals leave
    /// it out, and `map_each` keeps the element it was made from.
    pub(crate) fn nothing() -> Self {
        Self {
            message: "got nothing (a `match` that no case matched, or an `if` without `else` \
                      whose conditions all failed)"
                .to_owned(),
            nothing: true,
        }
    }

    /// Whether this is Bloblang's `nothing` rather than a failure.
    pub fn is_nothing(&self) -> bool {
        self.nothing
    }

    /// The error message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// An ID expression could not be evaluated: one or more of its `${! ... }`
/// queries failed or did not yield a string. Every failing query is
/// reported, in template order.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("error evaluating ID expression `{template}`: {}", .errors.join("; "))]
pub struct EvalError {
    template: String,
    errors: Vec<String>,
}

impl EvalError {
    /// An evaluation error of `template` with these query errors.
    pub fn new(template: impl Into<String>, errors: Vec<String>) -> Self {
        Self {
            template: template.into(),
            errors,
        }
    }

    /// The ID expression (template) that failed, as written in the proto.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// One message per failing query, in template order, for example
    /// ``expected string result from ` name ` query, got: <nil>``.
    pub fn errors(&self) -> &[String] {
        &self.errors
    }
}
