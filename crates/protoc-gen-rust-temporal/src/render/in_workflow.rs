//! Workflow-side helpers of one service: typed activity calls (remote and
//! local), child workflows with a typed handle, and signals to external
//! workflows. All take the calling workflow's context, whatever its type.

use proc_macro2::TokenStream;
use quote::quote;

use super::definitions::{duration, option, retry, task_queue_default};
use super::docs::{code, doc};
use super::handlers::{self, HandlerKind};
use super::item_names::{self as n, defaults_const, id_fn};
use super::paths::Scope;
use crate::model::{Activity, Method, Model, Payload, Service, Workflow};

/// `, input: T` and the value to pass on (`()` for Empty).
fn input(scope: &Scope, payload: &Payload) -> (TokenStream, TokenStream) {
    match payload {
        Payload::Empty => (TokenStream::new(), quote!(())),
        Payload::Message(_) => {
            let ty = scope.value_type(payload);
            (quote!(, input: #ty), quote!(input))
        }
    }
}

/// Everything workflow-side for `service`.
pub fn render(scope: &Scope, model: &Model, service: &Service) -> TokenStream {
    let mut out = TokenStream::new();
    for a in &service.activities {
        out.extend(activity(scope, service, a));
    }
    for w in &service.workflows {
        out.extend(child(scope, model, service, w));
    }
    for s in &service.signals {
        out.extend(external_signal(scope, &s.method));
    }
    out
}

fn activity(scope: &Scope, service: &Service, a: &Activity) -> TokenStream {
    let rt = &scope.rt;
    let wf = quote!(#rt::__private::temporalio_workflow);
    let m = &a.method;
    let marker = n::activity_marker(&m.name);
    let name_const = n::name_const(&m.name, "activity");
    let defaults = n::activity_defaults_const(&m.name);
    let task_queue = task_queue_default(service, a.task_queue.as_deref());
    let s2c = option(a.schedule_to_close_timeout.map(duration));
    let s2s = option(a.schedule_to_start_timeout.map(duration));
    let st2c = option(a.start_to_close_timeout.map(duration));
    let hb = option(a.heartbeat_timeout.map(duration));
    let retry_policy = option(a.retry_policy.as_ref().map(|r| retry(scope, r)));
    let wait = a.wait_for_cancellation;
    let close = match (a.schedule_to_close_timeout, a.start_to_close_timeout) {
        (Some(s), Some(t)) => {
            let (s, t) = (duration(s), duration(t));
            Some(
                quote!(#wf::ActivityCloseTimeouts::ScheduleAndStartToClose { schedule_to_close: #s, start_to_close: #t }),
            )
        }
        (Some(s), None) => {
            let s = duration(s);
            Some(quote!(#wf::ActivityCloseTimeouts::ScheduleToClose(#s)))
        }
        (None, Some(t)) => {
            let t = duration(t);
            Some(quote!(#wf::ActivityCloseTimeouts::StartToClose(#t)))
        }
        (None, None) => None,
    };
    let (close_param, close_arg, close_doc) = match close {
        Some(c) => (
            TokenStream::new(),
            c,
            "Timeouts, retry policy and task queue default to the proto's.".to_string(),
        ),
        None => (
            quote!(, close_timeouts: #wf::ActivityCloseTimeouts),
            quote!(close_timeouts),
            "The proto sets neither a schedule-to-close nor a start-to-close timeout, \
             so the call takes them; the other options default to the proto's."
                .to_string(),
        ),
    };
    let (param, arg) = input(scope, &m.input);
    let f = n::activity_call_fn(&m.name);
    let f_local = n::local_activity_call_fn(&m.name);
    let defaults_doc = doc(
        None,
        &[format!(
            "Call defaults of the {} activity from its proto options.",
            code(&m.name)
        )],
    );
    let fd = doc(
        m.comments.as_deref(),
        &[format!(
            "Calls the {} activity from a workflow: set options on the returned \
             call, then `.await` it for the result. {close_doc} The task queue \
             falls back to the calling workflow's.",
            code(&m.name)
        )],
    );
    let fld = doc(
        None,
        &[format!(
            "Calls the {} activity as a local activity (in the calling worker's \
             process): set options on the returned call, then `.await` it. \
             {close_doc}",
            code(&m.name)
        )],
    );
    quote! {
        #defaults_doc
        pub const #defaults: #rt::workflow::ActivityDefaults = #rt::workflow::ActivityDefaults {
            name: #name_const,
            task_queue: #task_queue,
            schedule_to_close_timeout: #s2c,
            schedule_to_start_timeout: #s2s,
            start_to_close_timeout: #st2c,
            heartbeat_timeout: #hb,
            retry_policy: #retry_policy,
            wait_for_cancellation: #wait,
        };

        #fd
        pub fn #f<W>(
            ctx: &#wf::WorkflowContext<W>
            #param
            #close_param
        ) -> #rt::workflow::ActivityCall<'_, W, #marker> {
            #rt::workflow::ActivityCall::new(ctx, #marker, #arg, &#defaults, #close_arg)
        }

        #fld
        pub fn #f_local<W>(
            ctx: &#wf::WorkflowContext<W>
            #param
            #close_param
        ) -> #rt::workflow::LocalActivityCall<'_, W, #marker> {
            #rt::workflow::LocalActivityCall::new(ctx, #marker, #arg, &#defaults, #close_arg)
        }
    }
}

fn child(scope: &Scope, model: &Model, service: &Service, w: &Workflow) -> TokenStream {
    let rt = &scope.rt;
    let wf = quote!(#rt::__private::temporalio_workflow);
    let m = &w.method;
    let marker = n::workflow_marker(&m.name);
    let handle = n::child_ident(&m.name);
    let defaults = defaults_const(&m.name);
    let id_arg = if w.id.is_some() {
        let f = id_fn(&m.name, "workflow");
        quote!(::core::option::Option::Some(#f))
    } else {
        quote!(::core::option::Option::None)
    };
    let (param, arg) = input(scope, &m.input);
    let out = scope.value_type(&m.output);
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
        m.comments.as_deref(),
        &[format!(
            "Runs the {} workflow as a child of the calling workflow: set options \
             on the returned call, then `.await` it for the result, or `.start()` \
             it for a [`{handle}`]. {id_doc} Options default to the proto's; the \
             task queue falls back to the parent's.",
            code(&m.name)
        )],
    );
    let hd = doc(
        None,
        &[format!(
            "A started {} child workflow: signal it with the signals it declares \
             and await its result.",
            code(&m.name)
        )],
    );

    let mut signals = TokenStream::new();
    for s in &w.signals {
        let Some((_, h)) = handlers::find(model, &s.target, HandlerKind::Signal) else {
            continue;
        };
        let sm = handlers::marker_for(scope, model, service, w, &s.target, HandlerKind::Signal);
        let sf = n::child_signal_ident(&h.name);
        let (sparam, sarg) = input(scope, &h.input);
        let sd = doc(
            h.comments.as_deref(),
            &[format!("Sends the {} signal to the child.", code(&h.name))],
        );
        signals.extend(quote! {
            #sd
            pub fn #sf(&self #sparam) -> impl ::core::future::Future<Output = ::core::result::Result<(), #wf::WorkflowSignalError>> + '_ {
                self.0.signal(#sm, #sarg)
            }
        });
    }

    quote! {
        #fd
        pub fn #f<W>(
            ctx: &#wf::WorkflowContext<W>
            #param
        ) -> #rt::workflow::ChildCall<'_, W, #marker, #handle> {
            #rt::workflow::ChildCall::new(ctx, #marker, #arg, &#defaults, #id_arg)
        }

        #hd
        #[derive(Debug)]
        pub struct #handle(#rt::workflow::ChildRun<#marker>);

        impl ::core::convert::From<#rt::workflow::ChildRun<#marker>> for #handle {
            fn from(run: #rt::workflow::ChildRun<#marker>) -> Self {
                Self(run)
            }
        }

        impl #handle {
            /// The child's workflow ID.
            pub fn id(&self) -> &str {
                self.0.id()
            }

            /// The child's run ID.
            pub fn run_id(&self) -> &str {
                self.0.run_id()
            }

            /// Requests cancellation of the child.
            pub fn cancel(&self, reason: impl ::core::convert::Into<::std::string::String>) {
                self.0.cancel(reason);
            }

            /// Waits for the child's result.
            pub fn result(self) -> impl ::core::future::Future<Output = ::core::result::Result<#out, #wf::ChildWorkflowExecutionError>> {
                self.0.result()
            }

            /// The generic handle.
            pub fn into_inner(self) -> #rt::workflow::ChildRun<#marker> {
                self.0
            }

            #signals
        }
    }
}

fn external_signal(scope: &Scope, method: &Method) -> TokenStream {
    let rt = &scope.rt;
    let wf = quote!(#rt::__private::temporalio_workflow);
    let marker = n::own_marker(&method.name, HandlerKind::Signal);
    let (param, arg) = input(scope, &method.input);
    let f = n::external_signal_fn(&method.name);
    let d = doc(
        method.comments.as_deref(),
        &[format!(
            "Sends the {} signal from a workflow to the workflow `workflow_id` \
             (its latest run unless `run_id` is given) in the same namespace.",
            code(&method.name)
        )],
    );
    quote! {
        #d
        pub fn #f<W>(
            ctx: &#wf::WorkflowContext<W>,
            workflow_id: impl ::core::convert::Into<::std::string::String>,
            run_id: ::core::option::Option<::std::string::String>
            #param
        ) -> impl ::core::future::Future<Output = ::core::result::Result<(), #wf::WorkflowSignalError>> + 'static {
            #rt::workflow::signal_external(ctx, #marker, workflow_id, run_id, #arg)
        }
    }
}
