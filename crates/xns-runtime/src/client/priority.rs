//! Task priority and fairness: the `priority` a proto sets on a workflow or
//! an activity, and a call's overrides, resolved in the order of Go's
//! generated code.

use temporalio_common::Priority;

/// The `priority` option of a workflow or an activity, as generated
/// constants write it: `None` where the proto leaves a field unset (zero).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PriorityDefaults {
    /// Priority key: 1 is the highest; unset is the server's default.
    pub priority_key: Option<u32>,
    /// Fairness key (a tenant, or a fixed key such as `high`).
    pub fairness_key: Option<&'static str>,
    /// Fairness weight of the key.
    pub fairness_weight: Option<f32>,
}

impl PriorityDefaults {
    /// No priority set: the server's defaults (or the parent's, for
    /// children and activities) apply.
    pub const NONE: Self = Self {
        priority_key: None,
        fairness_key: None,
        fairness_weight: None,
    };

    /// Sets the fields of `priority` that are unset to the proto's.
    fn fill(&self, priority: &mut Priority) {
        if priority.priority_key.is_none() {
            priority.priority_key = self.priority_key;
        }
        if priority.fairness_key.is_none() {
            priority.fairness_key = self.fairness_key.map(str::to_string);
        }
        if priority.fairness_weight.is_none() {
            priority.fairness_weight = self.fairness_weight;
        }
    }
}

/// A call's priority overrides: a whole [`Priority`], then single fields.
#[derive(Debug, Clone, Default)]
pub(crate) struct PriorityOverrides {
    pub(crate) whole: Option<Priority>,
    pub(crate) priority_key: Option<u32>,
    pub(crate) fairness_key: Option<String>,
    pub(crate) fairness_weight: Option<f32>,
}

impl PriorityOverrides {
    /// The priority to send, as Go's generated code picks it: the call's
    /// whole priority, else `base` (the caller's SDK options) with the
    /// proto's fields in place of its unset ones; then each single field
    /// the call sets. `None` when nothing is set (inherit, or the server's
    /// default).
    pub(crate) fn resolve(
        &self,
        base: Option<Priority>,
        defaults: &PriorityDefaults,
    ) -> Option<Priority> {
        let mut priority = match &self.whole {
            Some(whole) => whole.clone(),
            None => {
                let mut p = base.unwrap_or_default();
                defaults.fill(&mut p);
                p
            }
        };
        if let Some(key) = self.priority_key {
            priority.priority_key = Some(key);
        }
        if let Some(key) = &self.fairness_key {
            priority.fairness_key = Some(key.clone());
        }
        if let Some(weight) = self.fairness_weight {
            priority.fairness_weight = Some(weight);
        }
        (priority != Priority::default()).then_some(priority)
    }
}

/// The priority setters of a call type with a `priority: PriorityOverrides`
/// field.
macro_rules! priority_setters {
    () => {
        /// Priority and fairness (replaces the proto's `priority`; the
        /// single-field setters still apply on top).
        pub fn priority(mut self, priority: temporalio_common::Priority) -> Self {
            self.priority.whole = Some(priority);
            self
        }

        /// Priority key (1 is the highest), over the proto's and
        /// [`priority`](Self::priority)'s.
        pub fn priority_key(mut self, key: u32) -> Self {
            self.priority.priority_key = Some(key);
            self
        }

        /// Fairness key, over the proto's and [`priority`](Self::priority)'s.
        pub fn fairness_key(mut self, key: impl Into<String>) -> Self {
            self.priority.fairness_key = Some(key.into());
            self
        }

        /// Fairness weight, over the proto's and
        /// [`priority`](Self::priority)'s.
        pub fn fairness_weight(mut self, weight: f32) -> Self {
            self.priority.fairness_weight = Some(weight);
            self
        }
    };
}
pub(crate) use priority_setters;

#[cfg(test)]
mod tests {
    use super::*;

    const PROTO: PriorityDefaults = PriorityDefaults {
        priority_key: Some(2),
        fairness_key: Some("default"),
        fairness_weight: None,
    };

    fn priority(key: Option<u32>, fairness: Option<&str>, weight: Option<f32>) -> Priority {
        let mut p = Priority::default();
        p.priority_key = key;
        p.fairness_key = fairness.map(str::to_string);
        p.fairness_weight = weight;
        p
    }

    #[test]
    fn nothing_set_is_none() {
        let none = PriorityOverrides::default();
        assert_eq!(none.resolve(None, &PriorityDefaults::NONE), None);
        assert_eq!(
            none.resolve(Some(Priority::default()), &PriorityDefaults::NONE),
            None
        );
    }

    #[test]
    fn the_proto_fills_what_the_base_leaves_unset() {
        let none = PriorityOverrides::default();
        assert_eq!(
            none.resolve(None, &PROTO),
            Some(priority(Some(2), Some("default"), None))
        );
        assert_eq!(
            none.resolve(Some(priority(Some(4), None, Some(0.5))), &PROTO),
            Some(priority(Some(4), Some("default"), Some(0.5)))
        );
    }

    #[test]
    fn a_whole_priority_replaces_the_proto_and_fields_win_last() {
        let call = PriorityOverrides {
            whole: Some(priority(None, Some("tenant"), None)),
            ..Default::default()
        };
        assert_eq!(
            call.resolve(Some(priority(Some(4), None, None)), &PROTO),
            Some(priority(None, Some("tenant"), None)),
            "neither the base nor the proto fills a whole priority"
        );
        let call = PriorityOverrides {
            priority_key: Some(1),
            fairness_weight: Some(3.0),
            ..call
        };
        assert_eq!(
            call.resolve(None, &PROTO),
            Some(priority(Some(1), Some("tenant"), Some(3.0)))
        );
    }
}
