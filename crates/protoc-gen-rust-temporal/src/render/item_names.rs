//! The name of every item the generator writes, in one place: the
//! renderers take their identifiers from these functions, and so does the
//! name clash check ([`super::name_check`]), which therefore sees exactly
//! the names the output declares. Code that drives generated code from the
//! model (the Go peer tests' client driver and name tables) uses them too.
//!
//! Where a method's item would take a name that a generated type or module
//! always has (a workflow `New` and the client's `new`, a signal `Cancel`
//! and a run handle's `cancel`), the method's item gets its kind as a
//! suffix instead (`new_workflow`, `cancel_signal`); the reserved names are
//! the `*_METHODS` / `*_FUNCTIONS` lists below. Every other collision is a
//! generation error.

use proc_macro2::Ident;
use quote::format_ident;

pub use super::handlers::HandlerKind;
use crate::model::{HandlerRef, Method, Model, Service, Workflow};
use crate::names;

fn snake(s: &str) -> String {
    names::snake_case(s)
}

fn shouty(s: &str) -> String {
    names::shouty_snake_case(s)
}

/// An identifier's text without its keyword escape (`r#type` -> `type`,
/// `self_` -> `self`), to compose other names from.
pub fn text(ident: &Ident) -> String {
    names::unescaped(ident)
}

/// `<base>_async`: the variant of a call that returns a handle.
pub fn async_ident(base: &Ident) -> Ident {
    format_ident!("{}_async", text(base))
}

/// `snake(method)`, or `<snake>_<word>` when that is one of `reserved`.
fn escaped(method: &str, word: &str, reserved: &[&str]) -> Ident {
    let sn = snake(method);
    if reserved.contains(&sn.as_str()) {
        format_ident!("{sn}_{word}")
    } else {
        names::snake(method)
    }
}

// ---------------------------------------------------------------------
// The package module.

/// Module name of a service: `example_temporal`.
pub fn service_module(service_name: &str) -> Ident {
    names::snake(&format!("{}_temporal", snake(service_name)))
}

/// `rt`: the name a service module imports the runtime prelude under.
pub fn runtime_alias() -> Ident {
    format_ident!("rt")
}

// ---------------------------------------------------------------------
// Constants, markers and ID functions (definitions).

/// `EXAMPLE_TASK_QUEUE`.
pub fn task_queue_const(service: &Service) -> Ident {
    format_ident!("{}_TASK_QUEUE", shouty(&service.name))
}

/// Constant holding a Temporal name: `CREATE_FOO_WORKFLOW_NAME`.
pub fn name_const(method: &str, kind: &str) -> Ident {
    format_ident!("{}_{}_NAME", shouty(method), kind.to_uppercase())
}

/// `CREATE_FOO_WORKFLOW_ALIASES`: the extra type names of a workflow with
/// aliases.
pub fn aliases_const(method: &str) -> Ident {
    format_ident!("{}_WORKFLOW_ALIASES", shouty(method))
}

/// `create_foo_workflow_id` / `update_foo_progress_update_id`.
pub fn id_fn(method: &str, kind: &str) -> Ident {
    format_ident!("{}_{}_id", snake(method), kind)
}

/// `create_foo_search_attributes`: a workflow's search attribute mapping.
pub fn search_attributes_fn(method: &str) -> Ident {
    format_ident!("{}_search_attributes", snake(method))
}

/// Marker type of a workflow: `CreateFooWorkflow`.
pub fn workflow_marker(method: &str) -> Ident {
    names::camel(&format!("{method}Workflow"))
}

/// Marker type of an activity: `NotifyActivity`.
pub fn activity_marker(method: &str) -> Ident {
    names::camel(&format!("{method}Activity"))
}

/// Marker type of a handler in its own service's module: `GetFooProgressQuery`.
pub fn own_marker(method: &str, kind: HandlerKind) -> Ident {
    names::camel(&format!("{method}{}", kind.suffix()))
}

/// Marker of a handler bound to a workflow that is not its primary one:
/// `CreateBarGetFooProgressQuery`, declared in the workflow's module.
pub fn secondary_marker(workflow: &str, method: &str, kind: HandlerKind) -> Ident {
    names::camel(&format!("{workflow}{method}{}", kind.suffix()))
}

/// `UpdateFooProgressHandle`: the handle type of an update.
pub fn update_handle(method: &str) -> Ident {
    format_ident!("{}Handle", text(&names::camel(method)))
}

// ---------------------------------------------------------------------
// The client and its run handles.

/// Methods every client declares itself.
pub const CLIENT_OWN_METHODS: &[&str] = &["new"];

