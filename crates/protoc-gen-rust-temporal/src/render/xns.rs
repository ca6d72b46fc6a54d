//! The cross-namespace (XNS) surface of one service: the XNS trait impls
//! of its definition markers, and the `xns` submodule with typed calls for
//! workflows in another namespace, their run handles, and the registration
//! of the service's XNS activities on the caller's worker.

use super::code::{Code, End};
use super::docs::{code, deprecated_attr, list, query_by_id_example};
use super::handlers::{self, HandlerKind};
use super::item_names::{self as n, run_ident};
use super::literal::str_lit;
use super::paths::{Scope, input_arg, path_text};
use super::values::{
    Value, parent_close, retry, set_fields, some, some_duration, some_expr, some_str,
};
use crate::model::{HandlerRef, Method, Model, Service, Workflow, XnsOptions};
use crate::options::schema;

/// `const {name}: &'static str = "{value}";`.
fn str_const(out: &mut Code, name: &str, value: &str) {
    out.assign(&format!("const {name}: &'static str"), &str_lit(value));
}

/// The parent close policy XNS applies: `xns.parent_close_policy`, else
/// the workflow's.
fn xns_parent_close(
    xns: Option<&XnsOptions>,
    workflow_parent_close: schema::ParentClosePolicy,
) -> schema::ParentClosePolicy {
    match xns.map(|x| x.parent_close_policy) {
        None | Some(schema::ParentClosePolicy::Unspecified) => workflow_parent_close,
        Some(p) => p,
    }
}

/// Whether an item has XNS defaults to write out (else the runtime's
/// `XnsDefaults::NONE` applies).
fn has_xns_defaults(
    xns: Option<&XnsOptions>,
    workflow_parent_close: schema::ParentClosePolicy,
) -> bool {
    let set = xns.is_some_and(|x| {
        x.task_queue.is_some()
            || x.schedule_to_close_timeout.is_some()
            || x.schedule_to_start_timeout.is_some()
            || x.start_to_close_timeout.is_some()
            || x.heartbeat_interval.is_some()
            || x.heartbeat_timeout.is_some()
            || x.retry_policy.is_some()
    });
    set || xns_parent_close(xns, workflow_parent_close) != schema::ParentClosePolicy::Unspecified
}

/// The trait item with one item's `XnsDefaults`; nothing when the item sets
/// no XNS option.
fn defaults(
    out: &mut Code,
    scope: &Scope,
    xns: Option<&XnsOptions>,
    workflow_parent_close: schema::ParentClosePolicy,
) {
    if !has_xns_defaults(xns, workflow_parent_close) {
        return;
    }
    let value = defaults_value(scope, xns, workflow_parent_close);
    let rt = scope.rt_text();
    out.value(
        &format!("const XNS: &'static {rt}::XnsDefaults = &"),
        &value,
        ";",
    );
}

/// The `REF_XNS` item of a workflow's ref that sets `xns` (even an empty
/// one, which replaces the handler's defaults with none, as in Go);
/// nothing otherwise.
fn ref_defaults(out: &mut Code, scope: &Scope, xns: Option<&XnsOptions>) {
    let Some(x) = xns else {
        return;
    };
    let value = defaults_value(scope, Some(x), schema::ParentClosePolicy::Unspecified);
    let rt = scope.rt_text();
    out.value(
        &format!("const REF_XNS: Option<&'static {rt}::XnsDefaults> = Some(&"),
        &value,
        ");",
    );
}

/// An `XnsDefaults` value with the options `xns` sets.
fn defaults_value(
    scope: &Scope,
    xns: Option<&XnsOptions>,
    workflow_parent_close: schema::ParentClosePolicy,
) -> Value {
    let rt = scope.rt_text();
    let none = XnsOptions::default();
    let x = xns.unwrap_or(&none);
    let policy = xns_parent_close(xns, workflow_parent_close);
    set_fields(
        format!("{rt}::XnsDefaults"),
        [
            ("task_queue", x.task_queue.as_deref().map(some_str)),
            (
                "schedule_to_close_timeout",
                x.schedule_to_close_timeout.map(some_duration),
            ),
            (
                "schedule_to_start_timeout",
                x.schedule_to_start_timeout.map(some_duration),
            ),
            (
                "start_to_close_timeout",
                x.start_to_close_timeout.map(some_duration),
            ),
            (
                "heartbeat_interval",
                x.heartbeat_interval.map(some_duration),
            ),
            ("heartbeat_timeout", x.heartbeat_timeout.map(some_duration)),
            (
                "retry_policy",
                x.retry_policy.as_ref().map(|r| some(retry(scope, r))),
            ),
            (
                "parent_close_policy",
                parent_close(scope, policy).map(some_expr),
            ),
        ],
        format!("{rt}::XnsDefaults::NONE"),
        false,
    )
}

