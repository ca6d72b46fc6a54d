//! Name constants, definition markers, ID functions and proto defaults of
//! one service.

use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::code::{Code, line};
use super::docs::{code, deprecated_attr};
use super::handlers::{self, HandlerKind};
use super::item_names::{self as n, id_fn, task_queue_const};
use super::literal::str_lit;
use super::paths::{Scope, path_text};
use super::values::{self as v, Value};
use crate::error::Error;
use crate::expr::CompiledTemplate;
use crate::model::{
    self, IdConflictPolicy, IdReusePolicy, Model, Payload, Service, WaitStage, Workflow,
};

/// Everything of this file for one service.
pub fn render(
    out: &mut Code,
    scope: &Scope,
    model: &Model,
    service: &Service,
) -> Result<(), Error> {
    let what = || format!("service `{}`", service.full_name);
    if let Some(tq) = &service.task_queue {
        out.doc(
            None,
            &[format!(
                "Default task queue of the {} service.",
                code(&service.full_name)
            )],
        );
        let head = format!("pub const {}: &str", task_queue_const(service));
        out.assign(&head, &str_lit(tq));
    }
    for w in &service.workflows {
        workflow(out, scope, service, w, &what)?;
    }
    for w in &service.workflows {
        secondary_markers(out, scope, model, service, w);
    }
    for a in &service.activities {
        activity(out, scope, service, a);
    }
    for q in &service.queries {
        handler(
            out,
            scope,
            model,
            service,
            HandlerKind::Query,
            &q.method,
            &q.name,
        );
    }
    for s in &service.signals {
        handler(
            out,
            scope,
            model,
            service,
            HandlerKind::Signal,
            &s.method,
            &s.name,
        );
    }
    for u in &service.updates {
        handler(
            out,
            scope,
            model,
            service,
            HandlerKind::Update,
            &u.method,
            &u.name,
        );
        update_extras(out, scope, u, &what)?;
    }
    for w in &service.workflows {
        starting_handlers(out, scope, model, service, w);
    }
    Ok(())
}

/// [`task_queue_default`] as a text value: the method's own `task_queue`,
/// else the service's constant, else `None`.
pub fn task_queue_default(service: &Service, own: Option<&str>) -> Option<Value> {
    match (own, &service.task_queue) {
        (Some(tq), _) => Some(v::some_str(tq)),
        (None, Some(_)) => Some(v::some_expr(task_queue_const(service).to_string())),
        (None, None) => None,
    }
}

/// A name constant: its doc, `#[deprecated]` when the method is, and
/// `pub const NAME: &str = "name";`.
fn name_const(out: &mut Code, doc: String, method: &model::Method, ident: &Ident, name: &str) {
    out.doc(None, &[doc]);
    out.attr(deprecated_attr(method).as_deref());
    out.assign(&format!("pub const {ident}: &str"), &str_lit(name));
}

/// A definition marker: `comment` and `doc`, `#[deprecated]` when the
/// method is, and the unit struct.
fn marker_struct(
    out: &mut Code,
    comment: Option<&str>,
    doc: String,
    deprecated: Option<&str>,
    marker: &Ident,
) {
    out.doc(comment, &[doc]);
    out.attr(deprecated);
    out.line("#[derive(Debug, Clone, Copy, Default)]");
    line!(out, "pub struct {marker};");
}

/// The SDK definition trait of a marker (`rt::WorkflowDefinition`, ...):
/// its workflow (handlers only), input and output (`None` for signals)
/// types, and its name constant.
fn definition_impl(
    out: &mut Code,
    trait_path: &str,
    marker: &Ident,
    workflow: Option<&str>,
    input: &str,
    output: Option<&str>,
    name_const: &str,
) {
    out.open_impl(&format!("impl {trait_path}"), &marker.to_string());
    if let Some(w) = workflow {
        out.assign("type Workflow", w);
    }
    out.assign("type Input", input);
    if let Some(o) = output {
        out.assign("type Output", o);
    }
    out.open("fn name(&self) -> &str");
    out.line(name_const);
    out.close();
    out.close();
}

