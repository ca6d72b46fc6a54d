//! ID expressions against the Go generator's expression package
//! (`pkg/expression` of protoc-gen-go-temporal v1.24.0, run by `peer expr`).
//!
//! Two sources of expressions, measured together and held to the
//! `expression` class of `divergences.toml` by one ratchet check:
//!
//! - our test vectors (`crates/protoc-gen-rust-temporal/src/expr/vectors.rs`):
//!   Go must give the ID we expect, fail at evaluation where we expect an
//!   evaluation error, and fail to parse where we expect a compile error;
//! - every `id:` of a `temporal.v1.workflow` / `temporal.v1.update` option
//!   in the Go generator's own protos (its `examples/` and `test/`
//!   directories), which stand in for its expression tests (Go code, not
//!   data): each must parse in Go and compile with our generator against its
//!   rpc's input message.
//!
//! A case is a vector's template (with its input when templates repeat) or
//! a corpus expression.

#[allow(dead_code)]
#[path = "../../../crates/protoc-gen-rust-temporal/src/expr/vectors.rs"]
mod vectors;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use go_peer::peer;
use go_peer::ratchet::{self, Found};
use prost_reflect::{DescriptorPool, MessageDescriptor, Value};
use serde::Deserialize;
use vectors::{Expect, VECTORS, Vector};

/// The input message of every vector.
const VECTOR_MESSAGE: &str = "test.expr.v1.ExprInput";

/// Its committed descriptor set.
fn vector_descriptor_set() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../crates/protoc-gen-rust-temporal/tests/protos/expr/expr_test.binpb");
    path.canonicalize()
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

// ---------------------------------------------------------------- the peer

/// One request line of `peer expr`.
struct Request<'a> {
    template: &'a str,
    descriptor_set: &'a Path,
    message: &'a str,
    /// protojson
    input: &'a str,
}

/// One answer line of `peer expr`.
#[derive(Debug, Clone, Deserialize)]
struct Answer {
    id: Option<String>,
    error: Option<String>,
    stage: Option<String>,
}

/// What Go did with one expression.
#[derive(Debug, Clone, PartialEq, Eq)]
enum GoOutcome {
    Id(String),
    /// `expression.ParseExpression` failed.
    Parse(String),
    /// `expression.EvalExpression` failed.
    Eval(String),
    /// The Go side panicked on the line.
    Panic(String),
}

impl std::fmt::Display for GoOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Id(id) => write!(f, "ID {id:?}"),
            Self::Parse(e) => write!(f, "parse error: {e}"),
            Self::Eval(e) => write!(f, "eval error: {e}"),
            Self::Panic(e) => write!(f, "panic: {e}"),
        }
    }
}

/// Runs every request through one `peer expr`; the outcomes in order.
fn go_outcomes(requests: &[Request<'_>]) -> Result<Vec<GoOutcome>> {
    let mut stdin = String::new();
    for r in requests {
        let input: serde_json::Value = serde_json::from_str(r.input)
            .with_context(|| format!("input of {:?} is not JSON", r.template))?;
        let line = serde_json::json!({
            "template": r.template,
            "descriptor_set": r.descriptor_set,
            "message": r.message,
            "input": input,
        });
        stdin.push_str(&line.to_string());
        stdin.push('\n');
    }
    let stdout = peer::run(&["expr"], stdin.as_bytes())?;
    let answers: Vec<Answer> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).with_context(|| format!("peer expr wrote {l:?}")))
        .collect::<Result<_>>()?;
    if answers.len() != requests.len() {
        bail!(
            "peer expr answered {} of {} lines",
            answers.len(),
            requests.len()
        );
    }
    requests
        .iter()
        .zip(answers)
        .map(|(r, a)| {
            let error = a.error.unwrap_or_default();
            Ok(match (a.id, a.stage.as_deref()) {
                (Some(id), None) => GoOutcome::Id(id),
                (None, Some("parse")) => GoOutcome::Parse(error),
                (None, Some("eval")) => GoOutcome::Eval(error),
                (None, Some("panic")) => GoOutcome::Panic(error),
                // A bad request is a bug of this harness, not a divergence.
                (None, Some("input")) => bail!(
                    "peer expr rejected the input of {:?} ({}): {error}",
                    r.template,
                    r.input
                ),
                (id, stage) => bail!("peer expr answered id {id:?}, stage {stage:?}: {error}"),
            })
        })
        .collect()
}

