//! Test vectors for ID expressions, shared by the generator's unit tests and
//! the end-to-end fixture crate (which compiles the emitted code against
//! prost types and runs it).
//!
//! Inputs are `test.expr.v1.ExprInput` messages
//! (`tests/protos/expr/expr_test.proto` in this crate) written in protojson,
//! so a fixture can build them with `prost_reflect::DynamicMessage`'s serde
//! support and transcode them into the prost struct.

/// What a vector's template must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// Evaluation returns this ID.
    Id(&'static str),
    /// Evaluation fails; the error's `Display` contains every substring.
    EvalError(&'static [&'static str]),
    /// `compile` fails; the error's `Display` contains the substring.
    CompileError(&'static str),
}

/// One test vector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Vector {
    /// The ID template.
    pub template: &'static str,
    /// The `test.expr.v1.ExprInput` input, in protojson.
    pub input_json: &'static str,
    /// The expected outcome.
    pub expect: Expect,
    /// Whether the vector is from the table in `expressions.md` (the Go
    /// generator's tests); the others are ours.
    pub from_spec: bool,
}

const fn spec(template: &'static str, input_json: &'static str, expect: Expect) -> Vector {
    Vector {
        template,
        input_json,
        expect,
        from_spec: true,
    }
}

const fn ours(template: &'static str, input_json: &'static str, expect: Expect) -> Vector {
    Vector {
        template,
        input_json,
        expect,
        from_spec: false,
    }
}

use Expect::{CompileError, EvalError, Id};

