//! The cross-namespace (XNS) surface of one service: the XNS trait impls
//! of its definition markers, and the `xns` submodule with typed calls for
//! workflows in another namespace, their run handles, and the registration
//! of the service's XNS activities on the caller's worker.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::definitions::{duration, option, parent_close, retry};
use super::docs::{code, doc};
use super::handlers::{self, HandlerKind};
use super::item_names::{self as n, async_ident, id_fn, run_ident, xns_const};
use super::paths::Scope;
use crate::model::{self, HandlerRef, Method, Model, Payload, Service, Workflow, XnsOptions};
use crate::options::schema;

/// `, input: T` and the expression passing it on (`()` for Empty).
fn input(scope: &Scope, name: &str, payload: &Payload) -> (TokenStream, TokenStream) {
    let ident = format_ident!("{name}");
    match payload {
        Payload::Empty => (TokenStream::new(), quote!(())),
        Payload::Message(_) => {
            let ty = scope.value_type(payload);
            (quote!(, #ident: #ty), quote!(#ident))
        }
    }
}

/// The `XnsDefaults` constant of one item.
fn defaults(
    scope: &Scope,
    ident: &Ident,
    what: &str,
    xns: Option<&XnsOptions>,
    workflow_parent_close: schema::ParentClosePolicy,
) -> TokenStream {
    let rt = &scope.rt;
    let none = XnsOptions::default();
    let x = xns.unwrap_or(&none);
    let task_queue = option(x.task_queue.as_deref().map(|q| quote!(#q)));
    let s2c = option(x.schedule_to_close_timeout.map(duration));
    let s2s = option(x.schedule_to_start_timeout.map(duration));
    let st2c = option(x.start_to_close_timeout.map(duration));
    let hbi = option(x.heartbeat_interval.map(duration));
    let hbt = option(x.heartbeat_timeout.map(duration));
    let retry_policy = option(x.retry_policy.as_ref().map(|r| retry(scope, r)));
    let policy = match x.parent_close_policy {
        schema::ParentClosePolicy::Unspecified => workflow_parent_close,
        p => p,
    };
    let pcp = option(parent_close(scope, policy));
    let d = doc(
        None,
        &[format!(
            "XNS defaults of {what} from its proto `xns` options."
        )],
    );
    quote! {
        #d
        pub const #ident: #rt::xns::XnsDefaults = #rt::xns::XnsDefaults {
            task_queue: #task_queue,
            schedule_to_close_timeout: #s2c,
            schedule_to_start_timeout: #s2s,
            start_to_close_timeout: #st2c,
            heartbeat_interval: #hbi,
            heartbeat_timeout: #hbt,
            retry_policy: #retry_policy,
            parent_close_policy: #pcp,
        };
    }
}

/// The name of an XNS activity the service itself owns (`<svc>.<what>`).
fn service_activity(svc: &str, what: &str) -> String {
    format!("{svc}.{what}")
}

/// The XNS activity name of an item: `xns.name`, else its Temporal name.
fn activity_name(xns: Option<&XnsOptions>, temporal_name: &str) -> String {
    xns.and_then(|x| x.name.clone())
        .unwrap_or_else(|| temporal_name.to_string())
}

pub(super) struct Handler<'a> {
    pub(super) kind: HandlerKind,
    pub(super) method: &'a Method,
    name: &'a str,
    xns: Option<&'a XnsOptions>,
    update: Option<&'a model::Update>,
}

fn handlers_of(service: &Service) -> Vec<Handler<'_>> {
    let mut out = Vec::new();
    for q in &service.queries {
        out.push(Handler {
            kind: HandlerKind::Query,
            method: &q.method,
            name: &q.name,
            xns: q.xns.as_ref(),
            update: None,
        });
    }
    for s in &service.signals {
        out.push(Handler {
            kind: HandlerKind::Signal,
            method: &s.method,
            name: &s.name,
            xns: s.xns.as_ref(),
            update: None,
        });
    }
    for u in &service.updates {
        out.push(Handler {
            kind: HandlerKind::Update,
            method: &u.method,
            name: &u.name,
            xns: u.xns.as_ref(),
            update: Some(u),
        });
    }
    out
}

/// Handlers that XNS can call: those a workflow declares (their markers
/// are bound to it).
pub(super) fn callable<'a>(model: &Model, service: &'a Service) -> Vec<Handler<'a>> {
    handlers_of(service)
        .into_iter()
        .filter(|h| {
            let target = HandlerRef {
                service: service.full_name.clone(),
                method: h.method.name.clone(),
            };
            model.primary_workflow(&target).is_some()
        })
        .collect()
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
        let xns = xns_const(&m.name);
        let defaults_const = n::defaults_const(&m.name);
        let id = option(w.id.as_ref().map(|_| {
            let f = id_fn(&m.name, "workflow");
            quote!(#f)
        }));
        let start_name = activity_name(w.xns.as_ref(), &w.name);
        let get_name = service_activity(svc, &format!("Get{}", m.name));
        out.extend(defaults(
            scope,
            &xns,
            &format!("the {} workflow", code(&m.name)),
            w.xns.as_ref(),
            w.parent_close_policy,
        ));
        out.extend(quote! {
            impl #rt::xns::XnsWorkflow for #marker {
                const DEFAULTS: &'static #rt::client::WorkflowDefaults = &#defaults_const;
                const XNS: &'static #rt::xns::XnsDefaults = &#xns;
                const ID: ::core::option::Option<#rt::client::IdFn<<Self::Input as #rt::payload::PayloadValue>::Value>> = #id;
                const ACTIVITY: &'static str = #start_name;
                const GET_ACTIVITY: &'static str = #get_name;
                const CANCEL_ACTIVITY: &'static str = #cancel_name;
                const TERMINATE_ACTIVITY: &'static str = #terminate_name;
            }
        });
    }
    for h in callable(model, service) {
        let marker = n::own_marker(&h.method.name, h.kind);
        let xns = xns_const(&h.method.name);
        let name = activity_name(h.xns, h.name);
        out.extend(defaults(
            scope,
            &xns,
            &format!("the {} {}", code(&h.method.name), h.kind.word()),
            h.xns,
            schema::ParentClosePolicy::Unspecified,
        ));
        let body = match h.kind {
            HandlerKind::Query => quote! {
                impl #rt::xns::XnsQuery for #marker {
                    const XNS: &'static #rt::xns::XnsDefaults = &#xns;
                    const ACTIVITY: &'static str = #name;
                }
            },
            HandlerKind::Signal => quote! {
                impl #rt::xns::XnsSignal for #marker {
                    const XNS: &'static #rt::xns::XnsDefaults = &#xns;
                    const ACTIVITY: &'static str = #name;
                }
            },
            HandlerKind::Update => {
                let u = h.update.expect("updates carry their model");
                let defaults_const = n::defaults_const(&u.method.name);
                let id = option(u.id.as_ref().map(|_| {
                    let f = id_fn(&u.method.name, "update");
                    quote!(#f)
                }));
                quote! {
                    impl #rt::xns::XnsUpdate for #marker {
                        const XNS: &'static #rt::xns::XnsDefaults = &#xns;
                        const DEFAULTS: &'static #rt::client::UpdateDefaults = &#defaults_const;
                        const ID: ::core::option::Option<#rt::client::IdFn<<Self::Input as #rt::payload::PayloadValue>::Value>> = #id;
                        const ACTIVITY: &'static str = #name;
                    }
                }
            }
        };
        out.extend(body);
    }
    out
}

