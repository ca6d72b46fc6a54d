//! Queries, signals and updates seen uniformly, and the marker each
//! workflow uses for them.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::paths::Scope;
use crate::model::{HandlerRef, Method, Model, Service, Workflow};
use crate::names;

/// Kind of a workflow handler.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandlerKind {
    Query,
    Signal,
    Update,
}

impl HandlerKind {
    /// Suffix of markers and constants.
    pub fn suffix(self) -> &'static str {
        match self {
            HandlerKind::Query => "Query",
            HandlerKind::Signal => "Signal",
            HandlerKind::Update => "Update",
        }
    }

    /// Word for docs.
    pub fn word(self) -> &'static str {
        match self {
            HandlerKind::Query => "query",
            HandlerKind::Signal => "signal",
            HandlerKind::Update => "update",
        }
    }
}

/// The method name of a handler on a handle, avoiding the handle's own
/// `reserved` methods: a clash gets the kind as a suffix (`cancel_signal`).
pub fn method_ident(method: &str, kind: HandlerKind, reserved: &[&str]) -> Ident {
    let sn = heck::ToSnakeCase::to_snake_case(method);
    if reserved.contains(&sn.as_str()) {
        format_ident!("{sn}_{}", kind.word())
    } else {
        names::snake(method)
    }
}

/// Finds the handler `target` of `kind` in the model.
pub fn find<'a>(
    model: &'a Model,
    target: &HandlerRef,
    kind: HandlerKind,
) -> Option<(&'a Service, &'a Method)> {
    let service = model.service(&target.service)?;
    let handler = match kind {
        HandlerKind::Query => service
            .queries
            .iter()
            .find(|q| q.method.name == target.method)
            .map(|q| &q.method),
        HandlerKind::Signal => service
            .signals
            .iter()
            .find(|q| q.method.name == target.method)
            .map(|q| &q.method),
        HandlerKind::Update => service
            .updates
            .iter()
            .find(|q| q.method.name == target.method)
            .map(|q| &q.method),
    }?;
    Some((service, handler))
}

/// Marker type of a handler in its own service's module: `GetFooProgressQuery`.
pub fn own_marker(method: &str, kind: HandlerKind) -> Ident {
    names::camel(&format!("{method}{}", kind.suffix()))
}

/// Marker of a handler bound to a workflow that is not its primary one:
/// `CreateBarGetFooProgressQuery`, declared in the workflow's module.
pub fn secondary_marker(workflow: &str, method: &str, kind: HandlerKind) -> Ident {
    names::camel(&format!("{workflow}{method}{}", kind.suffix()))
}

/// Marker type of a workflow: `CreateFooWorkflow`.
pub fn workflow_marker(method: &str) -> Ident {
    names::camel(&format!("{method}Workflow"))
}

/// Marker type of an activity: `NotifyActivity`.
pub fn activity_marker(method: &str) -> Ident {
    names::camel(&format!("{method}Activity"))
}

/// Constant holding a Temporal name: `CREATE_FOO_WORKFLOW_NAME`.
pub fn name_const(method: &str, kind: &str) -> Ident {
    format_ident!(
        "{}_{}_NAME",
        heck::ToShoutySnakeCase::to_shouty_snake_case(method),
        kind.to_uppercase()
    )
}

/// `CREATE_FOO_WORKFLOW_ALIASES`: the extra type names of a workflow with
/// aliases.
pub fn aliases_const(method: &str) -> Ident {
    format_ident!(
        "{}_WORKFLOW_ALIASES",
        heck::ToShoutySnakeCase::to_shouty_snake_case(method)
    )
}

/// True when `workflow` (in `service`) is the primary workflow of `target`.
pub fn is_primary(
    model: &Model,
    target: &HandlerRef,
    service: &Service,
    workflow: &Workflow,
) -> bool {
    model.primary_workflow(target).is_some_and(|(s, w)| {
        s.full_name == service.full_name && w.method.name == workflow.method.name
    })
}

/// Path of the marker `workflow` uses for `target`, from `service`'s module.
pub fn marker_for(
    scope: &Scope,
    model: &Model,
    service: &Service,
    workflow: &Workflow,
    target: &HandlerRef,
    kind: HandlerKind,
) -> TokenStream {
    if is_primary(model, target, service, workflow) {
        let marker = own_marker(&target.method, kind);
        match model.service(&target.service) {
            Some(owner) => scope.item_of(service, owner, &marker),
            None => quote!(#marker),
        }
    } else {
        let marker = secondary_marker(&workflow.method.name, &target.method, kind);
        quote!(#marker)
    }
}

/// Path of the workflow marker a handler is bound to (its primary
/// workflow), or the SDK's untyped workflow when no workflow declares it.
pub fn bound_workflow(scope: &Scope, model: &Model, target: &HandlerRef) -> TokenStream {
    match model.primary_workflow(target) {
        Some((s, w)) => {
            let marker = workflow_marker(&w.method.name);
            if s.full_name == target.service {
                quote!(#marker)
            } else {
                scope.in_service(&s.full_name, &s.package, &quote!(#marker))
            }
        }
        None => {
            let rt = &scope.rt;
            quote!(#rt::__private::temporalio_common::UntypedWorkflow)
        }
    }
}
