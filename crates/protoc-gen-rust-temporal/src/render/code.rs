//! Rust source written as text, laid out the way rustfmt lays out the
//! shapes the generator writes: four-space indentation, 100 columns, a
//! signature's parameters on one line or one per line.
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
const INDENT: &str = "    ";

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

    /// A function signature: `head(params) -> ret` on one line when it
    /// fits, else one parameter per line; with [`End::Body`] it opens the
    /// body (close it with [`Code::close`]).
    pub fn signature(&mut self, head: &str, params: &[String], ret: Option<&str>, end: End) {
        let ret = ret.map(|r| format!(" -> {r}")).unwrap_or_default();
        let tail = match end {
            End::Body => " {",
            End::Semicolon => ";",
        };
        let joined = params.join(", ");
        let one_line = self.column() + head.len() + joined.len() + ret.len() + tail.len() + 2;
        if one_line <= MAX_WIDTH {
            line!(self, "{head}({joined}){ret}{tail}");
        } else {
            line!(self, "{head}(");
            for p in params {
                line!(self, "{INDENT}{p},");
            }
            let closing = self.column() + 1 + ret.len() + tail.len();
            match end {
                End::Body if closing > MAX_WIDTH => {
                    line!(self, "){ret}");
                    self.line("{");
                }
                _ => line!(self, "){ret}{tail}"),
            }
        }
        if end == End::Body {
            self.depth += 1;
        }
    }

    /// A call `head(args)suffix`: on one line when it fits and its
    /// arguments are no wider than rustfmt's call width, else one argument
    /// per line.
    pub fn call(&mut self, head: &str, args: &[String], suffix: &str) {
        let joined = args.join(", ");
        let width = self.column() + head.len() + joined.len() + suffix.len() + 2;
        if width <= MAX_WIDTH && joined.len() <= CALL_WIDTH {
            line!(self, "{head}({joined}){suffix}");
        } else {
            line!(self, "{head}(");
            for a in args {
                line!(self, "{INDENT}{a},");
            }
            line!(self, "){suffix}");
        }
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

/// A Rust string literal of `value`, escaped as quote escapes it.
pub fn str_lit(value: &str) -> String {
    proc_macro2::Literal::string(value).to_string()
}

/// A Rust byte string literal of `value`, escaped as quote escapes it.
pub fn byte_str_lit(value: &[u8]) -> String {
    proc_macro2::Literal::byte_string(value).to_string()
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(
            text.starts_with("f(a, b);\ng(\n    argument_0,\n"),
            "{text}"
        );
        assert!(text.ends_with("    argument_7,\n)\n"), "{text}");
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

    #[test]
    fn literals_are_escaped_as_quote_escapes_them() {
        assert_eq!(str_lit("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(byte_str_lit(b"\0\xff"), "b\"\\0\\xFF\"");
    }
}
