//! The typed client of a service and the run handle of each workflow.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::definitions::conflict_policy;
use super::docs::{code, doc};
use super::handlers::{self, HandlerKind};
use super::item_names::{self as n, async_ident, client_ident, run_ident, start_ident};
use super::paths::{Scope, path_text};
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

/// The client struct and the run handles of a service's workflows.
pub fn render(scope: &Scope, model: &Model, service: &Service) -> TokenStream {
    let rt = &scope.rt;
    let ident = client_ident(service);
    let client_doc = doc(
        None,
        &[
            format!(
                "Typed client of the {} service: starts and attaches to its workflows.",
                code(&service.full_name)
            ),
            "It dereferences to [`ProtoClient`](rt::ProtoClient) for the \
             calls that take a marker, such as `client.query(GetFooQuery, workflow_id, None, \
             input)`, and for `cancel_workflow` and `terminate_workflow`."
                .to_string(),
        ],
    );
    let workflows = service
        .workflows
        .iter()
        .map(|w| client_workflow_methods(scope, model, service, w));
    let runs = service
        .workflows
        .iter()
        .map(|w| run_type(scope, model, service, w));
    quote! {
        #client_doc
        #[derive(Debug, Clone)]
        pub struct #ident {
            client: #rt::ProtoClient,
        }

        impl #ident {
            /// Wraps a client connected to the namespace the workflows run in.
            pub fn new(client: #rt::Client) -> Self {
                Self { client: #rt::ProtoClient::new(client) }
            }

            #(#workflows)*
        }

        impl ::core::ops::Deref for #ident {
            type Target = #rt::ProtoClient;

            fn deref(&self) -> &#rt::ProtoClient {
                &self.client
            }
        }

        impl From<#rt::Client> for #ident {
            fn from(client: #rt::Client) -> Self {
                Self::new(client)
            }
        }

        impl From<#ident> for #rt::Client {
            fn from(client: #ident) -> Self {
                client.client.into()
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
    let err = quote!(#rt::ClientError);
    let method = &w.method.name;
    let execute = n::execute_ident(method);
    let start = start_ident(method);
    let attach = n::attach_ident(method);
    let marker = n::workflow_marker(method);
    let run = run_ident(method);
    let (param, arg) = input_param(scope, "input", &w.method.input);
    let output = scope.value_type(&w.method.output);
    let mut extra = vec![];
    if let Some((t, _)) = &w.id {
        extra.push(format!(
            "The workflow ID defaults to the ID expression {}.",
            code(t)
        ));
    }
    let exec_doc = doc(
        None,
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
        pub async fn #execute(&self, #param options: #rt::StartOptions) -> Result<#output, #err> {
            self.client.execute(#marker, #arg, options).await
        }

        #start_doc
        pub async fn #start(&self, #param options: #rt::StartOptions) -> Result<#run, #err> {
            self.client.start(#marker, #arg, options).await
        }

        #attach_doc
        pub fn #attach(&self, workflow_id: impl Into<String>, run_id: Option<String>) -> #run {
            self.client.get(#marker, workflow_id, run_id)
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
        pub async fn #f(&self, #param #sparam options: #rt::StartOptions) -> Result<#run, #rt::ClientError> {
            self.client.signal_with_start(#marker, #arg, #signal, #sarg, options).await
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
    if !handler_service
        .updates
        .iter()
        .any(|u| u.method.name == target.method)
    {
        return TokenStream::new();
    }
    let method = &w.method.name;
    let f = n::with_start_ident(method, &target.method);
    let f_async = async_ident(&f);
    let marker = n::workflow_marker(method);
    let update_marker = handlers::marker_for(scope, model, service, w, target, HandlerKind::Update);
    let run = run_ident(method);
    let conflict = conflict_policy(scope, conflict.unwrap_or(IdConflictPolicy::Fail));
    let (param, arg) = input_param(scope, "input", &w.method.input);
    let (uparam, uarg) = input_param(scope, "update_input", &h.input);
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
            options: #rt::UpdateWithStartOptions,
        ) -> Result<(#output, #run), #rt::ClientError> {
            self.client
                .execute_update_with_start(#marker, #arg, #update_marker, #uarg, options, #conflict)
                .await
        }

        #da
        pub async fn #f_async(
            &self,
            #param
            #uparam
            options: #rt::UpdateWithStartOptions,
        ) -> Result<(#handle, #run), #rt::ClientError> {
            self.client
                .update_with_start(#marker, #arg, #update_marker, #uarg, options, #conflict)
                .await
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
    quote!(#rt::UpdateHandle<#marker>)
}

/// `CreateFooRun`: the generic run handle of the workflow. Its handlers
/// are called with their markers (`run.query(GetFooProgressQuery, ())`);
/// the doc lists them.
fn run_type(scope: &Scope, model: &Model, service: &Service, w: &Workflow) -> TokenStream {
    let rt = &scope.rt;
    let method = &w.method.name;
    let run = run_ident(method);
    let marker = n::workflow_marker(method);
    let mut lines = vec![format!(
        "A run of the {} workflow: `get`, `cancel` and `terminate` it, and call its handlers with their markers.",
        code(method)
    )];
    let listed = |kind: HandlerKind, call: &str, refs: Vec<&HandlerRef>| -> Option<String> {
        let markers: Vec<String> = refs
            .into_iter()
            .filter(|t| handlers::find(model, t, kind).is_some())
            .map(|t| {
                let m = handlers::marker_for(scope, model, service, w, t, kind);
                format!("`{}`", path_text(&m))
            })
            .collect();
        (!markers.is_empty()).then(|| format!("`{call}`: {}.", markers.join(", ")))
    };
    lines.extend(listed(
        HandlerKind::Query,
        "query",
        w.queries.iter().map(|q| &q.target).collect(),
    ));
    lines.extend(listed(
        HandlerKind::Signal,
        "signal",
        w.signals.iter().map(|s| &s.target).collect(),
    ));
    lines.extend(listed(
        HandlerKind::Update,
        "update` / `update_async",
        w.updates.iter().map(|u| &u.target).collect(),
    ));
    let d = doc(None, &lines);
    quote! {
        #d
        pub type #run = #rt::WorkflowRun<#marker>;
    }
}
