//! The generated code in a crate on edition 2021. Generated code compiles
//! in the user's crate, under the user's edition: the rules that differ
//! between editions (what a returned `impl Future` captures, keywords,
//! prelude) must hold in both. Building this crate is the check; the test
//! below names a few items so that a surface going missing fails too.

#![allow(dead_code)]

/// The generated code: prost messages and the Temporal modules.
pub mod protos {
    include!(concat!(env!("OUT_DIR"), "/temporal_protos.rs"));
}

#[cfg(test)]
mod tests {
    use super::protos::example::v1::example_temporal::{self as example, xns, ExampleClient};

    #[test]
    fn every_surface_is_there_on_edition_2021() {
        assert_eq!(
            example::CREATE_FOO_WORKFLOW_NAME,
            "example.v1.Example.CreateFoo"
        );
        let _client: fn(xns_runtime::codegen::Client) -> ExampleClient = ExampleClient::new;
        let _xns = xns::create_foo::<()>;
    }
}
