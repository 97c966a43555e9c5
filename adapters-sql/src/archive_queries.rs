//! The archive queries (whole tables in batches, with their ids), written once for every SQL
//! backend.

/// Implements [`crate::ArchiveQueries`] for a backend's connection, in a module of its own named
/// `archive_queries`. The invocation names, by absolute path, the connection, the backend, the
/// [`crate::Dialect`] and the backend's module of [`crate::schema`], as for
/// [`ticket_queries!`](crate::ticket_queries), and:
///
/// - `follow_ids`: a function `(&mut connection, table: &'static str) -> QueryResult<()>` run
///   after rows with explicit ids were written to `table`, in the same transaction, that makes
///   the ids the store assigns itself from then on come after them.
#[macro_export]
#[doc(hidden)]
macro_rules! archive_queries {
    (
        connection: $connection:ty,
        backend: $backend:ty,
        dialect: $dialect:ty,
        schema: $schema:path,
        follow_ids: $follow_ids:path $(,)?
    ) => {
        mod archive_queries {
            use chrono::{DateTime, Utc};
            use diesel::prelude::*;
            use domain::{
                ARCHIVE_LIMITS, AccountId, AccountRecord, Actor, ArchiveExtent, BatchWritten, Choice, Description,
                EventRecord, FieldChange, PasswordHash, Role, SecretDigest, TableExtent, Ticket, TicketBatch,
                TicketField, TicketId, TicketRecord, Title, TokenId, TokenName, TokenRecord, Written,
            };
            use schema::{accounts, api_tokens, ticket_events, tickets};
            use $crate::rows::CorruptRow;
            use $crate::{Dialect, QueryError};
            use $schema as schema;

            type DbTime = <$dialect as Dialect>::Time;

            fn db_time(time: DateTime<Utc>) -> DbTime {
                <$dialect as Dialect>::to_db_time(time)
            }

            fn utc(time: DbTime) -> Option<DateTime<Utc>> {
                <$dialect as Dialect>::from_db_time(time)
            }

            fn limit(rows: usize) -> i64 {
                i64::try_from(rows).unwrap_or(i64::MAX)
            }

            fn version(version: u64) -> i64 {
                i64::try_from(version).unwrap_or(i64::MAX)
            }

            #[derive(Queryable, Selectable)]
            #[diesel(table_name = accounts, check_for_backend($backend))]
            struct AccountRow {
                id: i64,
                email: String,
                name: String,
                role: String,
                disabled: bool,
                password_hash: String,
                created_at: DbTime,
            }

            impl AccountRow {
                fn into_record(self) -> Result<AccountRecord, QueryError> {
                    let account = $crate::rows::account(
                        self.id,
                        &self.email,
                        &self.name,
                        &self.role,
                        self.disabled,
                        utc(self.created_at),
                    )?;
                    let password_hash = (self.password_hash != $crate::archive_repository::NO_PASSWORD_HASH)
                        .then(|| PasswordHash::new(self.password_hash));
                    Ok(AccountRecord { account, password_hash })
                }
            }

            #[derive(Insertable)]
            #[diesel(table_name = accounts)]
            struct NewAccountRow<'a> {
                id: i64,
                email: &'a str,
                email_key: String,
                name: &'a str,
                role: &'static str,
                disabled: bool,
                password_hash: &'a str,
                created_at: DbTime,
            }

            impl<'a> From<&'a AccountRecord> for NewAccountRow<'a> {
                fn from(record: &'a AccountRecord) -> Self {
                    let account = &record.account;
                    Self {
                        id: account.id.get(),
                        email: account.email.as_str(),
                        email_key: account.email.key(),
                        name: account.name.as_str(),
                        role: account.role.as_str(),
                        disabled: account.disabled,
                        password_hash: record
                            .password_hash
                            .as_ref()
                            .map_or($crate::archive_repository::NO_PASSWORD_HASH, PasswordHash::as_str),
                        created_at: db_time(account.created_at),
                    }
                }
            }

            #[derive(Queryable, Selectable)]
            #[diesel(table_name = api_tokens, check_for_backend($backend))]
            struct TokenRow {
                id: i64,
                digest: Vec<u8>,
                name: String,
                role: String,
                created_by: Option<i64>,
                created_at: DbTime,
                last_used_at: Option<DbTime>,
                expires_at: Option<DbTime>,
                revoked_at: Option<DbTime>,
            }

            impl TokenRow {
                fn into_record(self) -> Result<TokenRecord, QueryError> {
                    let id = self.id;
                    let corrupt = |field| CorruptRow::new(id, field);
                    let time = |at: Option<DbTime>, field| at.map(|at| utc(at).ok_or(corrupt(field))).transpose();
                    Ok(TokenRecord {
                        id: TokenId::new(id).ok_or(corrupt("id"))?,
                        digest: SecretDigest(self.digest.as_slice().try_into().map_err(|_| corrupt("digest"))?),
                        name: TokenName::parse(&self.name).map_err(|_| corrupt("name"))?,
                        role: Role::parse(&self.role).ok_or(corrupt("role"))?,
                        created_by: self
                            .created_by
                            .map(|creator| AccountId::new(creator).ok_or(corrupt("created_by")))
                            .transpose()?,
                        created_at: utc(self.created_at).ok_or(corrupt("created_at"))?,
                        last_used_at: time(self.last_used_at, "last_used_at")?,
                        expires_at: time(self.expires_at, "expires_at")?,
                        revoked_at: time(self.revoked_at, "revoked_at")?,
                    })
                }
            }

            #[derive(Insertable)]
            #[diesel(table_name = api_tokens, treat_none_as_default_value = false)]
            struct NewTokenRow<'a> {
                id: i64,
                digest: &'a [u8],
                name: &'a str,
                role: &'static str,
                created_by: Option<i64>,
                created_at: DbTime,
                last_used_at: Option<DbTime>,
                expires_at: Option<DbTime>,
                revoked_at: Option<DbTime>,
            }

            impl<'a> From<&'a TokenRecord> for NewTokenRow<'a> {
                fn from(token: &'a TokenRecord) -> Self {
                    Self {
                        id: token.id.get(),
                        digest: &token.digest.0[..],
                        name: token.name.as_str(),
                        role: token.role.as_str(),
                        created_by: token.created_by.map(AccountId::get),
                        created_at: db_time(token.created_at),
                        last_used_at: token.last_used_at.map(db_time),
                        expires_at: token.expires_at.map(db_time),
                        revoked_at: token.revoked_at.map(db_time),
                    }
                }
            }

            #[derive(Queryable, Selectable)]
            #[diesel(table_name = tickets, check_for_backend($backend))]
            struct TicketRow {
                id: i64,
                title: String,
                description: String,
                category: String,
                priority: String,
                status: String,
                created_at: DbTime,
                version: i64,
                created_by_kind: Option<String>,
                created_by_id: Option<i64>,
                created_by_name: Option<String>,
            }

            impl TicketRow {
                fn into_record(self) -> Result<TicketRecord, QueryError> {
                    let id = self.id;
                    let corrupt = |field| CorruptRow::new(id, field);
                    let created_by = Actor::from_parts(
                        self.created_by_kind.as_deref(),
                        self.created_by_id,
                        self.created_by_name.as_deref(),
                    )
                    .ok_or(corrupt("created_by"))?;
                    let ticket = Ticket {
                        id: TicketId::new(id).ok_or(corrupt("id"))?,
                        title: Title::parse(self.title).map_err(|_| corrupt("title"))?,
                        description: Description::parse_within(self.description, &ARCHIVE_LIMITS)
                            .map_err(|_| corrupt("description"))?,
                        category: Choice::parse(&self.category).ok_or(corrupt("category"))?,
                        priority: Choice::parse(&self.priority).ok_or(corrupt("priority"))?,
                        status: Choice::parse(&self.status).ok_or(corrupt("status"))?,
                        created_at: utc(self.created_at).ok_or(corrupt("created_at"))?,
                        version: u64::try_from(self.version).ok().filter(|v| *v >= 1).ok_or(corrupt("version"))?,
                    };
                    Ok(TicketRecord { ticket, created_by })
                }
            }

            #[derive(Insertable)]
            #[diesel(table_name = tickets, treat_none_as_default_value = false)]
            struct NewTicketRow<'a> {
                id: i64,
                title: &'a str,
                description: &'a str,
                category: &'static str,
                priority: &'static str,
                status: &'static str,
                created_at: DbTime,
                search_title: String,
                search_description: String,
                version: i64,
                created_by_kind: Option<&'static str>,
                created_by_id: Option<i64>,
                created_by_name: Option<&'a str>,
            }

            impl<'a> From<&'a TicketRecord> for NewTicketRow<'a> {
                fn from(record: &'a TicketRecord) -> Self {
                    let ticket = &record.ticket;
                    let actor = &record.created_by;
                    let recorded = !matches!(actor, Actor::Unrecorded);
                    Self {
                        id: ticket.id.get(),
                        title: ticket.title.as_str(),
                        description: ticket.description.as_str(),
                        category: ticket.category.as_str(),
                        priority: ticket.priority.as_str(),
                        status: ticket.status.as_str(),
                        created_at: db_time(ticket.created_at),
                        search_title: domain::search_key(ticket.title.as_str()),
                        search_description: domain::search_key(ticket.description.as_str()),
                        version: version(ticket.version),
                        created_by_kind: recorded.then(|| actor.kind()),
                        created_by_id: actor.id(),
                        created_by_name: actor.id().map(|_| actor.name()),
                    }
                }
            }

            #[derive(Queryable, Selectable)]
            #[diesel(table_name = ticket_events, check_for_backend($backend))]
            struct EventRow {
                id: i64,
                ticket_id: i64,
                version: i64,
                at: DbTime,
                actor_kind: String,
                actor_id: Option<i64>,
                actor_name: String,
                field: String,
                old_value: String,
                new_value: String,
            }

            impl EventRow {
                fn into_record(self) -> Result<EventRecord, QueryError> {
                    let id = self.id;
                    let corrupt = |field| CorruptRow::new(id, field);
                    Ok(EventRecord {
                        id,
                        ticket_id: TicketId::new(self.ticket_id).ok_or(corrupt("ticket_id"))?,
                        version: u64::try_from(self.version).map_err(|_| corrupt("version"))?,
                        at: utc(self.at).ok_or(corrupt("at"))?,
                        actor: Actor::from_parts(Some(&self.actor_kind), self.actor_id, Some(&self.actor_name))
                            .ok_or(corrupt("actor"))?,
                        change: FieldChange {
                            field: TicketField::parse(&self.field).ok_or(corrupt("field"))?,
                            from: self.old_value,
                            to: self.new_value,
                        },
                    })
                }
            }

            #[derive(Insertable)]
            #[diesel(table_name = ticket_events, treat_none_as_default_value = false)]
            struct NewEventRow<'a> {
                id: i64,
                ticket_id: i64,
                version: i64,
                at: DbTime,
                actor_kind: &'static str,
                actor_id: Option<i64>,
                actor_name: &'a str,
                field: &'static str,
                old_value: &'a str,
                new_value: &'a str,
            }

            impl<'a> From<&'a EventRecord> for NewEventRow<'a> {
                fn from(event: &'a EventRecord) -> Self {
                    Self {
                        id: event.id,
                        ticket_id: event.ticket_id.get(),
                        version: version(event.version),
                        at: db_time(event.at),
                        actor_kind: event.actor.kind(),
                        actor_id: event.actor.id(),
                        actor_name: event.actor.name(),
                        field: event.change.field.as_str(),
                        old_value: &event.change.from,
                        new_value: &event.change.to,
                    }
                }
            }

            fn extent(counted: (i64, Option<i64>)) -> TableExtent {
                TableExtent { rows: u64::try_from(counted.0).unwrap_or(0), last_id: counted.1.unwrap_or(0) }
            }

            fn written(given: usize, stored: usize) -> Written {
                Written { stored: stored as u64, skipped: given.saturating_sub(stored) as u64 }
            }

            /// Keeps the events whose ticket is in `tickets` and not older than them: both are in
            /// ticket order.
            fn events_of(tickets: &[TicketRecord], events: Vec<EventRecord>) -> Vec<EventRecord> {
                let mut tickets = tickets.iter().peekable();
                events
                    .into_iter()
                    .filter(|event| {
                        while tickets.next_if(|record| record.ticket.id < event.ticket_id).is_some() {}
                        tickets.peek().is_some_and(|record| {
                            record.ticket.id == event.ticket_id && event.version <= record.ticket.version
                        })
                    })
                    .collect()
            }

            impl $crate::ArchiveQueries for $connection {
                fn archive_extent(&mut self) -> Result<ArchiveExtent, QueryError> {
                    use diesel::dsl::{count_star, max};
                    Ok(ArchiveExtent {
                        accounts: extent(accounts::table.select((count_star(), max(accounts::id))).get_result(self)?),
                        tokens: extent(api_tokens::table.select((count_star(), max(api_tokens::id))).get_result(self)?),
                        tickets: extent(tickets::table.select((count_star(), max(tickets::id))).get_result(self)?),
                        events: extent(
                            ticket_events::table.select((count_star(), max(ticket_events::id))).get_result(self)?,
                        ),
                    })
                }

                fn read_accounts(&mut self, after: i64, rows: usize) -> Result<Vec<AccountRecord>, QueryError> {
                    let rows: Vec<AccountRow> = accounts::table
                        .filter(accounts::id.gt(after))
                        .order(accounts::id.asc())
                        .limit(limit(rows))
                        .select(AccountRow::as_select())
                        .load(self)?;
                    rows.into_iter().map(AccountRow::into_record).collect()
                }

                fn read_tokens(&mut self, after: i64, rows: usize) -> Result<Vec<TokenRecord>, QueryError> {
                    let rows: Vec<TokenRow> = api_tokens::table
                        .filter(api_tokens::id.gt(after))
                        .order(api_tokens::id.asc())
                        .limit(limit(rows))
                        .select(TokenRow::as_select())
                        .load(self)?;
                    rows.into_iter().map(TokenRow::into_record).collect()
                }

                fn read_tickets(&mut self, after: i64, rows: usize) -> Result<TicketBatch, QueryError> {
                    let rows: Vec<TicketRow> = tickets::table
                        .filter(tickets::id.gt(after))
                        .order(tickets::id.asc())
                        .limit(limit(rows))
                        .select(TicketRow::as_select())
                        .load(self)?;
                    let Some(last) = rows.last().map(|row| row.id) else { return Ok(TicketBatch::default()) };
                    let events: Vec<EventRow> = ticket_events::table
                        .filter(ticket_events::ticket_id.gt(after))
                        .filter(ticket_events::ticket_id.le(last))
                        .order((ticket_events::ticket_id.asc(), ticket_events::id.asc()))
                        .select(EventRow::as_select())
                        .load(self)?;
                    let tickets = rows.into_iter().map(TicketRow::into_record).collect::<Result<Vec<_>, _>>()?;
                    let events = events.into_iter().map(EventRow::into_record).collect::<Result<Vec<_>, _>>()?;
                    let events = events_of(&tickets, events);
                    Ok(TicketBatch { tickets, events })
                }

                fn write_accounts(&mut self, records: &[AccountRecord]) -> Result<Written, QueryError> {
                    self.transaction(|conn| {
                        let mut stored = 0;
                        for chunk in records.chunks($crate::archive_repository::ROWS_PER_STATEMENT) {
                            let ids = chunk.iter().map(|record| record.account.id.get());
                            let present: Vec<i64> = accounts::table
                                .filter(accounts::id.eq_any(ids.collect::<Vec<_>>()))
                                .select(accounts::id)
                                .load(conn)?;
                            let rows: Vec<NewAccountRow> = chunk
                                .iter()
                                .filter(|record| !present.contains(&record.account.id.get()))
                                .map(NewAccountRow::from)
                                .collect();
                            if !rows.is_empty() {
                                stored += diesel::insert_into(accounts::table).values(&rows).execute(conn)?;
                            }
                        }
                        $follow_ids(conn, "accounts")?;
                        Ok(written(records.len(), stored))
                    })
                }

                fn write_tokens(&mut self, records: &[TokenRecord]) -> Result<Written, QueryError> {
                    self.transaction(|conn| {
                        let mut stored = 0;
                        for chunk in records.chunks($crate::archive_repository::ROWS_PER_STATEMENT) {
                            let ids = chunk.iter().map(|record| record.id.get());
                            let present: Vec<i64> = api_tokens::table
                                .filter(api_tokens::id.eq_any(ids.collect::<Vec<_>>()))
                                .select(api_tokens::id)
                                .load(conn)?;
                            let rows: Vec<NewTokenRow> = chunk
                                .iter()
                                .filter(|record| !present.contains(&record.id.get()))
                                .map(NewTokenRow::from)
                                .collect();
                            if !rows.is_empty() {
                                stored += diesel::insert_into(api_tokens::table).values(&rows).execute(conn)?;
                            }
                        }
                        $follow_ids(conn, "api_tokens")?;
                        Ok(written(records.len(), stored))
                    })
                }

                fn write_tickets(&mut self, batch: &TicketBatch) -> Result<BatchWritten, QueryError> {
                    self.transaction(|conn| {
                        let mut stored: Vec<i64> = Vec::with_capacity(batch.tickets.len());
                        for chunk in batch.tickets.chunks($crate::archive_repository::ROWS_PER_STATEMENT) {
                            let ids = chunk.iter().map(|record| record.ticket.id.get());
                            let mut present: Vec<i64> = tickets::table
                                .filter(tickets::id.eq_any(ids.collect::<Vec<_>>()))
                                .select(tickets::id)
                                .load(conn)?;
                            present.sort_unstable();
                            let rows: Vec<NewTicketRow> = chunk
                                .iter()
                                .filter(|record| present.binary_search(&record.ticket.id.get()).is_err())
                                .map(NewTicketRow::from)
                                .collect();
                            if !rows.is_empty() {
                                diesel::insert_into(tickets::table).values(&rows).execute(conn)?;
                                stored.extend(rows.iter().map(|row| row.id));
                            }
                        }
                        stored.sort_unstable();
                        let events: Vec<&EventRecord> = batch
                            .events
                            .iter()
                            .filter(|event| stored.binary_search(&event.ticket_id.get()).is_ok())
                            .collect();
                        let mut events_stored = 0;
                        for chunk in events.chunks($crate::archive_repository::ROWS_PER_STATEMENT) {
                            let ids = chunk.iter().map(|event| event.id);
                            let mut present: Vec<i64> = ticket_events::table
                                .filter(ticket_events::id.eq_any(ids.collect::<Vec<_>>()))
                                .select(ticket_events::id)
                                .load(conn)?;
                            present.sort_unstable();
                            let rows: Vec<NewEventRow> = chunk
                                .iter()
                                .filter(|event| present.binary_search(&event.id).is_err())
                                .copied()
                                .map(NewEventRow::from)
                                .collect();
                            if !rows.is_empty() {
                                events_stored +=
                                    diesel::insert_into(ticket_events::table).values(&rows).execute(conn)?;
                            }
                        }
                        $follow_ids(conn, "tickets")?;
                        $follow_ids(conn, "ticket_events")?;
                        Ok(BatchWritten {
                            tickets: written(batch.tickets.len(), stored.len()),
                            events: written(batch.events.len(), events_stored),
                        })
                    })
                }
            }
        }
    };
}
