//! Where output files go: beside protoc-gen-prost's output for the same
//! package, joined to it through the `module` insertion point.

use crate::plugin::Params;

/// prost's module directory of a package (`example/v1/`), empty when flat.
fn dir(package: &str, params: &Params) -> String {
    if params.flat_output_dir || package.is_empty() {
        return String::new();
    }
    let mut dir: String = package
        .split('.')
        .filter(|s| !s.is_empty())
        .map(|s| crate::names::snake(s).to_string())
        .collect::<Vec<_>>()
        .join("/");
    dir.push('/');
    dir
}

/// Base name of protoc-gen-prost's file for `package` (`example.v1`).
fn stem(package: &str) -> &str {
    if package.is_empty() { "_" } else { package }
}

/// Our file (`example/v1/example.v1.temporal.rs`).
pub fn temporal_file(package: &str, params: &Params) -> String {
    format!("{}{}.temporal.rs", dir(package, params), stem(package))
}

/// The prost file we insert an `include!` into (`example/v1/example.v1.rs`).
pub fn prost_file(package: &str, params: &Params) -> String {
    format!("{}{}.rs", dir(package, params), stem(package))
}

/// What goes into prost's file at the `module` insertion point.
pub fn include_line(package: &str) -> String {
    format!("include!(\"{}.temporal.rs\");\n", stem(package))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_and_flat_layouts_match_protoc_gen_prost() {
        let p = Params::default();
        assert_eq!(
            temporal_file("example.v1", &p),
            "example/v1/example.v1.temporal.rs"
        );
        assert_eq!(prost_file("example.v1", &p), "example/v1/example.v1.rs");
        let flat = Params {
            flat_output_dir: true,
            ..Params::default()
        };
        assert_eq!(temporal_file("example.v1", &flat), "example.v1.temporal.rs");
        assert_eq!(prost_file("", &p), "_.rs");
        assert_eq!(
            include_line("example.v1"),
            "include!(\"example.v1.temporal.rs\");\n"
        );
    }
}