/// Methods of the runtime's `ProtoClient`, which every client dereferences
/// to: generated methods avoid them.
pub const PROTO_CLIENT_METHODS: &[&str] = &[
    "client",
    "start",
    "execute",
    "get",
    "signal_with_start",
    "execute_signal_with_start",
    "update_with_start",
    "execute_update_with_start",
    "query",
    "signal",
    "update",
    "update_async",
    "cancel_workflow",
    "terminate_workflow",
    "terminate_workflow_with",
];

/// `ExampleClient`.
pub fn client_ident(service: &Service) -> Ident {
    names::camel(&format!("{}Client", service.name))
}

/// `create_foo`: the client method that runs a workflow to its result
/// (`new_workflow` for a workflow `New`, `query_workflow` for `Query`).
pub fn execute_ident(method: &str) -> Ident {
    escaped(
        method,
        "workflow",
        &[CLIENT_OWN_METHODS, PROTO_CLIENT_METHODS].concat(),
    )
}

/// `create_foo_async`: the client method that starts a workflow and
/// returns its run handle.
pub fn start_ident(method: &str) -> Ident {
    async_ident(&execute_ident(method))
}

/// `get_create_foo`: the client method (and `xns` function) that attaches
/// to an existing workflow.
pub fn attach_ident(method: &str) -> Ident {
    format_ident!("get_{}", snake(method))
}

/// `CreateFooRun`: the client's (and the `xns` module's) run handle type of a workflow.
pub fn run_ident(method: &str) -> Ident {
    names::camel(&format!("{method}Run"))
}

// ---------------------------------------------------------------------
// Worker-side contracts and registration.

/// Trait methods every workflow contract has; handlers avoid these names.
pub const CONTRACT_METHODS: &[&str] = &["new", "run"];

/// `CreateFooWorkflowImpl`.
pub fn contract_trait(method: &str) -> Ident {
    names::camel(&format!("{method}WorkflowImpl"))
}

/// `CreateFooContext`.
pub fn context_ident(method: &str) -> Ident {
    names::camel(&format!("{method}Context"))
}

/// `register_create_foo_workflow`.
pub fn register_workflow_fn(method: &str) -> Ident {
    format_ident!("register_{}_workflow", snake(method))
}

/// `register_example_workflows`.
pub fn register_workflows_fn(service: &Service) -> Ident {
    format_ident!("register_{}_workflows", snake(&service.name))
}

/// `CreateFooImpl`: the type parameter of a workflow in
/// [`register_workflows_fn`] (its bounds are written `self::...`, so it
/// shadows nothing they name).
pub fn impl_param(method: &str) -> Ident {
    names::camel(&format!("{method}Impl"))
}

/// One handler method of a workflow contract.
pub struct ContractMethod<'m> {
    /// The ref it implements.
    pub target: &'m HandlerRef,
    pub kind: HandlerKind,
    /// The service declaring the handler.
    pub owner: &'m Service,
    pub method: &'m Method,
    /// The trait method.
    pub f: Ident,
    /// The validator trait method (updates with `validate`).
    pub validator: Option<Ident>,
}

/// The handler methods of `w`'s contract trait, in declaration order (queries,
/// signals, updates). Names are unique within the trait: a name taken (by
/// the trait's own methods or an earlier handler) gets the kind as a
/// suffix, then a number (`cancel_signal`, `look_query_2`).
pub fn contract_methods<'m>(model: &'m Model, w: &'m Workflow) -> Vec<ContractMethod<'m>> {
    let mut taken: std::collections::BTreeSet<String> =
        CONTRACT_METHODS.iter().map(|s| s.to_string()).collect();
    let mut claim = |base: &str, kind: &str| {
        let mut name = base.to_string();
        if taken.contains(&name) {
            name = format!("{base}_{kind}");
        }
        let mut n = 2;
        while taken.contains(&name) {
            name = format!("{base}_{kind}_{n}");
            n += 1;
        }
        taken.insert(name.clone());
        names::snake(&name)
    };
    let mut out = Vec::new();
    for (target, kind, validate) in workflow_refs(w) {
        let Some((owner, method)) = super::handlers::find(model, target, kind) else {
            continue;
        };
        let f = claim(&snake(&method.name), kind.word());
        let validator = validate.then(|| claim(&format!("validate_{}", text(&f)), "update"));
        out.push(ContractMethod {
            target,
            kind,
            owner,
            method,
            f,
            validator,
        });
    }
    out
}