// ---------------------------------------------------------------- vectors

/// `peer expr` requests for vectors (inputs of [`VECTOR_MESSAGE`]).
fn vector_requests<'a>(vectors: &'a [Vector], descriptor_set: &'a Path) -> Vec<Request<'a>> {
    vectors
        .iter()
        .map(|v| Request {
            template: v.template,
            descriptor_set,
            message: VECTOR_MESSAGE,
            input: v.input_json,
        })
        .collect()
}

/// The differences between our vectors and Go.
fn vector_divergences() -> Result<Vec<Found>> {
    let descriptor_set = vector_descriptor_set();
    let requests = vector_requests(VECTORS, &descriptor_set);
    let outcomes = go_outcomes(&requests)?;
    let mut per_template: BTreeMap<&str, usize> = BTreeMap::new();
    for v in VECTORS {
        *per_template.entry(v.template).or_default() += 1;
    }
    let mut found = Vec::new();
    for (v, go) in VECTORS.iter().zip(outcomes) {
        if let Some(difference) = vector_difference(v, &go) {
            let case = if per_template[v.template] > 1 {
                format!("{} on {}", v.template, v.input_json)
            } else {
                v.template.to_owned()
            };
            found.push(Found::new(case, difference));
        }
    }
    Ok(found)
}

/// How Go's outcome differs from the vector's expectation, if it does.
fn vector_difference(v: &Vector, go: &GoOutcome) -> Option<String> {
    let agrees = match (&v.expect, go) {
        (Expect::Id(want), GoOutcome::Id(got)) => same_id(v.template, want, got),
        (Expect::EvalError(_), GoOutcome::Eval(_)) => true,
        (Expect::CompileError(_), GoOutcome::Parse(_)) => true,
        _ => false,
    };
    if agrees {
        return None;
    }
    let ours = match v.expect {
        Expect::Id(id) => format!("ID {id:?}"),
        Expect::EvalError(errors) => format!("eval error containing {errors:?}"),
        Expect::CompileError(error) => format!("compile error containing {error:?}"),
    };
    Some(format!("ours: {ours}; Go: {go}"))
}

// ------------------------------------------------- IDs of random functions

/// The functions whose results differ on every call (`now()` included):
/// our vectors run them in a seeded environment, so Go cannot give the same
/// characters, only the same shape.
const ENV_FUNCTIONS: &[&str] = &["uuid_v4()", "nanoid()", "ksuid()", "now()"];

/// Whether Go's ID `got` equals our `want` for `template`: exactly, or, when
/// the template calls a random function, by shape (see [`Shape`]).
fn same_id(template: &str, want: &str, got: &str) -> bool {
    if !ENV_FUNCTIONS.iter().any(|f| template.contains(f)) {
        return want == got;
    }
    let pattern = shape_pattern(template);
    // Our ID fixes what the deterministic fragments give; Go's must give the
    // same there and a value of the right shape in each random fragment.
    match match_pattern(&pattern, want, None) {
        Some(fixed) => match_pattern(&pattern, got, Some(&fixed)).is_some(),
        None => false,
    }
}

/// A piece of an ID, by the template fragment that gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Shape {
    /// Literal template text (escapes removed).
    Text(String),
    /// A fragment that is exactly one random function call: `uuid_v4()` is
    /// a lowercase hyphenated UUID of version 4 and variant 10xx; `nanoid()`
    /// is 21 characters of `[A-Za-z0-9_-]`; `ksuid()` is 27 characters of
    /// `[0-9A-Za-z]`; `now()` is an RFC 3339 timestamp with optional
    /// fraction (Go's `time.RFC3339Nano`, in any zone).
    Random(&'static str),
    /// A fragment that uses a random function inside a larger query (such
    /// as `name.or(uuid_v4())`): any text, its value not compared.
    AnyRandom,
    /// A deterministic fragment: whatever our ID has there, Go's must have.
    Fixed,
}

