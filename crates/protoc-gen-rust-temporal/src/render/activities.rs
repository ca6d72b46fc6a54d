//! Worker-side activity contracts: per service a trait with one async
//! method per activity, per activity the impl of the runtime's
//! `ActivityMethod` that names the trait method running it, and one
//! registration call for all of them under the proto names.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{code, doc};
use super::item_names as n;
use super::paths::Scope;
use crate::model::{Payload, Service};

/// The trait, the activity impls and the registration function; nothing
/// when the service has no activities.
pub fn render(scope: &Scope, service: &Service) -> TokenStream {
    if service.activities.is_empty() {
        return TokenStream::new();
    }
    let rt = &scope.rt;
    let tr = n::activities_trait(service);
    let register = n::register_activities_fn(service);

    let mut methods = TokenStream::new();
    let mut impls = TokenStream::new();
    let mut markers = Vec::new();
    for a in &service.activities {
        let m = &a.method;
        let f = n::activity_method(&m.name);
        let marker = n::activity_marker(&m.name);
        let out = scope.value_type(&m.output);
        let (param, call) = match &m.input {
            Payload::Empty => (
                TokenStream::new(),
                quote!(fn call(activities: &A, ctx: #rt::ActivityContext, (): ())),
            ),
            Payload::Message(_) | Payload::WellKnown(_) => {
                let ty = scope.value_type(&m.input);
                (
                    quote!(, input: #ty),
                    quote!(fn call(activities: &A, ctx: #rt::ActivityContext, input: #ty)),
                )
            }
        };
        let arg = match &m.input {
            Payload::Empty => TokenStream::new(),
            Payload::Message(_) | Payload::WellKnown(_) => quote!(, input),
        };
        let md = doc(
            m.comments.as_deref(),
            &[format!(
                "Runs the {} activity (type {}).",
                code(&m.name),
                code(&a.name)
            )],
        );
        let ret = quote!(impl #rt::Future<Output = Result<#out, #rt::ActivityError>> + Send);
        methods.extend(quote! {
            #md
            fn #f(&self, ctx: #rt::ActivityContext #param) -> #ret;
        });
        impls.extend(quote! {
            impl<A: #tr> #rt::ActivityMethod<A> for #marker {
                #call -> #ret {
                    activities.#f(ctx #arg)
                }
            }
        });
        markers.push(marker);
    }

    let trait_doc = doc(
        None,
        &[format!(
            "Worker-side contract of the activities of the {} service: implement it \
             and register the implementation with [`{register}`]. Each method runs \
             under the proto's activity name; an `ActivityError` fails the attempt, \
             and the proto's retry policy decides whether it is retried.",
            code(&service.full_name)
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
        pub trait #tr: Send + Sync + 'static {
            #methods
        }

        #impls

        #register_doc
        pub fn #register<A: #tr>(
            worker: &mut #rt::WorkerOptions,
            activities: A,
        ) -> Result<(), #rt::ActivityNameClash> {
            #rt::ActivityList::new()
                #(.activity(#markers))*
                .register(worker, #owner, activities)
        }
    }
}
