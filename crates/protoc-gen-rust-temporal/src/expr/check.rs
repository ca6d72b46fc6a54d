//! Checking a parsed query against the input message descriptor, resolving
//! paths to fields and functions/methods to the supported set.

use prost_reflect::{Cardinality, EnumDescriptor, FieldDescriptor, Kind, MessageDescriptor};

use super::ExprError;
use super::parse::{Ast, BinOp, Pattern, Segment};
use super::types::Kinds;
use crate::names;

/// A checked query.
#[derive(Debug, Clone)]
pub(crate) enum Ir {
    Path(Path),
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Null,
    Func(Func),
    Throw(Box<Ir>),
    Method(Box<Ir>, Method),
    /// `left op right`.
    Binary(BinOp, Box<Ir>, Box<Ir>),
    /// `!x`.
    Not(Box<Ir>),
    /// A `match`: the target (`None`: the input object, which no literal
    /// equals) and the cases in order.
    Match {
        target: Option<Box<Ir>>,
        arms: Vec<(Case, Ir)>,
    },
    /// An `if`: the conditions with their results, and the `else` result.
    If {
        branches: Vec<(Ir, Ir)>,
        otherwise: Option<Box<Ir>>,
    },
    /// `this` inside a `match` case with a target: the matched value, or a
    /// path into it.
    Matched(Vec<String>),
    /// The element a `map_each` or `sort_by` query is evaluated on (its
    /// binding, counted from the outermost), or a path into it.
    Local(usize, Vec<String>),
    /// A path into a value that is not the input (`x.re_find_object(..).g`).
    Select(Box<Ir>, Vec<String>),
    /// `[a, b, ...]`.
    Array(Vec<Ir>),
    /// `{key: value, ...}`.
    Object(Vec<(Ir, Ir)>),
    /// A path the descriptor cannot type as a scalar (a whole message,
    /// list, map or `Struct`, or a path inside a map or `Struct`): read
    /// from the input's protojson at run time, as Go reads every path;
    /// of kinds `Kinds`.
    Json(Vec<String>, Kinds),
}

/// A path resolved against the input descriptor.
pub(crate) enum Resolved {
    /// A scalar field, read from the prost struct.
    Field(Path),
    /// See [`Ir::Json`].
    Json(Vec<String>, Kinds),
}

/// The query a `map_each` or `sort_by` evaluates on each element, bound to
/// `binding`.
#[derive(Debug, Clone)]
pub(crate) struct Lambda {
    pub binding: usize,
    pub body: Box<Ir>,
}

/// A scheme of `decode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scheme {
    Base64,
    Base64Url,
    Base64RawUrl,
    Hex,
    Ascii85,
    Z85,
}

/// What `this` and paths (other than a lambda's name) read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Context {
    /// The input message.
    Input,
    /// The value of the innermost `match` with a target.
    Matched,
    /// The element of a `map_each` or `sort_by` query without a name.
    Element(usize),
}

/// A checked `match` case.
#[derive(Debug, Clone)]
pub(crate) enum Case {
    /// `_`.
    Any,
    /// A literal, compared with the matched value.
    Literal(Ir),
    /// A query that must yield `true`.
    Query(Ir),
}

impl Case {
    /// The case's query or literal, if it has one.
    pub fn pattern(&self) -> Option<&Ir> {
        match self {
            Case::Any => None,
            Case::Literal(ir) | Case::Query(ir) => Some(ir),
        }
    }
}

