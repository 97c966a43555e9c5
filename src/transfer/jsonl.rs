//! The export file: JSON Lines, one object a line, each with a `"type"`. A header first, then the
//! accounts, then each ticket followed by its events, all in id order, and last an end line with
//! the counts, so that a file cut short is told from a whole one. Times are RFC 3339 in UTC with
//! microseconds, as the stores keep them.

use std::fmt;
use std::io::{self, BufRead, Write};

use chrono::{DateTime, Utc};
use domain::{
    ARCHIVE_LIMITS, Account, AccountId, AccountRecord, Actor, Choice, Description, DisplayName, Email, EventRecord,
    FieldChange, Role, Ticket, TicketBatch, TicketField, TicketId, TicketRecord, Title,
};
use serde::{Deserialize, Serialize, Serializer};

/// What the header calls this kind of file.
pub const FORMAT: &str = "helpdesk-export";
/// The version of the format this program writes and reads.
pub const VERSION: u64 = 1;

/// How many rows of each kind a file holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub accounts: u64,
    pub tickets: u64,
    pub events: u64,
}

/// A point in time as the file writes it: `2026-11-29T08:15:02.123456Z`.
struct Time(DateTime<Utc>);

impl Serialize for Time {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0.format("%Y-%m-%dT%H:%M:%S%.6fZ"))
    }
}

#[derive(Serialize)]
struct ActorOut<'a> {
    kind: &'static str,
    id: Option<i64>,
    name: &'a str,
}

impl<'a> From<&'a Actor> for ActorOut<'a> {
    fn from(actor: &'a Actor) -> Self {
        Self { kind: actor.kind(), id: actor.id(), name: actor.name() }
    }
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum LineOut<'a> {
    Header {
        format: &'static str,
        version: u64,
    },
    Account {
        id: i64,
        email: &'a str,
        name: &'a str,
        role: &'static str,
        disabled: bool,
        created_at: Time,
    },
    Ticket {
        id: i64,
        title: &'a str,
        description: &'a str,
        category: &'static str,
        priority: &'static str,
        status: &'static str,
        created_at: Time,
        version: u64,
        created_by: Option<ActorOut<'a>>,
    },
    Event {
        id: i64,
        ticket_id: i64,
        version: u64,
        at: Time,
        actor: ActorOut<'a>,
        field: &'static str,
        from: &'a str,
        to: &'a str,
    },
    End(Counts),
}

/// Writes an export to `out`: [`header`](Self::header), accounts, ticket batches, [`end`](Self::end).
pub struct ExportWriter<W: Write> {
    out: W,
    counts: Counts,
}

impl<W: Write> ExportWriter<W> {
    pub fn new(out: W) -> Self {
        Self { out, counts: Counts::default() }
    }

    fn line(&mut self, line: &LineOut) -> io::Result<()> {
        serde_json::to_writer(&mut self.out, line)?;
        self.out.write_all(b"\n")
    }

    pub fn header(&mut self) -> io::Result<()> {
        self.line(&LineOut::Header { format: FORMAT, version: VERSION })
    }

    /// The account without its password hash.
    pub fn account(&mut self, record: &AccountRecord) -> io::Result<()> {
        let account = &record.account;
        self.line(&LineOut::Account {
            id: account.id.get(),
            email: account.email.as_str(),
            name: account.name.as_str(),
            role: account.role.as_str(),
            disabled: account.disabled,
            created_at: Time(account.created_at),
        })?;
        self.counts.accounts += 1;
        Ok(())
    }

    pub fn tickets(&mut self, batch: &TicketBatch) -> io::Result<()> {
        for (record, events) in batch.by_ticket() {
            let ticket = &record.ticket;
            self.line(&LineOut::Ticket {
                id: ticket.id.get(),
                title: ticket.title.as_str(),
                description: ticket.description.as_str(),
                category: ticket.category.as_str(),
                priority: ticket.priority.as_str(),
                status: ticket.status.as_str(),
                created_at: Time(ticket.created_at),
                version: ticket.version,
                created_by: match &record.created_by {
                    Actor::Unrecorded => None,
                    actor => Some(ActorOut::from(actor)),
                },
            })?;
            for event in events {
                self.line(&LineOut::Event {
                    id: event.id,
                    ticket_id: event.ticket_id.get(),
                    version: event.version,
                    at: Time(event.at),
                    actor: ActorOut::from(&event.actor),
                    field: event.change.field.as_str(),
                    from: &event.change.from,
                    to: &event.change.to,
                })?;
            }
            self.counts.tickets += 1;
            self.counts.events += events.len() as u64;
        }
        Ok(())
    }

