//! Generates our code for the Go generator's own protos (the corpus): every
//! proto under `examples/*/proto` and `test/*/proto` of the
//! protoc-gen-go-temporal module, read from the Go module cache.
//!
//! Each proto root goes through the build.rs API users run
//! (`protoc_gen_rust_temporal::Builder`) into its own directory of
//! `OUT_DIR`, and becomes one module of `corpus.rs`. A proto that protoc or
//! our generator rejects is left out and listed in `corpus.rs` as
//! `REJECTED`, which the conformance test holds to the divergence list.
//! `corpus.rs` also holds the client driver: for every workflow, a function
//! that starts it with our generated client, and for every query, signal
//! and update it declares, one that runs it by workflow ID (`HANDLERS`);
//! and the Temporal names our
//! generated code declares (`NAMES`, `ALIASES`), each read from the
//! generated constant.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

#[path = "../support/buf.rs"]
mod buf;

use prost::Message;
use protoc_gen_rust_temporal::model::{self, Payload};
use protoc_gen_rust_temporal::render::item_names::{self, HandlerKind};
use protoc_gen_rust_temporal::{Builder, RawRequest, names, plugin};

const GO_GENERATOR: &str = "github.com/cludden/protoc-gen-go-temporal";
/// Holds `patch/go.proto`, which `test/patch` imports.
const PROTOPATCH: &str = "github.com/alta/protopatch";

/// A `FileDescriptorSet` with each file kept as raw bytes (options intact).
#[derive(Clone, PartialEq, Message)]
struct RawFileSet {
    #[prost(bytes = "vec", repeated, tag = "1")]
    file: Vec<Vec<u8>>,
}

/// A proto root of the corpus, e.g. `examples/example/proto`.
struct Root {
    /// Path relative to the Go generator's module (or, for ours, to the
    /// repository).
    rel: String,
    /// Its module in `corpus.rs`.
    slug: String,
    dir: PathBuf,
    /// Proto names (relative to `dir`), sorted.
    protos: Vec<String>,
}

struct Rejected {
    proto: String,
    error: String,
}

struct Driven {
    service: String,
    method: String,
    /// The Temporal workflow type name.
    name: String,
    /// `crate::corpus::<root>::<package path>`.
    package_path: String,
    service_module: String,
    client: String,
    start: String,
    /// How the input is read from the sample protojson, unless Empty.
    input: Option<String>,
}

/// A query, signal or update a workflow declares, and how our client runs
/// it by workflow ID.
struct DrivenHandler {
    /// The declaring workflow's service full name and proto method.
    workflow_service: String,
    workflow_method: String,
    /// `query`, `signal` or `update`.
    kind: &'static str,
    /// The handler's service full name and proto method.
    service: String,
    method: String,
    /// The Temporal name our generator gives it.
    name: String,
    /// Path of the client of the handler's service.
    client: String,
    /// Path of the handler's marker, which the client's by-ID call takes.
    marker: String,
    /// How the input is read from the sample protojson, unless Empty.
    input: Option<String>,
}

/// A generated constant holding Temporal names.
struct NameConst {
    /// The proto file, relative to its root.
    file: String,
    kind: &'static str,
    /// Path of the constant: a `&str` name, or a workflow's `&[&str]`
    /// aliases.
    path: String,
}

