//! Our option schema (`proto/temporal/v1/temporal.proto`,
//! `proto/temporal/xns/v1/xns.proto`) against the Go generator's own
//! (the same paths under its module's `proto/`): both are compiled with
//! protoc into descriptor sets and every message, field, enum, enum value
//! and extension of `temporal.v1` and `temporal.xns.v1` (nested ones
//! included) is compared by what a proto written for the Go generator
//! relies on: names (options are written by name in `.proto` files), field
//! numbers, json names, types, labels, oneofs, proto3 `optional`, packing,
//! defaults, map entries, file syntax; enum value numbers; extension
//! numbers, extendees and types. A difference is held to
//! `divergences.toml` (class `schema`).
//!
//! Not compared, because they change neither the wire nor what an option
//! written in a `.proto` file means: file options such as `go_package` and
//! other language options, comments and source info, `deprecated` markers,
//! reserved ranges and names (they only forbid future numbers), file names
//! of the imports, and the order of declarations.
//!
//! The Temporal API types both schemas reference (`temporal.api.*`) are
//! compared by full name only: the Go module does not ship them (Go gets
//! them from buf.build/temporalio/api), so both sides compile them from our
//! vendored copy under `proto/temporal/api`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail, ensure};
use go_peer::peer;
use go_peer::ratchet::{self, Found};
use prost_reflect::{
    Cardinality, DescriptorPool, EnumDescriptor, ExtensionDescriptor, FieldDescriptor, Kind,
    MessageDescriptor,
};

/// The packages compared.
const PACKAGES: [&str; 2] = ["temporal.v1", "temporal.xns.v1"];

/// The schema files, relative to a proto root.
const FILES: [&str; 2] = ["temporal/v1/temporal.proto", "temporal/xns/v1/xns.proto"];

/// Our proto root.
fn our_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../proto")
}

/// Compiles [`FILES`] found under `includes` (first wins) into a pool.
fn compile(side: &str, includes: &[&Path]) -> Result<DescriptorPool> {
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("schema-{side}.pb"));
    let protoc = std::env::var_os("PROTOC").unwrap_or_else(|| "protoc".into());
    let mut cmd = Command::new(&protoc);
    for include in includes {
        cmd.arg("-I").arg(include);
    }
    cmd.arg("--include_imports").arg("-o").arg(&out).args(FILES);
    let output = cmd
        .output()
        .with_context(|| format!("running {}", protoc.to_string_lossy()))?;
    if !output.status.success() {
        bail!(
            "protoc on the {side} schema failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let bytes = std::fs::read(&out).with_context(|| format!("reading {}", out.display()))?;
    DescriptorPool::decode(bytes.as_slice()).with_context(|| format!("decoding the {side} set"))
}

/// What one side declares: case (see [`ratchet::Found::case`]) to its
/// signature; a difference in signature is a divergence.
#[derive(Default)]
struct Schema {
    items: BTreeMap<String, String>,
}

/// What kind of item a case is, for the tally.
fn kind_of(case: &str) -> &str {
    case.rsplit_once(' ')
        .map(|(head, _)| head.rsplit('.').next().unwrap_or(head))
        .unwrap_or(case)
}

impl Schema {
    fn insert(&mut self, case: String, signature: String) {
        let previous = self.items.insert(case.clone(), signature);
        assert!(previous.is_none(), "case `{case}` twice");
    }

    fn read(pool: &DescriptorPool) -> Self {
        let mut schema = Self::default();
        for file in pool.files() {
            if PACKAGES.contains(&file.package_name()) {
                schema.insert(
                    format!("file {}", file.name()),
                    format!("package {} syntax {:?}", file.package_name(), file.syntax()),
                );
            }
        }
        for message in pool.all_messages() {
            if PACKAGES.contains(&message.package_name()) {
                schema.message(&message);
            }
        }
        for e in pool.all_enums() {
            if PACKAGES.contains(&e.package_name()) {
                schema.enumeration(&e);
            }
        }
        for ext in pool.all_extensions() {
            if PACKAGES.contains(&ext.package_name()) {
                schema.extension(&ext);
            }
        }
        schema
    }

    /// The scope a declaration's case starts with: its parent message or
    /// its package.
    fn scope(parent: Option<MessageDescriptor>, package: &str) -> String {
        parent.map_or_else(|| package.to_string(), |m| m.full_name().to_string())
    }

    fn message(&mut self, message: &MessageDescriptor) {
        let scope = Self::scope(message.parent_message(), message.package_name());
        // A map entry is a map's key and value, not a message of its own:
        // the flag changes what the field that uses it means.
        let signature = if message.is_map_entry() {
            "message (map entry)"
        } else {
            "message"
        };
        self.insert(
            format!("{scope}.message {}", message.name()),
            signature.into(),
        );
        for field in message.fields() {
            self.insert(
                format!("{}.field {}", message.full_name(), field.name()),
                field_signature(&field),
            );
        }
    }

    fn enumeration(&mut self, e: &EnumDescriptor) {
        let scope = Self::scope(e.parent_message(), e.package_name());
        self.insert(format!("{scope}.enum {}", e.name()), "enum".into());
        for value in e.values() {
            self.insert(
                format!("{}.value {}", e.full_name(), value.name()),
                format!("= {}", value.number()),
            );
        }
    }

    fn extension(&mut self, ext: &ExtensionDescriptor) {
        let scope = Self::scope(ext.parent_message(), ext.package_name());
        let proto = ext.field_descriptor_proto();
        self.insert(
            format!("{scope}.extension {}", ext.name()),
            format!(
                "#{} extends .{} {} {}{}",
                ext.number(),
                ext.containing_message().full_name(),
                label(ext.cardinality()),
                type_name(&ext.kind(), ext.is_group()),
                if ext.is_packed() { " packed" } else { "" },
            ) + &proto
                .default_value
                .as_ref()
                .map(|d| format!(" default={d:?}"))
                .unwrap_or_default(),
        );
    }
}

fn label(cardinality: Cardinality) -> &'static str {
    match cardinality {
        Cardinality::Optional => "optional",
        Cardinality::Required => "required",
        Cardinality::Repeated => "repeated",
    }
}

