//! Typed `temporal.v1` options read from the descriptor pool.
//!
//! The option messages are the prost types of our own schema
//! (`proto/temporal/v1/temporal.proto`), generated once and committed under
//! `generated/` (the test `schema_is_current` keeps them in sync). Options are
//! read from the user's pool by extension number and re-decoded into these
//! types through the wire format, so a user's copy of the Go generator's
//! schema (same numbers) works unchanged.

mod read;

pub use read::{
    MethodOptions, ServiceOptionSet, has_command, has_field_options, has_service_cli,
    method_options, service_options,
};

/// Prost types of the `temporal.v1` schema and the `temporal.api` types it uses.
#[allow(missing_docs, clippy::all, rustdoc::all)]
pub mod schema {
    /// `temporal.*` packages.
    pub mod temporal {
        /// `temporal.v1`.
        pub mod v1 {
            include!("generated/temporal.v1.rs");
        }
        /// `temporal.api.*`.
        pub mod api {
            /// `temporal.api.common.*`.
            pub mod common {
                /// `temporal.api.common.v1`.
                pub mod v1 {
                    include!("generated/temporal.api.common.v1.rs");
                }
            }
            /// `temporal.api.enums.*`.
            pub mod enums {
                /// `temporal.api.enums.v1`.
                pub mod v1 {
                    include!("generated/temporal.api.enums.v1.rs");
                }
            }
        }
    }
    pub use temporal::v1::*;
}