    /// Writes the end line and hands back the output, flushed, and what it holds.
    pub fn end(mut self) -> io::Result<(W, Counts)> {
        let counts = self.counts;
        self.line(&LineOut::End(counts))?;
        self.out.flush()?;
        Ok((self.out, counts))
    }
}

/// The header as far as any version shares it: enough to tell what the file is.
#[derive(Deserialize)]
struct HeaderIn {
    #[serde(rename = "type")]
    kind: String,
    format: String,
    version: u64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorIn {
    kind: String,
    id: Option<i64>,
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountIn {
    id: i64,
    email: String,
    name: String,
    role: String,
    disabled: bool,
    created_at: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TicketIn {
    id: i64,
    title: String,
    description: String,
    category: String,
    priority: String,
    status: String,
    created_at: String,
    version: u64,
    created_by: Option<ActorIn>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventIn {
    id: i64,
    ticket_id: i64,
    version: u64,
    at: String,
    actor: ActorIn,
    field: String,
    from: String,
    to: String,
}

#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum LineIn {
    Header(serde::de::IgnoredAny),
    Account(AccountIn),
    Ticket(TicketIn),
    Event(EventIn),
    End(Counts),
}

/// What is wrong with a file, and on which line.
#[derive(Debug)]
pub struct FormatError {
    /// 1 for the first line; `None` for the file as a whole.
    pub line: Option<u64>,
    pub problem: String,
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.problem),
            None => f.write_str(&self.problem),
        }
    }
}

impl std::error::Error for FormatError {}

/// One row read from a file.
pub enum Item {
    Account(AccountRecord),
    Ticket(TicketRecord),
    Event(EventRecord),
}

/// Where the reader is in a file's order.
#[derive(Clone, Copy)]
enum Section {
    Accounts { last: i64 },
    Tickets { ticket: TicketId, last_event: i64 },
    Ended,
}

/// Reads an export line by line, checking every line and the order of the whole file.
pub struct ExportReader<R: BufRead> {
    input: R,
    buffer: String,
    line: u64,
    section: Section,
    counts: Counts,
}

impl<R: BufRead> ExportReader<R> {
    /// Reads the header and refuses a file that is not an export this program reads.
    pub fn open(mut input: R) -> Result<Self, FormatError> {
        let mut buffer = String::new();
        let not_an_export = || FormatError {
            line: None,
            problem: format!(
                "this is not a helpdesk export: its first line is not {{\"type\":\"header\",\"format\":\"{FORMAT}\",…}}"
            ),
        };
        match input.read_line(&mut buffer) {
            Ok(0) => return Err(FormatError { line: None, problem: "the file is empty".into() }),
            Ok(_) => {}
            Err(error) if error.kind() == io::ErrorKind::InvalidData => return Err(not_an_export()),
            Err(error) => return Err(FormatError { line: Some(1), problem: error.to_string() }),
        }
        let header: HeaderIn = serde_json::from_str(&buffer).map_err(|_| not_an_export())?;
        if header.kind != "header" || header.format != FORMAT {
            return Err(not_an_export());
        }
        if header.version != VERSION {
            return Err(FormatError {
                line: Some(1),
                problem: format!(
                    "this export is in version {} of the format; this helpdesk reads version {VERSION}{}",
                    header.version,
                    if header.version > VERSION { ": import it with a newer helpdesk" } else { "" }
                ),
            });
        }
        Ok(Self { input, buffer, line: 1, section: Section::Accounts { last: 0 }, counts: Counts::default() })
    }

    fn error(&self, problem: impl Into<String>) -> FormatError {
        FormatError { line: Some(self.line), problem: problem.into() }
    }

