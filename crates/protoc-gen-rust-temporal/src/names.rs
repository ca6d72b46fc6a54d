//! Rust names of protobuf items, following the conventions of prost-build
//! (and therefore protoc-gen-prost), so that generated code reaches the
//! message types that prost emitted for the same protos.

use std::cell::RefCell;
use std::collections::HashMap;

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::{Ident, Span, TokenStream};
use prost_reflect::{EnumDescriptor, MessageDescriptor, OneofDescriptor};
use quote::{format_ident, quote};

/// Words that need `r#` (or a trailing `_` where raw identifiers are not
/// allowed) to be used as identifiers.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "false", "fn",
    "for", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref",
    "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where", "while",
    "abstract", "become", "box", "do", "final", "gen", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; prost appends `_` to them.
const NON_RAW_KEYWORDS: &[&str] = &["_", "self", "Self", "super", "extern", "crate"];

/// A case convention of generated names.
#[derive(Debug, Clone, Copy)]
enum Case {
    Snake,
    UpperCamel,
    ShoutySnake,
}

thread_local! {
    /// Conversions done on this thread: the generator asks for the same
    /// few names of each method many times (every renderer and the name
    /// check), and heck's conversion costs more than a lookup.
    static CONVERTED: RefCell<[HashMap<Box<str>, Box<str>>; 3]> = RefCell::default();
}

/// Conversions kept per case before the cache starts over: a process that
/// generates again and again (a build script, the fuzz harness) must not
/// keep every name it ever saw. A thousand-method request stays well under.
const CONVERTED_MAX: usize = 16 * 1024;

/// `name` in `case`, as heck converts it.
fn convert(case: Case, name: &str) -> String {
    CONVERTED.with(|cache| {
        let mut caches = cache.borrow_mut();
        let cache = &mut caches[case as usize];
        if let Some(done) = cache.get(name) {
            return done.to_string();
        }
        let done = match case {
            Case::Snake => name.to_snake_case(),
            Case::UpperCamel => name.to_upper_camel_case(),
            Case::ShoutySnake => name.to_shouty_snake_case(),
        };
        if cache.len() >= CONVERTED_MAX {
            cache.clear();
        }
        cache.insert(Box::from(name), Box::from(done.as_str()));
        done
    })
}

/// `name` in snake_case (heck's conversion, as prost-build's).
pub fn snake_case(name: &str) -> String {
    convert(Case::Snake, name)
}

/// `name` in UpperCamelCase (heck's conversion, as prost-build's).
pub fn upper_camel_case(name: &str) -> String {
    convert(Case::UpperCamel, name)
}

/// `name` in SHOUTY_SNAKE_CASE (heck's conversion).
pub fn shouty_snake_case(name: &str) -> String {
    convert(Case::ShoutySnake, name)
}

