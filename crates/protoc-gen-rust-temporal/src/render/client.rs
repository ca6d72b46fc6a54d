//! The typed client of a service and the run handle of each workflow.

use super::code::{Code, End, line};
use super::docs::{code, deprecated_attr, list, query_by_id_example};
use super::handlers::{self, HandlerKind};
use super::item_names::{self as n, client_ident, run_ident, start_ident};
use super::paths::{Scope, input_arg, path_text};
use crate::model::{HandlerRef, Model, Service, Workflow};

/// The client struct and the run handles of a service's workflows.
pub fn render(out: &mut Code, scope: &Scope, model: &Model, service: &Service) {
    let rt = scope.rt_text();
    let ident = client_ident(service);
    out.doc(
        None,
        &[
            format!(
                "Typed client of the {} service: starts and attaches to its workflows.",
                code(&service.full_name)
            ),
            format!(
                "It dereferences to [`ProtoClient`](rt::ProtoClient) for the calls that \
                 take markers: by workflow ID{}, signal- and update-with-start, \
                 `cancel_workflow` and `terminate_workflow`.",
                query_by_id_example(service, "client.query(", ")")
                    .map(|e| format!(" ({e})"))
                    .unwrap_or_default()
            ),
        ],
    );
    out.line("#[derive(Debug, Clone)]");
    line!(out, "pub struct {ident}({rt}::ProtoClient);");

    out.open(&format!("impl {ident}"));
    out.line("/// Wraps a client connected to the namespace the workflows run in.");
    out.open(&format!("pub fn new(client: {rt}::Client) -> Self"));
    out.line("Self(client.into())");
    out.close();
    for w in &service.workflows {
        client_workflow_methods(out, scope, w);
    }
    out.close();

    conversions(out, &rt, &ident.to_string());
    for w in &service.workflows {
        run_type(out, scope, model, service, w);
    }
}

/// The client's `Deref` to the runtime's `ProtoClient` and its
/// conversions from and to the SDK's client.
fn conversions(out: &mut Code, rt: &str, ident: &str) {
    out.open_impl("impl ::core::ops::Deref", ident);
    line!(out, "type Target = {rt}::ProtoClient;");
    out.open(&format!("fn deref(&self) -> &{rt}::ProtoClient"));
    out.line("&self.0");
    out.close();
    out.close();

    out.open_impl(&format!("impl From<{rt}::Client>"), ident);
    out.open(&format!("fn from(client: {rt}::Client) -> Self"));
    out.line("Self::new(client)");
    out.close();
    out.close();

    out.open_impl(&format!("impl From<{ident}>"), &format!("{rt}::Client"));
    out.open(&format!("fn from(client: {ident}) -> Self"));
    out.line("client.0.into()");
    out.close();
    out.close();
}

/// The client's methods of one workflow: run it to its result, start it,
/// attach to a run of it.
fn client_workflow_methods(out: &mut Code, scope: &Scope, w: &Workflow) {
    let rt = scope.rt_text();
    let method = &w.method.name;
    let marker = n::workflow_marker(method).to_string();
    let run = run_ident(method);
    let input = scope.input_text(&w.method.input);
    let arg = input_arg(&input);
    let output = path_text(&scope.value_type(&w.method.output));
    let id_doc =
        w.id.as_ref()
            .map(|(t, _)| format!("The workflow ID defaults to the ID expression {}.", code(t)));
    let dep = deprecated_attr(&w.method);
    let mut params = vec!["&self".to_string()];
    params.extend(input.iter().map(|ty| format!("input: {ty}")));
    params.push(format!("options: {rt}::StartOptions"));

    let starts = [
        (
            n::execute_ident(method),
            "waits for its result",
            output,
            "execute",
        ),
        (
            start_ident(method),
            "returns its run handle at once",
            run.to_string(),
            "start",
        ),
    ];
    for (f, what, ok, call) in starts {
        let mut paragraphs = vec![format!("Starts the {} workflow and {what}.", code(method))];
        paragraphs.extend(id_doc.clone());
        out.doc(None, &paragraphs);
        out.attr(dep.as_deref());
        // A plain function returning the runtime's future: the same
        // `.await` for the caller, and no async body of its own for rustc
        // to check.
        out.signature(
            &format!("pub fn {f}"),
            &params,
            Some(&format!(
                "impl {rt}::Future<Output = Result<{ok}, {rt}::ClientError>> + '_"
            )),
            End::Body,
        );
        out.method_call(
            "self.0",
            call,
            &[marker.clone(), arg.into(), "options".into()],
            &[],
        );
        out.close();
    }

    out.doc(
        None,
        &[format!(
            "A run handle on an existing {} workflow; `run_id` pins one run, `None` follows the latest.",
            code(method)
        )],
    );
    out.attr(dep.as_deref());
    out.signature(
        &format!("pub fn {}", n::attach_ident(method)),
        &[
            "&self".into(),
            "workflow_id: impl Into<String>".into(),
            "run_id: Option<String>".into(),
        ],
        Some(&run.to_string()),
        End::Body,
    );
    out.method_call(
        "self.0",
        "get",
        &[marker, "workflow_id".into(), "run_id".into()],
        &[],
    );
    out.close();
}

/// `CreateFooRun`: the generic run handle of the workflow. Its handlers
/// are called with their markers (`run.query(GetFooProgressQuery, ())`);
/// the doc lists them.
fn run_type(out: &mut Code, scope: &Scope, model: &Model, service: &Service, w: &Workflow) {
    let rt = scope.rt_text();
    let method = &w.method.name;
    let mut items = Vec::new();
    let listed = |kind: HandlerKind, call: &str, refs: Vec<&HandlerRef>| -> Option<String> {
        let markers: Vec<String> = refs
            .into_iter()
            .filter(|t| handlers::find(model, t, kind).is_some())
            .map(|t| {
                let m = handlers::marker_for(scope, model, service, w, t, kind);
                format!("`{}`", path_text(&m))
            })
            .collect();
        (!markers.is_empty()).then(|| format!("`{call}`: {}.", markers.join(", ")))
    };
    items.extend(listed(
        HandlerKind::Query,
        "query",
        w.queries.iter().map(|q| &q.target).collect(),
    ));
    items.extend(listed(
        HandlerKind::Signal,
        "signal",
        w.signals.iter().map(|s| &s.target).collect(),
    ));
    items.extend(listed(
        HandlerKind::Update,
        "update` / `update_async",
        w.updates.iter().map(|u| &u.target).collect(),
    ));
    items.extend(listed(
        HandlerKind::Signal,
        "client.signal_with_start",
        w.signals
            .iter()
            .filter(|s| s.start)
            .map(|s| &s.target)
            .collect(),
    ));
    items.extend(listed(
        HandlerKind::Update,
        "client.update_with_start",
        w.updates
            .iter()
            .filter(|u| u.start)
            .map(|u| &u.target)
            .collect(),
    ));
    let mut lines = vec![format!(
        "A run of the {} workflow: `get`, `cancel` and `terminate` it, and call its handlers with their markers.",
        code(method)
    )];
    lines.extend(list(&items));
    out.doc(None, &lines);
    line!(
        out,
        "pub type {} = {rt}::WorkflowRun<{}>;",
        run_ident(method),
        n::workflow_marker(method)
    );
}
