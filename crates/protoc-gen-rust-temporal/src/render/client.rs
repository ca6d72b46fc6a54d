//! The typed client of a service and the run handle of each workflow.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, deprecated, doc, list, query_by_id_example};
use super::handlers::{self, HandlerKind};
use super::item_names::{self as n, client_ident, run_ident, start_ident};
use super::paths::{Scope, path_text};
use crate::model::{HandlerRef, Model, Payload, Service, Workflow};

/// The `input: T` parameter and the value passed to the runtime (`()` for
/// Empty, which has no parameter).
fn input_param(scope: &Scope, name: &str, payload: &Payload) -> (TokenStream, TokenStream) {
    match payload {
        Payload::Empty => (TokenStream::new(), quote!(())),
        Payload::Message(_) | Payload::WellKnown(_) => {
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
            format!(
                "It dereferences to [`ProtoClient`](rt::ProtoClient) for the calls that \
                 take markers: by workflow ID{}, signal- and update-with-start, \
                 `cancel_workflow` and `terminate_workflow`.",
                query_by_id_example(service, "client.query(", ")")
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            ),
        ],
    );
    let workflows = service
        .workflows
        .iter()
        .map(|w| client_workflow_methods(scope, w));
    let runs = service
        .workflows
        .iter()
        .map(|w| run_type(scope, model, service, w));
    quote! {
        #client_doc
        #[derive(Debug, Clone)]
        pub struct #ident(#rt::ProtoClient);

        impl #ident {
            /// Wraps a client connected to the namespace the workflows run in.
            pub fn new(client: #rt::Client) -> Self {
                Self(client.into())
            }

            #(#workflows)*
        }

        impl ::core::ops::Deref for #ident {
            type Target = #rt::ProtoClient;

            fn deref(&self) -> &#rt::ProtoClient {
                &self.0
            }
        }

        impl From<#rt::Client> for #ident {
            fn from(client: #rt::Client) -> Self {
                Self::new(client)
            }
        }

        impl From<#ident> for #rt::Client {
            fn from(client: #ident) -> Self {
                client.0.into()
            }
        }

        #(#runs)*
    }
}

fn client_workflow_methods(scope: &Scope, w: &Workflow) -> TokenStream {
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
    let dep = deprecated(&w.method);
    quote! {
        #exec_doc
        #dep
        pub async fn #execute(&self, #param options: #rt::StartOptions) -> Result<#output, #err> {
            self.0.execute(#marker, #arg, options).await
        }

        #start_doc
        #dep
        pub async fn #start(&self, #param options: #rt::StartOptions) -> Result<#run, #err> {
            self.0.start(#marker, #arg, options).await
        }

        #attach_doc
        #dep
        pub fn #attach(&self, workflow_id: impl Into<String>, run_id: Option<String>) -> #run {
            self.0.get(#marker, workflow_id, run_id)
        }
    }
}

/// `CreateFooRun`: the generic run handle of the workflow. Its handlers
/// are called with their markers (`run.query(GetFooProgressQuery, ())`);
/// the doc lists them.
fn run_type(scope: &Scope, model: &Model, service: &Service, w: &Workflow) -> TokenStream {
    let rt = &scope.rt;
    let method = &w.method.name;
    let run = run_ident(method);
    let marker = n::workflow_marker(method);
    let mut items = Vec::new();
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
    items.extend(listed(
        HandlerKind::Query,
        "query",
        w.queries.iter().map(|q| &q.target).collect(),
    ));
    items.extend(listed(
        HandlerKind::Signal,
        "signal",
        w.signals.iter().map(|s| &s.target).collect(),
    ));
    items.extend(listed(
        HandlerKind::Update,
        "update` / `update_async",
        w.updates.iter().map(|u| &u.target).collect(),
    ));
    items.extend(listed(
        HandlerKind::Signal,
        "client.signal_with_start",
        w.signals
            .iter()
            .filter(|s| s.start)
            .map(|s| &s.target)
            .collect(),
    ));
    items.extend(listed(
        HandlerKind::Update,
        "client.update_with_start",
        w.updates
            .iter()
            .filter(|u| u.start)
            .map(|u| &u.target)
            .collect(),
    ));
    let mut lines = vec![format!(
        "A run of the {} workflow: `get`, `cancel` and `terminate` it, and call its handlers with their markers.",
        code(method)
    )];
    lines.extend(list(&items));
    let d = doc(None, &lines);
    quote! {
        #d
        pub type #run = #rt::WorkflowRun<#marker>;
    }
}
