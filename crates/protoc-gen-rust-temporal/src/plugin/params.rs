//! Strict parsing of the plugin parameter (`--rust-temporal_opt=...`).

use crate::error::Error;

/// Parameters of one generation run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Params {
    /// Join the generated file to protoc-gen-prost's output through the
    /// `module` insertion point (default). Turn off to `include!` by hand.
    pub module_insertion: bool,
    /// Write files flat into the output directory, as protoc-gen-prost's
    /// `flat_output_dir` does.
    pub flat_output_dir: bool,
    /// Path of the runtime crate in generated code (default `::xns_runtime`).
    pub runtime_crate: String,
    /// The parts of the generated surface to write.
    pub surfaces: Surfaces,
}

/// The parts of the generated surface, each on by default. The
/// definitions (names, markers, defaults, ID functions) are always written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Surfaces {
    /// `client`: the typed client (`ExampleClient`) and its run handles.
    pub client: bool,
    /// `worker`: the worker contracts (workflow and activity traits) and
    /// their registration functions.
    pub worker: bool,
    /// `workflow_helpers`: calls from inside a workflow: activities, local
    /// activities, child workflows, signals to external workflows.
    pub workflow_helpers: bool,
    /// `xns`: the `xns` module of cross-namespace calls and its activities.
    pub xns: bool,
}

impl Default for Surfaces {
    fn default() -> Self {
        Self {
            client: true,
            worker: true,
            workflow_helpers: true,
            xns: true,
        }
    }
}

impl Default for Params {
    fn default() -> Self {
        Self {
            module_insertion: true,
            flat_output_dir: false,
            runtime_crate: "::xns_runtime".to_string(),
            surfaces: Surfaces::default(),
        }
    }
}

impl Params {
    /// Parses `key=value` pairs separated by commas. A bare key means `true`
    /// for boolean keys. Unknown keys and bad values are errors.
    pub fn parse(parameter: &str) -> Result<Self, Error> {
        let mut params = Params::default();
        for item in parameter
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            let (key, value) = match item.split_once('=') {
                Some((k, v)) => (k.trim(), Some(v.trim())),
                None => (item, None),
            };
            match key {
                "module_insertion" => params.module_insertion = parse_bool(key, value)?,
                "flat_output_dir" => params.flat_output_dir = parse_bool(key, value)?,
                "client" => params.surfaces.client = parse_bool(key, value)?,
                "worker" => params.surfaces.worker = parse_bool(key, value)?,
                "workflow_helpers" => params.surfaces.workflow_helpers = parse_bool(key, value)?,
                "xns" => params.surfaces.xns = parse_bool(key, value)?,
                "runtime_crate" => {
                    params.runtime_crate = value
                        .filter(|v| !v.is_empty())
                        .ok_or_else(|| {
                            Error::Parameter(format!(
                                "`{key}` needs a value, e.g. `{key}=::xns_runtime`"
                            ))
                        })?
                        .to_string();
                    check_runtime_path(&params.runtime_crate)?;
                }
                other => {
                    return Err(Error::Parameter(format!(
                        "unknown parameter `{other}` (known: module_insertion, flat_output_dir, \
                         runtime_crate, client, worker, workflow_helpers, xns)"
                    )));
                }
            }
        }
        Ok(params)
    }
}

/// `runtime_crate` goes into generated code before `::expr::...` and the
/// like, so it must be a plain path: identifiers (`crate`, `self` and
/// `super` included) separated by `::`, optionally with a leading `::`.
/// Generic arguments (`Vec<u8>`), a `<T as Trait>` qualified path or
/// anything that is not a path would make generated code that does not
/// parse.
fn check_runtime_path(value: &str) -> Result<(), Error> {
    let invalid = |why: &str| {
        Error::Parameter(format!(
            "runtime_crate={value}: {why} (expected a Rust path such as `::xns_runtime` or `crate::rt`)"
        ))
    };
    let path = syn::parse_str::<syn::Path>(value).map_err(|_| invalid("not a Rust path"))?;
    if path
        .segments
        .iter()
        .any(|segment| !segment.arguments.is_none())
    {
        return Err(invalid("a path without generic arguments is needed"));
    }
    Ok(())
}

fn parse_bool(key: &str, value: Option<&str>) -> Result<bool, Error> {
    match value {
        None | Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(other) => Err(Error::Parameter(format!(
            "`{key}` takes true or false, got `{other}`"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        assert_eq!(Params::parse("").unwrap(), Params::default());
        let p = Params::parse("flat_output_dir, module_insertion=false,runtime_crate=crate::rt")
            .unwrap();
        assert!(p.flat_output_dir);
        assert!(!p.module_insertion);
        assert_eq!(p.runtime_crate, "crate::rt");
    }

    #[test]
    fn surfaces_are_on_unless_switched_off() {
        assert_eq!(Params::default().surfaces, Surfaces::default());
        let p = Params::parse("client=false, xns=false").unwrap();
        assert_eq!(
            p.surfaces,
            Surfaces {
                client: false,
                worker: true,
                workflow_helpers: true,
                xns: false,
            }
        );
        let p = Params::parse("worker=false,workflow_helpers=false,client").unwrap();
        assert!(p.surfaces.client && p.surfaces.xns);
        assert!(!p.surfaces.worker && !p.surfaces.workflow_helpers);
        let err = Params::parse("xns=no").unwrap_err().to_string();
        assert!(err.contains("`xns` takes true or false"), "{err}");
    }

    #[test]
    fn strict_errors() {
        let err = Params::parse("nope=1").unwrap_err().to_string();
        assert!(err.contains("unknown parameter `nope`"), "{err}");
        let err = Params::parse("flat_output_dir=yes")
            .unwrap_err()
            .to_string();
        assert!(err.contains("takes true or false"), "{err}");
        let err = Params::parse("runtime_crate=").unwrap_err().to_string();
        assert!(err.contains("needs a value"), "{err}");
        let err = Params::parse("runtime_crate=1abc").unwrap_err().to_string();
        assert!(err.contains("not a Rust path"), "{err}");
    }

    #[test]
    fn runtime_crate_must_be_a_plain_path() {
        for ok in [
            "::xns_runtime",
            "xns_runtime",
            "crate::rt",
            "::a::b::c",
            "super::rt",
            "r#type::rt",
        ] {
            let p = Params::parse(&format!("runtime_crate={ok}"))
                .unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(p.runtime_crate, ok);
        }
        for bad in [
            "Vec<u8>",
            "a::b<T>",
            "a::<T>::b",
            "<T as X>::y",
            "a::",
            "::",
            "a b",
            "fn",
            "a-b",
            "\"x\"",
            "a::b()",
        ] {
            let err = Params::parse(&format!("runtime_crate={bad}"))
                .err()
                .unwrap_or_else(|| panic!("{bad} was accepted"))
                .to_string();
            assert!(
                err.starts_with(&format!("invalid parameter: runtime_crate={bad}: ")),
                "{err}"
            );
        }
        let err = Params::parse("runtime_crate=a\nb").unwrap_err().to_string();
        assert!(!err.contains('\n'), "{err}");
    }
}
