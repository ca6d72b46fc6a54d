//! Worker-side workflow contracts: per workflow a trait with the run entry
//! and one method per declared handler, the impl of the runtime's
//! `WorkflowContract` on the workflow's marker that lists which trait
//! method runs which handler (the runtime's `Host` does the dispatch), and
//! registration functions (per workflow and per service) under the proto
//! name and every alias.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs::{code, doc};
use super::handlers::HandlerKind;
use super::item_names::{self as n, context_ident};
use super::paths::Scope;
use crate::model::{Method, Model, Payload, Service, Workflow};

/// One handler as the contract sees it.
struct Handler<'a> {
    kind: HandlerKind,
    method: &'a Method,
    /// Path of the marker this workflow uses for it.
    marker: TokenStream,
    /// Trait method.
    f: Ident,
    /// Validator trait method (updates with `validate`).
    validator: Option<Ident>,
}

fn declared<'a>(
    scope: &Scope,
    model: &'a Model,
    service: &Service,
    w: &'a Workflow,
) -> Vec<Handler<'a>> {
    n::contract_methods(model, w)
        .into_iter()
        .map(|m| Handler {
            kind: m.kind,
            method: m.method,
            marker: super::handlers::marker_for(scope, model, service, w, m.target, m.kind),
            f: m.f,
            validator: m.validator,
        })
        .collect()
}

