//! Rustdoc attributes from proto comments and generated text.

use super::handlers::HandlerKind;
use super::item_names::own_marker;
use crate::model::{Method, Payload, Service};

/// The text of each doc line (after `///`): the proto comment (if any),
/// then `extra` paragraphs, a blank line between paragraphs.
pub fn doc_lines(comment: Option<&str>, extra: &[String]) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    if let Some(c) = comment {
        lines.extend(
            comment_lines(c)
                .iter()
                .map(|l| format!(" {l}").trim_end().to_string()),
        );
    }
    for paragraph in extra {
        if !lines.is_empty() {
            lines.push(String::new());
        }
        lines.extend(paragraph.lines().map(|l| format!(" {l}")));
    }
    lines
}

/// `#[deprecated]` for an item that names or calls a method the proto
/// deprecates (`option deprecated = true`, which Go's generator marks
/// "Deprecated" too), as its line; `None` otherwise.
pub fn deprecated_attr(method: &Method) -> Option<String> {
    method.deprecated.then(|| {
        format!(
            "#[deprecated(note = {})]",
            super::literal::str_lit(&format!(
                "`{}` is deprecated in its proto",
                method.full_name
            ))
        )
    })
}

/// One paragraph that lists `items` as a markdown list; `None` when there
/// are none.
pub fn list(items: &[String]) -> Option<String> {
    (!items.is_empty()).then(|| {
        items
            .iter()
            .map(|item| format!("- {item}"))
            .collect::<Vec<_>>()
            .join("\n")
    })
}

/// The lines of a proto comment as rustdoc markdown that rustdoc does not
/// test: code blocks in proto comments are examples in any language (or
/// none), so each becomes a ```` ```text ```` block, its content kept as
/// written. A fenced block keeps its fence and loses its info string (none,
/// `rust`, `proto`, ...); an indented block (four columns or more, where it
/// cannot continue a paragraph) is fenced, less four columns of indentation,
/// with a fence longer than any backtick run inside. Text outside code
/// blocks is escaped by [`escape_rustdoc`]; code keeps all but control
/// characters (see [`escape_controls`]).
///
/// A fence that may sit in a list item (after a list marker, or indented
/// one to three spaces) would need the list structure read to know where
/// rustdoc ends it; such a comment is shown whole as one text block.
fn comment_lines(comment: &str) -> Vec<String> {
    let lines: Vec<&str> = comment.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    // Whether the previous line leaves a paragraph open (which an indented
    // line continues instead of starting a code block).
    let mut in_paragraph = false;
    while i < lines.len() {
        let line = lines[i];
        if let Some(fence) = fence_opener(line) {
            if fence.indent > 0 {
                return verbatim(&lines);
            }
            out.push(format!("{}text", fence.marker));
            i += 1;
            while i < lines.len() && !fence.closed_by(lines[i]) {
                out.push(escape_controls(lines[i]));
                i += 1;
            }
            out.push(fence.marker.clone());
            i += 1;
            in_paragraph = false;
            continue;
        }
        if nested_fence(line) {
            return verbatim(&lines);
        }
        if !in_paragraph && !line.trim().is_empty() && indentation(line) >= 4 {
            // The block: indented lines, and blank lines followed by more.
            let mut end = i;
            let mut j = i;
            while j < lines.len() && (lines[j].trim().is_empty() || indentation(lines[j]) >= 4) {
                if !lines[j].trim().is_empty() {
                    end = j + 1;
                }
                j += 1;
            }
            let block: Vec<String> = lines[i..end]
                .iter()
                .map(|l| escape_controls(&strip_columns(l, 4)))
                .collect();
            let fence = "`".repeat(longest_backtick_run(&block).max(2) + 1);
            out.push(format!("{fence}text"));
            out.extend(block);
            out.push(fence);
            i = end;
            in_paragraph = false;
            continue;
        }
        in_paragraph = opens_paragraph(line);
        out.push(escape_rustdoc(line));
        i += 1;
    }
    out
}

/// The whole comment as one text block.
fn verbatim(lines: &[&str]) -> Vec<String> {
    let body: Vec<String> = lines.iter().map(|l| escape_controls(l)).collect();
    let fence = "`".repeat(longest_backtick_run(&body).max(2) + 1);
    let mut out = vec![format!("{fence}text")];
    out.extend(body);
    out.push(fence);
    out
}

