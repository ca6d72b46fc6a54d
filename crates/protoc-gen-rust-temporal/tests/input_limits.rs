//! Inputs at and past the generator's limits (huge numbers, deep
//! nesting, non-finite or negative options, control characters) give a
//! clear error naming file, service and method, on one line, never a panic.

mod support;

fn error_for(name: &str) -> String {
    support::generation_error(&[&format!("invalid/{name}.proto")])
}

#[test]
fn a_number_past_f64_range_in_an_id_expression_is_an_error() {
    let err = error_for("huge_number");
    let literal = format!("1{}", "0".repeat(309));
    assert!(
        err.starts_with("invalid/huge_number.proto: Svc.Run: syntax error")
            && err.contains(&format!("number `{literal}` is out of range")),
        "{err}"
    );
}
