//! Builds and validates the model from the descriptor pool.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::Duration;

use prost_reflect::{DescriptorPool, MessageDescriptor, MethodDescriptor, ServiceDescriptor};

use super::comments;
use super::notices::Notices;
use super::types::*;
use crate::error::Error;
use crate::expr;
use crate::names;
use crate::options::{self, schema};

/// Collects errors so that every problem is reported at once.
#[derive(Default)]
struct Errors(Vec<Error>);

impl Errors {
    fn push(&mut self, e: Error) {
        self.0.push(e);
    }
    fn finish<T>(self, value: T) -> Result<T, Error> {
        match self.0.len() {
            0 => Ok(value),
            1 => Err(self.0.into_iter().next().expect("one error")),
            _ => Err(Error::Many(self.0)),
        }
    }
}

/// Context of the method being read, for error messages.
struct At<'a> {
    file: &'a str,
    service: &'a str,
    method: &'a str,
}

impl At<'_> {
    fn err(&self, message: impl Into<String>) -> Error {
        Error::method(self.file, self.service, self.method, message)
    }
}

/// Builds the model of the annotated services declared in `files`.
pub fn build(pool: &DescriptorPool, files: &[String]) -> Result<Model, Error> {
    let mut errors = Errors::default();
    let mut notices = Vec::new();
    let mut services = Vec::new();
    let mut sorted_files = files.to_vec();
    sorted_files.sort();
    for file_name in &sorted_files {
        let Some(file) = pool.get_file_by_name(file_name) else {
            continue;
        };
        let mut file_notices = Notices::new(file_name, &mut notices);
        for service in file.services() {
            if let Some(s) = read_service(&service, &mut errors, &mut file_notices) {
                services.push(s);
            }
        }
        file_notices.file_fields(&file);
    }
    let services = resolve_refs(pool, services, &mut errors);
    check_duplicate_names(&services, &mut errors);
    check_rust_names(&services, &mut errors);

    let mut by_package: BTreeMap<String, Vec<Service>> = BTreeMap::new();
    for s in services {
        by_package.entry(s.package.clone()).or_default().push(s);
    }
    let mut packages = assign_payload_messages(by_package);
    for p in &mut packages {
        p.prost_items = crate::names::prost_items(pool, &p.package);
    }
    errors.finish(Model { packages, notices })
}

fn read_service(
    service: &ServiceDescriptor,
    errors: &mut Errors,
    notices: &mut Notices<'_>,
) -> Option<Service> {
    let file = service.parent_file();
    let file_name = file.name().to_string();
    let service_opts = match options::service_options(service) {
        Ok(o) => o,
        Err(e) => {
            errors.push(Error::service(&file_name, service.name(), e.to_string()));
            return None;
        }
    };
    notices.service(service, &service_opts);
    let mut out = Service {
        name: service.name().to_string(),
        full_name: service.full_name().to_string(),
        package: service.package_name().to_string(),
        file: file_name.clone(),
        comments: comments::at(&file, service.path()),
        task_queue: service_opts
            .service
            .as_ref()
            .and_then(|s| non_empty(&s.task_queue)),
        workflows: vec![],
        activities: vec![],
        queries: vec![],
        signals: vec![],
        updates: vec![],
    };
    let mut annotated = service_opts.service.is_some();
    for method in service.methods() {
        let at = At {
            file: &file_name,
            service: service.name(),
            method: method.name(),
        };
        let opts = match options::method_options(&method) {
            Ok(o) => o,
            Err(e) => {
                errors.push(at.err(e.to_string()));
                continue;
            }
        };
        notices.method(&method, &opts);
        if !opts.is_annotated() {
            continue;
        }
        annotated = true;
        if let Err(e) = read_method(&method, &opts, &at, &mut out) {
            errors.push(e);
        }
    }
    annotated.then_some(out)
}

