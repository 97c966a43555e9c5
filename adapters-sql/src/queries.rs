//! The ticket queries, written once for every SQL backend.

/// Marks a statement type whose SQL text is the same on every call, so that Diesel prepares it
/// once per connection and caches it by type, and lets it run with `RunQueryDsl`.
#[macro_export]
#[doc(hidden)]
macro_rules! prepared_once {
    ($statement:ident) => {
        impl diesel::query_builder::QueryId for $statement<'_> {
            type QueryId = $statement<'static>;
            const HAS_STATIC_QUERY_ID: bool = true;
        }

        impl<Conn> diesel::RunQueryDsl<Conn> for $statement<'_> {}
    };
}

/// Implements [`crate::TicketQueries`] for a backend's connection, in a module of its own named
/// `queries`. Everything the queries depend on is named in the invocation, by absolute path:
///
/// - `connection`, `backend`: the Diesel connection and backend types;
/// - `dialect`: a [`crate::Dialect`], how the backend stores times and stamps new rows;
/// - `schema`: the backend's module of [`crate::schema`];
/// - `word_index`: the backend's module of the word index that narrows a search to the tickets
///   of its words ([`crate::WordIndex`]).
#[macro_export]
#[doc(hidden)]
macro_rules! ticket_queries {
    (
        connection: $connection:ty,
        backend: $backend:ty,
        dialect: $dialect:ty,
        schema: $schema:path,
        word_index: $word_index:ty $(,)?
    ) => {
        mod queries {
            use chrono::{DateTime, Utc};
            use diesel::prelude::*;
            use domain::{
                Actor, Choice, Cursor, EventKind, FieldChange, Filing, History, KeyedCreate, KeyedOutcome,
                StatsSnapshot, Ticket, TicketEvent, TicketField, TicketFilter, TicketId, TicketPatch, UpdateOutcome,
            };
            use schema::{idempotency_keys, ticket_events, tickets};
            use $crate::{Dialect, QueryError, WordIndex};
            use $schema as schema;

            type DbTime = <$dialect as Dialect>::Time;

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
            }

            impl TicketRow {
                fn into_ticket(self) -> Result<Ticket, QueryError> {
                    let created_at = <$dialect>::from_db_time(self.created_at);
                    let ticket = $crate::rows::ticket(
                        self.id,
                        self.title,
                        self.description,
                        &self.category,
                        &self.priority,
                        &self.status,
                        created_at,
                        self.version,
                    )?;
                    Ok(ticket)
                }
            }

            #[derive(Queryable, Selectable)]
            #[diesel(table_name = tickets, check_for_backend($backend))]
            struct CreatorRow {
                created_by_kind: Option<String>,
                created_by_id: Option<i64>,
                created_by_name: Option<String>,
            }

            #[derive(Queryable, Selectable)]
            #[diesel(table_name = ticket_events, check_for_backend($backend))]
            struct EventRow {
                id: i64,
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
                fn into_event(self) -> Result<TicketEvent, QueryError> {
                    let corrupt = |field| $crate::rows::CorruptRow::new(self.id, field);
                    let actor = Actor::from_parts(Some(&self.actor_kind), self.actor_id, Some(&self.actor_name))
                        .ok_or(corrupt("actor"))?;
                    let field = TicketField::parse(&self.field).ok_or(corrupt("field"))?;
                    Ok(TicketEvent {
                        id: self.id,
                        version: u64::try_from(self.version).map_err(|_| corrupt("version"))?,
                        at: <$dialect>::from_db_time(self.at).ok_or(corrupt("at"))?,
                        actor,
                        kind: EventKind::Changed(FieldChange { field, from: self.old_value, to: self.new_value }),
                    })
                }
            }

            /// The INSERT of one change's event, one text for every event so that each connection
            /// prepares it once (Diesel prepares an INSERT anew when a value is left to its DEFAULT).
            /// `at` is the dialect's [`crate::Dialect::creation_time`], `None` on every call for a
            /// backend that stamps rows itself, so the text never varies within a backend.
            struct InsertEvent<'a> {
                ticket_id: i64,
                version: i64,
                at: Option<DbTime>,
                actor_kind: &'static str,
                actor_id: Option<i64>,
                actor_name: &'a str,
                field: &'static str,
                old_value: &'a str,
                new_value: &'a str,
            }

            impl diesel::query_builder::QueryFragment<$backend> for InsertEvent<'_> {
                fn walk_ast<'b>(
                    &'b self,
                    mut out: diesel::query_builder::AstPass<'_, 'b, $backend>,
                ) -> QueryResult<()> {
                    use diesel::sql_types::{BigInt, Nullable, Text};
                    out.push_sql(
                        "INSERT INTO ticket_events (ticket_id, version, at, actor_kind, actor_id, actor_name, \
                         field, old_value, new_value) VALUES (",
                    );
                    out.push_bind_param::<BigInt, _>(&self.ticket_id)?;
                    out.push_sql(", ");
                    out.push_bind_param::<BigInt, _>(&self.version)?;
                    out.push_sql(", ");
                    match &self.at {
                        Some(at) => out.push_bind_param::<diesel::dsl::SqlTypeOf<ticket_events::at>, _>(at)?,
                        None => out.push_sql("DEFAULT"),
                    }
                    out.push_sql(", ");
                    out.push_bind_param::<Text, _>(&self.actor_kind)?;
                    out.push_sql(", ");
                    out.push_bind_param::<Nullable<BigInt>, _>(&self.actor_id)?;
                    out.push_sql(", ");
                    out.push_bind_param::<Text, _>(&self.actor_name)?;
                    out.push_sql(", ");
                    out.push_bind_param::<Text, _>(&self.field)?;
                    out.push_sql(", ");
                    out.push_bind_param::<Text, _>(&self.old_value)?;
                    out.push_sql(", ");
                    out.push_bind_param::<Text, _>(&self.new_value)?;
                    out.push_sql(")");
                    Ok(())
                }
            }

            $crate::prepared_once!(InsertEvent);

            /// One event of a [`ChangeWithEvents`]: the field, its old and its new value; all
            /// `None` in a slot no change fills.
            #[derive(Default)]
            struct EventSlot<'a> {
                field: Option<&'static str>,
                old_value: Option<&'a str>,
                new_value: Option<&'a str>,
            }

            /// A change and its events in one statement, which commits on its own: the UPDATE,
            /// and an INSERT of one event per changed field for the row it updated, none when the
            /// version check matched no row. One text for every change (a slot per field, unused
            /// ones NULL), prepared once per connection. `at` is left to the column's DEFAULT, so
            /// only a backend that stamps rows itself uses it
            /// ([`crate::Dialect::CHANGE_IN_ONE_STATEMENT`]).
            struct ChangeWithEvents<'a> {
                update: UpdateTicket<'a>,
                actor_kind: &'static str,
                actor_id: Option<i64>,
                actor_name: &'a str,
                events: [EventSlot<'a>; TicketField::ALL.len()],
            }

            impl diesel::query_builder::QueryFragment<$backend> for ChangeWithEvents<'_> {
                fn walk_ast<'b>(
                    &'b self,
                    mut out: diesel::query_builder::AstPass<'_, 'b, $backend>,
                ) -> QueryResult<()> {
                    use diesel::sql_types::{BigInt, Nullable, Text};
                    out.push_sql("WITH changed AS (");
                    self.update.walk_ast(out.reborrow())?;
                    out.push_sql(
                        " RETURNING id) INSERT INTO ticket_events (ticket_id, version, actor_kind, actor_id, \
                         actor_name, field, old_value, new_value) SELECT changed.id, ",
                    );
                    out.push_bind_param::<BigInt, _>(&self.update.changes.version)?;
                    out.push_sql(", ");
                    out.push_bind_param::<Text, _>(&self.actor_kind)?;
                    out.push_sql(", ");
                    out.push_bind_param::<Nullable<BigInt>, _>(&self.actor_id)?;
                    out.push_sql(", ");
                    out.push_bind_param::<Text, _>(&self.actor_name)?;
                    out.push_sql(", event.field, event.old_value, event.new_value FROM changed, (VALUES ");
                    for (slot, event) in self.events.iter().enumerate() {
                        if slot > 0 {
                            out.push_sql(", ");
                        }
                        out.push_sql("(");
                        out.push_bind_param::<Nullable<Text>, _>(&event.field)?;
                        out.push_sql(", ");
                        out.push_bind_param::<Nullable<Text>, _>(&event.old_value)?;
                        out.push_sql(", ");
                        out.push_bind_param::<Nullable<Text>, _>(&event.new_value)?;
                        out.push_sql(")");
                    }
                    out.push_sql(") AS event (field, old_value, new_value) WHERE event.field IS NOT NULL");
                    Ok(())
                }
            }

            $crate::prepared_once!(ChangeWithEvents);

            #[derive(Insertable)]
            #[diesel(table_name = tickets)]
            struct NewTicketRow<'a> {
                title: &'a str,
                description: &'a str,
                category: &'static str,
                priority: &'static str,
                status: &'static str,
                search_title: String,
                search_description: String,
                created_at: Option<DbTime>,
                created_by_kind: &'static str,
                created_by_id: Option<i64>,
                created_by_name: Option<&'a str>,
            }

            impl<'a> From<&'a Filing> for NewTicketRow<'a> {
                fn from(filing: &'a Filing) -> Self {
                    let ticket = &filing.ticket;
                    Self {
                        created_by_kind: filing.actor.kind(),
                        created_by_id: filing.actor.id(),
                        created_by_name: filing.actor.id().map(|_| filing.actor.name()),
                        title: ticket.title.as_str(),
                        description: ticket.description.as_str(),
                        category: ticket.category.as_str(),
                        priority: ticket.priority.as_str(),
                        status: ticket.status.as_str(),
                        search_title: domain::search_key(ticket.title.as_str()),
                        search_description: domain::search_key(ticket.description.as_str()),
                        created_at: <$dialect>::creation_time(),
                    }
                }
            }

            /// The values a change writes: `None` for a field that stays as it is.
            #[derive(AsChangeset)]
            #[diesel(table_name = tickets)]
            struct TicketChanges<'a> {
                title: Option<&'a str>,
                description: Option<&'a str>,
                category: Option<&'static str>,
                priority: Option<&'static str>,
                status: Option<&'static str>,
                search_title: Option<String>,
                search_description: Option<String>,
                version: i64,
            }

            impl<'a> TicketChanges<'a> {
                fn between(before: &Ticket, after: &'a Ticket) -> Self {
                    let title = (before.title != after.title).then(|| after.title.as_str());
                    let description = (before.description != after.description).then(|| after.description.as_str());
                    Self {
                        title,
                        description,
                        category: (before.category != after.category).then(|| after.category.as_str()),
                        priority: (before.priority != after.priority).then(|| after.priority.as_str()),
                        status: (before.status != after.status).then(|| after.status.as_str()),
                        search_title: title.map(domain::search_key),
                        search_description: description.map(domain::search_key),
                        version: i64::try_from(after.version).unwrap_or(i64::MAX),
                    }
                }
            }

            /// The UPDATE of a change, one text for every change so that each connection prepares it
            /// once (Diesel prepares its own UPDATE anew on every call): a field that stays is bound as
            /// NULL and keeps its value through COALESCE. PostgreSQL compares the values for its
            /// indexes, so an unchanged column costs nothing there (SQLite would rewrite the index
            /// entries of every column set: its transaction sets only the changed ones).
            struct UpdateTicket<'a> {
                changes: TicketChanges<'a>,
                id: i64,
                expected_version: i64,
            }

            impl diesel::query_builder::QueryFragment<$backend> for UpdateTicket<'_> {
                fn walk_ast<'b>(
                    &'b self,
                    mut out: diesel::query_builder::AstPass<'_, 'b, $backend>,
                ) -> QueryResult<()> {
                    use diesel::sql_types::{BigInt, Nullable, Text};
                    let changes = &self.changes;
                    out.push_sql("UPDATE tickets SET title = COALESCE(");
                    out.push_bind_param::<Nullable<Text>, _>(&changes.title)?;
                    out.push_sql(", title), description = COALESCE(");
                    out.push_bind_param::<Nullable<Text>, _>(&changes.description)?;
                    out.push_sql(", description), category = COALESCE(");
                    out.push_bind_param::<Nullable<Text>, _>(&changes.category)?;
                    out.push_sql(", category), priority = COALESCE(");
                    out.push_bind_param::<Nullable<Text>, _>(&changes.priority)?;
                    out.push_sql(", priority), status = COALESCE(");
                    out.push_bind_param::<Nullable<Text>, _>(&changes.status)?;
                    out.push_sql(", status), search_title = COALESCE(");
                    out.push_bind_param::<Nullable<Text>, _>(&changes.search_title)?;
                    out.push_sql(", search_title), search_description = COALESCE(");
                    out.push_bind_param::<Nullable<Text>, _>(&changes.search_description)?;
                    out.push_sql(", search_description), version = ");
                    out.push_bind_param::<BigInt, _>(&changes.version)?;
                    out.push_sql(" WHERE id = ");
                    out.push_bind_param::<BigInt, _>(&self.id)?;
                    out.push_sql(" AND version = ");
                    out.push_bind_param::<BigInt, _>(&self.expected_version)?;
                    Ok(())
                }
            }

            #[derive(QueryableByName)]
            struct StatsRow {
                #[diesel(embed)]
                counts: $crate::rows::StatsCounts,
                #[diesel(sql_type = diesel::sql_types::Nullable<diesel::dsl::SqlTypeOf<tickets::created_at>>)]
                earliest: Option<DbTime>,
            }

            fn replay_or_refuse(fingerprint: &[u8], ticket_id: i64, key: &KeyedCreate) -> KeyedOutcome {
                match TicketId::new(ticket_id) {
                    Some(id) if fingerprint == key.fingerprint => KeyedOutcome::Replayed(id),
                    _ => KeyedOutcome::KeyReused,
                }
            }

            /// What `patch` makes of `before`: the ticket after it and the fields it changes, or the
            /// outcome that ends the change unwritten (stale against `expected_version`, or no change).
            fn plan_change(
                before: &Ticket,
                patch: &TicketPatch,
                expected_version: Option<u64>,
            ) -> Result<(Ticket, Vec<FieldChange>), UpdateOutcome> {
                if expected_version.is_some_and(|version| version != before.version) {
                    return Err(UpdateOutcome::Stale(before.clone()));
                }
                let after = Ticket { version: before.version + 1, ..patch.clone().apply_to(before.clone()) };
                let changes = domain::changes_between(before, &after);
                if changes.is_empty() {
                    return Err(UpdateOutcome::Unchanged(before.clone()));
                }
                Ok((after, changes))
            }

            /// [`crate::TicketQueries::update_ticket`] without a transaction: the ticket is read, and
            /// the change and its events are written by one statement whose version check fails
            /// when another change came between (then it reads again). Three round trips fewer
            /// than BEGIN, read, UPDATE, INSERT, COMMIT.
            fn update_in_one_statement(
                conn: &mut $connection,
                id: TicketId,
                patch: &TicketPatch,
                expected_version: Option<u64>,
                actor: &Actor,
            ) -> Result<UpdateOutcome, QueryError> {
                loop {
                    let Some(before) = $crate::TicketQueries::find_ticket(conn, id)? else {
                        return Ok(UpdateOutcome::NotFound);
                    };
                    let (after, changes) = match plan_change(&before, patch, expected_version) {
                        Ok(planned) => planned,
                        Err(outcome) => return Ok(outcome),
                    };
                    let mut events: [EventSlot<'_>; TicketField::ALL.len()] = Default::default();
                    for (slot, change) in events.iter_mut().zip(&changes) {
                        *slot = EventSlot {
                            field: Some(change.field.as_str()),
                            old_value: Some(&change.from),
                            new_value: Some(&change.to),
                        };
                    }
                    let written = ChangeWithEvents {
                        update: UpdateTicket {
                            changes: TicketChanges::between(&before, &after),
                            id: id.get(),
                            expected_version: i64::try_from(before.version).unwrap_or(i64::MAX),
                        },
                        actor_kind: actor.kind(),
                        actor_id: actor.id(),
                        actor_name: actor.name(),
                        events,
                    }
                    .execute(conn)?;
                    if written > 0 {
                        return Ok(UpdateOutcome::Updated(after));
                    }
                }
            }

            impl $crate::TicketQueries for $connection {
                fn insert_tickets(&mut self, filings: &[Filing]) -> Result<Vec<Ticket>, QueryError> {
                    let rows: Vec<NewTicketRow> = filings.iter().map(NewTicketRow::from).collect();
                    let mut inserted: Vec<TicketRow> = diesel::insert_into(tickets::table)
                        .values(&rows)
                        .returning(TicketRow::as_returning())
                        .get_results(self)?;
                    // The ids are drawn in the order of the VALUES; RETURNING promises no order.
                    inserted.sort_unstable_by_key(|row| row.id);
                    inserted.into_iter().map(TicketRow::into_ticket).collect()
                }

                fn insert_ticket_once(
                    &mut self,
                    filing: &Filing,
                    key: &KeyedCreate,
                ) -> Result<KeyedOutcome, QueryError> {
                    self.transaction::<_, QueryError, _>(|conn| {
                        let scope =
                            (idempotency_keys::scope.eq(&key.scope), idempotency_keys::key.eq(key.key.as_str()));
                        diesel::delete(
                            idempotency_keys::table
                                .filter(scope.0.clone())
                                .filter(scope.1.clone())
                                .filter(idempotency_keys::created_at.lt(<$dialect>::to_db_time(key.forget_before))),
                        )
                        .execute(conn)?;
                        let earlier: Option<(Vec<u8>, i64)> = idempotency_keys::table
                            .filter(scope.0.clone())
                            .filter(scope.1.clone())
                            .select((idempotency_keys::fingerprint, idempotency_keys::ticket_id))
                            .first(conn)
                            .optional()?;
                        if let Some((fingerprint, ticket_id)) = earlier {
                            return Ok(replay_or_refuse(&fingerprint, ticket_id, key));
                        }
                        let ticket = conn
                            .insert_tickets(std::slice::from_ref(filing))?
                            .pop()
                            .ok_or(QueryError::Diesel(diesel::result::Error::NotFound))?;
                        let claimed = diesel::insert_into(idempotency_keys::table)
                            .values((
                                idempotency_keys::scope.eq(&key.scope),
                                idempotency_keys::key.eq(key.key.as_str()),
                                idempotency_keys::fingerprint.eq(&key.fingerprint[..]),
                                idempotency_keys::ticket_id.eq(ticket.id.get()),
                                idempotency_keys::created_at.eq(<$dialect>::to_db_time(key.at)),
                            ))
                            .on_conflict_do_nothing()
                            .execute(conn)?;
                        if claimed == 1 {
                            return Ok(KeyedOutcome::Created(ticket));
                        }
                        // Another request with the key committed first: this one's ticket goes.
                        Err(QueryError::Refused($crate::Refusal::KeyTaken))
                    })
                }

                fn find_ticket(&mut self, id: TicketId) -> Result<Option<Ticket>, QueryError> {
                    let row: Option<TicketRow> =
                        tickets::table.find(id.get()).select(TicketRow::as_select()).first(self).optional()?;
                    row.map(TicketRow::into_ticket).transpose()
                }

                fn update_ticket(
                    &mut self,
                    id: TicketId,
                    patch: &TicketPatch,
                    expected_version: Option<u64>,
                    actor: &Actor,
                ) -> Result<UpdateOutcome, QueryError> {
                    if <$dialect>::CHANGE_IN_ONE_STATEMENT {
                        return update_in_one_statement(self, id, patch, expected_version, actor);
                    }
                    loop {
                        let outcome = self.transaction::<_, QueryError, _>(|conn| {
                            let Some(before) = conn.find_ticket(id)? else { return Ok(Some(UpdateOutcome::NotFound)) };
                            let (after, changes) = match plan_change(&before, patch, expected_version) {
                                Ok(planned) => planned,
                                Err(outcome) => return Ok(Some(outcome)),
                            };
                            let version = i64::try_from(before.version).unwrap_or(i64::MAX);
                            // Only the changed columns are SET: SQLite rewrites the entries of every
                            // index on a column the statement sets, changed or not. Preparing this
                            // text anew costs microseconds in process, not a round trip.
                            let updated = diesel::update(
                                tickets::table.filter(tickets::id.eq(id.get())).filter(tickets::version.eq(version)),
                            )
                            .set(&TicketChanges::between(&before, &after))
                            .execute(conn)?;
                            if updated == 0 {
                                // Changed between the read and the write: read again.
                                return Ok(None);
                            }
                            let at = <$dialect>::creation_time();
                            // One INSERT a change: a single row's statement is prepared once, a
                            // multi-row one on every call.
                            for event in changes.iter().map(|change| InsertEvent {
                                ticket_id: id.get(),
                                version: version + 1,
                                at: at.clone(),
                                actor_kind: actor.kind(),
                                actor_id: actor.id(),
                                actor_name: actor.name(),
                                field: change.field.as_str(),
                                old_value: &change.from,
                                new_value: &change.to,
                            }) {
                                event.execute(conn)?;
                            }
                            Ok(Some(UpdateOutcome::Updated(after)))
                        })?;
                        if let Some(outcome) = outcome {
                            return Ok(outcome);
                        }
                    }
                }

                fn ticket_history(
                    &mut self,
                    id: TicketId,
                    after: i64,
                    limit: usize,
                ) -> Result<Option<History>, QueryError> {
                    let found: Option<(TicketRow, CreatorRow)> = tickets::table
                        .find(id.get())
                        .select((TicketRow::as_select(), CreatorRow::as_select()))
                        .first(self)
                        .optional()?;
                    let Some((ticket, creator)) = found else { return Ok(None) };
                    let ticket = ticket.into_ticket()?;
                    let created_by = Actor::from_parts(
                        creator.created_by_kind.as_deref(),
                        creator.created_by_id,
                        creator.created_by_name.as_deref(),
                    )
                    .ok_or($crate::rows::CorruptRow::new(id.get(), "created_by"))?;
                    let rows: Vec<EventRow> = ticket_events::table
                        .filter(ticket_events::ticket_id.eq(id.get()))
                        .filter(ticket_events::id.gt(after))
                        .order(ticket_events::id.asc())
                        .limit(i64::try_from(limit).unwrap_or(i64::MAX))
                        .select(EventRow::as_select())
                        .load(self)?;
                    let changes = rows.into_iter().map(EventRow::into_event).collect::<Result<_, _>>()?;
                    Ok(Some(History { ticket, created_by, changes }))
                }

                fn forget_idempotency_keys(&mut self, before: DateTime<Utc>) -> Result<u64, QueryError> {
                    let forgotten = diesel::delete(
                        idempotency_keys::table.filter(idempotency_keys::created_at.lt(<$dialect>::to_db_time(before))),
                    )
                    .execute(self)?;
                    Ok(forgotten as u64)
                }

                fn list_tickets(
                    &mut self,
                    filter: &TicketFilter,
                    after: Option<Cursor>,
                    limit: usize,
                ) -> Result<Vec<Ticket>, QueryError> {
                    if let Some(found) = search_by_words(self, filter, after, limit)? {
                        return Ok(found);
                    }
                    list_in_order(self, filter, after, limit)
                }

                fn ticket_stats(&mut self) -> Result<StatsSnapshot, QueryError> {
                    let row: StatsRow = $crate::rows::StatsQuery.get_result(self)?;
                    Ok(row.counts.into_snapshot(row.earliest.and_then(<$dialect>::from_db_time)))
                }
            }

            /// A search reads the tickets its filters select in list order, in batches, and
            /// compares each here ([`walk_in_order`]); a common term fills its page within a few
            /// rows of the start. When a first stretch of them (`PROBED_PER_ROW` rows per row of
            /// the page) does not fill it, and the term is in fewer than `LIST_ORDER_YIELD` of
            /// them, the search goes on from there through the word index: the tickets having a
            /// word that can hold the term (of the filter's category), newest first, in batches
            /// sized by the matches per ticket so far, each ticket read by id and compared.
            /// Whenever that yields fewer matches per ticket read than the first stretch did (the
            /// term is common but the filters rare together), or has read `WALK_MOST` tickets, it
            /// reads in list order again. Each way meets every match in list order, so switching at
            /// a position keeps pages exact. `None`: no search.
            fn search_by_words(
                connection: &mut $connection,
                filter: &TicketFilter,
                after: Option<Cursor>,
                limit: usize,
            ) -> Result<Option<Vec<Ticket>>, QueryError> {
                let Some(term) = &filter.search else { return Ok(None) };
                let mut found = Vec::with_capacity(limit);
                let first_stretch = PROBED_PER_ROW * (limit + 1);
                let Some((read, mut position)) =
                    walk_in_order(connection, filter, after, &mut found, limit, Some(first_stretch))?
                else {
                    return Ok(Some(found));
                };
                let probe_yield = found.len() as f64 / read as f64;
                let words = match term.word_piece() {
                    Some(piece) if probe_yield < LIST_ORDER_YIELD => {
                        Some(<$word_index>::words_holding(connection, &piece, $crate::MOST_WORDS + 1)?)
                            .filter(|words| words.len() <= $crate::MOST_WORDS)
                    }
                    _ => None,
                };
                let Some(mut words) = words else {
                    walk_in_order(connection, filter, Some(position), &mut found, limit, None)?;
                    return Ok(Some(found));
                };
                words.push(domain::LONG_WORD.to_owned());
                let categories: Vec<&'static str> = match filter.category {
                    Some(category) => vec![category.as_str()],
                    None => domain::Category::ALL.iter().map(|category| category.as_str()).collect(),
                };
                let after_position =
                    |position: Cursor| (<$dialect>::to_db_time(position.created_at), position.id.get());
                let mut unmerged = None;
                if words.len() > MERGED_WORDS {
                    let (at, id) = after_position(position);
                    let mut all: Vec<(DbTime, i64)> =
                        schema::ticket_words::table
                            .select((schema::ticket_words::created_at, schema::ticket_words::ticket_id))
                            .filter(schema::ticket_words::word.eq_any(&words))
                            .filter(schema::ticket_words::category.eq_any(&categories))
                            .filter(schema::ticket_words::created_at.le(at).and(
                                schema::ticket_words::created_at.lt(at).or(schema::ticket_words::ticket_id.lt(id)),
                            ))
                            .limit(UNMERGED_MOST as i64 + 1)
                            .load(connection)?;
                    if all.len() > UNMERGED_MOST {
                        walk_in_order(connection, filter, Some(position), &mut found, limit, None)?;
                        return Ok(Some(found));
                    }
                    all.sort_unstable_by(|a, b| b.cmp(a));
                    unmerged = Some(all);
                }
                let (mut walked, mut matched) = (0, 0);
                let mut batch = (limit + 1 - found.len()) * 2;
                loop {
                    stop_past_deadline()?;
                    let postings: Vec<(DbTime, i64)> = if let Some(all) = &unmerged {
                        all.iter().skip(walked).take(batch).copied().collect()
                    } else {
                        Postings {
                            words: &words,
                            categories: &categories,
                            after: after_position(position),
                            count: batch as i64,
                        }
                        .load(connection)?
                    };
                    walked += postings.len();
                    let mut ids: Vec<i64> = postings.iter().map(|(_, id)| *id).collect();
                    ids.dedup();
                    let rows: Vec<TicketRow> = selected_by(filter)
                        .filter(tickets::id.eq_any(&ids))
                        .select(TicketRow::as_select())
                        .load(connection)?;
                    let mut candidates = std::collections::HashMap::with_capacity(ids.len());
                    for row in rows {
                        let ticket = row.into_ticket()?;
                        candidates.insert(ticket.id.get(), ticket);
                    }
                    for id in ids {
                        let Some(ticket) = candidates.remove(&id) else { continue };
                        if filter.matches(&ticket) && position.precedes(&ticket) {
                            matched += 1;
                            found.push(ticket);
                            if found.len() == limit {
                                return Ok(Some(found));
                            }
                        }
                    }
                    let Some((created_at, id)) = postings.last() else { break };
                    if postings.len() < batch {
                        break;
                    }
                    let at = <$dialect>::from_db_time(*created_at)
                        .ok_or($crate::rows::CorruptRow::new(*id, "created_at"))?;
                    position = Cursor {
                        created_at: at,
                        id: TicketId::new(*id).ok_or($crate::rows::CorruptRow::new(*id, "id"))?,
                    };
                    if walked >= WALK_MOST || (matched as f64) < probe_yield * walked as f64 {
                        walk_in_order(connection, filter, Some(position), &mut found, limit, None)?;
                        break;
                    }
                    batch = $crate::search_walk::next_batch(
                        batch,
                        limit - found.len(),
                        matched,
                        walked,
                        WALK_MOST - walked,
                    );
                }
                Ok(Some(found))
            }

            /// Reads the tickets the filters other than the search select, in list order after
            /// `after`, in batches sized by the matches per ticket so far, and adds those the
            /// search matches to `found` until it holds `limit`; each batch is a range of an index
            /// in list order whatever the term, as no `LIKE` is left for a planner to guess about.
            /// Stops after `most` tickets if given; then answers how many it read and the last
            /// one's position, or `None` when the page is full or no ticket is left. Each batch
            /// checks the search's time limit.
            fn walk_in_order(
                connection: &mut $connection,
                filter: &TicketFilter,
                after: Option<Cursor>,
                found: &mut Vec<Ticket>,
                limit: usize,
                most: Option<usize>,
            ) -> Result<Option<(usize, Cursor)>, QueryError> {
                let unsearched = TicketFilter { search: None, ..filter.clone() };
                let (mut position, mut read, mut matched) = (after, 0, 0);
                let mut batch = most.unwrap_or(PROBED_PER_ROW * (limit + 1 - found.len()));
                loop {
                    stop_past_deadline()?;
                    let tickets = list_in_order(connection, &unsearched, position, batch)?;
                    read += tickets.len();
                    let Some(last) = tickets.last() else { return Ok(None) };
                    position = Some(Cursor::after(last));
                    for ticket in &tickets {
                        if filter.matches(ticket) {
                            matched += 1;
                            found.push(ticket.clone());
                            if found.len() == limit {
                                return Ok(None);
                            }
                        }
                    }
                    if tickets.len() < batch {
                        return Ok(None);
                    }
                    if most.is_some_and(|most| read >= most) {
                        return Ok(position.map(|position| (read, position)));
                    }
                    batch =
                        $crate::search_walk::next_batch(batch, limit - found.len(), matched, read, IN_ORDER_BATCH_MOST);
                }
            }

            /// Fails the search once its time limit has passed.
            fn stop_past_deadline() -> Result<(), QueryError> {
                if $crate::deadline::passed() {
                    return Err(QueryError::PastDeadline);
                }
                Ok(())
            }

            /// See [`search_by_words`].
            const PROBED_PER_ROW: usize = 2;
            /// The most tickets one batch of a walk in list order reads.
            const IN_ORDER_BATCH_MOST: usize = 2048;
            /// A term in at least 1 of 8 tickets of the first stretch goes on in list order: the
            /// rest of its page is a few rows away.
            const LIST_ORDER_YIELD: f64 = 1.0 / 8.0;
            /// Up to this many words, their walks are merged by the database; with more, every
            /// entry of them after the position is read (up to `UNMERGED_MOST`, else the search
            /// reads in list order) and sorted here.
            const MERGED_WORDS: usize = 16;
            const UNMERGED_MOST: usize = 8192;
            /// The most tickets a search reads through the word index before it reads the rest
            /// in list order; at a million tickets, ~10 ms of reading.
            const WALK_MOST: usize = 4096;

            /// The next `count` entries of the word index for `words` in `categories` after
            /// `after` in list order: a ticket having several of the words comes once for each,
            /// one after the other. One walk of the index's key per word and category, each
            /// bounded by `count`, merged. The text depends only on how many walks there are, so a
            /// connection prepares each shape once, and its plan cannot come out otherwise.
            struct Postings<'a> {
                words: &'a [String],
                categories: &'a [&'static str],
                after: (DbTime, i64),
                count: i64,
            }

            impl diesel::query_builder::QueryFragment<$backend> for Postings<'_> {
                fn walk_ast<'b>(
                    &'b self,
                    mut out: diesel::query_builder::AstPass<'_, 'b, $backend>,
                ) -> QueryResult<()> {
                    use diesel::sql_types::{BigInt, Text};
                    let mut walk = 0;
                    for word in self.words {
                        for category in self.categories {
                            if walk > 0 {
                                out.push_sql(" UNION ALL ");
                            }
                            walk += 1;
                            out.push_sql(
                                "SELECT created_at, ticket_id FROM (SELECT created_at, ticket_id FROM ticket_words \
                                 WHERE word = ",
                            );
                            out.push_bind_param::<Text, _>(word)?;
                            out.push_sql(" AND category = ");
                            out.push_bind_param::<Text, _>(category)?;
                            out.push_sql(" AND (created_at, ticket_id) < (");
                            out.push_bind_param::<diesel::dsl::SqlTypeOf<tickets::created_at>, _>(&self.after.0)?;
                            out.push_sql(", ");
                            out.push_bind_param::<BigInt, _>(&self.after.1)?;
                            out.push_sql(") ORDER BY created_at DESC, ticket_id DESC LIMIT ");
                            out.push_bind_param::<BigInt, _>(&self.count)?;
                            out.push_sql(&format!(") AS walk{walk}"));
                        }
                    }
                    out.push_sql(" ORDER BY created_at DESC, ticket_id DESC LIMIT ");
                    out.push_bind_param::<BigInt, _>(&self.count)?;
                    Ok(())
                }
            }

            impl diesel::query_builder::QueryId for Postings<'_> {
                type QueryId = ();
                const HAS_STATIC_QUERY_ID: bool = false;
            }

            impl diesel::query_builder::Query for Postings<'_> {
                type SqlType = (diesel::dsl::SqlTypeOf<tickets::created_at>, diesel::sql_types::BigInt);
            }

            impl<Conn> diesel::RunQueryDsl<Conn> for Postings<'_> {}

            /// The tickets the filter's category, priority and status select, in list order after
            /// `after`: a range of an index in list order. Its search is [`search_by_words`]'s.
            fn list_in_order(
                connection: &mut $connection,
                filter: &TicketFilter,
                after: Option<Cursor>,
                limit: usize,
            ) -> Result<Vec<Ticket>, QueryError> {
                let mut query = selected_by(filter);
                if let Some(cursor) = after {
                    let at = <$dialect>::to_db_time(cursor.created_at);
                    query = query.filter(
                        tickets::created_at.le(at).and(tickets::created_at.lt(at).or(tickets::id.lt(cursor.id.get()))),
                    );
                }
                let rows: Vec<TicketRow> = query
                    .select(TicketRow::as_select())
                    .order((tickets::created_at.desc(), tickets::id.desc()))
                    .limit(i64::try_from(limit).unwrap_or(i64::MAX))
                    .load(connection)?;
                rows.into_iter().map(TicketRow::into_ticket).collect()
            }

            /// The tickets the filter's category, priority and status select; its search is
            /// compared by the caller.
            fn selected_by<'a>(filter: &TicketFilter) -> tickets::BoxedQuery<'a, $backend> {
                let mut query = tickets::table.into_boxed();
                if let Some(category) = filter.category {
                    query = query.filter(tickets::category.eq(category.as_str()));
                }
                if let Some(priority) = filter.priority {
                    query = query.filter(tickets::priority.eq(priority.as_str()));
                }
                if let Some(status) = filter.status {
                    query = query.filter(tickets::status.eq(status.as_str()));
                }
                query
            }
        }
    };
}
