//! Worker-side activity contracts: per service a trait with one async
//! method per activity, and one registration call for all of them under the
//! proto names.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, doc};
use super::item_names as n;
use super::paths::Scope;
use crate::model::{Payload, Service};

/// The trait, its host and the registration function; nothing when the
/// service has no activities.
pub fn render(scope: &Scope, service: &Service) -> TokenStream {
    if service.activities.is_empty() {
        return TokenStream::new();
    }
    let rt = &scope.rt;
    let d = quote!(#rt::worker::dispatch);
    let tr = n::activities_trait(service);
    let host = n::activities_host(service);
    let register = n::register_activities_fn(service);

    let mut methods = TokenStream::new();
    let mut tasks = TokenStream::new();
    let mut registrations = TokenStream::new();
    let mut name_consts = Vec::new();
    for a in &service.activities {
        let m = &a.method;
        let f = n::activity_method(&m.name);
        let task = n::activity_task(&m.name);
        let name_const = n::name_const(&m.name, "activity");
        name_consts.push(name_const.clone());
        let out = scope.value_type(&m.output);
        let in_wire = scope.output_type(&m.input);
        let out_wire = scope.output_type(&m.output);
        let (param, arg) = match &m.input {
            Payload::Empty => (TokenStream::new(), TokenStream::new()),
            Payload::Message(_) => {
                let ty = scope.value_type(&m.input);
                (
                    quote!(, input: #ty),
                    quote!(, #rt::payload::PayloadValue::into_value(input)),
                )
            }
        };
        // An Empty output is `()`: no binding for it (clippy's let_unit_value).
        let call = quote!(host.0.#f(ctx #arg).await?);
        let wrap = quote!(<#out_wire as #rt::payload::PayloadValue>::from_value);
        let run_and_wrap = match &m.output {
            Payload::Empty => quote! {
                #call;
                ::core::result::Result::Ok(#wrap(()))
            },
            Payload::Message(_) => quote! {
                let output = #call;
                ::core::result::Result::Ok(#wrap(output))
            },
        };
        let input_binding = match &m.input {
            Payload::Empty => format_ident!("_input"),
            Payload::Message(_) => format_ident!("input"),
        };
        let md = doc(
            m.comments.as_deref(),
            &[format!(
                "Runs the {} activity (type {}). Return an `ActivityError` to fail \
                 the attempt; the proto's retry policy decides whether it is retried.",
                code(&m.name),
                code(&a.name)
            )],
        );
        methods.extend(quote! {
            #md
            fn #f(
                &self,
                ctx: #d::ActivityContext
                #param
            ) -> impl ::core::future::Future<Output = ::core::result::Result<#out, #d::ActivityError>> + ::core::marker::Send;
        });
        tasks.extend(quote! {
            struct #task<A>(::core::marker::PhantomData<fn() -> A>);

            impl<A> #rt::__private::temporalio_common::ActivityDefinition for #task<A> {
                type Input = #in_wire;
                type Output = #out_wire;
                fn name(&self) -> &str {
                    #name_const
                }
            }

            impl<A: #tr> #d::ExecutableActivity for #task<A> {
                type Implementer = #host<A>;
                const REQUIRES_INSTANCE: bool = true;

                fn definition() -> Self {
                    Self(::core::marker::PhantomData)
                }

                fn execute(
                    receiver: ::core::option::Option<::std::sync::Arc<#host<A>>>,
                    ctx: #d::ActivityContext,
                    #input_binding: #in_wire,
                ) -> #d::SendFuture<::core::result::Result<#out_wire, #d::ActivityError>> {
                    ::std::boxed::Box::pin(async move {
                        let host = receiver.ok_or_else(|| #d::missing_implementation(#name_const))?;
                        #run_and_wrap
                    })
                }
            }
        });
        registrations.extend(quote! {
            defs.register_activity::<#task<A>>(::std::sync::Arc::clone(&self));
        });
    }

    let trait_doc = doc(
        None,
        &[format!(
            "Worker-side contract of the activities of the {} service: implement it \
             and register the implementation with [`{register}`]. Each method runs \
             under the proto's activity name.",
            code(&service.full_name)
        )],
    );
    let host_doc = doc(
        None,
        &[format!(
            "Runs an implementation of [`{tr}`] on a worker (see [`{register}`])."
        )],
    );
    let register_doc = doc(
        None,
        &[format!(
            "Registers every activity of the {} service, implemented by `activities`, \
             on a worker under the proto names. Fails, registering nothing, when one \
             of the names is already registered on `worker` through generated code.",
            code(&service.full_name)
        )],
    );
    let owner = format!("the activities of {}", service.full_name);
    quote! {
        #trait_doc
        pub trait #tr: ::core::marker::Send + ::core::marker::Sync + 'static {
            #methods
        }

        #host_doc
        #[derive(Debug)]
        pub struct #host<A>(A);

        impl<A: #tr> #d::ActivityImplementer for #host<A> {
            fn register_all(self: ::std::sync::Arc<Self>, defs: &mut #d::ActivityDefinitions) {
                #registrations
            }
        }

        #tasks

        #register_doc
        pub fn #register<A: #tr>(
            worker: &mut #rt::__private::temporalio_sdk::WorkerOptions,
            activities: A,
        ) -> ::core::result::Result<(), #rt::worker::ActivityNameClash> {
            #rt::worker::claim_activity_names(worker, #owner, [#(#name_consts),*])?;
            worker.register_activities(#host(activities));
            ::core::result::Result::Ok(())
        }
    }
}
