//! The conversions of search attribute mappings, as Bloblang does them:
//! `.int64()` (Go's `strconv.ParseInt(s, 0, 64)` on strings) and
//! `.ts_parse(layout)` for the RFC 3339 layouts and the date layout.

use super::error::QueryError;
use super::ops::{QueryResult, got};
use super::value::Value;

// The `ts_parse` layouts the generator accepts (Go reference-time
// layouts); any other fails to parse.
const RFC3339: &str = "2006-01-02T15:04:05Z07:00";
const RFC3339_NANO: &str = "2006-01-02T15:04:05.999999999Z07:00";
const RFC3339_LITERAL_Z: &str = "2006-01-02T15:04:05Z";
const DATE: &str = "2006-01-02";

/// `.int64()`: an integer as is; a float without decimals; a string parsed
/// like Go's `strconv.ParseInt(s, 0, 64)` (sign, `0x` / `0o` / `0` / `0b`
/// prefixes, underscores after a prefix).
pub fn int64(target: QueryResult) -> QueryResult {
    let err = |m: String| QueryError::new(format!("method `int64`: {m}"));
    match got(target)? {
        Value::Int(i) => Ok(Value::Int(i)),
        Value::Float(f) => whole_i64(f).map(Value::Int).map_err(|e| err(e.to_string())),
        Value::String(s) => parse_int(&s)
            .map(Value::Int)
            .ok_or_else(|| err(format!("strconv.ParseInt: parsing {s:?}: invalid syntax"))),
        other => Err(err(format!(
            "expected number value, got {}",
            other.type_name()
        ))),
    }
}

/// A float as an `i64`, when it is a whole number in range (Go's checked
/// casts of float64 to int64).
pub(crate) fn whole_i64(f: f64) -> Result<i64, &'static str> {
    if !f.is_finite() {
        return Err("cannot convert +/-INF or NAN to an integer");
    }
    if f.fract() != 0.0 {
        return Err(
            "float value contains decimals and therefore cannot be cast as a signed integer",
        );
    }
    // i64::MIN is a power of two, exact as a float; i64::MAX + 1 is too.
    if !(-9.223_372_036_854_776e18..9.223_372_036_854_776e18).contains(&f) {
        return Err("float value is out of the range of a signed integer");
    }
    Ok(f as i64)
}

