//! Worker-side workflow contracts: per workflow a trait with the run entry
//! and one method per declared handler, the impl of the runtime's
//! `WorkflowContract` on the workflow's marker that lists which trait
//! method runs which handler (the runtime's `Host` does the dispatch), and
//! registration functions (per workflow and per service) under the proto
//! name and every alias.

use proc_macro2::Ident;

use super::code::{Code, End, line};
use super::docs::code;
use super::handlers::HandlerKind;
use super::item_names::{self as n, context_ident};
use super::paths::{Scope, path_text};
use crate::model::{Method, Model, Payload, Service, Workflow};

/// One handler as the contract sees it.
struct Handler<'a> {
    kind: HandlerKind,
    method: &'a Method,
    /// Path of the marker this workflow uses for it.
    marker: String,
    /// Trait method.
    f: Ident,
    /// Validator trait method (updates with `validate`).
    validator: Option<Ident>,
}

/// The handlers `w` declares, with the marker it uses for each.
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
            marker: path_text(&super::handlers::marker_for(
                scope, model, service, w, m.target, m.kind,
            )),
            f: m.f,
            validator: m.validator,
        })
        .collect()
}

/// `params`, then `input: T` (`input: &T` when `by_ref`) for a message.
fn with_input(
    mut params: Vec<String>,
    scope: &Scope,
    payload: &Payload,
    by_ref: bool,
) -> Vec<String> {
    if let Some(ty) = scope.input_text(payload) {
        let amp = if by_ref { "&" } else { "" };
        params.push(format!("input: {amp}{ty}"));
    }
    params
}

/// Everything worker-side for the workflows of `service`.
pub fn render(out: &mut Code, scope: &Scope, model: &Model, service: &Service) {
    for w in &service.workflows {
        workflow(out, scope, model, service, w);
    }
    service_registration(out, scope, service);
}

/// The trait, context alias, contract impl and registration function of
/// one workflow.
fn workflow(out: &mut Code, scope: &Scope, model: &Model, service: &Service, w: &Workflow) {
    let rt = scope.rt_text();
    let method = &w.method.name;
    let tr = n::contract_trait(method);
    let ctx = context_ident(method);
    let register = n::register_workflow_fn(method);
    let marker = n::workflow_marker(method);
    let handlers = declared(scope, model, service, w);

    contract_trait(out, scope, w, &handlers);

    out.doc(
        None,
        &[format!(
            "Workflow context of the {} workflow, given to its run and handler methods.",
            code(method)
        )],
    );
    out.assign(
        &format!("pub type {ctx}<W>"),
        &format!("{rt}::WorkflowContext<{rt}::Host<{marker}, W>>"),
    );

    contract_impl(out, scope, w, &handlers);

    out.doc(
        None,
        &[format!(
            "Registers `W` as the {} workflow on a worker or replayer, under {} and \
             each alias.",
            code(method),
            code(&w.name)
        )],
    );
    registration_fn(
        out,
        scope,
        &format!("pub fn {register}"),
        &[format!("W: {tr}")],
    );
    line!(out, "{rt}::register_workflow::<{marker}, W>(registry)");
    out.close();
}