/// The opening fence of a fenced code block.
struct Fence {
    /// Spaces before it.
    indent: usize,
    /// The fence itself (```` ``` ````, `~~~~`).
    marker: String,
}

impl Fence {
    /// Whether `line` closes this block: the fence character, at least as
    /// many times, indented at most three spaces, and nothing else.
    fn closed_by(&self, line: &str) -> bool {
        let Some(c) = self.marker.chars().next() else {
            return false;
        };
        let rest = line.trim_start_matches(' ');
        line.len() - rest.len() <= 3
            && rest.chars().take_while(|&x| x == c).count() >= self.marker.len()
            && rest.trim_start_matches(c).trim().is_empty()
    }
}

/// `line` as a CommonMark fence opener: up to three spaces, then three or
/// more backticks (and an info string without backticks) or tildes.
fn fence_opener(line: &str) -> Option<Fence> {
    let rest = line.trim_start_matches(' ');
    let indent = line.len() - rest.len();
    if indent > 3 {
        return None;
    }
    let c = rest.chars().next().filter(|c| matches!(c, '`' | '~'))?;
    let n = rest.chars().take_while(|&x| x == c).count();
    if n < 3 || (c == '`' && rest[n..].contains('`')) {
        return None;
    }
    Some(Fence {
        indent,
        marker: c.to_string().repeat(n),
    })
}

/// `line` without its indentation and list markers (`- `, `1. `, `2)`,
/// also a bare `-` that opens an empty item), and whether it had any.
fn strip_list_markers(line: &str) -> (&str, bool) {
    let mut rest = line.trim_start();
    let mut any = false;
    loop {
        let marker_len = if rest.starts_with(['-', '+', '*']) {
            1
        } else {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            if (1..=9).contains(&digits) && rest[digits..].starts_with(['.', ')']) {
                digits + 1
            } else {
                0
            }
        };
        let after = &rest[marker_len..];
        if marker_len == 0 || !(after.is_empty() || after.starts_with([' ', '\t'])) {
            return (rest, any);
        }
        any = true;
        rest = after.trim_start();
    }
}

/// Whether `line` opens a fence inside list items (`- ```rust`,
/// `1. ~~~`).
fn nested_fence(line: &str) -> bool {
    let (rest, nested) = strip_list_markers(line);
    nested && fence_opener(rest).is_some()
}

/// Whether `line` leaves a paragraph open: it has text that is not a
/// heading, a thematic break or a setext underline (after any list
/// markers).
fn opens_paragraph(line: &str) -> bool {
    if line.trim().is_empty() {
        return false;
    }
    let (rest, _) = strip_list_markers(line);
    let rest = rest.trim_end();
    if rest.is_empty() {
        return false;
    }
    let hashes = rest.chars().take_while(|&c| c == '#').count();
    let heading = (1..=6).contains(&hashes)
        && rest[hashes..]
            .chars()
            .next()
            .is_none_or(char::is_whitespace);
    let rule = |c: char| {
        let marks: String = rest.chars().filter(|x| !x.is_whitespace()).collect();
        marks.len() >= 3 && marks.chars().all(|x| x == c)
    };
    let underline = !rest.is_empty() && rest.chars().all(|c| c == '=');
    !(heading || rule('-') || rule('*') || rule('_') || underline)
}

/// Leading whitespace in columns (a tab reaches the next multiple of 4).
fn indentation(line: &str) -> usize {
    let mut col = 0;
    for c in line.chars() {
        match c {
            ' ' => col += 1,
            '\t' => col += 4 - col % 4,
            _ => break,
        }
    }
    col
}

/// `line` less `n` columns of leading whitespace (a tab it splits becomes
/// the spaces left of it).
fn strip_columns(line: &str, n: usize) -> String {
    let mut col = 0;
    for (i, c) in line.char_indices() {
        if col >= n {
            return line[i..].to_string();
        }
        match c {
            ' ' => col += 1,
            '\t' => {
                let next = col + 4 - col % 4;
                if next > n {
                    return format!("{}{}", " ".repeat(next - n), &line[i + 1..]);
                }
                col = next;
            }
            _ => return line[i..].to_string(),
        }
    }
    String::new()
}

