//! What happened to a ticket: who created it and every change of a field, with who and when; and
//! the keys that make a retried create file one ticket.

use chrono::{DateTime, Utc};

use crate::access::Actor;
use crate::choices::{Category, Choice, Priority, Status};
use crate::ticket::{Description, NewTicket, Ticket, TicketId, Title};

/// A field of a ticket that can change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TicketField {
    Title,
    Description,
    Category,
    Priority,
    Status,
}

impl TicketField {
    pub const ALL: [TicketField; 5] = [
        TicketField::Title,
        TicketField::Description,
        TicketField::Category,
        TicketField::Priority,
        TicketField::Status,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketField::Title => "title",
            TicketField::Description => "description",
            TicketField::Category => "category",
            TicketField::Priority => "priority",
            TicketField::Status => "status",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|field| field.as_str() == name)
    }

    /// The field's value in `ticket`, as history records it.
    pub fn value_in(self, ticket: &Ticket) -> String {
        match self {
            TicketField::Title => ticket.title.as_str().to_owned(),
            TicketField::Description => ticket.description.as_str().to_owned(),
            TicketField::Category => ticket.category.as_str().to_owned(),
            TicketField::Priority => ticket.priority.as_str().to_owned(),
            TicketField::Status => ticket.status.as_str().to_owned(),
        }
    }

    /// `ticket` with this field set to `value`; `None` if the value breaks the field's rule.
    pub fn set_in(self, ticket: Ticket, value: &str) -> Option<Ticket> {
        Some(match self {
            TicketField::Title => Ticket { title: Title::parse(value.to_owned()).ok()?, ..ticket },
            TicketField::Description => Ticket { description: Description::parse(value.to_owned()).ok()?, ..ticket },
            TicketField::Category => Ticket { category: Category::parse(value)?, ..ticket },
            TicketField::Priority => Ticket { priority: Priority::parse(value)?, ..ticket },
            TicketField::Status => Ticket { status: Status::parse(value)?, ..ticket },
        })
    }
}

/// One field's change: what it was and what it became.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldChange {
    pub field: TicketField,
    pub from: String,
    pub to: String,
}

/// The changes from `before` to `after`, field by field, in the fields' order.
pub fn changes_between(before: &Ticket, after: &Ticket) -> Vec<FieldChange> {
    TicketField::ALL
        .into_iter()
        .map(|field| FieldChange { field, from: field.value_in(before), to: field.value_in(after) })
        .filter(|change| change.from != change.to)
        .collect()
}

/// Something that happened to a ticket.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EventKind {
    Created,
    Changed(FieldChange),
}

/// An entry of a ticket's history. `id` orders the entries; the creation, made from the ticket
/// itself, has id 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketEvent {
    pub id: i64,
    pub version: u64,
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub kind: EventKind,
}

impl TicketEvent {
    /// The creation of `ticket` by `actor`.
    pub fn created(ticket: &Ticket, actor: Actor) -> Self {
        Self { id: 0, version: 1, at: ticket.created_at, actor, kind: EventKind::Created }
    }
}

