//! Rust source written as text, laid out the way rustfmt lays out the
//! shapes the generator writes: four-space indentation, 100 columns, a
//! signature's parameters on one line or one per line.
//!
//! Every layout rule is a method of [`Code`] (of a proto-default value, in
//! `values.rs`), measured from the writer's own indentation: the modules
//! say what they write, `Code` where its lines break.
//!
//! Declarations are written here directly; only expression bodies that
//! the ID and mapping compilers build as tokens go through prettyplease
//! ([`Code::tokens`]).

use std::fmt::{self, Write as _};

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::Error;

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;
/// rustfmt's `fn_call_width`: the widest argument list kept on one line.
const CALL_WIDTH: usize = 60;
/// rustfmt's `chain_width`: the widest chain of several calls kept on one
/// line.
const CHAIN_WIDTH: usize = 60;
/// rustfmt's `array_width`: the widest element list kept on one line.
const ARRAY_WIDTH: usize = 60;
/// One indentation level.
const INDENT: &str = "    ";

/// The width of `text` in columns.
fn width(text: &str) -> usize {
    text.chars().count()
}

/// ` -> ret`, or nothing without a return type.
fn arrow(ret: Option<&str>) -> String {
    ret.map(|r| format!(" -> {r}")).unwrap_or_default()
}

/// Writes one line through [`Code::line_fmt`]: `line!(code, "pub const {}: &str;", name)`.
macro_rules! line {
    ($code:expr, $($arg:tt)*) => {
        $code.line_fmt(format_args!($($arg)*))
    };
}
pub(crate) use line;

/// How a signature ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// A body follows: the signature opens a block.
    Body,
    /// A declaration without a body (a trait method): `;`.
    Semicolon,
}

impl End {
    /// What follows the signature on its last line.
    fn tail(self) -> &'static str {
        match self {
            End::Body => " {",
            End::Semicolon => ";",
        }
    }
}

/// One element of a method chain (see [`Code::chain`]).
#[derive(Debug, Clone, Copy)]
pub enum Link<'a> {
    /// Written as it is: `self`, `.0`, `.await`, `.query(M)`.
    Text(&'a str),
    /// A call `head(args)` whose arguments may go one per line.
    Call(&'a str, &'a [String]),
}

impl Link<'_> {
    /// On one line.
    fn inline(&self) -> String {
        match self {
            Link::Text(t) => t.to_string(),
            Link::Call(head, args) => format!("{head}({})", args.join(", ")),
        }
    }
}

/// A growing piece of source at some indentation.
#[derive(Debug)]
pub struct Code {
    out: String,
    depth: usize,
}

impl Code {
    /// Empty, with its lines indented `depth` levels.
    pub fn new(depth: usize) -> Self {
        Code {
            out: String::with_capacity(16 * 1024),
            depth,
        }
    }

    /// The text written.
    pub fn finish(self) -> String {
        self.out
    }

    fn indent(&mut self) {
        for _ in 0..self.depth {
            self.out.push_str(INDENT);
        }
    }

    /// Columns the indentation takes.
    fn column(&self) -> usize {
        self.depth * INDENT.len()
    }

    /// One line.
    pub fn line(&mut self, text: &str) {
        self.indent();
        self.out.push_str(text);
        self.out.push('\n');
    }

    /// One line from format arguments (see [`line!`]).
    pub fn line_fmt(&mut self, args: fmt::Arguments<'_>) {
        self.indent();
        // Writing to a String cannot fail.
        let _ = self.out.write_fmt(args);
        self.out.push('\n');
    }

    /// `/// ...` lines: the proto comment (if any), then `extra`
    /// paragraphs, as [`super::docs::doc_lines`] gives them.
    pub fn doc(&mut self, comment: Option<&str>, extra: &[String]) {
        for text in super::docs::doc_lines(comment, extra) {
            self.indent();
            self.out.push_str("///");
            self.out.push_str(text.trim_end_matches(' '));
            self.out.push('\n');
        }
    }

    /// An attribute line when there is one (see
    /// [`super::docs::deprecated_attr`]).
    pub fn attr(&mut self, attr: Option<&str>) {
        if let Some(a) = attr {
            self.line(a);
        }
    }

