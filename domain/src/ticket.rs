use chrono::{DateTime, Utc};

use crate::choices::{Category, Choice, Priority, Status};
use crate::validation::{ValidationErrors, messages};

pub const TITLE_MAX_CHARS: usize = 200;

/// The bounds on a ticket's text that an operator may set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TicketLimits {
    /// Long enough for a pasted e-mail thread or log, as GitHub's and Zendesk's limits are.
    pub description_max_chars: usize,
}

impl Default for TicketLimits {
    fn default() -> Self {
        Self { description_max_chars: 65_536 }
    }
}

/// A ticket's number. Always positive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TicketId(i64);

impl TicketId {
    pub fn new(value: i64) -> Option<Self> {
        (value > 0).then_some(Self(value))
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// Reads an id from a path segment; anything but a positive integer names no ticket.
    pub fn parse(text: &str) -> Option<Self> {
        text.parse().ok().and_then(Self::new)
    }
}

/// A title of 1 to 200 characters (Unicode scalar values, as Python counts them), not blank,
/// kept exactly as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Title(String);

impl Title {
    pub fn parse(text: String) -> Result<Self, Vec<String>> {
        let mut problems = text_problems(&text);
        if text.chars().count() > TITLE_MAX_CHARS {
            problems.push(messages::too_long(TITLE_MAX_CHARS));
        }
        if problems.is_empty() { Ok(Self(text)) } else { Err(problems) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// A description that is not blank and within the limit, kept exactly as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Description(String);

impl Description {
    /// A request's required `description` field, by the same rules as a ticket's.
    pub fn parse_required(value: Option<String>, limits: &TicketLimits) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        required(&mut errors, "description", value, |text| Description::parse_within(text, limits)).ok_or(errors)
    }

    /// Within the default limits.
    pub fn parse(text: String) -> Result<Self, Vec<String>> {
        Self::parse_within(text, &TicketLimits::default())
    }

    pub fn parse_within(text: String, limits: &TicketLimits) -> Result<Self, Vec<String>> {
        let mut problems = text_problems(&text);
        if text.len() > limits.description_max_chars && text.chars().count() > limits.description_max_chars {
            problems.push(messages::too_long(limits.description_max_chars));
        }
        if problems.is_empty() { Ok(Self(text)) } else { Err(problems) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

fn text_problems(text: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if text.trim().is_empty() {
        problems.push(messages::BLANK.to_owned());
    }
    if text.contains('\0') {
        problems.push(messages::NUL_CHARACTER.to_owned());
    }
    problems
}

/// A stored ticket. `version` starts at 1 and every change raises it by one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ticket {
    pub id: TicketId,
    pub title: Title,
    pub description: Description,
    pub category: Category,
    pub priority: Priority,
    pub status: Status,
    pub created_at: DateTime<Utc>,
    pub version: u64,
}

/// A ticket's fields as a client sent them, before any rule is applied. `None` means absent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketDraft {
    pub title: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub priority: Option<String>,
    pub status: Option<String>,
}

/// A valid ticket to be stored; the store assigns its id and creation time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewTicket {
    pub title: Title,
    pub description: Description,
    pub category: Category,
    pub priority: Priority,
    pub status: Status,
}

impl NewTicket {
    /// Applies every rule to every field, within the default limits, and reports all problems at once.
    pub fn parse(draft: TicketDraft) -> Result<Self, ValidationErrors> {
        Self::parse_within(draft, &TicketLimits::default())
    }

    pub fn parse_within(draft: TicketDraft, limits: &TicketLimits) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = required(&mut errors, "title", draft.title, Title::parse);
        let description =
            required(&mut errors, "description", draft.description, |text| Description::parse_within(text, limits));
        let category = required(&mut errors, "category", draft.category, parse_choice);
        let priority = required(&mut errors, "priority", draft.priority, parse_choice);
        let status = optional(&mut errors, "status", draft.status, parse_choice);
        match (title, description, category, priority, status) {
            (Some(title), Some(description), Some(category), Some(priority), Ok(status)) if errors.is_empty() => {
                Ok(Self { title, description, category, priority, status: status.unwrap_or_default() })
            }
            _ => Err(errors),
        }
    }
}

/// The fields a client wants changed; `None` leaves a field as it is.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketPatch {
    pub title: Option<Title>,
    pub description: Option<Description>,
    pub category: Option<Category>,
    pub priority: Option<Priority>,
    pub status: Option<Status>,
}

impl TicketPatch {
    pub fn parse(draft: TicketDraft) -> Result<Self, ValidationErrors> {
        Self::parse_within(draft, &TicketLimits::default())
    }

