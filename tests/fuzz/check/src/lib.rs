//! The fuzz harness's sampled outputs, one module each (see `build.rs`):
//! generated code must compile without a warning and its doc comments must
//! pass as doctests. Without `FUZZ_CHECK_DIR` the crate is empty.

#![deny(warnings)]

include!(concat!(env!("OUT_DIR"), "/samples.rs"));