    /// `head {`, and one level deeper until [`Code::close`].
    pub fn open(&mut self, head: &str) {
        line!(self, "{head} {{");
        self.depth += 1;
    }

    /// One level back out, and `}`.
    pub fn close(&mut self) {
        self.close_with("");
    }

    /// One level back out, and `}` followed by `suffix` (`;`, `)`).
    pub fn close_with(&mut self, suffix: &str) {
        self.depth = self.depth.saturating_sub(1);
        line!(self, "}}{suffix}");
    }

    /// `{head} = {rhs};` (a constant, a type alias) on one line when it
    /// fits, else as rustfmt lays out a right-hand side it cannot break:
    /// `{head} =`, and the right-hand side on the next line, one level
    /// deeper.
    pub fn assign(&mut self, head: &str, rhs: &str) {
        if self.column() + width(head) + width(rhs) + 4 <= MAX_WIDTH {
            line!(self, "{head} = {rhs};");
        } else {
            line!(self, "{head} =");
            line!(self, "{INDENT}{rhs};");
        }
    }

    /// `{head} = &[items];`: as [`Code::assign`] lays it out (on the
    /// head's line, or on the next) when the items are no wider than
    /// rustfmt's array width and the array fits one of those lines; else
    /// `{head} = &[`, one item per line, and `];`.
    pub fn assign_array(&mut self, head: &str, items: &[String]) {
        let joined = items.join(", ");
        let inline = format!("&[{joined}]");
        let one_line = self.column() + width(head) + width(&inline) + 4 <= MAX_WIDTH;
        // The array and its `;`, one level deeper.
        let next_line = self.column() + INDENT.len() + width(&inline) + ";".len() <= MAX_WIDTH;
        if width(&joined) <= ARRAY_WIDTH && (one_line || next_line) {
            self.assign(head, &inline);
        } else {
            line!(self, "{head} = &[");
            for item in items {
                line!(self, "{INDENT}{item},");
            }
            self.line("];");
        }
    }

    /// `{head} for {ty} {`, and one level deeper until [`Code::close`]
    /// (`head` is `impl Trait` or `impl<..> Trait`). rustfmt measures an
    /// impl's header without its indentation: when `{head} for {ty} {` is
    /// wider than the maximum, `for {ty}` goes on a line of its own, one
    /// level deeper, and the `{` on the next line.
    pub fn open_impl(&mut self, head: &str, ty: &str) {
        let one_line = format!("{head} for {ty}");
        if Self::impl_fits(&one_line) {
            self.open(&one_line);
        } else {
            self.line(head);
            line!(self, "{INDENT}for {ty}");
            self.line("{");
            self.depth += 1;
        }
    }

    /// An impl without items: `{head} for {ty} {}` on one line, or laid
    /// out as [`Code::open_impl`] lays out a long header, then closed.
    pub fn empty_impl(&mut self, head: &str, ty: &str) {
        let one_line = format!("{head} for {ty}");
        if Self::impl_fits(&one_line) {
            line!(self, "{one_line} {{}}");
        } else {
            self.open_impl(head, ty);
            self.close();
        }
    }

    /// Whether an impl header stays on one line with its ` {` (rustfmt does
    /// not count its indentation).
    fn impl_fits(header: &str) -> bool {
        width(header) + 2 <= MAX_WIDTH
    }

    /// A function signature: `head(params) -> ret` on one line when it
    /// fits, else one parameter per line; with [`End::Body`] it opens the
    /// body (close it with [`Code::close`]). A declaration ([`End::Semicolon`])
    /// with a return type exactly as wide as the maximum on one line takes
    /// `-> ret;` to a line of its own, as rustfmt does (it counts a body's
    /// ` {` even after a declaration).
    pub fn signature(&mut self, head: &str, params: &[String], ret: Option<&str>, end: End) {
        let arrow = arrow(ret);
        let joined = params.join(", ");
        let one_line =
            self.column() + width(head) + width(&joined) + width(&arrow) + end.tail().len() + 2;
        match ret {
            Some(r) if end == End::Semicolon && one_line == MAX_WIDTH => {
                line!(self, "{head}({joined})");
                line!(self, "-> {r};");
            }
            _ if one_line <= MAX_WIDTH => {
                line!(self, "{head}({joined}){arrow}{}", end.tail());
                self.enter(end);
            }
            _ => {
                line!(self, "{head}(");
                self.parameters(params);
                self.close_parameters(&arrow, end);
            }
        }
    }

