//! The validated model: kinds, resolved refs, names, defaults and compiled
//! ID expressions. Built once from the descriptor pool; rendering reads only
//! this.

mod build;
mod comments;
mod notices;
mod types;

pub use build::build;
pub use types::*;
