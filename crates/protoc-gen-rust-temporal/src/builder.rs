//! The `build.rs` API, in the style of prost-build and tonic-build: compile
//! protos with protoc, generate the prost messages and the Temporal code into
//! `OUT_DIR`, and write one file that includes both per package.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     protoc_gen_rust_temporal::Builder::new()
//!         .include("protos")
//!         .compile(&["protos/example/v1/example.proto"])?;
//!     Ok(())
//! }
//! ```
//!
//! and in the crate: `include!(concat!(env!("OUT_DIR"), "/temporal_protos.rs"));`,
//! which declares `pub mod example { pub mod v1 { ... } }`.
//!
//! The project's own schema (`temporal/v1/temporal.proto` and the files it
//! imports) is always on the include path, so user protos import it without
//! copying it.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use prost::Message;

use crate::plugin::{RawRequest, Surfaces, editions};

/// The schema files user protos may import, embedded so that a build needs
/// no checkout of this repository.
const SCHEMA: &[(&str, &str)] = &[
    (
        "temporal/v1/temporal.proto",
        include_str!("../../../proto/temporal/v1/temporal.proto"),
    ),
    (
        "temporal/api/common/v1/message.proto",
        include_str!("../../../proto/temporal/api/common/v1/message.proto"),
    ),
    (
        "temporal/api/enums/v1/common.proto",
        include_str!("../../../proto/temporal/api/enums/v1/common.proto"),
    ),
    (
        "temporal/api/enums/v1/event_type.proto",
        include_str!("../../../proto/temporal/api/enums/v1/event_type.proto"),
    ),
    (
        "temporal/api/enums/v1/reset.proto",
        include_str!("../../../proto/temporal/api/enums/v1/reset.proto"),
    ),
    (
        "temporal/api/enums/v1/workflow.proto",
        include_str!("../../../proto/temporal/api/enums/v1/workflow.proto"),
    ),
    (
        "temporal/xns/v1/xns.proto",
        include_str!("../../../proto/temporal/xns/v1/xns.proto"),
    ),
];

