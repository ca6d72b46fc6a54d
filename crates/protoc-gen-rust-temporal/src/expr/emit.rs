//! Emitting the Rust code that evaluates a checked template.
//!
//! Each query becomes an expression of type
//! `Result<::xns_runtime::expr::Value, ::xns_runtime::expr::QueryError>`
//! built from the runtime's `__private` helpers. Field paths walk the prost
//! structs through `Option<&Message>` chains (`as_ref`, `get`, oneof
//! matches), so unset messages, short lists and other oneof variants are
//! `null`, never a panic.

use proc_macro2::{Literal, TokenStream};
use prost_reflect::EnumDescriptor;
use quote::quote;

use super::check::{Access, Case, Func, Ir, Lambda, LeafKind, Method, Path, Scheme, access_field};
use super::parse::BinOp;
use crate::names;

/// The binding of the input message reference in emitted code.
pub(crate) fn input_ident() -> TokenStream {
    quote!(input)
}

/// The binding of the input's protojson in emitted code.
fn json_ident() -> TokenStream {
    quote!(json)
}

/// The binding of the `&dyn IdEnv` in emitted code.
pub(crate) fn env_ident() -> TokenStream {
    quote!(env)
}

fn ok(value: TokenStream) -> TokenStream {
    quote!(Ok(#value))
}

/// Emission state for one template.
pub(crate) struct Emitter<'a> {
    /// The proto package of the module the code goes into.
    pub package: &'a str,
    /// Module levels between the code and the module of `package` (1 in a
    /// service module): paths to oneof enums climb them with `super::`.
    pub depth: usize,
    /// The path of the runtime crate (`::xns_runtime`).
    pub runtime: &'a TokenStream,
    /// Set when emitted code reads the input.
    pub uses_input: bool,
    /// Set when emitted code reads the environment.
    pub uses_env: bool,
    /// Set when emitted code reads the input's protojson (see
    /// [`Ir::Json`]), which the block then encodes once.
    pub uses_json: bool,
}

impl<'a> Emitter<'a> {
    /// A fresh emitter for code in `package`, `depth` modules below its
    /// module, with the runtime at `runtime`.
    pub fn new(package: &'a str, depth: usize, runtime: &'a TokenStream) -> Self {
        Self {
            package,
            depth,
            runtime,
            uses_input: false,
            uses_env: false,
            uses_json: false,
        }
    }

    /// The statements that open an emitted block: the import of the
    /// runtime's helpers, and the bindings of `input`, `env` and the
    /// input's protojson that the emitted code read. An argument already
    /// under the binding's name (the parameters of a generated function)
    /// needs no binding.
    pub fn prelude(&self, input: &TokenStream, env: &TokenStream) -> TokenStream {
        let runtime = self.runtime;
        let alias = ops_alias();
        let input_ident = input_ident();
        let input_binding = (self.uses_input && input.to_string() != input_ident.to_string())
            .then(|| quote!(let #input_ident = #input;));
        let env_ident = env_ident();
        let env_binding = (self.uses_env && env.to_string() != env_ident.to_string())
            .then(|| quote!(let #env_ident: &dyn #runtime::expr::IdEnv = #env;));
        let json = json_ident();
        let json_binding = self
            .uses_json
            .then(|| quote!(let #json = #alias::protojson(#input_ident);));
        quote!(use #runtime::expr::__private as #alias; #input_binding #env_binding #json_binding)
    }
}

/// Whether `ir` reads the value of the innermost `match` around it (a
/// nested `match` with a target binds its own).
fn reads_matched(ir: &Ir) -> bool {
    match ir {
        Ir::Matched(_) => true,
        // Its cases read the value it binds.
        Ir::Match {
            target: Some(target),
            ..
        } => reads_matched(target),
        other => other.children().into_iter().any(reads_matched),
    }
}

/// The runtime function of an operator: arithmetic and comparisons take
/// both operands' results, `&&`, `||` and `|` the right one as a closure
/// (they may not evaluate it).
fn operator(op: BinOp) -> (TokenStream, bool) {
    let lazy = matches!(op, BinOp::And | BinOp::Or | BinOp::Coalesce);
    let name = match op {
        BinOp::Add => quote!(add),
        BinOp::Sub => quote!(sub),
        BinOp::Mul => quote!(mul),
        BinOp::Div => quote!(div),
        BinOp::Rem => quote!(rem),
        BinOp::Coalesce => quote!(coalesce),
        BinOp::Eq => quote!(eq),
        BinOp::Ne => quote!(ne),
        BinOp::Lt => quote!(lt),
        BinOp::Le => quote!(le),
        BinOp::Gt => quote!(gt),
        BinOp::Ge => quote!(ge),
        BinOp::And => quote!(and),
        BinOp::Or => quote!(either),
    };
    (name, lazy)
}

/// The closure parameter of the `binding`th lambda: `value_0` for the
/// outermost.
fn element_ident(binding: usize) -> proc_macro2::Ident {
    quote::format_ident!("value_{}", binding)
}

/// The rest of a `match` or an `if` after a case or branch, evaluated
/// only when that one does not apply: a closure, or the runtime's
/// `nothing` function itself when nothing is left (`None`); a closure that
/// only calls it is redundant.
fn lazy(rt: &TokenStream, rest: Option<TokenStream>) -> TokenStream {
    match rest {
        Some(body) => quote!(|| #body),
        None => quote!(#rt::nothing),
    }
}

/// Whether `ir` is a `match` none of whose cases can apply (none, or only
/// literal ones without a target), which yields `nothing` for any input.
fn always_nothing(ir: &Ir) -> bool {
    matches!(ir, Ir::Match { target, arms }
        if arms.iter().all(|(case, _)| target.is_none() && matches!(case, Case::Literal(_))))
}

/// The rest of a `match` or an `if` evaluated at once: `nothing` when none
/// is left.
fn now_or_nothing(rt: &TokenStream, rest: Option<TokenStream>) -> TokenStream {
    rest.unwrap_or_else(|| quote!(#rt::nothing()))
}

/// `target`, or a path into it.
fn select(rt: &TokenStream, target: TokenStream, path: &[String]) -> TokenStream {
    if path.is_empty() {
        target
    } else {
        quote!(#rt::select(#target, &[#(#path),*]))
    }
}

/// Whether `ir` reads the element bound to `binding`.
fn reads_binding(ir: &Ir, binding: usize) -> bool {
    match ir {
        Ir::Local(b, _) => *b == binding,
        other => other
            .children()
            .into_iter()
            .any(|child| reads_binding(child, binding)),
    }
}

/// Where a path walk stands: a message reference, or an optional one.
enum Nav {
    /// An expression of type `&Message`.
    Direct(TokenStream),
    /// An expression of type `Option<&Message>`.
    Opt(TokenStream),
}

/// `id`: the name the emitted block imports the runtime's expression
/// helpers under (`use ::xns_runtime::expr::__private as id;`). It is in
/// the type namespace of the block, where nothing else is declared.
pub fn ops_alias() -> proc_macro2::Ident {
    quote::format_ident!("id")
}

impl Emitter<'_> {
    /// The runtime helpers' module, as the emitted block imports it (see
    /// [`ops_alias`]).
    pub fn rt(&self) -> TokenStream {
        let alias = ops_alias();
        quote!(#alias)
    }

    /// `Ok(Value::#variant)`.
    fn value(&self, variant: TokenStream) -> TokenStream {
        let runtime = self.runtime;
        ok(quote!(#runtime::expr::Value::#variant))
    }

    pub fn ir(&mut self, ir: &Ir) -> TokenStream {
        let rt = self.rt();
        match ir {
            Ir::Path(path) => self.path(path),
            Ir::Str(s) => quote!(#rt::str_lit(#s)),
            Ir::Int(i) => {
                let lit = Literal::i64_unsuffixed(*i);
                self.value(quote!(Int(#lit)))
            }
            // The parser rejects literals that are not finite; should one
            // get here, it is written as a constant rather than passed to
            // `Literal::f64_unsuffixed`, which panics on it.
            Ir::Float(f) if !f.is_finite() => {
                let constant = if f.is_nan() {
                    quote!(NAN)
                } else if *f > 0.0 {
                    quote!(INFINITY)
                } else {
                    quote!(NEG_INFINITY)
                };
                self.value(quote!(Float(f64::#constant)))
            }
            Ir::Float(f) => {
                let lit = Literal::f64_unsuffixed(*f);
                self.value(quote!(Float(#lit)))
            }
            Ir::Bool(b) => self.value(quote!(Bool(#b))),
            Ir::Null => self.value(quote!(Null)),
            Ir::Func(func) => {
                self.uses_env = true;
                let env = env_ident();
                let name = match func {
                    Func::UuidV4 => quote!(uuid_v4),
                    Func::Nanoid => quote!(nanoid),
                    Func::Ksuid => quote!(ksuid),
                    Func::Now => quote!(now),
                };
                quote!(#rt::#name(#env))
            }
            Ir::Throw(message) => {
                let message = self.ir(message);
                quote!(#rt::throw(#message))
            }
            Ir::Binary(op, left, right) => {
                let (left, right) = (self.ir(left), self.ir(right));
                let (name, lazy) = operator(*op);
                if lazy {
                    quote!(#rt::#name(#left, || #right))
                } else {
                    quote!(#rt::#name(#left, #right))
                }
            }
            Ir::Not(inner) => {
                let inner = self.ir(inner);
                quote!(#rt::not(#inner))
            }
            Ir::Matched(path) => select(&rt, quote!(Ok(matched.clone())), path),
            Ir::Local(binding, path) => {
                let element = element_ident(*binding);
                select(&rt, quote!(Ok(#element.clone())), path)
            }
            Ir::Select(target, path) => {
                let target = self.ir(target);
                select(&rt, target, path)
            }
            Ir::Json(path, _) => {
                self.uses_input = true;
                self.uses_json = true;
                let json = json_ident();
                quote!(#rt::at(&#json, &[#(#path),*]))
            }
            Ir::Array(items) => {
                let items: Vec<TokenStream> = items.iter().map(|item| self.ir(item)).collect();
                quote!(#rt::array(vec![#(#items),*]))
            }
            Ir::Object(entries) => {
                let entries: Vec<TokenStream> = entries
                    .iter()
                    .map(|(key, value)| {
                        let (key, value) = (self.ir(key), self.ir(value));
                        quote!((#key, #value))
                    })
                    .collect();
                quote!(#rt::object(vec![#(#entries),*]))
            }
            Ir::Match { target, arms } => self.match_expr(target.as_deref(), arms),
            Ir::If {
                branches,
                otherwise,
            } => self.if_expr(branches, otherwise.as_deref()),
            Ir::Method(target, method) => {
                let target = self.ir(target);
                self.method(target, method)
            }
        }
    }

    /// A method call on `target`'s code. Apart from [`ir`](Self::ir),
    /// whose frame every nesting level of a query holds.
    #[inline(never)]
    fn method(&mut self, target: TokenStream, method: &Method) -> TokenStream {
        let rt = self.rt();
        let name = match method {
            Method::Or(fallback) | Method::Catch(fallback) => {
                let name = if matches!(method, Method::Or(_)) {
                    quote!(or)
                } else {
                    quote!(catch)
                };
                let fallback = self.ir(fallback);
                return quote!(#rt::#name(#target, || #fallback));
            }
            Method::NotEmpty => quote!(not_empty),
            Method::String => quote!(string),
            Method::Slug => quote!(slug),
            Method::Uppercase => quote!(uppercase),
            Method::Lowercase => quote!(lowercase),
            Method::Capitalize => quote!(capitalize),
            Method::Int64 => quote!(int64),
            Method::TsParse(layout) => return quote!(#rt::ts_parse(#target, #layout)),
            Method::Contains(value) | Method::HasPrefix(value) | Method::HasSuffix(value) => {
                let name = match method {
                    Method::Contains(_) => quote!(contains),
                    Method::HasPrefix(_) => quote!(has_prefix),
                    _ => quote!(has_suffix),
                };
                let value = self.ir(value);
                return quote!(#rt::#name(#target, #value));
            }
            Method::ReFindObject(pattern) => {
                return quote!(#rt::re_find_object(#target, #pattern));
            }
            Method::Without(paths) => return quote!(#rt::without(#target, &[#(#paths),*])),
            Method::KeyValues => quote!(key_values),
            Method::Keys => quote!(keys),
            Method::Values => quote!(values),
            Method::MapEach(lambda) | Method::SortBy(lambda) => {
                let name = if matches!(method, Method::MapEach(_)) {
                    quote!(map_each)
                } else {
                    quote!(sort_by)
                };
                let lambda = self.lambda(lambda);
                return quote!(#rt::#name(#target, #lambda));
            }
            Method::Join(delimiter) => {
                let delimiter = match delimiter {
                    Some(d) => {
                        let d = self.ir(d);
                        quote!(Some(#d))
                    }
                    None => quote!(None),
                };
                return quote!(#rt::join(#target, #delimiter));
            }
            Method::Get(path) => {
                let path = self.ir(path);
                return quote!(#rt::get(#target, #path));
            }
            Method::Decode(scheme) => {
                let scheme = match scheme {
                    Scheme::Base64 => quote!(Base64),
                    Scheme::Base64Url => quote!(Base64Url),
                    Scheme::Base64RawUrl => quote!(Base64RawUrl),
                    Scheme::Hex => quote!(Hex),
                    Scheme::Ascii85 => quote!(Ascii85),
                    Scheme::Z85 => quote!(Z85),
                };
                return quote!(#rt::decode(#target, #rt::Scheme::#scheme));
            }
        };
        quote!(#rt::#name(#target))
    }

    /// A `match`: the target's value bound as `matched`, then one test
    /// per case in order, up to the first `_` case (or the runtime's
    /// `nothing`). A literal case compares the value with the literal; a
    /// query case evaluates to a condition. Without a target the cases see
    /// the input object, which no literal equals: literal cases are left
    /// out.
    fn match_expr(&mut self, target: Option<&Ir>, arms: &[(Case, Ir)]) -> TokenStream {
        let rt = self.rt();
        // The cases after the one at hand; `None` once no case is left.
        let mut rest: Option<TokenStream> = None;
        for (index, (case, result)) in arms.iter().enumerate().rev() {
            rest = match (case, target) {
                (Case::Any, _) => Some(self.ir(result)),
                (Case::Literal(_), None) => rest,
                (Case::Literal(pattern), Some(_)) => {
                    let (pattern, result) = (self.ir(pattern), self.ir(result));
                    let otherwise = now_or_nothing(&rt, rest);
                    Some(quote!(if #rt::equals(&matched, #pattern) { #result } else { #otherwise }))
                }
                (Case::Query(pattern), _) => {
                    let (pattern, result) = (self.ir(pattern), self.later(result));
                    let index = Literal::usize_unsuffixed(index);
                    let otherwise = lazy(&rt, rest);
                    Some(quote!(#rt::case(#index, #pattern, #result, #otherwise)))
                }
            };
        }
        let chain = now_or_nothing(&rt, rest);
        let Some(target) = target else {
            return chain;
        };
        let target = self.ir(target);
        let binding = if arms.iter().any(|(case, result)| {
            matches!(case, Case::Literal(_))
                || case.pattern().is_some_and(reads_matched)
                || reads_matched(result)
        }) {
            quote!(matched)
        } else {
            quote!(_)
        };
        quote!(#target.and_then(|#binding| #chain))
    }

    /// `ir` evaluated later (see [`lazy`]).
    fn later(&mut self, ir: &Ir) -> TokenStream {
        let rt = self.rt();
        let body = (!always_nothing(ir)).then(|| self.ir(ir));
        lazy(&rt, body)
    }

    /// A `map_each` or `sort_by` query: a closure of the element.
    fn lambda(&mut self, lambda: &Lambda) -> TokenStream {
        let element = element_ident(lambda.binding);
        let body = self.ir(&lambda.body);
        if reads_binding(&lambda.body, lambda.binding) {
            quote!(|#element| #body)
        } else {
            quote!(|_| #body)
        }
    }

    /// An `if`: each condition in order, then the `else` result (or the
    /// runtime's `nothing`).
    fn if_expr(&mut self, branches: &[(Ir, Ir)], otherwise: Option<&Ir>) -> TokenStream {
        let rt = self.rt();
        let mut rest = otherwise.map(|otherwise| self.ir(otherwise));
        for (condition, result) in branches.iter().rev() {
            let (condition, result) = (self.ir(condition), self.later(result));
            let otherwise = lazy(&rt, rest);
            rest = Some(quote!(#rt::branch(#condition, #result, #otherwise)));
        }
        now_or_nothing(&rt, rest)
    }

    fn path(&mut self, path: &Path) -> TokenStream {
        let rt = self.rt();
        if matches!(path.kind, LeafKind::NullValue) {
            return self.value(quote!(Null));
        }
        self.uses_input = true;
        let mut nav = Nav::Direct(input_ident());
        for step in &path.steps {
            nav = Nav::Opt(self.source(&nav, step, false));
        }
        let implicit = matches!(path.leaf, Access::Plain { implicit: true, .. });
        match &path.kind {
            LeafKind::Scalar => {
                let source = self.source(&nav, &path.leaf, false);
                if implicit {
                    quote!(#rt::implicit(#source))
                } else {
                    quote!(#rt::explicit(#source))
                }
            }
            LeafKind::Enum(e) => self.enum_leaf(&nav, &path.leaf, e, implicit),
            LeafKind::Timestamp | LeafKind::Duration => {
                let source = self.source(&nav, &path.leaf, false);
                let func = if matches!(path.kind, LeafKind::Timestamp) {
                    quote!(timestamp)
                } else {
                    quote!(duration)
                };
                quote!(#rt::#func(#source.map(|t| (t.seconds, t.nanos))))
            }
            LeafKind::NullValue => unreachable!("handled above"),
        }
    }

    /// A `match` over the enum number: value names as strings, unknown
    /// numbers as numbers, and 0 as `null` for implicit presence.
    fn enum_leaf(
        &self,
        nav: &Nav,
        leaf: &Access,
        desc: &EnumDescriptor,
        implicit: bool,
    ) -> TokenStream {
        let rt = self.rt();
        let null = self.value(quote!(Null));
        // protojson names a number by its first declared value (values()
        // is sorted by number, so read the declaration order).
        let mut named: Vec<(i32, String)> = Vec::new();
        for v in &desc.enum_descriptor_proto().value {
            let number = v.number();
            // With implicit presence, 0 is null (handled by its own arm).
            let zero_is_null = implicit && number == 0;
            if !zero_is_null && !named.iter().any(|(n, _)| *n == number) {
                named.push((number, v.name().to_owned()));
            }
        }
        let direct = matches!(nav, Nav::Direct(_)) && implicit;
        let (scrutinee, wrap): (TokenStream, fn(TokenStream) -> TokenStream) = if direct {
            let Nav::Direct(e) = nav else { unreachable!() };
            let f = names::field_ident(access_field(leaf).name());
            (quote!(#e.#f), |p| p)
        } else {
            (self.source(nav, leaf, true), |p| quote!(Some(#p)))
        };
        let mut arms = Vec::new();
        if implicit {
            let zero = wrap(quote!(0));
            arms.push(if direct {
                quote!(#zero => #null,)
            } else {
                quote!(#zero | None => #null,)
            });
        }
        for (number, name) in &named {
            let lit = Literal::i32_unsuffixed(*number);
            let pat = wrap(quote!(#lit));
            arms.push(quote!(#pat => #rt::str_lit(#name),));
        }
        let n = wrap(quote!(n));
        arms.push(quote!(#n => #rt::enum_number(n),));
        if !direct && !implicit {
            arms.push(quote!(None => #null,));
        }
        quote!(match #scrutinee { #(#arms)* })
    }

    /// An expression reading `access` from `nav`: `Option<&T>`, or with
    /// `copy` (enums) `Option<i32>`.
    fn source(&self, nav: &Nav, access: &Access, copy: bool) -> TokenStream {
        let field = access_field(access);
        let f = names::field_ident(field.name());
        let some = quote!(Some);
        match access {
            Access::Plain { .. } => {
                let borrow = if copy { quote!() } else { quote!(&) };
                match nav {
                    Nav::Direct(e) => quote!(#some(#borrow #e.#f)),
                    Nav::Opt(o) => quote!(#o.map(|v| #borrow v.#f)),
                }
            }
            Access::Optional(_) => {
                let as_ref = if copy { quote!() } else { quote!(.as_ref()) };
                match nav {
                    Nav::Direct(e) => quote!(#e.#f #as_ref),
                    Nav::Opt(o) => quote!(#o.and_then(|v| v.#f #as_ref)),
                }
            }
            Access::Element(_, index) => {
                // `get(0)` would trip clippy's `get_first`.
                let get = if *index == 0 {
                    quote!(first())
                } else {
                    let index = Literal::usize_unsuffixed(*index);
                    quote!(get(#index))
                };
                let copied = if copy { quote!(.copied()) } else { quote!() };
                match nav {
                    Nav::Direct(e) => quote!(#e.#f.#get #copied),
                    Nav::Opt(o) => quote!(#o.and_then(|v| v.#f.#get) #copied),
                }
            }
            Access::Oneof(_) => {
                let Some(oneof) = field.containing_oneof() else {
                    unreachable!("oneof access on a field outside a oneof")
                };
                let of = names::field_ident(oneof.name());
                let up = (0..self.depth).map(|_| quote!(super::));
                let enum_path = names::oneof_path(self.package, &oneof);
                let enum_path = quote!(#(#up)* #enum_path);
                let variant = names::camel(field.name());
                let base = match nav {
                    Nav::Direct(e) => quote!(#e.#of.as_ref()),
                    Nav::Opt(o) => quote!(#o.and_then(|v| v.#of.as_ref())),
                };
                let x = if copy { quote!(*x) } else { quote!(x) };
                if oneof.fields().len() == 1 {
                    quote!(#base.map(|#enum_path::#variant(x)| #x))
                } else {
                    quote!(#base.and_then(|k| match k {
                        #enum_path::#variant(x) => #some(#x),
                        _ => None,
                    }))
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::{Emitter, Ir};

    /// The parser keeps non-finite numbers out; the emitter still writes
    /// valid Rust for them instead of panicking.
    #[test]
    fn non_finite_floats_do_not_panic() {
        let runtime = quote!(::xns_runtime);
        let mut emitter = Emitter {
            package: "p",
            depth: 0,
            runtime: &runtime,
            uses_input: false,
            uses_env: false,
            uses_json: false,
        };
        for f in [f64::INFINITY, f64::NEG_INFINITY, f64::NAN] {
            let code = emitter.ir(&Ir::Float(f));
            syn::parse2::<syn::Expr>(code).expect("parses");
        }
    }
}