/// The `xns` submodule.
pub fn render_module(scope: &Scope, model: &Model, service: &Service) -> TokenStream {
    let scope = &scope.nested();
    let rt = &scope.rt;
    let wf = quote!(#rt::__private::temporalio_workflow);
    let svc = &service.full_name;
    let mut items = TokenStream::new();
    let mut registrations = Vec::new();
    for w in &service.workflows {
        items.extend(workflow_calls(scope, model, service, w, &mut registrations));
    }
    for h in callable(model, service) {
        items.extend(handler_calls(scope, &h, &mut registrations));
    }
    let cancel_name = service_activity(svc, "CancelWorkflow");
    registrations.push(quote!(.activity::<#rt::xns::serve::CancelWorkflow>(#cancel_name)));
    let terminate_name = service_activity(svc, "TerminateWorkflow");
    registrations.push(quote!(.activity::<#rt::xns::serve::TerminateWorkflow>(#terminate_name)));
    let client = n::client_ident(service);
    let register = n::xns_register_fn(service);
    let xns_module = n::xns_module();
    let cancel_fn = n::xns_cancel_fn();
    let imports = n::XNS_IMPORTS.iter().map(|i| format_ident!("{i}"));
    let register_doc = doc(
        None,
        &[format!(
            "Registers every XNS activity of {} on the caller's worker, calling the \
             target namespace with `client` (a {} or a `temporalio_client::Client` bound \
             to that namespace). `settings` can replace the error converter and filter \
             (skip or rename) the activities. Fails, registering nothing, when one of \
             the names is already registered on `worker` through generated code.",
            code(svc),
            code(&client.to_string())
        )],
    );
    quote! {
        impl ::core::convert::From<#client> for #rt::__private::temporalio_client::Client {
            fn from(client: #client) -> Self {
                client.client
            }
        }

        /// Calls to the workflows of this service in another namespace, from
        /// inside a workflow: each runs an XNS activity on the caller's worker
        /// (see [`register_xns_activities`](self::xns) below).
        pub mod #xns_module {
            #[allow(unused_imports)]
            use super::*;
            pub use #rt::xns::{#(#imports),*};

            #items

            /// Requests cancellation of a workflow in the target namespace.
            pub async fn #cancel_fn<C>(
                ctx: &#wf::WorkflowContext<C>,
                workflow_id: impl ::core::convert::Into<::std::string::String>,
                run_id: ::core::option::Option<::std::string::String>,
                options: CallOptions,
            ) -> ::core::result::Result<(), XnsError> {
                #rt::xns::cancel_workflow(ctx, #cancel_name, workflow_id, run_id, options).await
            }

            #register_doc
            pub fn #register(
                worker: &mut #rt::__private::temporalio_sdk::WorkerOptions,
                client: impl ::core::convert::Into<#rt::__private::temporalio_client::Client>,
                settings: XnsRegistration,
            ) -> ::core::result::Result<(), #rt::worker::ActivityNameClash> {
                #rt::xns::Registrar::new(worker, #svc, client.into(), settings)
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
    let wf = quote!(#rt::__private::temporalio_workflow);
    let m = &w.method;
    let svc = &service.full_name;
    let marker = n::workflow_marker(&m.name);
    let f = n::xns_execute_ident(&m.name);
    let f_async = n::start_ident(&m.name);
    let get = n::attach_ident(&m.name);
    let get_async = async_ident(&get);
    let run = run_ident(&m.name);
    let out_ty = scope.value_type(&m.output);
    let (param, arg) = input(scope, "input", &m.input);
    let start_name = activity_name(w.xns.as_ref(), &w.name);
    let get_name = service_activity(svc, &format!("Get{}", m.name));
    registrations.push(quote!(.activity::<#rt::xns::serve::StartWorkflow<#marker>>(#start_name)));
    registrations.push(quote!(.activity::<#rt::xns::serve::GetWorkflow<#marker>>(#get_name)));
    let fd = doc(
        m.comments.as_deref(),
        &[format!(
            "Starts the {} workflow in the target namespace and waits for its result \
             (XNS activity {}).",
            code(&m.name),
            code(&start_name)
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
            "Waits for the result of an existing {} workflow in the target namespace.",
            code(&m.name)
        )],
    );
    let gad = doc(
        None,
        &[format!(
            "A run handle on an existing {} workflow in the target namespace.",
            code(&m.name)
        )],
    );
    let rd = doc(
        None,
        &[format!(
            "A {} workflow in the target namespace, seen from the calling workflow.",
            code(&m.name)
        )],
    );
    let mut run_methods = TokenStream::new();
    let mut with_start = TokenStream::new();
    for q in &w.queries {
        run_methods.extend(run_method(
            scope,
            model,
            service,
            w,
            &q.target,
            HandlerKind::Query,
        ));
    }
    for sig in &w.signals {
        run_methods.extend(run_method(
            scope,
            model,
            service,
            w,
            &sig.target,
            HandlerKind::Signal,
        ));
        if sig.start {
            with_start.extend(signal_with_start(
                scope,
                model,
                service,
                w,
                &sig.target,
                registrations,
            ));
        }
    }
    for u in &w.updates {
        run_methods.extend(run_method(
            scope,
            model,
            service,
            w,
            &u.target,
            HandlerKind::Update,
        ));
        if u.start {
            with_start.extend(update_with_start(
                scope,
                model,
                service,
                w,
                u,
                registrations,
            ));
        }
    }
    quote! {
        #fd
        pub async fn #f<C>(
            ctx: &#wf::WorkflowContext<C>
            #param,
            options: WorkflowCallOptions,
        ) -> ::core::result::Result<#out_ty, XnsError> {
            #rt::xns::execute_workflow::<C, #marker>(ctx, #arg, options).await
        }

        #fad
        pub async fn #f_async<'a, C>(
            ctx: &'a #wf::WorkflowContext<C>
            #param,
            options: WorkflowCallOptions,
        ) -> ::core::result::Result<#run<'a, C>, XnsError> {
            #rt::xns::start_workflow::<C, #marker>(ctx, #arg, options).await.map(#run)
        }

        #gd
        pub async fn #get<C>(
            ctx: &#wf::WorkflowContext<C>,
            workflow_id: impl ::core::convert::Into<::std::string::String>,
            run_id: ::core::option::Option<::std::string::String>,
            options: WorkflowCallOptions,
        ) -> ::core::result::Result<#out_ty, XnsError> {
            #get_async(ctx, workflow_id, run_id, options).get().await
        }

        #gad
        pub fn #get_async<'a, C>(
            ctx: &'a #wf::WorkflowContext<C>,
            workflow_id: impl ::core::convert::Into<::std::string::String>,
            run_id: ::core::option::Option<::std::string::String>,
            options: WorkflowCallOptions,
        ) -> #run<'a, C> {
            #run(#rt::xns::get_workflow::<C, #marker>(ctx, workflow_id, run_id, options))
        }

        #with_start

        #rd
        #[derive(Debug)]
        pub struct #run<'a, C>(#rt::xns::XnsRun<'a, C, #marker>);

        impl<'a, C> #run<'a, C> {
            /// The remote workflow ID.
            pub fn id(&self) -> &str {
                self.0.id()
            }

            /// Waits for the remote workflow's result.
            pub async fn get(self) -> ::core::result::Result<#out_ty, XnsError> {
                self.0.get().await
            }

            /// Requests cancellation of the remote workflow.
            pub async fn cancel(&self) -> ::core::result::Result<(), XnsError> {
                self.0.cancel().await
            }

            /// The underlying run.
            pub fn into_inner(self) -> #rt::xns::XnsRun<'a, C, #marker> {
                self.0
            }

            #run_methods
        }
    }
}

