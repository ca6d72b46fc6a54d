//! Arrays, objects and bytes: Bloblang's array literals, field access on
//! values, and the methods that make or take them (`re_find_object`,
//! `without`, `key_values`, `sort_by`, `map_each`, `join`, `get`,
//! `decode`), as the Go generator's Bloblang (benthos v4) evaluates them.

use std::collections::BTreeMap;

use base64::Engine as _;

use super::error::QueryError;
use super::json;
use super::ops::{QueryResult, got};
use super::value::Value;
use crate::payload::{self, ProtoMessage};

fn type_error(method: &str, expected: &str, got: &Value) -> QueryError {
    QueryError::new(format!(
        "method `{method}`: expected {expected} value, got {}",
        got.type_name()
    ))
}

/// The input as the Go generator's queries read it: its protojson, decoded
/// as Go's `encoding/json` decodes into `any` (every number a float).
/// Generated code encodes it once per ID and reads the paths it cannot
/// type (whole messages, lists, maps and `Struct`s, paths into maps and
/// `Struct`s) from it with [`at`].
pub fn protojson<M: ProtoMessage>(input: &M) -> QueryResult {
    let payload = payload::encode(input).map_err(|e| QueryError::new(e.to_string()))?;
    let json: serde_json::Value = serde_json::from_slice(&payload.data)
        .map_err(|e| QueryError::new(format!("the input's protojson: {e}")))?;
    Ok(json::decode(json))
}

/// The value at `path` in the input's [`protojson`], `null` where there
/// is none.
pub fn at(json: &QueryResult, path: &[&str]) -> QueryResult {
    match json {
        Ok(value) => Ok(lookup(value, path).clone()),
        Err(e) => Err(e.clone()),
    }
}

/// `[a, b, ...]`: fails with the first element that fails.
pub fn array(items: Vec<QueryResult>) -> QueryResult {
    let mut values = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Ok(value) => values.push(value),
            // `nothing` is left out.
            Err(e) if e.is_nothing() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Value::Array(values))
}

/// `{key: value, ...}`: fails with the first entry that fails, or whose
/// key is not a string.
pub fn object(entries: Vec<(QueryResult, QueryResult)>) -> QueryResult {
    let mut fields = BTreeMap::new();
    for (key, value) in entries {
        let key = match got(key)? {
            Value::String(key) => key,
            other => {
                return Err(QueryError::new(format!(
                    "object keys must be strings, got {}",
                    other.type_name()
                )));
            }
        };
        match value {
            Ok(value) => {
                fields.insert(key, value);
            }
            // A field of `nothing` is left out.
            Err(e) if e.is_nothing() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(Value::Object(fields))
}

/// `value.a.0.b` on a value that is not the input: an object's field or an
/// array's element by index, `null` where there is none.
pub fn select(target: QueryResult, path: &[&str]) -> QueryResult {
    Ok(lookup(&got(target)?, path).clone())
}

/// The value at `path` in `value`: an object's field or an array's element
/// by index at each step.
fn lookup<'v>(value: &'v Value, path: &[&str]) -> &'v Value {
    const NULL: &Value = &Value::Null;
    path.iter().fold(value, |value, segment| match value {
        Value::Object(fields) => fields.get(*segment).unwrap_or(NULL),
        Value::Array(items) => segment
            .parse::<usize>()
            .ok()
            .and_then(|index| items.get(index))
            .unwrap_or(NULL),
        _ => NULL,
    })
}

/// `.get(path)`: [`select`] by a dot path (`~1` is a `.` and `~0` a `~`
/// inside a segment).
pub fn get(target: QueryResult, path: QueryResult) -> QueryResult {
    let path = match got(path)? {
        Value::String(path) => path,
        other => return Err(type_error("get", "string argument", &other)),
    };
    let segments: Vec<String> = path
        .split('.')
        .map(|s| s.replace("~1", ".").replace("~0", "~"))
        .collect();
    let segments: Vec<&str> = segments.iter().map(String::as_str).collect();
    select(target, &segments)
}

