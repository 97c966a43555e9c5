use std::collections::BTreeMap;
use std::fmt;

/// The messages a client of the seed's Django REST Framework backend already knows.
pub mod messages {
    pub const REQUIRED: &str = "This field is required.";
    pub const BLANK: &str = "This field may not be blank.";
    pub const NULL: &str = "This field may not be null.";
    pub const NOT_A_STRING: &str = "Not a valid string.";
    pub const NOT_A_BOOLEAN: &str = "Must be a valid boolean.";
    pub const NOT_AN_INTEGER: &str = "A valid integer is required.";
    pub const NUL_CHARACTER: &str = "Null characters are not allowed.";
    pub const CONTROL_CHARACTER: &str = "Control characters are not allowed.";
    pub const INVALID_EMAIL: &str = "Enter a valid email address.";

    pub fn too_long(max: usize) -> String {
        format!("Ensure this field has no more than {max} characters.")
    }

    pub fn password_too_short(min: usize) -> String {
        format!("This password is too short. It must contain at least {min} characters.")
    }

    pub fn invalid_choice(value: &str) -> String {
        format!("\"{value}\" is not a valid choice.")
    }
}

/// Every problem with a request, field by field, so a client can fix them all at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ValidationErrors {
    fields: BTreeMap<&'static str, Vec<String>>,
}

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &'static str, message: impl Into<String>) -> Self {
        let mut errors = Self::new();
        errors.add(field, message);
        errors
    }

    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.fields.entry(field).or_default().push(message.into());
    }

    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Fields in alphabetical order, each with its messages.
    pub fn iter(&self) -> impl Iterator<Item = (&'static str, &[String])> {
        self.fields.iter().map(|(field, messages)| (*field, messages.as_slice()))
    }

    /// Keeps the value when there were no errors.
    pub fn into_result<T>(self, value: T) -> Result<T, Self> {
        if self.is_empty() { Ok(value) } else { Err(self) }
    }

    /// Adds `other`'s messages for the fields this one does not name yet.
    pub fn merge_missing(&mut self, other: ValidationErrors) {
        for (field, messages) in other.fields {
            self.fields.entry(field).or_insert(messages);
        }
    }
}

impl fmt::Display for ValidationErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for (field, messages) in self.iter() {
            for message in messages {
                if !first {
                    f.write_str("; ")?;
                }
                first = false;
                write!(f, "{field}: {message}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for ValidationErrors {}
