//! Paths of types and items as seen from the generated code.

use proc_macro2::TokenStream;
use prost_reflect::MessageDescriptor;
use quote::quote;

use crate::model::{Payload, Service};
use crate::names;

/// A path written as tokens (`super :: Foo`) as it reads in code and docs
/// (`super::Foo`).
pub fn path_text(path: &TokenStream) -> String {
    path.to_string().replace(' ', "")
}

/// The value passed on for an input of type `ty` (see
/// [`Scope::input_text`]): `input`, or `()` for Empty.
pub fn input_arg(ty: &Option<String>) -> &'static str {
    if ty.is_some() { "input" } else { "()" }
}

/// Where generated code is being written.
#[derive(Clone)]
pub struct Scope {
    /// Proto package of the output file.
    pub package: String,
    /// Path of the runtime crate (the `runtime_crate` parameter).
    pub runtime: TokenStream,
    /// `rt`: the runtime's `codegen` module as every generated module
    /// imports it (see [`Scope::import`]).
    pub rt: TokenStream,
    /// Module levels between the code and the package module: 1 in a
    /// service module, 2 in its `xns` submodule.
    pub depth: usize,
}

impl Scope {
    /// The scope of a submodule of this one.
    pub fn nested(&self) -> Scope {
        Scope {
            depth: self.depth + 1,
            ..self.clone()
        }
    }

    /// `rt`, the runtime prelude's name in generated modules, as text.
    pub fn rt_text(&self) -> String {
        path_text(&self.rt)
    }

    /// The import that gives the code of a generated module its short
    /// runtime paths (`rt::ClientError`). `rt` is a lower-case name in the
    /// type namespace, where generated code declares only the `xns` module.
    pub fn import_text(&self) -> String {
        format!(
            "use {}::codegen as {};",
            path_text(&self.runtime),
            super::item_names::runtime_alias()
        )
    }

    /// `super::` once per level up to the package module.
    fn up(&self) -> TokenStream {
        let supers = (0..self.depth).map(|_| quote!(super::));
        quote!(#(#supers)*)
    }

    /// Path of a message type from the code's module.
    pub fn message(&self, message: &MessageDescriptor) -> TokenStream {
        let path = names::message_path(&self.package, message);
        if names::well_known_type(message.full_name()).is_some() {
            return path;
        }
        let up = self.up();
        quote!(#up #path)
    }

    /// Path of a message type from the package module itself.
    pub fn message_at_package(&self, message: &MessageDescriptor) -> TokenStream {
        names::message_path(&self.package, message)
    }

    /// Type in signatures: `()` for Empty, prost's type for a well-known
    /// type.
    pub fn value_type(&self, payload: &Payload) -> TokenStream {
        match payload {
            Payload::Empty => quote!(()),
            Payload::Message(m) | Payload::WellKnown(m) => self.message(m),
        }
    }

    /// The type of a message input as text (the type of its `input`
    /// parameter), `None` for Empty, which has no parameter.
    pub fn input_text(&self, payload: &Payload) -> Option<String> {
        match payload {
            Payload::Empty => None,
            Payload::Message(_) | Payload::WellKnown(_) => {
                Some(path_text(&self.value_type(payload)))
            }
        }
    }

    /// Type in definition inputs: `()` for Empty, the runtime's
    /// `WellKnown` wrapper for a well-known type.
    pub fn input_type(&self, payload: &Payload) -> TokenStream {
        match payload {
            Payload::WellKnown(_) => self.well_known(payload),
            _ => self.value_type(payload),
        }
    }

    /// Type in definition outputs: the runtime's lenient `Empty` for Empty,
    /// its `WellKnown` wrapper for a well-known type.
    pub fn output_type(&self, payload: &Payload) -> TokenStream {
        let rt = &self.rt;
        match payload {
            Payload::Empty => quote!(#rt::Empty),
            Payload::WellKnown(_) => self.well_known(payload),
            Payload::Message(m) => self.message(m),
        }
    }

    /// The input type of ID and search attribute functions as a marker's
    /// trait constants name it: `Self::Input`, or the prost type inside a
    /// well-known input's `WellKnown`.
    pub fn fn_input(&self, payload: &Payload) -> TokenStream {
        match payload {
            Payload::WellKnown(_) => self.value_type(payload),
            _ => quote!(Self::Input),
        }
    }

    fn well_known(&self, payload: &Payload) -> TokenStream {
        let rt = &self.rt;
        let value = self.value_type(payload);
        quote!(#rt::WellKnown<#value>)
    }

    /// Path of an item in the module of another (or the same) service.
    pub fn in_service(
        &self,
        service_full_name: &str,
        service_package: &str,
        item: &TokenStream,
    ) -> TokenStream {
        let service_name = service_full_name
            .rsplit('.')
            .next()
            .unwrap_or(service_full_name);
        let module = super::item_names::service_module(service_name);
        let up = self.up();
        if service_package == self.package {
            return quote!(#up #module::#item);
        }
        let pkg = names::relative_package_path(&self.package, service_package);
        quote!(#up #pkg #module::#item)
    }

    /// Path of `item`, declared in the module of `owner`, as seen from the
    /// module of `from` (or a submodule of it that glob-imports it).
    pub fn item_of(
        &self,
        from: &Service,
        owner: &Service,
        item: &proc_macro2::Ident,
    ) -> TokenStream {
        if owner.full_name == from.full_name {
            quote!(#item)
        } else {
            self.in_service(&owner.full_name, &owner.package, &quote!(#item))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_input_has_no_type_and_passes_unit() {
        let scope = Scope {
            package: "p".into(),
            runtime: quote!(r),
            rt: quote!(rt),
            depth: 1,
        };
        let ty = scope.input_text(&Payload::Empty);
        assert_eq!(ty, None);
        assert_eq!(input_arg(&ty), "()");
        assert_eq!(input_arg(&Some("super::Foo".into())), "input");
    }
}
