use std::fmt;

/// A closed set of lowercase labels, as the API and the database spell them.
pub trait Choice: Copy + Eq + Ord + fmt::Debug + Send + Sync + 'static {
    /// Every value, in the order the API lists them.
    const ALL: &'static [Self];

    fn as_str(self) -> &'static str;

    fn parse(label: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == label)
    }
}

macro_rules! choice_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$variant_meta:meta])* $variant:ident => $label:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($(#[$variant_meta])* $variant),+ }

        impl Choice for $name {
            const ALL: &'static [Self] = &[$(Self::$variant),+];

            fn as_str(self) -> &'static str {
                match self { $(Self::$variant => $label),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

pub(crate) use choice_enum;

choice_enum!(
    /// What a ticket is about.
    Category { Billing => "billing", Technical => "technical", Account => "account", General => "general" }
);
choice_enum!(
    /// How urgent a ticket is.
    Priority { Low => "low", Medium => "medium", High => "high", Critical => "critical" }
);
choice_enum!(
    /// Where a ticket is in its life; new tickets are open.
    #[derive(Default)]
    Status { #[default] Open => "open", InProgress => "in_progress", Resolved => "resolved", Closed => "closed" }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_parses_back_to_its_value() {
        fn round_trip<C: Choice>() {
            for &c in C::ALL {
                assert_eq!(C::parse(c.as_str()), Some(c));
            }
        }
        round_trip::<Category>();
        round_trip::<Priority>();
        round_trip::<Status>();
    }

    #[test]
    fn labels_are_the_seeds_lowercase_strings() {
        assert_eq!(Status::InProgress.as_str(), "in_progress");
        assert_eq!(Category::parse("Billing"), None);
        assert_eq!(Priority::parse(""), None);
    }
}