fn type_name(kind: &Kind, group: bool) -> String {
    let name = match kind {
        Kind::Message(m) => format!(".{}", m.full_name()),
        Kind::Enum(e) => format!(".{}", e.full_name()),
        scalar => format!("{scalar:?}").to_lowercase(),
    };
    if group { format!("group {name}") } else { name }
}

/// Everything about a field that a Go-written proto relies on.
fn field_signature(field: &FieldDescriptor) -> String {
    let proto = field.field_descriptor_proto();
    let mut s = format!(
        "#{} json={} {} {}",
        field.number(),
        field.json_name(),
        label(field.cardinality()),
        type_name(&field.kind(), field.is_group()),
    );
    if let Some(oneof) = field.containing_oneof().filter(|o| !o.is_synthetic()) {
        s += &format!(" oneof={}", oneof.name());
    }
    if proto.proto3_optional() {
        s += " proto3_optional";
    }
    if field.is_packed() {
        s += " packed";
    }
    if let Some(default) = &proto.default_value {
        s += &format!(" default={default:?}");
    }
    s
}

#[test]
fn our_schema_matches_the_go_generator_schema() -> Result<()> {
    let go_root = peer::go_generator_dir()?.join("proto");
    let ours_root = our_root();
    // The Go module's root first, so its temporal.v1 and xns.v1 files win;
    // ours after it only for the Temporal API imports.
    let go_pool = compile("go", &[&go_root, &ours_root])?;
    // The Go side really is the Go module's schema, not ours found twice.
    for file in FILES {
        let go_package = go_pool
            .get_file_by_name(file)
            .and_then(|f| f.file_descriptor_proto().options.clone())
            .map(|o| o.go_package().to_string())
            .unwrap_or_default();
        ensure!(
            go_package.starts_with("github.com/cludden/protoc-gen-go-temporal/"),
            "{file} on the Go side has go_package `{go_package}`: not the Go module's"
        );
    }
    let go = Schema::read(&go_pool);
    let ours = Schema::read(&compile("ours", &[&ours_root])?);

    let mut found = Vec::new();
    // Per kind: in both (same or not), Go only, ours only.
    let mut tally: BTreeMap<String, [usize; 3]> = BTreeMap::new();
    for (case, go_sig) in &go.items {
        let entry = tally.entry(kind_of(case).to_string()).or_default();
        match ours.items.get(case) {
            Some(our_sig) => {
                entry[0] += 1;
                if our_sig != go_sig {
                    found.push(Found::new(case, format!("Go: {go_sig}; ours: {our_sig}")));
                }
            }
            None => {
                entry[1] += 1;
                found.push(Found::new(case, format!("Go only: {go_sig}")));
            }
        }
    }
    for (case, our_sig) in &ours.items {
        if !go.items.contains_key(case) {
            tally.entry(kind_of(case).to_string()).or_default()[2] += 1;
            found.push(Found::new(case, format!("ours only: {our_sig}")));
        }
    }

    eprintln!("kind: compared / Go only / ours only");
    for (kind, [both, go_only, ours_only]) in &tally {
        eprintln!("  {kind}: {both} / {go_only} / {ours_only}");
    }
    for f in &found {
        eprintln!("{}: {}", f.case, f.detail);
    }

    // Not vacuous: the schemas were read and mostly pair up.
    let compared = |kind: &str| tally.get(kind).map_or(0, |t| t[0]);
    ensure!(
        compared("field") > 100,
        "only {} fields compared",
        compared("field")
    );
    ensure!(compared("message") > 20, "too few messages compared");
    ensure!(compared("enum") >= 5, "too few enums compared");
    ensure!(compared("value") > 20, "too few enum values compared");
    ensure!(compared("extension") >= 8, "too few extensions compared");
    ensure!(compared("file") == 2, "both schema files compared");
    for case in [
        "temporal.v1.extension workflow",
        "temporal.v1.WorkflowOptions.field id",
        "temporal.xns.v1.StartWorkflowOptions.field retry_policy",
    ] {
        ensure!(
            go.items.contains_key(case) && ours.items.contains_key(case),
            "expected `{case}` on both sides"
        );
    }

    ratchet::check("schema", &found)
}
