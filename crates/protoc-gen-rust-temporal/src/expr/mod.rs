//! ID expressions: `${! ... }` templates in `WorkflowOptions.id` and
//! `UpdateOptions.id`, compiled to Rust at generation time.
//!
//! The Go generator evaluates each fragment as a Bloblang query against the
//! protojson form of the input. We accept the part of Bloblang that its
//! protos, docs and expression tests use (and a little more), type-check
//! paths against the input descriptor, and emit Rust that reproduces the Go
//! results with the helpers of `xns_runtime::expr`. Scalar paths read the
//! prost struct; other paths read the input's protojson, as Go does.
//!
//! - [`lex`]: template text and `${! query }` fragments;
//! - [`parse`]: one query into an AST (with [`fold`]: operators on
//!   literals);
//! - [`check`]: resolve paths to fields, functions and methods (with
//!   [`regex`]: Go's regular expressions for the `regex` crate);
//! - [`types`]: the kinds of value a query yields;
//! - [`emit`]: Rust tokens.
//!
//! Anything outside the subset is an [`ExprError`] naming the construct.

mod check;
mod emit;
mod fold;
mod lex;
mod mapping;
mod parse;
mod regex;
mod types;
pub use mapping::{CompiledMapping, MappingError, compile_mapping};
pub use parse::{MAX_DEPTH, MAX_PATH_SEGMENTS};
#[doc(hidden)]
pub mod vectors;

#[cfg(test)]
mod tests;

use proc_macro2::TokenStream;
use prost_reflect::MessageDescriptor;
use quote::quote;

use crate::error::escape;
use check::{Checker, Ir};
use emit::Emitter;

/// Why a template cannot be compiled. Each message names the construct and
/// quotes the template; callers add the file, service and method. Quoted
/// text has its control characters escaped ([`crate::error::escape`]), so
/// a message is one line whatever the template holds.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ExprError {
    /// The template is the empty string.
    #[error("empty ID expression")]
    EmptyTemplate,
    /// A `${!` without its closing `}`.
    #[error(
        "unterminated query (`${{!` without a closing `}}`) in ID expression `{}`",
        escape(.template)
    )]
    Unterminated {
        /// The template.
        template: String,
    },
    /// A `${! }` with only white space inside.
    #[error("empty query (`${{!}}`) in ID expression `{}`", escape(.template))]
    EmptyQuery {
        /// The template.
        template: String,
    },
    /// A query that does not parse.
    #[error(
        "syntax error in query `{}`: {} in ID expression `{}`",
        escape(.query),
        escape(.message),
        escape(.template)
    )]
    Syntax {
        /// The query text.
        query: String,
        /// What is wrong.
        message: String,
        /// The template.
        template: String,
    },
    /// A Bloblang construct outside the supported subset.
    #[error(
        "unsupported {} in ID expression `{}`",
        escape(.construct),
        escape(.template)
    )]
    Unsupported {
        /// The construct, e.g. "method `match`" or "operator `+`".
        construct: String,
        /// The template.
        template: String,
    },
    /// A function or method called with the wrong number of arguments.
    #[error(
        "{callee} takes {expected} argument(s), got {got} in ID expression `{}`",
        escape(.template)
    )]
    Arity {
        /// "function `throw`", "method `or`", ...
        callee: String,
        /// The accepted count(s).
        expected: String,
        /// The given count.
        got: usize,
        /// The template.
        template: String,
    },
    /// A path segment naming no field of the message (by JSON name).
    #[error(
        "unknown field `{}` on message `{message}`{hint} in ID expression `{}`",
        escape(.field),
        escape(.template)
    )]
    UnknownField {
        /// The segment.
        field: String,
        /// The message's full name.
        message: String,
        /// Empty, or a suggestion in parentheses with a leading space.
        hint: String,
        /// The template.
        template: String,
    },
    /// A field whose name has no Rust form (a hand-built request may hold
    /// any name, even an empty one), or whose oneof or message has none.
    #[error(
        "field `{}` cannot be read in ID expression `{}`: {} has no Rust form: {reason}",
        escape(.field),
        escape(.template),
        escape(.culprit)
    )]
    UnusableField {
        /// The field's proto name.
        field: String,
        /// Whose name: "its name", "its oneof `x`", "its message `m`".
        culprit: String,
        /// Why.
        reason: String,
        /// The template.
        template: String,
    },
    /// Calls, operators and parentheses nested more than `max` levels deep.
    #[error(
        "ID expression nested too deeply (more than {max} levels): each call, chained \
         method, operator, `if`, `match` and pair of parentheses is a level, in `{}`",
        escape(&abbreviate(.template))
    )]
    TooDeep {
        /// The limit ([`MAX_DEPTH`]).
        max: usize,
        /// The template.
        template: String,
    },
    /// A path with more than `max` segments.
    #[error(
        "path too long (more than {max} segments) in ID expression `{}`",
        escape(&abbreviate(.template))
    )]
    PathTooLong {
        /// The limit ([`MAX_PATH_SEGMENTS`]).
        max: usize,
        /// The template.
        template: String,
    },
    /// A query whose value is never a string: in Go the ID expression
    /// fails for every input.
    #[error(
        "query `{}` never yields a string (it yields {yields}), so the ID fails for every \
         input: convert it with `.string()` in ID expression `{}`",
        escape(.query),
        escape(.template)
    )]
    NeverString {
        /// The query, as written.
        query: String,
        /// What it yields instead, in words.
        yields: String,
        /// The template.
        template: String,
    },
    /// A path that does not end at a value usable in an ID.
    #[error(
        "invalid path `{}`: {} in ID expression `{}`",
        escape(.path),
        escape(.reason),
        escape(.template)
    )]
    InvalidPath {
        /// The path, as written (without `this.`).
        path: String,
        /// Why it is invalid.
        reason: String,
        /// The template.
        template: String,
    },
}