/// `.re_find_object(pattern)`: the first match's groups by name (or by
/// number, the whole match as `"0"`), `""` for a group that took no part;
/// an empty object without a match. `pattern` is in the `regex` crate's
/// syntax (the generator translates Go's and checks it).
pub fn re_find_object(target: QueryResult, pattern: &str) -> QueryResult {
    let regex = regex::Regex::new(pattern)
        .map_err(|e| QueryError::new(format!("method `re_find_object`: {e}")))?;
    let target = got(target)?;
    let text = match &target {
        Value::String(s) => s.clone(),
        Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
        other => return Err(type_error("re_find_object", "string", other)),
    };
    let mut groups = BTreeMap::new();
    if let Some(captures) = regex.captures(&text) {
        for (index, name) in regex.capture_names().enumerate() {
            let key = name.map_or_else(|| index.to_string(), str::to_owned);
            let value = captures.get(index).map_or("", |m| m.as_str());
            groups.insert(key, Value::String(value.to_owned()));
        }
    }
    Ok(Value::Object(groups))
}

/// `.without(paths...)`: the object without the fields at these dot paths.
pub fn without(target: QueryResult, paths: &[&str]) -> QueryResult {
    let paths: Vec<Vec<&str>> = paths.iter().map(|p| p.split('.').collect()).collect();
    match got(target)? {
        Value::Object(fields) => Ok(Value::Object(object_without(fields, &paths))),
        other => Err(type_error("without", "object", &other)),
    }
}

fn object_without(fields: BTreeMap<String, Value>, paths: &[Vec<&str>]) -> BTreeMap<String, Value> {
    fields
        .into_iter()
        .filter_map(|(key, value)| {
            let matching: Vec<&Vec<&str>> = paths.iter().filter(|p| p[0] == key).collect();
            if matching.iter().any(|p| p.len() == 1) {
                return None;
            }
            let nested: Vec<Vec<&str>> = matching.iter().map(|p| p[1..].to_vec()).collect();
            let value = match value {
                Value::Object(inner) if !nested.is_empty() => {
                    Value::Object(object_without(inner, &nested))
                }
                value => value,
            };
            Some((key, value))
        })
        .collect()
}

/// `.key_values()`: an array of `{"key": k, "value": v}` objects (in key
/// order; Go's order is random).
pub fn key_values(target: QueryResult) -> QueryResult {
    match got(target)? {
        Value::Object(fields) => Ok(Value::Array(
            fields
                .into_iter()
                .map(|(key, value)| pair(key, value))
                .collect(),
        )),
        other => Err(type_error("key_values", "object", &other)),
    }
}

fn pair(key: String, value: Value) -> Value {
    Value::Object(BTreeMap::from([
        ("key".to_owned(), Value::String(key)),
        ("value".to_owned(), value),
    ]))
}

/// `.keys()`: an object's keys, sorted.
pub fn keys(target: QueryResult) -> QueryResult {
    match got(target)? {
        Value::Object(fields) => Ok(Value::Array(
            fields.into_keys().map(Value::String).collect(),
        )),
        other => Err(type_error("keys", "object", &other)),
    }
}

/// `.values()`: an object's values (in key order; Go's order is random).
pub fn values(target: QueryResult) -> QueryResult {
    match got(target)? {
        Value::Object(fields) => Ok(Value::Array(fields.into_values().collect())),
        other => Err(type_error("values", "object", &other)),
    }
}

/// `.map_each(query)`: each element of an array, or each value of an
/// object (seen as `{"key": k, "value": v}`), replaced by the query's
/// result; kept where the query yields `nothing`.
pub fn map_each(target: QueryResult, query: impl Fn(&Value) -> QueryResult) -> QueryResult {
    let mapped = |element: &dyn std::fmt::Display, seen: &Value, kept: Value| match query(seen) {
        Ok(value) => Ok(value),
        Err(e) if e.is_nothing() => Ok(kept),
        Err(e) => Err(QueryError::new(format!(
            "failed to process element {element}: {e}"
        ))),
    };
    match got(target)? {
        Value::Array(items) => items
            .into_iter()
            .enumerate()
            .map(|(i, item)| mapped(&i, &item, item.clone()))
            .collect::<Result<_, _>>()
            .map(Value::Array),
        Value::Object(fields) => fields
            .into_iter()
            .map(|(key, value)| {
                let seen = pair(key.clone(), value.clone());
                Ok((key.clone(), mapped(&key, &seen, value)?))
            })
            .collect::<Result<_, _>>()
            .map(Value::Object),
        other => Err(type_error("map_each", "array", &other)),
    }
}

