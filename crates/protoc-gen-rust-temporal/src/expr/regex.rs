//! Go's regular expressions (RE2 syntax, `regexp`) as the `regex` crate
//! reads them.
//!
//! The two syntaxes agree but for a few points, which [`translate`]
//! rewrites: Go's `\d`, `\w`, `\s` and `\b` are ASCII where the crate's are
//! Unicode; and inside a class, Go reads `[`, `&&`, `--` and `~~` as
//! literal characters where the crate nests classes and combines them.
//! What the crate still rejects (Go's `\Q...\E`, say) is reported when
//! generating.

/// An ASCII class by its Perl letter, as the class body Go gives it.
fn ascii_class(letter: char) -> Option<&'static str> {
    match letter {
        'd' => Some("0-9"),
        'w' => Some("0-9A-Za-z_"),
        's' => Some("\\t\\n\\x0C\\r "),
        _ => None,
    }
}

/// `pattern`, in Go's syntax, in the `regex` crate's.
pub(crate) fn translate(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut chars = pattern.chars().peekable();
    // Inside `[...]`, and whether the next character is the first of the
    // class (where `]` is literal).
    let mut in_class = false;
    let mut class_start = false;
    while let Some(c) = chars.next() {
        let first = std::mem::take(&mut class_start);
        match c {
            '\\' => {
                let Some(next) = chars.next() else {
                    out.push('\\');
                    break;
                };
                let lower = next.to_ascii_lowercase();
                match (ascii_class(lower), in_class) {
                    (Some(body), false) if next == lower => {
                        out.push('[');
                        out.push_str(body);
                        out.push(']');
                    }
                    (Some(body), true) if next == lower => out.push_str(body),
                    // `\D`, `\W`, `\S`: a negated class (nested inside a
                    // class, which the crate allows).
                    (Some(body), _) => {
                        out.push_str("[^");
                        out.push_str(body);
                        out.push(']');
                    }
                    (None, false) if lower == 'b' => {
                        out.push_str("(?-u:\\");
                        out.push(next);
                        out.push(')');
                    }
                    (None, _) => {
                        out.push('\\');
                        out.push(next);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
            }
            // A POSIX class (`[:alpha:]`) is the same in both.
            '[' if chars.peek() == Some(&':') => {
                out.push('[');
                for p in chars.by_ref() {
                    out.push(p);
                    if p == ']' {
                        break;
                    }
                }
            }
            // Go reads a `{` that does not open a repetition (`{2}`,
            // `{2,}`, `{2,5}`) as itself; the crate rejects it.
            '{' if !in_class && !opens_repetition(chars.clone()) => out.push_str("\\{"),
            '[' | '&' | '~' if in_class => {
                out.push('\\');
                out.push(c);
            }
            '-' if in_class && chars.peek() == Some(&'-') => out.push_str("\\-"),
            ']' if in_class && !first => {
                in_class = false;
                out.push(']');
            }
            ']' if in_class => out.push_str("\\]"),
            c => out.push(c),
        }
    }
    out
}

/// Whether the characters after a `{` make a repetition: digits, then
/// optionally a comma and more digits, then `}`.
fn opens_repetition(mut rest: impl Iterator<Item = char>) -> bool {
    let mut text = String::new();
    loop {
        match rest.next() {
            Some('}') => break,
            Some(c) if c.is_ascii_digit() || c == ',' => text.push(c),
            _ => return false,
        }
    }
    let (min, max) = text.split_once(',').unwrap_or((&text, ""));
    !min.is_empty() && !max.contains(',')
}

/// Why `pattern` (Go's syntax) is not a regular expression we can run,
/// if it is not.
pub(crate) fn check(pattern: &str) -> Result<String, String> {
    let translated = translate(pattern);
    regex_syntax::Parser::new()
        .parse(&translated)
        .map(|_| translated)
        .map_err(|e| {
            // The crate's message spans lines (a caret under the pattern).
            let text = e.to_string();
            text.lines()
                .rev()
                .find(|l| l.starts_with("error:"))
                .map_or(text.clone(), |l| l.trim_start_matches("error: ").to_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perl_classes_become_ascii() {
        assert_eq!(translate(r"\d+"), "[0-9]+");
        assert_eq!(translate(r"[\w-]"), "[0-9A-Za-z_-]");
        assert_eq!(translate(r"\S"), r"[^\t\n\x0C\r ]");
        assert_eq!(translate(r"[^\D]"), "[^[^0-9]]");
        assert_eq!(translate(r"\bx\B"), r"(?-u:\b)x(?-u:\B)");
        assert_eq!(translate(r"\\d"), r"\\d");
    }

    #[test]
    fn class_punctuation_is_literal() {
        assert_eq!(translate("[[]"), r"[\[]");
        assert_eq!(translate("[]a]"), r"[\]a]");
        assert_eq!(translate("[a&&b~~c--d]"), r"[a\&\&b\~\~c\--d]");
        assert_eq!(translate("[[:alpha:]x]"), "[[:alpha:]x]");
        assert_eq!(translate(r"[^}]+\}"), r"[^}]+\}");
        assert_eq!(translate("a{2}b{1,}c{1,3}"), "a{2}b{1,}c{1,3}");
        assert_eq!(translate(".*{(?P<g>[^}]+)}.*"), r".*\{(?P<g>[^}]+)}.*");
        assert_eq!(translate("x{a}"), r"x\{a}");
        assert_eq!(translate("x{2"), r"x\{2");
    }

    #[test]
    fn the_go_generators_patterns_parse() {
        for pattern in [
            "(?P<first>[^:]{3,10}):(?P<second>[^:]{3,10}):(?P<third>[^:]{3,10})",
            "arn:aws:(?P<svc>.+):(?P<region>.+):(?P<acc>.+):(?P<resource>.+)",
            r".*\{(?P<g>[^\}]+)\}.*",
        ] {
            assert!(check(pattern).is_ok(), "{pattern}");
        }
        assert!(check("(").is_err());
        assert!(check(r"\Qa.b\E").is_err());
    }
}
