//! Cross-namespace (XNS) calls: the wire messages the XNS activities take
//! and the packing of user messages into them.

mod any;
pub mod wire;

pub use any::{AnyError, pack, unpack};