/// Why a history does not add up.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReplayError {
    #[error("event {0} changes {1} from a value it did not have")]
    Broken(i64, &'static str),
    #[error("event {0} sets {1} to a value that breaks its rule")]
    Invalid(i64, &'static str),
}

/// The ticket as it was created: each field as the first change of it found it, or as it is now
/// when it never changed. `changes` are the ticket's changes, oldest first.
pub fn as_created(current: &Ticket, changes: &[TicketEvent]) -> Ticket {
    let mut created = Ticket { version: 1, ..current.clone() };
    for field in TicketField::ALL {
        let first = changes.iter().find_map(|event| match &event.kind {
            EventKind::Changed(change) if change.field == field => Some(change.from.as_str()),
            _ => None,
        });
        if let Some(value) = first {
            created = field.set_in(created.clone(), value).unwrap_or(created);
        }
    }
    created
}

/// Plays `changes` (oldest first) on `start`, checking that each one finds the value it says it
/// changed; the result is the ticket after the last one.
pub fn replay(start: Ticket, changes: &[TicketEvent]) -> Result<Ticket, ReplayError> {
    changes.iter().try_fold(start, |ticket, event| match &event.kind {
        EventKind::Created => Ok(ticket),
        EventKind::Changed(change) => {
            if change.field.value_in(&ticket) != change.from {
                return Err(ReplayError::Broken(event.id, change.field.as_str()));
            }
            let changed =
                change.field.set_in(ticket, &change.to).ok_or(ReplayError::Invalid(event.id, change.field.as_str()))?;
            Ok(Ticket { version: event.version, ..changed })
        }
    })
}

/// The most characters an `Idempotency-Key` may have.
pub const IDEMPOTENCY_KEY_MAX_CHARS: usize = 255;

/// A client's name for one create, so that retries of it file one ticket: 1 to 255 printable
/// ASCII characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    pub fn parse(text: &str) -> Option<Self> {
        let valid =
            (1..=IDEMPOTENCY_KEY_MAX_CHARS).contains(&text.len()) && text.bytes().all(|b| (0x20..0x7f).contains(&b));
        valid.then(|| Self(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A keyed create as the store keeps it: whose key it is (an account, a token, or anyone), the
/// key, and a digest of what was asked, so a retry is told from a different request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyedCreate {
    pub scope: String,
    pub key: IdempotencyKey,
    pub fingerprint: [u8; 32],
    pub at: DateTime<Utc>,
    /// Keys used before this are forgotten: a create with one is new.
    pub forget_before: DateTime<Utc>,
}

/// What a keyed create did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyedOutcome {
    /// The first use of the key: the ticket was created.
    Created(Ticket),
    /// A retry: the ticket the first use created.
    Replayed(TicketId),
    /// The key was used for a different request.
    KeyReused,
}

/// What a change to a ticket did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UpdateOutcome {
    Updated(Ticket),
    /// The patch changed nothing: the ticket as it is.
    Unchanged(Ticket),
    /// The ticket is not at the version the change was made against: the ticket as it is.
    Stale(Ticket),
    NotFound,
}

/// A ticket's creator and its history from a point on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct History {
    pub ticket: Ticket,
    pub created_by: Actor,
    /// Changes after the asked-for point, oldest first.
    pub changes: Vec<TicketEvent>,
}

/// A new ticket and who files it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filing {
    pub ticket: NewTicket,
    pub actor: Actor,
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 29, 12, minute, 0).unwrap()
    }

    fn ticket(title: &str, status: Status, version: u64) -> Ticket {
        Ticket {
            id: TicketId::new(1).unwrap(),
            title: Title::parse(title.into()).unwrap(),
            description: Description::parse("d".into()).unwrap(),
            category: Category::General,
            priority: Priority::Low,
            status,
            created_at: at(0),
            version,
        }
    }

    fn change(id: i64, version: u64, field: TicketField, from: &str, to: &str) -> TicketEvent {
        TicketEvent {
            id,
            version,
            at: at(id as u32),
            actor: Actor::Public,
            kind: EventKind::Changed(FieldChange { field, from: from.into(), to: to.into() }),
        }
    }

    #[test]
    fn the_created_ticket_is_found_in_the_first_change_of_each_field_and_replays_to_now() {
        let now = ticket("Third", Status::Closed, 4);
        let changes = [
            change(1, 2, TicketField::Title, "First", "Second"),
            change(2, 3, TicketField::Status, "open", "closed"),
            change(3, 4, TicketField::Title, "Second", "Third"),
        ];
        let created = as_created(&now, &changes);
        assert_eq!(created, ticket("First", Status::Open, 1));
        assert_eq!(replay(created, &changes), Ok(now));
    }

    #[test]
    fn a_missing_change_breaks_the_replay() {
        let now = ticket("Third", Status::Open, 3);
        let changes =
            [change(1, 2, TicketField::Title, "First", "Second"), change(3, 3, TicketField::Title, "Other", "Third")];
        assert_eq!(replay(as_created(&now, &changes), &changes), Err(ReplayError::Broken(3, "title")));
    }

    #[test]
    fn changes_name_only_the_fields_that_differ() {
        let before = ticket("Same", Status::Open, 1);
        let after = ticket("Same", Status::Resolved, 1);
        assert_eq!(
            changes_between(&before, &after),
            [FieldChange { field: TicketField::Status, from: "open".into(), to: "resolved".into() }]
        );
    }

    #[test]
    fn idempotency_keys_are_1_to_255_printable_ascii_characters() {
        assert!(IdempotencyKey::parse("3f1b2c9e-retry 1").is_some());
        assert!(IdempotencyKey::parse(&"k".repeat(255)).is_some());
        for bad in ["", "tab\there", "é", &"k".repeat(256)] {
            assert!(IdempotencyKey::parse(bad).is_none(), "{bad:?}");
        }
    }
}