fn workflow(
    out: &mut Code,
    scope: &Scope,
    service: &Service,
    w: &Workflow,
    what: &dyn Fn() -> String,
) -> Result<(), Error> {
    let rt = scope.rt_text();
    let method = &w.method.name;
    let marker = n::workflow_marker(method);
    let name = n::name_const(method, "workflow");
    let dep = deprecated_attr(&w.method);
    name_const(
        out,
        format!(
            "Temporal workflow type name of {}.",
            code(&w.method.full_name)
        ),
        &w.method,
        &name,
        &w.name,
    );
    if !w.aliases.is_empty() {
        out.doc(
            None,
            &[format!(
                "Extra type names {} is registered under.",
                code(method)
            )],
        );
        let head = format!("pub const {}: &[&str]", n::aliases_const(method));
        let list: Vec<String> = w.aliases.iter().map(|a| str_lit(a)).collect();
        out.assign_array(&head, &list);
    }
    marker_struct(
        out,
        w.method.comments.as_deref(),
        format!(
            "Definition marker of the {} workflow (type name {}), for the SDK's typed APIs.",
            code(method),
            code(&w.name)
        ),
        dep.as_deref(),
        &marker,
    );
    definition_impl(
        out,
        &format!("{rt}::WorkflowDefinition"),
        &marker,
        None,
        &path_text(&scope.input_type(&w.method.input)),
        Some(&path_text(&scope.output_type(&w.method.output))),
        &name.to_string(),
    );
    out.open_impl(
        &format!("impl {rt}::HasWorkflowDefinition"),
        &marker.to_string(),
    );
    out.line("type Run = Self;");
    out.close();
    workflow_defaults(out, scope, service, w);
    if let Some((template, compiled)) = &w.id {
        id_function(
            out,
            scope,
            IdFunction {
                f: id_fn(method, "workflow"),
                doc: format!(
                    "Workflow ID of {} from its ID expression {}.",
                    code(method),
                    code(template)
                ),
                input: &w.method.input,
                compiled,
            },
            what,
        )?;
    }
    if let Some(mapping) = &w.search_attributes {
        out.doc(
            None,
            &[format!(
                "Search attributes of {} from its mapping {}.",
                code(method),
                code(mapping.text())
            )],
        );
        let rt = &scope.rt;
        let f = n::search_attributes_fn(method);
        let ty = scope.value_type(&w.method.input);
        let param = if mapping.uses_input() {
            quote!(input)
        } else {
            quote!(_input)
        };
        let body = mapping.to_tokens_at(&param, &scope.package, scope.depth, &scope.rt);
        out.tokens(
            quote! {
                pub fn #f(#param: &#ty) -> Result<#rt::SearchAttributeValues, #rt::MappingError> #body
            },
            what,
        )?;
    }
    Ok(())
}

/// An ID function of a workflow or an update, before it is written.
struct IdFunction<'a> {
    /// Its name.
    f: Ident,
    /// Its doc.
    doc: String,
    /// The input of the method it gives the ID of.
    input: &'a Payload,
    /// The ID expression.
    compiled: &'a CompiledTemplate,
}

