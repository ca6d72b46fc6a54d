//! Values as Go's `encoding/json` reads and writes them: the input's
//! protojson as queries see it, what Bloblang's `.string()` makes of arrays
//! and objects, and the data of search attribute payloads.

use base64::Engine as _;

use super::value::Value;

/// JSON as Go's `encoding/json` decodes it into `any`: every number a
/// float.
pub(crate) fn decode(json: serde_json::Value) -> Value {
    use serde_json::Value as J;
    match json {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(b),
        J::Number(n) => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        J::String(s) => Value::String(s),
        J::Array(items) => Value::Array(items.into_iter().map(decode).collect()),
        J::Object(fields) => {
            Value::Object(fields.into_iter().map(|(k, v)| (k, decode(v))).collect())
        }
    }
}

/// A value as Go's `encoding/json` writes the `any` Bloblang holds: object
/// keys sorted, bytes in standard base64; an error for a NaN or an
/// infinity.
pub(crate) fn value(value: &Value) -> Result<String, String> {
    Ok(match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => float(*f)?,
        Value::String(s) => string(s),
        Value::Bytes(b) => string(&base64::engine::general_purpose::STANDARD.encode(b)),
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(self::value).collect::<Result<_, _>>()?;
            format!("[{}]", items.join(","))
        }
        Value::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(k, v)| Ok(format!("{}:{}", string(k), self::value(v)?)))
                .collect::<Result<_, String>>()?;
            format!("{{{}}}", fields.join(","))
        }
    })
}

/// A string as Go's `encoding/json` writes it, HTML-safe (`<`, `>` and `&`
/// escaped, as `json.Marshal` does).
pub(crate) fn string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)))
            }
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A float as Go's `encoding/json` writes it: the shortest form, in
/// exponent form below 1e-6 and from 1e21; an error for NaN and infinities.
pub(crate) fn float(f: f64) -> Result<String, String> {
    if !f.is_finite() {
        return Err(format!("json: unsupported value: {f}"));
    }
    let abs = f.abs();
    if abs == 0.0 || (1e-6..1e21).contains(&abs) {
        return Ok(format!("{f}"));
    }
    let e = format!("{f:e}");
    let (mantissa, exponent) = e.split_once('e').unwrap_or((&e, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    Ok(if exponent < 0 {
        format!("{mantissa}e-{}", -exponent)
    } else {
        format!("{mantissa}e+{exponent:02}")
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn arrays_and_objects_are_gos_json() {
        let object = Value::Object(BTreeMap::from([
            ("b".to_string(), Value::Float(1e21)),
            (
                "a".to_string(),
                Value::Array(vec![Value::Null, Value::Int(1)]),
            ),
            ("c".to_string(), Value::Bytes(b"foo".to_vec())),
        ]));
        assert_eq!(
            value(&object).unwrap(),
            r#"{"a":[null,1],"b":1e+21,"c":"Zm9v"}"#
        );
        assert!(value(&Value::Array(vec![Value::Float(f64::NAN)])).is_err());
    }
}
