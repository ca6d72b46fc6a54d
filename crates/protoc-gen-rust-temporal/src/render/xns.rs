//! The cross-namespace (XNS) surface of one service: the XNS trait impls
//! of its definition markers, and the `xns` submodule with typed calls for
//! workflows in another namespace, their run handles, and the registration
//! of the service's XNS activities on the caller's worker.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::definitions::{parent_close, retry, set_fields, some, some_duration};
use super::docs::{code, deprecated, doc, list, query_by_id_example};
use super::handlers::{self, HandlerKind};
use super::item_names::{self as n, run_ident};
use super::paths::{Scope, path_text};
use crate::model::{HandlerRef, Method, Model, Payload, Service, Workflow, XnsOptions};
use crate::options::schema;

/// `, input: T` and the expression passing it on (`()` for Empty).
fn input(scope: &Scope, name: &str, payload: &Payload) -> (TokenStream, TokenStream) {
    let ident = format_ident!("{name}");
    match payload {
        Payload::Empty => (TokenStream::new(), quote!(())),
        Payload::Message(_) | Payload::WellKnown(_) => {
            let ty = scope.value_type(payload);
            (quote!(, #ident: #ty), quote!(#ident))
        }
    }
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
    scope: &Scope,
    xns: Option<&XnsOptions>,
    workflow_parent_close: schema::ParentClosePolicy,
) -> TokenStream {
    if !has_xns_defaults(xns, workflow_parent_close) {
        return TokenStream::new();
    }
    let rt = &scope.rt;
    let value = defaults_value(scope, xns, workflow_parent_close);
    quote!(const XNS: &'static #rt::XnsDefaults = &#value;)
}

/// The `REF_XNS` item of a workflow's ref that sets `xns` (even an empty
/// one, which replaces the handler's defaults with none, as in Go);
/// nothing otherwise.
fn ref_defaults(scope: &Scope, xns: Option<&XnsOptions>) -> TokenStream {
    let Some(x) = xns else {
        return TokenStream::new();
    };
    let rt = &scope.rt;
    let value = defaults_value(scope, Some(x), schema::ParentClosePolicy::Unspecified);
    quote!(const REF_XNS: Option<&'static #rt::XnsDefaults> = Some(&#value);)
}

/// An `XnsDefaults` value with the options `xns` sets.
fn defaults_value(
    scope: &Scope,
    xns: Option<&XnsOptions>,
    workflow_parent_close: schema::ParentClosePolicy,
) -> TokenStream {
    let rt = &scope.rt;
    let none = XnsOptions::default();
    let x = xns.unwrap_or(&none);
    let policy = xns_parent_close(xns, workflow_parent_close);
    set_fields(
        quote!(#rt::XnsDefaults),
        [
            (
                "task_queue",
                x.task_queue.as_deref().map(|q| some(quote!(#q))),
            ),
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
            ("parent_close_policy", parent_close(scope, policy).map(some)),
        ],
        quote!(#rt::XnsDefaults::NONE),
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

/// Trait impls and defaults in the service module (next to the markers).
pub fn render_impls(scope: &Scope, model: &Model, service: &Service) -> TokenStream {
    let rt = &scope.rt;
    let svc = &service.full_name;
    let cancel_name = service_activity(svc, "CancelWorkflow");
    let terminate_name = service_activity(svc, "TerminateWorkflow");
    let mut out = TokenStream::new();
    for w in &service.workflows {
        let m = &w.method;
        let marker = n::workflow_marker(&m.name);
        let start_name = &w.name;
        let get_name = service_activity(svc, &format!("Get{}", m.name));
        let xns_item = defaults(scope, w.xns.as_ref(), w.parent_close_policy);
        out.extend(quote! {
            impl #rt::XnsWorkflow for #marker {
                #xns_item
                const ACTIVITY: &'static str = #start_name;
                const GET_ACTIVITY: &'static str = #get_name;
                const CANCEL_ACTIVITY: &'static str = #cancel_name;
                const TERMINATE_ACTIVITY: &'static str = #terminate_name;
            }
        });
    }
    for h in handlers_of(service) {
        let marker = n::own_marker(&h.method.name, h.kind);
        let name = h.name;
        let xns_item = defaults(scope, h.xns, schema::ParentClosePolicy::Unspecified);
        let body = match h.kind {
            HandlerKind::Query => quote! {
                impl #rt::XnsQuery for #marker {
                    #xns_item
                    const ACTIVITY: &'static str = #name;
                }
            },
            HandlerKind::Signal => quote! {
                impl #rt::XnsSignal for #marker {
                    #xns_item
                    const ACTIVITY: &'static str = #name;
                }
            },
            HandlerKind::Update => {
                quote! {
                    impl #rt::XnsUpdate for #marker {
                        #xns_item
                        const ACTIVITY: &'static str = #name;
                    }
                }
            }
        };
        out.extend(body);
    }
    for w in &service.workflows {
        out.extend(secondary_impls(scope, model, service, w));
        let marker = n::workflow_marker(&w.method.name);
        for (target, kind, xns) in refs_with_xns(w) {
            if let Some((_, handler)) = ref_marker(scope, model, service, w, target, kind) {
                let ref_xns = ref_defaults(scope, xns);
                out.extend(quote! {
                    impl #rt::XnsHandlerOf<#marker> for #handler { #ref_xns }
                });
            }
        }
        for pair in starting_pairs(scope, model, service, w) {
            let StartingPair {
                kind,
                handler,
                activity,
                xns,
            } = pair;
            let tr = match kind {
                HandlerKind::Update => quote!(XnsStartingUpdate),
                _ => quote!(XnsStartingSignal),
            };
            let ref_xns = ref_defaults(scope, xns);
            out.extend(quote! {
                impl #rt::#tr<#marker> for #handler {
                    const START_ACTIVITY: &'static str = #activity;
                    #ref_xns
                }
            });
        }
    }
    out
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
pub fn render_module(scope: &Scope, model: &Model, service: &Service) -> TokenStream {
    let scope = &scope.nested();
    let rt = &scope.rt;
    let runtime = &scope.runtime;
    let svc = &service.full_name;
    let mut items = TokenStream::new();
    let mut registrations = Vec::new();
    for w in &service.workflows {
        items.extend(workflow_calls(scope, model, service, w, &mut registrations));
    }
    for h in handlers_of(service) {
        let marker = n::own_marker(&h.method.name, h.kind);
        let add = format_ident!("{}", h.kind.word());
        registrations.push(quote!(.#add(#marker)));
    }
    let register = n::xns_register_fn(service);
    let xns_module = n::xns_module();
    let imports = n::XNS_IMPORTS
        .iter()
        .chain(n::XNS_REEXPORTED_FUNCTIONS)
        .map(|i| format_ident!("{i}"));
    let register_doc = doc(
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
    let module_doc = doc(
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
    quote! {
        #module_doc
        pub mod #xns_module {
            #[allow(unused_imports)]
            use super::*;
            pub use #runtime::xns::{#(#imports),*};

            #items

            #register_doc
            pub fn #register(
                worker: &mut #rt::WorkerOptions,
                client: impl Into<#rt::Client>,
                settings: XnsRegistration,
            ) -> Result<(), #rt::ActivityNameClash> {
                #rt::Registrar::new(worker, #svc, client.into(), settings)
                    #(#registrations)*
                    .finish()
            }
        }
    }
}

fn workflow_calls(
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &Workflow,
    registrations: &mut Vec<TokenStream>,
) -> TokenStream {
    let rt = &scope.rt;
    let m = &w.method;
    let marker = n::workflow_marker(&m.name);
    let f = n::xns_execute_ident(&m.name);
    let f_async = n::xns_start_ident(&m.name);
    let get = n::attach_ident(&m.name);
    let run = run_ident(&m.name);
    let out_ty = scope.value_type(&m.output);
    let (param, arg) = input(scope, "input", &m.input);
    let start_name = &w.name;
    registrations.push(quote!(.workflow(#marker)));
    let fd = doc(
        None,
        &[format!(
            "Starts the {} workflow in the target namespace and waits for its result \
             (XNS activity {}).",
            code(&m.name),
            code(start_name)
        )],
    );
    let fad = doc(
        None,
        &[format!(
            "Starts the {} workflow in the target namespace; resolves to its run \
             handle once it started.",
            code(&m.name)
        )],
    );
    let gd = doc(
        None,
        &[format!(
            "A run handle on an existing {} workflow in the target namespace: await \
             it for the workflow's result, or call its handlers.",
            code(&m.name)
        )],
    );
    let mut rd_lines = vec![format!(
        "A {} workflow in the target namespace, seen from the calling workflow: \
         `get` its result, `cancel` it, and call its handlers through XNS with \
         their markers.",
        code(&m.name)
    )];
    let mut rd_items = Vec::new();
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
            .map(|(_, marker)| format!("`{}`", path_text(&marker)))
            .collect();
        if !markers.is_empty() {
            rd_items.push(format!("`{call}`: {}.", markers.join(", ")));
        }
    }
    let pairs = starting_pairs(scope, model, service, w);
    for (kind, call) in [
        (HandlerKind::Signal, "xns::signal_with_start"),
        (HandlerKind::Update, "xns::update_with_start"),
    ] {
        let markers: Vec<String> = pairs
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| format!("`{}`", path_text(&p.handler)))
            .collect();
        if !markers.is_empty() {
            rd_items.push(format!("`{call}`: {}.", markers.join(", ")));
        }
    }
    rd_lines.extend(list(&rd_items));
    let rd = doc(None, &rd_lines);
    for pair in &pairs {
        let handler = &pair.handler;
        registrations.push(match pair.kind {
            HandlerKind::Update => quote!(.update_with_start(#marker, #handler)),
            _ => quote!(.signal_with_start(#marker, #handler)),
        });
    }
    let dep = deprecated(m);
    quote! {
        #fd
        #dep
        pub async fn #f<C>(
            ctx: &#rt::WorkflowContext<C>
            #param,
            options: WorkflowCallOptions,
        ) -> Result<#out_ty, XnsError> {
            #rt::xns::execute_workflow(ctx, #marker, #arg, options).await
        }

        #fad
        #dep
        pub async fn #f_async<'a, C>(
            ctx: &'a #rt::WorkflowContext<C>
            #param,
            options: WorkflowCallOptions,
        ) -> Result<#run<'a, C>, XnsError> {
            #rt::xns::start_workflow(ctx, #marker, #arg, options).await
        }

        #gd
        #dep
        pub fn #get<'a, C>(
            ctx: &'a #rt::WorkflowContext<C>,
            workflow_id: impl Into<String>,
            run_id: Option<String>,
            options: WorkflowCallOptions,
        ) -> #run<'a, C> {
            #rt::xns::get_workflow(ctx, #marker, workflow_id, run_id, options)
        }

        #rd
        pub type #run<'a, C> = #rt::XnsRun<'a, C, #marker>;
    }
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
) -> Option<(&'m Method, TokenStream)> {
    let (_, method) = handlers::find(model, target, kind)?;
    let marker = handlers::marker_for(scope, model, service, w, target, kind);
    Some((method, marker))
}

/// XNS impls of the markers `w` declares for handlers bound to another
/// workflow: the same activity and defaults as the handler's own marker,
/// so that XNS reaches them on `w` too (run handle, with-start).
fn secondary_impls(scope: &Scope, model: &Model, service: &Service, w: &Workflow) -> TokenStream {
    let rt = &scope.rt;
    let mut out = TokenStream::new();
    for (kind, target, owner, method) in handlers::secondary_refs(model, service, w) {
        let own = scope.item_of(service, owner, &n::own_marker(&method.name, kind));
        let marker = n::secondary_marker(&w.method.name, &target.method, kind);
        let tr = match kind {
            HandlerKind::Query => quote!(XnsQuery),
            HandlerKind::Signal => quote!(XnsSignal),
            HandlerKind::Update => quote!(XnsUpdate),
        };
        out.extend(quote! {
            impl #rt::#tr for #marker {
                const XNS: &'static #rt::XnsDefaults = <#own as #rt::#tr>::XNS;
                const ACTIVITY: &'static str = <#own as #rt::#tr>::ACTIVITY;
            }
        });
    }
    out
}

/// A signal or update the proto lets start workflow `w`, which XNS can
/// call with-start.
struct StartingPair<'a> {
    kind: HandlerKind,
    /// The handler's marker.
    handler: TokenStream,
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
