//! Proto source text pieces: string literals, comments and identifiers.

use crate::dict;
use crate::rng::Rng;

/// A proto string literal for any text (escapes quotes, backslashes and
/// control characters; other characters as written).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Is `s` a proto identifier?
pub fn is_ident(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A proto identifier: plain words most of the time, hostile ones
/// otherwise.
pub fn ident(rng: &mut Rng, upper: bool) -> String {
    const WORDS: &[&str] = &[
        "create", "order", "user", "account", "ship", "notify", "process", "item", "cart",
        "payment", "report", "sync", "status", "check", "value", "name", "count", "flag",
    ];
    if rng.chance(30) {
        let pick = rng.pick(dict::IDENTS);
        if is_ident(pick) {
            return pick.to_string();
        }
    }
    let n = rng.range(1, 3);
    let words: Vec<&str> = (0..n).map(|_| *rng.pick(WORDS)).collect();
    if upper {
        words
            .iter()
            .map(|w| {
                let mut c = w.chars();
                c.next()
                    .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                    .unwrap_or_default()
            })
            .collect()
    } else {
        words.join("_")
    }
}

/// A leading comment: plain prose, markdown that rustdoc would read as
/// code, or hostile text. `None` for no comment.
pub fn comment(rng: &mut Rng) -> Option<String> {
    const PROSE: &[&str] = &[
        "Creates a thing.",
        "Returns the `name` of the thing, or <none>.",
        "Multi-line comment.\n\nWith a second paragraph and a list:\n- one\n- two",
        "Example:\n\n    let x = foo(1);\n    assert!(x);",
        "Example:\n```\nfoo(1)\n```",
        // prost marks a rust block `compile_fail`: keep it not compiling.
        "```rust\nlet x: u32 = \"not a number\";\n```",
        "```go\nfunc main() {}\n```",
        "```text\nplain\n```",
        "```\nunclosed fence",
        "Tabs\tand <b>html</b> & [links](http://x) and [broken][ref].",
        "Trailing backslash \\",
        "# Heading\n## Sub",
        "* star list\n    * nested\n        code?",
        "Line with carriage\rreturn",
        "Windows\r\nline endings\r\n",
        "#![no_std]\n#[derive(Debug)]",
        "`unbalanced backtick",
        "A very long line: ",
    ];
    if rng.chance(35) {
        return None;
    }
    let mut text = if !rng.bad(40) {
        rng.pick(PROSE).to_string()
    } else {
        rng.pick(dict::STRINGS).replace('\0', "")
    };
    if text.starts_with("A very long") {
        text.push_str(&"word ".repeat(rng.range(10, 400)));
    }
    Some(text)
}

/// `text` as `//` comment lines at `indent`.
pub fn comment_lines(text: &str, indent: &str) -> String {
    text.split('\n')
        .map(|line| {
            if line.is_empty() {
                format!("{indent}//\n")
            } else {
                format!("{indent}// {line}\n")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_what_a_proto_literal_cannot_hold() {
        assert_eq!(quote("a\"b\\c\nd\u{1}"), r#""a\"b\\c\nd\x01""#);
        assert_eq!(quote("日本"), "\"日本\"");
    }

    #[test]
    fn idents_are_proto_identifiers() {
        let mut rng = Rng::for_input(3, 3);
        for _ in 0..500 {
            assert!(is_ident(&ident(&mut rng, true)));
        }
    }
}