/// A `sort_by` key: numbers sort by value, strings (and bytes) bytewise.
#[derive(PartialEq, PartialOrd)]
enum SortKey {
    Number(f64),
    Text(Vec<u8>),
}

/// `.sort_by(query)`: the array ordered by each element's key, stably
/// (Go's sort is not stable, so ties may come out in any order there). The
/// keys must be all numbers or all strings.
pub fn sort_by(target: QueryResult, query: impl Fn(&Value) -> QueryResult) -> QueryResult {
    let items = match got(target)? {
        Value::Array(items) => items,
        other => return Err(type_error("sort_by", "array", &other)),
    };
    if items.len() < 2 {
        return Ok(Value::Array(items));
    }
    let mut keyed = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let element = |e: String| QueryError::new(format!("sort_by element {i}: {e}"));
        let key = match query(&item).map_err(|e| element(e.to_string()))? {
            Value::Int(n) => SortKey::Number(n as f64),
            Value::Float(f) => SortKey::Number(f),
            Value::String(s) => SortKey::Text(s.into_bytes()),
            Value::Bytes(b) => SortKey::Text(b),
            other => {
                return Err(element(format!(
                    "expected number or string value, got {}",
                    other.type_name()
                )));
            }
        };
        keyed.push((key, item));
    }
    let numbers = matches!(keyed[0].0, SortKey::Number(_));
    if let Some(i) = keyed
        .iter()
        .position(|(key, _)| matches!(key, SortKey::Number(_)) != numbers)
    {
        let expected = if numbers { "number" } else { "string" };
        return Err(QueryError::new(format!(
            "sort_by element {i}: expected {expected} value, as the first element's key"
        )));
    }
    keyed.sort_by(|(a, _), (b, _)| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
    Ok(Value::Array(
        keyed.into_iter().map(|(_, item)| item).collect(),
    ))
}

/// `.join(delimiter)`: an array of strings (or bytes) joined.
pub fn join(target: QueryResult, delimiter: Option<QueryResult>) -> QueryResult {
    let delimiter = match delimiter.map(got).transpose()? {
        None => String::new(),
        Some(Value::String(d)) => d,
        Some(other) => return Err(type_error("join", "string argument", &other)),
    };
    let items = match got(target)? {
        Value::Array(items) => items,
        other => return Err(type_error("join", "array", &other)),
    };
    let mut parts = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        parts.push(match item {
            Value::String(s) => s.clone(),
            Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            other => {
                return Err(QueryError::new(format!(
                    "failed to join element {i}: expected string value, got {}",
                    other.type_name()
                )));
            }
        });
    }
    Ok(Value::String(parts.join(&delimiter)))
}

/// The schemes `decode` supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// `base64`: standard, padded.
    Base64,
    /// `base64url`: URL-safe, padded.
    Base64Url,
    /// `base64rawurl`: URL-safe, unpadded.
    Base64RawUrl,
    /// `hex`.
    Hex,
    /// `ascii85`, as Go's `encoding/ascii85` reads it (no `<~ ~>`).
    Ascii85,
    /// `z85` (ZeroMQ's), in groups of five characters.
    Z85,
}

/// `.decode(scheme)`: the bytes a string encodes.
pub fn decode(target: QueryResult, scheme: Scheme) -> QueryResult {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE, URL_SAFE_NO_PAD};
    let input = match got(target)? {
        Value::String(s) => s.into_bytes(),
        Value::Bytes(b) => b,
        other => return Err(type_error("decode", "string", &other)),
    };
    let decoded = match scheme {
        // Go's base64 decoder skips line breaks.
        Scheme::Base64 | Scheme::Base64Url | Scheme::Base64RawUrl => {
            let input: Vec<u8> = input
                .into_iter()
                .filter(|b| !matches!(b, b'\r' | b'\n'))
                .collect();
            let engine = match scheme {
                Scheme::Base64 => &STANDARD,
                Scheme::Base64Url => &URL_SAFE,
                _ => &URL_SAFE_NO_PAD,
            };
            engine.decode(input).map_err(|e| e.to_string())
        }
        Scheme::Hex => hex(&input),
        Scheme::Ascii85 => ascii85(&input),
        Scheme::Z85 => z85(&input),
    };
    decoded
        .map(Value::Bytes)
        .map_err(|e| QueryError::new(format!("method `decode`: {e}")))
}