/// The name of an XNS activity the service itself owns (`<svc>.<what>`).
fn service_activity(svc: &str, what: &str) -> String {
    format!("{svc}.{what}")
}

pub(super) struct Handler<'a> {
    pub(super) kind: HandlerKind,
    pub(super) method: &'a Method,
    name: &'a str,
    pub(super) xns: Option<&'a XnsOptions>,
}

/// Every query, signal and update of the service: XNS calls each by workflow ID
/// (a handler no workflow declares is bound to the untyped workflow).
fn handlers_of(service: &Service) -> Vec<Handler<'_>> {
    let mut out = Vec::new();
    for q in &service.queries {
        out.push(Handler {
            kind: HandlerKind::Query,
            method: &q.method,
            name: &q.name,
            xns: q.xns.as_ref(),
        });
    }
    for s in &service.signals {
        out.push(Handler {
            kind: HandlerKind::Signal,
            method: &s.method,
            name: &s.name,
            xns: s.xns.as_ref(),
        });
    }
    for u in &service.updates {
        out.push(Handler {
            kind: HandlerKind::Update,
            method: &u.method,
            name: &u.name,
            xns: u.xns.as_ref(),
        });
    }
    out
}

/// The runtime's XNS trait of a handler kind.
fn handler_trait(kind: HandlerKind) -> &'static str {
    match kind {
        HandlerKind::Query => "XnsQuery",
        HandlerKind::Signal => "XnsSignal",
        HandlerKind::Update => "XnsUpdate",
    }
}

/// Trait impls and defaults in the service module (next to the markers).
pub fn render_impls(out: &mut Code, scope: &Scope, model: &Model, service: &Service) {
    let rt = scope.rt_text();
    let svc = &service.full_name;
    let cancel_name = service_activity(svc, "CancelWorkflow");
    let terminate_name = service_activity(svc, "TerminateWorkflow");
    for w in &service.workflows {
        let m = &w.method;
        let marker = n::workflow_marker(&m.name).to_string();
        out.open_impl(&format!("impl {rt}::XnsWorkflow"), &marker);
        defaults(out, scope, w.xns.as_ref(), w.parent_close_policy);
        str_const(out, "ACTIVITY", &w.name);
        let get_name = service_activity(svc, &format!("Get{}", m.name));
        str_const(out, "GET_ACTIVITY", &get_name);
        str_const(out, "CANCEL_ACTIVITY", &cancel_name);
        str_const(out, "TERMINATE_ACTIVITY", &terminate_name);
        out.close();
    }
    for h in handlers_of(service) {
        let marker = n::own_marker(&h.method.name, h.kind).to_string();
        out.open_impl(&format!("impl {rt}::{}", handler_trait(h.kind)), &marker);
        defaults(out, scope, h.xns, schema::ParentClosePolicy::Unspecified);
        str_const(out, "ACTIVITY", h.name);
        out.close();
    }
    for w in &service.workflows {
        secondary_impls(out, scope, model, service, w);
        let marker = n::workflow_marker(&w.method.name);
        for (target, kind, xns) in refs_with_xns(w) {
            if let Some((_, handler)) = ref_marker(scope, model, service, w, target, kind) {
                let head = format!("impl {rt}::XnsHandlerOf<{marker}>");
                if xns.is_some() {
                    out.open_impl(&head, &handler);
                    ref_defaults(out, scope, xns);
                    out.close();
                } else {
                    out.empty_impl(&head, &handler);
                }
            }
        }
        for pair in starting_pairs(scope, model, service, w) {
            let tr = match pair.kind {
                HandlerKind::Update => "XnsStartingUpdate",
                _ => "XnsStartingSignal",
            };
            out.open_impl(&format!("impl {rt}::{tr}<{marker}>"), &pair.handler);
            str_const(out, "START_ACTIVITY", &pair.activity);
            ref_defaults(out, scope, pair.xns);
            out.close();
        }
    }
}