    pub fn parse_within(draft: TicketDraft, limits: &TicketLimits) -> Result<Self, ValidationErrors> {
        let mut errors = ValidationErrors::new();
        let title = optional(&mut errors, "title", draft.title, Title::parse);
        let description =
            optional(&mut errors, "description", draft.description, |text| Description::parse_within(text, limits));
        let category = optional(&mut errors, "category", draft.category, parse_choice);
        let priority = optional(&mut errors, "priority", draft.priority, parse_choice);
        let status = optional(&mut errors, "status", draft.status, parse_choice);
        match (title, description, category, priority, status) {
            (Ok(title), Ok(description), Ok(category), Ok(priority), Ok(status)) => {
                Ok(Self { title, description, category, priority, status })
            }
            _ => Err(errors),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// The ticket's fields once this patch is applied (its version is the store's to raise).
    pub fn apply_to(self, ticket: Ticket) -> Ticket {
        Ticket {
            title: self.title.unwrap_or(ticket.title),
            description: self.description.unwrap_or(ticket.description),
            category: self.category.unwrap_or(ticket.category),
            priority: self.priority.unwrap_or(ticket.priority),
            status: self.status.unwrap_or(ticket.status),
            ..ticket
        }
    }
}

fn parse_choice<C: Choice>(label: String) -> Result<C, Vec<String>> {
    C::parse(&label).ok_or_else(|| vec![messages::invalid_choice(&label)])
}

fn required<T>(
    errors: &mut ValidationErrors,
    field: &'static str,
    value: Option<String>,
    parse: impl FnOnce(String) -> Result<T, Vec<String>>,
) -> Option<T> {
    match value {
        None => {
            errors.add(field, messages::REQUIRED);
            None
        }
        Some(text) => record(errors, field, parse(text)),
    }
}

/// `Ok(None)` when absent, `Err(())` when present but invalid (the problem is recorded).
fn optional<T>(
    errors: &mut ValidationErrors,
    field: &'static str,
    value: Option<String>,
    parse: impl FnOnce(String) -> Result<T, Vec<String>>,
) -> Result<Option<T>, ()> {
    match value {
        None => Ok(None),
        Some(text) => record(errors, field, parse(text)).map(Some).ok_or(()),
    }
}

fn record<T>(errors: &mut ValidationErrors, field: &'static str, parsed: Result<T, Vec<String>>) -> Option<T> {
    match parsed {
        Ok(value) => Some(value),
        Err(problems) => {
            for problem in problems {
                errors.add(field, problem);
            }
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn draft(title: &str, description: &str, category: &str, priority: &str) -> TicketDraft {
        TicketDraft {
            title: Some(title.into()),
            description: Some(description.into()),
            category: Some(category.into()),
            priority: Some(priority.into()),
            status: None,
        }
    }

    #[test]
    fn a_valid_draft_becomes_an_open_ticket_with_text_kept_verbatim() {
        let ticket = NewTicket::parse(draft("  Login fails ", "\tsee below\n", "account", "high")).unwrap();
        assert_eq!(ticket.title.as_str(), "  Login fails ");
        assert_eq!(ticket.description.as_str(), "\tsee below\n");
        assert_eq!(ticket.status, Status::Open);
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let errors = NewTicket::parse(TicketDraft {
            title: Some("x".repeat(201)),
            description: Some("   ".into()),
            category: Some("food".into()),
            priority: None,
            status: Some("done".into()),
        })
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(field, _)| field).collect();
        assert_eq!(fields, ["category", "description", "priority", "status", "title"]);
        assert!(errors.iter().any(|(f, m)| f == "category" && m == ["\"food\" is not a valid choice."]));
        assert!(errors.iter().any(|(f, m)| f == "priority" && m == [messages::REQUIRED]));
    }

    #[test]
    fn title_length_counts_characters_not_bytes() {
        assert!(Title::parse("é".repeat(200)).is_ok());
        assert!(Title::parse("🎫".repeat(200)).is_ok());
        assert_eq!(Title::parse("é".repeat(201)).unwrap_err(), [messages::too_long(200)]);
    }

    #[test]
    fn a_description_has_at_most_the_limit_in_characters() {
        let limits = TicketLimits { description_max_chars: 10 };
        assert!(Description::parse_within("🎫".repeat(10), &limits).is_ok(), "characters, not bytes");
        assert_eq!(Description::parse_within("x".repeat(11), &limits).unwrap_err(), [messages::too_long(10)]);
        assert!(Description::parse("x".repeat(65_536)).is_ok());
        assert!(Description::parse("x".repeat(65_537)).is_err());
    }

    #[test]
    fn nul_characters_are_rejected_with_their_own_message() {
        assert_eq!(Description::parse("a\0b".into()).unwrap_err(), [messages::NUL_CHARACTER]);
    }

    #[test]
    fn an_empty_patch_changes_nothing_and_a_bad_one_names_its_fields() {
        assert!(TicketPatch::parse(TicketDraft::default()).unwrap().is_empty());
        let errors = TicketPatch::parse(TicketDraft { status: Some("Open".into()), ..Default::default() }).unwrap_err();
        assert!(errors.has("status"));
    }

    #[test]
    fn ids_are_positive_integers() {
        assert_eq!(TicketId::parse("42").map(TicketId::get), Some(42));
        for text in ["0", "-1", "abc", "1.5", "99999999999999999999", ""] {
            assert_eq!(TicketId::parse(text), None, "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn titles_are_accepted_exactly_when_non_blank_nul_free_and_short(title in "\\PC{0,210}|[ \\t\\n]{0,5}") {
            let valid = !title.trim().is_empty() && !title.contains('\0') && title.chars().count() <= 200;
            prop_assert_eq!(Title::parse(title).is_ok(), valid);
        }
    }
}