/// The handler `target` of `w` and the service declaring it, when `w` is
/// the workflow it is bound to. Handlers shared with another workflow are
/// bound to that one; they are called with the free functions of their
/// service.
pub(super) fn bound<'m>(
    model: &'m Model,
    service: &Service,
    w: &Workflow,
    target: &HandlerRef,
    kind: HandlerKind,
) -> Option<(&'m Service, &'m Method)> {
    if !handlers::is_primary(model, target, service, w) {
        return None;
    }
    handlers::find(model, target, kind)
}

/// [`bound`], with the path of the handler's marker.
fn bound_handler<'m>(
    scope: &Scope,
    model: &'m Model,
    service: &Service,
    w: &Workflow,
    target: &HandlerRef,
    kind: HandlerKind,
) -> Option<(&'m Method, TokenStream)> {
    let (owner, method) = bound(model, service, w, target, kind)?;
    let marker = scope.item_of(service, owner, &n::own_marker(&method.name, kind));
    Some((method, marker))
}

/// A method of a run handle that calls one of the workflow's handlers.
fn run_method(
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &Workflow,
    target: &HandlerRef,
    kind: HandlerKind,
) -> TokenStream {
    let rt = &scope.rt;
    let Some((method, marker)) = bound_handler(scope, model, service, w, target, kind) else {
        return TokenStream::new();
    };
    let f = n::xns_run_method_ident(&method.name, kind);
    let (param, arg) = input(scope, "input", &method.input);
    let d = doc(
        method.comments.as_deref(),
        &[format!(
            "Runs the {} {} on this workflow through XNS.",
            code(&method.name),
            kind.word()
        )],
    );
    let output = scope.output_type(&method.output);
    match kind {
        HandlerKind::Query => quote! {
            #d
            pub fn #f(&self #param, options: CallOptions) -> XnsCall<'a, #output> {
                #rt::xns::query::<C, #marker>(self.0.context(), self.0.id(), ::core::option::Option::None, #arg, options)
            }
        },
        HandlerKind::Signal => quote! {
            #d
            pub fn #f(&self #param, options: CallOptions) -> XnsCall<'a, #rt::payload::Empty> {
                #rt::xns::signal::<C, #marker>(self.0.context(), self.0.id(), ::core::option::Option::None, #arg, options)
            }
        },
        HandlerKind::Update => quote! {
            #d
            pub fn #f(&self #param, options: CallOptions) -> ::core::result::Result<XnsCall<'a, #output>, XnsError> {
                #rt::xns::update::<C, #marker>(self.0.context(), self.0.id(), ::core::option::Option::None, #arg, options)
            }
        },
    }
}

