//! The typed client of a service and the run handle of each workflow.

use super::code::{Code, End, line};
use super::docs::{code, deprecated_attr, list, query_by_id_example};
use super::handlers::{self, HandlerKind};
use super::item_names::{self as n, client_ident, run_ident, start_ident};
use super::paths::{Scope, path_text};
use crate::model::{HandlerRef, Model, Payload, Service, Workflow};

/// rustfmt's `chain_width`: the widest method chain kept on one line.
const CHAIN_WIDTH: usize = 60;
/// rustfmt's `fn_call_width`: the widest argument list kept on one line.
const CALL_WIDTH: usize = 60;

/// The type of an `input` parameter, `None` for Empty (which has no
/// parameter).
pub(super) fn input_type(scope: &Scope, payload: &Payload) -> Option<String> {
    match payload {
        Payload::Empty => None,
        Payload::Message(_) | Payload::WellKnown(_) => Some(path_text(&scope.value_type(payload))),
    }
}

/// The value passed on for an input of type `ty`: `input`, or `()` for
/// Empty.
pub(super) fn input_arg(ty: &Option<String>) -> &'static str {
    if ty.is_some() { "input" } else { "()" }
}

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
    out.open(&format!("impl ::core::ops::Deref for {ident}"));
    line!(out, "type Target = {rt}::ProtoClient;");
    out.open(&format!("fn deref(&self) -> &{rt}::ProtoClient"));
    out.line("&self.0");
    out.close();
    out.close();

    out.open(&format!("impl From<{rt}::Client> for {ident}"));
    out.open(&format!("fn from(client: {rt}::Client) -> Self"));
    out.line("Self::new(client)");
    out.close();
    out.close();

    out.open(&format!("impl From<{ident}> for {rt}::Client"));
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
    let input = input_type(scope, &w.method.input);
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
        out.signature(
            &format!("pub async fn {f}"),
            &params,
            Some(&format!("Result<{ok}, {rt}::ClientError>")),
            End::Body,
        );
        self_call(
            out,
            call,
            &[marker.clone(), arg.into(), "options".into()],
            true,
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
    self_call(
        out,
        "get",
        &[marker, "workflow_id".into(), "run_id".into()],
        false,
    );
    out.close();
}

/// `self.0.method(args)`, with `.await` when `awaited`, laid out as rustfmt
/// lays out a method chain: on one line when it is no wider than its chain
/// width, else one element per line, the arguments one per line when they
/// do not fit either.
fn self_call(out: &mut Code, method: &str, args: &[String], awaited: bool) {
    let joined = args.join(", ");
    let awaits = if awaited { ".await" } else { "" };
    let chain = format!("self.0.{method}({joined}){awaits}");
    if chain.len() <= CHAIN_WIDTH {
        out.line(&chain);
        return;
    }
    out.line("self.0");
    // The body is three levels in (a method of an impl in the service
    // module): an element of at most the call width always fits the line.
    if joined.len() <= CALL_WIDTH {
        line!(out, "    .{method}({joined})");
    } else {
        line!(out, "    .{method}(");
        for a in args {
            line!(out, "        {a},");
        }
        out.line("    )");
    }
    if awaited {
        out.line("    .await");
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn called(args: &[&str]) -> String {
        let mut c = Code::new(3);
        let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
        self_call(&mut c, "execute", &args, true);
        c.finish()
    }

    #[test]
    fn a_short_chain_stays_on_one_line() {
        assert_eq!(
            called(&["W", "input", "options"]),
            "            self.0.execute(W, input, options).await\n"
        );
    }

    #[test]
    fn a_long_chain_takes_one_element_per_line() {
        let marker = "W".repeat(30);
        assert_eq!(
            called(&[&marker, "input", "options"]),
            format!(
                "            self.0\n                .execute({marker}, input, options)\n                .await\n"
            )
        );
    }

    #[test]
    fn wide_arguments_go_one_per_line() {
        let marker = "W".repeat(60);
        assert_eq!(
            called(&[&marker, "input"]),
            format!(
                "            self.0\n                .execute(\n                    {marker},\n                    input,\n                )\n                .await\n"
            )
        );
    }
}