fn hex(input: &[u8]) -> Result<Vec<u8>, String> {
    let digit = |b: u8| match b {
        b'0'..=b'9' => Ok(b - b'0'),
        b'a'..=b'f' => Ok(b - b'a' + 10),
        b'A'..=b'F' => Ok(b - b'A' + 10),
        _ => Err(format!("encoding/hex: invalid byte: {:?}", char::from(b))),
    };
    if !input.len().is_multiple_of(2) {
        return Err("encoding/hex: odd length hex string".to_owned());
    }
    input
        .chunks(2)
        .map(|pair| Ok((digit(pair[0])? << 4) | digit(pair[1])?))
        .collect()
}

/// Go's `ascii85.Decode`: control characters and spaces are skipped, `z`
/// is four zero bytes, and a last group of two to four characters is
/// padded with `u`.
fn ascii85(input: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(input.len() * 4 / 5);
    let (mut value, mut count) = (0u32, 0);
    for (i, &b) in input.iter().enumerate() {
        match b {
            0..=b' ' => {}
            b'z' if count == 0 => out.extend([0; 4]),
            b'!'..=b'u' => {
                value = value.wrapping_mul(85).wrapping_add(u32::from(b - b'!'));
                count += 1;
                if count == 5 {
                    out.extend(value.to_be_bytes());
                    (value, count) = (0, 0);
                }
            }
            _ => return Err(format!("illegal ascii85 data at input byte {i}")),
        }
    }
    match count {
        0 => {}
        1 => {
            return Err(format!(
                "illegal ascii85 data at input byte {}",
                input.len()
            ));
        }
        _ => {
            for _ in count..5 {
                value = value.wrapping_mul(85).wrapping_add(84);
            }
            out.extend(&value.to_be_bytes()[..count - 1]);
        }
    }
    Ok(out)
}

