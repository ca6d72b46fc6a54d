//! Payload impls for the messages a package's services use, and the
//! minimal descriptor set they need for protojson.

use std::collections::BTreeSet;

use prost::Message;
use prost_reflect::{Kind, MessageDescriptor};

use super::literal::byte_str_lit;
use super::paths::{Scope, path_text};

/// One `proto_messages!` invocation declaring the impls of every message,
/// with the descriptors they need, a line per message.
pub fn render(scope: &Scope, messages: &[MessageDescriptor]) -> String {
    if messages.is_empty() {
        return String::new();
    }
    let mut text = format!(
        "{}::proto_messages! {{\n    descriptors = {};\n",
        path_text(&scope.runtime),
        byte_str_lit(&descriptor_set(messages)),
    );
    for m in messages {
        let ty = path_text(&scope.message_at_package(m));
        text.push_str(&format!("    {ty} = {:?};\n", m.full_name()));
    }
    text.push_str("}\n");
    text
}

/// An encoded `FileDescriptorSet` holding the files that declare the
/// messages plus every file their declared types reach (through any field
/// of any message in them), stripped of options, services, extensions and
/// source info, in the pool's (topological) order. Imports used only for
/// options (such as `temporal/v1/temporal.proto`) are dropped.
fn descriptor_set(messages: &[MessageDescriptor]) -> Vec<u8> {
    let Some(pool) = messages.first().map(|m| m.parent_pool().clone()) else {
        return Vec::new();
    };
    let mut files: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = messages
        .iter()
        .map(|m| m.parent_file().name().to_string())
        .collect();
    while let Some(name) = queue.pop() {
        if !files.insert(name.clone()) {
            continue;
        }
        let Some(file) = pool.get_file_by_name(&name) else {
            continue;
        };
        let mut stack: Vec<MessageDescriptor> = file.messages().collect();
        while let Some(m) = stack.pop() {
            stack.extend(m.child_messages());
            for field in m.fields() {
                let reached = match field.kind() {
                    Kind::Message(inner) => inner.parent_file().name().to_string(),
                    Kind::Enum(e) => e.parent_file().name().to_string(),
                    _ => continue,
                };
                if !files.contains(&reached) {
                    queue.push(reached);
                }
            }
        }
    }
    let file = pool
        .files()
        .filter(|f| files.contains(f.name()))
        .map(|f| {
            let mut proto = f.file_descriptor_proto().clone();
            proto.dependency.retain(|d| files.contains(d));
            proto.public_dependency.clear();
            proto.weak_dependency.clear();
            proto.options = None;
            proto.source_code_info = None;
            proto.service.clear();
            proto.extension.clear();
            for m in &mut proto.message_type {
                strip_message(m);
            }
            for e in &mut proto.enum_type {
                strip_enum(e);
            }
            proto
        })
        .collect();
    prost_types::FileDescriptorSet { file }.encode_to_vec()
}

fn strip_message(m: &mut prost_types::DescriptorProto) {
    // `map_entry` is the one option protojson needs: without it a map
    // field reads as a list of entries, and `{"key": value}` is rejected.
    let map_entry = m.options.as_ref().is_some_and(|o| o.map_entry());
    m.options = map_entry.then(|| prost_types::MessageOptions {
        map_entry: Some(true),
        ..Default::default()
    });
    m.extension.clear();
    for f in &mut m.field {
        f.options = None;
    }
    for o in &mut m.oneof_decl {
        o.options = None;
    }
    for n in &mut m.nested_type {
        strip_message(n);
    }
    for e in &mut m.enum_type {
        strip_enum(e);
    }
}

fn strip_enum(e: &mut prost_types::EnumDescriptorProto) {
    e.options = None;
    for v in &mut e.value {
        v.options = None;
    }
}