/// An ID function: its doc as text, the function as tokens (its body is
/// the compiled template's).
fn id_function(
    out: &mut Code,
    scope: &Scope,
    id: IdFunction<'_>,
    what: &dyn Fn() -> String,
) -> Result<(), Error> {
    let rt = &scope.rt;
    let f = &id.f;
    let (param, arg) = id_param(scope, id.input, id.compiled);
    let env = env_ident(id.compiled);
    let body = id
        .compiled
        .to_tokens_at(&arg, &quote!(#env), &scope.package, scope.depth, rt);
    out.doc(None, &[id.doc]);
    out.tokens(
        quote! {
            pub fn #f(#param, #env: &dyn #rt::IdEnv) -> Result<String, #rt::EvalError> #body
        },
        what,
    )
}

/// `env`, or `_env` when the template draws nothing from the environment.
fn env_ident(compiled: &CompiledTemplate) -> Ident {
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
    compiled: &CompiledTemplate,
) -> (TokenStream, TokenStream) {
    let ty = scope.value_type(input);
    match input {
        Payload::Message(_) if compiled.uses_input() => (quote!(input: &#ty), quote!(input)),
        _ => (quote!(_input: &#ty), quote!(_input)),
    }
}

/// `const {name}: Option<rt::{ty}<Input>> = Some(f);`, the constant that
/// hands a marker's ID or search-attribute function to the runtime.
fn fn_const(out: &mut Code, scope: &Scope, name: &str, ty: &str, input: &Payload, f: &Ident) {
    let head = format!(
        "const {name}: Option<{}::{ty}<{}>>",
        scope.rt_text(),
        path_text(&scope.fn_input(input))
    );
    out.assign(&head, &format!("Some({f})"));
}

/// The runtime's `IdReusePolicy` value.
fn reuse_policy(scope: &Scope, p: IdReusePolicy) -> String {
    let variant = match p {
        IdReusePolicy::AllowDuplicate => "AllowDuplicate",
        IdReusePolicy::AllowDuplicateFailedOnly => "AllowDuplicateFailedOnly",
        IdReusePolicy::RejectDuplicate => "RejectDuplicate",
        IdReusePolicy::TerminateIfRunning => "TerminateIfRunning",
    };
    format!("{}::IdReusePolicy::{variant}", scope.rt_text())
}

/// `Some(true)` when `flag` is set.
fn set_flag(flag: bool) -> Option<Value> {
    flag.then(|| Value::Expr("true".to_string()))
}

/// The `ProtoWorkflow` impl: the workflow's proto defaults, ID and
/// search-attribute functions.
fn workflow_defaults(out: &mut Code, scope: &Scope, service: &Service, w: &Workflow) {
    let rt = scope.rt_text();
    let name_const = n::name_const(&w.method.name, "workflow");
    let value = v::set_fields(
        format!("{rt}::WorkflowDefaults"),
        [
            (
                "task_queue",
                task_queue_default(service, w.task_queue.as_deref()),
            ),
            (
                "execution_timeout",
                w.execution_timeout.map(v::some_duration),
            ),
            ("run_timeout", w.run_timeout.map(v::some_duration)),
            ("task_timeout", w.task_timeout.map(v::some_duration)),
            (
                "id_reuse_policy",
                w.id_reuse_policy
                    .map(|p| v::some_expr(reuse_policy(scope, p))),
            ),
            (
                "id_conflict_policy",
                w.id_conflict_policy
                    .map(|p| v::some_expr(v::conflict_policy(scope, p))),
            ),
            (
                "retry_policy",
                w.retry_policy.as_ref().map(|r| v::some(v::retry(scope, r))),
            ),
            ("enable_eager_start", set_flag(w.enable_eager_start)),
            (
                "parent_close_policy",
                v::parent_close(scope, w.parent_close_policy).map(v::some_expr),
            ),
            ("wait_for_cancellation", set_flag(w.wait_for_cancellation)),
            (
                "priority",
                w.priority.as_ref().map(|p| v::priority(scope, p)),
            ),
        ],
        format!("{rt}::WorkflowDefaults::new({name_const})"),
        true,
    );
    let marker = n::workflow_marker(&w.method.name);
    out.open_impl(&format!("impl {rt}::ProtoWorkflow"), &marker.to_string());
    out.assign_value(&format!("const DEFAULTS: {rt}::WorkflowDefaults"), &value);
    if w.id.is_some() {
        let f = id_fn(&w.method.name, "workflow");
        fn_const(out, scope, "ID", "IdFn", &w.method.input, &f);
    }
    if w.search_attributes.is_some() {
        let f = n::search_attributes_fn(&w.method.name);
        fn_const(
            out,
            scope,
            "SEARCH_ATTRIBUTES",
            "SearchAttributesFn",
            &w.method.input,
            &f,
        );
    }
    out.close();
}

/// Name constant, marker and proto defaults of an activity.
fn activity(out: &mut Code, scope: &Scope, service: &Service, a: &model::Activity) {
    let rt = scope.rt_text();
    let m = &a.method;
    let name = n::name_const(&m.name, "activity");
    let value = v::set_fields(
        format!("{rt}::ActivityDefaults"),
        [
            (
                "task_queue",
                task_queue_default(service, a.task_queue.as_deref()),
            ),
            (
                "schedule_to_close_timeout",
                a.schedule_to_close_timeout.map(v::some_duration),
            ),
            (
                "schedule_to_start_timeout",
                a.schedule_to_start_timeout.map(v::some_duration),
            ),
            (
                "start_to_close_timeout",
                a.start_to_close_timeout.map(v::some_duration),
            ),
            (
                "heartbeat_timeout",
                a.heartbeat_timeout.map(v::some_duration),
            ),
            (
                "retry_policy",
                a.retry_policy.as_ref().map(|r| v::some(v::retry(scope, r))),
            ),
            ("wait_for_cancellation", set_flag(a.wait_for_cancellation)),
            (
                "priority",
                a.priority.as_ref().map(|p| v::priority(scope, p)),
            ),
        ],
        format!("{rt}::ActivityDefaults::new({name})"),
        true,
    );
    let marker = n::activity_marker(&m.name);
    name_const(
        out,
        format!("Temporal activity type name of {}.", code(&m.full_name)),
        m,
        &name,
        &a.name,
    );
    marker_struct(
        out,
        m.comments.as_deref(),
        format!(
            "Definition marker of the {} activity (type name {}).",
            code(&m.name),
            code(&a.name)
        ),
        deprecated_attr(m).as_deref(),
        &marker,
    );
    definition_impl(
        out,
        &format!("{rt}::ActivityDefinition"),
        &marker,
        None,
        &path_text(&scope.input_type(&m.input)),
        Some(&path_text(&scope.output_type(&m.output))),
        &name.to_string(),
    );
    out.open_impl(&format!("impl {rt}::ProtoActivity"), &marker.to_string());
    out.assign_value(&format!("const DEFAULTS: {rt}::ActivityDefaults"), &value);
    out.close();
}

/// Name constant and own marker of a query, signal or update.
fn handler(
    out: &mut Code,
    scope: &Scope,
    model: &Model,
    service: &Service,
    kind: HandlerKind,
    method: &model::Method,
    name: &str,
) {
    let target = model::HandlerRef {
        service: service.full_name.clone(),
        method: method.name.clone(),
    };
    let name_ident = n::name_const(&method.name, kind.word());
    name_const(
        out,
        format!(
            "Temporal {} name of {}.",
            kind.word(),
            code(&method.full_name)
        ),
        method,
        &name_ident,
        name,
    );
    let bound = path_text(&handlers::bound_workflow(scope, model, &target));
    let bound_doc = match model.primary_workflow(&target) {
        Some((_, w)) => format!("Bound to the {} workflow.", code(&w.method.name)),
        None => {
            "No workflow declares it, so it is bound to the SDK's untyped workflow.".to_string()
        }
    };
    let marker = n::own_marker(&method.name, kind);
    marker_struct(
        out,
        method.comments.as_deref(),
        format!(
            "Definition marker of the {} {} (name {}). {bound_doc}",
            code(&method.name),
            kind.word(),
            code(name)
        ),
        deprecated_attr(method).as_deref(),
        &marker,
    );
    marker_impl(
        out,
        scope,
        kind,
        &marker,
        &bound,
        method,
        &name_ident.to_string(),
    );
}

/// The signals and updates the proto lets start workflow `w` (`start:
/// true` on its refs): `StartingSignal` and `StartingUpdate` impls, which
/// the runtime's signal- and update-with-start calls require.
fn starting_handlers(
    out: &mut Code,
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &Workflow,
) {
    let rt = scope.rt_text();
    let workflow = n::workflow_marker(&w.method.name);
    let marker = |target, kind| {
        path_text(&handlers::marker_for(
            scope, model, service, w, target, kind,
        ))
    };
    for s in w.signals.iter().filter(|s| s.start) {
        if handlers::find(model, &s.target, HandlerKind::Signal).is_some() {
            out.empty_impl(
                &format!("impl {rt}::StartingSignal<{workflow}>"),
                &marker(&s.target, HandlerKind::Signal),
            );
        }
    }
    for u in w.updates.iter().filter(|u| u.start) {
        if handlers::find(model, &u.target, HandlerKind::Update).is_none() {
            continue;
        }
        let head = format!("impl {rt}::StartingUpdate<{workflow}>");
        let ty = marker(&u.target, HandlerKind::Update);
        match u.conflict_policy.filter(|p| *p != IdConflictPolicy::Fail) {
            None => out.empty_impl(&head, &ty),
            Some(p) => {
                out.open_impl(&head, &ty);
                out.assign(
                    &format!("const CONFLICT_POLICY: {rt}::WorkflowIdConflictPolicy"),
                    &v::conflict_policy(scope, p),
                );
                out.close();
            }
        }
    }
}

/// Markers for handlers this workflow declares but is not the primary
/// workflow of (the handler is shared by several workflows).
fn secondary_markers(
    out: &mut Code,
    scope: &Scope,
    model: &Model,
    service: &Service,
    w: &Workflow,
) {
    let rt = scope.rt_text();
    let wmarker = n::workflow_marker(&w.method.name).to_string();
    for (kind, target, handler_service, h) in handlers::secondary_refs(model, service, w) {
        let marker = n::secondary_marker(&w.method.name, &target.method, kind);
        let name_const_ident = n::name_const(&target.method, kind.word());
        let name_const = if handler_service.full_name == service.full_name {
            name_const_ident.to_string()
        } else {
            path_text(&scope.in_service(
                &handler_service.full_name,
                &handler_service.package,
                &quote!(#name_const_ident),
            ))
        };
        marker_struct(
            out,
            None,
            format!(
                "Definition marker of the {} {} as declared by the {} workflow.",
                code(&h.name),
                kind.word(),
                code(&w.method.name)
            ),
            None,
            &marker,
        );
        marker_impl(out, scope, kind, &marker, &wmarker, h, &name_const);
        if kind == HandlerKind::Update {
            let own = path_text(&scope.item_of(
                service,
                handler_service,
                &n::own_marker(&target.method, kind),
            ));
            let own = format!("<{own} as {rt}::ProtoUpdate>");
            let input = path_text(&scope.fn_input(&h.input));
            out.open_impl(&format!("impl {rt}::ProtoUpdate"), &marker.to_string());
            out.assign(
                &format!("const DEFAULTS: {rt}::UpdateDefaults"),
                &format!("{own}::DEFAULTS"),
            );
            out.assign(
                &format!("const ID: Option<{rt}::IdFn<{input}>>"),
                &format!("{own}::ID"),
            );
            out.close();
        }
    }
}

/// The SDK definition trait impl of a query, signal or update marker,
/// bound to `workflow`.
fn marker_impl(
    out: &mut Code,
    scope: &Scope,
    kind: HandlerKind,
    marker: &Ident,
    workflow: &str,
    method: &model::Method,
    name_const: &str,
) {
    let rt = scope.rt_text();
    let input = path_text(&scope.input_type(&method.input));
    let output = path_text(&scope.output_type(&method.output));
    let (trait_name, output) = match kind {
        HandlerKind::Query => ("QueryDefinition", Some(output.as_str())),
        HandlerKind::Signal => ("SignalDefinition", None),
        HandlerKind::Update => ("UpdateDefinition", Some(output.as_str())),
    };
    definition_impl(
        out,
        &format!("{rt}::{trait_name}"),
        marker,
        Some(workflow),
        &input,
        output,
        name_const,
    );
}

/// Update defaults and ID function.
fn update_extras(
    out: &mut Code,
    scope: &Scope,
    u: &model::Update,
    what: &dyn Fn() -> String,
) -> Result<(), Error> {
    let rt = scope.rt_text();
    let method = &u.method.name;
    let stage = match u.wait_for_stage {
        WaitStage::Admitted => "Admitted",
        WaitStage::Accepted => "Accepted",
        WaitStage::Completed => "Completed",
    };
    let marker = n::own_marker(method, HandlerKind::Update);
    let defaults = Value::Struct {
        ty: format!("{rt}::UpdateDefaults"),
        fields: vec![
            (
                "name",
                Value::Expr(n::name_const(method, "update").to_string()),
            ),
            (
                "wait_for_stage",
                Value::Expr(format!("{rt}::WaitStage::{stage}")),
            ),
        ],
        base: None,
    };
    out.open_impl(&format!("impl {rt}::ProtoUpdate"), &marker.to_string());
    out.assign_value(&format!("const DEFAULTS: {rt}::UpdateDefaults"), &defaults);
    let id = u.id.as_ref().map(|(template, compiled)| IdFunction {
        f: id_fn(method, "update"),
        doc: format!(
            "Update ID of {} from its ID expression {}.",
            code(method),
            code(template)
        ),
        input: &u.method.input,
        compiled,
    });
    if let Some(id) = &id {
        fn_const(out, scope, "ID", "IdFn", &u.method.input, &id.f);
    }
    out.close();

    out.doc(
        None,
        &[format!("Handle of an accepted {} update.", code(method))],
    );
    out.assign(
        &format!("pub type {}", n::update_handle(method)),
        &format!("{rt}::UpdateHandle<{marker}>"),
    );
    match id {
        Some(id) => id_function(out, scope, id, what),
        None => Ok(()),
    }
}

// Token builders of proto defaults, still used by xns.rs until it writes
// text (see `values.rs` for their text versions).