/// What a with-start function of workflow `w` is made of.
struct WithStart<'m> {
    /// The handler the workflow starts with.
    method: &'m Method,
    /// The handler's marker.
    handler: TokenStream,
    /// The workflow's marker.
    marker: Ident,
    /// The XNS activity: `<pkg>.<Service>.<Workflow>With<Handler>`.
    name: String,
}

/// The parts of `w`'s with-start function for `target` (a signal or an
/// update), adding its activity to `registrations`; `None` when `w` is not
/// the handler's primary workflow.
fn with_start<'m>(
    scope: &Scope,
    model: &'m Model,
    service: &Service,
    w: &Workflow,
    target: &HandlerRef,
    kind: HandlerKind,
    registrations: &mut Vec<TokenStream>,
) -> Option<WithStart<'m>> {
    let rt = &scope.rt;
    let (method, handler) = bound_handler(scope, model, service, w, target, kind)?;
    let marker = n::workflow_marker(&w.method.name);
    let name = service_activity(
        &service.full_name,
        &format!("{}With{}", w.method.name, method.name),
    );
    let op = match kind {
        HandlerKind::Signal => quote!(SignalWithStart),
        HandlerKind::Update => quote!(UpdateWithStart),
        HandlerKind::Query => return None,
    };
    registrations.push(quote!(.activity::<#rt::xns::serve::#op<#marker, #handler>>(#name)));
    Some(WithStart {
        method,
        handler,
        marker,
        name,
    })
}

fn signal_with_start(
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &Workflow,
    target: &HandlerRef,
    registrations: &mut Vec<TokenStream>,
) -> TokenStream {
    let rt = &scope.rt;
    let wf = quote!(#rt::__private::temporalio_workflow);
    let Some(WithStart {
        method,
        handler: signal,
        marker,
        name,
    }) = with_start(
        scope,
        model,
        service,
        w,
        target,
        HandlerKind::Signal,
        registrations,
    )
    else {
        return TokenStream::new();
    };
    let f = n::with_start_ident(&w.method.name, &method.name);
    let f_async = async_ident(&f);
    let run = run_ident(&w.method.name);
    let out_ty = scope.value_type(&w.method.output);
    let (param, arg) = input(scope, "input", &w.method.input);
    let (sparam, sarg) = input(scope, "signal_input", &method.input);
    let d = doc(
        None,
        &[format!(
            "Sends {} to the {} workflow in the target namespace, starting it first if \
             it is not running, and waits for the workflow's result (XNS activity {}).",
            code(&method.name),
            code(&w.method.name),
            code(&name)
        )],
    );
    let da = doc(
        None,
        &[format!(
            "Signal-with-start of {} and {}; resolves to the run handle once the \
             signal was delivered.",
            code(&w.method.name),
            code(&method.name)
        )],
    );
    quote! {
        #d
        pub async fn #f<C>(
            ctx: &#wf::WorkflowContext<C>
            #param
            #sparam,
            options: WorkflowCallOptions,
        ) -> ::core::result::Result<#out_ty, XnsError> {
            #rt::xns::execute_signal_with_start::<C, #marker, #signal>(ctx, #name, #arg, #sarg, options).await
        }

        #da
        pub async fn #f_async<'a, C>(
            ctx: &'a #wf::WorkflowContext<C>
            #param
            #sparam,
            options: WorkflowCallOptions,
        ) -> ::core::result::Result<#run<'a, C>, XnsError> {
            #rt::xns::signal_with_start::<C, #marker, #signal>(ctx, #name, #arg, #sarg, options)
                .await
                .map(#run)
        }
    }
}

