//! Bloblang's operators, `if` conditions and `match` cases, as the Go
//! generator's Bloblang (benthos v4) evaluates them on JSON values.
//!
//! - Arithmetic: `+` concatenates two strings; `+`, `-` and `*` of two
//!   integers stay integers (wrapping, as Go's `int64` does), and of any
//!   other two numbers are floats; `/` always divides as floats; `%` takes
//!   the integer part of both. A zero divisor is an error.
//! - Comparison: `==` and `!=` compare any two values (numbers by value, a
//!   boolean with a number by its truthiness, different kinds are unequal);
//!   `<`, `<=`, `>`, `>=` order two strings (bytewise) or two numbers.
//! - Logic: `&&` and `||` short-circuit and take booleans or numbers
//!   (non-zero is true); `!` takes a boolean only.
//! - `|` (coalesce): the right side when the left is `null` or failed.
//!
//! Every operator propagates its operands' errors.

use super::error::QueryError;
use super::ops::{QueryResult, got};
use super::value::Value;

/// The operation's name in Bloblang's type mismatch errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Operation {
    Add,
    Subtract,
    Multiply,
    Divide,
    Modulo,
    Compare,
}

impl Operation {
    fn verb(self) -> &'static str {
        match self {
            Operation::Add => "add",
            Operation::Subtract => "subtract",
            Operation::Multiply => "multiply",
            Operation::Divide => "divide",
            Operation::Modulo => "modulo",
            Operation::Compare => "compare",
        }
    }
}

fn mismatch(op: Operation, left: &Value, right: &Value) -> QueryError {
    QueryError::new(format!(
        "cannot {} types {} and {}",
        op.verb(),
        left.type_name(),
        right.type_name()
    ))
}

fn divide_by_zero() -> QueryError {
    QueryError::new("attempted to divide by zero")
}

fn number(value: &Value) -> Option<f64> {
    match value {
        Value::Int(i) => Some(*i as f64),
        Value::Float(f) => Some(*f),
        _ => None,
    }
}

/// Bloblang's `IGetInt`: a float's integer part (Go's conversion, which
/// saturates here where Go's is undefined).
fn integer(value: &Value) -> Option<i64> {
    match value {
        Value::Int(i) => Some(*i),
        Value::Float(f) => Some(*f as i64),
        _ => None,
    }
}

/// Bloblang's `IGetBool`: a boolean, or a number (non-zero is true).
fn truthy(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        other => number(other).map(|n| n != 0.0),
    }
}

/// An operation on two numbers: integer while both are, float otherwise.
fn numeric(
    op: Operation,
    left: QueryResult,
    right: QueryResult,
    int: fn(i64, i64) -> i64,
    float: fn(f64, f64) -> f64,
) -> QueryResult {
    let (left, right) = (got(left)?, got(right)?);
    match (&left, &right) {
        (Value::Int(a), Value::Int(b)) => Ok(Value::Int(int(*a, *b))),
        _ => match (number(&left), number(&right)) {
            (Some(a), Some(b)) => Ok(Value::Float(float(a, b))),
            _ => Err(mismatch(op, &left, &right)),
        },
    }
}

/// `left + right`: two strings concatenate and two numbers add.
pub fn add(left: QueryResult, right: QueryResult) -> QueryResult {
    match (got(left)?, got(right)?) {
        (left @ (Value::String(_) | Value::Bytes(_)), right) => match (text(&left), text(&right)) {
            (Some(a), Some(b)) => Ok(Value::String(format!("{a}{b}"))),
            _ => Err(mismatch(Operation::Add, &left, &right)),
        },
        (left, right) => numeric(
            Operation::Add,
            Ok(left),
            Ok(right),
            i64::wrapping_add,
            |a, b| a + b,
        ),
    }
}

/// `left - right`, and `-x` as `0 - x`.
pub fn sub(left: QueryResult, right: QueryResult) -> QueryResult {
    numeric(
        Operation::Subtract,
        left,
        right,
        i64::wrapping_sub,
        |a, b| a - b,
    )
}

