//! One clash check over every generated name.
//!
//! [`declared`] lists, per Rust scope the generator writes into (the
//! package module, each service module, each `xns` module, and the methods
//! of each generated type or trait), every identifier the output declares
//! there, taken from the same [`item_names`](super::item_names) functions
//! the renderers use, plus what prost declares in the package module.
//! [`check`] reports any two sources of one name as a generation error.
//!
//! That the list is complete is checked in debug builds (every test) and
//! with the `verify-output` feature (the fuzz harness): [`emitted`] reads
//! the names back from the rendered code, and rendering fails (an internal
//! error) on a name the list lacks or on a listed name the output lacks, so
//! that a list gone stale either way is caught. A release build of the
//! plugin writes the code as text and does not read it back.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use proc_macro2::Ident;

use super::handlers::{self, HandlerKind};
use super::item_names::{self as n, text};
use crate::error::Error;
use crate::model::{HandlerRef, Model, Service};
use crate::names::ProstItem;
use crate::plugin::Surfaces;

/// A Rust namespace. Macros are not generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Namespace {
    /// Types, traits and modules.
    Type,
    /// Functions, constants, statics, and unit and tuple struct constructors.
    Value,
}

/// A scope generated names live in.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Place {
    /// The module of a proto package (prost's, which ours is included into).
    Package(String),
    /// The module of a service (by full name): `example_temporal`.
    Module(String),
    /// The `xns` module of a service (by full name).
    Xns(String),
    /// The methods of a type or the items of a trait declared in a module.
    Members(Box<Place>, String),
}

/// What declares a name.
#[derive(Debug, Clone, Copy)]
pub enum Origin<'m> {
    /// The generator, whatever the protos say (a client's `new`).
    Fixed,
    /// A method the client gets from the runtime's `ProtoClient`, which it
    /// dereferences to: reserved, but not in the output.
    Inherited,
    /// A service as a whole: `what` of it (`its client`).
    Service {
        service: &'m Service,
        what: &'static str,
    },
    /// One method of a service, as a workflow, activity, query, signal or
    /// update.
    Method {
        service: &'m Service,
        kind: &'static str,
        method: &'m str,
    },
    /// A handler as a workflow of `service` declares it (a method of the
    /// workflow's run handle).
    Ref {
        service: &'m Service,
        workflow: &'m str,
        kind: HandlerKind,
        target: &'m HandlerRef,
    },
    /// prost, in the package module.
    Prost(&'m ProstItem),
}

/// One declared name.
#[derive(Debug, Clone)]
pub struct Declared<'m> {
    pub place: Place,
    pub namespace: Namespace,
    /// The identifier, without `r#`.
    pub name: String,
    pub origin: Origin<'m>,
}

/// A name as the rendered code declares it.
pub type Emitted = (Place, Namespace, String);

struct List<'m>(Vec<Declared<'m>>);

impl<'m> List<'m> {
    fn add(&mut self, place: &Place, namespace: Namespace, ident: &Ident, origin: Origin<'m>) {
        self.0.push(Declared {
            place: place.clone(),
            namespace,
            name: text(ident),
            origin,
        });
    }

    fn ty(&mut self, place: &Place, ident: &Ident, origin: Origin<'m>) {
        self.add(place, Namespace::Type, ident, origin);
    }

    fn value(&mut self, place: &Place, ident: &Ident, origin: Origin<'m>) {
        self.add(place, Namespace::Value, ident, origin);
    }

    /// A unit or tuple struct: a type and a constructor.
    fn unit(&mut self, place: &Place, ident: &Ident, origin: Origin<'m>) {
        self.ty(place, ident, origin);
        self.value(place, ident, origin);
    }

    /// Fixed methods of a generated type.
    fn fixed(&mut self, place: &Place, names: &[&str]) {
        for name in names {
            self.value(place, &quote::format_ident!("{name}"), Origin::Fixed);
        }
    }

    /// Methods a generated type gets through `Deref` from the runtime.
    fn inherited(&mut self, place: &Place, names: &[&str]) {
        for name in names {
            self.value(place, &quote::format_ident!("{name}"), Origin::Inherited);
        }
    }
}

fn members(place: &Place, of: &Ident) -> Place {
    Place::Members(Box::new(place.clone()), text(of))
}