/// The handler refs of a workflow: queries, signals, then updates (with
/// whether the update is validated).
pub fn workflow_refs(w: &Workflow) -> impl Iterator<Item = (&HandlerRef, HandlerKind, bool)> {
    w.queries
        .iter()
        .map(|q| (&q.target, HandlerKind::Query, false))
        .chain(
            w.signals
                .iter()
                .map(|s| (&s.target, HandlerKind::Signal, false)),
        )
        .chain(
            w.updates
                .iter()
                .map(|u| (&u.target, HandlerKind::Update, u.validate)),
        )
}

/// `ExampleActivities`.
pub fn activities_trait(service: &Service) -> Ident {
    names::camel(&format!("{}Activities", service.name))
}

/// `register_example_activities`.
pub fn register_activities_fn(service: &Service) -> Ident {
    format_ident!("register_{}_activities", snake(&service.name))
}

/// `notify`: an activity's method in the activities trait.
pub fn activity_method(method: &str) -> Ident {
    names::snake(method)
}

// ---------------------------------------------------------------------
// Workflow-side helpers.

/// `notify_activity`: calls an activity from a workflow.
pub fn activity_call_fn(method: &str) -> Ident {
    format_ident!("{}_activity", snake(method))
}

/// `notify_local_activity`: calls an activity as a local activity.
pub fn local_activity_call_fn(method: &str) -> Ident {
    format_ident!("{}_local_activity", snake(method))
}

/// `create_foo_child`: runs a workflow as a child.
pub fn child_fn(method: &str) -> Ident {
    format_ident!("{}_child", snake(method))
}

/// `CreateFooChild`: a started child workflow.
pub fn child_ident(method: &str) -> Ident {
    names::camel(&format!("{method}Child"))
}

/// `set_status_external`: signals an external workflow.
pub fn external_signal_fn(method: &str) -> Ident {
    format_ident!("{}_external", snake(method))
}

// ---------------------------------------------------------------------
// The `xns` module.

/// The `xns` submodule of a service module.
pub fn xns_module() -> Ident {
    format_ident!("xns")
}

/// Runtime items the `xns` module re-exports.
pub const XNS_IMPORTS: &[&str] = &[
    "CallOptions",
    "WorkflowCallOptions",
    "XnsCall",
    "XnsError",
    "XnsRegistration",
];

/// The runtime's calls by marker that the `xns` module re-exports: by
/// workflow ID, with-start, and cancellation by workflow ID.
pub const XNS_REEXPORTED_FUNCTIONS: &[&str] = &[
    "query",
    "signal",
    "update",
    "signal_with_start",
    "execute_signal_with_start",
    "update_with_start",
    "update_with_start_async",
    "cancel_workflow",
];

/// `create_foo`: the `xns` function that runs a workflow to its result
/// (`cancel_workflow_workflow` for a workflow `CancelWorkflow`).
pub fn xns_execute_ident(method: &str) -> Ident {
    escaped(method, "workflow", XNS_REEXPORTED_FUNCTIONS)
}

/// `create_foo_async`: the `xns` function that starts a workflow and
/// returns its run handle.
pub fn xns_start_ident(method: &str) -> Ident {
    async_ident(&xns_execute_ident(method))
}

/// `register_example_xns_activities`.
pub fn xns_register_fn(service: &Service) -> Ident {
    format_ident!("register_{}_xns_activities", snake(&service.name))
}

#[cfg(test)]
mod tests {

    #[test]
    fn names_composed_from_a_keyword_do_not_carry_its_escape() {
        // A method `Self` (found by the fuzz harness): its own items are
        // `Self_` / `self_`, the composed ones `SelfHandle` / `self_async`,
        // which rustc's case lints accept.
        assert_eq!(update_handle("Self").to_string(), "SelfHandle");
        assert_eq!(async_ident(&names::snake("self")).to_string(), "self_async");
        assert_eq!(async_ident(&names::snake("type")).to_string(), "type_async");
        assert_eq!(names::unescaped(&names::camel("Self")), "Self");
    }

    use super::*;

    #[test]
    fn fixed_names_are_escaped_with_the_kind() {
        assert_eq!(execute_ident("New").to_string(), "new_workflow");
        assert_eq!(execute_ident("Client").to_string(), "client_workflow");
        assert_eq!(execute_ident("CreateFoo").to_string(), "create_foo");
        assert_eq!(
            xns_execute_ident("CancelWorkflow").to_string(),
            "cancel_workflow_workflow"
        );
        assert_eq!(start_ident("Update").to_string(), "update_workflow_async");
        assert_eq!(xns_start_ident("Query").to_string(), "query_workflow_async");
        assert_eq!(start_ident("CreateFoo").to_string(), "create_foo_async");
        assert_eq!(execute_ident("Type").to_string(), "r#type");
        assert_eq!(text(&execute_ident("Type")), "type");
    }
}
