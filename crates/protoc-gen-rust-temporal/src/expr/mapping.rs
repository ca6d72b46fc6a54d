//! Search attribute mappings: the Bloblang mappings of
//! `WorkflowOptions.search_attributes` (one `Name = query` per line) and
//! `typed_search_attributes` (`type.Name = query`), compiled to Rust like
//! ID expressions.
//!
//! The subset: one assignment per line (blank lines and `#` comments
//! allowed), an optional `root.` before the target, and for each right-hand
//! side a query of the ID expression subset, plus the conversions
//! `.int64()` and `.ts_parse(layout)` (RFC 3339 and date layouts), or a
//! top-level `repeated string` field (for a `keyword_list`). Queries that
//! read the clock or randomness are not allowed: a mapping is evaluated
//! again wherever a start is resolved, and must give the same attributes.

use proc_macro2::TokenStream;
use prost_reflect::{FieldDescriptor, Kind, MessageDescriptor};
use quote::quote;

use super::check::{Checker, Ir};
use super::emit::{self, Emitter};
use super::parse::{self, Ast, Segment};
use super::types;
use crate::error::escape;
use crate::names;

/// Why a mapping cannot be compiled; callers add the file, service and
/// method.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{option}`, at `{}`: {reason}", escape(.line))]
pub struct MappingError {
    /// `(temporal.v1.workflow).search_attributes` or
    /// `(temporal.v1.workflow).typed_search_attributes`.
    pub option: &'static str,
    /// The line (assignment) at fault, as written.
    pub line: String,
    /// What is wrong with it.
    pub reason: String,
}

/// The runtime's `AttributeType` variant of a typed mapping's type prefix
/// (`int64.CustomIntField`), by the names the Go generator reads.
fn attribute_type(prefix: &str) -> Option<&'static str> {
    Some(match prefix {
        "bool" => "Bool",
        "float64" => "Float64",
        "int64" => "Int64",
        "keyword" => "Keyword",
        "string" => "String",
        "keyword_list" | "list" => "KeywordList",
        "time" => "Time",
        _ => return None,
    })
}

/// What one assignment reads.
#[derive(Debug, Clone)]
enum Source {
    /// A query.
    Query(Ir),
    /// A top-level `repeated string` field.
    List(FieldDescriptor),
}

#[derive(Debug, Clone)]
struct Assignment {
    name: String,
    /// The runtime's `AttributeType` variant of the type prefix (typed
    /// mappings only).
    ty: Option<&'static str>,
    query: String,
    source: Source,
}

/// A parsed and type-checked mapping, ready to emit.
#[derive(Debug, Clone)]
pub struct CompiledMapping {
    text: String,
    assignments: Vec<Assignment>,
}

/// Compiles `text`, the workflow's `search_attributes` (or
/// `typed_search_attributes` when `typed`), against the input message.
pub fn compile_mapping(
    text: &str,
    typed: bool,
    input: Option<&MessageDescriptor>,
) -> Result<CompiledMapping, MappingError> {
    let option = if typed {
        "(temporal.v1.workflow).typed_search_attributes"
    } else {
        "(temporal.v1.workflow).search_attributes"
    };
    let input = input.filter(|m| m.full_name() != "google.protobuf.Empty");
    let mut assignments = Vec::new();
    for line in text.lines() {
        let statement = line.trim();
        if statement.is_empty() || statement.starts_with('#') {
            continue;
        }
        let fail = |reason: String| MappingError {
            option,
            line: statement.to_string(),
            reason,
        };
        let (target, query) = split_assignment(statement)
            .ok_or_else(|| fail("expected an assignment `Name = query`".to_string()))?;
        let target = target.strip_prefix("root.").unwrap_or(target);
        let (ty, name) = match (typed, target.split_once('.')) {
            (true, Some((ty, name))) => {
                let variant = attribute_type(ty).ok_or_else(|| {
                    fail(format!(
                        "unknown search attribute type `{ty}` (bool, float64, int64, keyword, \
                         string, keyword_list, list or time)"
                    ))
                })?;
                (Some(variant), name)
            }
            (true, None) => {
                return Err(fail(
                    "a typed mapping assigns `type.Name`, such as `keyword.CustomKeywordField`"
                        .to_string(),
                ));
            }
            (false, _) => (None, target),
        };
        if !is_identifier(name) {
            return Err(fail(format!(
                "`{target}` is not a search attribute name (letters, digits and `_`)"
            )));
        }
        let ast = parse::parse(query, query).map_err(|e| fail(without_template(&e)))?;
        let source = match list_field(&ast, input) {
            Some(field) => Source::List(field),
            None => {
                let mut checker = Checker::new(input, query, true);
                let ir = checker
                    .check(&ast)
                    .map_err(|e| fail(without_template(&e)))?;
                if checker.uses_env {
                    return Err(fail(
                        "`uuid_v4()`, `nanoid()`, `ksuid()` and `now()` are not supported in a \
                         search attribute mapping"
                            .to_string(),
                    ));
                }
                if types::kinds(&ir) == types::Kinds::NONE {
                    return Err(fail(
                        "the query fails for every input (no value of it can be assigned)"
                            .to_string(),
                    ));
                }
                Source::Query(ir)
            }
        };
        assignments.push(Assignment {
            name: name.to_string(),
            ty,
            query: query.trim().to_string(),
            source,
        });
    }
    if assignments.is_empty() {
        return Err(MappingError {
            option,
            line: text.to_string(),
            reason: "the mapping assigns no search attribute".to_string(),
        });
    }
    Ok(CompiledMapping {
        text: text.to_string(),
        assignments,
    })
}