/// Every name the output of `model` declares, and what prost declares in
/// the same package modules, in a deterministic order (prost's first).
pub fn declared(model: &Model, surfaces: Surfaces) -> Vec<Declared<'_>> {
    let mut list = List(Vec::new());
    for package in &model.packages {
        let place = Place::Package(package.package.clone());
        for item in &package.prost_items {
            list.add(
                &place,
                Namespace::Type,
                &quote::format_ident!("{}", item.name),
                Origin::Prost(item),
            );
        }
        for service in &package.services {
            list.ty(
                &place,
                &n::service_module(&service.name),
                Origin::Service {
                    service,
                    what: "its module",
                },
            );
            service_names(&mut list, model, service, surfaces);
        }
    }
    list.0
}

fn service_names<'m>(list: &mut List<'m>, model: &'m Model, s: &'m Service, surfaces: Surfaces) {
    let m = Place::Module(s.full_name.clone());
    let x = Place::Xns(s.full_name.clone());
    let method = |kind: &'static str, name: &'m str| Origin::Method {
        service: s,
        kind,
        method: name,
    };
    let reference = |workflow: &'m str, kind: HandlerKind, target: &'m HandlerRef| Origin::Ref {
        service: s,
        workflow,
        kind,
        target,
    };
    let whole = |what: &'static str| Origin::Service { service: s, what };
    let handlers: Vec<(HandlerKind, &'m str)> = s
        .queries
        .iter()
        .map(|h| (HandlerKind::Query, h.method.name.as_str()))
        .chain(
            s.signals
                .iter()
                .map(|h| (HandlerKind::Signal, h.method.name.as_str())),
        )
        .chain(
            s.updates
                .iter()
                .map(|h| (HandlerKind::Update, h.method.name.as_str())),
        )
        .collect();

    // Definitions.
    list.ty(&m, &n::runtime_alias(), Origin::Fixed);
    if surfaces.xns {
        list.ty(&m, &n::xns_module(), Origin::Fixed);
    }
    if s.task_queue.is_some() {
        list.value(&m, &n::task_queue_const(s), whole("its task queue"));
    }
    for w in &s.workflows {
        let o = method("workflow", &w.method.name);
        let name = w.method.name.as_str();
        list.value(&m, &n::name_const(name, "workflow"), o);
        if !w.aliases.is_empty() {
            list.value(&m, &n::aliases_const(name), o);
        }
        list.unit(&m, &n::workflow_marker(name), o);
        if w.id.is_some() {
            list.value(&m, &n::id_fn(name, "workflow"), o);
        }
        if w.search_attributes.is_some() {
            list.value(&m, &n::search_attributes_fn(name), o);
        }
    }
    for w in &s.workflows {
        for (target, kind, _) in n::workflow_refs(w) {
            if !handlers::is_primary(model, target, s, w)
                && handlers::find(model, target, kind).is_some()
            {
                let marker = n::secondary_marker(&w.method.name, &target.method, kind);
                list.unit(&m, &marker, reference(&w.method.name, kind, target));
            }
        }
    }
    for a in &s.activities {
        let o = method("activity", &a.method.name);
        let name = a.method.name.as_str();
        list.value(&m, &n::name_const(name, "activity"), o);
        list.unit(&m, &n::activity_marker(name), o);
        if surfaces.workflow_helpers {
            list.value(&m, &n::activity_call_fn(name), o);
            list.value(&m, &n::local_activity_call_fn(name), o);
        }
    }
    for &(kind, name) in &handlers {
        let o = method(kind.word(), name);
        list.value(&m, &n::name_const(name, kind.word()), o);
        list.unit(&m, &n::own_marker(name, kind), o);
    }
    for u in &s.updates {
        let o = method("update", &u.method.name);
        list.ty(&m, &n::update_handle(&u.method.name), o);
        if u.id.is_some() {
            list.value(&m, &n::id_fn(&u.method.name, "update"), o);
        }
    }
    if surfaces.workflow_helpers {
        for sig in &s.signals {
            list.value(
                &m,
                &n::external_signal_fn(&sig.method.name),
                method("signal", &sig.method.name),
            );
        }
    }
    if surfaces.client {
        // The client, and the client's run handles.
        let client = n::client_ident(s);
        list.unit(&m, &client, whole("its client"));
        let cm = members(&m, &client);
        list.fixed(&cm, n::CLIENT_OWN_METHODS);
        list.inherited(&cm, n::PROTO_CLIENT_METHODS);
        for w in &s.workflows {
            let o = method("workflow", &w.method.name);
            let name = w.method.name.as_str();
            list.value(&cm, &n::execute_ident(name), o);
            list.value(&cm, &n::start_ident(name), o);
            list.value(&cm, &n::attach_ident(name), o);
        }
        for w in &s.workflows {
            let run = n::run_ident(&w.method.name);
            list.ty(&m, &run, method("workflow", &w.method.name));
        }
    }

    if surfaces.worker {
        // Worker-side contracts.
        for w in &s.workflows {
            let o = method("workflow", &w.method.name);
            let name = w.method.name.as_str();
            let tr = n::contract_trait(name);
            list.ty(&m, &tr, o);
            list.ty(&m, &n::context_ident(name), o);
            list.value(&m, &n::register_workflow_fn(name), o);
            let tm = members(&m, &tr);
            list.fixed(&tm, n::CONTRACT_METHODS);
            for c in n::contract_methods(model, w) {
                let o = reference(name, c.kind, c.target);
                list.value(&tm, &c.f, o);
                if let Some(v) = &c.validator {
                    list.value(&tm, v, o);
                }
            }
        }
        if !s.workflows.is_empty() {
            list.value(&m, &n::register_workflows_fn(s), whole("its workflows"));
        }
        if !s.activities.is_empty() {
            let tr = n::activities_trait(s);
            list.ty(&m, &tr, whole("its activities"));
            list.value(&m, &n::register_activities_fn(s), whole("its activities"));
            let am = members(&m, &tr);
            for a in &s.activities {
                let o = method("activity", &a.method.name);
                list.value(&am, &n::activity_method(&a.method.name), o);
            }
        }
    }

    if surfaces.workflow_helpers {
        // Child workflows.
        for w in &s.workflows {
            let o = method("workflow", &w.method.name);
            list.value(&m, &n::child_fn(&w.method.name), o);
            list.ty(&m, &n::child_ident(&w.method.name), o);
        }
    }

    if surfaces.xns {
        // The `xns` module.
        for import in n::XNS_IMPORTS {
            list.ty(&x, &quote::format_ident!("{import}"), Origin::Fixed);
        }
        list.fixed(&x, n::XNS_REEXPORTED_FUNCTIONS);
        list.value(&x, &n::xns_register_fn(s), whole("its XNS activities"));
        for w in &s.workflows {
            let o = method("workflow", &w.method.name);
            let name = w.method.name.as_str();
            list.value(&x, &n::xns_execute_ident(name), o);
            list.value(&x, &n::xns_start_ident(name), o);
            list.value(&x, &n::attach_ident(name), o);
            list.ty(&x, &n::run_ident(name), o);
        }
    }
}

/// The names `model`'s output declares, after checking that no two
/// sources declare one name in one scope (and namespace): every clash is
/// an error naming the file, service and method and both sources.
pub fn check(model: &Model, surfaces: Surfaces) -> Result<HashSet<Emitted>, Error> {
    shared_modules(model)?;
    let declared = declared(model, surfaces);
    let mut first: BTreeMap<(&Place, Namespace, &str), &Declared<'_>> = BTreeMap::new();
    let mut reported: BTreeSet<(String, String)> = BTreeSet::new();
    let mut errors = Vec::new();
    let mut fixed_twice = Vec::new();
    for d in &declared {
        let key = (&d.place, d.namespace, d.name.as_str());
        match first.get(&key) {
            None => {
                first.insert(key, d);
            }
            // prost's own items meeting (packages `foo_bar.v1` and
            // `fooBar.v1` share the module `foo_bar`) are prost's layout,
            // not names we declare.
            Some(earlier)
                if matches!(earlier.origin, Origin::Prost(_))
                    && matches!(d.origin, Origin::Prost(_)) => {}
            Some(earlier) => {
                // One error per pair of sources, at the first name they share.
                let pair = (key_of(&earlier.origin), key_of(&d.origin));
                if reported.insert(pair) {
                    let error = clash(model, earlier, d);
                    // A generated type declared twice (workflows `FOO_BAR`
                    // and `foo_bar` both make `FooBarRun`) lists its fixed
                    // methods twice: that follows from a clash reported on
                    // its own; alone, it is a bug of ours.
                    if earlier.origin.is_generator() && d.origin.is_generator() {
                        fixed_twice.push(error);
                    } else {
                        errors.push(error);
                    }
                }
            }
        }
    }
    if errors.is_empty() {
        errors = fixed_twice;
    }
    match errors.len() {
        0 => Ok(declared
            .into_iter()
            .filter(|d| !matches!(d.origin, Origin::Prost(_) | Origin::Inherited))
            .map(|d| (d.place, d.namespace, d.name))
            .collect()),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Many(errors)),
    }
}

