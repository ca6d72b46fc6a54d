//! Name constants, definition markers, ID functions and proto defaults of
//! one service.

use std::time::Duration;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{code, deprecated, doc};
use super::handlers::{self, HandlerKind};
use super::item_names::{self as n, id_fn, task_queue_const};
use super::paths::Scope;
use crate::model::{
    self, IdConflictPolicy, IdReusePolicy, Model, Payload, Service, WaitStage, Workflow,
};
use crate::options::schema;

/// Everything of this file for one service.
pub fn render(scope: &Scope, model: &Model, service: &Service) -> TokenStream {
    let mut out = TokenStream::new();
    if let Some(tq) = &service.task_queue {
        let ident = task_queue_const(service);
        let d = doc(
            None,
            &[format!(
                "Default task queue of the {} service.",
                code(&service.full_name)
            )],
        );
        out.extend(quote!(#d pub const #ident: &str = #tq;));
    }
    for w in &service.workflows {
        out.extend(workflow(scope, service, w));
    }
    for w in &service.workflows {
        out.extend(secondary_markers(scope, model, service, w));
    }
    for a in &service.activities {
        out.extend(activity(scope, service, a));
    }
    for q in &service.queries {
        out.extend(handler(
            scope,
            model,
            service,
            HandlerKind::Query,
            &q.method,
            &q.name,
        ));
    }
    for s in &service.signals {
        out.extend(handler(
            scope,
            model,
            service,
            HandlerKind::Signal,
            &s.method,
            &s.name,
        ));
    }
    for u in &service.updates {
        out.extend(handler(
            scope,
            model,
            service,
            HandlerKind::Update,
            &u.method,
            &u.name,
        ));
        out.extend(update_extras(scope, u));
    }
    for w in &service.workflows {
        out.extend(starting_handlers(scope, model, service, w));
    }
    out
}

/// The default task queue of a method: its own `task_queue`, else the
/// service's constant, else `None`.
pub fn task_queue_default(service: &Service, own: Option<&str>) -> Option<TokenStream> {
    match (own, &service.task_queue) {
        (Some(tq), _) => Some(quote!(Some(#tq))),
        (None, Some(_)) => {
            let tq = task_queue_const(service);
            Some(quote!(Some(#tq)))
        }
        (None, None) => None,
    }
}

fn workflow(scope: &Scope, service: &Service, w: &Workflow) -> TokenStream {
    let rt = &scope.rt;
    let method = &w.method.name;
    let marker = n::workflow_marker(method);
    let name_const = n::name_const(method, "workflow");
    let name = &w.name;
    let input = scope.input_type(&w.method.input);
    let output = scope.output_type(&w.method.output);
    let name_doc = doc(
        None,
        &[format!(
            "Temporal workflow type name of {}.",
            code(&w.method.full_name)
        )],
    );
    let marker_doc = doc(
        w.method.comments.as_deref(),
        &[format!(
            "Definition marker of the {} workflow (type name {}), for the SDK's typed APIs.",
            code(method),
            code(name)
        )],
    );
    let aliases = if w.aliases.is_empty() {
        TokenStream::new()
    } else {
        let ident = n::aliases_const(method);
        let list = &w.aliases;
        let d = doc(
            None,
            &[format!(
                "Extra type names {} is registered under.",
                code(method)
            )],
        );
        quote!(#d pub const #ident: &[&str] = &[#(#list),*];)
    };
    let id = w.id.as_ref().map(|(template, compiled)| {
        let f = id_fn(method, "workflow");
        let (param, arg) = id_param(scope, &w.method.input, compiled);
        let env = env_ident(compiled);
        let body =
            compiled.to_tokens_at(&arg, &quote!(#env), &scope.package, scope.depth, &scope.rt);
        let d = doc(
            None,
            &[format!(
                "Workflow ID of {} from its ID expression {}.",
                code(method),
                code(template)
            )],
        );
        quote! {
            #d
            pub fn #f(#param, #env: &dyn #rt::IdEnv) -> Result<String, #rt::EvalError> #body
        }
    });
    let search_attributes = w.search_attributes.as_ref().map(|mapping| {
        let f = n::search_attributes_fn(method);
        let ty = scope.value_type(&w.method.input);
        let param = if mapping.uses_input() {
            quote!(input)
        } else {
            quote!(_input)
        };
        let body = mapping.to_tokens_at(&param, &scope.package, scope.depth, &scope.rt);
        let d = doc(
            None,
            &[format!(
                "Search attributes of {} from its mapping {}.",
                code(method),
                code(mapping.text())
            )],
        );
        quote! {
            #d
            pub fn #f(#param: &#ty) -> Result<#rt::SearchAttributeValues, #rt::MappingError> #body
        }
    });
    let defaults = workflow_defaults(scope, service, w);
    let dep = deprecated(&w.method);
    quote! {
        #name_doc
        #dep
        pub const #name_const: &str = #name;
        #aliases

        #marker_doc
        #dep
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #marker;

        impl #rt::WorkflowDefinition for #marker {
            type Input = #input;
            type Output = #output;
            fn name(&self) -> &str {
                #name_const
            }
        }

        impl #rt::HasWorkflowDefinition for #marker {
            type Run = Self;
        }

        #defaults
        #id
        #search_attributes
    }
}

/// `env`, or `_env` when the template draws nothing from the environment.
fn env_ident(compiled: &crate::expr::CompiledTemplate) -> proc_macro2::Ident {
    if compiled.uses_env() {
        format_ident!("env")
    } else {
        format_ident!("_env")
    }
}

/// `input: &T` parameter of an ID function (`_input` when the template
/// reads no field, `&()` for Empty) and the expression the compiled
/// template reads it through.
fn id_param(
    scope: &Scope,
    input: &Payload,
    compiled: &crate::expr::CompiledTemplate,
) -> (TokenStream, TokenStream) {
    let ty = scope.value_type(input);
    match input {
        Payload::Message(_) if compiled.uses_input() => (quote!(input: &#ty), quote!(input)),
        _ => (quote!(_input: &#ty), quote!(_input)),
    }
}

fn workflow_defaults(scope: &Scope, service: &Service, w: &Workflow) -> TokenStream {
    let rt = &scope.rt;
    let name_const = n::name_const(&w.method.name, "workflow");
    let reuse = w.id_reuse_policy.map(|p| {
        let v = match p {
            IdReusePolicy::AllowDuplicate => quote!(AllowDuplicate),
            IdReusePolicy::AllowDuplicateFailedOnly => quote!(AllowDuplicateFailedOnly),
            IdReusePolicy::RejectDuplicate => quote!(RejectDuplicate),
            IdReusePolicy::TerminateIfRunning => quote!(TerminateIfRunning),
        };
        quote!(#rt::IdReusePolicy::#v)
    });
    let value = set_fields(
        quote!(#rt::WorkflowDefaults),
        [
            (
                "task_queue",
                task_queue_default(service, w.task_queue.as_deref()),
            ),
            ("execution_timeout", w.execution_timeout.map(some_duration)),
            ("run_timeout", w.run_timeout.map(some_duration)),
            ("task_timeout", w.task_timeout.map(some_duration)),
            ("id_reuse_policy", reuse.map(some)),
            (
                "id_conflict_policy",
                w.id_conflict_policy
                    .map(|p| some(conflict_policy(scope, p))),
            ),
            (
                "retry_policy",
                w.retry_policy.as_ref().map(|r| some(retry(scope, r))),
            ),
            (
                "enable_eager_start",
                w.enable_eager_start.then(|| quote!(true)),
            ),
            (
                "parent_close_policy",
                parent_close(scope, w.parent_close_policy).map(some),
            ),
            (
                "wait_for_cancellation",
                w.wait_for_cancellation.then(|| quote!(true)),
            ),
            ("priority", w.priority.as_ref().map(|p| priority(scope, p))),
        ],
        quote!(#rt::WorkflowDefaults::new(#name_const)),
        true,
    );
    let marker = n::workflow_marker(&w.method.name);
    let id = w.id.as_ref().map(|_| {
        let f = id_fn(&w.method.name, "workflow");
        let input = scope.fn_input(&w.method.input);
        quote!(const ID: Option<#rt::IdFn<#input>> = Some(#f);)
    });
    let search_attributes = w.search_attributes.as_ref().map(|_| {
        let f = n::search_attributes_fn(&w.method.name);
        let input = scope.fn_input(&w.method.input);
        quote!(const SEARCH_ATTRIBUTES: Option<#rt::SearchAttributesFn<#input>> = Some(#f);)
    });
    quote! {
        impl #rt::ProtoWorkflow for #marker {
            const DEFAULTS: #rt::WorkflowDefaults = #value;
            #id
            #search_attributes
        }
    }
}

/// The runtime's parent close policy, `None` when unspecified.
pub fn parent_close(scope: &Scope, p: schema::ParentClosePolicy) -> Option<TokenStream> {
    let rt = &scope.rt;
    let v = match p {
        schema::ParentClosePolicy::Unspecified => return None,
        schema::ParentClosePolicy::Terminate => quote!(Terminate),
        schema::ParentClosePolicy::Abandon => quote!(Abandon),
        schema::ParentClosePolicy::RequestCancel => quote!(RequestCancel),
    };
    Some(quote!(#rt::ParentClose::#v))
}

/// SDK conflict policy value.
pub fn conflict_policy(scope: &Scope, p: IdConflictPolicy) -> TokenStream {
    let rt = &scope.rt;
    let v = match p {
        IdConflictPolicy::Fail => quote!(Fail),
        IdConflictPolicy::UseExisting => quote!(UseExisting),
        IdConflictPolicy::TerminateExisting => quote!(TerminateExisting),
    };
    quote!(#rt::WorkflowIdConflictPolicy::#v)
}

pub fn retry(scope: &Scope, r: &model::RetryPolicy) -> TokenStream {
    let rt = &scope.rt;
    let types = &r.non_retryable_error_types;
    set_fields(
        quote!(#rt::RetryDefaults),
        [
            ("initial_interval", r.initial_interval.map(some_duration)),
            (
                "backoff_coefficient",
                r.backoff_coefficient.map(|b| some(quote!(#b))),
            ),
            ("max_interval", r.max_interval.map(some_duration)),
            (
                "max_attempts",
                r.max_attempts.filter(|&a| a != 0).map(|a| {
                    let a = a as u32;
                    quote!(#a)
                }),
            ),
            (
                "non_retryable_error_types",
                (!types.is_empty()).then(|| quote!(&[#(#types),*])),
            ),
        ],
        quote!(#rt::RetryDefaults::NONE),
        false,
    )
}

/// The runtime's `PriorityDefaults` of a workflow or an activity.
fn priority(scope: &Scope, p: &model::Priority) -> TokenStream {
    let rt = &scope.rt;
    set_fields(
        quote!(#rt::PriorityDefaults),
        [
            ("priority_key", p.priority_key.map(|k| some(quote!(#k)))),
            (
                "fairness_key",
                p.fairness_key.as_deref().map(|k| some(quote!(#k))),
            ),
            (
                "fairness_weight",
                p.fairness_weight.map(|w| some(quote!(#w))),
            ),
        ],
        quote!(#rt::PriorityDefaults::NONE),
        false,
    )
}

/// A struct literal that writes the fields the proto sets and takes the
/// rest from `base` (`T { a: x, ..base }`); `base` itself when none is set,
/// no `..base` when all are, unless `base_names`: the base then also gives
/// the `name` field, which `fields` does not list.
pub fn set_fields<const N: usize>(
    ty: TokenStream,
    fields: [(&str, Option<TokenStream>); N],
    base: TokenStream,
    base_names: bool,
) -> TokenStream {
    let set: Vec<TokenStream> = fields
        .into_iter()
        .filter_map(|(name, value)| {
            let name = quote::format_ident!("{name}");
            value.map(|v| quote!(#name: #v))
        })
        .collect();
    if set.is_empty() {
        base
    } else if set.len() == N && !base_names {
        quote!(#ty { #(#set,)* })
    } else {
        quote!(#ty { #(#set,)* ..#base })
    }
}

/// `Some(value)`.
pub fn some(value: TokenStream) -> TokenStream {
    quote!(Some(#value))
}

/// `Some(duration)`.
pub fn some_duration(d: Duration) -> TokenStream {
    some(duration(d))
}

/// A `Duration` constant expression (in a generated module, where `rt` is
/// the runtime prelude).
pub fn duration(d: Duration) -> TokenStream {
    let secs = d.as_secs();
    let nanos = d.subsec_nanos();
    if nanos == 0 {
        quote!(rt::Duration::from_secs(#secs))
    } else {
        quote!(rt::Duration::new(#secs, #nanos))
    }
}

fn activity(scope: &Scope, service: &Service, a: &model::Activity) -> TokenStream {
    let rt = &scope.rt;
    let m = &a.method;
    let name_const = n::name_const(&m.name, "activity");
    let value = set_fields(
        quote!(#rt::ActivityDefaults),
        [
            (
                "task_queue",
                task_queue_default(service, a.task_queue.as_deref()),
            ),
            (
                "schedule_to_close_timeout",
                a.schedule_to_close_timeout.map(some_duration),
            ),
            (
                "schedule_to_start_timeout",
                a.schedule_to_start_timeout.map(some_duration),
            ),
            (
                "start_to_close_timeout",
                a.start_to_close_timeout.map(some_duration),
            ),
            ("heartbeat_timeout", a.heartbeat_timeout.map(some_duration)),
            (
                "retry_policy",
                a.retry_policy.as_ref().map(|r| some(retry(scope, r))),
            ),
            (
                "wait_for_cancellation",
                a.wait_for_cancellation.then(|| quote!(true)),
            ),
            ("priority", a.priority.as_ref().map(|p| priority(scope, p))),
        ],
        quote!(#rt::ActivityDefaults::new(#name_const)),
        true,
    );

    let method = &a.method.name;
    let marker = n::activity_marker(method);
    let name = &a.name;
    let input = scope.input_type(&a.method.input);
    let output = scope.output_type(&a.method.output);
    let name_doc = doc(
        None,
        &[format!(
            "Temporal activity type name of {}.",
            code(&a.method.full_name)
        )],
    );
    let marker_doc = doc(
        a.method.comments.as_deref(),
        &[format!(
            "Definition marker of the {} activity (type name {}).",
            code(method),
            code(name)
        )],
    );
    let dep = deprecated(&a.method);
    quote! {
        #name_doc
        #dep
        pub const #name_const: &str = #name;

        #marker_doc
        #dep
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #marker;

        impl #rt::ActivityDefinition for #marker {
            type Input = #input;
            type Output = #output;
            fn name(&self) -> &str {
                #name_const
            }
        }

        impl #rt::ProtoActivity for #marker {
            const DEFAULTS: #rt::ActivityDefaults = #value;
        }
    }
}

/// Name constant and own marker of a query, signal or update.
fn handler(
    scope: &Scope,
    model: &Model,
    service: &Service,
    kind: HandlerKind,
    method: &model::Method,
    name: &str,
) -> TokenStream {
    let target = model::HandlerRef {
        service: service.full_name.clone(),
        method: method.name.clone(),
    };
    let name_const = n::name_const(&method.name, kind.word());
    let name_doc = doc(
        None,
        &[format!(
            "Temporal {} name of {}.",
            kind.word(),
            code(&method.full_name)
        )],
    );
    let bound = handlers::bound_workflow(scope, model, &target);
    let bound_doc = match model.primary_workflow(&target) {
        Some((_, w)) => format!("Bound to the {} workflow.", code(&w.method.name)),
        None => {
            "No workflow declares it, so it is bound to the SDK's untyped workflow.".to_string()
        }
    };
    let marker = n::own_marker(&method.name, kind);
    let marker_doc = doc(
        method.comments.as_deref(),
        &[format!(
            "Definition marker of the {} {} (name {}). {bound_doc}",
            code(&method.name),
            kind.word(),
            code(name)
        )],
    );
    let def = marker_impl(scope, kind, &marker, &bound, method, &name_const);
    let dep = deprecated(method);
    quote! {
        #name_doc
        #dep
        pub const #name_const: &str = #name;

        #marker_doc
        #dep
        #[derive(Debug, Clone, Copy, Default)]
        pub struct #marker;

        #def
    }
}

/// Markers for handlers this workflow declares but is not the primary
/// workflow of (the handler is shared by several workflows).
/// The signals and updates the proto lets start workflow `w` (`start:
/// true` on its refs): `StartingSignal` and `StartingUpdate` impls, which
/// the runtime's signal- and update-with-start calls require.
fn starting_handlers(scope: &Scope, model: &Model, service: &Service, w: &Workflow) -> TokenStream {
    let rt = &scope.rt;
    let workflow = n::workflow_marker(&w.method.name);
    let mut out = TokenStream::new();
    for s in w.signals.iter().filter(|s| s.start) {
        if handlers::find(model, &s.target, HandlerKind::Signal).is_some() {
            let marker =
                handlers::marker_for(scope, model, service, w, &s.target, HandlerKind::Signal);
            out.extend(quote!(impl #rt::StartingSignal<#workflow> for #marker {}));
        }
    }
    for u in w.updates.iter().filter(|u| u.start) {
        if handlers::find(model, &u.target, HandlerKind::Update).is_some() {
            let marker =
                handlers::marker_for(scope, model, service, w, &u.target, HandlerKind::Update);
            let policy = u
                .conflict_policy
                .filter(|p| *p != IdConflictPolicy::Fail)
                .map(|p| {
                    let p = conflict_policy(scope, p);
                    quote!(const CONFLICT_POLICY: #rt::WorkflowIdConflictPolicy = #p;)
                });
            out.extend(quote!(impl #rt::StartingUpdate<#workflow> for #marker { #policy }));
        }
    }
    out
}

fn secondary_markers(scope: &Scope, model: &Model, service: &Service, w: &Workflow) -> TokenStream {
    let mut out = TokenStream::new();
    for (kind, target, handler_service, h) in handlers::secondary_refs(model, service, w) {
        let marker = n::secondary_marker(&w.method.name, &target.method, kind);
        let name_const_ident = n::name_const(&target.method, kind.word());
        let name_const = if handler_service.full_name == service.full_name {
            quote!(#name_const_ident)
        } else {
            scope.in_service(
                &handler_service.full_name,
                &handler_service.package,
                &quote!(#name_const_ident),
            )
        };
        let wmarker = n::workflow_marker(&w.method.name);
        let d = doc(
            None,
            &[format!(
                "Definition marker of the {} {} as declared by the {} workflow.",
                code(&h.name),
                kind.word(),
                code(&w.method.name)
            )],
        );
        let def = marker_impl(scope, kind, &marker, &quote!(#wmarker), h, &name_const);
        let proto = (kind == HandlerKind::Update).then(|| {
            let rt = &scope.rt;
            let own = scope.item_of(
                service,
                handler_service,
                &n::own_marker(&target.method, kind),
            );
            let input = scope.fn_input(&h.input);
            quote! {
                impl #rt::ProtoUpdate for #marker {
                    const DEFAULTS: #rt::UpdateDefaults = <#own as #rt::ProtoUpdate>::DEFAULTS;
                    const ID: Option<#rt::IdFn<#input>> = <#own as #rt::ProtoUpdate>::ID;
                }
            }
        });
        out.extend(quote! {
            #d
            #[derive(Debug, Clone, Copy, Default)]
            pub struct #marker;
            #def
            #proto
        });
    }
    out
}

fn marker_impl(
    scope: &Scope,
    kind: HandlerKind,
    marker: &proc_macro2::Ident,
    workflow: &TokenStream,
    method: &model::Method,
    name_const: &impl quote::ToTokens,
) -> TokenStream {
    let rt = &scope.rt;
    let input = scope.input_type(&method.input);
    let output = scope.output_type(&method.output);
    match kind {
        HandlerKind::Query => quote! {
            impl #rt::QueryDefinition for #marker {
                type Workflow = #workflow;
                type Input = #input;
                type Output = #output;
                fn name(&self) -> &str { #name_const }
            }
        },
        HandlerKind::Signal => quote! {
            impl #rt::SignalDefinition for #marker {
                type Workflow = #workflow;
                type Input = #input;
                fn name(&self) -> &str { #name_const }
            }
        },
        HandlerKind::Update => quote! {
            impl #rt::UpdateDefinition for #marker {
                type Workflow = #workflow;
                type Input = #input;
                type Output = #output;
                fn name(&self) -> &str { #name_const }
            }
        },
    }
}

/// Update defaults and ID function.
fn update_extras(scope: &Scope, u: &model::Update) -> TokenStream {
    let rt = &scope.rt;
    let method = &u.method.name;
    let name_const = n::name_const(method, "update");
    let stage = match u.wait_for_stage {
        WaitStage::Admitted => quote!(Admitted),
        WaitStage::Accepted => quote!(Accepted),
        WaitStage::Completed => quote!(Completed),
    };
    let handle = n::update_handle(method);
    let marker = n::own_marker(method, HandlerKind::Update);
    let hd = doc(
        None,
        &[format!("Handle of an accepted {} update.", code(method))],
    );
    let id = u.id.as_ref().map(|(template, compiled)| {
        let f = id_fn(method, "update");
        let (param, arg) = id_param(scope, &u.method.input, compiled);
        let env = env_ident(compiled);
        let body =
            compiled.to_tokens_at(&arg, &quote!(#env), &scope.package, scope.depth, &scope.rt);
        let d = doc(
            None,
            &[format!(
                "Update ID of {} from its ID expression {}.",
                code(method),
                code(template)
            )],
        );
        quote! {
            #d
            pub fn #f(#param, #env: &dyn #rt::IdEnv) -> Result<String, #rt::EvalError> #body
        }
    });
    let id_const = u.id.as_ref().map(|_| {
        let f = id_fn(method, "update");
        let input = scope.fn_input(&u.method.input);
        quote!(const ID: Option<#rt::IdFn<#input>> = Some(#f);)
    });
    quote! {
        impl #rt::ProtoUpdate for #marker {
            const DEFAULTS: #rt::UpdateDefaults = #rt::UpdateDefaults {
                name: #name_const,
                wait_for_stage: #rt::WaitStage::#stage,
            };
            #id_const
        }

        #hd
        pub type #handle = #rt::UpdateHandle<#marker>;

        #id
    }
}