fn longest_backtick_run(lines: &[String]) -> usize {
    lines
        .iter()
        .flat_map(|l| l.split(|c| c != '`'))
        .map(str::len)
        .max()
        .unwrap_or(0)
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

/// A call by workflow ID with one of `service`'s own query markers, for the
/// docs of the calls that take markers: `before` and `after` surround the
/// marker, the IDs and the input (`client.query(`, `)`). `None` when the
/// service declares no query.
pub fn query_by_id_example(service: &Service, before: &str, after: &str) -> Option<String> {
    let q = service.queries.first()?;
    let marker = own_marker(&q.method.name, HandlerKind::Query);
    let input = match q.method.input {
        Payload::Empty => "()",
        Payload::Message(_) | Payload::WellKnown(_) => "input",
    };
    Some(format!(
        "`{before}{marker}, workflow_id, None, {input}{after}`"
    ))
}

#[cfg(test)]
mod tests {
    use super::{comment_lines, escape_rustdoc};

    fn rendered(comment: &str) -> String {
        comment_lines(comment).join("\n")
    }

    #[test]
    fn fenced_code_blocks_become_text_blocks() {
        // No language, `rust`, or any other: rustdoc must not test it.
        for info in ["", "rust", "proto", "ignore", "json title=\"x\""] {
            assert_eq!(
                rendered(&format!(
                    "Example:\n```{info}\nlet <a> = [1];\n```\nAfter <b>."
                )),
                "Example:\n```text\nlet <a> = [1];\n```\nAfter &lt;b&gt;.",
                "{info}"
            );
        }
        // The fence is kept (its content may hold shorter ones), and an
        // unclosed block is closed before the generated text that follows.
        assert_eq!(
            rendered("````\n```rust\nx\n```\n````"),
            "````text\n```rust\nx\n```\n````"
        );
        assert_eq!(rendered("~~~ rust\na ``` b\n"), "~~~text\na ``` b\n~~~");
        assert_eq!(rendered("```\nnever closed"), "```text\nnever closed\n```");
        // A closing fence is at least as long, with nothing after it.
        assert_eq!(
            rendered("```\n``\n```x\n`````\ny"),
            "```text\n``\n```x\n```\ny"
        );
        // Control characters are escaped in code too.
        assert_eq!(
            rendered("```\na\u{1b}b\tc\n```"),
            "```text\na\\u{1b}b\tc\n```"
        );
    }

    #[test]
    fn inline_code_is_no_fence() {
        assert_eq!(rendered("Use ```a`b``` here."), "Use ```a`b``` here.");
        assert_eq!(
            rendered("`<x>` and ``` ``y`` ```"),
            "`<x>` and ``` ``y`` ```"
        );
    }

    #[test]
    fn indented_code_blocks_become_text_blocks() {
        assert_eq!(
            rendered("Run:\n\n    foo bar\n\n      <baz>\n\nDone."),
            "Run:\n\n```text\nfoo bar\n\n  <baz>\n```\n\nDone."
        );
        // At the start, after a heading or a rule, and with tabs.
        assert_eq!(rendered("    a"), "```text\na\n```");
        assert_eq!(rendered("# Title\n    a"), "# Title\n```text\na\n```");
        assert_eq!(rendered("---\n\tb"), "---\n```text\nb\n```");
        // The fence outgrows backtick runs inside.
        assert_eq!(rendered("\n    ```\n    x"), "\n````text\n```\nx\n````");
    }

    #[test]
    fn indented_lines_that_continue_a_paragraph_stay_text() {
        assert_eq!(
            rendered("A long line\n    continued <here>."),
            "A long line\n    continued &lt;here&gt;."
        );
        assert_eq!(rendered("- item\n    more"), "- item\n    more");
        // An empty item or a heading in one leaves no paragraph open.
        assert_eq!(rendered("-\n      code"), "-\n```text\n  code\n```");
        assert_eq!(
            rendered("- # Title\n      code"),
            "- # Title\n```text\n  code\n```"
        );
    }

    #[test]
    fn fences_in_list_items_show_the_comment_as_text() {
        for comment in ["- ```\n  x\n  ```", "1. a\n\n   ```rust\n   x\n   ```"] {
            let lines = comment_lines(comment);
            assert_eq!(
                lines.first().map(String::as_str),
                Some("````text"),
                "{comment}"
            );
            assert_eq!(lines.last().map(String::as_str), Some("````"), "{comment}");
            assert_eq!(lines[1..lines.len() - 1].join("\n"), comment);
        }
        assert_eq!(rendered("- ```a`b```"), "- ```a`b```");
    }

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