/// Why a build failed.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// A file or directory could not be read or written.
    #[error("{path}")]
    Io {
        /// The path.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// `OUT_DIR` is not set and no output directory was given.
    #[error("OUT_DIR is not set: call this from build.rs or set an output directory")]
    NoOutDir,
    /// protoc could not be started.
    #[error("cannot run protoc `{program}` (set PROTOC to its path)")]
    ProtocMissing {
        /// The program.
        program: String,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// protoc reported errors.
    #[error("protoc failed ({status}):\n{stderr}")]
    Protoc {
        /// Its exit status.
        status: std::process::ExitStatus,
        /// What it printed.
        stderr: String,
    },
    /// A proto to compile is not under any include directory.
    #[error("{0} is not under any include directory; add its root with `include`")]
    NotIncluded(PathBuf),
    /// protoc's descriptor set could not be decoded.
    #[error("protoc wrote an unreadable descriptor set")]
    Descriptors(#[from] prost::DecodeError),
    /// prost-build failed.
    #[error("prost-build: {0}")]
    Prost(std::io::Error),
    /// The Temporal code could not be generated (names the file, service
    /// and method).
    #[error(transparent)]
    Generate(#[from] crate::Error),
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> BuildError + '_ {
    move |source| BuildError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Compiles protos into `OUT_DIR` (see the module docs).
#[derive(Debug, Clone)]
pub struct Builder {
    includes: Vec<PathBuf>,
    out_dir: Option<PathBuf>,
    protoc: Option<PathBuf>,
    include_file: String,
    runtime_crate: Option<String>,
    surfaces: Surfaces,
    emit_rerun: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Self::new()
    }
}

impl Builder {
    /// A builder writing to `OUT_DIR`, with protoc from `PROTOC` (else
    /// `protoc` on the PATH).
    pub fn new() -> Self {
        Self {
            includes: Vec::new(),
            out_dir: None,
            protoc: None,
            include_file: "temporal_protos.rs".to_string(),
            runtime_crate: None,
            surfaces: Surfaces::default(),
            emit_rerun: true,
        }
    }

    /// Adds an include directory (a root that proto imports are relative to).
    pub fn include(mut self, dir: impl Into<PathBuf>) -> Self {
        self.includes.push(dir.into());
        self
    }

    /// Writes to `dir` instead of `OUT_DIR`.
    pub fn out_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Runs this protoc instead of `PROTOC` / `protoc`.
    pub fn protoc(mut self, path: impl Into<PathBuf>) -> Self {
        self.protoc = Some(path.into());
        self
    }

    /// Name of the file in the output directory that includes everything
    /// (default `temporal_protos.rs`).
    pub fn include_file(mut self, name: impl Into<String>) -> Self {
        self.include_file = name.into();
        self
    }

    /// Path of the runtime crate in generated code (default `::xns_runtime`).
    pub fn runtime_crate(mut self, path: impl Into<String>) -> Self {
        self.runtime_crate = Some(path.into());
        self
    }

    /// Whether to generate the typed client (default: yes; the plugin
    /// parameter `client`).
    pub fn client(mut self, on: bool) -> Self {
        self.surfaces.client = on;
        self
    }

    /// Whether to generate the worker contracts and their registration
    /// (default: yes; the plugin parameter `worker`).
    pub fn worker(mut self, on: bool) -> Self {
        self.surfaces.worker = on;
        self
    }

    /// Whether to generate the calls from inside a workflow: activities,
    /// child workflows, external signals (default: yes; the plugin
    /// parameter `workflow_helpers`).
    pub fn workflow_helpers(mut self, on: bool) -> Self {
        self.surfaces.workflow_helpers = on;
        self
    }

    /// Whether to generate the `xns` modules (default: yes; the plugin
    /// parameter `xns`).
    pub fn xns(mut self, on: bool) -> Self {
        self.surfaces.xns = on;
        self
    }

    /// Whether to print `cargo:` lines (default: yes): `rerun-if-changed`
    /// for the protos, and a `warning` for each option the protos set that
    /// changes nothing in the output (see [`crate::notice`]).
    pub fn emit_rerun_if_changed(mut self, emit: bool) -> Self {
        self.emit_rerun = emit;
        self
    }

    /// Compiles `protos` (paths under one of the include directories).
    pub fn compile(self, protos: &[impl AsRef<Path>]) -> Result<(), BuildError> {
        let out = self.resolved_out_dir()?;
        let schema = write_schema(&out)?;
        let names = protos
            .iter()
            .map(|p| self.proto_name(p.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        let descriptors = self.run_protoc(&out, &schema, protos)?;
        self.generate(&out, &descriptors, &names)?;
        if self.emit_rerun {
            for p in protos {
                println!("cargo:rerun-if-changed={}", p.as_ref().display());
            }
            println!("cargo:rerun-if-env-changed=PROTOC");
        }
        Ok(())
    }

    /// Generates from a descriptor set compiled elsewhere (`buf build -o
    /// set.binpb`, or `protoc --descriptor_set_out` with
    /// `--include_imports`) instead of running protoc: `set` is its encoded
    /// `FileDescriptorSet` and `files` the names of the files to generate,
    /// as the set names them.
    pub fn compile_descriptor_set(
        self,
        set: &[u8],
        files: &[impl AsRef<str>],
    ) -> Result<(), BuildError> {
        let out = self.resolved_out_dir()?;
        let names: Vec<String> = files.iter().map(|f| f.as_ref().to_string()).collect();
        self.generate(&out, set, &names)
    }

    fn resolved_out_dir(&self) -> Result<PathBuf, BuildError> {
        let out = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        std::fs::create_dir_all(&out).map_err(io(&out))?;
        Ok(out)
    }

    /// prost's messages, our code and the include file, from a descriptor
    /// set.
    fn generate(&self, out: &Path, descriptors: &[u8], names: &[String]) -> Result<(), BuildError> {
        // Editions files are read as the classic syntax they behave like,
        // by prost-build and by us alike (see `plugin::editions`).
        let raw = RawFileSet::decode(descriptors)?
            .file
            .iter()
            .map(|f| editions::as_classic(f).map(Cow::into_owned))
            .collect::<Result<Vec<_>, _>>()?;

        // prost messages for the requested files and for the files that
        // declare a message or enum they use (a field of type
        // `temporal.v1.RetryPolicy`, say), as prost-build needs every type a
        // field refers to. Well-known types go along too: prost maps them to
        // `prost_types` and generates nothing for them.
        let all = raw
            .iter()
            .map(|f| prost_types::FileDescriptorProto::decode(f.as_slice()))
            .collect::<Result<Vec<_>, _>>()?;
        let file = files_to_generate(&all, names);
        let mut packages: Vec<String> = file
            .iter()
            .filter(|f| !is_well_known(f))
            .map(|f| f.package().to_string())
            .collect();
        packages.sort();
        packages.dedup();
        prost_messages(out, file)?;

        let mut parameter = "module_insertion=false,flat_output_dir=true".to_string();
        if let Some(rt) = &self.runtime_crate {
            let _ = write!(parameter, ",runtime_crate={rt}");
        }
        let Surfaces {
            client,
            worker,
            workflow_helpers,
            xns,
        } = self.surfaces;
        let _ = write!(
            parameter,
            ",client={client},worker={worker},workflow_helpers={workflow_helpers},xns={xns}"
        );
        let request = RawRequest {
            file_to_generate: names.to_vec(),
            parameter: Some(parameter),
            proto_file: raw,
        };
        let generation = crate::generate_with_notices(&request)?;
        if self.emit_rerun {
            for notice in &generation.notices {
                println!("cargo:warning={notice}");
            }
        }
        let files = generation.files;
        let mut written = Vec::new();
        for f in &files {
            let path = out.join(&f.name);
            std::fs::write(&path, &f.content).map_err(io(&path))?;
            written.push(f.name.clone());
        }

        // prost-build writes no file for a package without messages or
        // enums (one whose services take only well-known types).
        for package in &packages {
            let prost = prost_file(package);
            if out.join(&prost).exists() {
                written.push(prost);
            }
        }
        let include = include_file(&packages, &written);
        let path = out.join(&self.include_file);
        std::fs::write(&path, include).map_err(io(&path))
    }

    /// The proto's name relative to its include directory.
    fn proto_name(&self, proto: &Path) -> Result<String, BuildError> {
        self.includes
            .iter()
            .find_map(|dir| proto.strip_prefix(dir).ok())
            .map(|rel| {
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/")
            })
            .ok_or_else(|| BuildError::NotIncluded(proto.to_path_buf()))
    }

    fn run_protoc(
        &self,
        out: &Path,
        schema: &Path,
        protos: &[impl AsRef<Path>],
    ) -> Result<Vec<u8>, BuildError> {
        let program = protoc_program(self.protoc.as_deref(), std::env::var_os("PROTOC"));
        let set_path = out.join("temporal_protos.binpb");
        let mut cmd = Command::new(&program);
        cmd.arg("--include_imports")
            .arg("--include_source_info")
            .arg(format!("--descriptor_set_out={}", set_path.display()));
        for dir in &self.includes {
            cmd.arg(format!("-I{}", dir.display()));
        }
        cmd.arg(format!("-I{}", schema.display()));
        cmd.args(protos.iter().map(AsRef::as_ref));
        let output = cmd.output().map_err(|source| BuildError::ProtocMissing {
            program: program.to_string_lossy().into_owned(),
            source,
        })?;
        if !output.status.success() {
            return Err(BuildError::Protoc {
                status: output.status,
                stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            });
        }
        std::fs::read(&set_path).map_err(io(&set_path))
    }
}

/// Runs prost-build. It panics on some names it cannot turn into Rust (its
/// formatter cannot parse its own output), which in a build script would
/// read as a crash of ours: the panic becomes a [`BuildError::Prost`].
fn prost_messages(
    out: &Path,
    file: Vec<prost_types::FileDescriptorProto>,
) -> Result<(), BuildError> {
    let run = std::panic::AssertUnwindSafe(|| {
        prost_build::Config::new()
            .out_dir(out)
            .compile_fds(prost_types::FileDescriptorSet { file })
    });
    match std::panic::catch_unwind(run) {
        Ok(done) => done.map_err(BuildError::Prost),
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Err(BuildError::Prost(std::io::Error::other(format!(
                "prost-build panicked ({message}); a name in these protos is one it cannot turn into Rust"
            ))))
        }
    }
}

/// Whether a file is one of protobuf's well-known types, which prost maps to
/// `prost_types`.
fn is_well_known(file: &prost_types::FileDescriptorProto) -> bool {
    file.package() == "google.protobuf"
}

/// The files prost generates: the requested ones, the well-known types, and
/// every file that declares a type a generated message uses (transitively),
/// in the order of the descriptor set.
fn files_to_generate(
    all: &[prost_types::FileDescriptorProto],
    requested: &[String],
) -> Vec<prost_types::FileDescriptorProto> {
    use std::collections::{BTreeSet, HashMap};
    // `.pkg.Outer.Inner` -> index of its file.
    let mut declared_in = HashMap::new();
    for (i, f) in all.iter().enumerate() {
        let package = if f.package().is_empty() {
            String::new()
        } else {
            format!(".{}", f.package())
        };
        let mut stack: Vec<(String, &prost_types::DescriptorProto)> = f
            .message_type
            .iter()
            .map(|m| (format!("{package}.{}", m.name()), m))
            .collect();
        for e in &f.enum_type {
            declared_in.insert(format!("{package}.{}", e.name()), i);
        }
        while let Some((name, m)) = stack.pop() {
            for e in &m.enum_type {
                declared_in.insert(format!("{name}.{}", e.name()), i);
            }
            stack.extend(
                m.nested_type
                    .iter()
                    .map(|n| (format!("{name}.{}", n.name()), n)),
            );
            declared_in.insert(name, i);
        }
    }
    let mut keep: BTreeSet<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, f)| requested.iter().any(|n| n == f.name()) || is_well_known(f))
        .map(|(i, _)| i)
        .collect();
    let mut todo: Vec<usize> = keep.iter().copied().collect();
    while let Some(i) = todo.pop() {
        let mut stack: Vec<&prost_types::DescriptorProto> = all[i].message_type.iter().collect();
        while let Some(m) = stack.pop() {
            stack.extend(&m.nested_type);
            for field in &m.field {
                if let Some(&j) = declared_in.get(field.type_name())
                    && keep.insert(j)
                {
                    todo.push(j);
                }
            }
        }
    }
    keep.into_iter().map(|i| all[i].clone()).collect()
}

/// Compiles `protos` with the include directories `includes` into
/// `OUT_DIR`: the one-call form of [`Builder`].
pub fn compile_protos(
    protos: &[impl AsRef<Path>],
    includes: &[impl AsRef<Path>],
) -> Result<(), BuildError> {
    includes
        .iter()
        .fold(Builder::new(), |b, dir| b.include(dir.as_ref()))
        .compile(protos)
}

/// A descriptor set with its files as raw bytes (decoding through
/// `prost_types` would drop the `temporal.v1` options).
#[derive(Clone, PartialEq, Message)]
struct RawFileSet {
    #[prost(bytes = "vec", repeated, tag = "1")]
    file: Vec<Vec<u8>>,
}

/// Writes the embedded schema under `out/temporal_schema` and returns it.
fn write_schema(out: &Path) -> Result<PathBuf, BuildError> {
    let root = out.join("temporal_schema");
    for (name, content) in SCHEMA {
        let path = root.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io(dir))?;
        }
        std::fs::write(&path, content).map_err(io(&path))?;
    }
    Ok(root)
}

