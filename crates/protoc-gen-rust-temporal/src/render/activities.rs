//! Worker-side activity contracts: per service a trait with one async
//! method per activity, per activity the impl of the runtime's
//! `ActivityMethod` that names the trait method running it, and one
//! registration call for all of them under the proto names.

use super::code::{Code, End, line};
use super::docs::code;
use super::item_names as n;
use super::literal::str_lit;
use super::paths::{Scope, path_text};
use crate::model::{Payload, Service};

/// The trait, the activity impls and the registration function; nothing
/// when the service has no activities.
pub fn render(out: &mut Code, scope: &Scope, service: &Service) {
    if service.activities.is_empty() {
        return;
    }
    let rt = path_text(&scope.rt);
    let tr = n::activities_trait(service);
    let register = n::register_activities_fn(service);

    out.doc(
        None,
        &[format!(
            "Worker-side contract of the activities of the {} service: implement it \
             and register the implementation with [`{register}`]. Each method runs \
             under the proto's activity name; an `ActivityError` fails the attempt, \
             and the proto's retry policy decides whether it is retried.",
            code(&service.full_name)
        )],
    );
    out.open(&format!("pub trait {tr}: Send + Sync + 'static"));
    for a in &service.activities {
        let m = &a.method;
        out.doc(
            m.comments.as_deref(),
            &[format!(
                "Runs the {} activity (type {}).",
                code(&m.name),
                code(&a.name)
            )],
        );
        let mut params = vec!["&self".to_string(), format!("ctx: {rt}::ActivityContext")];
        if let Some(ty) = scope.input_text(&m.input) {
            params.push(format!("input: {ty}"));
        }
        out.signature(
            &format!("fn {}", n::activity_method(&m.name)),
            &params,
            Some(&future(&rt, scope, &m.output)),
            End::Semicolon,
        );
    }
    out.close();

    for a in &service.activities {
        let m = &a.method;
        out.open_impl(
            &format!("impl<A: {tr}> {rt}::ActivityMethod<A>"),
            &n::activity_marker(&m.name).to_string(),
        );
        let input_ty = scope.input_text(&m.input);
        let params = [
            "activities: &A".to_string(),
            format!("ctx: {rt}::ActivityContext"),
            match &input_ty {
                Some(ty) => format!("input: {ty}"),
                None => "(): ()".to_string(),
            },
        ];
        out.signature(
            "fn call",
            &params,
            Some(&future(&rt, scope, &m.output)),
            End::Body,
        );
        let arg = if input_ty.is_some() { ", input" } else { "" };
        line!(out, "activities.{}(ctx{arg})", n::activity_method(&m.name));
        out.close();
        out.close();
    }

    out.doc(
        None,
        &[format!(
            "Registers every activity of the {} service, implemented by `activities`, \
             on a worker under the proto names. Fails, registering nothing, when one \
             of the names is already registered on `worker` through generated code.",
            code(&service.full_name)
        )],
    );
    out.signature(
        &format!("pub fn {register}<A: {tr}>"),
        &[
            format!("worker: &mut {rt}::WorkerOptions"),
            "activities: A".to_string(),
        ],
        Some(&format!("Result<(), {rt}::ActivityNameClash>")),
        End::Body,
    );
    line!(out, "{rt}::ActivityList::new()");
    for a in &service.activities {
        line!(out, "    .activity({})", n::activity_marker(&a.method.name));
    }
    let owner = str_lit(&format!("the activities of {}", service.full_name));
    line!(out, "    .register(worker, {owner}, activities)");
    out.close();
}

/// The future an activity method returns.
fn future(rt: &str, scope: &Scope, output: &Payload) -> String {
    format!(
        "impl {rt}::Future<Output = Result<{}, {rt}::ActivityError>> + Send",
        path_text(&scope.value_type(output))
    )
}
