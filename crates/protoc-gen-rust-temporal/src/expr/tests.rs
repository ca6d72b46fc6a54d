//! Tests of the whole pipeline: compile against the test proto, check the
//! vectors and errors, snapshot the emitted code.

use prost_reflect::{DescriptorPool, MessageDescriptor};
use quote::quote;

use super::vectors::{Expect, VECTORS};
use super::{ExprError, compile};

const DESCRIPTOR_SET: &[u8] = include_bytes!("../../tests/protos/expr/expr_test.binpb");

fn pool() -> DescriptorPool {
    DescriptorPool::decode(DESCRIPTOR_SET).expect("valid descriptor set")
}

fn input() -> MessageDescriptor {
    pool()
        .get_message_by_name("test.expr.v1.ExprInput")
        .expect("ExprInput")
}

/// The emitted code as a formatted function.
fn emitted(template: &str) -> String {
    let compiled = compile(template, Some(&input())).expect("compiles");
    let code = compiled.to_tokens(&quote!(input), &quote!(env), "test.expr.v1");
    let file = quote! {
        fn id(
            input: &ExprInput,
            env: &dyn ::xns_runtime::expr::IdEnv,
        ) -> ::core::result::Result<::std::string::String, ::xns_runtime::expr::EvalError> #code
    };
    let file: syn::File = syn::parse2(file).expect("emitted code parses");
    format!("// {template}\n{}", prettyplease::unparse(&file))
}