/// Every vector; the `from_spec` ones first, in the table's order.
pub const VECTORS: &[Vector] = &[
    spec("test/${!id}", r#"{"id":"foo"}"#, Id("test/foo")),
    spec("test/${!id.uppercase()}", r#"{"id":"foo"}"#, Id("test/FOO")),
    spec(
        "test/${!intField.string()}",
        r#"{"intField":30}"#,
        Id("test/30"),
    ),
    spec(
        r#"test/${!intField.or("unknown")}"#,
        "{}",
        Id("test/unknown"),
    ),
    spec(
        "test/${!bytesField}",
        r#"{"bytesField":"Zm9v"}"#,
        Id("test/Zm9v"),
    ),
    spec(
        "test/${! boolField.string() }",
        r#"{"boolField":true}"#,
        Id("test/true"),
    ),
    spec(
        "test/${!outerSingle.foo}/${!outerSingle.innerSingle.bar}",
        r#"{"outerSingle":{"foo":"bar","innerSingle":{"bar":"baz"}}}"#,
        Id("test/bar/baz"),
    ),
    spec(
        "test/${!outerList.0.foo}/${!outerList.0.innerList.0.bar}",
        r#"{"outerList":[{"foo":"bar","innerList":[{"bar":"baz"}]}]}"#,
        Id("test/bar/baz"),
    ),
    spec(
        "optional/${! name }",
        r#"{"name":"test"}"#,
        Id("optional/test"),
    ),
    spec(
        "optional/${! name }",
        "{}",
        EvalError(&["expected string result from ` name ` query, got: <nil>"]),
    ),
    // In Go, `blah` is null at run time; for us an unknown field is a
    // generation error. The runtime half ("uh oh") is the next vector.
    spec(
        r#"test/${!blah}/${!blahz.or(throw("uh oh"))}"#,
        "{}",
        CompileError("unknown field `blah` on message `test.expr.v1.ExprInput`"),
    ),
    ours(
        r#"test/${!name}/${!name.or(throw("uh oh"))}"#,
        "{}",
        EvalError(&[
            "expected string result from `name` query, got: <nil>",
            "uh oh",
        ]),
    ),
    spec(
        r"this_is_a_\${!test/${! id }",
        r#"{"id":"zeb"}"#,
        Id("this_is_a_${!test/zeb"),
    ),
    spec(
        "create-foo/${! name.slug() }",
        r#"{"name":"My Foo"}"#,
        Id("create-foo/my-foo"),
    ),
    spec(r#"hello/${! name.or("World") }"#, "{}", Id("hello/World")),
    spec(
        "update-progress/${! progress.string() }",
        r#"{"progress":0.5}"#,
        Id("update-progress/0.5"),
    ),
    // ---- numbers
    ours(
        "i/${!intField}",
        r#"{"intField":30}"#,
        CompileError("never yields a string (it yields a number or null)"),
    ),
    ours(
        "b/${!boolField.or(false)}",
        r#"{"boolField":true}"#,
        CompileError("never yields a string (it yields a boolean)"),
    ),
    // A number or a string: it compiles, and fails only for a number.
    ours(
        r#"i/${!intField.or("none")}"#,
        r#"{"intField":30}"#,
        EvalError(&["got: 30"]),
    ),
    // Go formats float64 with 'g': integral values from 1e21 up, and any
    // value with a decimal exponent of 6 or more, use exponent form.
    ours(
        "i/${!intField.string()}",
        r#"{"intField":1000000}"#,
        Id("i/1e+06"),
    ),
    ours(
        "i/${!intField.string()}",
        r#"{"intField":-12}"#,
        Id("i/-12"),
    ),
    ours(
        "p/${!progress.string()}",
        r#"{"progress":0.1}"#,
        Id("p/0.1"),
    ),
    ours("r/${!ratio.string()}", r#"{"ratio":30}"#, Id("r/30")),
    ours("r/${!ratio.string()}", r#"{"ratio":2.25}"#, Id("r/2.25")),
    ours(
        "s/${!small.string()}",
        r#"{"small":4000000000}"#,
        Id("s/4e+09"),
    ),
    ours(
        "c/${!count}",
        r#"{"count":"9007199254740993"}"#,
        Id("c/9007199254740993"),
    ),
    ours(
        "b/${!big}",
        r#"{"big":"18446744073709551615"}"#,
        Id("b/18446744073709551615"),
    ),
    ours(
        "i/${!optionalInt.string()}",
        r#"{"optionalInt":0}"#,
        Id("i/0"),
    ),
    ours("i/${!optionalInt.string()}", "{}", Id("i/null")),
    // ---- defaults are null
    ours(
        "b/${!boolField.string()}",
        r#"{"boolField":false}"#,
        Id("b/null"),
    ),
    ours("n/${!id.string()}", "{}", Id("n/null")),
    ours(
        r#"n/${!id.not_empty().catch("fallback")}"#,
        "{}",
        Id("n/fallback"),
    ),
    // ---- enums
    ours(
        "s/${!status}",
        r#"{"status":"STATUS_ACTIVE"}"#,
        Id("s/STATUS_ACTIVE"),
    ),
    ours(
        "s/${!status}",
        r#"{"status":"STATUS_FINISHED"}"#,
        Id("s/STATUS_DONE"),
    ),
    ours(r#"s/${!status.or("none")}"#, "{}", Id("s/none")),
    ours("s/${!status.string()}", r#"{"status":7}"#, Id("s/7")),
    ours(
        "s/${!optionalStatus}",
        r#"{"optionalStatus":"STATUS_UNSPECIFIED"}"#,
        Id("s/STATUS_UNSPECIFIED"),
    ),
    ours(
        "s/${!statuses.0}/${!statuses.1.string()}",
        r#"{"statuses":["STATUS_UNSPECIFIED",9]}"#,
        Id("s/STATUS_UNSPECIFIED/9"),
    ),
    // ---- well-known types
    ours(
        "t/${!createdAt}",
        r#"{"createdAt":"2024-01-02T03:04:05.500Z"}"#,
        Id("t/2024-01-02T03:04:05.500Z"),
    ),
    ours(r#"t/${!createdAt.or("never")}"#, "{}", Id("t/never")),
    ours("d/${!timeout}", r#"{"timeout":"1.500s"}"#, Id("d/1.500s")),
    ours(r#"n/${!nickname.or("x")}"#, r#"{"nickname":""}"#, Id("n/")),
    ours(r#"n/${!nickname.or("x")}"#, "{}", Id("n/x")),
    // ---- lists, oneofs, recursion
    ours(
        r#"t/${!tags.1.or("none")}"#,
        r#"{"tags":["a",""]}"#,
        Id("t/"),
    ),
    ours(
        r#"t/${!tags.5.or("none")}"#,
        r#"{"tags":["a"]}"#,
        Id("t/none"),
    ),
    ours(
        r#"o/${!outerList.3.foo.or("none")}"#,
        r#"{"outerList":[{"foo":"bar"}]}"#,
        Id("o/none"),
    ),
    ours("o/${!targetName}", r#"{"targetName":""}"#, Id("o/")),
    ours(
        "o/${!targetOuter.foo}",
        r#"{"targetOuter":{"foo":"deep"}}"#,
        Id("o/deep"),
    ),
    ours(
        r#"o/${!targetOuter.foo.or("none")}/${!targetStatus.or("none")}"#,
        r#"{"targetName":"abc"}"#,
        Id("o/none/none"),
    ),
    ours(
        "o/${!targetStatus}",
        r#"{"targetStatus":"STATUS_UNSPECIFIED"}"#,
        Id("o/STATUS_UNSPECIFIED"),
    ),
    ours("o/${!onlyValue}", r#"{"onlyValue":"x"}"#, Id("o/x")),
    ours(
        "p/${!parent.parent.id}",
        r#"{"parent":{"parent":{"id":"grandparent"}}}"#,
        Id("p/grandparent"),
    ),
    // ---- methods and literals
    ours(
        "r/${!this.resourceId.lowercase()}",
        r#"{"resourceId":"ABC"}"#,
        Id("r/abc"),
    ),
    ours(
        "c/${!id.capitalize()}",
        r#"{"id":"hello wORLD"}"#,
        Id("c/Hello World"),
    ),
    ours(
        "t/${!id.capitalize()}",
        r#"{"id":"don't STOP 1st foo_bar x-y.z a..b straße ǆx"}"#,
        Id("t/Don't Stop 1St Foo_bar X-Y.z A..B Straße ǅx"),
    ),
    ours(
        "s/${!id.slug()}",
        r#"{"id":"Gopher & Benthos"}"#,
        Id("s/gopher-and-benthos"),
    ),
    ours(
        r#"l/${!"x".uppercase()}/${!5.string()}/${!true.string()}/${!1.5.string()}"#,
        "{}",
        Id("l/X/5/true/1.5"),
    ),
    ours(
        r#"e/${!id.uppercase()}/${!throw("boom")}/${!id.not_empty()}"#,
        "{}",
        EvalError(&["expected string value, got null", "boom", "got null"]),
    ),
    ours(
        r#"e/${!throw("boom").catch(id)}"#,
        "{}",
        EvalError(&["expected string result from `throw(\"boom\").catch(id)` query, got: <nil>"]),
    ),
    ours("${!id}${!name}", r#"{"id":"a","name":"b"}"#, Id("ab")),
    ours("no-queries", "{}", Id("no-queries")),
    // ---- generation errors
    ours(
        "x/${!labels}",
        "{}",
        CompileError("never yields a string (it yields null or an object)"),
    ),
    ours(
        "x/${!attributes}",
        "{}",
        CompileError("never yields a string (it yields null or an object)"),
    ),
    ours(
        "x/${!outerSingle}",
        "{}",
        CompileError("never yields a string (it yields null or an object)"),
    ),
    ours("x/${!outerList.foo}", "{}", CompileError("is a list")),
    ours(
        "x/${!createdAt.seconds}",
        "{}",
        CompileError("cannot be selected"),
    ),
    ours("x/${!id.0}", "{}", CompileError("cannot be selected")),
    ours(
        "x/${!resource_id}",
        "{}",
        CompileError("did you mean `resourceId`?"),
    ),
    ours(
        "x/${!this}",
        "{}",
        CompileError("never yields a string (it yields an object)"),
    ),
    ours(
        "x/${!id.match()}",
        "{}",
        CompileError("unsupported method `match`"),
    ),
    ours(
        r#"x/${!id.re_find_all("a")}"#,
        "{}",
        CompileError("unsupported method `re_find_all`"),
    ),
    ours(
        "x/${!meta(\"a\")}",
        "{}",
        CompileError("unsupported function `meta`"),
    ),
    // ---- Bloblang's `nothing`, of a `match` without `_` or an `if`
    // without `else`
    ours(
        r#"x/${!(match id { "a" => "b" }).uppercase()}"#,
        "{}",
        EvalError(&["got nothing"]),
    ),
    ours(
        r#"x/${!(match id { "a" => "b" }).or("c")}/${!(if false { "a" }).or("c")}"#,
        r#"{"id":"q"}"#,
        Id("x/c/c"),
    ),
    ours(
        r#"x/${!(match id { "a" => "b" }).catch("c")}"#,
        r#"{"id":"q"}"#,
        EvalError(&["got: the input object"]),
    ),
    ours(
        r#"x/${!(match id { "a" => "b" }).string()}/${!(match id { "a" => "b" }) | "d"}"#,
        r#"{"id":"q"}"#,
        Id("x/null/d"),
    ),
    ours(
        r#"x/${!["a","b"].map_each(x -> match x { "a" => "A" }).join()}"#,
        "{}",
        Id("x/Ab"),
    ),
    ours(
        r#"x/${![match id {"a" => "b"}, "z"].string()}/${!{"k": match id {"a" => "b"}, "j": "v"}.string()}"#,
        r#"{"id":"q"}"#,
        Id(r#"x/["z"]/{"j":"v"}"#),
    ),
    ours(
        r#"x/${!((match id { "a" => "b" }) == null).string()}/${!((match id { "a" => "b" }) != "x").string()}"#,
        r#"{"id":"q"}"#,
        Id("x/false/true"),
    ),
    ours(
        r#"x/${!((match id { "a" => "b" }) + "x")}"#,
        r#"{"id":"q"}"#,
        EvalError(&["got nothing"]),
    ),
    ours(
        r#"x/${!(if false { "a" }).not_empty().catch("e")}/${!(match id { "a" => "b" }).catch("c").or("f")}"#,
        r#"{"id":"q"}"#,
        Id("x/e/f"),
    ),
    ours(
        r#"x/${!{"a": 1}.map_each(p -> match p.key { "z" => 2 }).string()}"#,
        "{}",
        Id(r#"x/{"a":1}"#),
    ),
    ours(
        r#"x/${!["b","a"].sort_by(x -> match x { "b" => "1" }).join()}"#,
        "{}",
        EvalError(&["sort_by element 1"]),
    ),
    // A branch that can only yield `nothing` (a `match` without a target
    // whose cases are literals) is passed as the runtime's function.
    ours(
        r#"x/${!if id == "q" { match { "a" => "b" } } else { "c" }}"#,
        r#"{"id":"q"}"#,
        EvalError(&["got: the input object"]),
    ),
    ours(
        r#"x/${!if (match id { "a" => true }) { "t" } else { "f" }}"#,
        r#"{"id":"q"}"#,
        Id("x/f"),
    ),
    ours(
        r#"x/${!match id { "a" => name, _ => "c" }}"#,
        "{}",
        Id("x/c"),
    ),
    ours(
        r#"x/${!match id { "a" => name.or("n"), _ => "c" }}"#,
        r#"{"id":"a","name":"x"}"#,
        Id("x/n"),
    ),
    ours(
        r#"x/${!match id { "a" => name, _ => "c" }}"#,
        r#"{"id":"a","name":"x"}"#,
        EvalError(&[
            "expected string result from `match id { \"a\" => name, _ => \"c\" }` query, got: <nil>",
        ]),
    ),
    ours(
        r#"x/${!"a" + 1}"#,
        "{}",
        CompileError("`+` of two literals: cannot add types string and number"),
    ),
    // ---- `+` and `match` (the Go generator's expression tests use both)
    ours(r#"x/${!id + "a"}"#, r#"{"id":"foo"}"#, Id("x/fooa")),
    ours(
        r#"x/${!id + "a"}"#,
        "{}",
        EvalError(&["cannot add types null and string"]),
    ),
    ours(
        r#"x/${!"a" + "b" + id.uppercase()}"#,
        r#"{"id":"foo"}"#,
        Id("x/abFOO"),
    ),
    ours(
        "x/${!(intField + 2).string()}",
        r#"{"intField":5}"#,
        Id("x/7"),
    ),
    ours(
        "x/${!(intField + 1.5).string()}",
        r#"{"intField":5}"#,
        Id("x/6.5"),
    ),
    ours(
        "x/${!id + 1}",
        r#"{"id":"foo"}"#,
        EvalError(&["cannot add types string and number"]),
    ),
    ours(r#"x/${!match id { _ => "a" }}"#, "{}", Id("x/a")),
    ours(
        r#"this_is_a_\${!test/${! match id { "aaa" => "A", "bbb" => "B", _ => "Z" } }"#,
        r#"{"id":"foo"}"#,
        Id("this_is_a_${!test/Z"),
    ),
    ours(
        r#"x/${! match id { "aaa" => "A", "bbb" => "B", _ => "Z" } }"#,
        r#"{"id":"bbb"}"#,
        Id("x/B"),
    ),
    ours(
        r#"x/${! match id { "foo" => this.uppercase(), _ => "Z" } }"#,
        r#"{"id":"foo"}"#,
        Id("x/FOO"),
    ),
    ours(
        r#"x/${! match intField { 5 => "five", _ => "other" } }"#,
        r#"{"intField":5}"#,
        Id("x/five"),
    ),
    ours(
        r#"x/${! match intField { 5.0 => "five", _ => "other" } }"#,
        r#"{"intField":5}"#,
        Id("x/five"),
    ),
    ours(
        r#"x/${! match boolField { false => "f", true => "t", _ => "unset" } }"#,
        "{}",
        Id("x/unset"),
    ),
    ours(
        r#"x/${! match id { null => "none", _ => this } }"#,
        "{}",
        Id("x/none"),
    ),
    ours(
        r#"x/${! match { "foo" => "lit", _ => id } }"#,
        r#"{"id":"foo"}"#,
        Id("x/foo"),
    ),
    ours(
        r#"x/${! match id { "foo" => match this { "foo" => "inner", _ => "no" }, _ => "Z" } }"#,
        r#"{"id":"foo"}"#,
        Id("x/inner"),
    ),
    ours(
        "x/${! match id {\n\"foo\" => \"F\"\n_ => \"Z\" } }",
        r#"{"id":"foo"}"#,
        Id("x/F"),
    ),
    ours(
        r#"x/${! match id { "aaa" => "A" } }"#,
        r#"{"id":"foo"}"#,
        EvalError(&["got: the input object"]),
    ),
    ours(
        r#"x/${! match id { 1 => "one", _ => "other" } }"#,
        r#"{"id":"1"}"#,
        Id("x/other"),
    ),
    // ---- the Go generator's expression tests with regex, lambdas, arrays,
    // objects and `decode`
    ours(
        r#"test/${!id.re_find_object("(?P<first>[^:]{3,10}):(?P<second>[^:]{3,10}):(?P<third>[^:]{3,10})").without("0").key_values().sort_by(pair -> pair.key).map_each(pair -> pair.value).join("/")}"#,
        r#"{"id":"foo:bar:baz"}"#,
        Id("test/foo/bar/baz"),
    ),
    ours(
        r#"test/${!bytesField.decode("base64").string()}"#,
        r#"{"bytesField":"Zm9v"}"#,
        Id("test/foo"),
    ),
    ours(
        r#"test/${! ["svc", "region", "acc", "resource"].map_each(k -> id.re_find_object("arn:aws:(?P<svc>.+):(?P<region>.+):(?P<acc>.+):(?P<resource>.+)").get(k)).join("/") }"#,
        r#"{"id":"arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0e9801d129EXAMPLE"}"#,
        Id("test/ec2/us-east-1/123456789012/vpc/vpc-0e9801d129EXAMPLE"),
    ),
    ours(
        r#"${! id.re_find_object(".*\{(?P<g>[^\}]+)\}.*").g }"#,
        r#"{"id":"foo{bar}baz"}"#,
        Id("bar"),
    ),
    // ---- more of them
    ours(
        r#"x/${!id.re_find_object("""(\\d+)-(?P<w>\\w+)""").string()}"#,
        r#"{"id":"ab12-c_d-e"}"#,
        Id(r#"x/{"0":"12-c_d","1":"12","w":"c_d"}"#),
    ),
    ours(
        r#"x/${!id.re_find_object("""(\\d+)""").string()}"#,
        r#"{"id":"٣"}"#,
        Id("x/{}"),
    ),
    ours(
        r#"x/${!id.re_find_object("a(x)?b").1.or("none")}/${!id.re_find_object("z").0.or("none")}"#,
        r#"{"id":"ab"}"#,
        Id("x//none"),
    ),
    ours(
        r#"x/${!tags.0.re_find_object("(").string()}"#,
        "{}",
        CompileError("`re_find_object` pattern `(`"),
    ),
    ours(
        r#"x/${![id, name, "c"].map_each(this.uppercase()).join("-")}"#,
        r#"{"id":"a","name":"b"}"#,
        Id("x/A-B-C"),
    ),
    ours(
        r#"x/${![id, name].join()}"#,
        r#"{"id":"a"}"#,
        EvalError(&["failed to join element 1"]),
    ),
    ours(
        r#"x/${![3, 1.5, 2].sort_by(this).map_each(n -> (n * 2).string()).join(",")}"#,
        "{}",
        Id("x/3,4,6"),
    ),
    ours(
        r#"x/${![3, "a"].sort_by(this).join(",")}"#,
        "{}",
        EvalError(&["sort_by element"]),
    ),
    ours(
        r#"x/${![id, name].contains("b").string()}/${![1, 2].contains(2.0).string()}"#,
        r#"{"id":"a","name":"b"}"#,
        Id("x/true/true"),
    ),
    ours(
        r#"x/${![[1, "a"], {}].string()}"#,
        "{}",
        Id(r#"x/[[1,"a"],{}]"#),
    ),
    ours(
        r#"x/${![[1, "a"], null, 1000000, 0.000001].string()}"#,
        "{}",
        Id(r#"x/[[1,"a"],null,1000000,0.000001]"#),
    ),
    ours(
        r#"x/${!id.re_find_object("(?P<a>.)(?P<b>.)").map_each(p -> p.key + "=" + p.value).values().sort_by(this).join()}/${!id.re_find_object("(?P<a>.)(?P<b>.)").keys().join(",")}"#,
        r#"{"id":"xy"}"#,
        Id("x/0=xya=xb=y/0,a,b"),
    ),
    ours(
        r#"x/${!{"k": id, name: 1, "z": [true]}.string()}"#,
        r#"{"id":"a","name":"n"}"#,
        Id(r#"x/{"k":"a","n":1,"z":[true]}"#),
    ),
    ours(
        r#"x/${!{"k": id, name: 1}.string()}"#,
        r#"{"id":"a"}"#,
        EvalError(&["object keys must be strings, got null"]),
    ),
    ours(
        r#"x/${!{5: id}.string()}"#,
        "{}",
        CompileError("object key that is a literal but not a string"),
    ),
    ours(
        r#"x/${!id.re_find_object("(?P<a>.)(?P<b>.)").without("0").map_each(p -> p.key + "=" + p.value).string()}"#,
        r#"{"id":"xy"}"#,
        Id(r#"x/{"a":"a=x","b":"b=y"}"#),
    ),
    ours(
        r#"x/${!id.re_find_object("(?P<a>.)").get("a").uppercase()}/${!id.re_find_object("(?P<a>.)").get(name).or("-")}"#,
        r#"{"id":"xy","name":"nope"}"#,
        Id("x/X/-"),
    ),
    ours(
        r#"x/${!bytesField.decode("base64").uppercase()}"#,
        r#"{"bytesField":"Zm9v"}"#,
        Id("x/FOO"),
    ),
    ours(
        r#"x/${!id.decode("hex").string()}/${!id.decode("base64").string().or("bad")}"#,
        r#"{"id":"666f6f"}"#,
        Id("x/foo/bad"),
    ),
    ours(
        r#"x/${!id.decode("ascii85").string()}"#,
        r#"{"id":"BOu!rDZ"}"#,
        Id("x/hello"),
    ),
    ours(
        r#"x/${!id.decode("z85")}/${!name.decode("z85").or("bad")}"#,
        r#"{"id":"w]zP#","name":"w]zP"}"#,
        Id("x/food/bad"),
    ),
    ours(
        r#"x/${!id.decode("base32").string()}"#,
        "{}",
        CompileError("`decode` scheme `base32`"),
    ),
    ours(
        r#"x/${!match id.re_find_object("(?P<k>[a-z]+)=(?P<v>.*)") { this.k == "user" => this.v, _ => "other" }}"#,
        r#"{"id":"user=ann"}"#,
        Id("x/ann"),
    ),
    ours(
        r#"x/${!["a", "b"].map_each(x -> ["1", "2"].map_each(y -> x + y).join("")).join("|")}"#,
        "{}",
        Id("x/a1a2|b1b2"),
    ),
    // ---- paths the descriptor cannot type: read from the input's protojson
    ours(
        r#"x/${!labels.env}/${!labels.none.or("-")}"#,
        r#"{"labels":{"env":"prod","tier":"web"}}"#,
        Id("x/prod/-"),
    ),
    ours(
        r#"x/${!labels.keys().join(",")}/${!labels.string()}"#,
        r#"{"labels":{"env":"prod","tier":"web"}}"#,
        Id(r#"x/env,tier/{"env":"prod","tier":"web"}"#),
    ),
    ours(
        r#"x/${!tags.join("-")}/${!tags.contains("b").string()}"#,
        r#"{"tags":["a","b"]}"#,
        Id("x/a-b/true"),
    ),
    ours(r#"x/${!tags.join("-").or("none")}"#, "{}", Id("x/none")),
    ours(
        r#"x/${!attributes.k}/${!attributes.n.string()}/${!attributes.deep.list.1.string()}"#,
        r#"{"attributes":{"k":"v","n":1000000,"deep":{"list":[true,null]}}}"#,
        Id("x/v/1e+06/null"),
    ),
    ours(
        "x/${!outerSingle.string()}/${!outerList.0.string()}",
        r#"{"outerSingle":{"foo":"a","innerSingle":{"bar":"b"}},"outerList":[{"foo":"c"}]}"#,
        Id(r#"x/{"foo":"a","innerSingle":{"bar":"b"}}/{"foo":"c"}"#),
    ),
    ours(
        "x/${!this.string()}",
        r#"{"id":"a","intField":3,"count":"7","status":"STATUS_ACTIVE","createdAt":"2024-01-02T03:04:05Z"}"#,
        Id(
            r#"x/{"count":"7","createdAt":"2024-01-02T03:04:05Z","id":"a","intField":3,"status":"STATUS_ACTIVE"}"#,
        ),
    ),
    ours(
        r#"x/${!statuses.map_each(s -> s.string()).join(",")}"#,
        r#"{"statuses":["STATUS_ACTIVE",9]}"#,
        Id("x/STATUS_ACTIVE,9"),
    ),
    // ---- `if` (the first is the Go generator's expression test)
    ours(
        r#"test/${! if id.contains("z") { id.uppercase() } else { id.lowercase() } }/${! id }"#,
        r#"{"id":"zeb"}"#,
        Id("test/ZEB/zeb"),
    ),
    ours(
        r#"test/${! if id.contains("z") { id.uppercase() } else { id.lowercase() } }/${! id }"#,
        r#"{"id":"ABC"}"#,
        Id("test/abc/ABC"),
    ),
    ours(
        r#"x/${!if id == "a" { "b" } else { "c" }}"#,
        "{}",
        Id("x/c"),
    ),
    ours(
        r#"x/${!if id.uppercase() == "A" { "b" } else if id == "c" { "d" } else { "e" }}"#,
        r#"{"id":"c"}"#,
        Id("x/d"),
    ),
    // A condition that is not `true` is false, whatever its value.
    ours(
        r#"x/${!if id { "b" } else { "c" }}"#,
        r#"{"id":"a"}"#,
        Id("x/c"),
    ),
    ours(
        r#"x/${!if 5 < id { "a" } else { "b" }}"#,
        r#"{"id":"q"}"#,
        EvalError(&["failed to check if condition: cannot compare types number and string"]),
    ),
    ours(r#"x/${!if id == "a" { "b" }}"#, r#"{"id":"a"}"#, Id("x/b")),
    ours(
        r#"x/${!if id == "a" { "b" }}"#,
        r#"{"id":"q"}"#,
        EvalError(&["got: the input object"]),
    ),
    ours(
        "x/${!if false {\"a\"} else  if true {\"b\"} else {\"c\"}}",
        "{}",
        CompileError("expected `{` after `else`"),
    ),
    // ---- `match` cases that are queries
    ours(
        r#"x/${!match id { this == "a" => "b", _ => "c" }}"#,
        "{}",
        Id("x/c"),
    ),
    ours(
        r#"x/${!match id { this == "a" => "b", _ => "c" }}"#,
        r#"{"id":"a"}"#,
        Id("x/b"),
    ),
    ours(
        r#"x/${!match id { this.contains("a") => this + "!", _ => "c" }}"#,
        r#"{"id":"ab"}"#,
        Id("x/ab!"),
    ),
    ours(
        r#"x/${!match id { this.uppercase() => "b", _ => "c" }}"#,
        r#"{"id":"a"}"#,
        Id("x/c"),
    ),
    ours(
        r#"x/${!match id { "q" => "q", this < 5 => "t", _ => "c" }}"#,
        r#"{"id":"ab"}"#,
        EvalError(&["failed to check match case 1: cannot compare types string and number"]),
    ),
    ours(
        r#"x/${!match { id == "a" => "b", _ => "c" }}"#,
        r#"{"id":"a"}"#,
        Id("x/b"),
    ),
    // Operators on literals are folded to a literal case.
    ours(
        r#"x/${!match id { "a" + "b" => "lit", _ => "c" }}"#,
        r#"{"id":"ab"}"#,
        Id("x/lit"),
    ),
    ours(
        r#"x/${!match id { 1 == 1 => "t", _ => "c" }}"#,
        r#"{"id":"ab"}"#,
        Id("x/c"),
    ),
    ours(
        r#"x/${!match boolField { 1 => "one", _ => "c" }}"#,
        r#"{"boolField":true}"#,
        Id("x/one"),
    ),
    // ---- arithmetic
    ours(
        "x/${!(intField - 2).string()}",
        r#"{"intField":5}"#,
        Id("x/3"),
    ),
    ours(
        "x/${!(intField * 1.5).string()}",
        r#"{"intField":5}"#,
        Id("x/7.5"),
    ),
    ours("x/${!(5 / 2).string()}", "{}", Id("x/2.5")),
    ours(
        "x/${!(intField / 2).string()}",
        r#"{"intField":4}"#,
        Id("x/2"),
    ),
    ours("x/${!(7.5 % 2).string()}", "{}", Id("x/1")),
    ours(
        "x/${!(intField % 3).string()}",
        r#"{"intField":-7}"#,
        Id("x/-1"),
    ),
    ours(
        "x/${!(intField / 0).string()}",
        r#"{"intField":5}"#,
        EvalError(&["attempted to divide by zero"]),
    ),
    ours(
        "x/${!(9223372036854775807 + 1).string()}",
        "{}",
        Id("x/-9223372036854775808"),
    ),
    ours(
        "x/${!(-intField).string()}",
        r#"{"intField":5}"#,
        Id("x/-5"),
    ),
    // A minus negates the whole chain: `0 - "5"` fails.
    ours(r#"x/${!(-5.string()).or("neg")}"#, "{}", Id("x/neg")),
    ours(
        "x/${!(1 / (2 - 2)).string()}",
        "{}",
        CompileError("`/` of two literals: attempted to divide by zero"),
    ),
    ours(
        r#"x/${!("a" < 5).string()}"#,
        "{}",
        CompileError("`<` of two literals: cannot compare types string and number"),
    ),
    // An operator may end a line, not start one.
    ours("x/${!id +\n\"a\"}", r#"{"id":"q"}"#, Id("x/qa")),
    ours(
        "x/${!id\n+ \"a\"}",
        r#"{"id":"q"}"#,
        CompileError("unexpected `+`"),
    ),
    // ---- comparisons and logic
    ours(
        r#"x/${!(id < "b").string()}"#,
        r#"{"id":"a"}"#,
        Id("x/true"),
    ),
    ours("x/${!(id == 6).string()}", r#"{"id":"a"}"#, Id("x/false")),
    ours("x/${!(id == null).string()}", "{}", Id("x/true")),
    ours(
        "x/${!(id < 6).string()}",
        r#"{"id":"a"}"#,
        EvalError(&["cannot compare types string and number"]),
    ),
    ours(
        "x/${!(boolField == 1).string()}",
        r#"{"boolField":true}"#,
        Id("x/true"),
    ),
    ours(
        "x/${!(intField >= 5.0).string()}",
        r#"{"intField":5}"#,
        Id("x/true"),
    ),
    ours(
        "x/${!(boolField && true).string()}",
        r#"{"boolField":true}"#,
        Id("x/true"),
    ),
    ours(
        "x/${!(boolField && true).string()}",
        "{}",
        EvalError(&["expected bool value, got null"]),
    ),
    ours("x/${!(false && id).string()}", "{}", Id("x/false")),
    ours("x/${!(true || id).string()}", "{}", Id("x/true")),
    ours(
        "x/${!(true || false && false).string()}",
        "{}",
        Id("x/false"),
    ),
    ours(
        "x/${!(intField && true).string()}",
        r#"{"intField":2}"#,
        Id("x/true"),
    ),
    ours(
        "x/${!(!boolField).string()}",
        r#"{"boolField":true}"#,
        Id("x/false"),
    ),
    ours(
        "x/${!(!id).string()}",
        r#"{"id":"a"}"#,
        EvalError(&["expected bool value, got string"]),
    ),
    ours(r#"x/${!name | id | "d"}"#, r#"{"id":"q"}"#, Id("x/q")),
    ours(r#"x/${!throw("e") | "d"}"#, "{}", Id("x/d")),
    // ---- string predicates
    ours(
        "x/${!id.contains(intField).string()}",
        r#"{"id":"a5","intField":5}"#,
        Id("x/true"),
    ),
    ours(
        "x/${!id.contains(0.5).string()}",
        r#"{"id":"a0.5"}"#,
        Id("x/true"),
    ),
    ours(
        r#"x/${!id.has_prefix("a").string()}/${!id.has_suffix("a").string()}"#,
        r#"{"id":"ab"}"#,
        Id("x/true/false"),
    ),
    ours(
        r#"x/${!intField.contains("5").string()}"#,
        r#"{"intField":5}"#,
        EvalError(&["expected string, array or object value, got number"]),
    ),
    ours(
        "x/${!id.has_prefix(5).string()}",
        "{}",
        CompileError("`has_prefix` of a literal that is not a string"),
    ),
    ours(
        "x/${!id.or()}",
        "{}",
        CompileError("method `or` takes 1 argument(s), got 0"),
    ),
    ours("x/${!}", "{}", Id("x/")),
    ours("x/${! }", "{}", CompileError("empty query")),
    ours("x/${!id", "{}", CompileError("unterminated query")),
];
