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
fn escape_rustdoc(line: &str) -> String {
    line.replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

/// A `code` span for docs.
pub fn code(text: &str) -> String {
    format!("`{text}`")
}