/// Z85: each five characters of its alphabet are four bytes.
fn z85(input: &[u8]) -> Result<Vec<u8>, String> {
    const ALPHABET: &[u8; 85] =
        b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
    if !input.len().is_multiple_of(5) {
        return Err("z85: invalid length".to_owned());
    }
    let mut out = Vec::with_capacity(input.len() / 5 * 4);
    for (g, group) in input.chunks(5).enumerate() {
        let mut value = 0u32;
        for (i, &b) in group.iter().enumerate() {
            let digit = ALPHABET.iter().position(|&a| a == b).ok_or_else(|| {
                format!(
                    "z85: invalid input byte {:?} at {}",
                    char::from(b),
                    g * 5 + i
                )
            })?;
            value = value.wrapping_mul(85).wrapping_add(digit as u32);
        }
        out.extend(value.to_be_bytes());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> QueryResult {
        Ok(Value::String(v.to_owned()))
    }

    fn object(fields: &[(&str, &str)]) -> Value {
        Value::Object(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect(),
        )
    }

    #[test]
    fn regex_groups_by_name_or_number() {
        assert_eq!(
            re_find_object(s("-axxb-ab-"), "a(?P<foo>x*)b"),
            Ok(object(&[("0", "axxb"), ("foo", "xx")]))
        );
        assert_eq!(
            re_find_object(s("ab"), "(a)(x)?"),
            Ok(object(&[("0", "a"), ("1", "a"), ("2", "")]))
        );
        assert_eq!(re_find_object(s("zz"), "a"), Ok(object(&[])));
        assert!(re_find_object(Ok(Value::Null), "a").is_err());
    }

    #[test]
    fn the_go_generators_regex_test() {
        let groups = re_find_object(
            s("foo:bar:baz"),
            "(?P<first>[^:]{3,10}):(?P<second>[^:]{3,10}):(?P<third>[^:]{3,10})",
        );
        let values = map_each(
            sort_by(key_values(without(groups, &["0"])), |p| {
                select(Ok(p.clone()), &["key"])
            }),
            |p| select(Ok(p.clone()), &["value"]),
        );
        assert_eq!(join(values, Some(s("/"))), s("foo/bar/baz"));
    }

    #[test]
    fn select_and_get_walk_objects_and_arrays() {
        let nested = Value::Object(BTreeMap::from([(
            "a.b".to_string(),
            Value::Array(vec![Value::Int(1), Value::Int(2)]),
        )]));
        assert_eq!(get(Ok(nested.clone()), s("a~1b.1")), Ok(Value::Int(2)));
        assert_eq!(select(Ok(nested.clone()), &["a.b", "5"]), Ok(Value::Null));
        assert_eq!(select(Ok(nested), &["x", "y"]), Ok(Value::Null));
        assert_eq!(select(s("str"), &["x"]), Ok(Value::Null));
    }

    #[test]
    fn without_removes_nested_paths() {
        let value = Value::Object(BTreeMap::from([
            (
                "a".to_string(),
                Value::Object(BTreeMap::from([
                    ("b".to_string(), Value::Null),
                    ("c".to_string(), Value::Null),
                ])),
            ),
            ("d".to_string(), Value::Null),
        ]));
        let expected = Value::Object(BTreeMap::from([(
            "a".to_string(),
            Value::Object(BTreeMap::from([("c".to_string(), Value::Null)])),
        )]));
        assert_eq!(without(Ok(value), &["a.b", "d", "x.y"]), Ok(expected));
    }

    #[test]
    fn sort_by_keys_of_one_kind() {
        let items = Value::Array(vec![Value::Int(3), Value::Float(1.5), Value::Int(2)]);
        assert_eq!(
            sort_by(Ok(items.clone()), |v| Ok(v.clone())),
            Ok(Value::Array(vec![
                Value::Float(1.5),
                Value::Int(2),
                Value::Int(3)
            ]))
        );
        let mixed = Value::Array(vec![Value::Int(3), Value::String("a".into())]);
        assert!(sort_by(Ok(mixed), |v| Ok(v.clone())).is_err());
        let one = Value::Array(vec![Value::Bool(true)]);
        assert_eq!(sort_by(Ok(one.clone()), |v| Ok(v.clone())), Ok(one));
    }

    #[test]
    fn map_each_over_objects_sees_pairs() {
        let value = object(&[("k", "v")]);
        assert_eq!(
            map_each(Ok(value), |p| select(Ok(p.clone()), &["key"])),
            Ok(object(&[("k", "k")]))
        );
        let failing = map_each(Ok(Value::Array(vec![Value::Null])), |_| {
            Err(QueryError::new("boom"))
        });
        assert_eq!(
            failing.unwrap_err().message(),
            "failed to process element 0: boom"
        );
    }

    #[test]
    fn join_takes_strings_only() {
        let items = Value::Array(vec![Value::String("a".into()), Value::Bytes(b"b".to_vec())]);
        assert_eq!(join(Ok(items), None), s("ab"));
        let bad = Value::Array(vec![Value::Int(1)]);
        assert!(join(Ok(bad), Some(s(","))).is_err());
    }

    #[test]
    fn decode_schemes() {
        assert_eq!(
            decode(s("Zm9v"), Scheme::Base64),
            Ok(Value::Bytes(b"foo".to_vec()))
        );
        assert_eq!(
            decode(s("Zm9v\n"), Scheme::Base64),
            Ok(Value::Bytes(b"foo".to_vec()))
        );
        assert_eq!(
            decode(s("_-8="), Scheme::Base64Url),
            Ok(Value::Bytes(vec![0xff, 0xef]))
        );
        assert_eq!(
            decode(s("_-8"), Scheme::Base64RawUrl),
            Ok(Value::Bytes(vec![0xff, 0xef]))
        );
        assert_eq!(
            decode(s("666f6F"), Scheme::Hex),
            Ok(Value::Bytes(b"foo".to_vec()))
        );
        assert!(decode(s("abc"), Scheme::Hex).is_err());
        assert_eq!(
            decode(s("AoDS"), Scheme::Ascii85),
            Ok(Value::Bytes(b"foo".to_vec()))
        );
        assert_eq!(
            decode(s("z AoDS"), Scheme::Ascii85),
            Ok(Value::Bytes(b"\0\0\0\0foo".to_vec()))
        );
        assert!(decode(s("A"), Scheme::Ascii85).is_err());
        assert_eq!(
            decode(s("HelloWorld"), Scheme::Z85),
            Ok(Value::Bytes(vec![
                0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b
            ]))
        );
        assert!(decode(s("Hell"), Scheme::Z85).is_err());
        assert!(decode(s("%%%"), Scheme::Base64).is_err());
    }
}
