//! Worker-side workflow contracts: per workflow a trait with the run entry
//! and one method per declared handler, a host type that adapts any
//! implementation to the SDK's `WorkflowImplementation`, and registration
//! functions (per workflow and per service) under the proto name and every
//! alias.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::docs::{code, doc};
use super::handlers::HandlerKind;
use super::item_names::{self as n, context_ident, host_ident};
use super::paths::Scope;
use crate::model::{Method, Model, Payload, Service, Workflow};

/// One handler as the contract sees it.
struct Handler<'a> {
    kind: HandlerKind,
    method: &'a Method,
    /// Path of its Temporal name constant.
    name_const: TokenStream,
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
            name_const: scope.item_of(
                service,
                m.owner,
                &n::name_const(&m.method.name, m.kind.word()),
            ),
            f: m.f,
            validator: m.validator,
        })
        .collect()
}

/// `, input: T` for a message, nothing for Empty.
fn input_param(scope: &Scope, payload: &Payload, by_ref: bool) -> TokenStream {
    match payload {
        Payload::Empty => TokenStream::new(),
        Payload::Message(_) => {
            let ty = scope.value_type(payload);
            if by_ref {
                quote!(, input: &#ty)
            } else {
                quote!(, input: #ty)
            }
        }
    }
}

/// `, input` for a message, nothing for Empty.
fn input_arg(payload: &Payload) -> TokenStream {
    match payload {
        Payload::Empty => TokenStream::new(),
        Payload::Message(_) => quote!(, input),
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
    let wf = quote!(#rt::__private::temporalio_workflow);
    let handler_error = quote!(#rt::worker::HandlerError);
    let method = &w.method.name;
    let tr = n::contract_trait(method);
    let host = host_ident(method);
    let ctx = context_ident(method);
    let register = n::register_workflow_fn(method);
    let out_ty = scope.value_type(&w.method.output);
    let input_decl = input_param(scope, &w.method.input, false);
    let can_arg = match &w.method.input {
        Payload::Empty => quote!(()),
        Payload::Message(_) => quote!(input),
    };
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
                let d = doc(
                    m.comments.as_deref(),
                    &[what, "Queries read state and must not change it.".into()],
                );
                quote! {
                    #d
                    fn #f(&self, ctx: &#wf::WorkflowContextView #input) -> ::core::result::Result<#out, #handler_error>;
                }
            }
            HandlerKind::Signal => {
                let d = doc(
                    m.comments.as_deref(),
                    &[
                        what,
                        "Change state with `ctx.state_mut` before returning \
                         `std::future::ready(())` for a handler that completes at once, \
                         or write an `async fn` that may await timers, activities and \
                         conditions."
                            .into(),
                    ],
                );
                quote! {
                    #d
                    fn #f(ctx: #ctx<Self> #input) -> impl ::core::future::Future<Output = ()>;
                }
            }
            HandlerKind::Update => {
                let d = doc(
                    m.comments.as_deref(),
                    &[
                        what,
                        "Its result (or error) is the update's result. Like a signal \
                         handler, it may complete at once or await."
                            .into(),
                    ],
                );
                let mut item = quote! {
                    #d
                    fn #f(ctx: #ctx<Self> #input) -> impl ::core::future::Future<Output = ::core::result::Result<#out, #handler_error>>;
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
                        fn #v(&self, ctx: &#wf::WorkflowContextView #vinput) -> ::core::result::Result<(), #handler_error>;
                    });
                }
                item
            }
        };
        trait_items.extend(item);
    }

    let trait_doc = doc(
        w.method.comments.as_deref(),
        &[format!(
            "Worker-side contract of the {} workflow (type {}): implement it on the \
             workflow's state and register the implementation with [`{register}`]. \
             The compiler checks every handler the proto declares against this trait.",
            code(method),
            code(&w.name)
        )],
    );
    let host_doc = doc(
        None,
        &[format!(
            "Runs an implementation of [`{tr}`] as the {} workflow. Workflow state \
             is reached through it (`ctx.state(|s| s.field)`): it dereferences to the \
             implementation.",
            code(method)
        )],
    );
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
    let name_const = n::name_const(method, "workflow");
    let aliases = &w.aliases;
    let adapter = host_impl(scope, w, &handlers);

    quote! {
        #trait_doc
        pub trait #tr: ::core::marker::Sized + 'static {
            /// Creates the workflow state from the start input. Runs before the
            /// workflow and before any handler, so signals and updates sent with
            /// the start see it.
            fn new(ctx: &#wf::WorkflowContextView #input_decl) -> Self;

            /// The workflow's main routine; its result is the workflow's result.
            fn run(ctx: #ctx<Self>) -> impl ::core::future::Future<Output = #wf::WorkflowResult<#out_ty>>;

            #trait_items

            /// Ends this run and continues the workflow as a new run with
            /// `input`, inheriting this run's options. Return its result from
            /// `run`.
            fn continue_as_new(ctx: &#ctx<Self> #input_decl) -> #wf::WorkflowResult<#out_ty> {
                #rt::worker::dispatch::continue_as_new(ctx, #can_arg, ::core::default::Default::default())
            }

            /// Like [`Self::continue_as_new`], with options for the new run.
            fn continue_as_new_with(
                ctx: &#ctx<Self>
                #input_decl,
                options: #wf::ContinueAsNewOptions,
            ) -> #wf::WorkflowResult<#out_ty> {
                #rt::worker::dispatch::continue_as_new(ctx, #can_arg, options)
            }
        }

        #host_doc
        #[derive(Debug)]
        pub struct #host<W>(W);

        impl<W> ::core::ops::Deref for #host<W> {
            type Target = W;
            fn deref(&self) -> &W {
                &self.0
            }
        }

        impl<W> ::core::ops::DerefMut for #host<W> {
            fn deref_mut(&mut self) -> &mut W {
                &mut self.0
            }
        }

        #ctx_doc
        pub type #ctx<W> = #wf::WorkflowContext<#host<W>>;

        #adapter

        #register_doc
        pub fn #register<W: #tr>(
            registry: &mut impl #rt::worker::WorkflowRegistry,
        ) -> ::core::result::Result<(), #rt::__private::temporalio_sdk::WorkflowRegistrationError> {
            #rt::worker::register_workflow_as::<#host<W>, _>(registry, #name_const)?;
            #( #rt::worker::register_workflow_as::<#host<W>, _>(registry, #aliases)?; )*
            ::core::result::Result::Ok(())
        }
    }
}

