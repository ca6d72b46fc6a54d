//! The Rust side of the Go peer tests.
//!
//! The Go generator (protoc-gen-go-temporal v1.24.0) and the Go SDK are the
//! oracle: [`peer`] runs our Go test peer (this directory's Go module), which
//! drives the Go generator's committed output. [`corpus`] is our generated
//! code for the same protos. The tests under `tests/` compare what the two
//! do, and hold every known difference to the committed list in
//! `divergences.toml` ([`ratchet`]).

pub mod compare;
pub mod corpus;
pub mod harness;
pub mod interop;
pub mod peer;
pub mod proxy;
pub mod ratchet;
