//! Reading `temporal.v1` extensions off service and method descriptors.

use prost::Message;
use prost_reflect::{
    DynamicMessage, ExtensionDescriptor, FieldDescriptor, MethodDescriptor, ServiceDescriptor,
    Value,
};

use super::schema;

/// Extension numbers of the `temporal.v1` schema (wire-compatible with Go).
mod numbers {
    pub const SERVICE: u32 = 7233;
    pub const WORKFLOW: u32 = 7233;
    pub const ACTIVITY: u32 = 7234;
    pub const QUERY: u32 = 7235;
    pub const SIGNAL: u32 = 7236;
    pub const UPDATE: u32 = 7237;
    pub const SERVICE_CLI: u32 = 7234;
    pub const COMMAND: u32 = 7238;
    pub const FIELD: u32 = 7233;
}

/// The `temporal.v1` options present on one method; presence decides the kind.
#[derive(Debug, Default, Clone)]
pub struct MethodOptions {
    pub workflow: Option<schema::WorkflowOptions>,
    pub activity: Option<schema::ActivityOptions>,
    pub query: Option<schema::QueryOptions>,
    pub signal: Option<schema::SignalOptions>,
    pub update: Option<schema::UpdateOptions>,
}

impl MethodOptions {
    /// True when the method carries any Temporal option.
    pub fn is_annotated(&self) -> bool {
        self.workflow.is_some()
            || self.activity.is_some()
            || self.query.is_some()
            || self.signal.is_some()
            || self.update.is_some()
    }
}

/// The `temporal.v1` options present on one service.
#[derive(Debug, Default, Clone)]
pub struct ServiceOptionSet {
    pub service: Option<schema::ServiceOptions>,
}

/// Error decoding an option value through the wire format.
#[derive(Debug, thiserror::Error)]
#[error("cannot decode option `{extension}`: {reason}")]
pub struct OptionDecodeError {
    extension: String,
    /// Part of the message, not a source: the generator reports errors to
    /// protoc as one line of text.
    reason: prost::DecodeError,
}

/// Reads the service-level options.
pub fn service_options(service: &ServiceDescriptor) -> Result<ServiceOptionSet, OptionDecodeError> {
    let options = service.options();
    Ok(ServiceOptionSet {
        service: extension(
            &options,
            "google.protobuf.ServiceOptions",
            numbers::SERVICE,
            service.parent_pool(),
        )?,
    })
}

/// Reads the method-level options.
pub fn method_options(method: &MethodDescriptor) -> Result<MethodOptions, OptionDecodeError> {
    let options = method.options();
    let pool = method.parent_pool();
    let ext = "google.protobuf.MethodOptions";
    Ok(MethodOptions {
        workflow: extension(&options, ext, numbers::WORKFLOW, pool)?,
        activity: extension(&options, ext, numbers::ACTIVITY, pool)?,
        query: extension(&options, ext, numbers::QUERY, pool)?,
        signal: extension(&options, ext, numbers::SIGNAL, pool)?,
        update: extension(&options, ext, numbers::UPDATE, pool)?,
    })
}

/// Whether `(temporal.v1.cli)` is set on `service`.
pub fn has_service_cli(service: &ServiceDescriptor) -> bool {
    has_extension(
        &service.options(),
        "google.protobuf.ServiceOptions",
        numbers::SERVICE_CLI,
        service.parent_pool(),
    )
}

/// Whether the deprecated `(temporal.v1.command)` is set on `method`.
pub fn has_command(method: &MethodDescriptor) -> bool {
    has_extension(
        &method.options(),
        "google.protobuf.MethodOptions",
        numbers::COMMAND,
        method.parent_pool(),
    )
}

/// Whether `(temporal.v1.field)` is set on `field`.
pub fn has_field_options(field: &FieldDescriptor) -> bool {
    has_extension(
        &field.options(),
        "google.protobuf.FieldOptions",
        numbers::FIELD,
        field.parent_pool(),
    )
}

fn has_extension(
    options: &DynamicMessage,
    extendee: &str,
    number: u32,
    pool: &prost_reflect::DescriptorPool,
) -> bool {
    find_extension(pool, extendee, number).is_some_and(|ext| options.has_extension(&ext))
}

/// Finds the `temporal.v1` extension with `number` on `extendee` and decodes it.
fn extension<T: Message + Default>(
    options: &DynamicMessage,
    extendee: &str,
    number: u32,
    pool: &prost_reflect::DescriptorPool,
) -> Result<Option<T>, OptionDecodeError> {
    let Some(ext) = find_extension(pool, extendee, number) else {
        return Ok(None);
    };
    if !options.has_extension(&ext) {
        return Ok(None);
    }
    let bytes = match options.get_extension(&ext).as_ref() {
        Value::Message(message) => message.encode_to_vec(),
        _ => return Ok(None),
    };
    T::decode(bytes.as_slice())
        .map(Some)
        .map_err(|reason| OptionDecodeError {
            extension: ext.full_name().to_string(),
            reason,
        })
}

fn find_extension(
    pool: &prost_reflect::DescriptorPool,
    extendee: &str,
    number: u32,
) -> Option<ExtensionDescriptor> {
    pool.get_message_by_name(extendee)?
        .extensions()
        .find(|ext| ext.number() == number && ext.parent_file().package_name() == "temporal.v1")
}