/// The shapes of a template's fragments, lexed like the Go generator's
/// lexer: `\` escapes the next character, `${!` opens a query (unless
/// escaped), braces nest inside it, and a `}` at depth zero closes it.
fn shape_pattern(template: &str) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let mut text = String::new();
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(next) = chars.next() {
                text.push(next);
            }
            continue;
        }
        if c == '$' && template_rest_starts(&chars, "{!") {
            chars.next();
            chars.next();
            if !text.is_empty() {
                shapes.push(Shape::Text(std::mem::take(&mut text)));
            }
            let mut query = String::new();
            let mut depth = 0usize;
            for q in chars.by_ref() {
                match q {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    _ => {}
                }
                query.push(q);
            }
            let query = query.trim();
            shapes.push(match ENV_FUNCTIONS.iter().find(|f| **f == query) {
                Some(&f) => Shape::Random(f),
                None if ENV_FUNCTIONS.iter().any(|f| query.contains(f)) => Shape::AnyRandom,
                None => Shape::Fixed,
            });
            continue;
        }
        text.push(c);
    }
    if !text.is_empty() {
        shapes.push(Shape::Text(text));
    }
    shapes
}

fn template_rest_starts(chars: &std::iter::Peekable<std::str::Chars<'_>>, prefix: &str) -> bool {
    chars.clone().take(prefix.len()).eq(prefix.chars())
}

/// Matches `id` against `pattern`; returns what each [`Shape::Fixed`]
/// fragment matched. With `fixed`, those fragments must match exactly those
/// strings.
fn match_pattern(pattern: &[Shape], id: &str, fixed: Option<&[String]>) -> Option<Vec<String>> {
    let Some((first, rest)) = pattern.split_first() else {
        return id.is_empty().then(Vec::new);
    };
    match first {
        Shape::Text(t) => match_pattern(rest, id.strip_prefix(t.as_str())?, fixed),
        Shape::Random(f) => (0..=id.len())
            .filter(|&n| id.is_char_boundary(n) && random_shape(f, &id[..n]))
            .find_map(|n| match_pattern(rest, &id[n..], fixed)),
        Shape::AnyRandom => (0..=id.len())
            .filter(|&n| id.is_char_boundary(n))
            .find_map(|n| match_pattern(rest, &id[n..], fixed)),
        Shape::Fixed => {
            if let Some(fixed) = fixed {
                let (want, others) = fixed.split_first()?;
                let mut tail = match_pattern(rest, id.strip_prefix(want.as_str())?, Some(others))?;
                tail.insert(0, want.clone());
                return Some(tail);
            }
            (0..=id.len())
                .filter(|&n| id.is_char_boundary(n))
                .find_map(|n| {
                    let mut tail = match_pattern(rest, &id[n..], None)?;
                    tail.insert(0, id[..n].to_owned());
                    Some(tail)
                })
        }
    }
}