    /// The next row, or `None` after the end line, when the file ends there.
    pub fn next_item(&mut self) -> Result<Option<Item>, FormatError> {
        loop {
            self.buffer.clear();
            let read = self.input.read_line(&mut self.buffer).map_err(|error| FormatError {
                line: Some(self.line + 1),
                problem: if error.kind() == io::ErrorKind::InvalidData {
                    "the line is not UTF-8".to_owned()
                } else {
                    error.to_string()
                },
            })?;
            if read == 0 {
                return match self.section {
                    Section::Ended => Ok(None),
                    _ => Err(FormatError {
                        line: None,
                        problem: format!(
                            "the file ends after line {} without its end line: it was cut short (export it again)",
                            self.line
                        ),
                    }),
                };
            }
            self.line += 1;
            if matches!(self.section, Section::Ended) {
                return Err(self.error("nothing may follow the end line"));
            }
            let text = self.buffer.trim_end_matches(['\n', '\r']);
            if text.is_empty() {
                return Err(self.error("the line is empty"));
            }
            let parsed: LineIn = serde_json::from_str(text).map_err(|error| self.error(error.to_string()))?;
            match parsed {
                LineIn::Header(_) => return Err(self.error("a second header")),
                LineIn::Account(account) => return self.account(account).map(Some),
                LineIn::Ticket(ticket) => return self.ticket(ticket).map(Some),
                LineIn::Event(event) => return self.event(event).map(Some),
                LineIn::End(counts) => {
                    if counts != self.counts {
                        return Err(self.error(format!(
                            "the end line counts {} accounts, {} tickets and {} events, but the file holds {}, {} and {}",
                            counts.accounts,
                            counts.tickets,
                            counts.events,
                            self.counts.accounts,
                            self.counts.tickets,
                            self.counts.events
                        )));
                    }
                    self.section = Section::Ended;
                }
            }
        }
    }

    /// How many rows of each kind were read so far.
    pub fn counts(&self) -> Counts {
        self.counts
    }

    /// The number of the last line read.
    pub fn line(&self) -> u64 {
        self.line
    }

    fn account(&mut self, line: AccountIn) -> Result<Item, FormatError> {
        let Section::Accounts { last } = self.section else {
            return Err(self.error("an account after the tickets: accounts come first"));
        };
        if line.id <= last {
            return Err(self.error(format!("account {} after account {last}: accounts come in id order", line.id)));
        }
        let problems = |field: &str, problems: Vec<String>| self.error(format!("{field}: {}", problems.join(" ")));
        let account = Account {
            id: AccountId::new(line.id).ok_or_else(|| self.error("id: must be a positive number"))?,
            email: Email::parse(&line.email).map_err(|p| problems("email", p))?,
            name: DisplayName::parse(&line.name).map_err(|p| problems("name", p))?,
            role: Role::parse(&line.role).ok_or_else(|| self.error(choice_problem("role", &line.role, Role::ALL)))?,
            disabled: line.disabled,
            created_at: self.time("created_at", &line.created_at)?,
        };
        self.section = Section::Accounts { last: line.id };
        self.counts.accounts += 1;
        Ok(Item::Account(AccountRecord { account, password_hash: None }))
    }

    fn ticket(&mut self, line: TicketIn) -> Result<Item, FormatError> {
        let after = match self.section {
            Section::Accounts { .. } => 0,
            Section::Tickets { ticket, .. } => ticket.get(),
            Section::Ended => unreachable!("checked before"),
        };
        if line.id <= after {
            return Err(self.error(format!("ticket {} after ticket {after}: tickets come in id order", line.id)));
        }
        let problems = |field: &str, problems: Vec<String>| self.error(format!("{field}: {}", problems.join(" ")));
        let id = TicketId::new(line.id).ok_or_else(|| self.error("id: must be a positive number"))?;
        let ticket = Ticket {
            id,
            title: Title::parse(line.title).map_err(|p| problems("title", p))?,
            description: Description::parse_within(line.description, &ARCHIVE_LIMITS)
                .map_err(|p| problems("description", p))?,
            category: self.choice("category", &line.category)?,
            priority: self.choice("priority", &line.priority)?,
            status: self.choice("status", &line.status)?,
            created_at: self.time("created_at", &line.created_at)?,
            version: Some(line.version).filter(|v| *v >= 1).ok_or_else(|| self.error("version: must be 1 or more"))?,
        };
        let created_by = match line.created_by {
            None => Actor::Unrecorded,
            Some(actor) => self.actor("created_by", actor)?,
        };
        self.section = Section::Tickets { ticket: id, last_event: 0 };
        self.counts.tickets += 1;
        Ok(Item::Ticket(TicketRecord { ticket, created_by }))
    }

