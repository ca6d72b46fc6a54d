//! Clients configured without code, from a Temporal envconfig profile: the
//! `temporal.toml` file the Temporal CLI and every SDK read, and the
//! `TEMPORAL_*` environment variables. Production workers use this for the
//! XNS target namespace, so that address, namespace, TLS and API key are
//! deployment settings.
//!
//! A worker that calls another namespace talks to two: its own and the
//! target. Give each a profile in one file:
//!
//! ```toml
//! [profile.default]          # the worker's own namespace
//! address = "a.tmprl.cloud:7233"
//! namespace = "ns-a"
//! api_key = "..."
//!
//! [profile.target]           # the XNS target namespace
//! address = "b.tmprl.cloud:7233"
//! namespace = "ns-b"
//! api_key = "..."
//! ```
//!
//! then connect the target with `ClientProfile::Named("target")`. The
//! `TEMPORAL_*` variables (`TEMPORAL_ADDRESS`, `TEMPORAL_NAMESPACE`,
//! `TEMPORAL_API_KEY`, `TEMPORAL_TLS*`, ...) are applied only to
//! [`ClientProfile::Environment`], because in one process they can describe
//! only one namespace; `TEMPORAL_CONFIG_FILE` locates the file for both.

use temporalio_client::envconfig::{ConfigError, DataSource, LoadClientConfigProfileOptions};
use temporalio_client::errors::ClientConnectError;
use temporalio_client::{Client, ClientOptions};

/// Where a client's settings come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientProfile {
    /// The standard resolution of every Temporal SDK: the profile named by
    /// `TEMPORAL_PROFILE` (else `default`) of the config file, with the
    /// `TEMPORAL_*` variables on top.
    Environment,
    /// A named profile of the config file (`TEMPORAL_CONFIG_FILE`, else
    /// `~/.config/temporalio/temporal.toml`), as written: no `TEMPORAL_*`
    /// overrides.
    Named(String),
    /// A named profile of the given TOML file, as written.
    File {
        /// Path of the TOML file.
        path: String,
        /// Profile name.
        profile: String,
    },
}

impl ClientProfile {
    /// [`ClientProfile::Named`].
    pub fn named(profile: impl Into<String>) -> Self {
        Self::Named(profile.into())
    }

    fn load_options(&self) -> LoadClientConfigProfileOptions {
        match self {
            Self::Environment => LoadClientConfigProfileOptions::default(),
            Self::Named(profile) => LoadClientConfigProfileOptions::builder()
                .config_file_profile(profile.clone())
                .disable_env(true)
                .build(),
            Self::File { path, profile } => LoadClientConfigProfileOptions::builder()
                .config_source(DataSource::Path(path.clone()))
                .config_file_profile(profile.clone())
                .disable_env(true)
                .build(),
        }
    }

    fn describe(&self) -> String {
        match self {
            Self::Environment => "the TEMPORAL_* environment".to_string(),
            Self::Named(profile) => format!("profile `{profile}`"),
            Self::File { path, profile } => format!("profile `{profile}` of {path}"),
        }
    }
}

/// Why a client could not be made from a profile.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    /// The config file has no such profile.
    #[error("{what} not found in the Temporal config file")]
    NotFound {
        /// The profile.
        what: String,
    },
    /// The profile could not be loaded (unreadable or malformed file, bad
    /// TLS files).
    #[error("loading {what}: {reason}")]
    Load {
        /// The profile.
        what: String,
        /// The envconfig error (kept as text: it is not `Send`).
        reason: String,
    },
    /// The server the profile names could not be reached.
    #[error("connecting with {what} to namespace `{namespace}`")]
    Connect {
        /// The profile.
        what: String,
        /// The profile's namespace.
        namespace: String,
        /// The connection error.
        #[source]
        source: ClientConnectError,
    },
}

/// The connection and client options a profile describes, without
/// connecting (to adjust them before [`Client::connect`]).
pub fn profile_options(
    profile: &ClientProfile,
) -> Result<(temporalio_client::ConnectionOptions, ClientOptions), ProfileError> {
    ClientOptions::load_from_config(profile.load_options()).map_err(|err| match err {
        ConfigError::ProfileNotFound(_) => ProfileError::NotFound {
            what: profile.describe(),
        },
        other => ProfileError::Load {
            what: profile.describe(),
            reason: other.to_string(),
        },
    })
}

/// Connects a client as `profile` says: address, namespace, TLS, API key,
/// gRPC metadata.
pub async fn connect_profile(profile: &ClientProfile) -> Result<Client, ProfileError> {
    let (connection, client) = profile_options(profile)?;
    let namespace = client.namespace.clone();
    Client::connect(connection, client)
        .await
        .map_err(|source| ProfileError::Connect {
            what: profile.describe(),
            namespace,
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_file(name: &str, toml: &str) -> String {
        let path = std::env::temp_dir().join(format!(
            "xns-runtime-profile-{}-{name}.toml",
            std::process::id()
        ));
        std::fs::write(&path, toml).expect("temp file is writable");
        path.to_string_lossy().into_owned()
    }

    const TWO_NAMESPACES: &str = r#"
[profile.default]
address = "a.example.com:7233"
namespace = "ns-a"

[profile.target]
address = "b.example.com:7233"
namespace = "ns-b"
api_key = "secret"
"#;

    #[test]
    fn a_named_profile_gives_its_address_namespace_and_tls() {
        let path = config_file("named", TWO_NAMESPACES);
        let profile = ClientProfile::File {
            path,
            profile: "target".to_string(),
        };
        let (connection, client) = profile_options(&profile).expect("profile loads");
        assert_eq!(client.namespace, "ns-b");
        assert_eq!(connection.target.host_str(), Some("b.example.com"));
        // An API key turns TLS on, as in the other SDKs.
        assert!(connection.tls_options.is_some(), "{connection:?}");
    }

    #[test]
    fn a_missing_profile_is_named_in_the_error() {
        let path = config_file("missing", TWO_NAMESPACES);
        let profile = ClientProfile::File {
            path: path.clone(),
            profile: "nope".to_string(),
        };
        let err = profile_options(&profile).expect_err("no such profile");
        let message = err.to_string();
        assert!(message.contains("profile `nope`"), "{message}");
        assert!(message.contains(&path), "{message}");
        assert!(matches!(err, ProfileError::NotFound { .. }), "{err:?}");
    }
}
