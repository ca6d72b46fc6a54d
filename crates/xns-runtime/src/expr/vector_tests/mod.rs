//! End-to-end runs of the ID-expression test vectors: the code
//! protoc-gen-rust-temporal emits for each vector (`emitted.rs`, kept
//! current by that crate's `runtime_vector_code_is_up_to_date` test),
//! compiled here against the prost types of the test proto (`pb.rs`) and
//! run on the vector inputs.

#[rustfmt::skip]
mod emitted;
#[allow(clippy::all, dead_code)]
#[rustfmt::skip]
mod pb;
#[path = "../../../../protoc-gen-rust-temporal/src/expr/vectors.rs"]
mod vectors;

use std::cell::Cell;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use prost::Message as _;
use prost_reflect::{DescriptorPool, DynamicMessage};

use super::IdEnv;
use emitted::{FUNCTIONS, IdFn};
use vectors::{Expect, VECTORS};

const DESCRIPTOR_SET: &[u8] =
    include_bytes!("../../../../protoc-gen-rust-temporal/tests/protos/expr/expr_test.binpb");

static DESCRIPTORS: crate::payload::Descriptors = crate::payload::Descriptors::new(DESCRIPTOR_SET);

/// The descriptor source of the test proto, as `proto_messages!` declares
/// one per generated file.
pub struct Source;

impl crate::payload::DescriptorSource for Source {
    fn descriptors() -> &'static crate::payload::Descriptors {
        &DESCRIPTORS
    }
}

/// What generated code gives every message: the emitted code reads the
/// input's protojson for the paths it cannot type.
impl crate::payload::ProtoMessage for pb::ExprInput {
    const FULL_NAME: &'static str = "test.expr.v1.ExprInput";
    type Source = Source;
}

/// A deterministic environment, like a workflow's.
struct FixedEnv {
    state: Cell<u64>,
}

impl FixedEnv {
    fn new() -> Self {
        Self {
            state: Cell::new(42),
        }
    }
}

impl IdEnv for FixedEnv {
    fn random_u64(&self) -> u64 {
        // splitmix64
        let s = self.state.get().wrapping_add(0x9E37_79B9_7F4A_7C15);
        self.state.set(s);
        let z = (s ^ (s >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        let z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn now(&self) -> SystemTime {
        UNIX_EPOCH + Duration::new(1_700_000_000, 250_000_000)
    }
}

/// The `test.expr.v1.ExprInput` of a protojson input.
fn parse_input(json: &str) -> pb::ExprInput {
    let pool = DescriptorPool::decode(DESCRIPTOR_SET).expect("descriptor set");
    let desc = pool
        .get_message_by_name("test.expr.v1.ExprInput")
        .expect("ExprInput");
    let mut de = serde_json::Deserializer::from_str(json);
    let dynamic = DynamicMessage::deserialize(desc, &mut de).expect("protojson input");
    pb::ExprInput::decode(dynamic.encode_to_vec().as_slice()).expect("prost decodes")
}

fn function(template: &str) -> Option<IdFn> {
    FUNCTIONS
        .iter()
        .find(|(t, _)| *t == template)
        .map(|(_, f)| *f)
}

#[test]
fn every_vector_evaluates_as_expected() {
    assert_eq!(VECTORS.iter().filter(|v| v.from_spec).count(), 15);
    for v in VECTORS {
        let id_fn = function(v.template);
        let (want_id, want_errors) = match v.expect {
            Expect::CompileError(_) => {
                assert!(id_fn.is_none(), "{} has emitted code", v.template);
                continue;
            }
            Expect::Id(id) => (Some(id), &[][..]),
            Expect::EvalError(errors) => (None, errors),
        };
        let id_fn = id_fn.unwrap_or_else(|| panic!("no emitted code for {}", v.template));
        let result = id_fn(&parse_input(v.input_json), &FixedEnv::new());
        match (want_id, result) {
            (Some(want), Ok(got)) => assert_eq!(got, want, "{}", v.template),
            (Some(_), Err(e)) => panic!("{} on {}: {e}", v.template, v.input_json),
            (None, Ok(got)) => panic!("{} on {} gave {got}", v.template, v.input_json),
            (None, Err(e)) => {
                let e = e.to_string();
                for want in want_errors {
                    assert!(e.contains(want), "{}: {e} lacks {want}", v.template);
                }
                assert!(e.contains(v.template), "{e}");
            }
        }
    }
}

#[test]
fn env_functions_draw_from_the_env() {
    let f = function("f/${!uuid_v4()}/${!nanoid()}/${!ksuid()}/${!now()}").expect("emitted");
    let input = parse_input("{}");
    let id = f(&input, &FixedEnv::new()).expect("evaluates");
    assert_eq!(
        id,
        f(&input, &FixedEnv::new()).expect("evaluates"),
        "deterministic"
    );
    let parts: Vec<&str> = id.split('/').collect();
    let [prefix, uuid, nanoid, ksuid, now] = parts[..] else {
        panic!("{id}");
    };
    assert_eq!(prefix, "f");
    assert_eq!(uuid.len(), 36, "{uuid}");
    assert_eq!(&uuid[14..15], "4", "{uuid}");
    assert_eq!(nanoid.len(), 21, "{nanoid}");
    assert_eq!(ksuid.len(), 27, "{ksuid}");
    assert_eq!(now, "2023-11-14T22:13:20.25Z");

    let client = f(&input, &super::ClientIdEnv).expect("evaluates");
    assert_ne!(client, f(&input, &super::ClientIdEnv).expect("evaluates"));

    let or = function("f/${!name.or(uuid_v4())}").expect("emitted");
    assert_eq!(
        or(&parse_input(r#"{"name":"n"}"#), &FixedEnv::new()).as_deref(),
        Ok("f/n")
    );
    assert_eq!(or(&input, &FixedEnv::new()).map(|s| s.len()), Ok(38));
}
