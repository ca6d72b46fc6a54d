//! Constant values of proto defaults as text (`rt::RetryDefaults { .. }`),
//! shared by the definitions and the XNS defaults, and their layout.

use std::time::Duration;

use proc_macro2::Literal;

use super::code::{Code, line};
use super::literal::str_lit;
use super::paths::Scope;
use crate::model::{self, IdConflictPolicy};
use crate::options::schema;

/// rustfmt's `struct_lit_width`: the widest field list kept on one line.
const STRUCT_LIT_WIDTH: usize = 18;

/// A constant expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Written on one line as it is.
    Expr(String),
    /// `Some(value)`, around a value that may span lines.
    Some(Box<Value>),
    /// `Ty { field: value, ..base }`.
    Struct {
        ty: String,
        fields: Vec<(&'static str, Value)>,
        base: Option<String>,
    },
}

impl Value {
    /// On one line, if it can be.
    fn inline(&self) -> Option<String> {
        match self {
            Value::Expr(e) => Some(e.clone()),
            Value::Some(v) => v.inline().map(|v| format!("Some({v})")),
            Value::Struct { ty, fields, base } => {
                let mut parts = Vec::new();
                for (name, value) in fields {
                    parts.push(format!("{name}: {}", value.inline()?));
                }
                parts.extend(base.iter().map(|b| format!("..{b}")));
                let body = parts.join(", ");
                (body.len() <= STRUCT_LIT_WIDTH).then(|| format!("{ty} {{ {body} }}"))
            }
        }
    }
}

/// `Some(value)`.
pub fn some(value: Value) -> Value {
    match value {
        Value::Expr(e) => Value::Expr(format!("Some({e})")),
        other => Value::Some(Box::new(other)),
    }
}

/// `Some(text)`.
pub fn some_expr(text: impl Into<String>) -> Value {
    Value::Expr(format!("Some({})", text.into()))
}

/// `Some("text")`.
pub fn some_str(text: &str) -> Value {
    some_expr(str_lit(text))
}