/// `impl WorkflowImplementation for CreateFooHost<W>`.
fn host_impl(scope: &Scope, w: &Workflow, handlers: &[Handler<'_>]) -> TokenStream {
    let rt = &scope.rt;
    let d = quote!(#rt::worker::dispatch);
    let method = &w.method.name;
    let tr = n::contract_trait(method);
    let host = host_ident(method);
    let marker = n::workflow_marker(method);
    let name_const = n::name_const(method, "workflow");
    let in_ty = scope.value_type(&w.method.input);
    let out_wire = scope.output_type(&w.method.output);
    let (init_param, new_arg) = match &w.method.input {
        Payload::Empty => (format_ident!("_input"), TokenStream::new()),
        Payload::Message(_) => (format_ident!("input"), quote!(, input.unwrap_or_default())),
    };
    let of = |kind: HandlerKind| handlers.iter().filter(move |h| h.kind == kind);

    let names = |kind| of(kind).map(|h| &h.name_const).collect::<Vec<_>>();
    let signal_names = names(HandlerKind::Signal);
    let query_names = names(HandlerKind::Query);
    let update_defs = of(HandlerKind::Update).map(|h| {
        let n = &h.name_const;
        let v = h.validator.is_some();
        quote!((#n, #v))
    });

    let decode = |kind: HandlerKind, f: Ident, payloads: TokenStream, by_ref: bool| {
        let arms: Vec<TokenStream> = of(kind)
            .map(|h| {
                let n = &h.name_const;
                let wire = scope.output_type(&h.method.input);
                quote!(#n => #d::decode::<#wire>(#payloads, converter),)
            })
            .collect();
        if arms.is_empty() {
            return TokenStream::new();
        }
        let payloads_ty = if by_ref {
            quote!(&#d::Payloads)
        } else {
            quote!(#d::Payloads)
        };
        quote! {
            fn #f(
                name: &str,
                payloads: #payloads_ty,
                converter: &#d::PayloadConverter,
            ) -> ::core::result::Result<::core::option::Option<#d::Input>, #d::WorkflowError> {
                match name {
                    #(#arms)*
                    _ => ::core::result::Result::Ok(::core::option::Option::None),
                }
            }
        }
    };
    let decode_signal = decode(
        HandlerKind::Signal,
        format_ident!("decode_signal_input"),
        quote!(payloads.payloads),
        false,
    );
    let decode_query = decode(
        HandlerKind::Query,
        format_ident!("decode_query_input"),
        quote!(payloads.payloads.clone()),
        true,
    );
    let decode_update = decode(
        HandlerKind::Update,
        format_ident!("decode_update_input"),
        quote!(payloads.payloads),
        false,
    );

    let value = |h: &Handler<'_>| scope.value_type(&h.method.input);
    let closure_param = |h: &Handler<'_>| match &h.method.input {
        Payload::Empty => quote!(|(): ()|),
        Payload::Message(_) => {
            let ty = value(h);
            quote!(|input: #ty|)
        }
    };

    let signal_arms: Vec<TokenStream> = of(HandlerKind::Signal)
        .map(|h| {
            let n = &h.name_const;
            let f = &h.f;
            let p = closure_param(h);
            let arg = input_arg(&h.method.input);
            quote!(#n => #d::signal(input, name, #p W::#f(ctx #arg)),)
        })
        .collect();
    let dispatch_signal = dispatch_fn(
        &DispatchFn {
            name: format_ident!("dispatch_signal"),
            receiver: TokenStream::new(),
            ctx: quote!(#d::WorkflowContext<Self>),
            ret: quote!(#d::LocalFuture<::core::result::Result<(), #d::WorkflowError>>),
            fallback: quote!(#d::unknown_signal(name)),
            fallback_uses_name: true,
        },
        &signal_arms,
        &d,
    );

    let query_arms: Vec<TokenStream> = of(HandlerKind::Query)
        .map(|h| {
            let n = &h.name_const;
            let f = &h.f;
            let p = closure_param(h);
            let arg = input_arg(&h.method.input);
            let out = scope.output_type(&h.method.output);
            quote!(#n => #d::query::<_, #out>(input, name, #p self.0.#f(&ctx #arg)),)
        })
        .collect();
    let dispatch_query = dispatch_fn(
        &DispatchFn {
            name: format_ident!("dispatch_query"),
            receiver: quote!(&self,),
            ctx: quote!(#d::WorkflowContextView),
            ret: quote!(::core::result::Result<#d::Output, #d::WorkflowError>),
            fallback: quote!(::core::result::Result::Err(#d::unknown("query", name))),
            fallback_uses_name: true,
        },
        &query_arms,
        &d,
    );

    let update_arms: Vec<TokenStream> = of(HandlerKind::Update)
        .map(|h| {
            let n = &h.name_const;
            let f = &h.f;
            let p = closure_param(h);
            let arg = input_arg(&h.method.input);
            let out = scope.output_type(&h.method.output);
            quote!(#n => #d::update::<_, #out, _>(input, name, #p W::#f(ctx #arg)),)
        })
        .collect();
    let validate_arms: Vec<TokenStream> = of(HandlerKind::Update)
        .filter_map(|h| {
            let v = h.validator.as_ref()?;
            let n = &h.name_const;
            let (p, arg) = match &h.method.input {
                Payload::Empty => (quote!(|(): &()|), TokenStream::new()),
                Payload::Message(_) => {
                    let ty = value(h);
                    (quote!(|input: &#ty|), quote!(, input))
                }
            };
            Some(quote!(#n => #d::validate(input, name, #p self.0.#v(&ctx #arg)),))
        })
        .collect();
    let dispatch_update = dispatch_fn(
        &DispatchFn {
            name: format_ident!("dispatch_update"),
            receiver: TokenStream::new(),
            ctx: quote!(#d::WorkflowContext<Self>),
            ret: quote!(#d::LocalFuture<::core::result::Result<#d::Output, #d::WorkflowError>>),
            fallback: quote!(#d::unknown_update(name)),
            fallback_uses_name: true,
        },
        &update_arms,
        &d,
    );
    let validate_update = dispatch_fn(
        &DispatchFn {
            name: format_ident!("validate_update"),
            receiver: quote!(&self,),
            ctx: quote!(#d::WorkflowContextView),
            ret: quote!(::core::result::Result<(), #d::WorkflowError>),
            fallback: quote!(::core::result::Result::Ok(())),
            fallback_uses_name: false,
        },
        &validate_arms,
        &d,
    );

    quote! {
        impl<W: #tr> #d::WorkflowImplementation for #host<W> {
            type Run = #marker;
            const HAS_INIT: bool = true;
            const INIT_TAKES_INPUT: bool = true;

            fn name() -> &'static str {
                #rt::worker::workflow_type(#name_const)
            }

            fn definition() -> #d::WorkflowDefinitionDescriptor {
                #d::definition(
                    Self::name(),
                    &[#(#signal_names),*],
                    &[#(#query_names),*],
                    &[#(#update_defs),*],
                )
            }

            fn init(
                ctx: #d::WorkflowContextView,
                #init_param: ::core::option::Option<#in_ty>,
            ) -> Self {
                Self(W::new(&ctx #new_arg))
            }

            fn run(
                ctx: #d::WorkflowContext<Self>,
                _input: ::core::option::Option<#in_ty>,
            ) -> #d::LocalFuture<::core::result::Result<#d::Output, #d::WorkflowTermination>> {
                #d::run::<#out_wire, _>(W::run(ctx))
            }

            #decode_signal
            #dispatch_signal
            #decode_query
            #dispatch_query
            #decode_update
            #dispatch_update
            #validate_update
        }
    }
}

/// Shape of one of the SDK's dispatch methods: `fn name(receiver ctx,
/// name, input) -> ret`.
struct DispatchFn {
    name: Ident,
    /// `&self,` or nothing.
    receiver: TokenStream,
    ctx: TokenStream,
    ret: TokenStream,
    /// Body for names the workflow does not declare.
    fallback: TokenStream,
    fallback_uses_name: bool,
}

/// A dispatch method matching the handler name against `arms`; without
/// arms, only the fallback (and `_`-prefixed parameters).
fn dispatch_fn(f: &DispatchFn, arms: &[TokenStream], d: &TokenStream) -> TokenStream {
    let DispatchFn {
        name,
        receiver,
        ctx,
        ret,
        fallback,
        fallback_uses_name,
    } = f;
    let (ctx_p, name_p, input_p, body) = if arms.is_empty() {
        let name_p = if *fallback_uses_name {
            format_ident!("name")
        } else {
            format_ident!("_name")
        };
        (
            format_ident!("_ctx"),
            name_p,
            format_ident!("_input"),
            fallback.clone(),
        )
    } else {
        (
            format_ident!("ctx"),
            format_ident!("name"),
            format_ident!("input"),
            quote! {
                match name {
                    #(#arms)*
                    _ => #fallback,
                }
            },
        )
    };
    quote! {
        fn #name(#receiver #ctx_p: #ctx, #name_p: &str, #input_p: #d::Input) -> #ret {
            #body
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
            registry: &mut impl #rt::worker::WorkflowRegistry,
        ) -> ::core::result::Result<(), #rt::__private::temporalio_sdk::WorkflowRegistrationError> {
            #(#calls)*
            ::core::result::Result::Ok(())
        }
    }
}