fn update_with_start(
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &Workflow,
    u: &model::UpdateUse,
    registrations: &mut Vec<TokenStream>,
) -> TokenStream {
    let rt = &scope.rt;
    let wf = quote!(#rt::__private::temporalio_workflow);
    let Some(WithStart {
        method,
        handler: update,
        marker,
        name,
    }) = with_start(
        scope,
        model,
        service,
        w,
        &u.target,
        HandlerKind::Update,
        registrations,
    )
    else {
        return TokenStream::new();
    };
    let f = n::with_start_ident(&w.method.name, &method.name);
    let run = run_ident(&w.method.name);
    let out_ty = scope.value_type(&method.output);
    let (param, arg) = input(scope, "input", &w.method.input);
    let (uparam, uarg) = input(scope, "update_input", &method.input);
    let conflict = super::definitions::conflict_policy(
        scope,
        u.conflict_policy.unwrap_or(model::IdConflictPolicy::Fail),
    );
    let d = doc(
        None,
        &[format!(
            "Starts the {} workflow in the target namespace (or, per the conflict \
             policy, uses the running one) with the {} update, and waits for the \
             update's result; returns it with the workflow's run handle (XNS activity {}).",
            code(&w.method.name),
            code(&method.name),
            code(&name)
        )],
    );
    quote! {
        #d
        pub async fn #f<'a, C>(
            ctx: &'a #wf::WorkflowContext<C>
            #param
            #uparam,
            options: WorkflowCallOptions,
            update_options: CallOptions,
        ) -> ::core::result::Result<(#out_ty, #run<'a, C>), XnsError> {
            let (output, run) = #rt::xns::update_with_start::<C, #marker, #update>(
                ctx, #name, #arg, #uarg, options, update_options, #conflict,
            )
            .await?;
            ::core::result::Result::Ok((output, #run(run)))
        }
    }
}

/// Free functions for one handler: `(ctx, workflow_id, run_id, input,
/// options)`, and the async form returning the call.
fn handler_calls(
    scope: &Scope,
    h: &Handler<'_>,
    registrations: &mut Vec<TokenStream>,
) -> TokenStream {
    let rt = &scope.rt;
    let wf = quote!(#rt::__private::temporalio_workflow);
    let m = h.method;
    let marker = n::own_marker(&m.name, h.kind);
    let name = activity_name(h.xns, h.name);
    let op = match h.kind {
        HandlerKind::Query => quote!(Query),
        HandlerKind::Signal => quote!(Signal),
        HandlerKind::Update => quote!(Update),
    };
    registrations.push(quote!(.activity::<#rt::xns::serve::#op<#marker>>(#name)));
    let f = n::xns_handler_ident(&m.name, h.kind);
    let s = n::text(&f);
    let f_async = async_ident(&f);
    let (param, arg) = input(scope, "input", &m.input);
    let output = match h.kind {
        HandlerKind::Signal => quote!(#rt::payload::Empty),
        _ => scope.output_type(&m.output),
    };
    let value = match h.kind {
        HandlerKind::Signal => quote!(()),
        _ => scope.value_type(&m.output),
    };
    let d = doc(
        m.comments.as_deref(),
        &[format!(
            "Runs the {} {} on a workflow in the target namespace (XNS activity {}).",
            code(&m.name),
            h.kind.word(),
            code(&name)
        )],
    );
    let da = doc(
        None,
        &[format!(
            "Like [`{s}`], but returns the call at once: await it or cancel it."
        )],
    );
    let f_call = match h.kind {
        HandlerKind::Query => format_ident!("query"),
        HandlerKind::Signal => format_ident!("signal"),
        HandlerKind::Update => format_ident!("update"),
    };
    let async_ret = match h.kind {
        HandlerKind::Update => quote!(::core::result::Result<XnsCall<'a, #output>, XnsError>),
        _ => quote!(XnsCall<'a, #output>),
    };
    let async_body =
        quote!(#rt::xns::#f_call::<C, #marker>(ctx, workflow_id, run_id, #arg, options));
    let pass = match &m.input {
        Payload::Empty => TokenStream::new(),
        Payload::Message(_) => quote!(, input),
    };
    let sync_body = match h.kind {
        HandlerKind::Update => {
            quote!(#f_async(ctx, workflow_id, run_id #pass, options)?.get().await)
        }
        _ => quote!(#f_async(ctx, workflow_id, run_id #pass, options).get().await),
    };
    quote! {
        #d
        pub async fn #f<C>(
            ctx: &#wf::WorkflowContext<C>,
            workflow_id: impl ::core::convert::Into<::std::string::String>,
            run_id: ::core::option::Option<::std::string::String>
            #param,
            options: CallOptions,
        ) -> ::core::result::Result<#value, XnsError> {
            #sync_body
        }

        #da
        pub fn #f_async<'a, C>(
            ctx: &'a #wf::WorkflowContext<C>,
            workflow_id: impl ::core::convert::Into<::std::string::String>,
            run_id: ::core::option::Option<::std::string::String>
            #param,
            options: CallOptions,
        ) -> #async_ret {
            #async_body
        }
    }
}
