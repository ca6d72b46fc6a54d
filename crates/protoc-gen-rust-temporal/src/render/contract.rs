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

/// rustfmt's `max_width`.
const MAX_WIDTH: usize = 100;
/// rustfmt's `fn_call_width`: the widest argument list kept on one line.
const CALL_WIDTH: usize = 60;
const INDENT: &str = "    ";

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

/// The type of a message input, `None` for Empty.
fn input_type(scope: &Scope, payload: &Payload) -> Option<String> {
    match payload {
        Payload::Empty => None,
        Payload::Message(_) | Payload::WellKnown(_) => Some(path_text(&scope.value_type(payload))),
    }
}

/// `params`, then `input: T` (`input: &T` when `by_ref`) for a message.
fn with_input(
    mut params: Vec<String>,
    scope: &Scope,
    payload: &Payload,
    by_ref: bool,
) -> Vec<String> {
    if let Some(ty) = input_type(scope, payload) {
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
    type_alias(
        out,
        scope,
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
    declaration(
        out,
        scope,
        "fn new",
        &with_input(
            vec![format!("ctx: &{rt}::WorkflowContextView")],
            scope,
            &w.method.input,
            false,
        ),
        "Self",
    );
    out.line("/// The workflow's main routine; its result is the workflow's result.");
    out.line("/// To continue as new, return");
    out.line("/// `xns_runtime::worker::continue_as_new(&ctx, input)`.");
    declaration(
        out,
        scope,
        "fn run",
        &[format!("ctx: {ctx}<Self>")],
        &run_future(scope, &w.method.output),
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
    declaration(
        out,
        scope,
        &format!("fn {}", h.f),
        &with_input(params, scope, &m.input, false),
        &ret,
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
        declaration(
            out,
            scope,
            &format!("fn {v}"),
            &with_input(view(), scope, &m.input, true),
            &handler_result("()"),
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
    open_impl(
        out,
        scope,
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
    let (input, new) = match input_type(scope, &w.method.input) {
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
        // In the service module, the impl, then this function.
        let column = (scope.depth + 2) * INDENT.len();
        for h in handlers {
            let (f, args) = handler_entry(h);
            call_overflowing_closure(out, column, &format!("h.{f}"), &args);
        }
        out.close();
    }
    out.close();
}

/// `{head} for {ty} {` on one line when it is no wider than the maximum
/// (rustfmt measures an impl's header without its indentation), else
/// `for {ty}` on a line of its own and the `{` on the next.
fn open_impl(out: &mut Code, scope: &Scope, head: &str, ty: &str) {
    let one_line = format!("{head} for {ty}");
    if one_line.len() + 2 <= MAX_WIDTH {
        out.open(&one_line);
        return;
    }
    // `Code::open` ends its head with ` {`: a head of three lines, the
    // last one column short of the indentation, puts the `{` where
    // rustfmt does.
    let column = scope.depth * INDENT.len();
    out.open(&format!(
        "{head}\n{:column$}{INDENT}for {ty}\n{:short$}",
        "",
        "",
        short = column - 1
    ));
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

/// A statement `head(args);` at `column`, laid out as rustfmt lays it out:
/// as [`Code::call`] does, except that a last argument that is a closure
/// `|..| body` too wide for one line gets its body in a block of its own
/// when the line up to the block's `{` is within the call width.
fn call_overflowing_closure(out: &mut Code, column: usize, head: &str, args: &[String]) {
    let joined = args.join(", ");
    let one_line =
        joined.len() <= CALL_WIDTH && column + head.len() + joined.len() + 3 <= MAX_WIDTH;
    // rustfmt counts one column past the `{` against the call width.
    let block = closure_block(args).filter(|(first, _)| {
        first.len() < CALL_WIDTH && column + head.len() + first.len() + 3 <= MAX_WIDTH
    });
    match block {
        Some((first, body)) if !one_line => {
            out.open(&format!("{head}({}", &first[..first.len() - 2]));
            out.line(body);
            out.close_with(");");
        }
        _ => out.call(head, args, ";"),
    }
}

/// The arguments up to a last closure's `{` (`a, |x| {`) and its body,
/// when the last argument is the only closure.
fn closure_block(args: &[String]) -> Option<(String, &str)> {
    let (last, rest) = args.split_last()?;
    // rustfmt overflows no closure after another.
    if rest.iter().any(|a| a.starts_with('|')) {
        return None;
    }
    let params_len = last.strip_prefix('|')?.find('|')? + 2;
    let (params, body) = last.split_at(params_len);
    let mut before: Vec<&str> = rest.iter().map(String::as_str).collect();
    let opened = format!("{params} {{");
    before.push(&opened);
    Some((before.join(", "), body.trim_start()))
}

/// `name = ty;` on one line when it fits, else broken after the `=` as
/// rustfmt breaks it. `name` is at the service module's items' indentation.
fn type_alias(out: &mut Code, scope: &Scope, name: &str, ty: &str) {
    let column = scope.depth * INDENT.len();
    if column + name.len() + ty.len() + 4 <= MAX_WIDTH {
        line!(out, "{name} = {ty};");
    } else {
        line!(out, "{name} =");
        line!(out, "{INDENT}{ty};");
    }
}

/// A registration function `head<generics>(registry) -> Result<..>`,
/// opening its body: the generics on the line of `head` when that line
/// fits, else one per line, and then the parameter on a line of its own,
/// as rustfmt lays them out.
fn registration_fn(out: &mut Code, scope: &Scope, head: &str, generics: &[String]) {
    let rt = scope.rt_text();
    let params = [format!("registry: &mut impl {rt}::WorkflowRegistry")];
    let ret = format!("Result<(), {rt}::WorkflowRegistrationError>");
    let joined = generics.join(", ");
    let column = scope.depth * INDENT.len();
    // rustfmt keeps the generics on the line when `head<generics>(` and
    // three more columns fit.
    if column + head.len() + joined.len() + 6 <= MAX_WIDTH {
        out.signature(&format!("{head}<{joined}>"), &params, Some(&ret), End::Body);
        return;
    }
    line!(out, "{head}<");
    for g in generics {
        line!(out, "{INDENT}{g},");
    }
    out.line(">(");
    for p in &params {
        line!(out, "{INDENT}{p},");
    }
    out.open(&format!(") -> {ret}"));
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

/// A trait method declaration `head(params) -> ret;`, as
/// [`Code::signature`] writes it, except that a one-line form exactly as
/// wide as the maximum takes `-> ret;` to a line of its own, as rustfmt
/// does (it counts a body's ` {` even after a declaration).
fn declaration(out: &mut Code, scope: &Scope, head: &str, params: &[String], ret: &str) {
    // In the service module's trait.
    let column = (scope.depth + 1) * INDENT.len();
    let joined = params.join(", ");
    if column + head.len() + joined.len() + ret.len() + 7 == MAX_WIDTH {
        line!(out, "{head}({joined})");
        line!(out, "-> {ret};");
    } else {
        out.signature(head, params, Some(ret), End::Semicolon);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The scope of a service module.
    fn scope() -> Scope {
        Scope {
            package: "p".into(),
            runtime: quote::quote!(r),
            rt: quote::quote!(rt),
            depth: 1,
        }
    }

    /// What `write` writes at `depth`.
    fn written(depth: usize, write: impl FnOnce(&mut Code)) -> String {
        let mut out = Code::new(depth);
        write(&mut out);
        out.finish()
    }

    #[test]
    fn a_last_closure_too_wide_for_the_call_gets_a_block() {
        let marker = format!("M{}", "X".repeat(40));
        let args = [marker.clone(), "|w, ctx, ()| w.f(ctx)".to_string()];
        let text = written(3, |out| call_overflowing_closure(out, 12, "h.query", &args));
        assert_eq!(
            text,
            format!(
                "            h.query({marker}, |w, ctx, ()| {{\n                w.f(ctx)\n            }});\n"
            )
        );
    }

    #[test]
    fn a_closure_after_another_is_not_overflowed() {
        let args = [
            format!("M{}", "X".repeat(20)),
            "|ctx, ()| W::a(ctx)".to_string(),
            "|w, ctx, &()| w.v(ctx)".to_string(),
        ];
        let text = written(3, |out| {
            call_overflowing_closure(out, 12, "h.validated_update", &args)
        });
        assert!(
            text.starts_with("            h.validated_update(\n"),
            "{text}"
        );
        assert!(
            text.ends_with("                |w, ctx, &()| w.v(ctx),\n            );\n"),
            "{text}"
        );
    }

    #[test]
    fn long_generics_take_one_line_each() {
        let generics = [format!("A: B{}", "X".repeat(60)), "C: D".to_string()];
        let text = written(1, |out| {
            registration_fn(out, &scope(), "pub fn register_all_workflows", &generics);
            out.close();
        });
        assert!(
            text.starts_with(&format!(
                "    pub fn register_all_workflows<\n        {},\n        C: D,\n    >(\n        registry: &mut impl rt::WorkflowRegistry,\n    ) -> ",
                generics[0]
            )),
            "{text}"
        );
    }

    #[test]
    fn a_long_alias_breaks_after_the_equals_sign() {
        let ty = format!("rt::WorkflowContext<rt::Host<M{}, W>>", "X".repeat(60));
        let text = written(1, |out| type_alias(out, &scope(), "pub type C<W>", &ty));
        assert_eq!(text, format!("    pub type C<W> =\n        {ty};\n"));
    }

    #[test]
    fn a_declaration_exactly_at_the_maximum_moves_its_return_type() {
        let ret = format!("impl rt::Future<Output = {}>", "X".repeat(41));
        let text = written(2, |out| {
            declaration(out, &scope(), "fn run", &["ctx: C<Self>".to_string()], &ret)
        });
        assert_eq!(
            text,
            format!("        fn run(ctx: C<Self>)\n        -> {ret};\n")
        );
    }

    #[test]
    fn a_long_impl_header_breaks_before_for() {
        let head = format!("impl<W: T{}> rt::WorkflowContract<W>", "X".repeat(70));
        let text = written(1, |out| {
            open_impl(out, &scope(), &head, "Marker");
            out.close();
        });
        assert_eq!(
            text,
            format!("    {head}\n        for Marker\n    {{\n    }}\n")
        );
    }
}