/// Whether `s` has the shape of `function`'s result (see [`Shape::Random`]).
fn random_shape(function: &str, s: &str) -> bool {
    let b = s.as_bytes();
    match function {
        "uuid_v4()" => {
            b.len() == 36
                && b.iter().enumerate().all(|(i, c)| match i {
                    8 | 13 | 18 | 23 => *c == b'-',
                    _ => c.is_ascii_digit() || (b'a'..=b'f').contains(c),
                })
                && b[14] == b'4'
                && matches!(b[19], b'8' | b'9' | b'a' | b'b')
        }
        "nanoid()" => {
            b.len() == 21
                && b.iter()
                    .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
        }
        "ksuid()" => b.len() == 27 && b.iter().all(u8::is_ascii_alphanumeric),
        "now()" => is_rfc3339(b),
        _ => false,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
fn is_rfc3339(b: &[u8]) -> bool {
    const DATE_TIME: &[u8] = b"dddd-dd-ddTdd:dd:dd";
    if b.len() < DATE_TIME.len() + 1 {
        return false;
    }
    let (head, mut rest) = b.split_at(DATE_TIME.len());
    let digits_ok = head.iter().zip(DATE_TIME).all(|(c, p)| match p {
        b'd' => c.is_ascii_digit(),
        _ => c == p,
    });
    if !digits_ok {
        return false;
    }
    if let Some(fraction) = rest.strip_prefix(b".") {
        let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if !(1..=9).contains(&n) {
            return false;
        }
        rest = &fraction[n..];
    }
    match rest {
        b"Z" => true,
        [sign, h1, h2, b':', m1, m2] => {
            matches!(sign, b'+' | b'-') && [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

// ---------------------------------------------------------------- corpus

/// One ID expression of the Go generator's protos.
#[derive(Debug, Clone)]
struct CorpusExpr {
    /// `file.proto: Service.Method (workflow|update)`.
    place: String,
    expression: String,
    input: MessageDescriptor,
}

/// Every `id:` of a workflow or update option in the Go generator's
/// `examples/` and `test/` protos, with the input message of its rpc.
///
/// The expressions are scanned from the .proto text; the input messages
/// come from the descriptors of those protos as compiled into the Go
/// generator's generated packages (`peer expr -descriptor-set-out`). The
/// two must agree, so neither misses an expression.
fn corpus_expressions() -> Result<(Vec<CorpusExpr>, TempFile)> {
    let go_dir = peer::go_generator_dir()?;
    let mut protos = Vec::new();
    for top in ["examples", "test"] {
        proto_files(&go_dir.join(top), &mut protos)?;
    }
    protos.sort();
    if protos.is_empty() {
        bail!("no protos under {}", go_dir.display());
    }
    // (proto path relative to the module, expression), from the text.
    let mut scanned: Vec<(String, String)> = Vec::new();
    for path in &protos {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let rel = path
            .strip_prefix(&go_dir)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned();
        for expression in scan_ids(&text) {
            scanned.push((rel.clone(), expression));
        }
    }

    let descriptor_set = TempFile(corpus_descriptor_set_path());
    if let Some(dir) = descriptor_set.0.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let out = descriptor_set.0.to_string_lossy().into_owned();
    peer::run(&["expr", "-descriptor-set-out", &out], b"")?;
    let bytes = std::fs::read(&descriptor_set.0).with_context(|| format!("reading {out}"))?;
    let pool = DescriptorPool::decode(bytes.as_slice()).context("the corpus descriptor set")?;

    let mut found = Vec::new();
    for (option, kind) in [
        ("temporal.v1.workflow", "workflow"),
        ("temporal.v1.update", "update"),
    ] {
        let ext = pool
            .get_extension_by_name(option)
            .with_context(|| format!("{option} is not in the corpus descriptor set"))?;
        for service in pool.services() {
            let file = service.parent_file().name().to_owned();
            // Only the Go generator's examples and tests (not, say, the
            // Temporal API's services).
            if !scanned
                .iter()
                .any(|(rel, _)| rel.ends_with(&format!("/{file}")))
            {
                continue;
            }
            for method in service.methods() {
                let options = method.options();
                if !options.has_extension(&ext) {
                    continue;
                }
                let value = options.get_extension(&ext);
                let Value::Message(opts) = value.as_ref() else {
                    bail!("{option} on {} is not a message", method.full_name());
                };
                let Some(Value::String(id)) = opts.get_field_by_name("id").map(|v| v.into_owned())
                else {
                    bail!("{option} on {} has no string `id`", method.full_name());
                };
                if id.is_empty() {
                    continue;
                }
                found.push(CorpusExpr {
                    place: format!("{file}: {}.{} ({kind})", service.name(), method.name()),
                    expression: id,
                    input: method.input(),
                });
            }
        }
    }

    // The text and the descriptors must list the same expressions.
    let mut from_text: Vec<&str> = scanned.iter().map(|(_, e)| e.as_str()).collect();
    let mut from_descriptors: Vec<&str> = found.iter().map(|c| c.expression.as_str()).collect();
    from_text.sort();
    from_descriptors.sort();
    if from_text != from_descriptors {
        bail!(
            "the `id:`s of the proto text and the descriptors differ:\n\
             text: {from_text:#?}\ndescriptors: {from_descriptors:#?}"
        );
    }
    found.sort_by(|a, b| a.place.cmp(&b.place));
    Ok((found, descriptor_set))
}

/// A file removed when dropped.
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Where `peer expr -descriptor-set-out` writes, unique per process and
/// test.
fn corpus_descriptor_set_path() -> PathBuf {
    peer::module_root()
        .join("../../target/go-peer")
        .join(format!(
            "expressions-corpus-{}-{:?}.binpb",
            std::process::id(),
            std::thread::current().id()
        ))
}

fn proto_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            proto_files(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "proto") {
            out.push(path);
        }
    }
    Ok(())
}

/// The string value of every `id:` field in proto text: `id` not preceded
/// by an identifier character, then `:` and a quoted string (the quote's
/// escapes `\\`, `\'` and `\"` undone). Comments are skipped.
fn scan_ids(text: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for line in text.lines() {
        let line = strip_comment(line);
        let bytes = line.as_bytes();
        let mut from = 0;
        while let Some(at) = line[from..].find("id").map(|i| i + from) {
            from = at + 2;
            let preceded = at > 0 && {
                let c = bytes[at - 1];
                c.is_ascii_alphanumeric() || c == b'_' || c == b'.'
            };
            if preceded {
                continue;
            }
            let rest = line[at + 2..].trim_start();
            let Some(rest) = rest.strip_prefix(':') else {
                continue;
            };
            let rest = rest.trim_start();
            let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') else {
                continue;
            };
            let mut value = String::new();
            let mut chars = rest[1..].chars();
            while let Some(c) = chars.next() {
                match c {
                    '\\' => match chars.next() {
                        Some(e @ ('\\' | '\'' | '"')) => value.push(e),
                        Some(e) => {
                            value.push('\\');
                            value.push(e);
                        }
                        None => value.push('\\'),
                    },
                    c if c == quote => break,
                    c => value.push(c),
                }
            }
            ids.push(value);
        }
    }
    ids
}

/// `line` without a `//` comment (one outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote = None;
    let mut escaped = false;
    let bytes = line.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (Some(_), b'\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (None, b'\'' | b'"') => quote = Some(c),
            (None, b'/') if bytes.get(i + 1) == Some(&b'/') => return &line[..i],
            _ => {}
        }
    }
    line
}

