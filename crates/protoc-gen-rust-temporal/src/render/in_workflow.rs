//! Workflow-side helpers of one service: typed activity calls (remote and
//! local), child workflows with a typed handle, and signals to external
//! workflows. All take the calling workflow's context, whatever its type.

use super::code::{Code, End};
use super::docs::{code, deprecated_attr};
use super::handlers::{self, HandlerKind};
use super::item_names as n;
use super::paths::{Scope, input_arg, path_text};
use crate::model::{Activity, Method, Model, Service, Workflow};

/// Everything workflow-side for `service`.
pub fn render(out: &mut Code, scope: &Scope, model: &Model, service: &Service) {
    for a in &service.activities {
        activity(out, scope, a);
    }
    for w in &service.workflows {
        child(out, scope, model, service, w);
    }
    for s in &service.signals {
        external_signal(out, scope, &s.method);
    }
}

/// The parameters of a helper: the calling workflow's context, `between`,
/// then the input's when it has one.
fn params(rt: &str, between: &[&str], input: &Option<String>) -> Vec<String> {
    let mut params = vec![format!("ctx: &{rt}::WorkflowContext<W>")];
    params.extend(between.iter().map(|p| p.to_string()));
    params.extend(input.iter().map(|ty| format!("input: {ty}")));
    params
}

/// The two calls of an activity: as a remote activity and as a local one.
fn activity(out: &mut Code, scope: &Scope, a: &Activity) {
    let rt = scope.rt_text();
    let m = &a.method;
    let marker = n::activity_marker(&m.name).to_string();
    let sets_close = a.schedule_to_close_timeout.is_some() || a.start_to_close_timeout.is_some();
    let close_doc = if sets_close {
        ""
    } else {
        " The proto sets neither a schedule-to-close nor a start-to-close timeout, \
         so the call takes them."
    };
    let input = scope.input_text(&m.input);
    let mut params = params(&rt, &[], &input);
    let mut args = vec!["ctx".to_string(), marker.clone(), input_arg(&input).into()];
    let constructor = if sets_close {
        "new"
    } else {
        params.push(format!("close_timeouts: {rt}::ActivityCloseTimeouts"));
        args.push("close_timeouts".into());
        "with_close_timeouts"
    };
    let calls = [
        (
            n::activity_call_fn(&m.name),
            "ActivityCall",
            "from a workflow",
        ),
        (
            n::local_activity_call_fn(&m.name),
            "LocalActivityCall",
            "as a local activity, in the calling worker's process",
        ),
    ];
    for (f, call, how) in calls {
        out.doc(
            None,
            &[format!(
                "Calls the {} activity {how}; `.await` the call for its result.{close_doc}",
                code(&m.name)
            )],
        );
        out.attr(deprecated_attr(m).as_deref());
        out.signature(
            &format!("pub fn {f}<W>"),
            &params,
            Some(&format!("{rt}::{call}<'_, W, {marker}>")),
            End::Body,
        );
        out.call(&format!("{rt}::{call}::{constructor}"), &args, "");
        out.close();
    }
}

/// The child workflow call of a workflow and its handle type.
fn child(out: &mut Code, scope: &Scope, model: &Model, service: &Service, w: &Workflow) {
    let rt = scope.rt_text();
    let m = &w.method;
    let marker = n::workflow_marker(&m.name).to_string();
    let handle = n::child_ident(&m.name);
    let input = scope.input_text(&m.input);
    let id_doc = match &w.id {
        Some((template, _)) => format!(
            "The child's ID comes from the ID expression {}, evaluated with the \
             workflow's deterministic randomness and time.",
            code(template)
        ),
        None => "The child's ID is a deterministic UUID unless set.".to_string(),
    };
    out.doc(
        None,
        &[format!(
            "Runs the {} workflow as a child of the calling workflow; `.await` \
             the call for its result, or `.start()` it for a [`{handle}`]. {id_doc}",
            code(&m.name)
        )],
    );
    out.attr(deprecated_attr(m).as_deref());
    out.signature(
        &format!("pub fn {}<W>", n::child_fn(&m.name)),
        &params(&rt, &[], &input),
        Some(&format!("{rt}::ChildCall<'_, W, {marker}, {handle}>")),
        End::Body,
    );
    out.call(
        &format!("{rt}::ChildCall::new"),
        &["ctx".into(), marker.clone(), input_arg(&input).into()],
        "",
    );
    out.close();

    let signals: Vec<String> = w
        .signals
        .iter()
        .filter(|s| handlers::find(model, &s.target, HandlerKind::Signal).is_some())
        .map(|s| {
            let marker =
                handlers::marker_for(scope, model, service, w, &s.target, HandlerKind::Signal);
            format!("`{}`", path_text(&marker))
        })
        .collect();
    let mut handle_doc = vec![format!(
        "A started {} child workflow: await its `result`, `cancel` it, and \
         `signal` it with the markers of the signals it declares.",
        code(&m.name)
    )];
    if !signals.is_empty() {
        handle_doc.push(format!("`signal`: {}.", signals.join(", ")));
    }
    out.doc(None, &handle_doc);
    out.assign(
        &format!("pub type {handle}"),
        &format!("{rt}::ChildRun<{marker}>"),
    );
}

/// The call that sends one of the service's signals to another workflow.
fn external_signal(out: &mut Code, scope: &Scope, method: &Method) {
    let rt = scope.rt_text();
    let marker = n::own_marker(&method.name, HandlerKind::Signal).to_string();
    let input = scope.input_text(&method.input);
    out.doc(
        None,
        &[format!(
            "Sends the {} signal from a workflow to the workflow `workflow_id` \
             (its latest run unless `run_id` is given) in the same namespace.",
            code(&method.name)
        )],
    );
    out.attr(deprecated_attr(method).as_deref());
    out.signature(
        &format!("pub fn {}<W>", n::external_signal_fn(&method.name)),
        &params(
            &rt,
            &["workflow_id: impl Into<String>", "run_id: Option<String>"],
            &input,
        ),
        Some(&format!(
            "impl {rt}::Future<Output = Result<(), {rt}::WorkflowSignalError>> + 'static"
        )),
        End::Body,
    );
    out.call(
        &format!("{rt}::signal_external"),
        &[
            "ctx".into(),
            marker,
            "workflow_id".into(),
            "run_id".into(),
            input_arg(&input).into(),
        ],
        "",
    );
    out.close();
}