/// Go's `strconv.ParseInt(s, 0, 64)`.
fn parse_int(s: &str) -> Option<i64> {
    let (negative, body) = match s.as_bytes().first()? {
        b'-' => (true, &s[1..]),
        b'+' => (false, &s[1..]),
        _ => (false, s),
    };
    let lower = body.to_ascii_lowercase();
    let (radix, digits) = if let Some(rest) = lower.strip_prefix("0x") {
        (16, rest)
    } else if let Some(rest) = lower.strip_prefix("0o") {
        (8, rest)
    } else if let Some(rest) = lower.strip_prefix("0b") {
        (2, rest)
    } else if lower.len() > 1 && lower.starts_with('0') {
        (8, &lower[1..])
    } else {
        (10, lower.as_str())
    };
    if digits.contains('_') && !underscores_ok(&lower) {
        return None;
    }
    let digits: String = digits.chars().filter(|&c| c != '_').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(&digits, radix).ok()?;
    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// Go's `underscoreOK` (sign removed, lower case): underscores only
/// between digits, or between a base prefix and a digit.
fn underscores_ok(s: &str) -> bool {
    let b = s.as_bytes();
    let (mut saw, start, hex) =
        if b.len() >= 2 && b[0] == b'0' && matches!(b[1], b'b' | b'o' | b'x') {
            (b'0', 2, b[1] == b'x')
        } else {
            (b'^', 0, false)
        };
    for &c in &b[start..] {
        if c.is_ascii_digit() || (hex && (b'a'..=b'f').contains(&c)) {
            saw = b'0';
        } else if c == b'_' {
            if saw != b'0' {
                return false;
            }
            saw = b'_';
        } else {
            if saw == b'_' {
                return false;
            }
            saw = b'!';
        }
    }
    saw != b'_'
}

/// `.ts_parse(layout)` for the RFC 3339 layouts (with a `Z07:00` zone, or
/// a literal `Z`) and `2006-01-02`: the time as Go's
/// `time.Time` encodes to JSON (RFC 3339 with the fraction's trailing
/// zeros dropped, `Z` for a zero offset), which is how a mapping's time
/// reaches a search attribute.
pub fn ts_parse(target: QueryResult, layout: &str) -> QueryResult {
    let text = match got(target)? {
        Value::String(s) => s,
        other => {
            return Err(QueryError::new(format!(
                "method `ts_parse`: expected string value, got {}",
                other.type_name()
            )));
        }
    };
    parse_time(&text, layout).map(Value::String).ok_or_else(|| {
        QueryError::new(format!(
            "method `ts_parse`: parsing time {text:?} as {layout:?}: cannot parse"
        ))
    })
}

/// `text` parsed with `layout` and written as RFC 3339 with nanoseconds,
/// or `None` when it does not match.
pub(crate) fn parse_time(text: &str, layout: &str) -> Option<String> {
    let date = text.get(..10)?;
    let (year, month, day) = parse_date(date)?;
    if layout == DATE {
        return (text.len() == 10).then(|| format!("{date}T00:00:00Z"));
    }
    let rest = text.get(10..)?;
    let clock = rest.strip_prefix('T')?.get(..8)?;
    let b = clock.as_bytes();
    if b[2] != b':' || b[5] != b':' {
        return None;
    }
    let hour = two_digits(&clock[0..2])?;
    let minute = two_digits(&clock[3..5])?;
    let second = two_digits(&clock[6..8])?;
    if hour > 23 || minute > 59 || second > 59 || day > days_in_month(year, month) {
        return None;
    }
    let mut rest = &rest[9..];
    // Go accepts a fraction after the seconds whatever the layout says.
    let mut fraction = String::new();
    if let Some(after) = rest.strip_prefix(['.', ',']) {
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        fraction = after[..digits.min(9)].trim_end_matches('0').to_string();
        rest = &after[digits..];
    }
    let zone = match layout {
        RFC3339_LITERAL_Z => (rest == "Z").then(|| "Z".to_string())?,
        RFC3339 | RFC3339_NANO => zone(rest)?,
        _ => return None,
    };
    let fraction = if fraction.is_empty() {
        String::new()
    } else {
        format!(".{fraction}")
    };
    Some(format!("{date}T{clock}{fraction}{zone}"))
}

/// `Z`, or `+hh:mm` / `-hh:mm` (`Z` again for a zero offset).
fn zone(text: &str) -> Option<String> {
    if text == "Z" {
        return Some("Z".to_string());
    }
    let b = text.as_bytes();
    if b.len() != 6 || !matches!(b[0], b'+' | b'-') || b[3] != b':' {
        return None;
    }
    let hours = two_digits(&text[1..3])?;
    let minutes = two_digits(&text[4..6])?;
    if hours > 23 || minutes > 59 {
        return None;
    }
    Some(if hours == 0 && minutes == 0 {
        "Z".to_string()
    } else {
        text.to_string()
    })
}

fn parse_date(date: &str) -> Option<(u32, u32, u32)> {
    let b = date.as_bytes();
    if b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = date[0..4].parse::<u32>().ok()?;
    if !date[0..4].bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let month = two_digits(&date[5..7])?;
    let day = two_digits(&date[8..10])?;
    ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
        .then_some((year, month, day))
}

fn two_digits(s: &str) -> Option<u32> {
    (s.len() == 2 && s.bytes().all(|c| c.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> QueryResult {
        Ok(Value::String(v.to_string()))
    }

    #[test]
    fn int64_parses_like_go() {
        assert_eq!(int64(s("123")), Ok(Value::Int(123)));
        assert_eq!(int64(s("-9223372036854775808")), Ok(Value::Int(i64::MIN)));
        assert_eq!(int64(s("0x1F")), Ok(Value::Int(31)));
        assert_eq!(int64(s("010")), Ok(Value::Int(8)));
        assert_eq!(int64(s("0b1_01")), Ok(Value::Int(5)));
        assert_eq!(int64(s("0")), Ok(Value::Int(0)));
        assert_eq!(int64(s("1_000")), Ok(Value::Int(1000)));
        assert_eq!(int64(Ok(Value::Float(3.0))), Ok(Value::Int(3)));
        for bad in [
            "",
            "1__0",
            "_1",
            "9223372036854775808",
            "0x",
            "1.5",
            " 1",
            "--1",
            "0x_",
            "08",
        ] {
            assert!(int64(s(bad)).is_err(), "{bad:?}");
        }
        assert!(int64(Ok(Value::Float(1.5))).is_err());
        assert!(int64(Ok(Value::Null)).is_err());
        assert!(int64(Ok(Value::Bool(true))).is_err());
    }

    #[test]
    fn ts_parse_writes_go_json_times() {
        let z = "2006-01-02T15:04:05Z";
        assert_eq!(
            ts_parse(s("2024-02-29T03:04:05Z"), z),
            s("2024-02-29T03:04:05Z")
        );
        assert_eq!(
            ts_parse(s("2024-01-02T03:04:05.120Z"), z),
            s("2024-01-02T03:04:05.12Z")
        );
        assert!(ts_parse(s("2024-01-02T03:04:05+01:00"), z).is_err());
        let rfc = "2006-01-02T15:04:05Z07:00";
        assert_eq!(
            ts_parse(s("2024-01-02T03:04:05+01:30"), rfc),
            s("2024-01-02T03:04:05+01:30")
        );
        assert_eq!(
            ts_parse(s("2024-01-02T03:04:05-00:00"), rfc),
            s("2024-01-02T03:04:05Z")
        );
        assert_eq!(
            ts_parse(s("2024-01-02"), "2006-01-02"),
            s("2024-01-02T00:00:00Z")
        );
        for bad in [
            "2023-02-29T00:00:00Z",
            "2024-13-01T00:00:00Z",
            "2024-01-02T24:00:00Z",
            "x",
        ] {
            assert!(ts_parse(s(bad), z).is_err(), "{bad}");
        }
        assert!(ts_parse(Ok(Value::Null), z).is_err());
    }
}