/// The differences on the corpus: expressions Go does not parse, or that
/// our generator does not compile against their input.
fn corpus_divergences(corpus: &[CorpusExpr], descriptor_set: &Path) -> Result<Vec<Found>> {
    let requests: Vec<Request<'_>> = corpus
        .iter()
        .map(|c| Request {
            template: &c.expression,
            descriptor_set,
            message: c.input.full_name(),
            input: "{}",
        })
        .collect();
    let outcomes = go_outcomes(&requests)?;
    // One entry per expression, whatever the rpcs that use it.
    let mut by_expression: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (c, go) in corpus.iter().zip(outcomes) {
        // Evaluating on an empty input may fail (a required field is
        // null); only parsing is compared.
        let go = match go {
            GoOutcome::Parse(e) | GoOutcome::Panic(e) => Some(e),
            GoOutcome::Id(_) | GoOutcome::Eval(_) => None,
        };
        let ours = protoc_gen_rust_temporal::expr::compile(&c.expression, Some(&c.input)).err();
        let detail = match (go, ours) {
            (None, None) | (Some(_), Some(_)) => continue,
            (None, Some(ours)) => format!("{}: Go parses it; ours: {ours}", c.place),
            (Some(go), None) => format!("{}: ours compiles it; Go: {go}", c.place),
        };
        by_expression
            .entry(c.expression.as_str())
            .or_default()
            .insert(detail);
    }
    Ok(by_expression
        .into_iter()
        .map(|(case, details)| Found::new(case, details.into_iter().collect::<Vec<_>>().join("; ")))
        .collect())
}

// ---------------------------------------------------------------- tests

/// Every difference of class `expression`: the vectors and the corpus,
/// measured together because the ratchet checks a class at once.
#[test]
fn expressions_match_the_go_generator() -> Result<()> {
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for f in vector_divergences()? {
        found.entry(f.case).or_default().push(f.detail);
    }
    let (corpus, descriptor_set) = corpus_expressions()?;
    eprintln!(
        "{} vectors, {} corpus expressions",
        VECTORS.len(),
        corpus.len()
    );
    // A corpus expression that is also a vector template is one case.
    for f in corpus_divergences(&corpus, &descriptor_set.0)? {
        found.entry(f.case).or_default().push(f.detail);
    }
    let found: Vec<Found> = found
        .into_iter()
        .map(|(case, details)| Found::new(case, details.join(" | ")))
        .collect();
    for f in &found {
        eprintln!("{}\n    {}", f.case, f.detail);
    }
    ratchet::check("expression", &found)
}

/// The corpus scan finds the expressions it should: enough of them, the
/// known forms, and each with its input message.
#[test]
fn the_corpus_has_the_go_generators_expressions() -> Result<()> {
    let (corpus, _descriptor_set) = corpus_expressions()?;
    assert!(corpus.len() >= 30, "only {} expressions", corpus.len());
    let expressions: BTreeSet<&str> = corpus.iter().map(|c| c.expression.as_str()).collect();
    for known in [
        "create-foo/${! name.slug() }",
        "hello/${! name.or(\"World\") }",
        "some-update/${! requestVal.not_empty().catch(\"default\").slug() }",
        "what/${!ksuid()}",
        "example.nexus.v1.Echo/${ language }/${! name.slug() }",
    ] {
        assert!(expressions.contains(known), "{known} is missing");
    }
    let update = corpus
        .iter()
        .find(|c| c.expression.starts_with("update-progress/"))
        .expect("an update ID");
    assert!(update.place.ends_with("(update)"), "{}", update.place);
    Ok(())
}