fn read_method(
    method: &MethodDescriptor,
    opts: &options::MethodOptions,
    at: &At<'_>,
    out: &mut Service,
) -> Result<(), Error> {
    let kinds: Vec<&str> = [
        opts.workflow.as_ref().map(|_| "workflow"),
        opts.activity.as_ref().map(|_| "activity"),
        opts.query.as_ref().map(|_| "query"),
        opts.signal.as_ref().map(|_| "signal"),
        opts.update.as_ref().map(|_| "update"),
    ]
    .into_iter()
    .flatten()
    .collect();
    let non_activity: Vec<&&str> = kinds.iter().filter(|k| **k != "activity").collect();
    if non_activity.len() > 1 {
        return Err(at.err(format!(
            "invalid combination of kinds {}: a method may be one of workflow, query, signal or update, optionally also an activity",
            kinds.join(" + ")
        )));
    }
    if method.is_client_streaming() || method.is_server_streaming() {
        return Err(at.err("streaming methods cannot be Temporal workflows, activities, queries, signals or updates"));
    }
    let base = Method {
        name: method.name().to_string(),
        full_name: method.full_name().to_string(),
        comments: comments::at(&method.parent_file(), method.path()),
        deprecated: method
            .method_descriptor_proto()
            .options
            .as_ref()
            .and_then(|o| o.deprecated)
            .unwrap_or(false),
        input: payload(&method.input(), at)?,
        output: payload(&method.output(), at)?,
    };
    let default_name = method.full_name().to_string();

    if let Some(w) = &opts.workflow {
        out.workflows
            .push(read_workflow(w, &base, &default_name, at)?);
    }
    if let Some(a) = &opts.activity {
        out.activities.push(Activity {
            method: base.clone(),
            name: non_empty(&a.name).unwrap_or_else(|| default_name.clone()),
            task_queue: non_empty(&a.task_queue),
            schedule_to_close_timeout: duration(
                &a.schedule_to_close_timeout,
                &format!("{ACTIVITY}.schedule_to_close_timeout"),
                at,
            )?,
            schedule_to_start_timeout: duration(
                &a.schedule_to_start_timeout,
                &format!("{ACTIVITY}.schedule_to_start_timeout"),
                at,
            )?,
            start_to_close_timeout: duration(
                &a.start_to_close_timeout,
                &format!("{ACTIVITY}.start_to_close_timeout"),
                at,
            )?,
            heartbeat_timeout: duration(
                &a.heartbeat_timeout,
                &format!("{ACTIVITY}.heartbeat_timeout"),
                at,
            )?,
            retry_policy: retry_policy(&a.retry_policy, &format!("{ACTIVITY}.retry_policy"), at)?,
            wait_for_cancellation: a.wait_for_cancellation,
            priority: priority(&a.priority, &format!("{ACTIVITY}.priority"), at)?,
        });
    }
    if let Some(q) = &opts.query {
        if matches!(base.output, Payload::Empty) {
            return Err(at.err("a query must return a message, not google.protobuf.Empty"));
        }
        out.queries.push(Query {
            method: base.clone(),
            name: non_empty(&q.name).unwrap_or_else(|| default_name.clone()),
            xns: xns(&q.xns, "(temporal.v1.query).xns", at)?,
        });
    }
    if let Some(s) = &opts.signal {
        if opts.activity.is_none() && !matches!(base.output, Payload::Empty) {
            return Err(at.err(format!(
                "a signal must return google.protobuf.Empty, not {}",
                method.output().full_name()
            )));
        }
        out.signals.push(Signal {
            method: base.clone(),
            name: non_empty(&s.name).unwrap_or_else(|| default_name.clone()),
            xns: xns(&s.xns, "(temporal.v1.signal).xns", at)?,
        });
    }
    if let Some(u) = &opts.update {
        let wait = stage(u.wait_for_stage())
            .or_else(|| stage(u.wait_policy()))
            .unwrap_or(WaitStage::Accepted);
        out.updates.push(Update {
            id: template(&u.id, &base.input, at)?,
            method: base.clone(),
            name: non_empty(&u.name).unwrap_or_else(|| default_name.clone()),
            validate: u.validate,
            wait_for_stage: wait,
            xns: xns(&u.xns, "(temporal.v1.update).xns", at)?,
        });
    }
    Ok(())
}