/// `, input: T` for a message, nothing for Empty.
fn input_param(scope: &Scope, payload: &Payload, by_ref: bool) -> TokenStream {
    match payload {
        Payload::Empty => TokenStream::new(),
        Payload::Message(_) | Payload::WellKnown(_) => {
            let ty = scope.value_type(payload);
            if by_ref {
                quote!(, input: &#ty)
            } else {
                quote!(, input: #ty)
            }
        }
    }
}

/// Everything worker-side for the workflows of `service`.
pub fn render(scope: &Scope, model: &Model, service: &Service) -> TokenStream {
    let mut out = TokenStream::new();
    for w in &service.workflows {
        out.extend(workflow(scope, model, service, w));
    }
    out.extend(service_registration(scope, service));
    out
}

fn workflow(scope: &Scope, model: &Model, service: &Service, w: &Workflow) -> TokenStream {
    let rt = &scope.rt;
    let handler_error = quote!(#rt::HandlerError);
    let method = &w.method.name;
    let tr = n::contract_trait(method);
    let ctx = context_ident(method);
    let register = n::register_workflow_fn(method);
    let out_ty = scope.value_type(&w.method.output);
    let input_decl = input_param(scope, &w.method.input, false);
    let handlers = declared(scope, model, service, w);

    let mut trait_items = TokenStream::new();
    for h in &handlers {
        let f = &h.f;
        let m = h.method;
        let input = input_param(scope, &m.input, false);
        let out = scope.value_type(&m.output);
        let what = format!(
            "Handles the {} {} ({}).",
            code(&m.name),
            h.kind.word(),
            code(&m.full_name)
        );
        let item = match h.kind {
            HandlerKind::Query => {
                let d = doc(m.comments.as_deref(), &[what]);
                quote! {
                    #d
                    fn #f(&self, ctx: &#rt::WorkflowContextView #input) -> Result<#out, #handler_error>;
                }
            }
            HandlerKind::Signal => {
                let d = doc(m.comments.as_deref(), &[what]);
                quote! {
                    #d
                    fn #f(ctx: #ctx<Self> #input) -> impl #rt::Future<Output = ()>;
                }
            }
            HandlerKind::Update => {
                let d = doc(m.comments.as_deref(), &[what]);
                let mut item = quote! {
                    #d
                    fn #f(ctx: #ctx<Self> #input) -> impl #rt::Future<Output = Result<#out, #handler_error>>;
                };
                if let Some(v) = &h.validator {
                    let vinput = input_param(scope, &m.input, true);
                    let vd = doc(
                        None,
                        &[format!(
                            "Validates a {} update before it is accepted; an error rejects \
                             it without a trace in history. Must not change state.",
                            code(&m.name)
                        )],
                    );
                    item.extend(quote! {
                        #vd
                        fn #v(&self, ctx: &#rt::WorkflowContextView #vinput) -> Result<(), #handler_error>;
                    });
                }
                item
            }
        };
        trait_items.extend(item);
    }

    let mut trait_lines = vec![format!(
        "Worker-side contract of the {} workflow (type {}): implement it on the \
         workflow's state and register the implementation with [`{register}`]. \
         The compiler checks every handler the proto declares against this trait.",
        code(method),
        code(&w.name)
    )];
    trait_lines.extend(handler_guide(&handlers));
    let trait_doc = doc(w.method.comments.as_deref(), &trait_lines);
    let ctx_doc = doc(
        None,
        &[format!(
            "Workflow context of the {} workflow, given to its run and handler methods.",
            code(method)
        )],
    );
    let register_doc = doc(
        None,
        &[format!(
            "Registers `W` as the {} workflow on a worker or replayer, under {} and \
             each alias.",
            code(method),
            code(&w.name)
        )],
    );
    let marker = n::workflow_marker(method);
    let contract = contract_impl(scope, w, &handlers);

    quote! {
        #trait_doc
        pub trait #tr: Sized + 'static {
            /// Creates the workflow state from the start input. Runs before the
            /// workflow and before any handler, so signals and updates sent with
            /// the start see it.
            fn new(ctx: &#rt::WorkflowContextView #input_decl) -> Self;

            /// The workflow's main routine; its result is the workflow's result.
            /// To continue as new, return
            /// `xns_runtime::worker::continue_as_new(&ctx, input)`.
            fn run(ctx: #ctx<Self>) -> impl #rt::Future<Output = #rt::WorkflowResult<#out_ty>>;

            #trait_items
        }

        #ctx_doc
        pub type #ctx<W> = #rt::WorkflowContext<#rt::Host<#marker, W>>;

        #contract

        #register_doc
        pub fn #register<W: #tr>(
            registry: &mut impl #rt::WorkflowRegistry,
        ) -> Result<(), #rt::WorkflowRegistrationError> {
            #rt::register_workflow::<#marker, W>(registry)
        }
    }
}

/// How the kinds of handler the trait has are written, said once on the
/// trait rather than on each handler.
fn handler_guide(handlers: &[Handler<'_>]) -> Vec<String> {
    let has = |kind: HandlerKind| handlers.iter().any(|h| h.kind == kind);
    let mut lines = Vec::new();
    if has(HandlerKind::Query) {
        lines.push("A query handler reads state and must not change it.".to_string());
    }
    if has(HandlerKind::Signal) || has(HandlerKind::Update) {
        lines.push(
            "A signal or update handler changes state with `ctx.state_mut`: return \
             `std::future::ready(..)` to complete at once, or write an `async fn` that \
             awaits timers, activities and conditions. An update handler's result (or \
             error) is the update's result."
                .to_string(),
        );
    }
    lines
}

/// `impl WorkflowContract<W> for CreateFooWorkflow`: how the runtime's
/// host creates, runs and dispatches to an implementation `W`.
fn contract_impl(scope: &Scope, w: &Workflow, handlers: &[Handler<'_>]) -> TokenStream {
    let rt = &scope.rt;
    let method = &w.method.name;
    let tr = n::contract_trait(method);
    let marker = n::workflow_marker(method);
    let ctx = context_ident(method);
    let name_const = n::name_const(method, "workflow");
    let aliases = (!w.aliases.is_empty()).then(|| {
        let aliases = n::aliases_const(method);
        quote!(const ALIASES: &'static [&'static str] = #aliases;)
    });
    let out_ty = scope.value_type(&w.method.output);
    let new = match &w.method.input {
        Payload::Empty => quote! {
            fn init(ctx: &#rt::WorkflowContextView, (): ()) -> W {
                W::new(ctx)
            }
        },
        Payload::Message(_) | Payload::WellKnown(_) => {
            let in_ty = scope.value_type(&w.method.input);
            quote! {
                fn init(ctx: &#rt::WorkflowContextView, input: #in_ty) -> W {
                    W::new(ctx, input)
                }
            }
        }
    };
    let entries = (!handlers.is_empty()).then(|| {
        let entries = handlers.iter().map(handler_entry);
        quote! {
            fn handlers(h: &mut #rt::Handlers<Self, W>) {
                #(#entries)*
            }
        }
    });
    quote! {
        impl<W: #tr> #rt::WorkflowContract<W> for #marker {
            const NAME: &'static str = #name_const;
            #aliases

            #new

            fn run(ctx: #ctx<W>) -> impl #rt::Future<Output = #rt::WorkflowResult<#out_ty>> + 'static {
                W::run(ctx)
            }

            #entries
        }
    }
}

/// One line of `handlers`: the handler's marker and the trait method that
/// runs it (through a closure that drops the `()` input of an Empty).
fn handler_entry(h: &Handler<'_>) -> TokenStream {
    let marker = &h.marker;
    let f = &h.f;
    let empty = matches!(h.method.input, Payload::Empty);
    match h.kind {
        HandlerKind::Query if empty => quote!(h.query(#marker, |w, ctx, ()| w.#f(ctx));),
        HandlerKind::Query => quote!(h.query(#marker, W::#f);),
        HandlerKind::Signal if empty => quote!(h.signal(#marker, |ctx, ()| W::#f(ctx));),
        HandlerKind::Signal => quote!(h.signal(#marker, W::#f);),
        HandlerKind::Update => {
            let run = if empty {
                quote!(|ctx, ()| W::#f(ctx))
            } else {
                quote!(W::#f)
            };
            match &h.validator {
                None => quote!(h.update(#marker, #run);),
                Some(v) if empty => {
                    quote!(h.validated_update(#marker, #run, |w, ctx, &()| w.#v(ctx));)
                }
                Some(v) => quote!(h.validated_update(#marker, #run, W::#v);),
            }
        }
    }
}

/// `register_example_workflows`: every workflow of the service at once.
fn service_registration(scope: &Scope, service: &Service) -> TokenStream {
    if service.workflows.is_empty() {
        return TokenStream::new();
    }
    let rt = &scope.rt;
    let f = n::register_workflows_fn(service);
    let params: Vec<Ident> = service
        .workflows
        .iter()
        .map(|w| n::impl_param(&w.method.name))
        .collect();
    // A parameter `FooWorkflowImpl` (of a workflow `FooWorkflow`) would
    // shadow the trait of a workflow `Foo`: such a bound is written
    // `self::FooWorkflowImpl`.
    let bounds = service.workflows.iter().map(|w| {
        let tr = n::contract_trait(&w.method.name);
        if params.contains(&tr) {
            quote!(self::#tr)
        } else {
            quote!(#tr)
        }
    });
    let calls = service.workflows.iter().zip(&params).map(|(w, p)| {
        let r = n::register_workflow_fn(&w.method.name);
        quote!(#r::<#p>(registry)?;)
    });
    let order = service
        .workflows
        .iter()
        .map(|w| code(&w.method.name))
        .collect::<Vec<_>>()
        .join(", ");
    let d = doc(
        None,
        &[format!(
            "Registers an implementation of every workflow of the {} service, \
             in this order of type parameters: {order}.",
            code(&service.full_name)
        )],
    );
    quote! {
        #d
        pub fn #f<#(#params: #bounds),*>(
            registry: &mut impl #rt::WorkflowRegistry,
        ) -> Result<(), #rt::WorkflowRegistrationError> {
            #(#calls)*
            Ok(())
        }
    }
}
