//! The typed client of a service and the run handle of each workflow.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::definitions::conflict_policy;
use super::docs::{code, doc};
use super::handlers::{self, HandlerKind};
use super::item_names::{
    self as n, async_ident, client_ident, defaults_const, handler_ident, id_fn, run_ident,
    start_ident,
};
use super::paths::Scope;
use crate::model::{HandlerRef, IdConflictPolicy, Model, Payload, Service, Workflow};

/// The `input: T` parameter and the value passed to the runtime (`()` for
/// Empty, which has no parameter).
fn input_param(scope: &Scope, name: &str, payload: &Payload) -> (TokenStream, TokenStream) {
    match payload {
        Payload::Empty => (TokenStream::new(), quote!(())),
        Payload::Message(_) => {
            let ident = format_ident!("{name}");
            let ty = scope.value_type(payload);
            (quote!(#ident: #ty,), quote!(#ident))
        }
    }
}

/// The argument to forward to another generated method (`input,`, or
/// nothing for Empty).
fn forward(name: &str, payload: &Payload) -> TokenStream {
    match payload {
        Payload::Empty => TokenStream::new(),
        Payload::Message(_) => {
            let ident = format_ident!("{name}");
            quote!(#ident,)
        }
    }
}

/// `Some(id_fn)` when the item has an ID expression.
fn id_fn_arg(has_id: bool, f: Ident) -> TokenStream {
    if has_id {
        quote!(::core::option::Option::Some(#f))
    } else {
        quote!(::core::option::Option::None)
    }
}

/// The client struct and the run handles of a service's workflows.
pub fn render(scope: &Scope, model: &Model, service: &Service) -> TokenStream {
    let rt = &scope.rt;
    let client_ty = quote!(#rt::__private::temporalio_client::Client);
    let ident = client_ident(service);
    let client_doc = doc(
        service.comments.as_deref(),
        &[format!(
            "Typed client of the {} service: starts and attaches to its workflows and calls their queries, signals and updates.",
            code(&service.full_name)
        )],
    );
    let workflows = service
        .workflows
        .iter()
        .map(|w| client_workflow_methods(scope, model, service, w));
    let handlers = handler_methods(scope, model, service);
    let runs = service
        .workflows
        .iter()
        .map(|w| run_type(scope, model, service, w));
    quote! {
        #client_doc
        #[derive(Debug, Clone)]
        pub struct #ident {
            client: #client_ty,
        }

        impl #ident {
            /// Wraps a client connected to the namespace the workflows run in.
            pub fn new(client: #client_ty) -> Self {
                Self { client }
            }

            /// The underlying SDK client.
            pub fn client(&self) -> &#client_ty {
                &self.client
            }

            #(#workflows)*
            #handlers

            /// Requests cancellation of a workflow by ID (and run ID, if given).
            pub async fn cancel_workflow(
                &self,
                workflow_id: impl ::core::convert::Into<::std::string::String>,
                run_id: ::core::option::Option<::std::string::String>,
                reason: impl ::core::convert::Into<::std::string::String>,
            ) -> ::core::result::Result<(), #rt::client::ClientError> {
                #rt::client::WorkflowRun::<#rt::__private::temporalio_common::UntypedWorkflow>::attach(&self.client, workflow_id, run_id)
                    .cancel(reason)
                    .await
            }

            /// Terminates a workflow by ID (and run ID, if given).
            pub async fn terminate_workflow(
                &self,
                workflow_id: impl ::core::convert::Into<::std::string::String>,
                run_id: ::core::option::Option<::std::string::String>,
                reason: impl ::core::convert::Into<::std::string::String>,
            ) -> ::core::result::Result<(), #rt::client::ClientError> {
                #rt::client::WorkflowRun::<#rt::__private::temporalio_common::UntypedWorkflow>::attach(&self.client, workflow_id, run_id)
                    .terminate(reason)
                    .await
            }
        }

        impl ::core::convert::From<#client_ty> for #ident {
            fn from(client: #client_ty) -> Self {
                Self::new(client)
            }
        }

        #(#runs)*
    }
}

