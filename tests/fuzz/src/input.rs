//! One fuzz input as a pure function of the run's seed and its index: a
//! mutant of a captured request, or generated protos compiled to a request.

use crate::compile::{self, Schema};
use crate::mutate;
use crate::protogen::{self, Protos};
use crate::rng::Rng;

/// Which inputs a run makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Mutants of captured requests.
    Mutants,
    /// Generated protos.
    Protos,
    /// Both: three mutants, then a generated proto.
    Mixed,
}

impl Mode {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "mutants" => Some(Self::Mutants),
            "protos" => Some(Self::Protos),
            "mixed" => Some(Self::Mixed),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Mutants => "mutants",
            Self::Protos => "protos",
            Self::Mixed => "mixed",
        }
    }
}

/// An input and how it was made.
pub struct Input {
    pub request: Vec<u8>,
    /// The generated protos, for inputs of the proto mode.
    pub protos: Option<Protos>,
}

/// Plugin parameters, mostly absent.
const PARAMETERS: &[&str] = &[
    "flat_output_dir",
    "module_insertion=false",
    "module_insertion=false,flat_output_dir=true",
    "runtime_crate=::my_runtime",
    "runtime_crate=crate::rt",
    "runtime_crate=Vec<u8>",
    "unknown=1",
    "flat_output_dir=maybe",
    ",,",
];

/// Builds input `index`. `Err` when protox rejects the generated protos
/// (the generator aims at valid protos; these are counted, not findings).
pub fn make(
    seed: u64,
    index: u64,
    mode: Mode,
    seeds: &[Vec<u8>],
    schema: &Schema,
) -> Result<Input, String> {
    let mut rng = Rng::for_input(seed, index);
    let proto_mode = match mode {
        Mode::Mutants => false,
        Mode::Protos => true,
        // A generated proto costs the plugin about five times what a
        // mutant does: one input in four.
        Mode::Mixed => index % 4 == 3,
    };
    if proto_mode {
        let protos = protogen::generate(&mut rng);
        let parameter = rng.chance(10).then(|| rng.pick(PARAMETERS).to_string());
        let request = compile::request(schema, &protos, parameter)?;
        Ok(Input {
            request,
            protos: Some(protos),
        })
    } else {
        let seed_request = rng.pick(seeds).clone();
        let donor = rng.pick(seeds).clone();
        Ok(Input {
            request: mutate::mutate(&mut rng, &seed_request, &donor),
            protos: None,
        })
    }
}