/// A struct literal that writes the fields the proto sets and takes the
/// rest from `base` (`T { a: x, ..base }`); `base` itself when none is set,
/// no `..base` when all are, unless `base_names`: the base then also gives
/// the `name` field, which `fields` does not list.
pub fn set_fields<const N: usize>(
    ty: String,
    fields: [(&'static str, Option<Value>); N],
    base: String,
    base_names: bool,
) -> Value {
    let set: Vec<(&'static str, Value)> = fields
        .into_iter()
        .filter_map(|(name, value)| value.map(|v| (name, v)))
        .collect();
    if set.is_empty() {
        Value::Expr(base)
    } else {
        let all = set.len() == N && !base_names;
        Value::Struct {
            ty,
            fields: set,
            base: (!all).then_some(base),
        }
    }
}

impl Code {
    /// `{prefix}{value}{suffix}`, the value on one line when rustfmt would
    /// keep it there, else a struct literal's fields one per line.
    pub fn value(&mut self, prefix: &str, value: &Value, suffix: &str) {
        match value {
            Value::Expr(e) => line!(self, "{prefix}{e}{suffix}"),
            Value::Some(inner) => {
                self.value(&format!("{prefix}Some("), inner, &format!("){suffix}"))
            }
            Value::Struct { ty, fields, base } => {
                if let Some(text) = value.inline() {
                    line!(self, "{prefix}{text}{suffix}");
                    return;
                }
                self.open(&format!("{prefix}{ty}"));
                for (name, v) in fields {
                    self.value(&format!("{name}: "), v, ",");
                }
                if let Some(b) = base {
                    line!(self, "..{b}");
                }
                self.close_with(suffix);
            }
        }
    }

    /// `{head} = {value};` for a proto-defaults value: a struct literal
    /// opens on the head's line ([`Code::value`]), an expression is laid out
    /// as [`Code::assign`] lays it out.
    pub fn assign_value(&mut self, head: &str, value: &Value) {
        match value {
            Value::Expr(e) => self.assign(head, e),
            _ => self.value(&format!("{head} = "), value, ";"),
        }
    }
}

/// A `Duration` constant expression (in a generated module, where `rt` is
/// the runtime prelude).
pub fn duration(d: Duration) -> String {
    let secs = Literal::u64_suffixed(d.as_secs());
    match d.subsec_nanos() {
        0 => format!("rt::Duration::from_secs({secs})"),
        nanos => format!(
            "rt::Duration::new({secs}, {})",
            Literal::u32_suffixed(nanos)
        ),
    }
}

/// `Some(duration)`.
pub fn some_duration(d: Duration) -> Value {
    some_expr(duration(d))
}

/// The runtime's parent close policy, `None` when unspecified.
pub fn parent_close(scope: &Scope, p: schema::ParentClosePolicy) -> Option<String> {
    let v = match p {
        schema::ParentClosePolicy::Unspecified => return None,
        schema::ParentClosePolicy::Terminate => "Terminate",
        schema::ParentClosePolicy::Abandon => "Abandon",
        schema::ParentClosePolicy::RequestCancel => "RequestCancel",
    };
    Some(format!("{}::ParentClose::{v}", scope.rt_text()))
}

/// SDK conflict policy value.
pub fn conflict_policy(scope: &Scope, p: IdConflictPolicy) -> String {
    let v = match p {
        IdConflictPolicy::Fail => "Fail",
        IdConflictPolicy::UseExisting => "UseExisting",
        IdConflictPolicy::TerminateExisting => "TerminateExisting",
    };
    format!("{}::WorkflowIdConflictPolicy::{v}", scope.rt_text())
}

/// The runtime's `RetryDefaults` of a retry policy.
pub fn retry(scope: &Scope, r: &model::RetryPolicy) -> Value {
    let rt = scope.rt_text();
    let types = &r.non_retryable_error_types;
    set_fields(
        format!("{rt}::RetryDefaults"),
        [
            ("initial_interval", r.initial_interval.map(some_duration)),
            (
                "backoff_coefficient",
                r.backoff_coefficient
                    .map(|b| some_expr(Literal::f64_suffixed(b).to_string())),
            ),
            ("max_interval", r.max_interval.map(some_duration)),
            (
                "max_attempts",
                r.max_attempts
                    .filter(|&a| a != 0)
                    .map(|a| Value::Expr(Literal::u32_suffixed(a as u32).to_string())),
            ),
            (
                "non_retryable_error_types",
                (!types.is_empty()).then(|| {
                    let list: Vec<String> = types.iter().map(|t| str_lit(t)).collect();
                    Value::Expr(format!("&[{}]", list.join(", ")))
                }),
            ),
        ],
        format!("{rt}::RetryDefaults::NONE"),
        false,
    )
}

/// The runtime's `PriorityDefaults` of a workflow or an activity.
pub fn priority(scope: &Scope, p: &model::Priority) -> Value {
    let rt = scope.rt_text();
    set_fields(
        format!("{rt}::PriorityDefaults"),
        [
            (
                "priority_key",
                p.priority_key
                    .map(|k| some_expr(Literal::u32_suffixed(k).to_string())),
            ),
            ("fairness_key", p.fairness_key.as_deref().map(some_str)),
            (
                "fairness_weight",
                p.fairness_weight
                    .map(|w| some_expr(Literal::f32_suffixed(w).to_string())),
            ),
        ],
        format!("{rt}::PriorityDefaults::NONE"),
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(value: &Value) -> String {
        let mut c = Code::new(1);
        c.value("const D: T = ", value, ";");
        c.finish()
    }

    #[test]
    fn nothing_set_is_the_base_itself() {
        let v = set_fields("T".into(), [("a", None)], "T::NONE".into(), false);
        assert_eq!(written(&v), "    const D: T = T::NONE;\n");
    }

    #[test]
    fn set_fields_go_one_per_line_with_the_base_last() {
        let v = set_fields(
            "T".into(),
            [
                ("a", Some(some_duration(Duration::from_millis(1500)))),
                ("b", None),
            ],
            "T::NONE".into(),
            false,
        );
        assert_eq!(
            written(&v),
            "    const D: T = T {\n        a: Some(rt::Duration::new(1u64, 500000000u32)),\n        ..T::NONE\n    };\n"
        );
    }

    #[test]
    fn a_nested_literal_opens_inside_some() {
        let inner = set_fields(
            "R".into(),
            [
                ("max_attempts", Some(Value::Expr("3u32".into()))),
                ("b", None),
            ],
            "R::NONE".into(),
            false,
        );
        let v = set_fields(
            "T".into(),
            [("retry", Some(some(inner))), ("b", None)],
            "T::NONE".into(),
            false,
        );
        assert_eq!(
            written(&v),
            "    const D: T = T {\n        retry: Some(R {\n            max_attempts: 3u32,\n            ..R::NONE\n        }),\n        ..T::NONE\n    };\n"
        );
    }

    #[test]
    fn an_assigned_expression_breaks_after_the_equals_sign_and_a_literal_does_not() {
        let mut c = Code::new(1);
        let long = format!("rt::WorkflowDefaults::new({})", "X".repeat(60));
        c.assign_value(
            "const DEFAULTS: rt::WorkflowDefaults",
            &Value::Expr(long.clone()),
        );
        let literal = set_fields(
            "T".into(),
            [("a", Some(Value::Expr("x".repeat(20)))), ("b", None)],
            "T::NONE".into(),
            false,
        );
        c.assign_value("const D: T", &literal);
        assert_eq!(
            c.finish(),
            format!(
                "    const DEFAULTS: rt::WorkflowDefaults =\n        {long};\n    const D: T = T {{\n        a: {},\n        ..T::NONE\n    }};\n",
                "x".repeat(20)
            )
        );
    }

    #[test]
    fn a_narrow_literal_stays_on_one_line() {
        let v = set_fields(
            "T".into(),
            [("a", Some(Value::Expr("1".into()))), ("b", None)],
            "B".into(),
            false,
        );
        assert_eq!(written(&v), "    const D: T = T { a: 1, ..B };\n");
    }
}