    fn event(&mut self, line: EventIn) -> Result<Item, FormatError> {
        let Section::Tickets { ticket, last_event } = self.section else {
            return Err(self.error("an event before any ticket: each event follows its ticket"));
        };
        if line.ticket_id != ticket.get() {
            return Err(self.error(format!(
                "an event of ticket {} after ticket {}: each event follows its ticket",
                line.ticket_id,
                ticket.get()
            )));
        }
        if line.id <= last_event {
            return Err(
                self.error(format!("event {} after event {last_event}: a ticket's events come in id order", line.id))
            );
        }
        let field = TicketField::parse(&line.field).ok_or_else(|| {
            self.error(format!(
                "field: {:?} is not one of {}",
                line.field,
                TicketField::ALL.map(TicketField::as_str).join(", ")
            ))
        })?;
        let event = EventRecord {
            id: line.id,
            ticket_id: ticket,
            version: line.version,
            at: self.time("at", &line.at)?,
            actor: match self.actor("actor", line.actor)? {
                Actor::Unrecorded => unreachable!("actor() refuses it"),
                actor => actor,
            },
            change: FieldChange { field, from: line.from, to: line.to },
        };
        self.section = Section::Tickets { ticket, last_event: line.id };
        self.counts.events += 1;
        Ok(Item::Event(event))
    }

    fn choice<C: Choice>(&self, field: &str, label: &str) -> Result<C, FormatError> {
        C::parse(label).ok_or_else(|| self.error(choice_problem(field, label, C::ALL)))
    }

    fn time(&self, field: &str, text: &str) -> Result<DateTime<Utc>, FormatError> {
        DateTime::parse_from_rfc3339(text)
            .ok()
            .and_then(|at| DateTime::from_timestamp_micros(at.timestamp_micros()))
            .ok_or_else(|| self.error(format!("{field}: {text:?} is not an RFC 3339 time")))
    }

    fn actor(&self, field: &str, actor: ActorIn) -> Result<Actor, FormatError> {
        Actor::from_parts(Some(&actor.kind), actor.id, actor.name.as_deref())
            .filter(|actor| !matches!(actor, Actor::Unrecorded))
            .ok_or_else(|| {
                self.error(format!(
                    "{field}: kind must be public, account or token, and an account or token needs its id and name"
                ))
            })
    }
}