fn client_workflow_methods(
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &Workflow,
) -> TokenStream {
    let rt = &scope.rt;
    let err = quote!(#rt::client::ClientError);
    let method = &w.method.name;
    let execute = n::execute_ident(method);
    let start = start_ident(method);
    let attach = n::attach_ident(method);
    let marker = n::workflow_marker(method);
    let run = run_ident(method);
    let defaults = defaults_const(method);
    let idf = id_fn_arg(w.id.is_some(), id_fn(method, "workflow"));
    let (param, arg) = input_param(scope, "input", &w.method.input);
    let fwd = forward("input", &w.method.input);
    let output = scope.value_type(&w.method.output);
    let mut extra = vec![];
    if let Some((t, _)) = &w.id {
        extra.push(format!(
            "The workflow ID defaults to the ID expression {}.",
            code(t)
        ));
    }
    let exec_doc = doc(
        w.method.comments.as_deref(),
        &[format!(
            "Starts the {} workflow and waits for its result.",
            code(method)
        )]
        .into_iter()
        .chain(extra.clone())
        .collect::<Vec<_>>(),
    );
    let start_doc = doc(
        None,
        &[format!(
            "Starts the {} workflow and returns its run handle at once.",
            code(method)
        )]
        .into_iter()
        .chain(extra)
        .collect::<Vec<_>>(),
    );
    let attach_doc = doc(
        None,
        &[format!(
            "A run handle on an existing {} workflow; `run_id` pins one run, `None` follows the latest.",
            code(method)
        )],
    );
    let mut out = quote! {
        #exec_doc
        pub async fn #execute(&self, #param options: #rt::client::StartOptions) -> ::core::result::Result<#output, #err> {
            self.#start(#fwd options).await?.get().await
        }

        #start_doc
        pub async fn #start(&self, #param options: #rt::client::StartOptions) -> ::core::result::Result<#run, #err> {
            #rt::client::WorkflowRun::start(&self.client, #marker, #arg, options, &#defaults, #idf)
                .await
                .map(#run)
        }

        #attach_doc
        pub fn #attach(
            &self,
            workflow_id: impl ::core::convert::Into<::std::string::String>,
            run_id: ::core::option::Option<::std::string::String>,
        ) -> #run {
            #run(#rt::client::WorkflowRun::attach(&self.client, workflow_id, run_id))
        }
    };
    for s in w.signals.iter().filter(|s| s.start) {
        out.extend(signal_with_start(scope, model, service, w, &s.target));
    }
    for u in w.updates.iter().filter(|u| u.start) {
        out.extend(update_with_start(
            scope,
            model,
            service,
            w,
            &u.target,
            u.conflict_policy,
        ));
    }
    out
}

