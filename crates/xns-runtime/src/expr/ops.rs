//! The functions generated ID-expression code calls. They are re-exported
//! from [`super::__private`]: not a stable API.
//!
//! Every query evaluates to a [`QueryResult`]; methods take their target's
//! result and propagate its error, except `or` and `catch` which recover.

use super::error::{EvalError, QueryError};
use super::operators::same;
use super::value::{Scalar, Value};
use super::{IdEnv, random, slug as slug_mod, time};

/// What a query (or a part of one) evaluates to.
pub type QueryResult = Result<Value, QueryError>;

/// The value an operand or a method's target holds: Bloblang's `nothing`
/// fails there like any value of the wrong type (only `.or()`, `.catch()`,
/// `.string()`, `|`, `==`, `!=`, conditions, literals and `map_each` take
/// it as it is).
pub(crate) fn got(result: QueryResult) -> Result<Value, QueryError> {
    result.map_err(|e| {
        if e.is_nothing() {
            QueryError::new(format!("expected a value, {}", e.message()))
        } else {
            e
        }
    })
}

/// One part of an ID template.
#[derive(Debug)]
pub enum Fragment<'a> {
    /// Literal text.
    Text(&'a str),
    /// A `${! query }` fragment: the query text and its result.
    Query(&'a str, QueryResult),
}

/// Concatenates the fragments of `template`. Every query must yield a
/// string; all failures are collected into one [`EvalError`].
pub fn render<'a>(
    template: &str,
    fragments: impl IntoIterator<Item = Fragment<'a>>,
) -> Result<String, EvalError> {
    let mut out = String::new();
    let mut errors = Vec::new();
    for fragment in fragments {
        match fragment {
            Fragment::Text(text) => out.push_str(text),
            Fragment::Query(_, Ok(Value::String(s))) => out.push_str(&s),
            // Go writes bytes as they are; an ID is UTF-8 text.
            Fragment::Query(_, Ok(Value::Bytes(b))) => out.push_str(&String::from_utf8_lossy(&b)),
            Fragment::Query(query, Ok(other)) => errors.push(format!(
                "expected string result from `{query}` query, got: {}",
                other.go_repr()
            )),
            // Go's ID query leaves its input in place of `nothing`.
            Fragment::Query(query, Err(e)) if e.is_nothing() => errors.push(format!(
                "expected string result from `{query}` query, got: the input object (the \
                 query yields Bloblang's `nothing`: {e})"
            )),
            Fragment::Query(query, Err(e)) => {
                errors.push(format!("error evaluating `{query}` query: {e}"))
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(EvalError::new(template, errors))
    }
}

// ---------------------------------------------------------------- fields

/// A field without presence (proto3 implicit presence): `null` when absent
/// or equal to its default, as protojson omits it.
pub fn implicit<T: Scalar + ?Sized>(value: Option<&T>) -> QueryResult {
    Ok(match value {
        Some(v) if !v.is_default() => v.to_value(),
        _ => Value::Null,
    })
}

/// A field with presence (optional, oneof member, wrapper, list element):
/// `null` only when absent.
pub fn explicit<T: Scalar + ?Sized>(value: Option<&T>) -> QueryResult {
    Ok(value.map_or(Value::Null, Scalar::to_value))
}

/// A string literal, or the name of an enum value.
pub fn str_lit(s: &str) -> QueryResult {
    Ok(Value::String(s.to_owned()))
}

/// An enum number with no named value: protojson writes the number.
pub fn enum_number(n: i32) -> QueryResult {
    Ok(Value::Float(f64::from(n)))
}

/// A `google.protobuf.Timestamp` (seconds, nanos), RFC 3339 as protojson
/// writes it; `null` when unset.
pub fn timestamp(value: Option<(i64, i32)>) -> QueryResult {
    match value {
        None => Ok(Value::Null),
        Some((s, n)) => time::protojson_timestamp(s, n)
            .map(Value::String)
            .map_err(QueryError::new),
    }
}

/// A `google.protobuf.Duration` (seconds, nanos) as protojson writes it
/// (`1.500s`); `null` when unset.
pub fn duration(value: Option<(i64, i32)>) -> QueryResult {
    match value {
        None => Ok(Value::Null),
        Some((s, n)) => time::protojson_duration(s, n)
            .map(Value::String)
            .map_err(QueryError::new),
    }
}

// ------------------------------------------------------------- functions

/// `uuid_v4()`.
pub fn uuid_v4(env: &dyn IdEnv) -> QueryResult {
    Ok(Value::String(env.uuid_v4()))
}

/// `nanoid()`.
pub fn nanoid(env: &dyn IdEnv) -> QueryResult {
    Ok(Value::String(random::nanoid(env)))
}

/// `ksuid()`.
pub fn ksuid(env: &dyn IdEnv) -> QueryResult {
    random::ksuid(env)
        .map(Value::String)
        .map_err(QueryError::new)
}

/// `now()`: the current time, RFC 3339 with nanoseconds, in UTC (an error
/// outside the years 0000-9999).
pub fn now(env: &dyn IdEnv) -> QueryResult {
    time::rfc3339_nano(env.now())
        .map(Value::String)
        .map_err(|e| QueryError::new(format!("now(): {e}")))
}

/// `throw(message)`: fails with the message.
pub fn throw(message: QueryResult) -> QueryResult {
    match got(message)? {
        Value::String(s) => Err(QueryError::new(s)),
        other => Err(type_error("throw", "string", &other)),
    }
}

// --------------------------------------------------------------- methods

fn type_error(method: &str, expected: &str, got: &Value) -> QueryError {
    QueryError::new(format!(
        "method `{method}`: expected {expected} value, got {}",
        got.type_name()
    ))
}

/// Applies `f` to the target's string (or bytes, which stay bytes), or
/// fails with a type error.
fn string_method(method: &str, target: QueryResult, f: impl FnOnce(&str) -> String) -> QueryResult {
    match got(target)? {
        Value::String(s) => Ok(Value::String(f(&s))),
        Value::Bytes(b) => Ok(Value::Bytes(f(&String::from_utf8_lossy(&b)).into_bytes())),
        other => Err(type_error(method, "string", &other)),
    }
}

/// `.or(x)`: `x` when the target is `null`, `nothing` or failed.
pub fn or(target: QueryResult, fallback: impl FnOnce() -> QueryResult) -> QueryResult {
    match target {
        Ok(Value::Null) | Err(_) => fallback(),
        ok => ok,
    }
}

/// `.catch(x)`: `x` when the target failed (`nothing` is passed on).
pub fn catch(target: QueryResult, fallback: impl FnOnce() -> QueryResult) -> QueryResult {
    match target {
        Err(e) if !e.is_nothing() => fallback(),
        other => other,
    }
}

/// `.not_empty()`: fails on an empty string, bytes, array or object, and on
/// any other value.
pub fn not_empty(target: QueryResult) -> QueryResult {
    let target = got(target)?;
    let empty = match &target {
        Value::String(s) => s.is_empty(),
        Value::Bytes(b) => b.is_empty(),
        Value::Array(items) => items.is_empty(),
        Value::Object(fields) => fields.is_empty(),
        other => return Err(type_error("not_empty", "string, array or object", other)),
    };
    if empty {
        return Err(QueryError::new(format!(
            "method `not_empty`: {} value is empty",
            target.type_name()
        )));
    }
    Ok(target)
}

/// `.string()`: see [`Value::to_bloblang_string`].
pub fn string(target: QueryResult) -> QueryResult {
    match target {
        Ok(v @ Value::String(_)) => Ok(v),
        Ok(other) => Ok(Value::String(other.to_bloblang_string())),
        Err(e) if e.is_nothing() => Ok(Value::String("null".to_owned())),
        Err(e) => Err(e),
    }
}

/// `.slug()`: see [`super::slug`].
pub fn slug(target: QueryResult) -> QueryResult {
    match got(target)? {
        Value::String(s) => Ok(Value::String(slug_mod::slug(&s))),
        Value::Bytes(b) => Ok(Value::String(slug_mod::slug(&String::from_utf8_lossy(&b)))),
        other => Err(type_error("slug", "string", &other)),
    }
}

/// `.uppercase()`, rune by rune like Go's `strings.ToUpper` (a character
/// whose uppercase is several characters, such as `ß`, is kept).
pub fn uppercase(target: QueryResult) -> QueryResult {
    string_method("uppercase", target, |s| s.chars().map(upper).collect())
}

/// `.lowercase()`, rune by rune like Go's `strings.ToLower`.
pub fn lowercase(target: QueryResult) -> QueryResult {
    string_method("lowercase", target, |s| s.chars().map(lower).collect())
}

/// `.capitalize()`: Bloblang's, i.e. golang.org/x/text's
/// `cases.Title(language.English)`: the first cased letter of each word in
/// title case, the word's other letters in lower case (see [`title`]).
pub fn capitalize(target: QueryResult) -> QueryResult {
    string_method("capitalize", target, title)
}

/// `.contains(x)` on a string: whether it contains `x` as Bloblang writes
/// it as a string (`5` as `"5"`, `null` as `"null"`).
pub fn contains(target: QueryResult, value: QueryResult) -> QueryResult {
    let value = got(value)?;
    match got(target)? {
        Value::String(s) => Ok(Value::Bool(s.contains(&value.to_bloblang_string()))),
        Value::Bytes(b) => {
            let needle = value.to_bloblang_string().into_bytes();
            let found = needle.is_empty() || b.windows(needle.len()).any(|w| w == needle);
            Ok(Value::Bool(found))
        }
        Value::Array(items) => Ok(Value::Bool(items.iter().any(|i| same(&value, i)))),
        Value::Object(fields) => Ok(Value::Bool(fields.values().any(|v| same(&value, v)))),
        other => Err(type_error("contains", "string, array or object", &other)),
    }
}

/// `.has_prefix(x)`: whether the target string starts with the string `x`.
pub fn has_prefix(target: QueryResult, prefix: QueryResult) -> QueryResult {
    affix("has_prefix", target, prefix, |s, p| s.starts_with(p))
}

/// `.has_suffix(x)`: whether the target string ends with the string `x`.
pub fn has_suffix(target: QueryResult, suffix: QueryResult) -> QueryResult {
    affix("has_suffix", target, suffix, |s, p| s.ends_with(p))
}

fn affix(
    method: &str,
    target: QueryResult,
    affix: QueryResult,
    test: fn(&str, &str) -> bool,
) -> QueryResult {
    let affix = match got(affix)? {
        Value::String(a) => a,
        other => {
            return Err(QueryError::new(format!(
                "method `{method}`: expected a string argument, got {}",
                other.type_name()
            )));
        }
    };
    match got(target)? {
        Value::String(s) => Ok(Value::Bool(test(&s, &affix))),
        other => Err(type_error(method, "string", &other)),
    }
}

/// Go's `unicode.ToUpper`: the simple (one-character) mapping.
fn upper(c: char) -> char {
    let mut it = c.to_uppercase();
    match (it.next(), it.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Go's `unicode.ToLower`: the simple (one-character) mapping.
fn lower(c: char) -> char {
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        // 'İ' lowercases to "i̇" in full, to 'i' simply.
        (Some(l), Some(_)) if c == 'İ' => l,
        _ => c,
    }
}

/// Go's `unicode.ToTitle`: like [`upper`] except for the digraphs.
fn to_title(c: char) -> char {
    match c {
        'Ǆ' | 'ǅ' | 'ǆ' => 'ǅ',
        'Ǉ' | 'ǈ' | 'ǉ' => 'ǈ',
        'Ǌ' | 'ǋ' | 'ǌ' => 'ǋ',
        'Ǳ' | 'ǲ' | 'ǳ' => 'ǲ',
        c => upper(c),
    }
}

/// How x/text's title caser sees a character: its approximation of the
/// Unicode word breaks (UAX #29).
#[derive(Clone, Copy, PartialEq, Eq)]
enum WordClass {
    /// A letter with case (`Cased`): title-cased first in a word, lowered
    /// after.
    Cased,
    /// MidLetter, MidNumLet and Single_Quote (`'`, `.`, `:`, `’`, ...): no
    /// break next to a letter, a break between two of them.
    Mid,
    /// Other word characters without case (digits, `_`, letters of
    /// caseless scripts, combining marks): never a break.
    Letter,
    /// Everything else (spaces, most punctuation and symbols): a break.
    Break,
}

fn word_class(c: char) -> WordClass {
    const MID: &[char] = &[
        '\'', '.', ':', '\u{b7}', '\u{387}', '\u{55f}', '\u{5f4}', '\u{2018}', '\u{2019}',
        '\u{2024}', '\u{2027}', '\u{fe13}', '\u{fe52}', '\u{fe55}', '\u{ff07}', '\u{ff0e}',
        '\u{ff1a}',
    ];
    if is_cased(c) {
        WordClass::Cased
    } else if MID.contains(&c) {
        WordClass::Mid
    } else if c.is_alphanumeric() || c == '_' || is_combining(c) {
        WordClass::Letter
    } else {
        WordClass::Break
    }
}

/// Unicode's `Cased`: lower case, upper case or title case.
fn is_cased(c: char) -> bool {
    c.is_lowercase() || c.is_uppercase() || "ǅǈǋǲ".contains(c)
}

/// The combining marks of the blocks in common use (Unicode's `Extend`
/// word-break class, which never breaks a word).
fn is_combining(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{1dc0}'..='\u{1dff}'
        | '\u{20d0}'..='\u{20ff}' | '\u{fe20}'..='\u{fe2f}' | '\u{200d}')
}

/// The title case of `c` as a string: the digraphs' title forms; else the
/// full upper case with all but its first character lowered (`ß` is `Ss`,
/// `ﬁ` is `Fi`).
fn title_case(c: char, out: &mut String) {
    let title = to_title(c);
    if title != upper(c) {
        out.push(title);
        return;
    }
    let mut chars = c.to_uppercase();
    if let Some(first) = chars.next() {
        out.push(first);
    }
    out.extend(chars.flat_map(char::to_lowercase));
}

/// x/text's title caser: in each word, the first cased letter is
/// title-cased and the other cased letters lowered (full mappings); other
/// characters are kept. A break character ends the word, as does a pair of
/// Mid characters; digits and other caseless letters do not start one, so
/// `1st` becomes `1St` as in Go.
fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_word = false;
    let mut prev = WordClass::Break;
    for c in s.chars() {
        let class = word_class(c);
        if prev == WordClass::Mid && class == WordClass::Mid {
            in_word = false;
        }
        match class {
            WordClass::Cased if in_word => out.extend(c.to_lowercase()),
            WordClass::Cased => {
                title_case(c, &mut out);
                in_word = true;
            }
            WordClass::Break => {
                out.push(c);
                in_word = false;
            }
            WordClass::Mid | WordClass::Letter => out.push(c),
        }
        prev = class;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> QueryResult {
        str_lit(v)
    }

    fn err(m: &str) -> QueryResult {
        Err(QueryError::new(m))
    }

    #[test]
    fn or_recovers_null_and_errors() {
        assert_eq!(or(Ok(Value::Null), || s("x")), s("x"));
        assert_eq!(or(err("boom"), || s("x")), s("x"));
        assert_eq!(or(s("a"), || s("x")), s("a"));
        assert_eq!(or(s(""), || s("x")), s(""), "only null is replaced");
        assert_eq!(
            or(Ok(Value::Null), || throw(s("uh oh"))),
            err("uh oh"),
            "the fallback's error propagates"
        );
    }

    #[test]
    fn catch_recovers_errors_only() {
        assert_eq!(catch(err("boom"), || s("x")), s("x"));
        assert_eq!(catch(Ok(Value::Null), || s("x")), Ok(Value::Null));
        assert_eq!(catch(throw(s("uh oh")), || s("x")), s("x"));
        assert_eq!(catch(uppercase(Ok(Value::Null)), || s("x")), s("x"));
    }

    #[test]
    fn string_coerces() {
        assert_eq!(string(Ok(Value::Float(30.0))), s("30"));
        assert_eq!(string(Ok(Value::Float(0.5))), s("0.5"));
        assert_eq!(string(Ok(Value::Bool(true))), s("true"));
        assert_eq!(string(Ok(Value::Null)), s("null"));
        assert_eq!(string(Ok(Value::Int(-7))), s("-7"));
        assert_eq!(string(s("x")), s("x"));
        assert_eq!(string(err("e")), err("e"));
    }

    #[test]
    fn case_methods() {
        assert_eq!(uppercase(s("foo")), s("FOO"));
        assert_eq!(uppercase(s("straße")), s("STRAßE"));
        assert_eq!(lowercase(s("FoO İ")), s("foo i"));
        assert_eq!(
            capitalize(s("hello wORLD foo_bar x-y")),
            s("Hello World Foo_bar X-Y")
        );
        assert_eq!(
            capitalize(s("don't 1st a.b a..b ßx ﬁx ǆx")),
            s("Don't 1St A.b A..B Ssx Fix ǅx")
        );
        assert_eq!(capitalize(s("élan vital")), s("Élan Vital"));
        assert_eq!(
            uppercase(Ok(Value::Null)),
            err("method `uppercase`: expected string value, got null")
        );
        assert_eq!(
            slug(Ok(Value::Float(1.0))),
            err("method `slug`: expected string value, got number")
        );
        assert_eq!(slug(s("My Foo")), s("my-foo"));
    }

    #[test]
    fn not_empty_fails_on_empty_and_non_strings() {
        assert_eq!(not_empty(s("a")), s("a"));
        assert!(not_empty(s("")).unwrap_err().message().contains("empty"));
        assert!(not_empty(Ok(Value::Null)).is_err());
        assert_eq!(not_empty(err("e")), err("e"));
    }

    #[test]
    fn string_predicates() {
        assert_eq!(contains(s("a5"), Ok(Value::Int(5))), Ok(Value::Bool(true)));
        assert_eq!(
            contains(s("1e+06"), Ok(Value::Float(1e6))),
            Ok(Value::Bool(true))
        );
        assert_eq!(contains(s("null"), Ok(Value::Null)), Ok(Value::Bool(true)));
        assert!(contains(Ok(Value::Float(5.0)), s("5")).is_err());
        assert_eq!(has_prefix(s("ab"), s("a")), Ok(Value::Bool(true)));
        assert_eq!(has_suffix(s("ab"), s("a")), Ok(Value::Bool(false)));
        assert_eq!(
            has_prefix(s("5a"), Ok(Value::Int(5))),
            err("method `has_prefix`: expected a string argument, got number")
        );
        assert!(has_suffix(Ok(Value::Null), s("a")).is_err());
    }

    #[test]
    fn throw_needs_a_string() {
        assert_eq!(throw(s("uh oh")), err("uh oh"));
        assert!(throw(Ok(Value::Int(1))).is_err());
    }

    #[test]
    fn presence_rules() {
        assert_eq!(implicit(Some("")), Ok(Value::Null));
        assert_eq!(implicit(Some(&0i32)), Ok(Value::Null));
        assert_eq!(implicit(Some(&false)), Ok(Value::Null));
        assert_eq!(implicit::<i32>(None), Ok(Value::Null));
        assert_eq!(implicit(Some(&30i32)), Ok(Value::Float(30.0)));
        assert_eq!(explicit(Some(&0i32)), Ok(Value::Float(0.0)));
        assert_eq!(explicit(Some(&String::new())), s(""));
        assert_eq!(explicit::<String>(None), Ok(Value::Null));
        assert_eq!(enum_number(7), Ok(Value::Float(7.0)));
        assert_eq!(timestamp(None), Ok(Value::Null));
        assert_eq!(timestamp(Some((0, 0))), s("1970-01-01T00:00:00Z"));
        assert!(timestamp(Some((0, -1))).is_err());
        assert_eq!(duration(Some((1, 500_000_000))), s("1.500s"));
    }

    #[test]
    fn times_out_of_range_are_query_errors() {
        struct At(std::time::SystemTime);
        impl IdEnv for At {
            fn random_u64(&self) -> u64 {
                0
            }
            fn now(&self) -> std::time::SystemTime {
                self.0
            }
        }
        use std::time::{Duration, UNIX_EPOCH};
        let far = [
            UNIX_EPOCH.checked_sub(Duration::from_secs(1 << 63)),
            UNIX_EPOCH.checked_add(Duration::new(i64::MAX as u64, 999_999_999)),
            UNIX_EPOCH.checked_add(Duration::from_secs(253_402_300_800)),
        ];
        for t in far.into_iter().flatten() {
            let env = At(t);
            let e = now(&env).unwrap_err();
            assert!(e.message().starts_with("now(): time "), "{e}");
            let e = ksuid(&env).unwrap_err();
            assert!(e.message().starts_with("ksuid(): time "), "{e}");
            let e = render("x/${!now()}", [Fragment::Query("now()", now(&env))]).unwrap_err();
            assert!(
                e.to_string().starts_with(
                    "error evaluating ID expression `x/${!now()}`: error evaluating `now()` query: now(): time "
                ),
                "{e}"
            );
        }
        assert!(timestamp(Some((i64::MIN, 0))).is_err());
        assert!(timestamp(Some((i64::MAX, i32::MAX))).is_err());
        assert!(duration(Some((i64::MIN, i32::MIN))).is_err());
        assert!(duration(Some((i64::MAX, 0))).is_err());
    }

    #[test]
    fn render_collects_every_error() {
        let out = render(
            "a/${!x}/${!y}/${!z}",
            [
                Fragment::Text("a/"),
                Fragment::Query("x", Ok(Value::Null)),
                Fragment::Text("/"),
                Fragment::Query("y", Ok(Value::Float(30.0))),
                Fragment::Text("/"),
                Fragment::Query("z", err("uh oh")),
            ],
        )
        .unwrap_err();
        assert_eq!(out.template(), "a/${!x}/${!y}/${!z}");
        assert_eq!(
            out.errors(),
            [
                "expected string result from `x` query, got: <nil>",
                "expected string result from `y` query, got: 30",
                "error evaluating `z` query: uh oh",
            ]
        );
        assert_eq!(
            out.to_string(),
            "error evaluating ID expression `a/${!x}/${!y}/${!z}`: \
             expected string result from `x` query, got: <nil>; \
             expected string result from `y` query, got: 30; \
             error evaluating `z` query: uh oh"
        );
        assert_eq!(
            render("t", [Fragment::Text("a/"), Fragment::Query("q", s("b"))]),
            Ok("a/b".to_owned())
        );
    }
}