    /// A function signature with generics, `head<generics>(params) -> ret`:
    /// the generics on the line of `head` when that line, up to the `(`,
    /// and three more columns fit (as rustfmt measures it), then laid out
    /// as [`Code::signature`]; else one generic per line, closed by `>(`,
    /// and one parameter per line.
    pub fn signature_with_generics(
        &mut self,
        head: &str,
        generics: &[String],
        params: &[String],
        ret: Option<&str>,
        end: End,
    ) {
        let joined = generics.join(", ");
        if self.column() + width(head) + width(&joined) + 6 <= MAX_WIDTH {
            self.signature(&format!("{head}<{joined}>"), params, ret, end);
            return;
        }
        line!(self, "{head}<");
        self.parameters(generics);
        self.line(">(");
        self.parameters(params);
        self.close_parameters(&arrow(ret), end);
    }

    /// Parameters (or generics) one per line, one level deeper.
    fn parameters(&mut self, params: &[String]) {
        for p in params {
            line!(self, "{INDENT}{p},");
        }
    }

    /// The `)` after parameters one per line, the return type (`arrow`,
    /// ` -> ret` or empty) and the end; a body's `{` goes on a line of its
    /// own when that line would be too wide.
    fn close_parameters(&mut self, arrow: &str, end: End) {
        let closing = self.column() + 1 + width(arrow) + end.tail().len();
        if end == End::Body && closing > MAX_WIDTH {
            line!(self, "){arrow}");
            self.line("{");
        } else {
            line!(self, "){arrow}{}", end.tail());
        }
        self.enter(end);
    }

    /// One level deeper when a body was opened.
    fn enter(&mut self, end: End) {
        if end == End::Body {
            self.depth += 1;
        }
    }

    /// A call `head(args)suffix`: on one line when it fits and its
    /// arguments are no wider than rustfmt's call width, else one argument
    /// per line. As rustfmt overflows a last argument that is a closure
    /// `|..| body` (the only one), such a call that does not fit gets the
    /// closure's body in a block of its own, `head(args, |..| {`, when that
    /// line is narrower than the call width and fits with two columns to
    /// spare.
    pub fn call(&mut self, head: &str, args: &[String], suffix: &str) {
        let joined = args.join(", ");
        if self.call_fits(head, &joined, suffix) {
            line!(self, "{head}({joined}){suffix}");
            return;
        }
        let block = overflowing_closure(args).filter(|(before, _)| {
            // The arguments up to the block's `{`, and the line they end.
            let first = width(before) + " {".len();
            let line = self.column() + width(head) + "(".len() + first;
            first < CALL_WIDTH && line + 2 <= MAX_WIDTH
        });
        if let Some((before, body)) = block {
            self.open(&format!("{head}({before}"));
            self.line(body);
            self.close_with(&format!("){suffix}"));
        } else {
            line!(self, "{head}(");
            self.parameters(args);
            line!(self, "){suffix}");
        }
    }

    /// Whether `head(joined)suffix` stays on one line: it fits, and its
    /// arguments are no wider than rustfmt's call width.
    fn call_fits(&self, head: &str, joined: &str, suffix: &str) -> bool {
        self.column() + width(head) + width(joined) + width(suffix) + 2 <= MAX_WIDTH
            && width(joined) <= CALL_WIDTH
    }

