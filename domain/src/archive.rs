//! A whole store as rows with their ids, for moving it elsewhere: every ticket with who filed it,
//! every recorded change, the accounts and the API tokens. Sessions, failed sign-ins and
//! idempotency keys are not part of it: they are short-lived, and a new store starts without them.

use chrono::{DateTime, Utc};

use crate::access::{Account, AccountId, Actor, PasswordHash, Role, SecretDigest, TokenId, TokenName};
use crate::history::FieldChange;
use crate::ticket::{Ticket, TicketId, TicketLimits};

/// The limits a moved ticket is held to: a store may hold a description longer than the limit its
/// server takes today (the limit is a setting), and moving the store must not lose it.
pub const ARCHIVE_LIMITS: TicketLimits = TicketLimits { description_max_chars: usize::MAX };

/// A ticket and who filed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketRecord {
    pub ticket: Ticket,
    pub created_by: Actor,
}

/// One recorded change of a ticket's field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRecord {
    pub id: i64,
    pub ticket_id: TicketId,
    /// The ticket's version after the change.
    pub version: u64,
    pub at: DateTime<Utc>,
    pub actor: Actor,
    pub change: FieldChange,
}

/// Tickets in increasing id order and their events, ordered by ticket and then by event id.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TicketBatch {
    pub tickets: Vec<TicketRecord>,
    pub events: Vec<EventRecord>,
}

impl TicketBatch {
    /// The id of the last ticket, from which the next batch reads on.
    pub fn last_id(&self) -> Option<TicketId> {
        self.tickets.last().map(|record| record.ticket.id)
    }

    /// Each ticket with its events.
    pub fn by_ticket(&self) -> impl Iterator<Item = (&TicketRecord, &[EventRecord])> {
        let mut events = self.events.as_slice();
        self.tickets.iter().map(move |record| {
            let own = events.iter().take_while(|event| event.ticket_id == record.ticket.id).count();
            let (mine, rest) = events.split_at(own);
            events = rest;
            (record, mine)
        })
    }
}

/// An account with its password hash; `None` for an account that cannot sign in until an admin
/// gives it a new password (it came from an export, which carries no secrets).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRecord {
    pub account: Account,
    pub password_hash: Option<PasswordHash>,
}

/// An API token as stored: its digest, never the token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenRecord {
    pub id: TokenId,
    pub digest: SecretDigest,
    pub name: TokenName,
    pub role: Role,
    pub created_by: Option<AccountId>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// How many rows a table holds and its highest id (0 when empty).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableExtent {
    pub rows: u64,
    pub last_id: i64,
}

/// The extent of every table an archive moves.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ArchiveExtent {
    pub accounts: TableExtent,
    pub tokens: TableExtent,
    pub tickets: TableExtent,
    pub events: TableExtent,
}

/// What a write did with the rows it was given: stored them, or skipped them because a row with
/// the same id was there already.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    pub stored: u64,
    pub skipped: u64,
}

impl std::ops::AddAssign for Written {
    fn add_assign(&mut self, other: Self) {
        self.stored += other.stored;
        self.skipped += other.skipped;
    }
}

/// What writing a batch of tickets did with its tickets and with their events.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BatchWritten {
    pub tickets: Written,
    pub events: Written,
}

impl std::ops::AddAssign for BatchWritten {
    fn add_assign(&mut self, other: Self) {
        self.tickets += other.tickets;
        self.events += other.events;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::Actor;
    use crate::choices::{Category, Priority, Status};
    use crate::history::TicketField;
    use crate::ticket::{Description, Title};

    fn ticket(id: i64) -> TicketRecord {
        TicketRecord {
            ticket: Ticket {
                id: TicketId::new(id).unwrap(),
                title: Title::parse("t".into()).unwrap(),
                description: Description::parse("d".into()).unwrap(),
                category: Category::General,
                priority: Priority::Low,
                status: Status::Open,
                created_at: DateTime::UNIX_EPOCH,
                version: 1,
            },
            created_by: Actor::Public,
        }
    }

    fn event(id: i64, ticket_id: i64) -> EventRecord {
        EventRecord {
            id,
            ticket_id: TicketId::new(ticket_id).unwrap(),
            version: 2,
            at: DateTime::UNIX_EPOCH,
            actor: Actor::Public,
            change: FieldChange { field: TicketField::Status, from: "open".into(), to: "closed".into() },
        }
    }

    #[test]
    fn a_batch_hands_each_ticket_its_own_events() {
        let batch = TicketBatch {
            tickets: vec![ticket(1), ticket(2), ticket(5)],
            events: vec![event(3, 1), event(7, 1), event(4, 5)],
        };
        let grouped: Vec<(i64, Vec<i64>)> = batch
            .by_ticket()
            .map(|(record, events)| (record.ticket.id.get(), events.iter().map(|event| event.id).collect()))
            .collect();
        assert_eq!(grouped, [(1, vec![3, 7]), (2, vec![]), (5, vec![4])]);
        assert_eq!(batch.last_id(), TicketId::new(5));
    }
}