/// Packages that differ only in case (`foo_bar.v1`, `fooBar.v1`) are one
/// Rust module (prost snake-cases each segment and writes them to one
/// file): only one of them can hold generated items.
fn shared_modules(model: &Model) -> Result<(), Error> {
    let mut modules: BTreeMap<String, &str> = BTreeMap::new();
    let mut errors = Vec::new();
    for package in &model.packages {
        if package.services.is_empty() && package.payload_messages.is_empty() {
            continue;
        }
        let module: Vec<String> = package
            .package
            .split('.')
            .filter(|p| !p.is_empty())
            .map(|p| crate::names::snake(p).to_string())
            .collect();
        let module = module.join("::");
        match modules.get(&module) {
            None => {
                modules.insert(module, &package.package);
            }
            Some(earlier) => {
                let file = package
                    .services
                    .first()
                    .map(|s| s.file.clone())
                    .or_else(|| {
                        package
                            .payload_messages
                            .first()
                            .map(|m| m.parent_file().name().to_string())
                    })
                    .unwrap_or_default();
                errors.push(Error::Invalid {
                    location: crate::error::Location { file, service: None, method: None },
                    message: format!(
                        "packages `{earlier}` and `{}` are both the Rust module `{module}` (prost snake-cases each segment), and both would hold generated code; spell them alike",
                        package.package
                    ),
                });
            }
        }
    }
    match errors.len() {
        0 => Ok(()),
        1 => Err(errors.remove(0)),
        _ => Err(Error::Many(errors)),
    }
}