/// Every query, signal and update ref of `w`, with its `xns` options.
fn refs_with_xns(
    w: &Workflow,
) -> impl Iterator<Item = (&HandlerRef, HandlerKind, Option<&XnsOptions>)> {
    let queries = w
        .queries
        .iter()
        .map(|q| (&q.target, HandlerKind::Query, q.xns.as_ref()));
    let signals = w
        .signals
        .iter()
        .map(|s| (&s.target, HandlerKind::Signal, s.xns.as_ref()));
    let updates = w
        .updates
        .iter()
        .map(|u| (&u.target, HandlerKind::Update, u.xns.as_ref()));
    queries.chain(signals).chain(updates)
}

/// The `xns` submodule.
pub fn render_module(out: &mut Code, scope: &Scope, model: &Model, service: &Service) {
    let scope = &scope.nested();
    let svc = &service.full_name;
    let register = n::xns_register_fn(service);
    out.doc(
        None,
        &[format!(
            "Calls to the workflows of this service in another namespace, from inside a \
             workflow: each runs an XNS activity on the caller's worker (register them with \
             `{register}`). Queries, signals and updates \
             by workflow ID{}, cancellation by workflow ID, and signal- and \
             update-with-start, take their markers.",
            query_by_id_example(service, "xns::query(ctx, ", ", options)")
                .map(|e| format!(" ({e})"))
                .unwrap_or_default()
        )],
    );
    out.open(&format!("pub mod {}", n::xns_module()));
    out.line("#[allow(unused_imports)]");
    out.line("use super::*;");
    imports(out, scope);
    let mut registrations = Vec::new();
    for w in &service.workflows {
        workflow_calls(out, scope, model, service, w, &mut registrations);
    }
    for h in handlers_of(service) {
        let marker = n::own_marker(&h.method.name, h.kind);
        registrations.push(format!(".{}({marker})", h.kind.word()));
    }
    out.doc(
        None,
        &[format!(
            "Registers every XNS activity of {} on the caller's worker, calling the \
             target namespace with `client` (a `temporalio_client::Client` bound to that \
             namespace, or anything that converts into one, such as the service's typed \
             client). `settings` can replace the error converter and filter (skip or \
             rename) the activities. Fails, registering nothing, when one of the names is \
             already registered on `worker` through generated code.",
            code(svc)
        )],
    );
    let rt = scope.rt_text();
    out.signature(
        &format!("pub fn {register}"),
        &[
            format!("worker: &mut {rt}::WorkerOptions"),
            format!("client: impl Into<{rt}::Client>"),
            "settings: XnsRegistration".to_string(),
        ],
        Some(&format!("Result<(), {rt}::ActivityNameClash>")),
        End::Body,
    );
    registrations.push(".finish()".to_string());
    out.call_chain(
        &format!("{rt}::Registrar::new"),
        &[
            "worker".to_string(),
            str_lit(svc),
            "client.into()".to_string(),
            "settings".to_string(),
        ],
        &registrations,
    );
    out.close();
    out.close();
}

/// `pub use <runtime>::xns::{..};`: the runtime's XNS types and calls by
/// marker, its names filled into lines as rustfmt fills a use list.
fn imports(out: &mut Code, scope: &Scope) {
    let head = format!("pub use {}::xns::", path_text(&scope.runtime));
    let names: Vec<&str> = n::XNS_IMPORTS
        .iter()
        .chain(n::XNS_REEXPORTED_FUNCTIONS)
        .copied()
        .collect();
    out.use_list(&head, &names);
}