impl Ir {
    /// The queries directly inside this one: operands, a method's target
    /// and argument (a lambda's body), a `match`'s target, cases and
    /// results, an `if`'s conditions and results, literal elements.
    pub fn children(&self) -> Vec<&Ir> {
        match self {
            Ir::Path(_)
            | Ir::Str(_)
            | Ir::Int(_)
            | Ir::Float(_)
            | Ir::Bool(_)
            | Ir::Null
            | Ir::Func(_)
            | Ir::Matched(_)
            | Ir::Local(..)
            | Ir::Json(..) => Vec::new(),
            Ir::Throw(inner) | Ir::Not(inner) | Ir::Select(inner, _) => vec![inner],
            Ir::Binary(_, left, right) => vec![left, right],
            Ir::Method(target, method) => std::iter::once(&**target)
                .chain(method.argument())
                .collect(),
            Ir::Array(items) => items.iter().collect(),
            Ir::Object(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
            Ir::Match { target, arms } => target
                .as_deref()
                .into_iter()
                .chain(
                    arms.iter()
                        .flat_map(|(case, result)| case.pattern().into_iter().chain([result])),
                )
                .collect(),
            Ir::If {
                branches,
                otherwise,
            } => branches
                .iter()
                .flat_map(|(condition, result)| [condition, result])
                .chain(otherwise.as_deref())
                .collect(),
        }
    }

    /// Whether evaluating this reads the input message.
    pub fn uses_input(&self) -> bool {
        match self {
            Ir::Path(path) => !matches!(path.kind, LeafKind::NullValue),
            Ir::Json(..) => true,
            other => other.children().into_iter().any(Ir::uses_input),
        }
    }
}

/// Functions without arguments that read the environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    UuidV4,
    Nanoid,
    Ksuid,
    Now,
}

/// Supported methods.
#[derive(Debug, Clone)]
pub(crate) enum Method {
    Or(Box<Ir>),
    Catch(Box<Ir>),
    NotEmpty,
    String,
    Slug,
    Uppercase,
    Lowercase,
    Capitalize,
    /// `.int64()` (search attribute mappings only).
    Int64,
    /// `.ts_parse(layout)` (search attribute mappings only).
    TsParse(String),
    /// `.contains(x)` on a string, array or object.
    Contains(Box<Ir>),
    HasPrefix(Box<Ir>),
    HasSuffix(Box<Ir>),
    /// `.re_find_object(pattern)`, the pattern in the `regex` crate's
    /// syntax.
    ReFindObject(String),
    /// `.without(paths...)`.
    Without(Vec<String>),
    KeyValues,
    Keys,
    Values,
    MapEach(Lambda),
    SortBy(Lambda),
    /// `.join()` or `.join(delimiter)`.
    Join(Option<Box<Ir>>),
    /// `.get(path)`.
    Get(Box<Ir>),
    Decode(Scheme),
}

impl Method {
    /// The argument that is a query, if the method takes one.
    pub fn argument(&self) -> Option<&Ir> {
        match self {
            Method::Or(arg)
            | Method::Catch(arg)
            | Method::Contains(arg)
            | Method::HasPrefix(arg)
            | Method::HasSuffix(arg)
            | Method::Get(arg) => Some(arg),
            Method::Join(arg) => arg.as_deref(),
            Method::MapEach(lambda) | Method::SortBy(lambda) => Some(&lambda.body),
            _ => None,
        }
    }
}

/// The `ts_parse` layouts a mapping may use: RFC 3339 (with a zone, or a
/// literal `Z`) and dates.
pub(crate) const TS_PARSE_LAYOUTS: &[&str] = &[
    "2006-01-02T15:04:05Z07:00",
    "2006-01-02T15:04:05.999999999Z07:00",
    "2006-01-02T15:04:05Z",
    "2006-01-02",
];

/// A path resolved to fields: zero or more steps into nested messages, then
/// a leaf holding a scalar-like value.
#[derive(Debug, Clone)]
pub(crate) struct Path {
    /// Steps into messages; each yields an `Option<&Message>`.
    pub steps: Vec<Access>,
    /// The field holding the value.
    pub leaf: Access,
    pub kind: LeafKind,
}