fn main() {
    let manifest = PathBuf::from(env("CARGO_MANIFEST_DIR"));
    let out = PathBuf::from(env("OUT_DIR"));
    let go_generator = module_dir(&manifest, GO_GENERATOR);
    let protopatch = module_dir(&manifest, PROTOPATCH).join("");
    let schema = manifest.join("../../proto");

    let mut modules = String::new();
    let mut rejected = Vec::new();
    let mut driven = Vec::new();
    let mut names = Vec::new();
    let mut aliases = Vec::new();
    let mut handlers = Vec::new();
    for root in corpus_roots(&go_generator, &manifest) {
        let slug = &root.slug;
        if root.protos.iter().any(|p| is_editions(&root.dir.join(p))) {
            // protoc 3.21 cannot parse editions files: buf builds the set.
            let dir = out.join("corpus").join(slug);
            match generate_with_buf(&root, &schema, &out, &dir) {
                Ok(()) => {
                    let _ = writeln!(
                        modules,
                        "pub mod {slug} {{\n    include!({:?});\n}}",
                        dir.join("temporal_protos.rs").display().to_string()
                    );
                    driven.extend(workflows(&dir, slug, &root.protos));
                    handlers.extend(handler_calls(&dir, slug, &root.protos));
                    let (n, a) = name_consts(&dir, slug, &root.protos);
                    names.extend(n);
                    aliases.extend(a);
                }
                Err(error) => rejected.extend(root.protos.iter().map(|proto| Rejected {
                    proto: format!("{}/{proto}", root.rel),
                    error: error.clone(),
                })),
            }
            continue;
        }
        let mut accepted = Vec::new();
        for proto in &root.protos {
            match protoc_accepts(&root.dir, &protopatch, &schema, proto) {
                Ok(()) => accepted.push(proto.clone()),
                Err(error) => rejected.push(Rejected {
                    proto: format!("{}/{proto}", root.rel),
                    error,
                }),
            }
        }
        if accepted.is_empty() {
            continue;
        }
        let dir = out.join("corpus").join(slug);
        let _ = std::fs::remove_dir_all(&dir);
        let paths: Vec<PathBuf> = accepted.iter().map(|p| root.dir.join(p)).collect();
        let built = Builder::new()
            .include(&root.dir)
            .include(&protopatch)
            .out_dir(&dir)
            .emit_rerun_if_changed(false)
            .compile(&paths);
        if let Err(e) = built {
            for proto in &accepted {
                rejected.push(Rejected {
                    proto: format!("{}/{proto}", root.rel),
                    error: e.to_string(),
                });
            }
            continue;
        }
        let _ = writeln!(
            modules,
            "pub mod {slug} {{\n    include!({:?});\n}}",
            dir.join("temporal_protos.rs").display().to_string()
        );
        driven.extend(workflows(&dir, slug, &accepted));
        handlers.extend(handler_calls(&dir, slug, &accepted));
        let (n, a) = name_consts(&dir, slug, &accepted);
        names.extend(n);
        aliases.extend(a);
    }
    driven.sort_by(|a, b| (&a.service, &a.method).cmp(&(&b.service, &b.method)));

    let mut corpus = render_corpus(&modules, &rejected, &driven);
    corpus.push_str(&render_names(&names, &aliases));
    handlers.sort_by(|a, b| {
        (&a.workflow_service, &a.workflow_method).cmp(&(&b.workflow_service, &b.workflow_method))
    });
    corpus.push_str(&render_handlers(&handlers));
    std::fs::write(out.join("corpus.rs"), corpus).expect("write corpus.rs");

    println!("cargo:rerun-if-changed=protos");

    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=go.sum");
    println!("cargo:rerun-if-env-changed=PROTOC");
    println!("cargo:rerun-if-env-changed=BUF");
}

fn env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| panic!("{name} is not set"))
}

/// A module's directory in the Go module cache (`go list -m`), from the
/// peer's go.mod.
fn module_dir(manifest: &Path, module: &str) -> PathBuf {
    let go = std::env::var_os("GO").unwrap_or_else(|| "go".into());
    let output = Command::new(&go)
        .current_dir(manifest)
        .args(["list", "-m", "-f", "{{.Dir}}", module])
        .output()
        .unwrap_or_else(|e| panic!("cannot run go ({e}): run scripts/setup.sh"));
    assert!(
        output.status.success(),
        "go list -m {module} failed: {} (run scripts/setup.sh)",
        String::from_utf8_lossy(&output.stderr)
    );
    let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
    assert!(
        dir.is_dir(),
        "{module} is not in the Go module cache: run scripts/setup.sh"
    );
    dir
}

/// `examples/*/proto` and `test/*/proto` of the Go generator's module, and
/// ours: `protos/` here (the interop proto), as module `ours`.
fn corpus_roots(module: &Path, manifest: &Path) -> Vec<Root> {
    let mut roots = Vec::new();
    for group in ["examples", "test"] {
        let mut names: Vec<_> = std::fs::read_dir(module.join(group))
            .expect("read corpus group")
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        for name in names {
            let rel = format!("{group}/{name}/proto");
            let dir = module.join(&rel);
            if !dir.is_dir() {
                continue;
            }
            let mut protos = Vec::new();
            collect_protos(&dir, &dir, &mut protos);
            protos.sort();
            let slug = slug(&rel);
            roots.push(Root {
                rel,
                slug,
                dir,
                protos,
            });
        }
    }
    let dir = manifest.join("protos");
    let mut protos = Vec::new();
    collect_protos(&dir, &dir, &mut protos);
    protos.sort();
    roots.push(Root {
        rel: "tests/go-peer/protos".to_string(),
        slug: "ours".to_string(),
        dir,
        protos,
    });
    roots
}