fn signal_with_start(
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &Workflow,
    target: &HandlerRef,
) -> TokenStream {
    let rt = &scope.rt;
    let Some((_, h)) = handlers::find(model, target, HandlerKind::Signal) else {
        return TokenStream::new();
    };
    let method = &w.method.name;
    let f = n::with_start_ident(method, &target.method);
    let marker = n::workflow_marker(method);
    let signal = handlers::marker_for(scope, model, service, w, target, HandlerKind::Signal);
    let run = run_ident(method);
    let defaults = defaults_const(method);
    let idf = id_fn_arg(w.id.is_some(), id_fn(method, "workflow"));
    let (param, arg) = input_param(scope, "input", &w.method.input);
    let (sparam, sarg) = input_param(scope, "signal_input", &h.input);
    let d = doc(
        None,
        &[format!(
            "Sends the {} signal to the {} workflow, starting the workflow first if it is not running (signal-with-start).",
            code(&target.method),
            code(method)
        )],
    );
    quote! {
        #d
        pub async fn #f(&self, #param #sparam options: #rt::client::StartOptions) -> ::core::result::Result<#run, #rt::client::ClientError> {
            #rt::client::WorkflowRun::signal_with_start(&self.client, #marker, #arg, #signal, #sarg, options, &#defaults, #idf)
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
    target: &HandlerRef,
    conflict: Option<IdConflictPolicy>,
) -> TokenStream {
    let rt = &scope.rt;
    let Some((handler_service, h)) = handlers::find(model, target, HandlerKind::Update) else {
        return TokenStream::new();
    };
    let Some(update) = handler_service
        .updates
        .iter()
        .find(|u| u.method.name == target.method)
    else {
        return TokenStream::new();
    };
    let method = &w.method.name;
    let f = n::with_start_ident(method, &target.method);
    let f_async = async_ident(&f);
    let marker = n::workflow_marker(method);
    let update_marker = handlers::marker_for(scope, model, service, w, target, HandlerKind::Update);
    let run = run_ident(method);
    let defaults = defaults_const(method);
    let update_defaults = scope.item_of(service, handler_service, &defaults_const(&target.method));
    let update_idf = scope.item_of(service, handler_service, &id_fn(&target.method, "update"));
    let update_idf = if update.id.is_some() {
        quote!(::core::option::Option::Some(#update_idf))
    } else {
        quote!(::core::option::Option::None)
    };
    let idf = id_fn_arg(w.id.is_some(), id_fn(method, "workflow"));
    let conflict = conflict_policy(scope, conflict.unwrap_or(IdConflictPolicy::Fail));
    let (param, arg) = input_param(scope, "input", &w.method.input);
    let (uparam, uarg) = input_param(scope, "update_input", &h.input);
    let fwd = forward("input", &w.method.input);
    let ufwd = forward("update_input", &h.input);
    let output = scope.value_type(&h.output);
    let handle = handle_type(scope, model, service, w, target);
    let d = doc(
        None,
        &[format!(
            "Starts the {} workflow (or, per the conflict policy, uses the running one) and runs the {} update on it, waiting for the update's result.",
            code(method),
            code(&target.method)
        )],
    );
    let da = doc(
        None,
        &[format!(
            "Like [`Self::{f}`], but returns once the update was accepted, with its handle."
        )],
    );
    quote! {
        #d
        pub async fn #f(
            &self,
            #param
            #uparam
            options: #rt::client::UpdateWithStartOptions,
        ) -> ::core::result::Result<(#output, #run), #rt::client::ClientError> {
            let (update, run) = self.#f_async(#fwd #ufwd options).await?;
            ::core::result::Result::Ok((update.get().await?, run))
        }

        #da
        pub async fn #f_async(
            &self,
            #param
            #uparam
            options: #rt::client::UpdateWithStartOptions,
        ) -> ::core::result::Result<(#handle, #run), #rt::client::ClientError> {
            let defaults = #rt::client::WithStartDefaults {
                workflow: &#defaults,
                workflow_id: #idf,
                update: &#update_defaults,
                update_id: #update_idf,
                conflict_policy: #conflict,
            };
            let (update, run) =
                #rt::client::WorkflowRun::update_with_start(&self.client, #marker, #arg, #update_marker, #uarg, options, &defaults).await?;
            ::core::result::Result::Ok((update, #run(run)))
        }
    }
}

/// The update handle type a workflow's run uses for `target`.
fn handle_type(
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &Workflow,
    target: &HandlerRef,
) -> TokenStream {
    let rt = &scope.rt;
    let marker = handlers::marker_for(scope, model, service, w, target, HandlerKind::Update);
    quote!(#rt::client::UpdateHandle<#marker>)
}

/// Client methods by workflow ID for the queries, signals and updates the
/// service declares (bound to their primary workflow's type).
fn handler_methods(scope: &Scope, model: &Model, service: &Service) -> TokenStream {
    let rt = &scope.rt;
    let mut out = TokenStream::new();
    let entries = service
        .queries
        .iter()
        .map(|q| (HandlerKind::Query, &q.method, None))
        .chain(
            service
                .signals
                .iter()
                .map(|s| (HandlerKind::Signal, &s.method, None)),
        )
        .chain(
            service
                .updates
                .iter()
                .map(|u| (HandlerKind::Update, &u.method, Some(u))),
        );
    for (kind, method, update) in entries {
        let target = HandlerRef {
            service: service.full_name.clone(),
            method: method.name.clone(),
        };
        let workflow = handlers::bound_workflow(scope, model, &target);
        let marker = n::own_marker(&method.name, kind);
        let attach = quote! {
            #rt::client::WorkflowRun::<#workflow>::attach(&self.client, workflow_id, run_id)
        };
        let (param, arg) = input_param(scope, "input", &method.input);
        let output = scope.value_type(&method.output);
        let f = handler_ident(&method.name, kind);
        let d = doc(
            method.comments.as_deref(),
            &[format!(
                "Runs the {} {} on a workflow by ID.",
                code(&method.name),
                kind.word()
            )],
        );
        let ids = quote! {
            workflow_id: impl ::core::convert::Into<::std::string::String>,
            run_id: ::core::option::Option<::std::string::String>,
        };
        out.extend(match (kind, update) {
            (HandlerKind::Query, _) => quote! {
                #d
                pub async fn #f(&self, #ids #param) -> ::core::result::Result<#output, #rt::client::ClientError> {
                    #attach.query(#marker, #arg).await
                }
            },
            (HandlerKind::Signal, _) => quote! {
                #d
                pub async fn #f(&self, #ids #param) -> ::core::result::Result<(), #rt::client::ClientError> {
                    #attach.signal(#marker, #arg).await
                }
            },
            (HandlerKind::Update, Some(u)) => {
                let f_async = async_ident(&f);
                let defaults = defaults_const(&method.name);
                let idf = id_fn_arg(u.id.is_some(), id_fn(&method.name, "update"));
                let da = doc(None, &[format!("Starts the {} update on a workflow by ID and returns its handle once it reached its wait stage.", code(&method.name))]);
                quote! {
                    #d
                    pub async fn #f(&self, #ids #param options: #rt::client::UpdateOptions) -> ::core::result::Result<#output, #rt::client::ClientError> {
                        #attach.update(#marker, #arg, options, &#defaults, #idf).await
                    }

                    #da
                    pub async fn #f_async(&self, #ids #param options: #rt::client::UpdateOptions) -> ::core::result::Result<#rt::client::UpdateHandle<#marker>, #rt::client::ClientError> {
                        #attach.update_async(#marker, #arg, options, &#defaults, #idf).await
                    }
                }
            }
            (HandlerKind::Update, None) => TokenStream::new(),
        });
    }
    out
}

