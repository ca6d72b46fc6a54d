//! The notices of one proto file: every option it sets that the plugin
//! reads but does not apply (see [`crate::notice`]).

use prost_reflect::{FileDescriptor, MessageDescriptor, MethodDescriptor, ServiceDescriptor};

use crate::error::Location;
use crate::notice::{Notice, Reason};
use crate::options::{self, MethodOptions, ServiceOptionSet, schema};

/// Collects notices in the order of the proto: services, their methods,
/// then message fields.
pub(super) struct Notices<'a> {
    file: &'a str,
    out: &'a mut Vec<Notice>,
}

impl<'a> Notices<'a> {
    pub(super) fn new(file: &'a str, out: &'a mut Vec<Notice>) -> Self {
        Self { file, out }
    }

    fn push(
        &mut self,
        service: Option<&str>,
        method: Option<&str>,
        option: String,
        reason: Reason,
    ) {
        self.out.push(Notice {
            location: Location {
                file: self.file.to_string(),
                service: service.map(str::to_string),
                method: method.map(str::to_string),
            },
            option,
            reason,
        });
    }

    /// The service's own options.
    pub(super) fn service(&mut self, service: &ServiceDescriptor, opts: &ServiceOptionSet) {
        let name = Some(service.name());
        if let Some(s) = &opts.service {
            let o = "(temporal.v1.service)";
            if !s.namespace.is_empty() {
                self.push(
                    name,
                    None,
                    format!("{o}.namespace"),
                    Reason::DeprecatedNamespace,
                );
            }
            if !s.patches.is_empty() {
                self.push(name, None, format!("{o}.patches"), Reason::GoPatches);
            }
            if s.nexus.is_some() {
                self.push(name, None, format!("{o}.nexus"), Reason::Nexus);
            }
        }
        if options::has_service_cli(service) {
            self.push(name, None, "(temporal.v1.cli)".to_string(), Reason::GoCli);
        }
    }

    /// The options of one method.
    pub(super) fn method(&mut self, method: &MethodDescriptor, opts: &MethodOptions) {
        let mut found: Vec<(String, Reason)> = Vec::new();
        if let Some(w) = &opts.workflow {
            workflow(w, &mut found);
        }
        // (kind, xns.name set, patches set, cli set) of the handler option.
        let handler = |kind, xns: &Option<schema::XnsActivityOptions>, patches: bool, cli| {
            let named = xns.as_ref().is_some_and(|x| !x.name.is_empty());
            (kind, named, patches, cli)
        };
        let handlers = [
            opts.query
                .as_ref()
                .map(|q| handler("query", &q.xns, !q.patches.is_empty(), q.cli.is_some())),
            opts.signal
                .as_ref()
                .map(|s| handler("signal", &s.xns, !s.patches.is_empty(), s.cli.is_some())),
            opts.update
                .as_ref()
                .map(|u| handler("update", &u.xns, !u.patches.is_empty(), u.cli.is_some())),
        ];
        for (kind, named, patches, cli) in handlers.into_iter().flatten() {
            let o = format!("(temporal.v1.{kind})");
            if named {
                found.push((format!("{o}.xns.name"), Reason::XnsName));
            }
            if patches {
                found.push((format!("{o}.patches"), Reason::GoPatches));
            }
            if cli {
                found.push((format!("{o}.cli"), Reason::GoCli));
            }
        }
        if options::has_command(method) {
            found.push(("(temporal.v1.command)".to_string(), Reason::GoCli));
        }
        let service = method.parent_service();
        for (option, reason) in found {
            self.push(Some(service.name()), Some(method.name()), option, reason);
        }
    }

    /// `(temporal.v1.field)` on the fields of `message` and of the
    /// messages nested in it.
    pub(super) fn fields(&mut self, message: &MessageDescriptor) {
        for field in message.fields() {
            if options::has_field_options(&field) {
                self.push(
                    None,
                    None,
                    format!("(temporal.v1.field)` on `{}", field.full_name()),
                    Reason::GoCli,
                );
            }
        }
        for nested in message.child_messages() {
            self.fields(&nested);
        }
    }

    /// Every message of `file`.
    pub(super) fn file_fields(&mut self, file: &FileDescriptor) {
        for message in file.messages() {
            self.fields(&message);
        }
    }
}

/// The unapplied options of a workflow and of its handler refs.
fn workflow(w: &schema::WorkflowOptions, found: &mut Vec<(String, Reason)>) {
    let o = "(temporal.v1.workflow)";
    let mut add = |set: bool, field: &str, reason| {
        if set {
            found.push((format!("{o}.{field}"), reason));
        }
    };
    add(
        !w.namespace.is_empty(),
        "namespace",
        Reason::DeprecatedNamespace,
    );
    add(
        w.versioning_behavior != 0,
        "versioning_behavior",
        Reason::VersioningBehavior,
    );
    let named =
        |x: &Option<schema::XnsActivityOptions>| x.as_ref().is_some_and(|x| !x.name.is_empty());
    add(named(&w.xns), "xns.name", Reason::XnsName);
    for (i, q) in w.query.iter().enumerate() {
        add(
            named(&q.xns),
            &format!("query[{i}].xns.name"),
            Reason::XnsName,
        );
    }
    for (i, s) in w.signal.iter().enumerate() {
        add(
            named(&s.xns),
            &format!("signal[{i}].xns.name"),
            Reason::XnsName,
        );
    }
    for (i, u) in w.update.iter().enumerate() {
        add(
            named(&u.xns),
            &format!("update[{i}].xns.name"),
            Reason::XnsName,
        );
    }
    add(!w.patches.is_empty(), "patches", Reason::GoPatches);
    add(w.cli.is_some(), "cli", Reason::GoCli);
    add(w.nexus.is_some(), "nexus", Reason::Nexus);
    for (i, s) in w.signal.iter().enumerate() {
        add(s.cli.is_some(), &format!("signal[{i}].cli"), Reason::GoCli);
    }
    for (i, u) in w.update.iter().enumerate() {
        add(u.cli.is_some(), &format!("update[{i}].cli"), Reason::GoCli);
    }
}