/// The name of prost-build's file of `package`.
fn prost_file(package: &str) -> String {
    prost_build::Module::from_protobuf_package_name(package).to_file_name_or("_")
}

/// A module tree over the packages: each package module includes the
/// files `written` has of it, prost's and ours. File names are the ones
/// prost-build and our generator (with a flat output directory) give a
/// package: prost-build snake-cases each segment and names the file of
/// protos without a package `_.rs`.
fn include_file(packages: &[String], written: &[String]) -> String {
    // Keyed by module name: packages that differ only in case
    // (`foo_bar.v1`, `fooBar.v1`) are one module, as prost-build makes them
    // one file.
    #[derive(Default)]
    struct Node {
        children: BTreeMap<String, Node>,
        packages: Vec<String>,
    }
    let mut root = Node::default();
    for package in packages {
        let mut node = &mut root;
        for part in package.split('.').filter(|p| !p.is_empty()) {
            let module = crate::names::snake(part).to_string();
            node = node.children.entry(module).or_default();
        }
        node.packages.push(package.clone());
    }
    let flat = crate::plugin::Params {
        flat_output_dir: true,
        ..Default::default()
    };
    let emit_files = |packages: &[String], pad: &str, out: &mut String| {
        let mut prost_files: Vec<String> = packages
            .iter()
            .map(|p| prost_file(p))
            .filter(|f| written.contains(f))
            .collect();
        prost_files.dedup();
        for prost in prost_files {
            let _ = writeln!(out, "{pad}include!(\"{prost}\");");
        }
        for package in packages {
            let ours = crate::render::layout::temporal_file(package, &flat);
            if written.contains(&ours) {
                let _ = writeln!(out, "{pad}include!(\"{ours}\");");
            }
        }
    };
    fn emit(
        node: &Node,
        depth: usize,
        files: &dyn Fn(&[String], &str, &mut String),
        out: &mut String,
    ) {
        let pad = "    ".repeat(depth);
        files(&node.packages, &pad, out);
        for (ident, child) in &node.children {
            let _ = writeln!(out, "{pad}pub mod {ident} {{");
            emit(child, depth + 1, files, out);
            let _ = writeln!(out, "{pad}}}");
        }
    }
    let mut out =
        String::from("// @generated by protoc-gen-rust-temporal's Builder. DO NOT EDIT.\n");
    emit(&root, 0, &emit_files, &mut out);
    out
}