/// Identity of an origin, for reporting a pair of sources once.
fn key_of(o: &Origin<'_>) -> String {
    match o {
        Origin::Fixed | Origin::Inherited => "fixed".to_string(),
        Origin::Service { service, what } => format!("service {} {what}", service.full_name),
        Origin::Method {
            service,
            kind,
            method,
        } => format!("{kind} {}.{method}", service.full_name),
        Origin::Ref {
            service,
            workflow,
            kind,
            target,
        } => format!(
            "ref {}.{workflow} {} {}.{}",
            service.full_name,
            kind.word(),
            target.service,
            target.method
        ),
        Origin::Prost(item) => format!("prost {}", item.what),
    }
}

impl<'m> Origin<'m> {
    /// Declared by the generator or the runtime whatever the protos say.
    fn is_generator(&self) -> bool {
        matches!(self, Origin::Fixed | Origin::Inherited)
    }

    fn service(&self) -> Option<&'m Service> {
        match *self {
            Origin::Service { service, .. } => Some(service),
            Origin::Method { service, .. } | Origin::Ref { service, .. } => Some(service),
            Origin::Fixed | Origin::Inherited | Origin::Prost(_) => None,
        }
    }

    /// The method an error about this origin is located at.
    fn method(&self) -> Option<&'m str> {
        match *self {
            Origin::Method { method, .. } => Some(method),
            Origin::Ref { workflow, .. } => Some(workflow),
            _ => None,
        }
    }

    /// How a message located at service `at` names this origin.
    fn describe(&self, at: &Service) -> String {
        let of = |s: &Service| {
            if s.full_name == at.full_name {
                String::new()
            } else if s.file == at.file {
                format!(" of service `{}`", s.full_name)
            } else {
                format!(" of service `{}` ({})", s.full_name, s.file)
            }
        };
        match *self {
            Origin::Fixed => "the generator".to_string(),
            Origin::Inherited => "the runtime's `ProtoClient`".to_string(),
            Origin::Service { service, what } => {
                let name = if service.full_name == at.full_name {
                    service.name.as_str()
                } else {
                    service.full_name.as_str()
                };
                let file = if service.file == at.file {
                    String::new()
                } else {
                    format!(" of {}", service.file)
                };
                format!("service `{name}`{file} (for {what})")
            }
            Origin::Method {
                service,
                kind,
                method,
            } => format!("{kind} `{method}`{}", of(service)),
            Origin::Ref {
                service,
                workflow,
                kind,
                target,
            } => format!(
                "the {} `{}.{}` of workflow `{workflow}`{}",
                kind.word(),
                target.service,
                target.method,
                of(service)
            ),
            Origin::Prost(item) => format!("prost ({})", item.what),
        }
    }
}

