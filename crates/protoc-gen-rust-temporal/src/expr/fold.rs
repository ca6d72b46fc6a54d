//! Operators on two literals, evaluated while parsing as Bloblang does: the
//! Go generator's parser replaces `1 + 2` by `3` and rejects `"a" - 1` or
//! `1 / 0` before any input is seen. Folding here gives the same literals
//! (so `match` cases such as `"a" + "b" =>` stay literal cases) and the
//! same generation-time errors. The rules are the runtime's
//! (`xns_runtime::expr`'s operators), on literals only.

use std::cmp::Ordering;

use super::parse::{Ast, BinOp};

/// The value of `left op right`, or why Bloblang rejects it. Only for
/// operators that [fold](BinOp::folds), on [literals](Ast::is_literal).
pub(super) fn fold(op: BinOp, left: &Ast, right: &Ast) -> Result<Ast, String> {
    let mismatch = |verb: &str| {
        format!(
            "`{}` of two literals: cannot {verb} types {} and {}",
            op.symbol(),
            type_name(left),
            type_name(right)
        )
    };
    let divide_by_zero = || {
        format!(
            "`{}` of two literals: attempted to divide by zero",
            op.symbol()
        )
    };
    Ok(match op {
        BinOp::Add => match (left, right) {
            (Ast::Str(a), Ast::Str(b)) => Ast::Str(format!("{a}{b}")),
            _ => numeric(left, right, i64::wrapping_add, |a, b| a + b)
                .ok_or_else(|| mismatch("add"))?,
        },
        BinOp::Sub => numeric(left, right, i64::wrapping_sub, |a, b| a - b)
            .ok_or_else(|| mismatch("subtract"))?,
        BinOp::Mul => numeric(left, right, i64::wrapping_mul, |a, b| a * b)
            .ok_or_else(|| mismatch("multiply"))?,
        BinOp::Div => match (number(left), number(right)) {
            (Some(_), Some(0.0)) => return Err(divide_by_zero()),
            (Some(a), Some(b)) => Ast::Float(a / b),
            _ => return Err(mismatch("divide")),
        },
        BinOp::Rem => match (integer(left), integer(right)) {
            (Some(_), Some(0)) => return Err(divide_by_zero()),
            (Some(a), Some(b)) => Ast::Int(a.wrapping_rem(b)),
            _ => return Err(mismatch("modulo")),
        },
        BinOp::Eq => Ast::Bool(same(left, right)),
        BinOp::Ne => Ast::Bool(!same(left, right)),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let ordering = match (left, right) {
                (Ast::Str(a), Ast::Str(b)) => Some(a.as_bytes().cmp(b.as_bytes())),
                _ => match (number(left), number(right)) {
                    (Some(a), Some(b)) => a.partial_cmp(&b),
                    _ => return Err(mismatch("compare")),
                },
            };
            let holds: fn(Ordering) -> bool = match op {
                BinOp::Lt => Ordering::is_lt,
                BinOp::Le => Ordering::is_le,
                BinOp::Gt => Ordering::is_gt,
                _ => Ordering::is_ge,
            };
            Ast::Bool(ordering.is_some_and(holds))
        }
        BinOp::Coalesce | BinOp::And | BinOp::Or => {
            unreachable!("`{}` is not folded", op.symbol())
        }
    })
}

fn type_name(literal: &Ast) -> &'static str {
    match literal {
        Ast::Str(_) => "string",
        Ast::Int(_) | Ast::Float(_) => "number",
        Ast::Bool(_) => "bool",
        _ => "null",
    }
}

fn number(literal: &Ast) -> Option<f64> {
    match literal {
        Ast::Int(i) => Some(*i as f64),
        Ast::Float(f) => Some(*f),
        _ => None,
    }
}

/// A number's integer part, as Bloblang's `%` takes it.
fn integer(literal: &Ast) -> Option<i64> {
    match literal {
        Ast::Int(i) => Some(*i),
        Ast::Float(f) => Some(*f as i64),
        _ => None,
    }
}

/// Two integers stay an integer; any other two numbers give a float.
fn numeric(
    left: &Ast,
    right: &Ast,
    int: fn(i64, i64) -> i64,
    float: fn(f64, f64) -> f64,
) -> Option<Ast> {
    match (left, right) {
        (Ast::Int(a), Ast::Int(b)) => Some(Ast::Int(int(*a, *b))),
        _ => Some(Ast::Float(float(number(left)?, number(right)?))),
    }
}

/// Bloblang's equality: see the runtime's `eq`.
fn same(left: &Ast, right: &Ast) -> bool {
    match left {
        Ast::Null => *right == Ast::Null,
        Ast::Str(a) => matches!(right, Ast::Str(b) if a == b),
        Ast::Bool(a) => match right {
            Ast::Bool(b) => a == b,
            other => number(other).is_some_and(|n| (n != 0.0) == *a),
        },
        _ => number(left).is_some_and(|a| number(right) == Some(a)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::parse::parse;

    fn folded(query: &str) -> Ast {
        parse(query, "t").unwrap_or_else(|e| panic!("{query}: {e}"))
    }

    fn rejected(query: &str) -> String {
        match parse(query, "t") {
            Err(crate::expr::ExprError::Syntax { message, .. }) => message,
            other => panic!("{query}: expected a syntax error, got {other:?}"),
        }
    }

    /// Each result is what the Go generator's parser folds the same query
    /// to (checked with `peer expr`).
    #[test]
    fn literals_fold_as_in_bloblang() {
        assert_eq!(folded("1 + 2 * 3"), Ast::Int(7));
        assert_eq!(folded("5 / 2"), Ast::Float(2.5));
        assert_eq!(folded("4 / 2"), Ast::Float(2.0));
        assert_eq!(folded("7.5 % 2"), Ast::Int(1));
        assert_eq!(folded("-7 % 2"), Ast::Int(-1));
        assert_eq!(folded("9223372036854775807 + 1"), Ast::Int(i64::MIN));
        assert_eq!(folded(r#""a" + "b""#), Ast::Str("ab".into()));
        assert_eq!(folded("1 == 1.0"), Ast::Bool(true));
        assert_eq!(folded("true == 1"), Ast::Bool(true));
        assert_eq!(folded("1 == true"), Ast::Bool(false));
        assert_eq!(folded("null != null"), Ast::Bool(false));
        assert_eq!(folded(r#""a" < "b""#), Ast::Bool(true));
        assert_eq!(folded("5 > 3 == true"), Ast::Bool(true));
        assert_eq!(folded("-(2)"), Ast::Int(-2));
    }

    #[test]
    fn literals_that_cannot_be_combined_are_rejected() {
        assert_eq!(
            rejected(r#""a" + 1"#),
            "`+` of two literals: cannot add types string and number"
        );
        assert_eq!(
            rejected("true < false"),
            "`<` of two literals: cannot compare types bool and bool"
        );
        assert_eq!(
            rejected("1 / (2 - 2)"),
            "`/` of two literals: attempted to divide by zero"
        );
        assert_eq!(
            rejected("5 % 0.5"),
            "`%` of two literals: attempted to divide by zero"
        );
        assert_eq!(
            rejected("-\"a\""),
            "`-` of two literals: cannot subtract types number and string"
        );
    }
}
