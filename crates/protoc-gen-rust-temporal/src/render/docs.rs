//! Rustdoc attributes from proto comments and generated text.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines: the proto comment (if any), then `extra`
/// paragraphs.
pub fn doc(comment: Option<&str>, extra: &[String]) -> TokenStream {
    let mut lines: Vec<String> = Vec::new();
    if let Some(c) = comment {
        lines.extend(
            c.lines()
                .map(|l| format!(" {}", escape_rustdoc(l)).trim_end().to_string()),
        );
    }
    for paragraph in extra {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(paragraph.lines().map(|l| format!(" {l}")));
    }
    quote!(#(#[doc = #lines])*)
}

/// Proto comments are plain text; keep them from being read as HTML or
/// intra-doc links gone wrong (rustdoc warns on bare URLs and broken links).
/// Code spans (`` `...` ``) are left as written: rustdoc shows their text
/// literally, escapes included. Control characters other than tabs are
/// written as escapes (a bare `\r` in a doc comment does not compile).
fn escape_rustdoc(line: &str) -> String {
    let line = escape_controls(line);
    let spans: Vec<&str> = line.split('`').collect();
    // An unclosed backtick opens no code span: its text is escaped too.
    let closed = if spans.len().is_multiple_of(2) {
        spans.len() - 1
    } else {
        spans.len()
    };
    spans
        .iter()
        .enumerate()
        .map(|(i, span)| {
            if i % 2 == 1 && i < closed {
                span.to_string()
            } else {
                span.replace('<', "&lt;")
                    .replace('>', "&gt;")
                    .replace('[', "\\[")
                    .replace(']', "\\]")
            }
        })
        .collect::<Vec<_>>()
        .join("`")
}

/// Control characters other than tabs as Rust escapes (see
/// [`crate::error::escape`]).
fn escape_controls(text: &str) -> String {
    text.split('\t')
        .map(crate::error::escape)
        .collect::<Vec<_>>()
        .join("\t")
}

/// A `code` span for docs, around text from the protos (a Temporal name,
/// an ID template): control characters are escaped, so the span stays on
/// its line, and the fence is longer than any run of backticks inside, as
/// CommonMark requires, with a space inside it when the text starts or
/// ends with a backtick.
pub fn code(text: &str) -> String {
    let text = crate::error::escape(text);
    let longest_run = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest_run + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{text}{pad}{fence}")
}

#[cfg(test)]
mod tests {
    use super::escape_rustdoc;

    #[test]
    fn text_is_escaped_and_code_spans_are_not() {
        assert_eq!(
            escape_rustdoc("a <b> [c] `<name>: [x]` d<e>"),
            "a &lt;b&gt; \\[c\\] `<name>: [x]` d&lt;e&gt;"
        );
        assert_eq!(escape_rustdoc("odd ` <a>"), "odd ` &lt;a&gt;");
        assert_eq!(escape_rustdoc("`<a>` `<b>` <c>"), "`<a>` `<b>` &lt;c&gt;");
    }

    #[test]
    fn control_characters_are_escaped_except_tabs() {
        assert_eq!(escape_rustdoc("a\rb\tc\u{1b}"), "a\\rb\tc\\u{1b}");
    }

    #[test]
    fn code_spans_hold_any_text() {
        use super::code;
        assert_eq!(code("a.b"), "`a.b`");
        assert_eq!(code("a\nb\rc"), "`a\\nb\\rc`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("x``y`"), "``` x``y` ```");
        assert_eq!(code("`"), "`` ` ``");
    }
}