/// `target = query`, split at the first `=` that is not part of `==`.
fn split_assignment(statement: &str) -> Option<(&str, &str)> {
    let at = statement.find('=')?;
    let (target, rest) = (&statement[..at], &statement[at + 1..]);
    if rest.starts_with('=') || target.ends_with(['!', '<', '>']) {
        return None;
    }
    Some((target.trim(), rest))
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// The top-level `repeated string` field a query is (`tags`, `this.tags`).
fn list_field(ast: &Ast, input: Option<&MessageDescriptor>) -> Option<FieldDescriptor> {
    let Ast::Path(segments) = ast else {
        return None;
    };
    let [Segment::Field(name)] = segments.as_slice() else {
        return None;
    };
    input?
        .fields()
        .find(|f| f.json_name() == name)
        .filter(|f| f.is_list() && matches!(f.kind(), Kind::String))
}

/// An expression error's message without its trailing "in ID expression
/// `...`" (the mapping error names the line instead).
fn without_template(error: &super::ExprError) -> String {
    let message = error.to_string();
    match message.rfind(" in ID expression `") {
        Some(at) => message[..at].to_string(),
        None => message,
    }
}

impl CompiledMapping {
    /// The mapping as written.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether evaluating the mapping reads the input message.
    pub fn uses_input(&self) -> bool {
        self.assignments.iter().any(|a| match &a.source {
            Source::List(_) => true,
            Source::Query(ir) => ir.uses_input(),
        })
    }

    /// A block of type `Result<SearchAttributeValues, MappingError>` that
    /// reads the input through `input` (see
    /// [`CompiledTemplate::to_tokens_at`](super::CompiledTemplate::to_tokens_at)
    /// for `package`, `depth` and `runtime`).
    pub fn to_tokens_at(
        &self,
        input: &TokenStream,
        package: &str,
        depth: usize,
        runtime: &TokenStream,
    ) -> TokenStream {
        let mut emitter = Emitter::new(package, depth, runtime);
        let rt = emitter.rt();
        let input_ident = emit::input_ident();
        let assignments: Vec<TokenStream> = self
            .assignments
            .iter()
            .map(|a| {
                let name = &a.name;
                let query = &a.query;
                let ty = match a.ty.map(|v| quote::format_ident!("{v}")) {
                    Some(variant) => quote!(Some(#rt::AttributeType::#variant)),
                    None => quote!(None),
                };
                let value = match &a.source {
                    Source::Query(ir) => {
                        let value = emitter.ir(ir);
                        quote!(#rt::scalar(#value))
                    }
                    Source::List(field) => {
                        emitter.uses_input = true;
                        let f = names::field_ident(field.name());
                        quote!(#rt::string_list(&#input_ident.#f))
                    }
                };
                quote!(#rt::Assignment { name: #name, ty: #ty, query: #query, value: #value })
            })
            .collect();
        let text = &self.text;
        // A mapping reads no environment (see `compile_mapping`).
        let prelude = emitter.prelude(input, &TokenStream::new());
        quote!({
            #prelude
            #rt::search_attributes(#text, [#(#assignments),*])
        })
    }
}
