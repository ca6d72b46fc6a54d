//! Compile fixture and end-to-end test support.
//!
//! `generated` holds the code that `protoc --prost_out --rust-temporal_out`
//! generates for the test protos (see build.rs): that it compiles, with the
//! real SDK crates, is the compile test of the generator.

pub mod counter;

// The crates generated code and the tests build on, for the compile-fail
// tests (`tests/compile_fail.rs`), which link only this crate.
pub use temporalio_common;
pub use temporalio_sdk;
pub use xns_runtime;

/// The dev server the tests run against (shared with the examples).
pub use temporal_devserver as devserver;
pub mod python;
pub mod workers;
pub mod xns_callers;
pub mod xns_faults;

/// Generated code for the test protos, one module per proto package.
pub mod generated {
    pub mod example {
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/gen/example/v1/example.v1.rs"));
        }
    }
    pub mod kitchen {
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/gen/kitchen/v1/kitchen.v1.rs"));
        }
        pub mod common {
            pub mod v1 {
                include!(concat!(
                    env!("OUT_DIR"),
                    "/gen/kitchen/common/v1/kitchen.common.v1.rs"
                ));
            }
        }
    }
    pub mod interop {
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/gen/interop/v1/interop.v1.rs"));
        }
    }
    pub mod worker {
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/gen/worker/v1/worker.v1.rs"));
        }
    }
    pub mod clock {
        pub mod v1 {
            include!(concat!(env!("OUT_DIR"), "/gen/clock/v1/clock.v1.rs"));
        }
    }
}
