//! A structure-aware generator of proto files that protoc accepts: one to
//! three files in one or more packages (or none), messages with nested
//! types, oneofs, maps, optional and repeated fields and well-known types,
//! services whose methods take every Temporal kind, handler references
//! within and across services and packages, ID expressions over the input's
//! fields, option values at their edges, and comments written to trip
//! rustdoc. Names come from plain words and from [`crate::dict`], so
//! clashes are frequent by design.

mod options;
mod text;

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::rng::Rng;
use options::HandlerRef;
use text::{comment, comment_lines, ident};

/// Generated protos: `(file name, source)`, dependencies first.
#[derive(Debug, Clone)]
pub struct Protos {
    pub files: Vec<(String, String)>,
}

/// What an ID expression may read from a message.
#[derive(Debug, Clone)]
struct Readable {
    /// JSON path, e.g. `outer.innerName` or `items.0.name`.
    path: String,
    /// String-valued (else it needs `.string()`).
    string: bool,
}

#[derive(Debug, Clone)]
struct Message {
    /// Fully qualified, with a leading dot.
    full: String,
    readable: Vec<Readable>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Workflow,
    Activity,
    Query,
    Signal,
    Update,
    WorkflowActivity,
    SignalActivity,
    UpdateActivity,
    Plain,
    /// A combination the schema forbids (query + signal).
    Invalid,
}

struct Method {
    name: String,
    kind: Kind,
    input: String,
    output: String,
    input_readable: Vec<Readable>,
}