fn choice_problem<C: Choice>(field: &str, label: &str, all: &[C]) -> String {
    let names: Vec<&str> = all.iter().map(|choice| choice.as_str()).collect();
    format!("{field}: {label:?} is not one of {}", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::{Category, PasswordHash, Priority, Status};

    fn at(micros: i64) -> DateTime<Utc> {
        DateTime::from_timestamp_micros(micros).unwrap()
    }

    fn sample() -> (AccountRecord, TicketBatch) {
        let account = AccountRecord {
            account: Account {
                id: AccountId::new(3).unwrap(),
                email: Email::parse("Ann@Example.com").unwrap(),
                name: DisplayName::parse("Ann \"the admin\"").unwrap(),
                role: Role::Admin,
                disabled: false,
                created_at: at(1_700_000_000_123_456),
            },
            password_hash: Some(PasswordHash::new("$argon2id$secret".into())),
        };
        let ticket = |id, created_by| TicketRecord {
            ticket: Ticket {
                id: TicketId::new(id).unwrap(),
                title: Title::parse("Écran noir\u{2028}après \\ la mise à jour 🙂".into()).unwrap(),
                description: Description::parse("line one\nline two\t\"quoted\"".into()).unwrap(),
                category: Category::Technical,
                priority: Priority::High,
                status: Status::Resolved,
                created_at: at(1_700_000_001_000_001),
                version: 2,
            },
            created_by,
        };
        let batch = TicketBatch {
            tickets: vec![
                ticket(7, Actor::Account { id: 3, name: "Ann".into() }),
                ticket(8, Actor::Unrecorded),
                ticket(9, Actor::Public),
            ],
            events: vec![EventRecord {
                id: 11,
                ticket_id: TicketId::new(7).unwrap(),
                version: 2,
                at: at(1_700_000_002_000_000),
                actor: Actor::Token { id: 4, name: "nightly".into() },
                change: FieldChange { field: TicketField::Status, from: "open".into(), to: "resolved".into() },
            }],
        };
        (account, batch)
    }

    fn export(account: &AccountRecord, batch: &TicketBatch) -> String {
        let mut writer = ExportWriter::new(Vec::new());
        writer.header().unwrap();
        writer.account(account).unwrap();
        writer.tickets(batch).unwrap();
        let (bytes, counts) = writer.end().unwrap();
        assert_eq!(counts, Counts { accounts: 1, tickets: 3, events: 1 });
        String::from_utf8(bytes).unwrap()
    }

    fn read(text: &str) -> Result<Vec<Item>, FormatError> {
        let mut reader = ExportReader::open(text.as_bytes())?;
        let mut items = Vec::new();
        while let Some(item) = reader.next_item()? {
            items.push(item);
        }
        Ok(items)
    }

    #[test]
    fn every_line_has_its_type_and_times_have_microseconds() {
        let (account, batch) = sample();
        let text = export(&account, &batch);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], r#"{"type":"header","format":"helpdesk-export","version":1}"#);
        assert_eq!(
            lines[1],
            r#"{"type":"account","id":3,"email":"Ann@Example.com","name":"Ann \"the admin\"","role":"admin","disabled":false,"created_at":"2023-11-14T22:13:20.123456Z"}"#
        );
        assert!(!text.contains("argon2"), "no password hash in an export");
        assert!(lines[2].starts_with(r#"{"type":"ticket","id":7,"title":"Écran noir"#), "{}", lines[2]);
        assert!(lines[2].ends_with(r#""version":2,"created_by":{"kind":"account","id":3,"name":"Ann"}}"#));
        assert_eq!(
            lines[3],
            r#"{"type":"event","id":11,"ticket_id":7,"version":2,"at":"2023-11-14T22:13:22.000000Z","actor":{"kind":"token","id":4,"name":"nightly"},"field":"status","from":"open","to":"resolved"}"#
        );
        assert!(lines[4].ends_with(r#""created_by":null}"#));
        assert!(lines[5].ends_with(r#""created_by":{"kind":"public","id":null,"name":"public submission"}}"#));
        assert_eq!(lines[6], r#"{"type":"end","accounts":1,"tickets":3,"events":1}"#);
        assert_eq!(lines.len(), 7);
    }

    #[test]
    fn what_is_written_reads_back_the_same_but_the_password() {
        let (account, batch) = sample();
        let items = read(&export(&account, &batch)).unwrap();
        let mut tickets = Vec::new();
        let mut events = Vec::new();
        for item in items {
            match item {
                Item::Account(read) => assert_eq!(read, AccountRecord { password_hash: None, ..account.clone() }),
                Item::Ticket(ticket) => tickets.push(ticket),
                Item::Event(event) => events.push(event),
            }
        }
        assert_eq!(TicketBatch { tickets, events }, batch);
    }

    fn problem_of(text: &str) -> String {
        read(text).err().expect("refused").to_string()
    }

    #[test]
    fn a_bad_line_is_named_by_its_number() {
        let (account, batch) = sample();
        let good = export(&account, &batch);
        let with_line = |number: usize, line: &str| {
            let mut lines: Vec<&str> = good.lines().collect();
            lines[number - 1] = line;
            lines.join("\n") + "\n"
        };
        let ticket = good.lines().nth(2).unwrap();
        let cases = [
            (with_line(3, &ticket.replace("technical", "hardware")), "line 3: category: \"hardware\" is not one of"),
            (with_line(3, "{not json"), "line 3: key must be a string"),
            (with_line(3, &ticket.replace("\"version\":2", "\"version\":2,\"extra\":1")), "line 3: unknown field"),
            (
                with_line(4, &good.lines().nth(3).unwrap().replace("\"ticket_id\":7", "\"ticket_id\":8")),
                "line 4: an event of ticket 8",
            ),
            (with_line(5, good.lines().nth(2).unwrap()), "line 5: ticket 7 after ticket 7"),
            (with_line(7, r#"{"type":"end","accounts":1,"tickets":2,"events":1}"#), "line 7: the end line counts"),
            (
                with_line(
                    2,
                    r#"{"type":"account","id":3,"email":"nope","name":"A","role":"admin","disabled":false,"created_at":"2023-11-14T22:13:20Z"}"#,
                ),
                "line 2: email:",
            ),
            (
                with_line(3, &ticket.replace("2023-11-14T22:13:21.000001Z", "yesterday")),
                "line 3: created_at: \"yesterday\"",
            ),
            (good.lines().take(6).collect::<Vec<_>>().join("\n"), "without its end line: it was cut short"),
            (good.clone() + "\n", "line 8: nothing may follow the end line"),
            (good.replacen("helpdesk-export", "other", 1), "this is not a helpdesk export"),
            ("id,title\n1,x\n".into(), "this is not a helpdesk export"),
            (
                good.replacen("\"version\":1", "\"version\":2", 1),
                "version 2 of the format; this helpdesk reads version 1: import it with a newer",
            ),
        ];
        for (text, expected) in cases {
            let problem = problem_of(&text);
            assert!(problem.contains(expected), "{problem:?} should say {expected:?}");
        }
    }
}
