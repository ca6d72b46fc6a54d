//! What a checked query can yield, as Go's evaluation would type it: the
//! kinds of protojson values (string, number, bool, null) its paths read,
//! carried through the methods. An ID query that yields values but never a
//! string fails for every input in Go; the compiler reports it instead.

use prost_reflect::Kind;

use super::check::{Func, Ir, LeafKind, Method, access_field};
use super::parse::BinOp;

/// A set of value kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Kinds(u8);

impl Kinds {
    pub const NONE: Self = Self(0);
    pub const STRING: Self = Self(1);
    pub const NUMBER: Self = Self(2);
    pub const BOOL: Self = Self(4);
    pub const NULL: Self = Self(8);
    pub const BYTES: Self = Self(16);
    pub const ARRAY: Self = Self(32);
    pub const OBJECT: Self = Self(64);
    /// Whatever a value read at run time may be.
    pub const ANY: Self = Self(127);

    pub fn union(self, other: Self) -> Self {
        Self(self.0 | other.0)
    }

    fn without(self, other: Self) -> Self {
        Self(self.0 & !other.0)
    }

    pub fn contains(self, other: Self) -> bool {
        self.0 & other.0 == other.0 && other.0 != 0
    }

    /// The kinds in words, for messages: `a number or null`.
    pub fn describe(self) -> String {
        let words: Vec<&str> = [
            (Self::STRING, "a string"),
            (Self::NUMBER, "a number"),
            (Self::BOOL, "a boolean"),
            (Self::NULL, "null"),
            (Self::BYTES, "bytes"),
            (Self::ARRAY, "an array"),
            (Self::OBJECT, "an object"),
        ]
        .into_iter()
        .filter(|(k, _)| self.contains(*k))
        .map(|(_, w)| w)
        .collect();
        match words.as_slice() {
            [] => "nothing".to_string(),
            [one] => (*one).to_string(),
            [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
        }
    }
}

/// The kinds `ir` can evaluate to (errors aside). A `match` that no case
/// matches yields the input object, of no kind here.
pub(crate) fn kinds(ir: &Ir) -> Kinds {
    kinds_in(ir, Kinds::NONE)
}

/// [`kinds`] where `this` in a `match` case (the matched value) is of
/// kinds `matched`.
fn kinds_in(ir: &Ir, matched: Kinds) -> Kinds {
    let kinds = |ir: &Ir| kinds_in(ir, matched);
    match ir {
        Ir::Path(path) => {
            let field = access_field(&path.leaf);
            // A field holding its default, or unset, or behind an unset
            // message, is null in protojson.
            let null = Kinds::NULL;
            match &path.kind {
                LeafKind::NullValue => Kinds::NULL,
                LeafKind::Timestamp | LeafKind::Duration => Kinds::STRING.union(null),
                // A known value is its name; an unknown number stays one.
                LeafKind::Enum(_) => Kinds::STRING.union(Kinds::NUMBER).union(null),
                LeafKind::Scalar => scalar(&field.kind()).union(null),
            }
        }
        Ir::Str(_) => Kinds::STRING,
        Ir::Int(_) | Ir::Float(_) => Kinds::NUMBER,
        Ir::Bool(_) => Kinds::BOOL,
        Ir::Null => Kinds::NULL,
        Ir::Func(Func::UuidV4 | Func::Nanoid | Func::Ksuid | Func::Now) => Kinds::STRING,
        Ir::Throw(_) => Kinds::NONE,
        Ir::Matched(path) if path.is_empty() => matched,
        // A field or index of a scalar is null.
        Ir::Matched(_) if !matched.contains(Kinds::ARRAY) && !matched.contains(Kinds::OBJECT) => {
            Kinds::NULL
        }
        Ir::Matched(_) | Ir::Local(..) | Ir::Select(..) => Kinds::ANY,
        Ir::Array(_) => Kinds::ARRAY,
        Ir::Object(_) => Kinds::OBJECT,
        Ir::Json(_, kinds) => *kinds,
        Ir::Binary(op, left, right) => {
            let (left, right) = (kinds(left), kinds(right));
            let both = |k: Kinds| left.contains(k) && right.contains(k);
            let numbers = if both(Kinds::NUMBER) {
                Kinds::NUMBER
            } else {
                Kinds::NONE
            };
            match op {
                BinOp::Add if both(Kinds::STRING) => Kinds::STRING.union(numbers),
                BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => numbers,
                BinOp::Coalesce => left.without(Kinds::NULL).union(right),
                _ => Kinds::BOOL,
            }
        }
        Ir::Not(_) => Kinds::BOOL,
        Ir::Match { target, arms } => {
            let matched = target.as_deref().map_or(matched, kinds);
            arms.iter()
                .map(|(_, result)| kinds_in(result, matched))
                .fold(Kinds::NONE, Kinds::union)
        }
        Ir::If {
            branches,
            otherwise,
        } => branches
            .iter()
            .map(|(_, result)| result)
            .chain(otherwise.as_deref())
            .map(kinds)
            .fold(Kinds::NONE, Kinds::union),
        Ir::Method(target, method) => {
            let target = kinds(target);
            match method {
                Method::Or(fallback) => target.without(Kinds::NULL).union(kinds(fallback)),
                Method::Catch(fallback) => target.union(kinds(fallback)),
                Method::String => Kinds::STRING,
                Method::NotEmpty => target.without(Kinds::NULL),
                Method::Slug => {
                    if target.contains(Kinds::STRING) || target.contains(Kinds::BYTES) {
                        Kinds::STRING
                    } else {
                        Kinds::NONE
                    }
                }
                // Bytes stay bytes.
                Method::Uppercase | Method::Lowercase | Method::Capitalize => {
                    [Kinds::STRING, Kinds::BYTES]
                        .into_iter()
                        .filter(|k| target.contains(*k))
                        .fold(Kinds::NONE, Kinds::union)
                }
                Method::Contains(_) | Method::HasPrefix(_) | Method::HasSuffix(_) => {
                    if target.contains(Kinds::STRING) {
                        Kinds::BOOL
                    } else {
                        Kinds::NONE
                    }
                }
                Method::ReFindObject(_) | Method::Without(_) => Kinds::OBJECT,
                Method::KeyValues | Method::Keys | Method::Values | Method::SortBy(_) => {
                    Kinds::ARRAY
                }
                Method::MapEach(_) => Kinds::ARRAY.union(Kinds::OBJECT),
                Method::Join(_) => Kinds::STRING,
                Method::Get(_) => Kinds::ANY,
                Method::Decode(_) => Kinds::BYTES,
                Method::Int64 => Kinds::NUMBER,
                Method::TsParse(_) => Kinds::STRING,
            }
        }
    }
}

/// The protojson kind of a scalar field (or of the scalar a wrapper
/// message holds): 64-bit integers and bytes are strings.
fn scalar(kind: &Kind) -> Kinds {
    match kind {
        Kind::String | Kind::Bytes => Kinds::STRING,
        Kind::Int64 | Kind::Uint64 | Kind::Sint64 | Kind::Fixed64 | Kind::Sfixed64 => Kinds::STRING,
        Kind::Bool => Kinds::BOOL,
        Kind::Message(m) => match m.full_name() {
            "google.protobuf.StringValue"
            | "google.protobuf.BytesValue"
            | "google.protobuf.Int64Value"
            | "google.protobuf.UInt64Value" => Kinds::STRING,
            "google.protobuf.BoolValue" => Kinds::BOOL,
            _ => Kinds::NUMBER,
        },
        _ => Kinds::NUMBER,
    }
}