/// Where a name is declared, for messages.
fn describe_place(model: &Model, place: &Place) -> String {
    let module = |service: &str| {
        model
            .service(service)
            .map(|s| text(&n::service_module(&s.name)))
            .unwrap_or_default()
    };
    match place {
        Place::Package(p) if p.is_empty() => "in the root module".to_string(),
        Place::Package(p) => format!("in the module of package `{p}`"),
        Place::Module(s) => format!("in module `{}`", module(s)),
        Place::Xns(s) => format!("in module `{}::xns`", module(s)),
        Place::Members(_, ty) => format!("as a method of `{ty}`"),
    }
}

/// The error for two sources of one name.
fn clash(model: &Model, earlier: &Declared<'_>, later: &Declared<'_>) -> Error {
    // Located at a method if either source is one (the later first), else
    // at a service.
    let (at, other) = if later.origin.method().is_some() {
        (later, earlier)
    } else if earlier.origin.method().is_some() || later.origin.service().is_none() {
        (earlier, later)
    } else {
        (later, earlier)
    };
    let Some(service) = at.origin.service() else {
        return Error::Internal(format!(
            "two fixed items are both named `{}` {}",
            at.name,
            describe_place(model, &at.place)
        ));
    };
    let which = match other.origin {
        Origin::Fixed => "the generator always declares there".to_string(),
        Origin::Inherited => {
            "the client always has there, from the runtime's `ProtoClient`".to_string()
        }
        Origin::Prost(item) => format!("prost declares there for {}", item.what),
        o => format!("{} also generates", o.describe(service)),
    };
    let message = format!(
        "{} generates `{}` {}, which {which}; rename one of them",
        at.origin.describe(service),
        at.name,
        describe_place(model, &at.place),
    );
    match at.origin.method() {
        Some(method) => Error::method(&service.file, &service.name, method, message),
        None => Error::service(&service.file, &service.name, message),
    }
}

/// The names the rendered items of one job declare: `items` are the top
/// level of the package module; a module among them is the module of
/// `service`, and a module in that its `xns` module.
pub fn emitted(
    items: &[syn::Item],
    package: &str,
    service: Option<&str>,
) -> Result<Vec<Emitted>, Error> {
    let mut out = Vec::new();
    collect(
        items,
        &Place::Package(package.to_string()),
        service,
        &mut out,
    )?;
    Ok(out)
}

