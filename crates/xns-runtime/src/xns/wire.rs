//! The `temporal.xns.v1` messages: the inputs of the XNS activities, wire
//! compatible with the Go generator's, so a Go caller and a Rust XNS worker
//! (or the reverse) interoperate. User messages travel packed in
//! `google.protobuf.Any` (see [`super::pack`] and [`super::unpack`]).
//!
//! `temporal.xns.v1/` holds protoc-gen-prost's output for
//! `proto/temporal/xns/v1/xns.proto`, committed so that building the
//! runtime needs no protoc; `tests/wire_current.rs` checks it is current.
//! `temporal.api` types are the SDK's; `temporal.v1.ParentClosePolicy`
//! maps to this package's own enum, which has the same numbers.

#![allow(missing_docs, clippy::all)]

include!("wire/temporal.xns.v1.rs");