/// The comparison itself: a wrong expectation, a wrong shape, and the Go
/// stages map to differences; the right ones do not.
#[test]
fn a_wrong_expectation_is_a_difference() -> Result<()> {
    let descriptor_set = vector_descriptor_set();
    let vectors = [
        // Wrong: Go gives "test/foo".
        Vector {
            template: "test/${!id}",
            input_json: r#"{"id":"foo"}"#,
            expect: Expect::Id("test/bar"),
            from_spec: false,
        },
        // Wrong: Go fails at evaluation.
        Vector {
            template: "optional/${! name }",
            input_json: "{}",
            expect: Expect::Id("optional/"),
            from_spec: false,
        },
        // Wrong: Go parses it.
        Vector {
            template: "x/${!id.uppercase()}",
            input_json: r#"{"id":"a"}"#,
            expect: Expect::CompileError("nope"),
            from_spec: false,
        },
        // Wrong: the fixed part differs.
        Vector {
            template: "f/${!id}/${!uuid_v4()}",
            input_json: r#"{"id":"a"}"#,
            expect: Expect::Id("f/b/00000000-0000-4000-8000-000000000000"),
            from_spec: false,
        },
        // Right, by shape.
        Vector {
            template: "f/${!id}/${! uuid_v4() }/${!nanoid()}/${!ksuid()}/${!now()}/${!name.or(uuid_v4())}",
            input_json: r#"{"id":"a"}"#,
            expect: Expect::Id(
                "f/a/12345678-9abc-4def-8123-456789abcdef/V1StGXR8_Z5jdHi6B-myT/0ujtsYcgvSTl8PAuAdqWYSMnLOv/2023-11-14T22:13:20.25Z/x",
            ),
            from_spec: false,
        },
        // Right.
        Vector {
            template: "x/${!id",
            input_json: "{}",
            expect: Expect::CompileError("unterminated"),
            from_spec: false,
        },
    ];
    let requests = vector_requests(&vectors, &descriptor_set);
    let outcomes = go_outcomes(&requests)?;
    let differs: Vec<bool> = vectors
        .iter()
        .zip(&outcomes)
        .map(|(v, go)| vector_difference(v, go).is_some())
        .collect();
    assert_eq!(
        differs,
        [true, true, true, true, false, false],
        "{outcomes:#?}"
    );
    Ok(())
}

#[test]
fn shapes_of_random_functions() {
    assert!(random_shape(
        "uuid_v4()",
        "637c993a-0c62-49b1-857c-cf6cc788724e"
    ));
    assert!(!random_shape(
        "uuid_v4()",
        "637c993a-0c62-19b1-857c-cf6cc788724e"
    ));
    assert!(random_shape("nanoid()", "tDFYljNvataJ8c5BglTDk"));
    assert!(random_shape("ksuid()", "3ModBgaKh18MBlrHVGlKZo0slyn"));
    assert!(random_shape("now()", "2026-11-30T06:38:40.366098794Z"));
    assert!(random_shape("now()", "2023-11-14T22:13:20+01:00"));
    assert!(!random_shape("now()", "2023-11-14 22:13:20Z"));
    assert!(same_id(
        "a/${!now()}/b",
        "a/2023-11-14T22:13:20.25Z/b",
        "a/2026-01-01T00:00:00Z/b"
    ));
    assert!(!same_id(
        "a/${!now()}/b",
        "a/2023-11-14T22:13:20.25Z/b",
        "a/2026-01-01T00:00:00Z/c"
    ));
    assert_eq!(
        shape_pattern(r"a\${!b/${! {x} }/${!uuid_v4()}"),
        [
            Shape::Text("a${!b/".into()),
            Shape::Fixed,
            Shape::Text("/".into()),
            Shape::Random("uuid_v4()")
        ]
    );
    assert_eq!(
        scan_ids("  id: 'a/${! x }' // id: \"no\"\n option (x) = {id: \"b\\\"c\"};\n uuid: 'u'"),
        ["a/${! x }", "b\"c"]
    );
}
