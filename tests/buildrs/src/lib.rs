//! The code `protoc_gen_rust_temporal::Builder` generated in build.rs,
//! included with the one line users write. That it compiles (warning-free,
//! with the real SDK crates) is the pipeline test.

#[allow(missing_docs)]
pub mod protos {
    include!(concat!(env!("OUT_DIR"), "/temporal_protos.rs"));
}

#[cfg(test)]
mod tests {
    use super::protos::example::v1::{CreateFooRequest, example_temporal};

    #[test]
    fn generated_items_are_reachable() {
        assert_eq!(
            example_temporal::CREATE_FOO_WORKFLOW_NAME,
            "example.v1.Example.CreateFoo"
        );
        assert_eq!(example_temporal::EXAMPLE_TASK_QUEUE, "example-v1");
        let _ = CreateFooRequest::default();
        // The xns module is there too.
        let _ = example_temporal::xns::WorkflowCallOptions::new();
    }
}
