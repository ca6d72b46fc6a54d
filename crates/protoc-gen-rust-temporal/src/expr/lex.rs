//! Splitting a template into literal text and `${! query }` fragments.
//!
//! The rules are those of the Go generator's lexer: a backslash escapes the
//! next character (it is dropped, and an escaped `${!`, `{` or `}` loses its
//! meaning), and braces nest inside a query. A `${!}` with nothing at all
//! inside is dropped, as Go drops it; one with only spaces inside is an
//! error (Go fails to parse it as a Bloblang mapping).

use super::ExprError;

/// A piece of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Literal text, unescaped.
    Text(String),
    /// The text between `${!` and its closing `}`, unescaped and untrimmed
    /// (error messages quote it as written, spaces included).
    Query(String),
}

/// Splits `template` into pieces.
pub(crate) fn lex(template: &str) -> Result<Vec<Piece>, ExprError> {
    if template.is_empty() {
        return Err(ExprError::EmptyTemplate);
    }
    let chars: Vec<char> = template.chars().collect();
    let mut pieces = Vec::new();
    let mut text = String::new();
    // The query being read, and how many `{` are open inside it.
    let mut query: Option<(String, usize)> = None;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // Whether the previous *raw* character is a backslash, as in Go.
        let escaped = i > 0 && chars[i - 1] == '\\';
        if c == '\\' && !escaped {
            i += 1;
            continue;
        }
        match &mut query {
            None => {
                if !escaped && chars[i..].starts_with(&['$', '{', '!']) {
                    if !text.is_empty() {
                        pieces.push(Piece::Text(std::mem::take(&mut text)));
                    }
                    query = Some((String::new(), 0));
                    i += 3;
                    continue;
                }
                text.push(c);
            }
            Some((q, depth)) => match c {
                '{' if !escaped => {
                    *depth += 1;
                    q.push(c);
                }
                '}' if !escaped && *depth > 0 => {
                    *depth -= 1;
                    q.push(c);
                }
                '}' if !escaped => {
                    if !q.is_empty() && q.trim().is_empty() {
                        return Err(ExprError::EmptyQuery {
                            template: template.to_owned(),
                        });
                    }
                    if !q.is_empty() {
                        pieces.push(Piece::Query(std::mem::take(q)));
                    }
                    query = None;
                }
                _ => q.push(c),
            },
        }
        i += 1;
    }
    if query.is_some() {
        return Err(ExprError::Unterminated {
            template: template.to_owned(),
        });
    }
    if !text.is_empty() {
        pieces.push(Piece::Text(text));
    }
    if pieces.is_empty() {
        // Only dropped `${!}`s.
        return Err(ExprError::EmptyTemplate);
    }
    Ok(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Piece {
        Piece::Text(s.to_owned())
    }

    fn q(s: &str) -> Piece {
        Piece::Query(s.to_owned())
    }

    #[test]
    fn splits_text_and_queries() {
        assert_eq!(lex("test/${!id}").unwrap(), [t("test/"), q("id")]);
        assert_eq!(
            lex("a/${! id }/b/${!x.y()}").unwrap(),
            [t("a/"), q(" id "), t("/b/"), q("x.y()")]
        );
        assert_eq!(lex("${!id}").unwrap(), [q("id")]);
        assert_eq!(lex("plain").unwrap(), [t("plain")]);
    }

    #[test]
    fn dollar_brace_without_bang_is_literal() {
        assert_eq!(lex("a/${id}/}{").unwrap(), [t("a/${id}/}{")]);
    }

    #[test]
    fn escapes() {
        assert_eq!(
            lex(r"this_is_a_\${!test/${! id }").unwrap(),
            [t("this_is_a_${!test/"), q(" id ")]
        );
        assert_eq!(lex(r"a\\b").unwrap(), [t(r"a\b")]);
        assert_eq!(lex(r"a\b").unwrap(), [t("ab")]);
        // An escaped brace inside a query neither opens nor closes.
        assert_eq!(lex(r"${! x.or(\}) }").unwrap(), [q(" x.or(}) ")]);
    }

    #[test]
    fn an_empty_query_is_dropped_as_in_go() {
        assert_eq!(lex("a/${!}").unwrap(), [t("a/")]);
        assert_eq!(lex("a/${!}b/${!id}").unwrap(), [t("a/"), t("b/"), q("id")]);
    }

    #[test]
    fn braces_nest_inside_queries() {
        assert_eq!(
            lex("${! match id { \"a\" => \"b\" } }/x").unwrap(),
            [q(" match id { \"a\" => \"b\" } "), t("/x")]
        );
    }

    #[test]
    fn errors() {
        assert_eq!(lex(""), Err(ExprError::EmptyTemplate));
        assert!(matches!(lex("a/${!  }"), Err(ExprError::EmptyQuery { .. })));
        assert_eq!(lex("${!}"), Err(ExprError::EmptyTemplate));
        assert!(matches!(
            lex("a/${! id"),
            Err(ExprError::Unterminated { .. })
        ));
        assert!(matches!(lex("a/${!"), Err(ExprError::Unterminated { .. })));
        assert!(matches!(
            lex("a/${! {id}"),
            Err(ExprError::Unterminated { .. })
        ));
    }
}
