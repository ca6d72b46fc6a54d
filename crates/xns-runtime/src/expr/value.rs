//! The values ID-expression queries produce, and how protobuf scalars map
//! to them.
//!
//! The Go generator evaluates each query against the protojson form of the
//! input decoded into Go's generic JSON values, so the data model is JSON's
//! (plus the bytes `decode` makes): numbers are `float64`, 64-bit integers
//! are strings, bytes fields are base64 strings, enums are their value
//! names.

use std::collections::BTreeMap;

use base64::Engine as _;

use super::json;

/// A value produced by an ID-expression query.
///
/// This mirrors the JSON data model the Go generator's Bloblang queries see,
/// plus the bytes `decode` makes. Paths into the input end at scalar fields;
/// arrays and objects come from literals and methods (`re_find_object`,
/// `key_values`, `map_each`, ...).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`: an unset field, or a field without presence holding its
    /// default value (protojson omits those).
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer, from an integer literal in the expression.
    Int(i64),
    /// A number read from the input (int32, uint32, float and double
    /// fields are JSON numbers) or a decimal literal.
    Float(f64),
    /// A string: string fields, 64-bit integer fields, bytes (base64),
    /// enums (value names), timestamps and durations.
    String(String),
    /// Raw bytes, from `decode`.
    Bytes(Vec<u8>),
    /// An array.
    Array(Vec<Value>),
    /// An object; its keys in order (Go's maps have none, and its JSON
    /// sorts them).
    Object(BTreeMap<String, Value>),
}

impl Value {
    /// The Bloblang name of the value's type: `null`, `bool`, `number`,
    /// `string`, `bytes`, `array` or `object`.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "bool",
            Value::Int(_) | Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::Bytes(_) => "bytes",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }

    /// The string Bloblang's `.string()` method makes of the value: strings
    /// unchanged, `null` as `"null"`, booleans as `"true"`/`"false"`, and
    /// numbers formatted like Go's `strconv.FormatFloat(f, 'g', -1, 64)`
    /// (so `30` gives `"30"`, `0.5` gives `"0.5"` and `1000000` gives
    /// `"1e+06"`, exactly as the Go generator does); bytes as text (invalid
    /// UTF-8 replaced, where Go keeps the bytes); arrays and objects as Go's
    /// JSON, `null` when they hold a NaN or an infinity.
    pub fn to_bloblang_string(&self) -> String {
        match self {
            Value::Null => "null".to_owned(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => format_float(*f),
            Value::String(s) => s.clone(),
            Value::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            Value::Array(_) | Value::Object(_) => {
                json::value(self).unwrap_or_else(|_| "null".to_owned())
            }
        }
    }

    /// The value as Go's `fmt` `%v` prints it, used in error messages:
    /// `null` is `<nil>`.
    pub(crate) fn go_repr(&self) -> String {
        match self {
            Value::Null => "<nil>".to_owned(),
            Value::Bytes(b) => {
                let bytes: Vec<String> = b.iter().map(u8::to_string).collect();
                format!("[{}]", bytes.join(" "))
            }
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(Value::go_repr).collect();
                format!("[{}]", items.join(" "))
            }
            Value::Object(fields) => {
                let fields: Vec<String> = fields
                    .iter()
                    .map(|(k, v)| format!("{k}:{}", v.go_repr()))
                    .collect();
                format!("map[{}]", fields.join(" "))
            }
            other => other.to_bloblang_string(),
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(s)
    }
}

