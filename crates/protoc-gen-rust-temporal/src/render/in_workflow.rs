//! Workflow-side helpers of one service: typed activity calls (remote and
//! local), child workflows with a typed handle, and signals to external
//! workflows. All take the calling workflow's context, whatever its type.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, deprecated, doc};
use super::handlers::{self, HandlerKind};
use super::item_names as n;
use super::paths::{Scope, path_text};
use crate::model::{Activity, Method, Model, Payload, Service, Workflow};

/// `, input: T` and the value to pass on (`()` for Empty).
fn input(scope: &Scope, payload: &Payload) -> (TokenStream, TokenStream) {
    match payload {
        Payload::Empty => (TokenStream::new(), quote!(())),
        Payload::Message(_) | Payload::WellKnown(_) => {
            let ty = scope.value_type(payload);
            (quote!(, input: #ty), quote!(input))
        }
    }
}

/// Everything workflow-side for `service`.
pub fn render(scope: &Scope, model: &Model, service: &Service) -> TokenStream {
    let mut out = TokenStream::new();
    for a in &service.activities {
        out.extend(activity(scope, a));
    }
    for w in &service.workflows {
        out.extend(child(scope, model, service, w));
    }
    for s in &service.signals {
        out.extend(external_signal(scope, &s.method));
    }
    out
}

fn activity(scope: &Scope, a: &Activity) -> TokenStream {
    let rt = &scope.rt;
    let m = &a.method;
    let marker = n::activity_marker(&m.name);
    let sets_close = a.schedule_to_close_timeout.is_some() || a.start_to_close_timeout.is_some();
    let (constructor, close_param, close_arg, close_doc) = if sets_close {
        (quote!(new), TokenStream::new(), TokenStream::new(), "")
    } else {
        (
            quote!(with_close_timeouts),
            quote!(, close_timeouts: #rt::ActivityCloseTimeouts),
            quote!(, close_timeouts),
            " The proto sets neither a schedule-to-close nor a start-to-close timeout, \
             so the call takes them.",
        )
    };
    let (param, arg) = input(scope, &m.input);
    let f = n::activity_call_fn(&m.name);
    let f_local = n::local_activity_call_fn(&m.name);
    let fd = doc(
        None,
        &[format!(
            "Calls the {} activity from a workflow; `.await` the call for its \
             result.{close_doc}",
            code(&m.name)
        )],
    );
    let fld = doc(
        None,
        &[format!(
            "Calls the {} activity as a local activity, in the calling worker's \
             process; `.await` the call for its result.{close_doc}",
            code(&m.name)
        )],
    );
    let dep = deprecated(m);
    quote! {

        #fd
        #dep
        pub fn #f<W>(
            ctx: &#rt::WorkflowContext<W>
            #param
            #close_param
        ) -> #rt::ActivityCall<'_, W, #marker> {
            #rt::ActivityCall::#constructor(ctx, #marker, #arg #close_arg)
        }

        #fld
        #dep
        pub fn #f_local<W>(
            ctx: &#rt::WorkflowContext<W>
            #param
            #close_param
        ) -> #rt::LocalActivityCall<'_, W, #marker> {
            #rt::LocalActivityCall::#constructor(ctx, #marker, #arg #close_arg)
        }
    }
}

fn child(scope: &Scope, model: &Model, service: &Service, w: &Workflow) -> TokenStream {
    let rt = &scope.rt;
    let m = &w.method;
    let marker = n::workflow_marker(&m.name);
    let handle = n::child_ident(&m.name);
    let (param, arg) = input(scope, &m.input);
    let f = n::child_fn(&m.name);
    let id_doc = match &w.id {
        Some((template, _)) => format!(
            "The child's ID comes from the ID expression {}, evaluated with the \
             workflow's deterministic randomness and time.",
            code(template)
        ),
        None => "The child's ID is a deterministic UUID unless set.".to_string(),
    };
    let fd = doc(
        None,
        &[format!(
            "Runs the {} workflow as a child of the calling workflow; `.await` \
             the call for its result, or `.start()` it for a [`{handle}`]. {id_doc}",
            code(&m.name)
        )],
    );
    let signals: Vec<String> = w
        .signals
        .iter()
        .filter(|s| handlers::find(model, &s.target, HandlerKind::Signal).is_some())
        .map(|s| {
            let marker =
                handlers::marker_for(scope, model, service, w, &s.target, HandlerKind::Signal);
            format!("`{}`", path_text(&marker))
        })
        .collect();
    let mut hd_lines = vec![format!(
        "A started {} child workflow: await its `result`, `cancel` it, and \
         `signal` it with the markers of the signals it declares.",
        code(&m.name)
    )];
    if !signals.is_empty() {
        hd_lines.push(format!("`signal`: {}.", signals.join(", ")));
    }
    let hd = doc(None, &hd_lines);
    let dep = deprecated(m);

    quote! {
        #fd
        #dep
        pub fn #f<W>(
            ctx: &#rt::WorkflowContext<W>
            #param
        ) -> #rt::ChildCall<'_, W, #marker, #handle> {
            #rt::ChildCall::new(ctx, #marker, #arg)
        }

        #hd
        pub type #handle = #rt::ChildRun<#marker>;
    }
}

fn external_signal(scope: &Scope, method: &Method) -> TokenStream {
    let rt = &scope.rt;
    let marker = n::own_marker(&method.name, HandlerKind::Signal);
    let (param, arg) = input(scope, &method.input);
    let f = n::external_signal_fn(&method.name);
    let d = doc(
        None,
        &[format!(
            "Sends the {} signal from a workflow to the workflow `workflow_id` \
             (its latest run unless `run_id` is given) in the same namespace.",
            code(&method.name)
        )],
    );
    let dep = deprecated(method);
    quote! {
        #d
        #dep
        pub fn #f<W>(
            ctx: &#rt::WorkflowContext<W>,
            workflow_id: impl Into<String>,
            run_id: Option<String>
            #param
        ) -> impl #rt::Future<Output = Result<(), #rt::WorkflowSignalError>> + 'static {
            #rt::signal_external(ctx, #marker, workflow_id, run_id, #arg)
        }
    }
}
