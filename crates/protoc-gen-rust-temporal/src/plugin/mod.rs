//! The protoc plugin protocol: request decoding, parameters, response.

pub mod editions;
pub mod params;
pub mod request;

pub use params::{Params, Surfaces};
pub use request::{RawRequest, load_pool};