fn compile_err(template: &str) -> String {
    match compile(template, Some(&input())) {
        Ok(_) => panic!("{template} compiled"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn every_vector_compiles_or_fails_as_expected() {
    let input = input();
    for v in VECTORS {
        let result = compile(v.template, Some(&input));
        match (v.expect, result) {
            (Expect::CompileError(want), Err(e)) => {
                assert!(e.to_string().contains(want), "{}: {e}", v.template);
            }
            (Expect::CompileError(_), Ok(_)) => panic!("{} compiled", v.template),
            (_, Err(e)) => panic!("{}: {e}", v.template),
            (_, Ok(compiled)) => {
                // The code must be valid Rust.
                let code = compiled.to_tokens(&quote!(input), &quote!(env), "test.expr.v1");
                syn::parse2::<syn::Expr>(code).expect("emitted code parses");
            }
        }
    }
    assert_eq!(VECTORS.iter().filter(|v| v.from_spec).count(), 15);
}

#[test]
fn errors_name_the_construct_and_quote_the_template() {
    assert_eq!(
        compile_err("foo/${! x.match() }"),
        "unknown field `x` on message `test.expr.v1.ExprInput` in ID expression `foo/${! x.match() }`"
    );
    assert_eq!(
        compile_err("foo/${! id.match() }"),
        "unsupported method `match` in ID expression `foo/${! id.match() }`"
    );
    assert_eq!(
        compile_err("foo/${! blah }"),
        "unknown field `blah` on message `test.expr.v1.ExprInput` in ID expression `foo/${! blah }`"
    );
    assert_eq!(
        compile_err("a/${!int_field}"),
        "unknown field `int_field` on message `test.expr.v1.ExprInput` (did you mean `intField`? \
         paths use JSON names) in ID expression `a/${!int_field}`"
    );
    assert_eq!(
        compile_err("a/${!outerSingle.nope}"),
        "unknown field `nope` on message `test.expr.v1.ExprInput.OuterNested` \
         in ID expression `a/${!outerSingle.nope}`"
    );
    assert_eq!(
        compile_err("a/${!outerSingle}"),
        "query `outerSingle` never yields a string (it yields null or an object), so the ID fails for every \
         input: convert it with `.string()` in ID expression `a/${!outerSingle}`"
    );
    assert_eq!(
        compile_err("a/${!outerList}"),
        "query `outerList` never yields a string (it yields null or an array), so the ID fails for every \
         input: convert it with `.string()` in ID expression `a/${!outerList}`"
    );
    assert_eq!(
        compile_err("a/${!id.0}"),
        "invalid path `id.0`: `0` cannot be selected inside field `id` of type scalar \
         in ID expression `a/${!id.0}`"
    );
    assert_eq!(
        compile_err("a/${!this.0}"),
        "invalid path `0`: index `0` applied to message `test.expr.v1.ExprInput`, not a list \
         in ID expression `a/${!this.0}`"
    );
    assert_eq!(
        compile_err("a/${!labels}"),
        "query `labels` never yields a string (it yields null or an object), so the ID fails for every \
         input: convert it with `.string()` in ID expression `a/${!labels}`"
    );
    assert_eq!(
        compile_err("a/${!attributes}"),
        "query `attributes` never yields a string (it yields null or an object), so the ID fails for every \
         input: convert it with `.string()` in ID expression `a/${!attributes}`"
    );
    assert_eq!(
        compile_err("a/${!this}"),
        "query `this` never yields a string (it yields an object), so the ID fails for every \
         input: convert it with `.string()` in ID expression `a/${!this}`"
    );
    assert_eq!(compile_err(""), "empty ID expression");
    assert_eq!(
        compile_err("a/${! }"),
        "empty query (`${!}`) in ID expression `a/${! }`"
    );
    assert_eq!(
        compile_err("a/${!id"),
        "unterminated query (`${!` without a closing `}`) in ID expression `a/${!id`"
    );
    assert_eq!(
        compile_err("a/${!id.}"),
        "syntax error in query `id.`: expected a field name, an index or a method after `.` \
         in ID expression `a/${!id.}`"
    );
}

/// Control characters in the template (or in the text quoted from it)
/// are escaped, so that each error is one line.
#[test]
fn errors_escape_control_characters() {
    assert_eq!(
        compile_err("a\n${! nme }\r"),
        "unknown field `nme` on message `test.expr.v1.ExprInput` in ID expression `a\\n${! nme }\\r`"
    );
    assert_eq!(
        compile_err("${! id.slug(\"x\ty\") }\t"),
        "unsupported `slug` language `x\\ty` (only English is supported) \
         in ID expression `${! id.slug(\"x\\ty\") }\\t`"
    );
    assert_eq!(
        compile_err("${! id\u{1} }"),
        "syntax error in query ` id\\u{1} `: unexpected `\\u{1}` at offset 3 \
         in ID expression `${! id\\u{1} }`"
    );
    assert_eq!(
        compile_err("${! \n }"),
        "empty query (`${!}`) in ID expression `${! \\n }`"
    );
}

/// Stack size of the thread the nesting tests run on: well under the
/// 2 MiB of a spawned thread (see [`super::MAX_DEPTH`]).
const SMALL_STACK: usize = 768 * 1024;

/// Every step after parsing recurses per level: at [`super::MAX_DEPTH`]
/// levels of each shape, compiling, emitting, parsing the emitted code
/// with syn, formatting it and parsing the text again fits in a small
/// stack in a debug build. So does a path of
/// [`super::MAX_PATH_SEGMENTS`] segments in the innermost of nested `or`s.
#[test]
fn nesting_limit_leaves_stack_headroom() {
    use super::parse::tests::{SHAPES, nested};
    use super::{MAX_DEPTH, MAX_PATH_SEGMENTS};
    let deepest_path = format!(
        "{}{}id{}",
        "name.or(".repeat(MAX_DEPTH - 1),
        "parent.".repeat(MAX_PATH_SEGMENTS - 1),
        ")".repeat(MAX_DEPTH - 1)
    );
    let mut templates: Vec<String> = SHAPES
        .iter()
        .map(|shape| format!("x/${{! {} }}", nested(shape, MAX_DEPTH)))
        .collect();
    templates.push(format!("x/${{! {deepest_path} }}"));
    std::thread::Builder::new()
        .stack_size(SMALL_STACK)
        .spawn(move || {
            for template in &templates {
                let text = emitted(template);
                syn::parse_file(&text).expect("formatted code parses");
            }
            for shape in SHAPES {
                let template = format!("x/${{! {} }}", nested(shape, MAX_DEPTH + 1));
                assert!(
                    compile_err(&template).starts_with("ID expression nested too deeply"),
                    "{shape}"
                );
            }
        })
        .expect("spawn")
        .join()
        .expect("within the stack");
}

#[test]
fn every_unsupported_construct_is_a_generation_error() {
    let cases = [
        ("${! id.match() }", "unsupported method `match`"),
        (
            r#"${! id.re_find_object(name).string() }"#,
            "unsupported `re_find_object` argument that is not a string literal pattern",
        ),
        (
            r#"${! id.re_find_object("(?<!a)b").string() }"#,
            "unsupported `re_find_object` pattern",
        ),
        (
            r#"${! id.re_replace_all("a", "b") }"#,
            "unsupported method `re_replace_all`",
        ),
        (
            "${! (x -> x.uppercase()).string() }",
            "unsupported lambda (`->`) outside the argument of `map_each` or `sort_by`",
        ),
        (
            "${! [id].map_each(this -> this).join() }",
            "unsupported lambda named `this`",
        ),
        (
            "${! [id].map_each(x -> [x].map_each(x -> x).join()).join() }",
            "unsupported lambda named `x` inside another of that name",
        ),
        (
            r#"${! bytesField.decode("base32").string() }"#,
            "unsupported `decode` scheme `base32`",
        ),
        (
            r#"${! id.re_find_object("a").without(name).string() }"#,
            "unsupported `without` argument that is not string literal paths",
        ),
        (
            r#"${! id.re_find_object("a").get(1).string() }"#,
            "unsupported `get` argument that is not a string path",
        ),
        (
            "${! id.has_prefix(5) }",
            "unsupported `has_prefix` of a literal that is not a string",
        ),
        (
            r#"${! (id + ("a" - 1)) }"#,
            "`-` of two literals: cannot subtract types string and number",
        ),
        (
            "${! id + 1 / 0 }",
            "`/` of two literals: attempted to divide by zero",
        ),
        ("${! $var }", "unsupported variable (`$`)"),
        ("${! @meta }", "unsupported metadata reference (`@`)"),
        ("${! root.id }", "unsupported `root` reference"),
        ("${! hostname() }", "unsupported function `hostname`"),
        ("${! env(\"HOME\") }", "unsupported function `env`"),
        (
            "${! timestamp_unix() }",
            "unsupported function `timestamp_unix`",
        ),
        (
            "${! nanoid(length: 5) }",
            "unsupported named argument `length:`",
        ),
        (
            "${! nanoid(5) }",
            "function `nanoid` takes 0 argument(s), got 1",
        ),
        (
            "${! throw() }",
            "function `throw` takes 1 argument(s), got 0",
        ),
        (
            "${! id.uppercase(1) }",
            "method `uppercase` takes 0 argument(s), got 1",
        ),
        (
            "${! id.catch(1, 2) }",
            "method `catch` takes 1 argument(s), got 2",
        ),
        ("${! id.slug(\"de\") }", "unsupported `slug` language `de`"),
        ("${! this.(id | name) }", "unsupported path coalescing"),
    ];
    for (template, want) in cases {
        let err = compile_err(template);
        assert!(err.contains(want), "{template}: {err}");
        assert!(
            err.ends_with(&format!("in ID expression `{template}`")),
            "{err}"
        );
    }
}

#[test]
fn runtime_path_is_configurable() {
    let compiled = compile("a/${!id.or(uuid_v4())}", Some(&input())).unwrap();
    let code = compiled
        .to_tokens_with_runtime(
            &quote!(input),
            &quote!(id_env),
            "test.expr.v1",
            &quote!(crate::rt),
        )
        .to_string();
    assert!(!code.contains("xns_runtime"), "{code}");
    assert!(
        code.contains("use crate :: rt :: expr :: __private as id ;"),
        "{code}"
    );
    assert!(
        code.contains("& dyn crate :: rt :: expr :: IdEnv"),
        "{code}"
    );
}

#[test]
fn slug_accepts_english() {
    assert!(compile(r#"a/${!id.slug("en")}"#, Some(&input())).is_ok());
}

#[test]
fn empty_input_has_no_fields() {
    let mut pool = pool();
    pool.add_file_descriptor_proto(prost_types::FileDescriptorProto {
        name: Some("google/protobuf/empty.proto".into()),
        package: Some("google.protobuf".into()),
        message_type: vec![prost_types::DescriptorProto {
            name: Some("Empty".into()),
            ..Default::default()
        }],
        syntax: Some("proto3".into()),
        ..Default::default()
    })
    .expect("valid file");
    let empty = pool
        .get_message_by_name("google.protobuf.Empty")
        .expect("Empty");
    for input in [None, Some(&empty)] {
        let err = compile("a/${!id}", input).unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown field `id` on message `google.protobuf.Empty` in ID expression `a/${!id}`"
        );
        let ok = compile("a/${!uuid_v4()}", input).unwrap();
        assert!(ok.uses_env());
        let code = ok
            .to_tokens(&quote!(request), &quote!(env), "test.expr.v1")
            .to_string();
        assert!(!code.contains("request"), "{code}");
    }
    assert!(matches!(
        compile("a/${!this.0}", None),
        Err(ExprError::UnknownField { .. })
    ));
    // A bare number is a literal, not a path.
    assert!(compile("a/${!0.string()}", None).is_ok());
    // As a value of its own it never makes an ID.
    assert!(matches!(
        compile("a/${!0}", None),
        Err(ExprError::NeverString { .. })
    ));
}

#[test]
fn uses_env_only_for_env_functions() {
    let input = input();
    for (template, uses_env) in [
        ("a/${!id}", false),
        ("a/${!uuid_v4()}", true),
        ("a/${!id.or(nanoid())}", true),
        ("a/${!ksuid()}", true),
        ("a/${!now()}", true),
        (r#"a/${!throw("x")}"#, false),
        ("plain", false),
    ] {
        assert_eq!(
            compile(template, Some(&input)).unwrap().uses_env(),
            uses_env,
            "{template}"
        );
    }
    for (template, uses_input) in [
        ("a/${!id}", true),
        ("a/${!uuid_v4()}", false),
        (r#"a/${!throw("x").catch(id)}"#, true),
        (r#"a/${!"x".or(name)}"#, true),
        ("plain", false),
    ] {
        let compiled = compile(template, Some(&input)).unwrap();
        assert_eq!(compiled.uses_input(), uses_input, "{template}");
        let code = compiled.to_tokens(&quote!(request), &quote!(env), "test.expr.v1");
        assert_eq!(
            code.to_string().contains("request"),
            uses_input,
            "{template}"
        );
    }
}

#[test]
fn emitted_code_for_the_spec_vectors() {
    let mut out = String::new();
    let mut seen = Vec::new();
    for v in VECTORS.iter().filter(|v| v.from_spec) {
        if matches!(v.expect, Expect::CompileError(_)) || seen.contains(&v.template) {
            continue;
        }
        seen.push(v.template);
        out.push_str(&emitted(v.template));
        out.push('\n');
    }
    insta::assert_snapshot!(out);
}

#[test]
fn emitted_code_for_other_field_shapes() {
    let templates = [
        "s/${!status}",
        "s/${!optionalStatus}/${!statuses.1}/${!targetStatus}",
        "${!outerList.3.innerList.0.bar}/${!parent.parent.id}",
        "o/${!targetName}/${!targetOuter.innerSingle.bar}/${!onlyValue}",
        "t/${!createdAt}/${!timeout}/${!nickname}/${!tags.0}",
        "i/${!optionalInt.or(-1).string()}/${!count}/${!ratio.or(1.5).string()}",
        r#"f/${!uuid_v4()}/${!nanoid()}/${!ksuid()}/${!now()}/${!id.catch(null)}"#,
        r#"m/${!id.not_empty().lowercase().capitalize()}/${!throw("no")}/${!true.string()}"#,
    ];
    let out: Vec<String> = templates.iter().map(|t| emitted(t)).collect();
    insta::assert_snapshot!(out.join("\n"));
}

/// The committed descriptor set must match the proto (when protoc is here).
#[test]
fn descriptor_set_is_up_to_date() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/protos/expr");
    let out = std::env::temp_dir().join(format!("expr_test_{}.binpb", std::process::id()));
    let status = std::process::Command::new("protoc")
        .args(["--include_imports", "-I", dir, "expr_test.proto"])
        .arg(format!("--descriptor_set_out={}", out.display()))
        .current_dir(dir)
        .status();
    let Ok(status) = status else {
        eprintln!("protoc not found; skipping");
        return;
    };
    assert!(status.success());
    let fresh = std::fs::read(&out).expect("protoc output");
    let _ = std::fs::remove_file(&out);
    assert!(
        fresh == DESCRIPTOR_SET,
        "tests/protos/expr/expr_test.binpb is stale: regenerate it (see expr_test.proto)"
    );
}

/// Templates emitted into xns-runtime's end-to-end test besides the vectors.
const RUNTIME_EXTRA_TEMPLATES: &[&str] = &[
    "f/${!uuid_v4()}/${!nanoid()}/${!ksuid()}/${!now()}",
    r#"f/${!name.or(uuid_v4())}"#,
];

/// xns-runtime's end-to-end vector test compiles the code emitted for every
/// vector against prost types and runs it. This keeps that copy of the
/// emitted code current: run with `UPDATE_EXPR_VECTORS=1` to rewrite it.
#[test]
fn runtime_vector_code_is_up_to_date() {
    let input = input();
    let mut templates: Vec<&str> = Vec::new();
    for v in VECTORS {
        if !matches!(v.expect, Expect::CompileError(_)) && !templates.contains(&v.template) {
            templates.push(v.template);
        }
    }
    templates.extend(RUNTIME_EXTRA_TEMPLATES);
    let mut entries = Vec::new();
    let mut functions = Vec::new();
    for (i, template) in templates.iter().enumerate() {
        let compiled = compile(template, Some(&input)).expect("compiles");
        let name = quote::format_ident!("vector_{i}");
        let env = if compiled.uses_env() {
            quote!(env)
        } else {
            quote!(_env)
        };
        let input_param = if compiled.uses_input() {
            quote!(input)
        } else {
            quote!(_input)
        };
        // The file is compiled inside xns-runtime, where the crate is `crate`.
        let code = compiled.to_tokens_with_runtime(
            &quote!(input),
            &quote!(env),
            "test.expr.v1",
            &quote!(crate),
        );
        entries.push(quote!((#template, #name)));
        functions.push(quote! {
            fn #name(
                #input_param: &ExprInput,
                #env: &dyn crate::expr::IdEnv,
            ) -> ::core::result::Result<::std::string::String, crate::expr::EvalError> #code
        });
    }
    let file = quote! {
        use super::pb::{ExprInput, expr_input};

        /// An emitted ID function.
        pub(super) type IdFn = fn(
            &ExprInput,
            &dyn crate::expr::IdEnv,
        ) -> ::core::result::Result<::std::string::String, crate::expr::EvalError>;

        /// Each template with its emitted function.
        pub(super) const FUNCTIONS: &[(&str, IdFn)] = &[#(#entries),*];

        #(#functions)*
    };
    let file: syn::File = syn::parse2(file).expect("parses");
    let body = prettyplease::unparse(&file);
    let content = format!(
        "// @generated by protoc-gen-rust-temporal's test \
         `expr::tests::runtime_vector_code_is_up_to_date`\n\
         // from src/expr/vectors.rs; rerun it with UPDATE_EXPR_VECTORS=1 after changes.\n\
         // The runtime is `crate` (`to_tokens_with_runtime`): this compiles inside xns-runtime.\n\n{body}"
    );
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../xns-runtime/src/expr/vector_tests/emitted.rs"
    );
    if std::env::var_os("UPDATE_EXPR_VECTORS").is_some() {
        std::fs::write(path, &content).expect("write emitted.rs");
        return;
    }
    // Compare modulo formatting, in case someone runs rustfmt on it.
    let normalize = |text: &str| {
        syn::parse_file(text)
            .map(|f| prettyplease::unparse(&f))
            .ok()
    };
    let current = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        normalize(&current).is_some() && normalize(&current) == normalize(&content),
        "{path} is stale: rerun this test with UPDATE_EXPR_VECTORS=1"
    );
}
