//! A checksum per table of a whole store, to tell whether two stores hold the same rows: SHA-256
//! over every row's canonical form (each field in a fixed order, texts and bytes preceded by their
//! length), in id order, as the store's [`Archive`] reads them. Secrets count: a copied password
//! hash or token digest must be the same too.

use chrono::{DateTime, Utc};
use domain::{AccountRecord, Actor, Archive, Choice, EventRecord, RepositoryError, TicketRecord, TokenRecord};
use sha2::{Digest, Sha256};

/// The rows of one table and their checksum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableSum {
    pub rows: u64,
    pub sha256: [u8; 32],
}

impl TableSum {
    /// The first 16 hex digits, enough to compare by eye.
    pub fn short(&self) -> String {
        self.sha256[..8].iter().map(|byte| format!("{byte:02x}")).collect()
    }
}

/// The checksum of every table a copy moves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreSums {
    pub accounts: TableSum,
    pub tokens: TableSum,
    pub tickets: TableSum,
    pub events: TableSum,
}

impl StoreSums {
    /// Each table with its name as the store calls it.
    pub fn tables(&self) -> [(&'static str, TableSum); 4] {
        [
            ("accounts", self.accounts),
            ("api_tokens", self.tokens),
            ("tickets", self.tickets),
            ("ticket_events", self.events),
        ]
    }
}

#[derive(Default)]
struct Sum {
    rows: u64,
    hasher: Sha256,
}

impl Sum {
    fn row(&mut self, write: impl FnOnce(&mut Canonical)) {
        self.rows += 1;
        write(&mut Canonical(&mut self.hasher));
    }

    fn finish(self) -> TableSum {
        TableSum { rows: self.rows, sha256: self.hasher.finalize().into() }
    }
}

/// Writes fields so that no two different rows write the same bytes.
struct Canonical<'a>(&'a mut Sha256);

impl Canonical<'_> {
    fn int(&mut self, n: i64) -> &mut Self {
        self.0.update(n.to_le_bytes());
        self
    }

    fn bytes(&mut self, bytes: &[u8]) -> &mut Self {
        self.int(bytes.len() as i64);
        self.0.update(bytes);
        self
    }

    fn text(&mut self, text: &str) -> &mut Self {
        self.bytes(text.as_bytes())
    }

    fn time(&mut self, at: DateTime<Utc>) -> &mut Self {
        self.int(at.timestamp_micros())
    }

    fn optional_time(&mut self, at: Option<DateTime<Utc>>) -> &mut Self {
        match at {
            None => self.int(0),
            Some(at) => self.int(1).time(at),
        }
    }

    fn actor(&mut self, actor: &Actor) -> &mut Self {
        self.text(actor.kind()).int(actor.id().unwrap_or(0)).text(actor.name())
    }
}

fn account(out: &mut Canonical, record: &AccountRecord) {
    let account = &record.account;
    out.int(account.id.get())
        .text(account.email.as_str())
        .text(account.name.as_str())
        .text(account.role.as_str())
        .int(account.disabled.into())
        .time(account.created_at);
    match &record.password_hash {
        None => out.int(0),
        Some(hash) => out.int(1).text(hash.as_str()),
    };
}

fn token(out: &mut Canonical, token: &TokenRecord) {
    out.int(token.id.get())
        .bytes(&token.digest.0)
        .text(token.name.as_str())
        .text(token.role.as_str())
        .int(token.created_by.map_or(0, |id| id.get()))
        .time(token.created_at)
        .optional_time(token.last_used_at)
        .optional_time(token.expires_at)
        .optional_time(token.revoked_at);
}

fn ticket(out: &mut Canonical, record: &TicketRecord) {
    let ticket = &record.ticket;
    out.int(ticket.id.get())
        .text(ticket.title.as_str())
        .text(ticket.description.as_str())
        .text(ticket.category.as_str())
        .text(ticket.priority.as_str())
        .text(ticket.status.as_str())
        .time(ticket.created_at)
        .int(ticket.version as i64)
        .actor(&record.created_by);
}

fn event(out: &mut Canonical, event: &EventRecord) {
    out.int(event.id)
        .int(event.ticket_id.get())
        .int(event.version as i64)
        .time(event.at)
        .actor(&event.actor)
        .text(event.change.field.as_str())
        .text(&event.change.from)
        .text(&event.change.to);
}

/// Reads the whole store in batches of `batch` rows and sums every table, telling `tickets_read`
/// how many tickets each batch had.
pub async fn store_sums(
    archive: &dyn Archive,
    batch: usize,
    tickets_read: &dyn Fn(u64),
) -> Result<StoreSums, RepositoryError> {
    let mut accounts = Sum::default();
    let mut after = 0;
    loop {
        let rows = archive.read_accounts(after, batch).await?;
        let Some(last) = rows.last() else { break };
        after = last.account.id.get();
        rows.iter().for_each(|row| accounts.row(|out| account(out, row)));
    }
    let mut tokens = Sum::default();
    let mut after = 0;
    loop {
        let rows = archive.read_tokens(after, batch).await?;
        let Some(last) = rows.last() else { break };
        after = last.id.get();
        rows.iter().for_each(|row| tokens.row(|out| token(out, row)));
    }
    let (mut tickets, mut events) = (Sum::default(), Sum::default());
    let mut after = 0;
    loop {
        let rows = archive.read_tickets(after, batch).await?;
        let Some(last) = rows.last_id() else { break };
        after = last.get();
        rows.tickets.iter().for_each(|row| tickets.row(|out| ticket(out, row)));
        rows.events.iter().for_each(|row| events.row(|out| event(out, row)));
        tickets_read(rows.tickets.len() as u64);
    }
    Ok(StoreSums {
        accounts: accounts.finish(),
        tokens: tokens.finish(),
        tickets: tickets.finish(),
        events: events.finish(),
    })
}
