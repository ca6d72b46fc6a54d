//! Cross-namespace (XNS) calls: the wire messages the XNS activities take
//! and the packing of user messages into them.
//!
//! Go's default data converter sends these activity inputs as
//! `json/protobuf`. In protojson a `google.protobuf.Any` embeds the packed
//! message's own fields (`{"@type": ..., "name": ...}`), so encoding or
//! decoding an XNS input as JSON needs the descriptors of the user messages
//! as well as those of `temporal.xns.v1`.

pub(crate) mod any;
mod caller;
pub mod codec;
mod defs;
mod error;
mod options;
mod register;
pub mod serve;
#[cfg(test)]
mod test_support;
pub mod wire;

pub use any::{AnyError, pack, unpack};
pub use caller::{
    AsyncUpdateWithStart, XnsCall, XnsRun, cancel_workflow, execute_signal_with_start,
    execute_workflow, get_workflow, query, signal, signal_with_start, start_workflow, update,
    update_with_start, update_with_start_async,
};
pub use defs::{
    DEFAULT_HEARTBEAT_TIMEOUT, DEFAULT_LONG_CALL_TIMEOUT, DEFAULT_SHORT_CALL_TIMEOUT, XnsDefaults,
    XnsHandlerOf, XnsQuery, XnsSignal, XnsStartingSignal, XnsStartingUpdate, XnsUpdate,
    XnsWorkflow,
};
pub use error::XnsError;
pub use options::{CallOptions, WorkflowCallOptions};
pub use register::{ActivityFilter, Registrar, XnsRegistration};
pub use serve::{DEFAULT_MAX_WAITS, ErrorConverter, default_error_converter, error_types};