/// `pub trait CreateFooWorkflowImpl`: `new`, `run` and one method per
/// handler (and validator).
fn contract_trait(out: &mut Code, scope: &Scope, w: &Workflow, handlers: &[Handler<'_>]) {
    let rt = scope.rt_text();
    let method = &w.method.name;
    let ctx = context_ident(method);
    let register = n::register_workflow_fn(method);
    let mut trait_lines = vec![format!(
        "Worker-side contract of the {} workflow (type {}): implement it on the \
         workflow's state and register the implementation with [`{register}`]. \
         The compiler checks every handler the proto declares against this trait.",
        code(method),
        code(&w.name)
    )];
    trait_lines.extend(handler_guide(handlers));
    out.doc(w.method.comments.as_deref(), &trait_lines);
    out.open(&format!(
        "pub trait {}: Sized + 'static",
        n::contract_trait(method)
    ));
    out.line("/// Creates the workflow state from the start input. Runs before the");
    out.line("/// workflow and before any handler, so signals and updates sent with");
    out.line("/// the start see it.");
    out.signature(
        "fn new",
        &with_input(
            vec![format!("ctx: &{rt}::WorkflowContextView")],
            scope,
            &w.method.input,
            false,
        ),
        Some("Self"),
        End::Semicolon,
    );
    out.line("/// The workflow's main routine; its result is the workflow's result.");
    out.line("/// To continue as new, return");
    out.line("/// `xns_runtime::worker::continue_as_new(&ctx, input)`.");
    out.signature(
        "fn run",
        &[format!("ctx: {ctx}<Self>")],
        Some(&run_future(scope, &w.method.output)),
        End::Semicolon,
    );
    for h in handlers {
        handler_method(out, scope, &ctx, h);
    }
    out.close();
}

/// The trait method of one handler, and its validator's.
fn handler_method(out: &mut Code, scope: &Scope, ctx: &Ident, h: &Handler<'_>) {
    let rt = scope.rt_text();
    let m = h.method;
    let out_ty = path_text(&scope.value_type(&m.output));
    let handler_result = |ty: &str| format!("Result<{ty}, {rt}::HandlerError>");
    let view = || {
        vec![
            "&self".to_string(),
            format!("ctx: &{rt}::WorkflowContextView"),
        ]
    };
    let what = format!(
        "Handles the {} {} ({}).",
        code(&m.name),
        h.kind.word(),
        code(&m.full_name)
    );
    out.doc(m.comments.as_deref(), &[what]);
    let (params, ret) = match h.kind {
        HandlerKind::Query => (view(), handler_result(&out_ty)),
        HandlerKind::Signal => (
            vec![format!("ctx: {ctx}<Self>")],
            format!("impl {rt}::Future<Output = ()>"),
        ),
        HandlerKind::Update => (
            vec![format!("ctx: {ctx}<Self>")],
            format!("impl {rt}::Future<Output = {}>", handler_result(&out_ty)),
        ),
    };
    out.signature(
        &format!("fn {}", h.f),
        &with_input(params, scope, &m.input, false),
        Some(&ret),
        End::Semicolon,
    );
    if let Some(v) = &h.validator {
        out.doc(
            None,
            &[format!(
                "Validates a {} update before it is accepted; an error rejects \
                 it without a trace in history. Must not change state.",
                code(&m.name)
            )],
        );
        out.signature(
            &format!("fn {v}"),
            &with_input(view(), scope, &m.input, true),
            Some(&handler_result("()")),
            End::Semicolon,
        );
    }
}

/// The future a workflow's run returns.
fn run_future(scope: &Scope, output: &Payload) -> String {
    let rt = scope.rt_text();
    format!(
        "impl {rt}::Future<Output = {rt}::WorkflowResult<{}>>",
        path_text(&scope.value_type(output))
    )
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
fn contract_impl(out: &mut Code, scope: &Scope, w: &Workflow, handlers: &[Handler<'_>]) {
    let rt = scope.rt_text();
    let method = &w.method.name;
    let tr = n::contract_trait(method);
    let marker = n::workflow_marker(method);
    let ctx = context_ident(method);
    out.open_impl(
        &format!("impl<W: {tr}> {rt}::WorkflowContract<W>"),
        &marker.to_string(),
    );
    line!(
        out,
        "const NAME: &'static str = {};",
        n::name_const(method, "workflow")
    );
    if !w.aliases.is_empty() {
        line!(
            out,
            "const ALIASES: &'static [&'static str] = {};",
            n::aliases_const(method)
        );
    }
    let view = format!("ctx: &{rt}::WorkflowContextView");
    let (input, new) = match scope.input_text(&w.method.input) {
        None => ("(): ()".to_string(), "W::new(ctx)"),
        Some(ty) => (format!("input: {ty}"), "W::new(ctx, input)"),
    };
    out.signature("fn init", &[view, input], Some("W"), End::Body);
    out.line(new);
    out.close();
    out.signature(
        "fn run",
        &[format!("ctx: {ctx}<W>")],
        Some(&format!(
            "{} + 'static",
            run_future(scope, &w.method.output)
        )),
        End::Body,
    );
    out.line("W::run(ctx)");
    out.close();
    if !handlers.is_empty() {
        out.open(&format!("fn handlers(h: &mut {rt}::Handlers<Self, W>)"));
        for h in handlers {
            let (f, args) = handler_entry(h);
            out.call(&format!("h.{f}"), &args, ";");
        }
        out.close();
    }
    out.close();
}

/// One call of `handlers`: the `Handlers` method and its arguments, the
/// handler's marker and the trait method that runs it (through a closure
/// that drops the `()` input of an Empty).
fn handler_entry(h: &Handler<'_>) -> (&'static str, Vec<String>) {
    let marker = h.marker.clone();
    let f = &h.f;
    let empty = matches!(h.method.input, Payload::Empty);
    match h.kind {
        HandlerKind::Query if empty => ("query", vec![marker, format!("|w, ctx, ()| w.{f}(ctx)")]),
        HandlerKind::Query => ("query", vec![marker, format!("W::{f}")]),
        HandlerKind::Signal if empty => ("signal", vec![marker, format!("|ctx, ()| W::{f}(ctx)")]),
        HandlerKind::Signal => ("signal", vec![marker, format!("W::{f}")]),
        HandlerKind::Update => {
            let run = if empty {
                format!("|ctx, ()| W::{f}(ctx)")
            } else {
                format!("W::{f}")
            };
            match &h.validator {
                None => ("update", vec![marker, run]),
                Some(v) if empty => (
                    "validated_update",
                    vec![marker, run, format!("|w, ctx, &()| w.{v}(ctx)")],
                ),
                Some(v) => ("validated_update", vec![marker, run, format!("W::{v}")]),
            }
        }
    }
}

/// A registration function `head<generics>(registry) -> Result<..>`,
/// opening its body.
fn registration_fn(out: &mut Code, scope: &Scope, head: &str, generics: &[String]) {
    let rt = scope.rt_text();
    out.signature_with_generics(
        head,
        generics,
        &[format!("registry: &mut impl {rt}::WorkflowRegistry")],
        Some(&format!("Result<(), {rt}::WorkflowRegistrationError>")),
        End::Body,
    );
}

/// `register_example_workflows`: every workflow of the service at once.
fn service_registration(out: &mut Code, scope: &Scope, service: &Service) {
    if service.workflows.is_empty() {
        return;
    }
    let params: Vec<Ident> = service
        .workflows
        .iter()
        .map(|w| n::impl_param(&w.method.name))
        .collect();
    // A parameter `FooWorkflowImpl` (of a workflow `FooWorkflow`) would
    // shadow the trait of a workflow `Foo`: such a bound is written
    // `self::FooWorkflowImpl`.
    let generics: Vec<String> = service
        .workflows
        .iter()
        .zip(&params)
        .map(|(w, p)| {
            let tr = n::contract_trait(&w.method.name);
            let path = if params.contains(&tr) { "self::" } else { "" };
            format!("{p}: {path}{tr}")
        })
        .collect();
    let order = service
        .workflows
        .iter()
        .map(|w| code(&w.method.name))
        .collect::<Vec<_>>()
        .join(", ");
    out.doc(
        None,
        &[format!(
            "Registers an implementation of every workflow of the {} service, \
             in this order of type parameters: {order}.",
            code(&service.full_name)
        )],
    );
    let f = n::register_workflows_fn(service);
    registration_fn(out, scope, &format!("pub fn {f}"), &generics);
    for (w, p) in service.workflows.iter().zip(&params) {
        line!(
            out,
            "{}::<{p}>(registry)?;",
            n::register_workflow_fn(&w.method.name)
        );
    }
    out.line("Ok(())");
    out.close();
}