/// How a field is reached in the prost struct.
#[derive(Debug, Clone)]
pub(crate) enum Access {
    /// A plain `T` field. `implicit`: proto3 implicit presence, where the
    /// default value means unset; otherwise (proto2 `required`) always set.
    Plain {
        field: FieldDescriptor,
        implicit: bool,
    },
    /// An `Option<T>` field: a message, or a scalar with explicit presence.
    Optional(FieldDescriptor),
    /// A member of a (non-synthetic) oneof: a variant of the oneof enum.
    Oneof(FieldDescriptor),
    /// An element of a repeated field.
    Element(FieldDescriptor, usize),
}

/// What a leaf field holds.
#[derive(Debug, Clone)]
pub(crate) enum LeafKind {
    /// A scalar (or a wrapper message, which prost maps to its scalar).
    Scalar,
    /// An enum: rendered as the value name.
    Enum(EnumDescriptor),
    /// `google.protobuf.NullValue`: always `null` in JSON.
    NullValue,
    /// `google.protobuf.Timestamp`: RFC 3339.
    Timestamp,
    /// `google.protobuf.Duration`: seconds with an `s` suffix.
    Duration,
}

/// Checks queries of one template.
pub(crate) struct Checker<'a> {
    pub input: Option<&'a MessageDescriptor>,
    pub template: &'a str,
    /// Set when a query calls a function that needs the environment.
    pub uses_env: bool,
    /// Checking a search attribute mapping's query: the conversion methods
    /// (`int64`, `ts_parse`) are allowed.
    pub mapping: bool,
    /// What `this` and paths read.
    context: Context,
    /// The names lambdas bind, innermost last, with their bindings.
    names: Vec<(String, usize)>,
    /// The lambdas around the query being checked.
    bindings: usize,
}

impl<'a> Checker<'a> {
    /// A checker of the queries of `template` (a mapping's when `mapping`)
    /// against `input`.
    pub fn new(input: Option<&'a MessageDescriptor>, template: &'a str, mapping: bool) -> Self {
        Self {
            input,
            template,
            uses_env: false,
            mapping,
            context: Context::Input,
            names: Vec::new(),
            bindings: 0,
        }
    }
}