/// The start of a long template, for errors about templates that are
/// long by nature (deeply nested ones).
fn abbreviate(template: &str) -> std::borrow::Cow<'_, str> {
    const KEEP: usize = 80;
    match template.char_indices().nth(KEEP) {
        Some((end, _)) => format!("{}...", &template[..end]).into(),
        None => template.into(),
    }
}

/// One piece of a compiled template.
#[derive(Debug, Clone)]
enum Part {
    Text(String),
    Query { text: String, ir: Ir },
}

/// A parsed and type-checked ID template, ready to emit.
#[derive(Debug, Clone)]
pub struct CompiledTemplate {
    template: String,
    parts: Vec<Part>,
    uses_env: bool,
    uses_input: bool,
}

impl CompiledTemplate {
    /// True when the template uses `uuid_v4()`/`nanoid()`/`ksuid()`/`now()`
    /// (needs the env).
    pub fn uses_env(&self) -> bool {
        self.uses_env
    }

    /// True when the template reads the input message; when false,
    /// [`Self::to_tokens`] ignores its `input` argument.
    pub fn uses_input(&self) -> bool {
        self.uses_input
    }

    /// The template as written.
    pub fn template(&self) -> &str {
        &self.template
    }

    /// Rust expression of type
    /// `Result<String, ::xns_runtime::expr::EvalError>`.
    ///
    /// `input` is a Rust expression of type `&Input` (the prost message
    /// struct), or is ignored when the input is `google.protobuf.Empty` /
    /// `None`; `env` is a Rust expression of type
    /// `&dyn ::xns_runtime::expr::IdEnv` (or a reference to an `IdEnv`
    /// implementation), used only when [`Self::uses_env`]. Each is
    /// evaluated at most once. `package` is the proto package of the module
    /// the code is emitted into (for paths to oneof enums).
    pub fn to_tokens(&self, input: &TokenStream, env: &TokenStream, package: &str) -> TokenStream {
        self.to_tokens_with_runtime(input, env, package, &quote!(::xns_runtime))
    }

    /// [`Self::to_tokens`] with the runtime crate at `runtime` (a path such
    /// as `::xns_runtime` or `crate::rt`) instead of `::xns_runtime`.
    pub fn to_tokens_with_runtime(
        &self,
        input: &TokenStream,
        env: &TokenStream,
        package: &str,
        runtime: &TokenStream,
    ) -> TokenStream {
        self.to_tokens_at(input, env, package, 0, runtime)
    }

    /// [`Self::to_tokens_with_runtime`] for code `depth` modules below the
    /// module of `package` (1 in a service module): paths to the oneof
    /// enums prost declares in message modules start with as many
    /// `super::`.
    pub fn to_tokens_at(
        &self,
        input: &TokenStream,
        env: &TokenStream,
        package: &str,
        depth: usize,
        runtime: &TokenStream,
    ) -> TokenStream {
        let mut emitter = Emitter::new(package, depth, runtime);
        let rt = emitter.rt();
        let fragments: Vec<TokenStream> = self
            .parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => quote!(#rt::Fragment::Text(#text)),
                Part::Query { text, ir } => {
                    let value = emitter.ir(ir);
                    quote!(#rt::Fragment::Query(#text, #value))
                }
            })
            .collect();
        let template = &self.template;
        let render = quote!(#rt::render(#template, [#(#fragments),*]));
        let prelude = emitter.prelude(input, env);
        quote!({ #prelude #render })
    }
}

/// Parse + check. `input` is None when the method input is
/// google.protobuf.Empty.
pub fn compile(
    template: &str,
    input: Option<&MessageDescriptor>,
) -> Result<CompiledTemplate, ExprError> {
    let input = input.filter(|m| m.full_name() != "google.protobuf.Empty");
    let mut checker = Checker::new(input, template, false);
    let mut parts = Vec::new();
    for piece in lex::lex(template)? {
        parts.push(match piece {
            lex::Piece::Text(text) => Part::Text(text),
            lex::Piece::Query(text) => {
                let ast = parse::parse(&text, template)?;
                let ir = checker.check(&ast)?;
                // A query that yields values, none of them strings. (One
                // that yields nothing is an explicit `throw`, kept for
                // run time as Go keeps it.)
                let kinds = types::kinds(&ir);
                // Go writes bytes into the ID as they are.
                let textual =
                    kinds.contains(types::Kinds::STRING) || kinds.contains(types::Kinds::BYTES);
                if kinds != types::Kinds::NONE && !textual {
                    return Err(ExprError::NeverString {
                        query: text,
                        yields: kinds.describe(),
                        template: template.to_owned(),
                    });
                }
                Part::Query { text, ir }
            }
        });
    }
    let uses_input = parts.iter().any(|part| match part {
        Part::Text(_) => false,
        Part::Query { ir, .. } => ir.uses_input(),
    });
    Ok(CompiledTemplate {
        template: template.to_owned(),
        parts,
        uses_env: checker.uses_env,
        uses_input,
    })
}