/// Formats a float like Go's `strconv.FormatFloat(f, 'g', -1, 64)`: the
/// shortest representation that round-trips, in exponent form (`1e+06`,
/// `1.5e-07`) when the decimal exponent is below -4 or at least 6.
pub(crate) fn format_float(f: f64) -> String {
    if f.is_nan() {
        return "NaN".to_owned();
    }
    if f.is_infinite() {
        return if f > 0.0 { "+Inf" } else { "-Inf" }.to_owned();
    }
    let sign = if f.is_sign_negative() { "-" } else { "" };
    if f == 0.0 {
        return format!("{sign}0");
    }
    // `{:e}` gives the shortest round-trip digits: `1.2345e6`, `5e-1`.
    let sci = format!("{:e}", f.abs());
    let (mantissa, exp) = sci.split_once('e').unwrap_or((sci.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    if !(-4..6).contains(&exp) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let exp_sign = if exp < 0 { '-' } else { '+' };
        return format!("{sign}{first}{frac}e{exp_sign}{:02}", exp.abs());
    }
    // Fixed notation: the decimal point goes after `exp + 1` digits.
    let point = exp + 1;
    let body = if point <= 0 {
        let zeros = "0".repeat(point.unsigned_abs() as usize);
        format!("0.{zeros}{digits}")
    } else {
        let point = point as usize;
        if digits.len() <= point {
            format!("{digits}{}", "0".repeat(point - digits.len()))
        } else {
            format!("{}.{}", &digits[..point], &digits[point..])
        }
    };
    format!("{sign}{body}")
}

/// A protobuf scalar as prost represents it, and how protojson renders it.
pub trait Scalar {
    /// Whether this is the default value, which protojson omits for fields
    /// without presence (and which is therefore `null` to a query).
    fn is_default(&self) -> bool;
    /// The value protojson renders (after a round trip through Go's
    /// generic JSON decoding).
    fn to_value(&self) -> Value;
}

impl Scalar for String {
    fn is_default(&self) -> bool {
        self.is_empty()
    }
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
}

impl Scalar for str {
    fn is_default(&self) -> bool {
        self.is_empty()
    }
    fn to_value(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl Scalar for Vec<u8> {
    fn is_default(&self) -> bool {
        self.is_empty()
    }
    fn to_value(&self) -> Value {
        Value::String(base64::engine::general_purpose::STANDARD.encode(self))
    }
}

impl Scalar for bool {
    fn is_default(&self) -> bool {
        !*self
    }
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

impl Scalar for i32 {
    fn is_default(&self) -> bool {
        *self == 0
    }
    fn to_value(&self) -> Value {
        Value::Float(f64::from(*self))
    }
}

impl Scalar for u32 {
    fn is_default(&self) -> bool {
        *self == 0
    }
    fn to_value(&self) -> Value {
        Value::Float(f64::from(*self))
    }
}

impl Scalar for i64 {
    fn is_default(&self) -> bool {
        *self == 0
    }
    fn to_value(&self) -> Value {
        Value::String(self.to_string())
    }
}

impl Scalar for u64 {
    fn is_default(&self) -> bool {
        *self == 0
    }
    fn to_value(&self) -> Value {
        Value::String(self.to_string())
    }
}

/// protojson writes NaN and infinities as strings.
fn non_finite(f: f64) -> Option<Value> {
    if f.is_nan() {
        Some(Value::from("NaN"))
    } else if f.is_infinite() {
        Some(Value::from(if f > 0.0 { "Infinity" } else { "-Infinity" }))
    } else {
        None
    }
}

impl Scalar for f32 {
    // Go's protobuf treats -0.0 as set (it compares bits), so only +0.0 is
    // the default.
    fn is_default(&self) -> bool {
        self.to_bits() == 0
    }
    fn to_value(&self) -> Value {
        non_finite(f64::from(*self)).unwrap_or_else(|| {
            // protojson prints a float32 with its shortest float32 digits
            // ("0.1", not "0.10000000149011612"); Go then parses those
            // digits as a float64. Rust's `Display` for f32 is also the
            // shortest round-trip representation.
            let parsed = self.to_string().parse::<f64>();
            Value::Float(parsed.unwrap_or_else(|_| f64::from(*self)))
        })
    }
}

impl Scalar for f64 {
    fn is_default(&self) -> bool {
        self.to_bits() == 0
    }
    fn to_value(&self) -> Value {
        non_finite(*self).unwrap_or(Value::Float(*self))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_format_like_go_g() {
        let cases: &[(f64, &str)] = &[
            (30.0, "30"),
            (0.5, "0.5"),
            (0.1, "0.1"),
            (-2.25, "-2.25"),
            (0.0, "0"),
            (-0.0, "-0"),
            (123456.0, "123456"),
            (100000.0, "100000"),
            (1000000.0, "1e+06"),
            (1234567.0, "1.234567e+06"),
            (0.0001, "0.0001"),
            (0.00001, "1e-05"),
            (0.000123, "0.000123"),
            (1.5e-7, "1.5e-07"),
            (1e21, "1e+21"),
            (1e100, "1e+100"),
            (12.5, "12.5"),
            (f64::NAN, "NaN"),
            (f64::INFINITY, "+Inf"),
            (f64::NEG_INFINITY, "-Inf"),
        ];
        for (f, want) in cases {
            assert_eq!(format_float(*f), *want, "{f:?}");
        }
    }

    #[test]
    fn scalars_map_like_protojson() {
        assert_eq!(30i32.to_value().to_bloblang_string(), "30");
        assert_eq!(0.1f32.to_value(), Value::Float(0.1));
        assert_eq!(0.1f32.to_value().to_bloblang_string(), "0.1");
        assert_eq!(0.5f32.to_value().to_bloblang_string(), "0.5");
        assert_eq!(30.0f64.to_value().to_bloblang_string(), "30");
        assert_eq!(i64::MAX.to_value(), Value::from("9223372036854775807"));
        assert_eq!(u64::MAX.to_value(), Value::from("18446744073709551615"));
        assert_eq!(b"foo".to_vec().to_value(), Value::from("Zm9v"));
        assert_eq!(f32::NAN.to_value(), Value::from("NaN"));
        assert_eq!(f64::NEG_INFINITY.to_value(), Value::from("-Infinity"));
        assert!(0.0f64.is_default());
        assert!(!(-0.0f64).is_default());
        assert!(String::new().is_default());
        assert!(!true.is_default());
    }

    #[test]
    fn go_repr_prints_nil() {
        assert_eq!(Value::Null.go_repr(), "<nil>");
        assert_eq!(Value::Float(30.0).go_repr(), "30");
        assert_eq!(Value::Bool(true).go_repr(), "true");
        assert_eq!(Value::Int(-3).go_repr(), "-3");
    }
}
