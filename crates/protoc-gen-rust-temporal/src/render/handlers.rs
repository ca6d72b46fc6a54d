//! Queries, signals and updates seen uniformly, and the marker each
//! workflow uses for them.

use proc_macro2::TokenStream;
use quote::quote;

use super::item_names::{own_marker, secondary_marker, workflow_marker};
use super::paths::Scope;
use crate::model::{HandlerRef, Method, Model, Service, Workflow};

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

/// The query, signal and update refs of `w`, in declaration order.
pub fn refs(w: &Workflow) -> impl Iterator<Item = (HandlerKind, &HandlerRef)> {
    let queries = w.queries.iter().map(|q| (HandlerKind::Query, &q.target));
    let signals = w.signals.iter().map(|s| (HandlerKind::Signal, &s.target));
    let updates = w.updates.iter().map(|u| (HandlerKind::Update, &u.target));
    queries.chain(signals).chain(updates)
}

/// The refs of `w` (in `service`) to handlers bound to another workflow,
/// with the handler's service and method: those `w` declares a marker of
/// its own for.
pub fn secondary_refs<'m>(
    model: &'m Model,
    service: &'m Service,
    w: &'m Workflow,
) -> impl Iterator<Item = (HandlerKind, &'m HandlerRef, &'m Service, &'m Method)> {
    refs(w)
        .filter(move |(_, target)| !is_primary(model, target, service, w))
        .filter_map(move |(kind, target)| {
            find(model, target, kind).map(|(owner, method)| (kind, target, owner, method))
        })
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
            quote!(#rt::UntypedWorkflow)
        }
    }
}