/// `CreateFooRun`: the run handle with the workflow's declared handlers.
fn run_type(scope: &Scope, model: &Model, service: &Service, w: &Workflow) -> TokenStream {
    let rt = &scope.rt;
    let err = quote!(#rt::client::ClientError);
    let method = &w.method.name;
    let run = run_ident(method);
    let marker = n::workflow_marker(method);
    let output = scope.value_type(&w.method.output);
    let d = doc(None, &[format!("A run of the {} workflow.", code(method))]);
    let mut methods = TokenStream::new();
    for q in &w.queries {
        let Some((hs, h)) = handlers::find(model, &q.target, HandlerKind::Query) else {
            continue;
        };
        let m = handlers::marker_for(scope, model, service, w, &q.target, HandlerKind::Query);
        let f = n::run_method_ident(&h.name, HandlerKind::Query);
        let (param, arg) = input_param(scope, "input", &h.input);
        let out_ty = scope.value_type(&h.output);
        let dd = doc(
            h.comments.as_deref(),
            &[format!(
                "Runs the {} query ({}).",
                code(&h.name),
                code(&hs.full_name)
            )],
        );
        methods.extend(quote! {
            #dd
            pub async fn #f(&self, #param) -> ::core::result::Result<#out_ty, #err> {
                self.0.query(#m, #arg).await
            }
        });
    }
    for s in &w.signals {
        let Some((_, h)) = handlers::find(model, &s.target, HandlerKind::Signal) else {
            continue;
        };
        let m = handlers::marker_for(scope, model, service, w, &s.target, HandlerKind::Signal);
        let f = n::run_method_ident(&h.name, HandlerKind::Signal);
        let (param, arg) = input_param(scope, "input", &h.input);
        let dd = doc(
            h.comments.as_deref(),
            &[format!("Sends the {} signal.", code(&h.name))],
        );
        methods.extend(quote! {
            #dd
            pub async fn #f(&self, #param) -> ::core::result::Result<(), #err> {
                self.0.signal(#m, #arg).await
            }
        });
    }
    for u in &w.updates {
        let Some((hs, h)) = handlers::find(model, &u.target, HandlerKind::Update) else {
            continue;
        };
        let Some(update) = hs.updates.iter().find(|x| x.method.name == u.target.method) else {
            continue;
        };
        let m = handlers::marker_for(scope, model, service, w, &u.target, HandlerKind::Update);
        let f = n::run_method_ident(&h.name, HandlerKind::Update);
        let f_async = async_ident(&f);
        let (param, arg) = input_param(scope, "input", &h.input);
        let out_ty = scope.value_type(&h.output);
        let defaults = scope.item_of(service, hs, &defaults_const(&h.name));
        let idf = scope.item_of(service, hs, &id_fn(&h.name, "update"));
        let idf = if update.id.is_some() {
            quote!(::core::option::Option::Some(#idf))
        } else {
            quote!(::core::option::Option::None)
        };
        let dd = doc(
            h.comments.as_deref(),
            &[format!(
                "Runs the {} update and waits for its result.",
                code(&h.name)
            )],
        );
        let da = doc(
            None,
            &[format!(
                "Starts the {} update and returns its handle once it reached its wait stage.",
                code(&h.name)
            )],
        );
        methods.extend(quote! {
            #dd
            pub async fn #f(&self, #param options: #rt::client::UpdateOptions) -> ::core::result::Result<#out_ty, #err> {
                self.0.update(#m, #arg, options, &#defaults, #idf).await
            }

            #da
            pub async fn #f_async(&self, #param options: #rt::client::UpdateOptions) -> ::core::result::Result<#rt::client::UpdateHandle<#m>, #err> {
                self.0.update_async(#m, #arg, options, &#defaults, #idf).await
            }
        });
    }
    quote! {
        #d
        #[derive(Debug, Clone)]
        pub struct #run(#rt::client::WorkflowRun<#marker>);

        impl #run {
            /// Workflow ID.
            pub fn id(&self) -> &str {
                self.0.id()
            }

            /// Run ID, when the handle is pinned to one run.
            pub fn run_id(&self) -> ::core::option::Option<&str> {
                self.0.run_id()
            }

            /// The generic run handle, for calls this type does not cover.
            pub fn inner(&self) -> &#rt::client::WorkflowRun<#marker> {
                &self.0
            }

            /// Waits for the workflow's result.
            pub async fn get(&self) -> ::core::result::Result<#output, #err> {
                self.0.get().await
            }

            /// Requests cancellation of the workflow.
            pub async fn cancel(&self, reason: impl ::core::convert::Into<::std::string::String>) -> ::core::result::Result<(), #err> {
                self.0.cancel(reason).await
            }

            /// Terminates the workflow.
            pub async fn terminate(&self, reason: impl ::core::convert::Into<::std::string::String>) -> ::core::result::Result<(), #err> {
                self.0.terminate(reason).await
            }

            #methods
        }
    }
}