fn collect(
    items: &[syn::Item],
    place: &Place,
    service: Option<&str>,
    out: &mut Vec<Emitted>,
) -> Result<(), Error> {
    use syn::Item;
    let name = |i: &Ident| text(i);
    for item in items {
        match item {
            Item::Mod(m) => {
                out.push((place.clone(), Namespace::Type, name(&m.ident)));
                let inner = match (place, service) {
                    (Place::Package(_), Some(s)) => Place::Module(s.to_string()),
                    (Place::Module(s), _) => Place::Xns(s.clone()),
                    _ => {
                        return Err(Error::Internal(format!(
                            "unexpected module `{}` {place:?}",
                            m.ident
                        )));
                    }
                };
                if let Some((_, content)) = &m.content {
                    collect(content, &inner, service, out)?;
                }
            }
            Item::Struct(s) => {
                out.push((place.clone(), Namespace::Type, name(&s.ident)));
                if !matches!(s.fields, syn::Fields::Named(_)) {
                    out.push((place.clone(), Namespace::Value, name(&s.ident)));
                }
            }
            Item::Enum(e) => out.push((place.clone(), Namespace::Type, name(&e.ident))),
            Item::Type(t) => out.push((place.clone(), Namespace::Type, name(&t.ident))),
            Item::Const(c) => out.push((place.clone(), Namespace::Value, name(&c.ident))),
            Item::Static(s) => out.push((place.clone(), Namespace::Value, name(&s.ident))),
            Item::Fn(f) => out.push((place.clone(), Namespace::Value, name(&f.sig.ident))),
            Item::Trait(t) => {
                out.push((place.clone(), Namespace::Type, name(&t.ident)));
                let inner = Place::Members(Box::new(place.clone()), name(&t.ident));
                for item in &t.items {
                    match item {
                        syn::TraitItem::Fn(f) => {
                            out.push((inner.clone(), Namespace::Value, name(&f.sig.ident)))
                        }
                        syn::TraitItem::Const(c) => {
                            out.push((inner.clone(), Namespace::Value, name(&c.ident)))
                        }
                        syn::TraitItem::Type(t) => {
                            out.push((inner.clone(), Namespace::Type, name(&t.ident)))
                        }
                        _ => {}
                    }
                }
            }
            // Trait impls declare nothing new: their items are the trait's.
            Item::Impl(i) if i.trait_.is_none() => {
                let syn::Type::Path(p) = &*i.self_ty else {
                    return Err(Error::Internal("an impl of a non-path type".to_string()));
                };
                let Some(ty) = p.path.segments.last() else {
                    return Err(Error::Internal("an impl of an empty path".to_string()));
                };
                let inner = Place::Members(Box::new(place.clone()), name(&ty.ident));
                for item in &i.items {
                    match item {
                        syn::ImplItem::Fn(f) => {
                            out.push((inner.clone(), Namespace::Value, name(&f.sig.ident)))
                        }
                        syn::ImplItem::Const(c) => {
                            out.push((inner.clone(), Namespace::Value, name(&c.ident)))
                        }
                        _ => {}
                    }
                }
            }
            Item::Impl(_) => {}
            Item::Use(u) => uses(&u.tree, place, out),
            other => {
                return Err(Error::Internal(format!(
                    "unexpected item {}",
                    quote::ToTokens::to_token_stream(other)
                )));
            }
        }
    }
    Ok(())
}

/// Names a `use` brings in: the generator imports types (CamelCase) and
/// functions (snake_case) by name, and modules only under an alias; globs
/// bring names that local items shadow.
fn uses(tree: &syn::UseTree, place: &Place, out: &mut Vec<Emitted>) {
    match tree {
        syn::UseTree::Path(p) => uses(&p.tree, place, out),
        syn::UseTree::Name(n) => {
            let name = text(&n.ident);
            let namespace = if name.starts_with(|c: char| c.is_ascii_lowercase()) {
                Namespace::Value
            } else {
                Namespace::Type
            };
            out.push((place.clone(), namespace, name));
        }
        syn::UseTree::Rename(r) => out.push((place.clone(), Namespace::Type, text(&r.rename))),
        syn::UseTree::Glob(_) => {}
        syn::UseTree::Group(g) => {
            for t in &g.items {
                uses(t, place, out);
            }
        }
    }
}

/// Fails when the output declares a name the check did not see, or (in
/// debug builds) the check saw a name the output does not declare.
pub fn verify(known: &HashSet<Emitted>, emitted: &[Emitted]) -> Result<(), Error> {
    let seen: HashSet<&Emitted> = emitted.iter().collect();
    let mut unchecked: Vec<String> = seen
        .iter()
        .filter(|e| !known.contains(**e))
        .map(|e| format!("{:?} {:?} `{}`", e.0, e.1, e.2))
        .collect();
    unchecked.sort();
    if !unchecked.is_empty() {
        return Err(Error::Internal(format!(
            "generated names the name check does not know: {}",
            unchecked.join(", ")
        )));
    }
    if super::VERIFY_OUTPUT {
        let mut unused: Vec<String> = known
            .iter()
            .filter(|k| !seen.contains(k))
            .map(|e| format!("{:?} {:?} `{}`", e.0, e.1, e.2))
            .collect();
        unused.sort();
        if !unused.is_empty() {
            return Err(Error::Internal(format!(
                "names the name check knows that the output lacks: {}",
                unused.join(", ")
            )));
        }
    }
    Ok(())
}
