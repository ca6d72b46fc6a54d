//! Notices: options the plugin reads but does not apply. Each names the
//! option, where it is set and why nothing is generated from it, so that no
//! option is ignored in silence. The plugin prints them on stderr (protoc
//! and buf show it); the [`Builder`](crate::Builder) turns them into cargo
//! warnings.

use std::fmt;

use crate::error::{Location, escape};

/// An option that is set in a proto and changes nothing in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Where the option is set.
    pub location: Location,
    /// The option as a proto writes it: `(temporal.v1.workflow).patches`,
    /// or `(temporal.v1.field)` on `pkg.Message.field`.
    pub option: String,
    /// Why it is not applied.
    pub reason: Reason,
}

/// Why an option is not applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Reason {
    /// The Go generator's CLI.
    GoCli,
    /// The Go generator's workflow patch modes.
    GoPatches,
    /// Nexus services and operations.
    Nexus,
    /// `namespace`, deprecated in the schema and unused by Go as well.
    DeprecatedNamespace,
    /// A per-workflow versioning behavior, which the Rust SDK cannot set.
    VersioningBehavior,
    /// `xns.name`, which the Go generator ignores: XNS activities are named
    /// after the Temporal names on both sides.
    XnsName,
}

impl Reason {
    fn text(self) -> &'static str {
        match self {
            Reason::GoCli => "it configures the Go generator's CLI, which has no Rust counterpart",
            Reason::GoPatches => {
                "it selects the Go generator's patch modes, which have no Rust counterpart"
            }
            Reason::Nexus => "Nexus is not supported by the Rust SDK",
            Reason::DeprecatedNamespace => {
                "the option is deprecated, and the Go generator ignores it too"
            }
            Reason::XnsName => {
                "the Go generator ignores it and names each XNS activity after the Temporal \
                 name, which Go and Rust workers must share; rename activities at registration \
                 (`XnsRegistration`) instead"
            }
            Reason::VersioningBehavior => {
                "the Rust SDK sets the versioning behavior per worker \
                 (`WorkerDeploymentOptions::default_versioning_behavior`), not per workflow"
            }
        }
    }
}

impl fmt::Display for Notice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: `{}` is read but not applied: {}",
            self.location,
            escape(&self.option),
            self.reason.text()
        )
    }
}