/// `left * right`.
pub fn mul(left: QueryResult, right: QueryResult) -> QueryResult {
    numeric(
        Operation::Multiply,
        left,
        right,
        i64::wrapping_mul,
        |a, b| a * b,
    )
}

/// `left / right`: always a float.
pub fn div(left: QueryResult, right: QueryResult) -> QueryResult {
    let (left, right) = (got(left)?, got(right)?);
    match (number(&left), number(&right)) {
        (Some(_), Some(0.0)) => Err(divide_by_zero()),
        (Some(a), Some(b)) => Ok(Value::Float(a / b)),
        _ => Err(mismatch(Operation::Divide, &left, &right)),
    }
}

/// `left % right`: the remainder of the integer parts, with the sign of
/// `left` (Go's `%`).
pub fn rem(left: QueryResult, right: QueryResult) -> QueryResult {
    let (left, right) = (got(left)?, got(right)?);
    match (integer(&left), integer(&right)) {
        (Some(_), Some(0)) => Err(divide_by_zero()),
        (Some(a), Some(b)) => Ok(Value::Int(a.wrapping_rem(b))),
        _ => Err(mismatch(Operation::Modulo, &left, &right)),
    }
}

/// A string, or bytes as the string Bloblang reads them as.
fn text(value: &Value) -> Option<std::borrow::Cow<'_, str>> {
    match value {
        Value::String(s) => Some(s.into()),
        Value::Bytes(b) => Some(String::from_utf8_lossy(b)),
        _ => None,
    }
}

/// Bloblang's `ICompare`: whether two values are equal. `null` equals only
/// `null`; a string (or bytes) equals the same text; a number equals a
/// number of the same value; a boolean equals a boolean or number of the
/// same truth; arrays and objects equal when their elements do.
pub(crate) fn same(left: &Value, right: &Value) -> bool {
    match left {
        Value::Null => *right == Value::Null,
        Value::String(_) | Value::Bytes(_) => text(left).is_some_and(|a| text(right) == Some(a)),
        Value::Bool(a) => truthy(right) == Some(*a),
        Value::Int(_) | Value::Float(_) => number(left) == number(right),
        Value::Array(a) => {
            matches!(right, Value::Array(b) if a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b)))
        }
        Value::Object(a) => matches!(right, Value::Object(b) if a.len() == b.len()
            && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| same(v, w)))),
    }
}

/// `left == right`.
pub fn eq(left: QueryResult, right: QueryResult) -> QueryResult {
    equal(left, right).map(Value::Bool)
}

/// `left != right`.
pub fn ne(left: QueryResult, right: QueryResult) -> QueryResult {
    equal(left, right).map(|equal| Value::Bool(!equal))
}

/// Whether `left` and `right` are equal; `nothing` equals nothing.
fn equal(left: QueryResult, right: QueryResult) -> Result<bool, QueryError> {
    match (left, right) {
        (Err(e), _) | (_, Err(e)) if !e.is_nothing() => Err(e),
        (Ok(left), Ok(right)) => Ok(same(&left, &right)),
        _ => Ok(false),
    }
}