/// The calls of one workflow in the `xns` module (execute, start, get) and
/// its run handle type; adds the workflow's registrations.
fn workflow_calls(
    out: &mut Code,
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &Workflow,
    registrations: &mut Vec<String>,
) {
    let rt = scope.rt_text();
    let m = &w.method;
    let marker = n::workflow_marker(&m.name).to_string();
    let run = run_ident(&m.name);
    let out_ty = path_text(&scope.value_type(&m.output));
    let input = scope.input_text(&m.input);
    let param = input.as_ref().map(|ty| format!("input: {ty}"));
    let arg = input_arg(&input);
    let dep = deprecated_attr(m);
    let params = |ctx: &str| -> Vec<String> {
        let mut p = vec![format!("ctx: {ctx}{rt}::WorkflowContext<C>")];
        p.extend(param.clone());
        p.push("options: WorkflowCallOptions".to_string());
        p
    };
    let call_args = [
        "ctx".to_string(),
        marker.clone(),
        arg.to_string(),
        "options".to_string(),
    ];
    let name = code(&m.name);

    // Plain functions returning the runtime's futures, as the client's:
    // (doc, head, the context's reference, the result, the future's
    // lifetime, the runtime function).
    let starts = [
        (
            format!(
                "Starts the {name} workflow in the target namespace and waits for its result \
                 (XNS activity {}).",
                code(&w.name)
            ),
            format!("pub fn {}<C>", n::xns_execute_ident(&m.name)),
            "&",
            out_ty,
            "'_",
            "execute_workflow",
        ),
        (
            format!(
                "Starts the {name} workflow in the target namespace; resolves to its run \
                 handle once it started."
            ),
            format!("pub fn {}<'a, C>", n::xns_start_ident(&m.name)),
            "&'a ",
            format!("{run}<'a, C>"),
            "'a",
            "start_workflow",
        ),
    ];
    for (doc, head, ctx, ok, lifetime, callee) in starts {
        out.doc(None, &[doc]);
        out.attr(dep.as_deref());
        out.signature(
            &head,
            &params(ctx),
            Some(&format!(
                "impl {rt}::Future<Output = Result<{ok}, XnsError>> + {lifetime}"
            )),
            End::Body,
        );
        out.call(&format!("{rt}::xns::{callee}"), &call_args, "");
        out.close();
    }

    out.doc(
        None,
        &[format!(
            "A run handle on an existing {name} workflow in the target namespace: await \
             it for the workflow's result, or call its handlers."
        )],
    );
    out.attr(dep.as_deref());
    out.signature(
        &format!("pub fn {}<'a, C>", n::attach_ident(&m.name)),
        &[
            format!("ctx: &'a {rt}::WorkflowContext<C>"),
            "workflow_id: impl Into<String>".to_string(),
            "run_id: Option<String>".to_string(),
            "options: WorkflowCallOptions".to_string(),
        ],
        Some(&format!("{run}<'a, C>")),
        End::Body,
    );
    let get_args = [
        "ctx".to_string(),
        marker.clone(),
        "workflow_id".to_string(),
        "run_id".to_string(),
        "options".to_string(),
    ];
    out.call(&format!("{rt}::xns::get_workflow"), &get_args, "");
    out.close();

    let pairs = starting_pairs(scope, model, service, w);
    out.doc(None, &run_doc(scope, model, service, w, &pairs));
    out.assign(
        &format!("pub type {run}<'a, C>"),
        &format!("{rt}::XnsRun<'a, C, {marker}>"),
    );

    registrations.push(format!(".workflow({marker})"));
    for pair in &pairs {
        let call = match pair.kind {
            HandlerKind::Update => "update_with_start",
            _ => "signal_with_start",
        };
        registrations.push(format!(".{call}({marker}, {})", pair.handler));
    }
}

