//! Paths of types and items as seen from the generated code.

use proc_macro2::TokenStream;
use prost_reflect::MessageDescriptor;
use quote::quote;

use crate::model::{Payload, Service};
use crate::names;

/// Where generated code is being written.
#[derive(Clone)]
pub struct Scope {
    /// Proto package of the output file.
    pub package: String,
    /// Path of the runtime crate.
    pub rt: TokenStream,
}

impl Scope {
    /// Path of a message type from inside a service module.
    pub fn message(&self, message: &MessageDescriptor) -> TokenStream {
        if names::well_known_type(message.full_name()).is_some() {
            return names::message_path(&self.package, message);
        }
        let path = names::message_path(&self.package, message);
        quote!(super::#path)
    }

    /// Path of a message type from the package module itself.
    pub fn message_at_package(&self, message: &MessageDescriptor) -> TokenStream {
        names::message_path(&self.package, message)
    }

    /// Type in signatures: `()` for Empty.
    pub fn value_type(&self, payload: &Payload) -> TokenStream {
        match payload {
            Payload::Empty => quote!(()),
            Payload::Message(m) => self.message(m),
        }
    }

    /// Type in definition outputs: the runtime's lenient `Empty` for Empty.
    pub fn output_type(&self, payload: &Payload) -> TokenStream {
        let rt = &self.rt;
        match payload {
            Payload::Empty => quote!(#rt::payload::Empty),
            Payload::Message(m) => self.message(m),
        }
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
        let module = service_module(service_name);
        let own = quote!(super::#module::#item);
        if service_package == self.package {
            return own;
        }
        let pkg = names::relative_package_path(&self.package, service_package);
        quote!(super::#pkg #module::#item)
    }

    /// Path of `item`, declared in the module of `owner`, as seen from the
    /// module of `from`.
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

/// Module name of a service: `example_temporal`.
pub fn service_module(service_name: &str) -> proc_macro2::Ident {
    names::snake(&format!(
        "{}_temporal",
        heck::ToSnakeCase::to_snake_case(service_name)
    ))
}