/// Makes an identifier out of `name`, escaping keywords the way prost does.
pub fn ident(name: &str) -> Ident {
    if NON_RAW_KEYWORDS.contains(&name) {
        format_ident!("{}_", name)
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format_ident!("_{}", name)
    } else if KEYWORDS.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// The name an identifier made by [`ident`] escapes: `r#type` -> `type`,
/// `self_` -> `self`. Names composed from it (`self_async`, `SelfHandle`)
/// are escaped again as a whole, so they do not carry the escape inside.
pub fn unescaped(ident: &Ident) -> String {
    let s = ident.to_string();
    if let Some(rest) = s.strip_prefix("r#") {
        return rest.to_string();
    }
    match s.strip_suffix('_') {
        Some(keyword) if NON_RAW_KEYWORDS.contains(&keyword) => keyword.to_string(),
        _ => s,
    }
}

/// Why `name` (a proto package segment, service, method or message name)
/// cannot name generated Rust items, if it cannot. It must be a proto
/// identifier (`[A-Za-z_][A-Za-z0-9_]*`; a request built by hand may hold
/// anything), and its snake_case, UpperCamelCase and SHOUTY_SNAKE_CASE
/// forms must start with a letter: the case conversions drop leading
/// underscores, so a method `_1` would give a constant `1_ACTIVITY_NAME`
/// and a message `_` no type name at all.
pub fn unusable_as_ident(name: &str) -> Option<String> {
    let mut chars = name.chars();
    let valid = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !valid {
        return Some("it is not a protobuf identifier".to_string());
    }
    let forms = [
        snake_case(name),
        upper_camel_case(name),
        shouty_snake_case(name),
    ];
    forms
        .iter()
        .find(|f| !f.starts_with(|c: char| c.is_ascii_alphabetic()))
        .map(|f| {
            format!(
                "its Rust form `{f}` does not start with a letter; \
                 give it a name that starts with a letter after any underscores"
            )
        })
}

/// snake_case identifier (functions, fields, modules).
pub fn snake(name: &str) -> Ident {
    ident(&snake_case(name))
}

/// UpperCamelCase identifier (types).
pub fn camel(name: &str) -> Ident {
    ident(&upper_camel_case(name))
}

/// The prost field identifier of a message field.
pub fn field_ident(field_name: &str) -> Ident {
    snake(field_name)
}

/// Path of a module relative to the module of `from_package`, as prost
/// resolves it: skip the segments both share, `super::` for each remaining
/// segment of `from_package`, then down into the rest of `to_package`.
pub fn relative_package_path(from_package: &str, to_package: &str) -> TokenStream {
    let from: Vec<&str> = from_package.split('.').filter(|s| !s.is_empty()).collect();
    let to: Vec<&str> = to_package.split('.').filter(|s| !s.is_empty()).collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let supers = (common..from.len()).map(|_| quote!(super::));
    let downs = to[common..].iter().map(|s| snake(s));
    quote!(#(#supers)* #(#downs::)*)
}

/// Nesting modules of an item declared inside messages: `outer::inner::`.
fn parent_message_modules(full_name: &str, package: &str) -> (Vec<Ident>, String) {
    let local = full_name
        .strip_prefix(package)
        .map(|s| s.trim_start_matches('.'))
        .unwrap_or(full_name);
    let mut parts: Vec<&str> = local.split('.').collect();
    let last = parts.pop().unwrap_or_default().to_string();
    (parts.into_iter().map(snake).collect(), last)
}

/// The Rust type prost-build gives a well-known type: a primitive for the
/// wrappers, `()` for Empty, else the `::prost_types` struct.
pub fn well_known_type(full_name: &str) -> Option<TokenStream> {
    let name = full_name.strip_prefix("google.protobuf.")?;
    Some(match name {
        "Empty" => quote!(()),
        "DoubleValue" => quote!(f64),
        "FloatValue" => quote!(f32),
        "Int64Value" => quote!(i64),
        "UInt64Value" => quote!(u64),
        "Int32Value" => quote!(i32),
        "UInt32Value" => quote!(u32),
        "BoolValue" => quote!(bool),
        "StringValue" => quote!(String),
        "BytesValue" => quote!(Vec<u8>),
        _ => {
            let ident = camel(name);
            quote!(::prost_types::#ident)
        }
    })
}

/// The wrapper messages, which prost maps to a primitive (and protojson to
/// the bare value).
pub const WRAPPERS: &[&str] = &[
    "google.protobuf.DoubleValue",
    "google.protobuf.FloatValue",
    "google.protobuf.Int64Value",
    "google.protobuf.UInt64Value",
    "google.protobuf.Int32Value",
    "google.protobuf.UInt32Value",
    "google.protobuf.BoolValue",
    "google.protobuf.StringValue",
    "google.protobuf.BytesValue",
];

/// Whether a well-known type other than Empty can be a Temporal input or
/// output: the wrappers and the types the runtime's `WellKnownType` covers
/// besides them.
pub fn is_payload_well_known(full_name: &str) -> bool {
    const OTHERS: &[&str] = &[
        "google.protobuf.Any",
        "google.protobuf.Duration",
        "google.protobuf.Timestamp",
        "google.protobuf.Struct",
        "google.protobuf.Value",
        "google.protobuf.ListValue",
        "google.protobuf.FieldMask",
    ];
    WRAPPERS.contains(&full_name) || OTHERS.contains(&full_name)
}

/// Path of a message type, relative to the module of `from_package`.
pub fn message_path(from_package: &str, message: &MessageDescriptor) -> TokenStream {
    if let Some(wkt) = well_known_type(message.full_name()) {
        return wkt;
    }
    item_path(from_package, message.package_name(), message.full_name())
}

/// Path of an enum type, relative to the module of `from_package`.
pub fn enum_path(from_package: &str, enum_desc: &EnumDescriptor) -> TokenStream {
    item_path(
        from_package,
        enum_desc.package_name(),
        enum_desc.full_name(),
    )
}

/// Path of the Rust enum prost emits for a (non-synthetic) oneof.
pub fn oneof_path(from_package: &str, oneof: &OneofDescriptor) -> TokenStream {
    let parent = oneof.parent_message();
    let pkg = relative_package_path(from_package, parent.package_name());
    let (mut mods, last) = parent_message_modules(parent.full_name(), parent.package_name());
    mods.push(snake(&last));
    let ty = camel(oneof.name());
    quote!(#pkg #(#mods::)* #ty)
}

fn item_path(from_package: &str, package: &str, full_name: &str) -> TokenStream {
    let pkg = relative_package_path(from_package, package);
    let (mods, last) = parent_message_modules(full_name, package);
    let ty = camel(&last);
    quote!(#pkg #(#mods::)* #ty)
}

/// An item prost-build declares in the module of a package. All of them
/// are in the type namespace (messages, enums, modules).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProstItem {
    /// Its identifier, without `r#`.
    pub name: String,
    /// What declares it, for error messages (`message `Foo``).
    pub what: String,
}

/// The items prost-build declares in the module of `package`, as far as
/// `pool` knows the package: per message its struct and, when it has
/// nested messages (other than map entries), enums or oneofs (other than
/// the synthetic ones of proto3 `optional`), its module of nested types
/// (`foo_temporal` for a message `FooTemporal`); per enum its type; and a
/// module per sub-package (`a.b.c` in `a.b`), as the module trees of
/// prost-build's `include_file` and of hand-written `include!`s nest them.
///
/// Names that give no Rust identifier ([`unusable_as_ident`]) are left out:
/// prost's code for them does not compile anyway, and they would make
/// no identifier here.
pub fn prost_items(pool: &prost_reflect::DescriptorPool, package: &str) -> Vec<ProstItem> {
    let text = |ident: Ident| ident.to_string().trim_start_matches("r#").to_string();
    let usable = |name: &str| unusable_as_ident(name).is_none();
    let mut out = Vec::new();
    for file in pool.files().filter(|f| f.package_name() == package) {
        for message in file.messages().filter(|m| usable(m.name())) {
            out.push(ProstItem {
                name: text(camel(message.name())),
                what: format!("message `{}`", message.full_name()),
            });
            let has_module = message.child_enums().next().is_some()
                || message.child_messages().any(|m| !m.is_map_entry())
                || message.oneofs().any(|o| !o.is_synthetic());
            if has_module {
                out.push(ProstItem {
                    name: text(snake(message.name())),
                    what: format!(
                        "the module of the nested types of message `{}`",
                        message.full_name()
                    ),
                });
            }
        }
        for e in file.enums().filter(|e| usable(e.name())) {
            out.push(ProstItem {
                name: text(camel(e.name())),
                what: format!("enum `{}`", e.full_name()),
            });
        }
    }
    let prefix = if package.is_empty() {
        String::new()
    } else {
        format!("{package}.")
    };
    let mut subpackages: Vec<String> = pool
        .files()
        .filter_map(|f| {
            let rest = f.package_name().strip_prefix(prefix.as_str())?;
            let segment = rest.split('.').next()?;
            usable(segment).then(|| segment.to_string())
        })
        .collect();
    subpackages.sort();
    subpackages.dedup();
    for segment in subpackages {
        out.push(ProstItem {
            name: text(snake(&segment)),
            what: format!("the module of package `{prefix}{segment}`"),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_conversions_are_heck_s_and_their_cache_stays_bounded() {
        for i in 0..CONVERTED_MAX + 10 {
            let name = format!("HTTPServer{i}Name");
            assert_eq!(snake_case(&name), name.to_snake_case());
            assert_eq!(upper_camel_case(&name), name.to_upper_camel_case());
        }
        assert_eq!(snake_case("HTTPServer0Name"), "http_server0_name");
        let sizes = CONVERTED.with(|c| c.borrow().iter().map(HashMap::len).collect::<Vec<_>>());
        assert!(sizes.iter().all(|&n| n <= CONVERTED_MAX), "{sizes:?}");
    }

    #[test]
    fn keywords_are_escaped_like_prost() {
        assert_eq!(ident("type").to_string(), "r#type");
        assert_eq!(ident("self").to_string(), "self_");
        assert_eq!(snake("FooBar").to_string(), "foo_bar");
        assert_eq!(camel("foo_bar").to_string(), "FooBar");
    }

    #[test]
    fn names_that_give_no_rust_identifier_are_named() {
        assert_eq!(unusable_as_ident("CreateFoo"), None);
        assert_eq!(unusable_as_ident("_Private"), None);
        assert_eq!(unusable_as_ident("v1"), None);
        assert!(unusable_as_ident("_1").unwrap().contains("`1`"));
        assert!(unusable_as_ident("_").is_some());
        assert!(unusable_as_ident("").is_some());
        assert!(
            unusable_as_ident("a-b")
                .unwrap()
                .contains("not a protobuf identifier")
        );
        assert!(unusable_as_ident("é").is_some());
    }

    #[test]
    fn relative_paths_climb_then_descend() {
        assert_eq!(relative_package_path("a.v1", "a.v1").to_string(), "");
        assert_eq!(
            relative_package_path("a.v1", "b.c.v2").to_string(),
            "super :: super :: b :: c :: v2 ::"
        );
        assert_eq!(
            relative_package_path("a.v1", "a.v2").to_string(),
            "super :: v2 ::"
        );
        let (mods, last) = parent_message_modules("a.v1.Outer.Inner", "a.v1");
        assert_eq!(mods.len(), 1);
        assert_eq!(mods[0].to_string(), "outer");
        assert_eq!(last, "Inner");
    }
}