/// Everything declared so far, visible to later declarations.
#[derive(Default)]
struct Scope {
    messages: Vec<Message>,
    enums: Vec<String>,
    /// Handlers of earlier services: kind and `pkg.Service.Method`.
    handlers: Vec<(&'static str, String)>,
    /// Name keys taken per package (protoc needs unique full names; prost
    /// needs them unique once cased).
    taken: HashSet<(String, String)>,
}

const WKTS: &[(&str, &str)] = &[
    ("google/protobuf/empty.proto", ".google.protobuf.Empty"),
    (
        "google/protobuf/timestamp.proto",
        ".google.protobuf.Timestamp",
    ),
    (
        "google/protobuf/duration.proto",
        ".google.protobuf.Duration",
    ),
    (
        "google/protobuf/wrappers.proto",
        ".google.protobuf.StringValue",
    ),
    ("google/protobuf/struct.proto", ".google.protobuf.Struct"),
    ("google/protobuf/any.proto", ".google.protobuf.Any"),
];

/// Generates the protos for one input.
pub fn generate(rng: &mut Rng) -> Protos {
    let hostile = rng.chance(30);
    rng.set_hostile(hostile);
    let mut scope = Scope::default();
    let file_count = rng.range(1, 3);
    let packages = packages(rng, file_count);
    let mut files = Vec::new();
    for (i, package) in packages.iter().enumerate() {
        let dir = if package.is_empty() {
            String::new()
        } else {
            package.replace('.', "/") + "/"
        };
        let name = format!("{dir}f{i}.proto");
        let imports: Vec<String> = files
            .iter()
            .map(|(n, _): &(String, String)| n.clone())
            .collect();
        let source = file(rng, &mut scope, package, &imports, i == 0);
        files.push((name, source));
    }
    Protos { files }
}

fn packages(rng: &mut Rng, n: usize) -> Vec<String> {
    const PACKAGES: &[&str] = &[
        "acme.v1",
        "acme.v1",
        "shop.orders.v2",
        "type.v1",
        "Upper.Case.V1",
        "a",
        "r#x.v1",
        "",
        "async.self.v1",
        "foo_bar.v1",
        "fooBar.v1",
    ];
    (0..n)
        .map(|_| rng.pick(PACKAGES).to_string())
        .map(|p| {
            if p.contains('#') {
                "raw.v1".to_string()
            } else {
                p
            }
        })
        .collect()
}

fn key(name: &str) -> String {
    name.replace('_', "").to_ascii_lowercase()
}

/// A name not yet taken in `space` (compared without case or underscores).
fn fresh(rng: &mut Rng, scope: &mut Scope, space: &str, upper: bool) -> String {
    for attempt in 0.. {
        let mut name = ident(rng, upper);
        if attempt > 3 {
            name = format!("{name}{attempt}");
        }
        if scope.taken.insert((space.to_string(), key(&name))) {
            return name;
        }
    }
    unreachable!()
}

fn file(
    rng: &mut Rng,
    scope: &mut Scope,
    package: &str,
    imports: &[String],
    first: bool,
) -> String {
    let mut out = String::new();
    if rng.chance(5) {
        out += "// File comment, detached.\n\n";
    }
    out += "syntax = \"proto3\";\n\n";
    if !package.is_empty() {
        if let Some(c) = comment(rng) {
            out += &comment_lines(&c, "");
        }
        let _ = writeln!(out, "package {package};\n");
    }
    out += "import \"temporal/v1/temporal.proto\";\n";
    for (wkt, _) in WKTS {
        let _ = writeln!(out, "import \"{wkt}\";");
    }
    for import in imports {
        let _ = writeln!(out, "import \"{import}\";");
    }
    out += "\n";
    let prefix = if package.is_empty() {
        String::new()
    } else {
        format!(".{package}")
    };

    for _ in 0..rng.range(0, 1) {
        out += &enumeration(rng, scope, package, &prefix, "");
    }
    for _ in 0..rng.range(1, 4) {
        out += &message(rng, scope, package, &prefix, "", 0);
    }
    let services = if first {
        rng.range(1, 2)
    } else {
        rng.range(0, 2)
    };
    for _ in 0..services {
        out += &service(rng, scope, package, &prefix);
    }
    out
}

fn enumeration(
    rng: &mut Rng,
    scope: &mut Scope,
    space: &str,
    prefix: &str,
    indent: &str,
) -> String {
    let name = fresh(rng, scope, space, true);
    let upper = name.to_ascii_uppercase();
    let mut out = String::new();
    if let Some(c) = comment(rng) {
        out += &comment_lines(&c, indent);
    }
    let _ = writeln!(out, "{indent}enum {name} {{");
    let _ = writeln!(out, "{indent}  {upper}_UNSPECIFIED = 0;");
    for (i, v) in ["ONE", "TWO", "THREE"]
        .iter()
        .take(rng.range(0, 3))
        .enumerate()
    {
        let _ = writeln!(out, "{indent}  {upper}_{v} = {};", i + 1);
    }
    let _ = writeln!(out, "{indent}}}\n");
    scope.enums.push(format!("{prefix}.{name}"));
    out
}

fn json_name(field: &str) -> String {
    let mut out = String::new();
    let mut upper = false;
    for c in field.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

fn message(
    rng: &mut Rng,
    scope: &mut Scope,
    space: &str,
    prefix: &str,
    indent: &str,
    depth: usize,
) -> String {
    let name = fresh(rng, scope, space, true);
    let full = format!("{prefix}.{name}");
    let inner_space = format!("{space}/{name}");
    let mut out = String::new();
    if let Some(c) = comment(rng) {
        out += &comment_lines(&c, indent);
    }
    let _ = writeln!(out, "{indent}message {name} {{");
    let inner = format!("{indent}  ");
    if depth < 2 && rng.chance(20) {
        out += &message(rng, scope, &inner_space, &full, &inner, depth + 1);
    }
    if depth < 2 && rng.chance(10) {
        out += &enumeration(rng, scope, &inner_space, &full, &inner);
    }
    let mut readable = Vec::new();
    let mut fields = HashSet::new();
    let mut number = 1;
    let mut field_name = |rng: &mut Rng, scope: &mut Scope| loop {
        let f = ident(rng, false);
        let f = if rng.chance(50) {
            f.to_ascii_lowercase()
        } else {
            f
        };
        // prost-build cannot name a field `_` (it writes `pub : T`).
        if f == "_" {
            continue;
        }
        // Unique by JSON name and distinct from the nested types (prost
        // puts oneof enums beside them).
        if fields.insert(key(&f)) && !scope.taken.contains(&(inner_space.clone(), key(&f))) {
            return f;
        }
    };
    for _ in 0..rng.range(0, 6) {
        let fname = field_name(rng, scope);
        let json = json_name(&fname);
        if let Some(c) = comment(rng).filter(|_| rng.chance(30)) {
            out += &comment_lines(&c, &inner);
        }
        let (ty, string) = field_type(rng, scope);
        let label = match rng.below(10) {
            0 | 1 => "repeated ",
            2 if !ty.starts_with('.') => "optional ",
            _ => "",
        };
        let _ = writeln!(out, "{inner}{label}{ty} {fname} = {number};");
        if label.is_empty() || label == "optional " {
            if let Some(nested) = scope.messages.iter().find(|m| m.full == ty) {
                for r in nested.readable.iter().take(2) {
                    readable.push(Readable {
                        path: format!("{json}.{}", r.path),
                        string: r.string,
                    });
                }
            } else if !ty.starts_with('.') || scope.enums.contains(&ty) {
                readable.push(Readable { path: json, string });
            }
        } else if label == "repeated " && ty == "string" {
            readable.push(Readable {
                path: format!("{json}.0"),
                string: true,
            });
        }
        number += if rng.chance(5) { 1000 } else { 1 };
    }
    if rng.chance(25) {
        let oneof = field_name(rng, scope);
        let _ = writeln!(out, "{inner}oneof {oneof} {{");
        for _ in 0..rng.range(1, 3) {
            let fname = field_name(rng, scope);
            let (ty, string) = field_type(rng, scope);
            let _ = writeln!(out, "{inner}  {ty} {fname} = {number};");
            if !ty.starts_with('.') {
                readable.push(Readable {
                    path: json_name(&fname),
                    string,
                });
            }
            number += 1;
        }
        let _ = writeln!(out, "{inner}}}");
    }
    if rng.chance(15) {
        let fname = field_name(rng, scope);
        let value = if rng.chance(50) {
            "int32".to_string()
        } else {
            message_ref(rng, scope).unwrap_or("string".into())
        };
        let key_ty = rng.pick(&["string", "int64", "bool"]);
        let _ = writeln!(out, "{inner}map<{key_ty}, {value}> {fname} = {number};");
    }
    let _ = writeln!(out, "{indent}}}\n");
    scope.messages.push(Message { full, readable });
    out
}

fn message_ref(rng: &mut Rng, scope: &Scope) -> Option<String> {
    (!scope.messages.is_empty()).then(|| rng.pick(&scope.messages).full.clone())
}

/// A field type and whether an ID expression reads it as a string.
fn field_type(rng: &mut Rng, scope: &Scope) -> (String, bool) {
    match rng.below(14) {
        0..=4 => ("string".into(), true),
        5 => ("int32".into(), false),
        6 => ("int64".into(), true),
        7 => ("bool".into(), false),
        8 => ("double".into(), false),
        9 => ("bytes".into(), true),
        10 if !scope.enums.is_empty() => (rng.pick(&scope.enums).clone(), true),
        11 => (rng.pick(&WKTS[1..]).1.to_string(), false),
        _ => match message_ref(rng, scope) {
            Some(m) => (m, false),
            None => ("uint64".into(), true),
        },
    }
}

/// A template over the input's fields, or one from the dictionary.
fn id_template(rng: &mut Rng, readable: &[Readable]) -> String {
    if rng.bad(30) {
        return rng.pick(crate::dict::TEMPLATES).to_string();
    }
    let mut out = rng
        .pick(&["", "prefix/", "a-", "\\${! literal }/"])
        .to_string();
    for i in 0..rng.range(1, 2) {
        if i > 0 {
            out.push('/');
        }
        let query = if readable.is_empty() || rng.chance(15) {
            rng.pick(&["uuid_v4()", "nanoid()", "ksuid()", "now()"])
                .to_string()
        } else {
            let r = rng.pick(readable);
            let mut q = r.path.clone();
            if !r.string || rng.chance(10) {
                q += ".string()";
            }
            for _ in 0..rng.range(0, 2) {
                q += *rng.pick(&[
                    ".slug()",
                    ".uppercase()",
                    ".lowercase()",
                    ".capitalize()",
                    ".or(\"none\")",
                    ".not_empty()",
                    ".catch(\"bad\")",
                ]);
            }
            q
        };
        let _ = write!(out, "${{! {query} }}");
    }
    out
}

fn service(rng: &mut Rng, scope: &mut Scope, package: &str, prefix: &str) -> String {
    let name = fresh(rng, scope, package, true);
    let full_name = prefix.trim_start_matches('.').to_string()
        + if prefix.is_empty() { "" } else { "." }
        + &name;
    let mut methods = Vec::new();
    let mut method_names = HashSet::new();
    for _ in 0..rng.range(1, 6) {
        let mname = loop {
            let m = ident(rng, true);
            if method_names.insert(m.clone()) {
                break m;
            }
        };
        let kind = *rng.pick(&[
            Kind::Workflow,
            Kind::Workflow,
            Kind::Workflow,
            Kind::Activity,
            Kind::Activity,
            Kind::Query,
            Kind::Signal,
            Kind::Update,
            Kind::WorkflowActivity,
            Kind::SignalActivity,
            Kind::UpdateActivity,
            Kind::Plain,
            Kind::Invalid,
        ]);
        let kind = if kind == Kind::Invalid && !rng.bad(50) {
            Kind::Workflow
        } else {
            kind
        };
        let payload = |rng: &mut Rng, scope: &Scope| -> (String, Vec<Readable>) {
            if rng.chance(20) || scope.messages.is_empty() {
                (".google.protobuf.Empty".into(), Vec::new())
            } else if rng.bad(5) {
                (".google.protobuf.StringValue".into(), Vec::new())
            } else {
                let m = rng.pick(&scope.messages).clone();
                (m.full, m.readable)
            }
        };
        let (input, input_readable) = payload(rng, scope);
        let (mut output, _) = payload(rng, scope);
        match kind {
            Kind::Signal | Kind::SignalActivity if !rng.bad(10) => {
                output = ".google.protobuf.Empty".into()
            }
            Kind::Query if output == ".google.protobuf.Empty" && !rng.bad(10) => {
                output = scope
                    .messages
                    .first()
                    .map(|m| m.full.clone())
                    .unwrap_or(output)
            }
            _ => {}
        }
        methods.push(Method {
            name: mname,
            kind,
            input,
            output,
            input_readable,
        });
    }
    // Handlers this service's workflows may reference: its own, then
    // earlier services' by full name.
    let mut handlers: Vec<(&'static str, String)> = Vec::new();
    for m in &methods {
        let kind = match m.kind {
            Kind::Query => "query",
            Kind::Signal | Kind::SignalActivity => "signal",
            Kind::Update | Kind::UpdateActivity => "update",
            _ => continue,
        };
        handlers.push((kind, m.name.clone()));
    }

    let mut out = String::new();
    if let Some(c) = comment(rng) {
        out += &comment_lines(&c, "");
    }
    let _ = writeln!(out, "service {name} {{");
    if rng.chance(60) {
        let _ = writeln!(
            out,
            "  option (temporal.v1.service) = {};",
            options::service(rng)
        );
    }
    for m in &methods {
        if let Some(c) = comment(rng) {
            out += &comment_lines(&c, "  ");
        }
        let _ = writeln!(
            out,
            "  rpc {}({}) returns ({}) {{",
            m.name, m.input, m.output
        );
        let workflow = |rng: &mut Rng| {
            let mut refs = Vec::new();
            for (kind, reference) in handlers.iter().chain(scope.handlers.iter()) {
                if rng.chance(45) {
                    refs.push(HandlerRef {
                        kind,
                        reference: reference.clone(),
                    });
                }
            }
            if rng.bad(5) {
                refs.push(HandlerRef {
                    kind: "query",
                    reference: "Missing".into(),
                });
            }
            let id = rng.chance(60).then(|| id_template(rng, &m.input_readable));
            format!(
                "    option (temporal.v1.workflow) = {};\n",
                options::workflow(rng, id, &refs)
            )
        };
        let activity = |rng: &mut Rng| {
            format!(
                "    option (temporal.v1.activity) = {};\n",
                options::activity(rng)
            )
        };
        let body = match m.kind {
            Kind::Workflow => workflow(rng),
            Kind::Activity => activity(rng),
            Kind::Query => format!(
                "    option (temporal.v1.query) = {};\n",
                options::handler(rng)
            ),
            Kind::Signal => format!(
                "    option (temporal.v1.signal) = {};\n",
                options::handler(rng)
            ),
            Kind::Update => {
                let id = rng.chance(30).then(|| id_template(rng, &m.input_readable));
                format!(
                    "    option (temporal.v1.update) = {};\n",
                    options::update(rng, id)
                )
            }
            Kind::WorkflowActivity => workflow(rng) + &activity(rng),
            Kind::SignalActivity => {
                format!(
                    "    option (temporal.v1.signal) = {};\n",
                    options::handler(rng)
                ) + &activity(rng)
            }
            Kind::UpdateActivity => {
                format!(
                    "    option (temporal.v1.update) = {};\n",
                    options::update(rng, None)
                ) + &activity(rng)
            }
            Kind::Plain => String::new(),
            Kind::Invalid => format!(
                "    option (temporal.v1.query) = {{}};\n    option (temporal.v1.signal) = {};\n",
                options::handler(rng)
            ),
        };
        out += &body;
        out += "  }\n";
    }
    out += "}\n\n";
    for (kind, method) in handlers {
        scope.handlers.push((kind, format!("{full_name}.{method}")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_is_deterministic() {
        let a = generate(&mut Rng::for_input(9, 9));
        let b = generate(&mut Rng::for_input(9, 9));
        assert_eq!(a.files, b.files);
    }

    #[test]
    fn json_names_follow_protoc() {
        assert_eq!(json_name("foo_bar"), "fooBar");
        assert_eq!(json_name("foo"), "foo");
        assert_eq!(json_name("Foo_bar_baz"), "FooBarBaz");
    }
}