/// An ordering of two strings or two numbers.
fn order(
    left: QueryResult,
    right: QueryResult,
    holds: fn(std::cmp::Ordering) -> bool,
) -> QueryResult {
    let (left, right) = (got(left)?, got(right)?);
    let ordering = match (text(&left), text(&right)) {
        (Some(a), Some(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
        _ => match (number(&left), number(&right)) {
            (Some(a), Some(b)) => a.partial_cmp(&b),
            _ => return Err(mismatch(Operation::Compare, &left, &right)),
        },
    };
    // NaN is ordered neither way, as Go's float comparisons say.
    Ok(Value::Bool(ordering.is_some_and(holds)))
}

/// `left < right`.
pub fn lt(left: QueryResult, right: QueryResult) -> QueryResult {
    order(left, right, std::cmp::Ordering::is_lt)
}

/// `left <= right`.
pub fn le(left: QueryResult, right: QueryResult) -> QueryResult {
    order(left, right, std::cmp::Ordering::is_le)
}

/// `left > right`.
pub fn gt(left: QueryResult, right: QueryResult) -> QueryResult {
    order(left, right, std::cmp::Ordering::is_gt)
}

/// `left >= right`.
pub fn ge(left: QueryResult, right: QueryResult) -> QueryResult {
    order(left, right, std::cmp::Ordering::is_ge)
}

fn expected_bool(got: &Value) -> QueryError {
    QueryError::new(format!("expected bool value, got {}", got.type_name()))
}

/// An operand of `&&` or `||`.
fn operand(value: QueryResult) -> Result<bool, QueryError> {
    let value = got(value)?;
    truthy(&value).ok_or_else(|| expected_bool(&value))
}

/// `left && right`: `right` is evaluated only when `left` is true.
pub fn and(left: QueryResult, right: impl FnOnce() -> QueryResult) -> QueryResult {
    Ok(Value::Bool(operand(left)? && operand(right())?))
}

/// `left || right`: `right` is evaluated only when `left` is false.
pub fn either(left: QueryResult, right: impl FnOnce() -> QueryResult) -> QueryResult {
    Ok(Value::Bool(operand(left)? || operand(right())?))
}

/// `!x`: a boolean only.
pub fn not(value: QueryResult) -> QueryResult {
    match got(value)? {
        Value::Bool(b) => Ok(Value::Bool(!b)),
        other => Err(expected_bool(&other)),
    }
}

/// `left | right`: `right` when `left` is `null` or failed.
pub fn coalesce(left: QueryResult, right: impl FnOnce() -> QueryResult) -> QueryResult {
    match left {
        Ok(Value::Null) | Err(_) => right(),
        ok => ok,
    }
}

/// An `if` branch: `then` when the condition is `true`, `otherwise` for any
/// other value; an error fails the `if`.
pub fn branch(
    condition: QueryResult,
    then: impl FnOnce() -> QueryResult,
    otherwise: impl FnOnce() -> QueryResult,
) -> QueryResult {
    match condition {
        Ok(Value::Bool(true)) => then(),
        Err(e) if !e.is_nothing() => Err(QueryError::new(format!(
            "failed to check if condition: {e}"
        ))),
        _ => otherwise(),
    }
}

/// A `match` case that is a query (`this > 5 => ...`), the `index`th case:
/// `then` when the query yields `true`, `otherwise` (the next cases) for
/// any other value; an error fails the `match`.
pub fn case(
    index: usize,
    pattern: QueryResult,
    then: impl FnOnce() -> QueryResult,
    otherwise: impl FnOnce() -> QueryResult,
) -> QueryResult {
    match pattern {
        Ok(Value::Bool(true)) => then(),
        Err(e) if !e.is_nothing() => Err(QueryError::new(format!(
            "failed to check match case {index}: {e}"
        ))),
        _ => otherwise(),
    }
}

/// Whether a `match` case that is a literal (`"a" => ...`) matches: the
/// matched value equals it (see [`eq`]).
pub fn equals(matched: &Value, pattern: QueryResult) -> bool {
    pattern.is_ok_and(|pattern| same(matched, &pattern))
}

/// A `match` that no case matched, or an `if` without `else` whose
/// conditions all failed: Bloblang's `nothing` (see
/// [`QueryError::is_nothing`]).
pub fn nothing() -> QueryResult {
    Err(QueryError::nothing())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> QueryResult {
        Ok(Value::String(v.to_owned()))
    }
    fn i(v: i64) -> QueryResult {
        Ok(Value::Int(v))
    }
    fn f(v: f64) -> QueryResult {
        Ok(Value::Float(v))
    }
    fn b(v: bool) -> QueryResult {
        Ok(Value::Bool(v))
    }
    fn null() -> QueryResult {
        Ok(Value::Null)
    }
    fn message(r: QueryResult) -> String {
        r.unwrap_err().message().to_owned()
    }

    #[test]
    fn arithmetic_keeps_integers_and_wraps_like_go() {
        assert_eq!(add(s("a"), s("b")), s("ab"));
        assert_eq!(add(i(i64::MAX), i(1)), i(i64::MIN));
        assert_eq!(sub(i(5), i(2)), i(3));
        assert_eq!(sub(f(5.0), i(2)), f(3.0));
        assert_eq!(mul(i(5), f(0.5)), f(2.5));
        assert_eq!(div(i(4), i(2)), f(2.0));
        assert_eq!(div(i(5), i(2)), f(2.5));
        assert_eq!(rem(i(-7), i(2)), i(-1));
        assert_eq!(rem(f(7.5), i(2)), i(1));
        assert_eq!(rem(i(i64::MIN), i(-1)), i(0));
    }

    #[test]
    fn arithmetic_errors_name_the_types() {
        assert_eq!(
            message(add(null(), s("a"))),
            "cannot add types null and string"
        );
        assert_eq!(
            message(sub(s("a"), i(1))),
            "cannot subtract types string and number"
        );
        assert_eq!(
            message(div(b(true), i(1))),
            "cannot divide types bool and number"
        );
        assert_eq!(message(rem(i(1), f(0.5))), "attempted to divide by zero");
        assert_eq!(message(div(f(1.0), i(0))), "attempted to divide by zero");
        assert_eq!(message(div(f(1.0), f(-0.0))), "attempted to divide by zero");
        assert_eq!(message(sub(Err(QueryError::new("first")), i(1))), "first");
    }

    #[test]
    fn equality_is_bloblangs() {
        assert_eq!(eq(i(1), f(1.0)), b(true));
        assert_eq!(eq(s("1"), i(1)), b(false));
        assert_eq!(eq(null(), null()), b(true));
        assert_eq!(eq(null(), s("")), b(false));
        assert_eq!(
            eq(b(true), i(1)),
            b(true),
            "a boolean by the number's truth"
        );
        assert_eq!(
            eq(i(1), b(true)),
            b(false),
            "a number never equals a boolean"
        );
        assert_eq!(ne(s("a"), s("b")), b(true));
        assert!(equals(&Value::Float(5.0), i(5)));
        assert!(!equals(&Value::Null, Err(QueryError::new("e"))));
    }

    #[test]
    fn ordering_takes_two_strings_or_two_numbers() {
        assert_eq!(lt(s("a"), s("b")), b(true));
        assert_eq!(ge(i(2), f(2.0)), b(true));
        assert_eq!(gt(f(f64::NAN), i(1)), b(false));
        assert_eq!(le(f(f64::NAN), i(1)), b(false));
        assert_eq!(
            message(lt(s("a"), i(6))),
            "cannot compare types string and number"
        );
        assert_eq!(
            message(lt(b(true), b(false))),
            "cannot compare types bool and bool"
        );
        assert_eq!(
            message(gt(null(), i(1))),
            "cannot compare types null and number"
        );
    }

    #[test]
    fn logic_short_circuits_and_takes_numbers() {
        let unreached = || -> QueryResult { panic!("evaluated") };
        assert_eq!(and(b(false), unreached), b(false));
        assert_eq!(either(b(true), unreached), b(true));
        assert_eq!(and(i(2), || b(true)), b(true));
        assert_eq!(message(and(b(true), null)), "expected bool value, got null");
        assert_eq!(not(b(true)), b(false));
        assert_eq!(message(not(i(1))), "expected bool value, got number");
        assert_eq!(coalesce(null(), || s("d")), s("d"));
        assert_eq!(coalesce(Err(QueryError::new("e")), || s("d")), s("d"));
        assert_eq!(coalesce(s(""), || s("d")), s(""));
    }

    #[test]
    fn conditions_hold_only_for_true() {
        let (yes, no) = (|| s("yes"), || s("no"));
        assert_eq!(branch(b(true), yes, no), s("yes"));
        assert_eq!(branch(i(1), yes, no), s("no"));
        assert_eq!(branch(s("true"), yes, no), s("no"));
        assert_eq!(
            message(branch(Err(QueryError::new("boom")), yes, no)),
            "failed to check if condition: boom"
        );
        assert_eq!(case(0, b(true), yes, no), s("yes"));
        assert_eq!(
            message(case(2, Err(QueryError::new("boom")), yes, no)),
            "failed to check match case 2: boom"
        );
    }
}