    /// A method chain, `parent` and its `links`, as rustfmt lays it out: on
    /// one line when it fits and, with several links, is no wider than the
    /// chain width (a call link's arguments no wider than the call width);
    /// else the parent on a line (with the links after it while it is no
    /// wider than one indentation level: `self.0`) and one link per line,
    /// one level deeper, a call link laid out as [`Code::call`]. A parent
    /// call whose arguments go one per line keeps its links one per line
    /// at its own indentation.
    pub fn chain(&mut self, parent: Link<'_>, links: &[Link<'_>]) {
        if let Link::Call(head, args) = parent
            && !self.call_fits(head, &args.join(", "), "")
        {
            self.call(head, args, "");
            for l in links {
                self.line(&l.inline());
            }
            return;
        }
        let mut root = parent.inline();
        let one_line = format!(
            "{root}{}",
            links.iter().map(Link::inline).collect::<String>()
        );
        let one_line_width = width(&one_line);
        let calls_fit = links.iter().all(|l| match l {
            Link::Text(_) => true,
            Link::Call(_, args) => width(&args.join(", ")) <= CALL_WIDTH,
        });
        if self.column() + one_line_width <= MAX_WIDTH
            && (links.len() <= 1 || one_line_width <= CHAIN_WIDTH)
            && calls_fit
        {
            self.line(&one_line);
            return;
        }
        let mut rest = links;
        while width(&root) <= INDENT.len()
            && let Some((first, tail)) = rest.split_first()
        {
            root.push_str(&first.inline());
            rest = tail;
        }
        self.line(&root);
        self.depth += 1;
        for l in rest {
            match l {
                Link::Text(t) => self.line(t),
                Link::Call(head, args) => self.call(head, args, ""),
            }
        }
        self.depth -= 1;
    }

    /// `head(args)` and the links `chain` after it (`.await`; `.query(M)`
    /// .. `.finish()`), laid out as [`Code::chain`] lays them out.
    pub fn call_chain(&mut self, head: &str, args: &[String], chain: &[String]) {
        let links: Vec<Link<'_>> = chain.iter().map(|c| Link::Text(c)).collect();
        self.chain(Link::Call(head, args), &links);
    }

    /// `receiver.method(args)` and the links `chain` after it (`.await`),
    /// laid out as [`Code::chain`] lays them out; each field of a receiver
    /// path (`self.0`) is a link of the chain, as rustfmt counts it.
    pub fn method_call(&mut self, receiver: &str, method: &str, args: &[String], chain: &[String]) {
        let (parent, fields) = receiver.split_at(receiver.find('.').unwrap_or(receiver.len()));
        let fields: Vec<String> = fields.split('.').skip(1).map(|f| format!(".{f}")).collect();
        let call = format!(".{method}");
        let links: Vec<Link<'_>> = fields
            .iter()
            .map(|f| Link::Text(f))
            .chain([Link::Call(&call, args)])
            .chain(chain.iter().map(|c| Link::Text(c)))
            .collect();
        self.chain(Link::Text(parent), &links);
    }

    /// `{head}{names};` (`pub use a::b::` and a braced list), as rustfmt
    /// lays out a use list: on one line when it fits, else the names filled
    /// into lines one level deeper, each followed by a comma, as many on a
    /// line as fit.
    pub fn use_list(&mut self, head: &str, names: &[&str]) {
        let one_line = format!("{head}{{{}}};", names.join(", "));
        if self.column() + width(&one_line) <= MAX_WIDTH {
            self.line(&one_line);
            return;
        }
        line!(self, "{head}{{");
        let room = MAX_WIDTH.saturating_sub(self.column() + INDENT.len());
        let mut lines: Vec<String> = Vec::new();
        for name in names {
            let item = format!("{name},");
            match lines.last_mut() {
                Some(l) if width(l) + 1 + width(&item) <= room => {
                    l.push(' ');
                    l.push_str(&item);
                }
                _ => lines.push(item),
            }
        }
        for l in lines {
            line!(self, "{INDENT}{l}");
        }
        self.line("};");
    }

    /// Items built as tokens, formatted by prettyplease at this
    /// indentation (inside as many modules, so that its line breaks are
    /// the ones it makes there).
    pub fn tokens(&mut self, items: TokenStream, what: &dyn Fn() -> String) -> Result<(), Error> {
        let mut wrapped = items;
        for _ in 0..self.depth {
            wrapped = quote!(mod m { #wrapped });
        }
        let file: syn::File = syn::parse2(wrapped).map_err(|e| {
            Error::Internal(format!("generated code for {} does not parse: {e}", what()))
        })?;
        let text = prettyplease::unparse(&file);
        let lines: Vec<&str> = text.lines().collect();
        let inner = lines
            .get(self.depth..lines.len().saturating_sub(self.depth))
            .unwrap_or_default();
        for l in inner {
            self.out.push_str(l);
            self.out.push('\n');
        }
        Ok(())
    }
}

/// The arguments before a last closure, with its parameters (`a, |x|`),
/// and the closure's body, when the last argument is the only closure
/// (rustfmt overflows no closure after another).
fn overflowing_closure(args: &[String]) -> Option<(String, &str)> {
    let (last, rest) = args.split_last()?;
    if rest.iter().any(|a| a.starts_with('|')) {
        return None;
    }
    let params_len = last.strip_prefix('|')?.find('|')? + 2;
    let (params, body) = last.split_at(params_len);
    let mut before: Vec<&str> = rest.iter().map(String::as_str).collect();
    before.push(params);
    Some((before.join(", "), body.trim_start()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::literal::str_lit;

    #[test]
    fn a_signature_that_fits_stays_on_one_line() {
        let mut c = Code::new(1);
        c.signature(
            "pub fn f",
            &["a: u8".into(), "b: u8".into()],
            Some("u8"),
            End::Body,
        );
        c.line("a + b");
        c.close();
        assert_eq!(
            c.finish(),
            "    pub fn f(a: u8, b: u8) -> u8 {\n        a + b\n    }\n"
        );
    }

    #[test]
    fn a_long_signature_takes_one_parameter_per_line() {
        let mut c = Code::new(1);
        let long = "x".repeat(80);
        c.signature(
            "fn g",
            &[format!("a: {long}"), "b: u8".into()],
            Some("u8"),
            End::Semicolon,
        );
        assert_eq!(
            c.finish(),
            format!("    fn g(\n        a: {long},\n        b: u8,\n    ) -> u8;\n")
        );
    }

    #[test]
    fn a_long_return_type_moves_the_brace_to_its_own_line() {
        let mut c = Code::new(1);
        let ret = format!("impl Future<Output = {}>", "y".repeat(90));
        c.signature("fn h", &["a: u8".into()], Some(&ret), End::Body);
        c.close();
        assert_eq!(
            c.finish(),
            format!("    fn h(\n        a: u8,\n    ) -> {ret}\n    {{\n    }}\n")
        );
    }

    #[test]
    fn a_wide_call_takes_one_argument_per_line() {
        let mut c = Code::new(0);
        c.call("f", &["a".into(), "b".into()], ";");
        let wide: Vec<String> = (0..8).map(|i| format!("argument_{i}")).collect();
        c.call("g", &wide, "");
        let text = c.finish();
        assert_framed(
            &text,
            "f(a, b);\ng(\n    argument_0,\n",
            "    argument_7,\n)\n",
        );
    }

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    /// Asserts that `text` starts with `start` and ends with `end`.
    fn assert_framed(text: &str, start: &str, end: &str) {
        assert!(text.starts_with(start), "{text}");
        assert!(text.ends_with(end), "{text}");
    }

    /// What `write` writes at `depth`.
    fn written(depth: usize, write: impl FnOnce(&mut Code)) -> String {
        let mut out = Code::new(depth);
        write(&mut out);
        out.finish()
    }

    #[test]
    fn a_declaration_exactly_at_the_maximum_moves_its_return_type() {
        let ret = format!("impl rt::Future<Output = {}>", "X".repeat(41));
        let text = written(2, |out| {
            out.signature(
                "fn run",
                &strings(&["ctx: C<Self>"]),
                Some(&ret),
                End::Semicolon,
            )
        });
        assert_eq!(
            text,
            format!("        fn run(ctx: C<Self>)\n        -> {ret};\n")
        );
    }

    #[test]
    fn long_generics_take_one_line_each() {
        let generics = [format!("A: B{}", "X".repeat(60)), "C: D".to_string()];
        let text = written(1, |out| {
            out.signature_with_generics(
                "pub fn register_all_workflows",
                &generics,
                &strings(&["registry: &mut impl rt::WorkflowRegistry"]),
                Some("Result<(), rt::WorkflowRegistrationError>"),
                End::Body,
            );
            out.close();
        });
        assert_eq!(
            text,
            format!(
                "    pub fn register_all_workflows<\n        {},\n        C: D,\n    >(\n        registry: &mut impl rt::WorkflowRegistry,\n    ) -> Result<(), rt::WorkflowRegistrationError> {{\n    }}\n",
                generics[0]
            )
        );
    }

    #[test]
    fn short_generics_stay_on_the_signatures_line() {
        let text = written(1, |out| {
            out.signature_with_generics(
                "pub fn register",
                &strings(&["W: T"]),
                &strings(&["registry: R"]),
                None,
                End::Semicolon,
            )
        });
        assert_eq!(text, "    pub fn register<W: T>(registry: R);\n");
    }

    #[test]
    fn a_last_closure_too_wide_for_the_call_gets_a_block() {
        let marker = format!("M{}", "X".repeat(40));
        let args = [marker.clone(), "|w, ctx, ()| w.f(ctx)".to_string()];
        let text = written(3, |out| out.call("h.query", &args, ";"));
        assert_eq!(
            text,
            format!(
                "            h.query({marker}, |w, ctx, ()| {{\n                w.f(ctx)\n            }});\n"
            )
        );
    }

    #[test]
    fn a_closure_after_another_is_not_overflowed() {
        let args = [
            format!("M{}", "X".repeat(20)),
            "|ctx, ()| W::a(ctx)".to_string(),
            "|w, ctx, &()| w.v(ctx)".to_string(),
        ];
        let text = written(3, |out| out.call("h.validated_update", &args, ";"));
        assert_framed(
            &text,
            "            h.validated_update(\n",
            "                |w, ctx, &()| w.v(ctx),\n            );\n",
        );
    }

    #[test]
    fn a_long_assignment_breaks_after_the_equals_sign() {
        let ty = format!("rt::WorkflowContext<rt::Host<M{}, W>>", "X".repeat(60));
        let text = written(1, |out| out.assign("pub type C<W>", &ty));
        assert_eq!(text, format!("    pub type C<W> =\n        {ty};\n"));
        let name = "x".repeat(60);
        let text = written(2, |out| {
            out.assign("const START_ACTIVITY: &'static str", &str_lit(&name))
        });
        assert_eq!(
            text,
            format!("        const START_ACTIVITY: &'static str =\n            \"{name}\";\n")
        );
    }

    #[test]
    fn an_array_stays_on_a_line_while_it_is_narrow() {
        let text = written(1, |out| {
            out.assign_array("pub const A: &[&str]", &strings(&["\"a\"", "\"b\""]))
        });
        assert_eq!(text, "    pub const A: &[&str] = &[\"a\", \"b\"];\n");
        let wide: Vec<String> = (0..6).map(|i| format!("\"alias_number_{i}\"")).collect();
        let text = written(1, |out| out.assign_array("pub const A: &[&str]", &wide));
        assert_framed(
            &text,
            "    pub const A: &[&str] = &[\n        \"alias_number_0\",\n",
            "        \"alias_number_5\",\n    ];\n",
        );
    }

    #[test]
    fn a_long_impl_header_breaks_before_for() {
        let head = format!("impl<W: T{}> rt::WorkflowContract<W>", "X".repeat(70));
        let text = written(1, |out| {
            out.open_impl(&head, "Marker");
            out.close();
        });
        assert_eq!(
            text,
            format!("    {head}\n        for Marker\n    {{\n    }}\n")
        );
    }

    #[test]
    fn an_impl_header_is_measured_without_its_indentation() {
        // 100 columns with its ` {`: on one line even 8 columns deep.
        let ty = format!("super::{}", "t".repeat(58));
        let text = written(2, |out| out.empty_impl("impl rt::XnsHandlerOf<Place>", &ty));
        assert_eq!(
            text,
            format!("        impl rt::XnsHandlerOf<Place> for {ty} {{}}\n")
        );
    }

    #[test]
    fn a_long_empty_impl_puts_for_and_the_braces_on_their_own_lines() {
        let ty = format!("super::{}", "t".repeat(60));
        let text = written(1, |out| {
            out.empty_impl("impl rt::XnsHandlerOf<PlaceWorkflow>", &ty);
            out.open_impl("impl rt::XnsQuery", &ty);
            out.line("const A: u8 = 1;");
            out.close();
        });
        let head =
            format!("    impl rt::XnsHandlerOf<PlaceWorkflow>\n        for {ty}\n    {{\n    }}\n");
        let second =
            format!("    impl rt::XnsQuery for {ty} {{\n        const A: u8 = 1;\n    }}\n");
        assert_eq!(text, format!("{head}{second}"));
    }

    #[test]
    fn a_call_keeps_its_await_on_its_line_when_it_fits() {
        let args = strings(&["ctx", "PlaceWorkflow", "input", "options"]);
        let text = written(3, |out| {
            out.call_chain("rt::xns::f", &args, &strings(&[".await"]))
        });
        assert_eq!(
            text,
            "            rt::xns::f(ctx, PlaceWorkflow, input, options).await\n"
        );
    }

    #[test]
    fn an_await_that_does_not_fit_goes_below_the_call_indented() {
        let marker = "W".repeat(36);
        let args = strings(&["ctx", &marker, "input", "options"]);
        let text = written(3, |out| {
            out.call_chain("rt::xns::execute_workflow", &args, &strings(&[".await"]))
        });
        assert_eq!(
            text,
            format!(
                "            rt::xns::execute_workflow(ctx, {marker}, input, options)\n                .await\n"
            )
        );
    }

    #[test]
    fn after_a_call_broken_by_argument_the_chain_is_at_its_indentation() {
        let marker = "W".repeat(60);
        let args = strings(&["ctx", &marker]);
        let text = written(0, |out| {
            out.call_chain("f", &args, &strings(&[".a()", ".b()"]))
        });
        assert_eq!(
            text,
            format!("f(\n    ctx,\n    {marker},\n)\n.a()\n.b()\n")
        );
    }

    /// `self.0.execute(args).await` at a method body's depth.
    fn awaited_method_call(args: &[&str]) -> String {
        written(3, |out| {
            out.method_call("self.0", "execute", &strings(args), &strings(&[".await"]))
        })
    }

    #[test]
    fn a_short_method_chain_stays_on_one_line() {
        assert_eq!(
            awaited_method_call(&["W", "input", "options"]),
            "            self.0.execute(W, input, options).await\n"
        );
    }

    #[test]
    fn a_long_method_chain_takes_one_link_per_line_after_a_short_receiver() {
        let marker = "W".repeat(30);
        assert_eq!(
            awaited_method_call(&[&marker, "input", "options"]),
            format!(
                "            self.0\n                .execute({marker}, input, options)\n                .await\n"
            )
        );
    }

    #[test]
    fn wide_method_arguments_go_one_per_line() {
        let marker = "W".repeat(60);
        assert_eq!(
            awaited_method_call(&[&marker, "input"]),
            format!(
                "            self.0\n                .execute(\n                    {marker},\n                    input,\n                )\n                .await\n"
            )
        );
    }

    #[test]
    fn a_long_use_list_fills_its_lines() {
        let names: Vec<String> = (0..12).map(|i| format!("name_number_{i:02}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let text = written(2, |out| out.use_list("pub use r::xns::", &names));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "        pub use r::xns::{");
        // Five names of 14 columns with their commas, and the spaces
        // between them, take 79 of the 88 columns left 12 deep; a sixth
        // would not fit.
        assert_eq!(lines[1].len(), 12 + 5 * 16 - 1);
        assert_eq!(lines.last(), Some(&"        };"));
        let short = written(1, |out| out.use_list("pub use r::", &["a", "b"]));
        assert_eq!(short, "    pub use r::{a, b};\n");
    }

    #[test]
    fn token_items_are_formatted_at_the_writers_depth() {
        let mut c = Code::new(2);
        c.tokens(
            quote!(
                fn f() -> u8 {
                    1
                }
            ),
            &|| "a test".into(),
        )
        .unwrap();
        assert_eq!(
            c.finish(),
            "        fn f() -> u8 {\n            1\n        }\n"
        );
    }
}