/// The protoc to run: the builder's own, else `PROTOC` (as prost-build and
/// tonic-build read it), else `protoc` on `PATH`.
fn protoc_program(explicit: Option<&Path>, from_env: Option<OsString>) -> OsString {
    match explicit {
        Some(path) => path.as_os_str().to_owned(),
        None => from_env.unwrap_or_else(|| "protoc".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packages_that_differ_in_case_are_one_module_with_prosts_one_file() {
        let text = include_file(
            &["fooBar.v1".to_string(), "foo_bar.v1".to_string()],
            &[
                "foo_bar.v1.rs".to_string(),
                "fooBar.v1.temporal.rs".to_string(),
            ],
        );
        assert_eq!(
            text.lines().skip(1).collect::<Vec<_>>(),
            [
                "pub mod foo_bar {",
                "    pub mod v1 {",
                "        include!(\"foo_bar.v1.rs\");",
                "        include!(\"fooBar.v1.temporal.rs\");",
                "    }",
                "}",
            ]
        );
    }

    #[test]
    fn include_file_nests_packages_and_includes_both_files() {
        let text = include_file(
            &["example.v1".to_string(), "example.common".to_string()],
            &[
                "example.common.rs".to_string(),
                "example.v1.temporal.rs".to_string(),
            ],
        );
        assert!(
            text.contains("pub mod example {\n    pub mod common {\n"),
            "{text}"
        );
        // prost-build wrote no file for `example.v1` (no messages there).
        assert!(text.contains("include!(\"example.common.rs\");"), "{text}");
        assert!(!text.contains("include!(\"example.v1.rs\");"), "{text}");
        // Paths relative to the include file, so that it works from any
        // output directory, not only OUT_DIR.
        assert!(
            text.contains("include!(\"example.v1.temporal.rs\");"),
            "{text}"
        );
        assert!(!text.contains("example.common.temporal.rs"), "{text}");
        assert!(!text.contains("OUT_DIR"), "{text}");
    }

    #[test]
    fn protoc_is_the_builders_own_then_protoc_env_then_path() {
        let env = Some(OsString::from("/opt/protoc-from-env"));
        assert_eq!(
            protoc_program(Some(Path::new("/opt/own")), env.clone()),
            "/opt/own"
        );
        assert_eq!(protoc_program(None, env), "/opt/protoc-from-env");
        assert_eq!(protoc_program(None, None), "protoc");
    }

    #[test]
    fn a_proto_outside_the_includes_is_named() {
        let err = Builder::new()
            .include("protos")
            .out_dir(std::env::temp_dir().join("builder-not-included"))
            .emit_rerun_if_changed(false)
            .compile(&["elsewhere/x.proto"])
            .expect_err("not included");
        assert!(err.to_string().contains("elsewhere/x.proto"), "{err}");
    }

    #[test]
    fn messages_with_fields_of_imported_types_compile() {
        // prost-build panicked on a field of a well-known type (the Go
        // generator's mutex example) or of a schema message (its
        // `test/simple`): it needs the files that declare them.
        let dir = std::env::temp_dir().join(format!("builder-wkt-{}", std::process::id()));
        let protos = dir.join("protos");
        let out = dir.join("out");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(protos.join("wkt/v1")).expect("mkdir");
        let proto = protos.join("wkt/v1/wkt.proto");
        std::fs::write(
            &proto,
            r#"syntax = "proto3";
package wkt.v1;
import "google/protobuf/duration.proto";
import "google/protobuf/timestamp.proto";
import "temporal/v1/temporal.proto";
service Wkt {
  rpc Wait(WaitInput) returns (WaitInput) {
    option (temporal.v1.workflow) = {};
  }
}
message WaitInput {
  google.protobuf.Duration timeout = 1;
  google.protobuf.Timestamp deadline = 2;
  temporal.v1.RetryPolicy retry = 3;
}
"#,
        )
        .expect("write proto");
        Builder::new()
            .include(&protos)
            .out_dir(&out)
            .emit_rerun_if_changed(false)
            .compile(&[&proto])
            .expect("compiles");
        let prost = std::fs::read_to_string(out.join("wkt.v1.rs")).expect("prost file");
        assert!(
            prost.contains("::prost_types::Duration"),
            "Duration maps to prost_types: {prost}"
        );
        assert!(!out.join("google.protobuf.rs").exists(), "no WKT module");
        let schema = std::fs::read_to_string(out.join("temporal.v1.rs")).expect("schema file");
        assert!(schema.contains("pub struct RetryPolicy"), "{schema}");
        let include = std::fs::read_to_string(out.join("temporal_protos.rs")).expect("include");
        assert!(include.contains("temporal.v1.rs"), "{include}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_include_file_names_the_files_prost_and_we_wrote() {
        // Packages with upper case, a keyword segment, or none: prost-build
        // snake-cases each segment (`upper.v1.rs`, `kw.r#type.rs`) and calls
        // the file of protos without a package `_.rs`.
        let dir = std::env::temp_dir().join(format!("builder-names-{}", std::process::id()));
        let protos = dir.join("protos");
        let out = dir.join("out");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&protos).expect("mkdir");
        let service = |name: &str| {
            format!(
                "import \"temporal/v1/temporal.proto\";\n\
                 service {name} {{ rpc Run(In) returns (In) {{ option (temporal.v1.workflow) = {{}}; }} }}\n\
                 message In {{ string id = 1; }}\n"
            )
        };
        let files = [
            (
                "upper.proto",
                format!("syntax = \"proto3\";\npackage Upper.V1;\n{}", service("Up")),
            ),
            (
                "kw.proto",
                format!("syntax = \"proto3\";\npackage kw.type;\n{}", service("Kw")),
            ),
            (
                "none.proto",
                format!("syntax = \"proto3\";\n{}", service("None")),
            ),
        ];
        for (name, text) in &files {
            std::fs::write(protos.join(name), text).expect("write proto");
        }
        let paths: Vec<PathBuf> = files.iter().map(|(n, _)| protos.join(n)).collect();
        Builder::new()
            .include(&protos)
            .out_dir(&out)
            .emit_rerun_if_changed(false)
            .compile(&paths)
            .expect("compiles");
        let include = std::fs::read_to_string(out.join("temporal_protos.rs")).expect("include");
        let included: Vec<&str> = include
            .lines()
            .filter_map(|l| l.trim().strip_prefix("include!(\""))
            .filter_map(|l| l.strip_suffix("\");"))
            .collect();
        assert_eq!(
            included.len(),
            6,
            "three prost files and three of ours: {include}"
        );
        for file in included {
            assert!(
                out.join(file).is_file(),
                "{file} is not in the output: {include}"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn compiles_the_example_with_prost_and_temporal_code() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/protos");
        let out = std::env::temp_dir().join(format!("builder-example-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&out);
        Builder::new()
            .include(&root)
            .out_dir(&out)
            .emit_rerun_if_changed(false)
            .compile(&[root.join("example/v1/example.proto")])
            .expect("compiles");
        let include = std::fs::read_to_string(out.join("temporal_protos.rs")).expect("include");
        assert!(include.contains("example.v1.temporal.rs"), "{include}");
        let prost = std::fs::read_to_string(out.join("example.v1.rs")).expect("prost file");
        assert!(prost.contains("pub struct CreateFooRequest"));
        let temporal =
            std::fs::read_to_string(out.join("example.v1.temporal.rs")).expect("temporal file");
        assert!(temporal.contains("pub mod example_temporal"));
        let _ = std::fs::remove_dir_all(&out);
    }

    #[test]
    fn a_descriptor_set_compiled_elsewhere_generates_the_same_files() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/protos");
        let base = std::env::temp_dir().join(format!("builder-set-{}", std::process::id()));
        let (from_protos, from_set) = (base.join("protos"), base.join("set"));
        let _ = std::fs::remove_dir_all(&base);
        Builder::new()
            .include(&root)
            .out_dir(&from_protos)
            .emit_rerun_if_changed(false)
            .compile(&[root.join("example/v1/example.proto")])
            .expect("compiles");
        let set = std::fs::read(from_protos.join("temporal_protos.binpb")).expect("protoc's set");
        Builder::new()
            .out_dir(&from_set)
            .compile_descriptor_set(&set, &["example/v1/example.proto"])
            .expect("generates from the set");
        for file in [
            "temporal_protos.rs",
            "example.v1.rs",
            "example.v1.temporal.rs",
        ] {
            let a = std::fs::read_to_string(from_protos.join(file)).expect(file);
            let b = std::fs::read_to_string(from_set.join(file)).expect(file);
            assert_eq!(a, b, "{file}");
        }
        let _ = std::fs::remove_dir_all(&base);
    }

    #[test]
    fn a_name_prost_build_panics_on_is_a_build_error() {
        // prost-build writes a field named `_` as `pub : String`, and its
        // formatter panics on that.
        use prost_types::{DescriptorProto, FieldDescriptorProto, FileDescriptorProto};
        let set = prost_types::FileDescriptorSet {
            file: vec![FileDescriptorProto {
                name: Some("x.proto".into()),
                package: Some("x.v1".into()),
                syntax: Some("proto3".into()),
                message_type: vec![DescriptorProto {
                    name: Some("Foo".into()),
                    field: vec![FieldDescriptorProto {
                        name: Some("_".into()),
                        number: Some(1),
                        r#type: Some(prost_types::field_descriptor_proto::Type::String as i32),
                        ..Default::default()
                    }],
                    ..Default::default()
                }],
                ..Default::default()
            }],
        };
        let out = std::env::temp_dir().join(format!("builder-prost-panic-{}", std::process::id()));
        let err = Builder::new()
            .out_dir(&out)
            .compile_descriptor_set(&set.encode_to_vec(), &["x.proto"])
            .expect_err("prost-build cannot name it");
        assert!(matches!(err, BuildError::Prost(_)), "{err:?}");
        assert!(err.to_string().contains("prost-build panicked"), "{err}");
        let _ = std::fs::remove_dir_all(&out);
    }
}
