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
/// literally, escapes included.
fn escape_rustdoc(line: &str) -> String {
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

/// A `code` span for docs.
pub fn code(text: &str) -> String {
    format!("`{text}`")
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
}
