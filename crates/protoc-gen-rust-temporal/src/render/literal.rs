//! Rust literals of generated values, escaped as quote escapes them.

/// A Rust string literal of `value`.
pub fn str_lit(value: &str) -> String {
    proc_macro2::Literal::string(value).to_string()
}

/// A Rust byte string literal of `value`.
pub fn byte_str_lit(value: &[u8]) -> String {
    proc_macro2::Literal::byte_string(value).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literals_are_escaped_as_quote_escapes_them() {
        assert_eq!(str_lit("a\"b\n"), "\"a\\\"b\\n\"");
        assert_eq!(byte_str_lit(b"\0\xff"), "b\"\\0\\xFF\"");
    }
}