fn read_workflow(
    w: &schema::WorkflowOptions,
    base: &Method,
    default_name: &str,
    at: &At<'_>,
) -> Result<Workflow, Error> {
    Ok(Workflow {
        method: base.clone(),
        name: non_empty(&w.name).unwrap_or_else(|| default_name.to_string()),
        aliases: w
            .aliases
            .iter()
            .filter(|a| !a.is_empty())
            .cloned()
            .collect(),
        id: template(&w.id, &base.input, at)?,
        task_queue: non_empty(&w.task_queue),
        execution_timeout: duration(
            &w.execution_timeout,
            &format!("{WORKFLOW}.execution_timeout"),
            at,
        )?,
        run_timeout: duration(&w.run_timeout, &format!("{WORKFLOW}.run_timeout"), at)?,
        task_timeout: duration(&w.task_timeout, &format!("{WORKFLOW}.task_timeout"), at)?,
        id_reuse_policy: reuse_policy(w.id_reuse_policy()),
        id_conflict_policy: conflict_policy(w.workflow_id_conflict_policy),
        retry_policy: retry_policy(&w.retry_policy, &format!("{WORKFLOW}.retry_policy"), at)?,
        parent_close_policy: w.parent_close_policy(),
        wait_for_cancellation: w.wait_for_cancellation,
        enable_eager_start: w.enable_eager_start,
        priority: priority(&w.priority, &format!("{WORKFLOW}.priority"), at)?,
        search_attributes: search_attributes(w, &base.input, at)?,
        queries: w
            .query
            .iter()
            .enumerate()
            .map(|(i, q)| {
                Ok(QueryUse {
                    target: raw_ref(&q.r#ref, at)?,
                    xns: xns(&q.xns, &format!("{WORKFLOW}.query[{i}].xns"), at)?,
                })
            })
            .collect::<Result<_, Error>>()?,
        signals: w
            .signal
            .iter()
            .enumerate()
            .map(|(i, s)| {
                Ok(SignalUse {
                    target: raw_ref(&s.r#ref, at)?,
                    start: s.start,
                    xns: xns(&s.xns, &format!("{WORKFLOW}.signal[{i}].xns"), at)?,
                })
            })
            .collect::<Result<_, Error>>()?,
        updates: w
            .update
            .iter()
            .enumerate()
            .map(|(i, u)| {
                Ok(UpdateUse {
                    target: raw_ref(&u.r#ref, at)?,
                    start: u.start,
                    conflict_policy: conflict_policy(u.workflow_id_conflict_policy),
                    // Resolved against the update's own flag in `resolve_refs`.
                    validate: false,
                    validate_override: u.validate,
                    xns: xns(&u.xns, &format!("{WORKFLOW}.update[{i}].xns"), at)?,
                })
            })
            .collect::<Result<_, Error>>()?,
        xns: xns(&w.xns, &format!("{WORKFLOW}.xns"), at)?,
    })
}

/// A ref as written; `service` is left empty and filled in by `resolve_refs`.
fn raw_ref(r: &str, at: &At<'_>) -> Result<HandlerRef, Error> {
    let r = r.trim().trim_start_matches('.');
    if r.is_empty() {
        return Err(at.err("a query, signal or update ref is empty"));
    }
    Ok(HandlerRef {
        service: String::new(),
        method: r.to_string(),
    })
}

fn payload(message: &MessageDescriptor, at: &At<'_>) -> Result<Payload, Error> {
    match message.full_name() {
        "google.protobuf.Empty" => Ok(Payload::Empty),
        name if names::is_payload_well_known(name) => {
            Ok(Payload::WellKnown(message.clone()))
        }
        name if name.starts_with("google.protobuf.") => Err(at.err(format!(
            "{name} cannot be a Temporal input or output: the runtime has payload impls for Empty, the wrappers, Any, Duration, Timestamp, Struct, Value, ListValue and FieldMask only; wrap it in a message of your own"
        ))),
        _ => Ok(Payload::Message(message.clone())),
    }
}

fn template(
    text: &str,
    input: &Payload,
    at: &At<'_>,
) -> Result<Option<(String, crate::expr::CompiledTemplate)>, Error> {
    if text.is_empty() {
        return Ok(None);
    }
    evaluable_input(input, "an ID expression", at)?;
    expr::compile(text, input.descriptor())
        .map(|c| Some((text.to_string(), c)))
        .map_err(|e| at.err(e.to_string()))
}

/// The workflow's search attribute mapping, compiled: `search_attributes`
/// or `typed_search_attributes`. Go's SDK rejects a start that has both,
/// so a proto setting both is an error here.
fn search_attributes(
    w: &schema::WorkflowOptions,
    input: &Payload,
    at: &At<'_>,
) -> Result<Option<crate::expr::CompiledMapping>, Error> {
    let (text, typed) = match (
        w.search_attributes.is_empty(),
        w.typed_search_attributes.is_empty(),
    ) {
        (true, true) => return Ok(None),
        (false, true) => (&w.search_attributes, false),
        (true, false) => (&w.typed_search_attributes, true),
        (false, false) => {
            return Err(at.err(format!(
                "`{WORKFLOW}.search_attributes` and `{WORKFLOW}.typed_search_attributes` \
                 are both set: the Temporal SDKs reject a start with both, set one"
            )));
        }
    };
    evaluable_input(input, "a search attribute mapping", at)?;
    expr::compile_mapping(text, typed, input.descriptor())
        .map(Some)
        .map_err(|e| at.err(e.to_string()))
}

/// Fails for an input no expression can be evaluated on. Go evaluates ID
/// expressions and search attribute mappings on the input's protojson read
/// as a JSON object (protoc-gen-go-temporal v1.24.0
/// `expression.ToStructured`), and the protojson of the wrappers, Duration,
/// Timestamp, FieldMask and ListValue is never an object: every Go start
/// fails, whatever the expression reads, so we refuse to generate it.
fn evaluable_input(input: &Payload, what: &str, at: &At<'_>) -> Result<(), Error> {
    let Payload::WellKnown(m) = input else {
        return Ok(());
    };
    if matches!(
        m.full_name(),
        "google.protobuf.Struct" | "google.protobuf.Value" | "google.protobuf.Any"
    ) {
        return Ok(());
    }
    Err(at.err(format!(
        "{what} needs an input whose JSON form is an object, and {}'s is not: \
         the Go generator fails every start of it; wrap the input in a message of your own",
        m.full_name()
    )))
}

fn non_empty(s: &str) -> Option<String> {
    (!s.is_empty()).then(|| s.to_string())
}

/// Option paths as error messages name them.
const WORKFLOW: &str = "(temporal.v1.workflow)";
const ACTIVITY: &str = "(temporal.v1.activity)";

/// google.protobuf.Duration's range: 10,000 years, as its definition
/// states (protojson and the Go `durationpb` checks reject more).
const MAX_DURATION_SECONDS: i64 = 315_576_000_000;

/// The duration at option path `path`, which must be a valid, non-negative
/// google.protobuf.Duration.
fn duration(
    d: &Option<prost_types::Duration>,
    path: &str,
    at: &At<'_>,
) -> Result<Option<Duration>, Error> {
    let Some(d) = d else { return Ok(None) };
    let problem = if d.seconds < 0 || d.nanos < 0 {
        Some("must not be negative".to_string())
    } else if d.nanos >= 1_000_000_000 {
        Some("has nanos out of range (at most 999999999)".to_string())
    } else if d.seconds > MAX_DURATION_SECONDS {
        Some(format!(
            "is out of google.protobuf.Duration's range (at most {MAX_DURATION_SECONDS} seconds, 10000 years)"
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        return Err(at.err(format!(
            "`{path}` {problem}: seconds {}, nanos {}",
            d.seconds, d.nanos
        )));
    }
    Ok(Some(Duration::new(
        d.seconds.unsigned_abs(),
        d.nanos.unsigned_abs(),
    )))
}

/// The retry policy at option path `path` (`...retry_policy`).
fn retry_policy(
    r: &Option<schema::RetryPolicy>,
    path: &str,
    at: &At<'_>,
) -> Result<Option<RetryPolicy>, Error> {
    let Some(r) = r else { return Ok(None) };
    if r.max_attempts < 0 {
        return Err(at.err(format!(
            "`{path}.max_attempts` must not be negative, got {}",
            r.max_attempts
        )));
    }
    // 0 is unset (the server's default, 2). Temporal rejects a coefficient
    // below 1; an infinity or NaN is no coefficient at all (and no Rust
    // literal).
    let backoff = r.backoff_coefficient;
    if backoff != 0.0 && !(backoff.is_finite() && backoff >= 1.0) {
        return Err(at.err(format!(
            "`{path}.backoff_coefficient` must be a finite number of at least 1 (or 0 for the server's default), got {backoff}"
        )));
    }
    Ok(Some(RetryPolicy {
        initial_interval: duration(&r.initial_interval, &format!("{path}.initial_interval"), at)?,
        backoff_coefficient: (backoff != 0.0).then_some(backoff),
        max_interval: duration(&r.max_interval, &format!("{path}.max_interval"), at)?,
        max_attempts: (r.max_attempts != 0).then_some(r.max_attempts),
        non_retryable_error_types: r.non_retryable_error_types.clone(),
    }))
}

/// The `priority` at option path `path`; `None` when it sets nothing
/// (all zero, as Go reads it).
fn priority(
    p: &Option<schema::temporal::api::common::v1::Priority>,
    path: &str,
    at: &At<'_>,
) -> Result<Option<Priority>, Error> {
    let Some(p) = p else { return Ok(None) };
    let priority_key = u32::try_from(p.priority_key).map_err(|_| {
        at.err(format!(
            "`{path}.priority_key` must not be negative, got {}",
            p.priority_key
        ))
    })?;
    // Temporal clamps a weight to [0.001, 1000]; an infinity or NaN is no
    // weight at all (and no Rust literal).
    if !(p.fairness_weight.is_finite() && p.fairness_weight >= 0.0) {
        return Err(at.err(format!(
            "`{path}.fairness_weight` must be a finite number of at least 0, got {}",
            p.fairness_weight
        )));
    }
    let out = Priority {
        priority_key: (priority_key != 0).then_some(priority_key),
        fairness_key: non_empty(&p.fairness_key),
        fairness_weight: (p.fairness_weight != 0.0).then_some(p.fairness_weight),
    };
    Ok((out != Priority::default()).then_some(out))
}

/// The XNS options at option path `path` (`...xns`).
fn xns(
    x: &Option<schema::XnsActivityOptions>,
    path: &str,
    at: &At<'_>,
) -> Result<Option<XnsOptions>, Error> {
    let Some(x) = x else { return Ok(None) };
    let timeout =
        |d: &Option<prost_types::Duration>, name: &str| duration(d, &format!("{path}.{name}"), at);
    Ok(Some(XnsOptions {
        task_queue: non_empty(&x.task_queue),
        schedule_to_close_timeout: timeout(
            &x.schedule_to_close_timeout,
            "schedule_to_close_timeout",
        )?,
        schedule_to_start_timeout: timeout(
            &x.schedule_to_start_timeout,
            "schedule_to_start_timeout",
        )?,
        start_to_close_timeout: timeout(&x.start_to_close_timeout, "start_to_close_timeout")?,
        heartbeat_interval: timeout(&x.heartbeat_interval, "heartbeat_interval")?,
        heartbeat_timeout: timeout(&x.heartbeat_timeout, "heartbeat_timeout")?,
        retry_policy: retry_policy(&x.retry_policy, &format!("{path}.retry_policy"), at)?,
        parent_close_policy: x.parent_close_policy(),
    }))
}

fn reuse_policy(p: schema::IdReusePolicy) -> Option<IdReusePolicy> {
    use schema::IdReusePolicy as P;
    match p {
        P::WorkflowIdReusePolicyUnspecified => None,
        P::WorkflowIdReusePolicyAllowDuplicate => Some(IdReusePolicy::AllowDuplicate),
        P::WorkflowIdReusePolicyAllowDuplicateFailedOnly => {
            Some(IdReusePolicy::AllowDuplicateFailedOnly)
        }
        P::WorkflowIdReusePolicyRejectDuplicate => Some(IdReusePolicy::RejectDuplicate),
        P::WorkflowIdReusePolicyTerminateIfRunning => Some(IdReusePolicy::TerminateIfRunning),
    }
}

fn conflict_policy(p: i32) -> Option<IdConflictPolicy> {
    // temporal.api.enums.v1.WorkflowIdConflictPolicy numbers.
    match p {
        1 => Some(IdConflictPolicy::Fail),
        2 => Some(IdConflictPolicy::UseExisting),
        3 => Some(IdConflictPolicy::TerminateExisting),
        _ => None,
    }
}

fn stage(p: schema::WaitPolicy) -> Option<WaitStage> {
    use schema::WaitPolicy as P;
    match p {
        P::Unspecified => None,
        P::Admitted => Some(WaitStage::Admitted),
        P::Accepted => Some(WaitStage::Accepted),
        P::Completed => Some(WaitStage::Completed),
    }
}

/// Identity of the service whose workflow holds a ref.
struct Origin {
    file: String,
    name: String,
    full_name: String,
    package: String,
}

/// Resolves workflow handler refs: `Method` (same service), `Service.Method`
/// (same package) or `pkg.Service.Method`; checks the target's kind.
fn resolve_refs(
    pool: &DescriptorPool,
    mut services: Vec<Service>,
    errors: &mut Errors,
) -> Vec<Service> {
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        Query,
        Signal,
        Update,
    }
    let mut kinds: HashMap<(String, String), Vec<Kind>> = HashMap::new();
    let mut update_validate: HashMap<(String, String), bool> = HashMap::new();
    for s in &services {
        for q in &s.queries {
            kinds
                .entry((s.full_name.clone(), q.method.name.clone()))
                .or_default()
                .push(Kind::Query);
        }
        for q in &s.signals {
            kinds
                .entry((s.full_name.clone(), q.method.name.clone()))
                .or_default()
                .push(Kind::Signal);
        }
        for u in &s.updates {
            kinds
                .entry((s.full_name.clone(), u.method.name.clone()))
                .or_default()
                .push(Kind::Update);
            update_validate.insert((s.full_name.clone(), u.method.name.clone()), u.validate);
        }
    }
    let generated: BTreeSet<String> = services.iter().map(|s| s.full_name.clone()).collect();
    let has_method = |svc: &str, m: &str| {
        pool.get_service_by_name(svc)
            .is_some_and(|s| s.methods().any(|x| x.name() == m))
    };
    let resolve = |origin: &Origin,
                   written: &str,
                   want: Kind,
                   what: &str,
                   method: &str|
     -> Result<HandlerRef, Error> {
        let err = |msg: String| Error::method(&origin.file, &origin.name, method, msg);
        // `Method` (same service), `Service.Method` (same package) or fully qualified.
        let candidates: BTreeSet<(String, String)> = match written.rsplit_once('.') {
            None => BTreeSet::from([(origin.full_name.clone(), written.to_string())]),
            Some((svc, m)) => {
                let same_package = if origin.package.is_empty() {
                    svc.to_string()
                } else {
                    format!("{}.{}", origin.package, svc)
                };
                [same_package, svc.to_string()]
                    .into_iter()
                    .map(|candidate| (candidate, m.to_string()))
                    .collect()
            }
        };
        let found: Vec<_> = candidates
            .into_iter()
            .filter(|(s, m)| has_method(s, m))
            .collect();
        match found.as_slice() {
            [] => Err(err(format!(
                "{what} ref `{written}` does not name a method (write `Method`, `Service.Method` or `pkg.Service.Method`)"
            ))),
            [(svc, m)] => {
                let key = (svc.clone(), m.clone());
                if !generated.contains(svc.as_str()) {
                    return Err(err(format!(
                        "{what} ref `{written}` points at `{svc}.{m}`, which is in a file that is not being generated; generate both files in one run"
                    )));
                }
                let annotated_as_wanted = || {
                    pool.get_service_by_name(svc)
                        .and_then(|s| s.methods().find(|x| x.name() == m))
                        .and_then(|md| options::method_options(&md).ok())
                        .is_some_and(|o| match want {
                            Kind::Query => o.query.is_some(),
                            Kind::Signal => o.signal.is_some(),
                            Kind::Update => o.update.is_some(),
                        })
                };
                match kinds.get(&key) {
                    Some(ks) if ks.contains(&want) => Ok(HandlerRef {
                        service: svc.clone(),
                        method: m.clone(),
                    }),
                    // Annotated but invalid: its own error says why, and
                    // repeating it here as "not annotated" would mislead.
                    _ if annotated_as_wanted() => Ok(HandlerRef {
                        service: svc.clone(),
                        method: m.clone(),
                    }),
                    _ => Err(err(format!(
                        "{what} ref `{written}` points at `{svc}.{m}`, which is not annotated as a {what}"
                    ))),
                }
            }
            many => Err(err(format!(
                "{what} ref `{written}` is ambiguous: it matches {}",
                many.iter()
                    .map(|(s, m)| format!("`{s}.{m}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ))),
        }
    };
    for service in &mut services {
        let original = Origin {
            file: service.file.clone(),
            name: service.name.clone(),
            full_name: service.full_name.clone(),
            package: service.package.clone(),
        };
        let original = &original;
        for w in &mut service.workflows {
            let wname = w.method.name.clone();
            for q in &mut w.queries {
                match resolve(original, &q.target.method, Kind::Query, "query", &wname) {
                    Ok(r) => q.target = r,
                    Err(e) => errors.push(e),
                }
            }
            for s in &mut w.signals {
                match resolve(original, &s.target.method, Kind::Signal, "signal", &wname) {
                    Ok(r) => s.target = r,
                    Err(e) => errors.push(e),
                }
            }
            for u in &mut w.updates {
                match resolve(original, &u.target.method, Kind::Update, "update", &wname) {
                    Ok(r) => {
                        // The ref's `optional bool validate` wins when set.
                        let declared = update_validate
                            .get(&(r.service.clone(), r.method.clone()))
                            .copied()
                            .unwrap_or(false);
                        u.validate = u.validate_override.unwrap_or(declared);
                        u.target = r;
                    }
                    Err(e) => errors.push(e),
                }
            }
            for (what, targets) in [
                (
                    "query",
                    w.queries.iter().map(|q| &q.target).collect::<Vec<_>>(),
                ),
                ("signal", w.signals.iter().map(|q| &q.target).collect()),
                ("update", w.updates.iter().map(|q| &q.target).collect()),
            ] {
                let mut seen = BTreeSet::new();
                for t in targets {
                    if !t.service.is_empty() && !seen.insert(t) {
                        errors.push(Error::method(
                            &service.file,
                            &service.name,
                            &wname,
                            format!(
                                "{what} `{}.{}` is declared twice on this workflow",
                                t.service, t.method
                            ),
                        ));
                    }
                }
            }
        }
    }
    services
}

/// Temporal names must be unique per kind within one generation run.
fn check_duplicate_names(services: &[Service], errors: &mut Errors) {
    let mut check = |kind: &str, entries: Vec<(&Service, &str, &str)>| {
        let mut seen: BTreeMap<&str, (&Service, &str)> = BTreeMap::new();
        for (service, method, name) in entries {
            if let Some((first_service, first_method)) = seen.get(name) {
                errors.push(Error::method(
                    &service.file,
                    &service.name,
                    method,
                    format!(
                        "duplicate {kind} name `{name}`: also used by {}.{}",
                        first_service.name, first_method
                    ),
                ));
            } else {
                seen.insert(name, (service, method));
            }
        }
    };
    let mut workflows = vec![];
    let mut activities = vec![];
    let mut queries = vec![];
    let mut signals = vec![];
    let mut updates = vec![];
    for s in services {
        for w in &s.workflows {
            workflows.push((s, w.method.name.as_str(), w.name.as_str()));
            for a in &w.aliases {
                workflows.push((s, w.method.name.as_str(), a.as_str()));
            }
        }
        activities.extend(
            s.activities
                .iter()
                .map(|a| (s, a.method.name.as_str(), a.name.as_str())),
        );
        queries.extend(
            s.queries
                .iter()
                .map(|a| (s, a.method.name.as_str(), a.name.as_str())),
        );
        signals.extend(
            s.signals
                .iter()
                .map(|a| (s, a.method.name.as_str(), a.name.as_str())),
        );
        updates.extend(
            s.updates
                .iter()
                .map(|a| (s, a.method.name.as_str(), a.name.as_str())),
        );
    }
    check("workflow", workflows);
    check("activity", activities);
    check("query", queries);
    check("signal", signals);
    check("update", updates);
}

/// Generated Rust names must be identifiers. Whether they collide (with
/// each other or with prost's) is checked over every generated name when
/// rendering (`render::name_check`).
fn check_rust_names(services: &[Service], errors: &mut Errors) {
    for s in services {
        check_identifiers(s, errors);
    }
}

/// Every name the generated code is made of must give a Rust identifier:
/// the package's segments, the service, its methods and the messages they
/// take and return. (Rendering, which the naming functions and the name
/// clash check belong to, only runs when all do.)
fn check_identifiers(s: &Service, errors: &mut Errors) {
    let mut check = |what: String, name: &str, method: Option<&str>| {
        if let Some(why) = crate::names::unusable_as_ident(name) {
            let message = format!(
                "{what} `{}` cannot name Rust items: {why}",
                name.escape_debug()
            );
            errors.push(match method {
                Some(m) => Error::method(&s.file, &s.name, m, message),
                None => Error::service(&s.file, &s.name, message),
            });
        }
    };
    for segment in s.package.split('.').filter(|p| !p.is_empty()) {
        check("package segment".to_string(), segment, None);
    }
    check("service name".to_string(), &s.name, None);
    let mut seen = BTreeSet::new();
    for m in s.methods() {
        if !seen.insert(m.name.as_str()) {
            continue;
        }
        check("method name".to_string(), &m.name, Some(&m.name));
        for (role, payload) in [("input", &m.input), ("output", &m.output)] {
            let Some(message) = payload.message() else {
                continue;
            };
            let local = message
                .full_name()
                .strip_prefix(message.package_name())
                .unwrap_or(message.full_name())
                .trim_start_matches('.');
            for part in local.split('.') {
                check(format!("{role} message name"), part, Some(&m.name));
            }
        }
    }
}

/// Gives each message used as a payload to exactly one package output: its
/// own package when that package is generated, else the first (by name)
/// generated package that uses it.
fn assign_payload_messages(by_package: BTreeMap<String, Vec<Service>>) -> Vec<PackageModel> {
    let mut owner: BTreeMap<String, (String, MessageDescriptor)> = BTreeMap::new();
    for (package, services) in &by_package {
        for m in services.iter().flat_map(used_messages) {
            let own_generated = by_package.contains_key(m.package_name());
            let entry = owner.entry(m.full_name().to_string());
            match entry {
                std::collections::btree_map::Entry::Vacant(v) => {
                    let chosen = if own_generated {
                        m.package_name().to_string()
                    } else {
                        package.clone()
                    };
                    v.insert((chosen, m));
                }
                std::collections::btree_map::Entry::Occupied(_) => {}
            }
        }
    }
    by_package
        .into_iter()
        .map(|(package, services)| {
            let payload_messages = owner
                .values()
                .filter(|(p, _)| *p == package)
                .map(|(_, m)| m.clone())
                .collect();
            PackageModel {
                package,
                services,
                payload_messages,
                prost_items: Vec::new(),
            }
        })
        .collect()
}

fn used_messages(s: &Service) -> impl Iterator<Item = MessageDescriptor> + '_ {
    s.methods().flat_map(|m| {
        [m.input.message().cloned(), m.output.message().cloned()]
            .into_iter()
            .flatten()
    })
}