impl Checker<'_> {
    fn unsupported(&self, construct: impl Into<String>) -> ExprError {
        ExprError::Unsupported {
            construct: construct.into(),
            template: self.template.to_owned(),
        }
    }

    fn invalid_path(&self, path: &str, reason: impl Into<String>) -> ExprError {
        ExprError::InvalidPath {
            path: path.to_owned(),
            reason: reason.into(),
            template: self.template.to_owned(),
        }
    }

    fn arity(&self, callee: String, expected: &str, got: usize) -> ExprError {
        ExprError::Arity {
            callee,
            expected: expected.to_owned(),
            got,
            template: self.template.to_owned(),
        }
    }

    pub fn check(&mut self, ast: &Ast) -> Result<Ir, ExprError> {
        Ok(match ast {
            Ast::Path(segments) => self.path_value(segments)?,
            Ast::Select { target, path } => {
                Ir::Select(Box::new(self.check(target)?), segment_texts(path))
            }
            Ast::Array(items) => Ir::Array(
                items
                    .iter()
                    .map(|item| self.check(item))
                    .collect::<Result<_, _>>()?,
            ),
            Ast::Object(entries) => self.object(entries)?,
            Ast::Lambda { .. } => {
                return Err(self
                    .unsupported("lambda (`->`) outside the argument of `map_each` or `sort_by`"));
            }
            Ast::Binary { op, left, right } => Ir::Binary(
                *op,
                Box::new(self.check(left)?),
                Box::new(self.check(right)?),
            ),
            Ast::Not(inner) => Ir::Not(Box::new(self.check(inner)?)),
            Ast::Match { target, arms } => self.match_expr(target.as_deref(), arms)?,
            Ast::If {
                branches,
                otherwise,
            } => self.if_expr(branches, otherwise.as_deref())?,
            Ast::Str(s) => Ir::Str(s.clone()),
            Ast::Int(i) => Ir::Int(*i),
            Ast::Float(f) => Ir::Float(*f),
            Ast::Bool(b) => Ir::Bool(*b),
            Ast::Null => Ir::Null,
            Ast::Call { name, args } => self.call(name, args)?,
            Ast::Method { target, name, args } => {
                let target = Box::new(self.check(target)?);
                Ir::Method(target, self.method(name, args)?)
            }
        })
    }

    /// A `match`. One that no case matches yields Bloblang's `nothing`.
    fn match_expr(
        &mut self,
        target: Option<&Ast>,
        arms: &[(Pattern, Ast)],
    ) -> Result<Ir, ExprError> {
        let target = match target {
            Some(t) => Some(Box::new(self.check(t)?)),
            // A `match` without a target sees what `this` is: the input
            // object, or the matched value or element around it.
            None if self.context == Context::Input => None,
            None => Some(Box::new(self.path_value(&[])?)),
        };
        let context = self.context;
        if target.is_some() {
            self.context = Context::Matched;
        }
        let mut checked = Vec::new();
        for (pattern, result) in arms {
            let pattern = match pattern {
                Pattern::Wildcard => Case::Any,
                Pattern::Literal(literal) => Case::Literal(self.check(literal)?),
                Pattern::Query(query) => Case::Query(self.check(query)?),
            };
            checked.push((pattern, self.check(result)?));
        }
        self.context = context;
        Ok(Ir::Match {
            target,
            arms: checked,
        })
    }

    /// An `if`. Without `else`, one whose conditions all fail yields
    /// Bloblang's `nothing`.
    fn if_expr(
        &mut self,
        branches: &[(Ast, Ast)],
        otherwise: Option<&Ast>,
    ) -> Result<Ir, ExprError> {
        let mut checked = Vec::new();
        for (condition, result) in branches {
            checked.push((self.check(condition)?, self.check(result)?));
        }
        let otherwise = otherwise.map(|o| self.check(o)).transpose()?;
        Ok(Ir::If {
            branches: checked,
            otherwise: otherwise.map(Box::new),
        })
    }

    fn call(&mut self, name: &str, args: &[Ast]) -> Result<Ir, ExprError> {
        let func = match name {
            "uuid_v4" => Func::UuidV4,
            "nanoid" => Func::Nanoid,
            "ksuid" => Func::Ksuid,
            "now" => Func::Now,
            "throw" => {
                let [message] = args else {
                    return Err(self.arity(format!("function `{name}`"), "1", args.len()));
                };
                return Ok(Ir::Throw(Box::new(self.check(message)?)));
            }
            _ => return Err(self.unsupported(format!("function `{name}`"))),
        };
        if !args.is_empty() {
            return Err(self.arity(format!("function `{name}`"), "0", args.len()));
        }
        self.uses_env = true;
        Ok(Ir::Func(func))
    }

    fn method(&mut self, name: &str, args: &[Ast]) -> Result<Method, ExprError> {
        let method = match name {
            "or" | "catch" => {
                let [fallback] = args else {
                    return Err(self.arity(format!("method `{name}`"), "1", args.len()));
                };
                let fallback = Box::new(self.check(fallback)?);
                return Ok(if name == "or" {
                    Method::Or(fallback)
                } else {
                    Method::Catch(fallback)
                });
            }
            "slug" => {
                match args {
                    [] => {}
                    [Ast::Str(lang)] if lang == "en" || lang == "eng" => {}
                    [Ast::Str(lang)] => {
                        return Err(self.unsupported(format!(
                            "`slug` language `{lang}` (only English is supported)"
                        )));
                    }
                    [_] => return Err(self.unsupported("non-literal `slug` language")),
                    _ => return Err(self.arity(format!("method `{name}`"), "0 or 1", args.len())),
                }
                return Ok(Method::Slug);
            }
            "contains" | "has_prefix" | "has_suffix" => {
                let [value] = args else {
                    return Err(self.arity(format!("method `{name}`"), "1", args.len()));
                };
                // Bloblang checks a literal argument's type when parsing.
                if name != "contains" && value.is_literal() && !matches!(value, Ast::Str(_)) {
                    return Err(self.unsupported(format!(
                        "`{name}` of a literal that is not a string (it takes a string)"
                    )));
                }
                let value = Box::new(self.check(value)?);
                return Ok(match name {
                    "contains" => Method::Contains(value),
                    "has_prefix" => Method::HasPrefix(value),
                    _ => Method::HasSuffix(value),
                });
            }
            "re_find_object" | "without" | "decode" | "map_each" | "sort_by" | "join" | "get" => {
                return self.structured_method(name, args);
            }
            "key_values" => Method::KeyValues,
            "keys" => Method::Keys,
            "values" => Method::Values,
            "not_empty" => Method::NotEmpty,
            "string" => Method::String,
            "uppercase" => Method::Uppercase,
            "lowercase" => Method::Lowercase,
            "capitalize" => Method::Capitalize,
            "int64" if self.mapping => Method::Int64,
            "ts_parse" if self.mapping => {
                return match args {
                    [Ast::Str(layout)] if TS_PARSE_LAYOUTS.contains(&layout.as_str()) => {
                        Ok(Method::TsParse(layout.clone()))
                    }
                    [Ast::Str(layout)] => Err(self.unsupported(format!(
                        "`ts_parse` layout `{layout}` (supported: {})",
                        TS_PARSE_LAYOUTS.join(", ")
                    ))),
                    [_] => Err(self.unsupported("non-literal `ts_parse` layout")),
                    _ => Err(self.arity(format!("method `{name}`"), "1", args.len())),
                };
            }
            _ => return Err(self.unsupported(format!("method `{name}`"))),
        };
        if !args.is_empty() {
            return Err(self.arity(format!("method `{name}`"), "0", args.len()));
        }
        Ok(method)
    }

    /// The methods on arrays, objects and bytes, and those that make them.
    /// Apart from [`method`](Self::method), whose frame every nesting level
    /// of a query holds.
    #[inline(never)]
    fn structured_method(&mut self, name: &str, args: &[Ast]) -> Result<Method, ExprError> {
        let literal = |i: usize| match args.get(i) {
            Some(Ast::Str(s)) => Some(s.as_str()),
            _ => None,
        };
        match name {
            "re_find_object" => {
                let (Some(pattern), 1) = (literal(0), args.len()) else {
                    return Err(self.literal_argument(name, args, "a string literal pattern"));
                };
                super::regex::check(pattern)
                    .map(Method::ReFindObject)
                    .map_err(|e| self.unsupported(format!("`{name}` pattern `{pattern}`: {e}")))
            }
            "without" => {
                let paths: Option<Vec<String>> = (0..args.len())
                    .map(|i| literal(i).map(str::to_owned))
                    .collect();
                match paths {
                    Some(paths) if !paths.is_empty() => Ok(Method::Without(paths)),
                    _ => Err(self.literal_argument(name, args, "string literal paths")),
                }
            }
            "decode" => match (literal(0), args.len()) {
                (Some("base64"), 1) => Ok(Method::Decode(Scheme::Base64)),
                (Some("base64url"), 1) => Ok(Method::Decode(Scheme::Base64Url)),
                (Some("base64rawurl"), 1) => Ok(Method::Decode(Scheme::Base64RawUrl)),
                (Some("hex"), 1) => Ok(Method::Decode(Scheme::Hex)),
                (Some("ascii85"), 1) => Ok(Method::Decode(Scheme::Ascii85)),
                (Some("z85"), 1) => Ok(Method::Decode(Scheme::Z85)),
                (Some(other), 1) => Err(self.unsupported(format!(
                    "`decode` scheme `{other}` (supported: base64, base64url, base64rawurl, \
                     hex, ascii85, z85)"
                ))),
                _ => Err(self.literal_argument(name, args, "a string literal scheme")),
            },
            "map_each" | "sort_by" => {
                let [query] = args else {
                    return Err(self.arity(format!("method `{name}`"), "1", args.len()));
                };
                let lambda = self.lambda(query)?;
                Ok(if name == "map_each" {
                    Method::MapEach(lambda)
                } else {
                    Method::SortBy(lambda)
                })
            }
            "join" => match args {
                [] => Ok(Method::Join(None)),
                [delimiter] => Ok(Method::Join(Some(Box::new(self.check(delimiter)?)))),
                _ => Err(self.arity(format!("method `{name}`"), "0 or 1", args.len())),
            },
            "get" => match args {
                [path] if path.is_literal() && literal(0).is_none() => {
                    Err(self.literal_argument(name, args, "a string path"))
                }
                [path] => Ok(Method::Get(Box::new(self.check(path)?))),
                _ => Err(self.arity(format!("method `{name}`"), "1", args.len())),
            },
            _ => unreachable!("not a structured method: {name}"),
        }
    }

    /// An object literal. A key that is a literal must be a string, as
    /// Bloblang checks when parsing; a query key must yield one.
    fn object(&mut self, entries: &[(Ast, Ast)]) -> Result<Ir, ExprError> {
        let mut checked = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            if key.is_literal() && !matches!(key, Ast::Str(_)) {
                return Err(self.unsupported("object key that is a literal but not a string"));
            }
            checked.push((self.check(key)?, self.check(value)?));
        }
        Ok(Ir::Object(checked))
    }

    /// The error for a method whose arguments must be literals (`takes`
    /// says which) and are not.
    fn literal_argument(&self, method: &str, args: &[Ast], takes: &str) -> ExprError {
        if args.is_empty() {
            return self.arity(format!("method `{method}`"), "1", 0);
        }
        self.unsupported(format!("`{method}` argument that is not {takes}"))
    }

    /// The query a `map_each` or `sort_by` evaluates on each element: a
    /// lambda (`name -> body`: `name` is the element, `this` stays), or any
    /// other query (`this` is the element).
    fn lambda(&mut self, query: &Ast) -> Result<Lambda, ExprError> {
        let binding = self.bindings;
        let (context, names) = (self.context, self.names.len());
        let body = match query {
            Ast::Lambda { name, body } => {
                if name == "this" || name == "root" {
                    return Err(self.unsupported(format!("lambda named `{name}`")));
                }
                if self.names.iter().any(|(bound, _)| bound == name) {
                    return Err(self.unsupported(format!(
                        "lambda named `{name}` inside another of that name"
                    )));
                }
                if name != "_" {
                    self.names.push((name.clone(), binding));
                }
                body.as_ref()
            }
            query => {
                self.context = Context::Element(binding);
                query
            }
        };
        self.bindings += 1;
        let checked = self.check(body);
        self.bindings -= 1;
        self.context = context;
        self.names.truncate(names);
        Ok(Lambda {
            binding,
            body: Box::new(checked?),
        })
    }

    /// What a path reads: a lambda's element when it starts with the
    /// lambda's name, else what `this` is.
    fn path_value(&self, segments: &[Segment]) -> Result<Ir, ExprError> {
        if let Some(Segment::Field(first)) = segments.first()
            && let Some((_, binding)) = self.names.iter().rev().find(|(name, _)| name == first)
        {
            return Ok(Ir::Local(*binding, segment_texts(&segments[1..])));
        }
        Ok(match self.context {
            Context::Input => match self.path(segments)? {
                Resolved::Field(path) => Ir::Path(path),
                Resolved::Json(path, kinds) => Ir::Json(path, kinds),
            },
            Context::Matched => Ir::Matched(segment_texts(segments)),
            Context::Element(binding) => Ir::Local(binding, segment_texts(segments)),
        })
    }

    fn path(&self, segments: &[Segment]) -> Result<Resolved, ExprError> {
        let text = path_text(segments);
        let Some(mut message) = self.input.cloned() else {
            if segments.is_empty() {
                return Err(self.invalid_path("this", "the input is google.protobuf.Empty"));
            }
            let field = match &segments[0] {
                Segment::Field(f) => f.clone(),
                Segment::Index(i) => i.to_string(),
            };
            return Err(ExprError::UnknownField {
                field,
                message: "google.protobuf.Empty".to_owned(),
                hint: String::new(),
                template: self.template.to_owned(),
            });
        };
        if message.full_name().starts_with("google.protobuf.") {
            // protojson writes these as strings, numbers or free-form
            // JSON, so Go finds no field at this path for any input.
            return Err(self.invalid_path(
                &text,
                format!(
                    "the input is the well-known type {}, whose JSON form has no fields to select",
                    message.full_name()
                ),
            ));
        }
        // What protojson has at the path, read at run time.
        let json = |kinds: Kinds| Ok(Resolved::Json(segment_texts(segments), kinds));
        let object = Kinds::OBJECT.union(Kinds::NULL);
        if segments.is_empty() {
            return json(Kinds::OBJECT);
        }
        let mut steps = Vec::new();
        let mut rest = segments;
        loop {
            let (segment, tail) = rest
                .split_first()
                .ok_or_else(|| self.invalid_path(&text, "it ends without selecting a field"))?;
            let name = match segment {
                Segment::Field(name) => name,
                Segment::Index(i) => {
                    return Err(self.invalid_path(
                        &text,
                        format!(
                            "index `{i}` applied to message `{}`, not a list",
                            message.full_name()
                        ),
                    ));
                }
            };
            let field = self.field(&message, name)?;
            // A map is an object, its keys' values of any kind.
            if field.is_map() {
                return json(if tail.is_empty() { object } else { Kinds::ANY });
            }
            if field.is_list() && tail.is_empty() {
                return json(Kinds::ARRAY.union(Kinds::NULL));
            }
            let (access, tail) = self.access(&text, &field, tail)?;
            if let Kind::Message(m) = field.kind() {
                let full = m.full_name();
                let leaf = match full {
                    "google.protobuf.Timestamp" => Some(LeafKind::Timestamp),
                    "google.protobuf.Duration" => Some(LeafKind::Duration),
                    _ if names::WRAPPERS.contains(&full) => Some(LeafKind::Scalar),
                    "google.protobuf.Struct" if tail.is_empty() => return json(object),
                    // `Struct`, `Value`, `ListValue`, `Any`, ...: free-form
                    // JSON.
                    _ if full.starts_with("google.protobuf.") => return json(Kinds::ANY),
                    _ => None,
                };
                if let Some(kind) = leaf {
                    return self
                        .leaf(&text, steps, access, kind, tail, full)
                        .map(Resolved::Field);
                }
                if tail.is_empty() {
                    return json(object);
                }
                steps.push(access);
                message = m;
                rest = tail;
                continue;
            }
            let (kind, type_name) = match field.kind() {
                Kind::Enum(e) if e.full_name() == "google.protobuf.NullValue" => {
                    (LeafKind::NullValue, "enum")
                }
                Kind::Enum(e) => (LeafKind::Enum(e), "enum"),
                _ => (LeafKind::Scalar, "scalar"),
            };
            return self
                .leaf(&text, steps, access, kind, tail, type_name)
                .map(Resolved::Field);
        }
    }

    fn leaf(
        &self,
        text: &str,
        steps: Vec<Access>,
        leaf: Access,
        kind: LeafKind,
        tail: &[Segment],
        type_name: &str,
    ) -> Result<Path, ExprError> {
        if let Some(next) = tail.first() {
            let next = match next {
                Segment::Field(f) => f.clone(),
                Segment::Index(i) => i.to_string(),
            };
            return Err(self.invalid_path(
                text,
                format!(
                    "`{next}` cannot be selected inside field `{}` of type {type_name}",
                    access_field(&leaf).json_name()
                ),
            ));
        }
        Ok(Path { steps, leaf, kind })
    }

    /// The field named `name` (its JSON name) in `message`.
    fn field(&self, message: &MessageDescriptor, name: &str) -> Result<FieldDescriptor, ExprError> {
        if let Some(field) = message.fields().find(|f| f.json_name() == name) {
            // Its name, its oneof's (the enum prost declares for it) and
            // its message's (the module of that enum) are written out.
            let oneof = field.containing_oneof().map(|o| o.name().to_owned());
            let names = [
                ("its name", Some(field.name())),
                ("its oneof", oneof.as_deref()),
                ("its message", Some(message.full_name())),
            ];
            let unusable = names.into_iter().find_map(|(whose, name)| {
                let name = name?;
                let last = name.rsplit('.').next().unwrap_or(name);
                crate::names::unusable_as_ident(last).map(|reason| (whose, name, reason))
            });
            return match unusable {
                None => Ok(field),
                Some((whose, name, reason)) => Err(ExprError::UnusableField {
                    field: field.name().to_owned(),
                    culprit: if whose == "its name" {
                        whose.to_owned()
                    } else {
                        format!("{whose} `{name}`")
                    },
                    reason,
                    template: self.template.to_owned(),
                }),
            };
        }
        let hint = message
            .fields()
            .find(|f| f.name() == name)
            .map(|f| format!(" (did you mean `{}`? paths use JSON names)", f.json_name()))
            .unwrap_or_default();
        Err(ExprError::UnknownField {
            field: name.to_owned(),
            message: message.full_name().to_owned(),
            hint,
            template: self.template.to_owned(),
        })
    }

    /// How `field` is reached, consuming an index segment for lists.
    fn access<'s>(
        &self,
        text: &str,
        field: &FieldDescriptor,
        tail: &'s [Segment],
    ) -> Result<(Access, &'s [Segment]), ExprError> {
        let json = field.json_name();
        if field.is_map() {
            return Err(self.unsupported(format!("map field `{json}`")));
        }
        if field.is_list() {
            return match tail.split_first() {
                Some((Segment::Index(i), tail)) => Ok((Access::Element(field.clone(), *i), tail)),
                _ => Err(self.invalid_path(
                    text,
                    format!("`{json}` is a list: select an element by index, e.g. `{json}.0`"),
                )),
            };
        }
        let access = if field
            .containing_oneof()
            .is_some_and(|oneof| !oneof.is_synthetic())
        {
            Access::Oneof(field.clone())
        } else if matches!(field.kind(), Kind::Message(_)) {
            Access::Optional(field.clone())
        } else if field.cardinality() == Cardinality::Required {
            Access::Plain {
                field: field.clone(),
                implicit: false,
            }
        } else if field.supports_presence() {
            Access::Optional(field.clone())
        } else {
            Access::Plain {
                field: field.clone(),
                implicit: true,
            }
        };
        Ok((access, tail))
    }
}

/// The field an access reads.
pub(crate) fn access_field(access: &Access) -> &FieldDescriptor {
    match access {
        Access::Plain { field, .. }
        | Access::Optional(field)
        | Access::Oneof(field)
        | Access::Element(field, _) => field,
    }
}

/// A path's segments as the keys (or indexes) a value is walked by.
fn segment_texts(segments: &[Segment]) -> Vec<String> {
    segments
        .iter()
        .map(|s| match s {
            Segment::Field(f) => f.clone(),
            Segment::Index(i) => i.to_string(),
        })
        .collect()
}

fn path_text(segments: &[Segment]) -> String {
    if segments.is_empty() {
        return "this".to_owned();
    }
    segments
        .iter()
        .map(|s| match s {
            Segment::Field(f) => f.clone(),
            Segment::Index(i) => i.to_string(),
        })
        .collect::<Vec<_>>()
        .join(".")
}