fn collect_protos(base: &Path, dir: &Path, into: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).expect("read proto dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_protos(base, &path, into);
        } else if path.extension().is_some_and(|e| e == "proto") {
            let rel = path.strip_prefix(base).expect("under base");
            into.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

/// Whether `proto` is an editions file (`edition = "2023";`).
fn is_editions(proto: &Path) -> bool {
    std::fs::read_to_string(proto)
        .unwrap_or_default()
        .lines()
        .any(|l| l.trim_start().starts_with("edition "))
}

/// Builds `root`'s descriptor set with buf (a workspace in `OUT_DIR` whose
/// modules link to the root and to our schema directory), keeps it as
/// `temporal_protos.binpb` in `dir`, and generates from it with the
/// `Builder`, as a user with editions files would.
fn generate_with_buf(root: &Root, schema: &Path, out: &Path, dir: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let set = buf::build_set(
        &buf::find(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")),
        &out.join("buf").join(&root.slug),
        &[("corpus", &root.dir), ("schema", schema)],
        &dir.join("temporal_protos.binpb"),
    )?;
    Builder::new()
        .out_dir(dir)
        .emit_rerun_if_changed(false)
        .compile_descriptor_set(&set, &root.protos)
        .map_err(|e| e.to_string())
}

/// Whether protoc parses `proto` (protoc 3.21 rejects editions files).
fn protoc_accepts(
    root: &Path,
    protopatch: &Path,
    schema: &Path,
    proto: &str,
) -> Result<(), String> {
    let protoc = std::env::var_os("PROTOC").unwrap_or_else(|| "protoc".into());
    let output = Command::new(&protoc)
        .arg(format!("-I{}", root.display()))
        .arg(format!("-I{}", protopatch.display()))
        .arg(format!("-I{}", schema.display()))
        .arg("--descriptor_set_out=/dev/null")
        .arg(proto)
        .output()
        .unwrap_or_else(|e| panic!("cannot run protoc ({e}): run scripts/setup.sh"));
    if output.status.success() {
        return Ok(());
    }
    let stderr = String::from_utf8_lossy(&output.stderr);
    let first = stderr
        .lines()
        .find(|l| !l.contains("WARNING"))
        .unwrap_or("protoc failed")
        .trim()
        .to_string();
    Err(format!("protoc: {first}"))
}

/// `examples/example/proto` -> `examples_example`.
fn slug(rel: &str) -> String {
    rel.trim_end_matches("/proto")
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// Every workflow of the protos generated into `dir`, with the Rust names
/// our generator gave its client and input.
fn workflows(dir: &Path, slug: &str, protos: &[String]) -> Vec<Driven> {
    let Some(model) = load_model(dir, protos) else {
        return Vec::new();
    };
    let mut driven = Vec::new();
    for package in &model.packages {
        let package_path = package_path(slug, &package.package);
        for service in &package.services {
            for w in &service.workflows {
                let input = input_decoder(slug, &w.method.input);
                driven.push(Driven {
                    service: service.full_name.clone(),
                    method: w.method.name.clone(),
                    name: w.name.clone(),
                    package_path: package_path.clone(),
                    service_module: item_names::service_module(&service.name).to_string(),
                    client: item_names::client_ident(service).to_string(),
                    start: item_names::start_ident(&w.method.name).to_string(),
                    input,
                });
            }
        }
    }
    driven
}

/// Every query, signal and update ref of every workflow of the protos
/// generated into `dir`, in the workflow's order (queries, signals,
/// updates), with the marker our generator gave the handler, which the
/// client's by-ID call takes. A ref whose handler our model does not hold
/// is left out.
fn handler_calls(dir: &Path, slug: &str, protos: &[String]) -> Vec<DrivenHandler> {
    let Some(model) = load_model(dir, protos) else {
        return Vec::new();
    };
    let mut calls = Vec::new();
    for package in &model.packages {
        for service in &package.services {
            for w in &service.workflows {
                let refs = w
                    .queries
                    .iter()
                    .map(|q| (HandlerKind::Query, &q.target))
                    .chain(w.signals.iter().map(|s| (HandlerKind::Signal, &s.target)))
                    .chain(w.updates.iter().map(|u| (HandlerKind::Update, &u.target)));
                for (kind, target) in refs {
                    let Some(owner) = model.service(&target.service) else {
                        continue;
                    };
                    let handler = match kind {
                        HandlerKind::Query => owner
                            .queries
                            .iter()
                            .find(|q| q.method.name == target.method)
                            .map(|q| (&q.method, &q.name)),
                        HandlerKind::Signal => owner
                            .signals
                            .iter()
                            .find(|q| q.method.name == target.method)
                            .map(|q| (&q.method, &q.name)),
                        HandlerKind::Update => owner
                            .updates
                            .iter()
                            .find(|q| q.method.name == target.method)
                            .map(|q| (&q.method, &q.name)),
                    };
                    let Some((method, name)) = handler else {
                        continue;
                    };
                    calls.push(DrivenHandler {
                        workflow_service: service.full_name.clone(),
                        workflow_method: w.method.name.clone(),
                        kind: match kind {
                            HandlerKind::Query => "query",
                            HandlerKind::Signal => "signal",
                            HandlerKind::Update => "update",
                        },
                        service: owner.full_name.clone(),
                        method: method.name.clone(),
                        name: name.clone(),
                        client: format!(
                            "{}::{}::{}",
                            package_path(slug, &owner.package),
                            item_names::service_module(&owner.name),
                            item_names::client_ident(owner)
                        ),
                        marker: format!(
                            "{}::{}::{}",
                            package_path(slug, &owner.package),
                            item_names::service_module(&owner.name),
                            item_names::own_marker(&method.name, kind)
                        ),
                        input: input_decoder(slug, &method.input),
                    });
                }
            }
        }
    }
    calls
}

/// The expression that reads a method's input from the sample protojson
/// `sample`, unless Empty.
fn input_decoder(slug: &str, payload: &Payload) -> Option<String> {
    let (m, decode) = match payload {
        Payload::Empty => return None,
        Payload::Message(m) => (m, "from_json"),
        Payload::WellKnown(m) => (m, "well_known_from_json"),
    };
    let path = names::message_path("", m).to_string().replace(' ', "");
    let ty = if path.starts_with("::") || matches!(payload, Payload::WellKnown(_)) {
        path
    } else {
        format!("crate::corpus::{slug}::{path}")
    };
    Some(format!("{decode}::<{ty}>(&sample)?"))
}

/// `HANDLERS` and the function behind each entry: it runs the handler on a
/// workflow by ID (no run ID, default update options) with the sample input
/// in protojson.
fn render_handlers(handlers: &[DrivenHandler]) -> String {
    let mut s = String::from(
        "\n/// Every query, signal and update ref of the workflows of `WORKFLOWS`\n\
         /// whose handler our generator generated.\n\
         pub const HANDLERS: &[DrivenHandler] = &[\n",
    );
    for (i, h) in handlers.iter().enumerate() {
        let _ = writeln!(
            s,
            "    DrivenHandler {{ workflow_service: {:?}, workflow_method: {:?}, kind: {:?}, \
             service: {:?}, method: {:?}, name: {:?}, call: handler_{i} }},",
            h.workflow_service, h.workflow_method, h.kind, h.service, h.method, h.name
        );
    }
    s.push_str("];\n");
    for (i, h) in handlers.iter().enumerate() {
        let (decode, arg, sample) = match &h.input {
            Some(decode) => (
                format!("let input = {decode};\n        "),
                "input, ",
                "sample",
            ),
            None => (String::new(), "(), ", "_sample"),
        };
        let options = if h.kind == "update" {
            "UpdateOptions::new()"
        } else {
            ""
        };
        let _ = write!(
            s,
            "\nfn handler_{i}(client: Client, workflow_id: String, {sample}: String) -> HandlerFuture {{\n    \
             Box::pin(async move {{\n        \
             {decode}{}::new(client).{}({}, workflow_id, None, {arg}{options}).await?;\n        \
             Ok(())\n    }})\n}}\n",
            h.client, h.kind, h.marker
        );
    }
    s
}

/// The model of the protos generated into `dir`.
fn load_model(dir: &Path, protos: &[String]) -> Option<model::Model> {
    let set = std::fs::read(dir.join("temporal_protos.binpb")).expect("descriptor set");
    let set = RawFileSet::decode(set.as_slice()).expect("decode descriptor set");
    let request = RawRequest {
        file_to_generate: protos.to_vec(),
        parameter: None,
        proto_file: set.file,
    };
    let (pool, files) = plugin::load_pool(&request).expect("pool")?;
    Some(model::build(&pool, &files).expect("model (the generator accepted it)"))
}

/// `crate::corpus::<slug>::<package path>`.
fn package_path(slug: &str, package: &str) -> String {
    let path = names::relative_package_path("", package).to_string();
    format!(
        "crate::corpus::{slug}::{}",
        path.replace(' ', "").trim_end_matches("::")
    )
}

/// The name constants (one per workflow, activity, query, signal and update
/// a service declares) and workflow alias constants our generator emitted
/// for the protos generated into `dir`.
fn name_consts(dir: &Path, slug: &str, protos: &[String]) -> (Vec<NameConst>, Vec<NameConst>) {
    let (mut names, mut aliases) = (Vec::new(), Vec::new());
    let Some(model) = load_model(dir, protos) else {
        return (names, aliases);
    };
    for package in &model.packages {
        let package_path = package_path(slug, &package.package);
        for service in &package.services {
            let module = format!(
                "{package_path}::{}",
                item_names::service_module(&service.name)
            );
            let mut push = |kind: &'static str, method: &str| {
                names.push(NameConst {
                    file: service.file.clone(),
                    kind,
                    path: format!("{module}::{}", item_names::name_const(method, kind)),
                });
            };
            for w in &service.workflows {
                push("workflow", &w.method.name);
            }
            for a in &service.activities {
                push("activity", &a.method.name);
            }
            for q in &service.queries {
                push("query", &q.method.name);
            }
            for s in &service.signals {
                push("signal", &s.method.name);
            }
            for u in &service.updates {
                push("update", &u.method.name);
            }
            for w in service.workflows.iter().filter(|w| !w.aliases.is_empty()) {
                aliases.push(NameConst {
                    file: service.file.clone(),
                    kind: "workflow",
                    path: format!("{module}::{}", item_names::aliases_const(&w.method.name)),
                });
            }
        }
    }
    (names, aliases)
}

/// `NAMES` and `ALIASES`, sorted by file and kind, each entry referencing
/// the generated constant.
fn render_names(names: &[NameConst], aliases: &[NameConst]) -> String {
    fn sorted(consts: &[NameConst]) -> Vec<&NameConst> {
        let mut consts: Vec<&NameConst> = consts.iter().collect();
        consts.sort_by(|a, b| (&a.file, a.kind, &a.path).cmp(&(&b.file, b.kind, &b.path)));
        consts
    }
    let mut s = String::from(
        "\n/// The Temporal name of every name constant our generator generated.\n\
         pub const NAMES: &[CorpusName] = &[\n",
    );
    for n in sorted(names) {
        let _ = writeln!(
            s,
            "    CorpusName {{ file: {:?}, kind: {:?}, name: {}, alias: false }},",
            n.file, n.kind, n.path
        );
    }
    s.push_str(
        "];\n\n/// Every workflow aliases constant our generator generated.\n\
         pub const ALIASES: &[CorpusAliases] = &[\n",
    );
    for a in sorted(aliases) {
        let _ = writeln!(
            s,
            "    CorpusAliases {{ file: {:?}, kind: {:?}, aliases: {} }},",
            a.file, a.kind, a.path
        );
    }
    s.push_str("];\n");
    s
}

fn render_corpus(modules: &str, rejected: &[Rejected], driven: &[Driven]) -> String {
    let mut s = String::from(
        "// Generated by build.rs: our generated code for the Go generator's protos.\n\n",
    );
    s.push_str(modules);
    s.push_str("\n/// Protos of the corpus that protoc or our generator rejects.\n");
    s.push_str("pub const REJECTED: &[Rejected] = &[\n");
    for r in rejected {
        let _ = writeln!(
            s,
            "    Rejected {{ proto: {:?}, error: {:?} }},",
            r.proto, r.error
        );
    }
    s.push_str("];\n\n/// Every workflow our generator generated a client for.\n");
    s.push_str("pub const WORKFLOWS: &[DrivenWorkflow] = &[\n");
    for (i, d) in driven.iter().enumerate() {
        let _ = writeln!(
            s,
            "    DrivenWorkflow {{ service: {:?}, method: {:?}, name: {:?}, start: start_{i} }},",
            d.service, d.method, d.name
        );
    }
    s.push_str("];\n");
    for (i, d) in driven.iter().enumerate() {
        let client = format!("{}::{}::{}", d.package_path, d.service_module, d.client);
        let call = match &d.input {
            Some(decode) => format!(
                "let input = {decode};\n        \
                 {client}::new(client).{}(input, StartOptions::new()).await",
                d.start
            ),
            None => format!(
                "{client}::new(client).{}(StartOptions::new()).await",
                d.start
            ),
        };
        let sample = if d.input.is_some() {
            "sample"
        } else {
            "_sample"
        };
        let _ = write!(
            s,
            "\nfn start_{i}(client: Client, {sample}: String) -> StartFuture {{\n    \
             Box::pin(async move {{\n        \
             let run = {{\n        {call}\n        }}?;\n        \
             Ok(Started {{ workflow_id: run.id().to_string(), run_id: run.run_id().map(str::to_string) }})\n    }})\n}}\n"
        );
    }
    s
}