/// The doc paragraphs of a workflow's run handle type: what it does, and
/// the markers of the handlers it calls (by kind, then with-start).
fn run_doc(
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &Workflow,
    pairs: &[StartingPair<'_>],
) -> Vec<String> {
    let mut lines = vec![format!(
        "A {} workflow in the target namespace, seen from the calling workflow: \
         `get` its result, `cancel` it, and call its handlers through XNS with \
         their markers.",
        code(&w.method.name)
    )];
    let mut items = Vec::new();
    let refs = [
        (
            HandlerKind::Query,
            "query",
            w.queries.iter().map(|q| &q.target).collect::<Vec<_>>(),
        ),
        (
            HandlerKind::Signal,
            "signal",
            w.signals.iter().map(|s| &s.target).collect(),
        ),
        (
            HandlerKind::Update,
            "update",
            w.updates.iter().map(|u| &u.target).collect(),
        ),
    ];
    for (kind, call, targets) in refs {
        let markers: Vec<String> = targets
            .into_iter()
            .filter_map(|t| ref_marker(scope, model, service, w, t, kind))
            .map(|(_, marker)| format!("`{marker}`"))
            .collect();
        if !markers.is_empty() {
            items.push(format!("`{call}`: {}.", markers.join(", ")));
        }
    }
    for (kind, call) in [
        (HandlerKind::Signal, "xns::signal_with_start"),
        (HandlerKind::Update, "xns::update_with_start"),
    ] {
        let markers: Vec<String> = pairs
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| format!("`{}`", p.handler))
            .collect();
        if !markers.is_empty() {
            items.push(format!("`{call}`: {}.", markers.join(", ")));
        }
    }
    lines.extend(list(&items));
    lines
}

/// The handler `w` refers to as `target`, and the path of the marker `w`
/// uses for it: the handler's own marker when `w` is its primary
/// workflow, else the marker declared for `w`.
fn ref_marker<'m>(
    scope: &Scope,
    model: &'m Model,
    service: &Service,
    w: &Workflow,
    target: &HandlerRef,
    kind: HandlerKind,
) -> Option<(&'m Method, String)> {
    let (_, method) = handlers::find(model, target, kind)?;
    let marker = handlers::marker_for(scope, model, service, w, target, kind);
    Some((method, path_text(&marker)))
}

/// XNS impls of the markers `w` declares for handlers bound to another
/// workflow: the same activity and defaults as the handler's own marker,
/// so that XNS reaches them on `w` too (run handle, with-start).
fn secondary_impls(out: &mut Code, scope: &Scope, model: &Model, service: &Service, w: &Workflow) {
    let rt = scope.rt_text();
    for (kind, target, owner, method) in handlers::secondary_refs(model, service, w) {
        let own = path_text(&scope.item_of(service, owner, &n::own_marker(&method.name, kind)));
        let marker = n::secondary_marker(&w.method.name, &target.method, kind);
        let tr = format!("{rt}::{}", handler_trait(kind));
        out.open_impl(&format!("impl {tr}"), &marker.to_string());
        out.assign(
            &format!("const XNS: &'static {rt}::XnsDefaults"),
            &format!("<{own} as {tr}>::XNS"),
        );
        out.assign(
            "const ACTIVITY: &'static str",
            &format!("<{own} as {tr}>::ACTIVITY"),
        );
        out.close();
    }
}

/// A signal or update the proto lets start workflow `w`, which XNS can
/// call with-start.
struct StartingPair<'a> {
    kind: HandlerKind,
    /// The path of the handler's marker.
    handler: String,
    /// The XNS activity: `<pkg>.<Service>.<Workflow>With<Handler>`.
    activity: String,
    /// The ref's `xns` options.
    xns: Option<&'a XnsOptions>,
}

/// The with-start pairs of `w` XNS serves: its signal and update refs with
/// `start: true`.
fn starting_pairs<'w>(
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &'w Workflow,
) -> Vec<StartingPair<'w>> {
    let signals = w
        .signals
        .iter()
        .filter(|s| s.start)
        .map(|s| (HandlerKind::Signal, &s.target, s.xns.as_ref()));
    let updates = w
        .updates
        .iter()
        .filter(|u| u.start)
        .map(|u| (HandlerKind::Update, &u.target, u.xns.as_ref()));
    signals
        .chain(updates)
        .filter_map(|(kind, target, xns)| {
            let (method, handler) = ref_marker(scope, model, service, w, target, kind)?;
            let activity = service_activity(
                &service.full_name,
                &format!("{}With{}", w.method.name, method.name),
            );
            Some(StartingPair {
                kind,
                handler,
                activity,
                xns,
            })
        })
        .collect()
}
