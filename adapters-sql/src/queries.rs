//! The ticket queries, written once for every SQL backend.

/// Implements [`crate::TicketQueries`] for a backend's connection, in a module of its own named
/// `queries`. Everything the queries depend on is named in the invocation, by absolute path:
///
/// - `connection`, `backend`: the Diesel connection and backend types;
/// - `dialect`: a [`crate::Dialect`], how the backend stores times and stamps new rows;
/// - `schema`: the backend's module of [`crate::schema`];
/// - `search_candidates`: a function `(&mut connection, key: &str) ->
///   QueryResult<Option<Box<dyn BoxableExpression<tickets::table, backend, SqlType = Bool>>>>`,
///   a condition checked before the LIKE comparison decides: narrowing the search through an
///   index of the backend's own, or bounding its cost (`None`: nothing to check).
#[macro_export]
#[doc(hidden)]
macro_rules! ticket_queries {
    (
        connection: $connection:ty,
        backend: $backend:ty,
        dialect: $dialect:ty,
        schema: $schema:path,
        search_candidates: $search_candidates:path $(,)?
    ) => {
        mod queries {
            use diesel::prelude::*;
            use domain::{Choice, Cursor, NewTicket, StatsSnapshot, Ticket, TicketFilter, TicketId, TicketPatch};
            use schema::tickets;
            use $crate::{Dialect, QueryError};
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
                    )?;
                    Ok(ticket)
                }
            }

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
            }

            impl<'a> From<&'a NewTicket> for NewTicketRow<'a> {
                fn from(ticket: &'a NewTicket) -> Self {
                    Self {
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
            }

            impl<'a> From<&'a TicketPatch> for TicketChanges<'a> {
                fn from(patch: &'a TicketPatch) -> Self {
                    Self {
                        title: patch.title.as_ref().map(|title| title.as_str()),
                        description: patch.description.as_ref().map(|description| description.as_str()),
                        category: patch.category.map(Choice::as_str),
                        priority: patch.priority.map(Choice::as_str),
                        status: patch.status.map(Choice::as_str),
                        search_title: patch.title.as_ref().map(|title| domain::search_key(title.as_str())),
                        search_description: patch
                            .description
                            .as_ref()
                            .map(|description| domain::search_key(description.as_str())),
                    }
                }
            }

            #[derive(QueryableByName)]
            struct StatsRow {
                #[diesel(embed)]
                counts: $crate::rows::StatsCounts,
                #[diesel(sql_type = diesel::sql_types::Nullable<diesel::dsl::SqlTypeOf<tickets::created_at>>)]
                earliest: Option<DbTime>,
            }

            impl $crate::TicketQueries for $connection {
                fn insert_tickets(&mut self, new: &[NewTicket]) -> Result<Vec<Ticket>, QueryError> {
                    let rows: Vec<NewTicketRow> = new.iter().map(NewTicketRow::from).collect();
                    let mut inserted: Vec<TicketRow> = diesel::insert_into(tickets::table)
                        .values(&rows)
                        .returning(TicketRow::as_returning())
                        .get_results(self)?;
                    // The ids are drawn in the order of the VALUES; RETURNING promises no order.
                    inserted.sort_unstable_by_key(|row| row.id);
                    inserted.into_iter().map(TicketRow::into_ticket).collect()
                }

                fn find_ticket(&mut self, id: TicketId) -> Result<Option<Ticket>, QueryError> {
                    let row: Option<TicketRow> =
                        tickets::table.find(id.get()).select(TicketRow::as_select()).first(self).optional()?;
                    row.map(TicketRow::into_ticket).transpose()
                }

                fn update_ticket(&mut self, id: TicketId, patch: &TicketPatch) -> Result<Option<Ticket>, QueryError> {
                    let row: Option<TicketRow> = diesel::update(tickets::table.find(id.get()))
                        .set(TicketChanges::from(patch))
                        .returning(TicketRow::as_returning())
                        .get_result(self)
                        .optional()?;
                    row.map(TicketRow::into_ticket).transpose()
                }

                fn list_tickets(
                    &mut self,
                    filter: &TicketFilter,
                    after: Option<Cursor>,
                    limit: usize,
                ) -> Result<Vec<Ticket>, QueryError> {
                    let mut query = tickets::table.select(TicketRow::as_select()).into_boxed();
                    if let Some(category) = filter.category {
                        query = query.filter(tickets::category.eq(category.as_str()));
                    }
                    if let Some(priority) = filter.priority {
                        query = query.filter(tickets::priority.eq(priority.as_str()));
                    }
                    if let Some(status) = filter.status {
                        query = query.filter(tickets::status.eq(status.as_str()));
                    }
                    if let Some(term) = &filter.search {
                        if let Some(candidates) = $search_candidates(self, term.key())? {
                            query = query.filter(candidates);
                        }
                        let pattern = $crate::rows::contains_pattern(term.key());
                        query = query.filter(
                            tickets::search_title
                                .like(pattern.clone())
                                .escape('\\')
                                .or(tickets::search_description.like(pattern).escape('\\')),
                        );
                    }
                    if let Some(cursor) = after {
                        let at = <$dialect>::to_db_time(cursor.created_at);
                        query = query.filter(
                            tickets::created_at
                                .le(at)
                                .and(tickets::created_at.lt(at).or(tickets::id.lt(cursor.id.get()))),
                        );
                    }
                    let rows: Vec<TicketRow> = query
                        .order((tickets::created_at.desc(), tickets::id.desc()))
                        .limit(i64::try_from(limit).unwrap_or(i64::MAX))
                        .load(self)?;
                    rows.into_iter().map(TicketRow::into_ticket).collect()
                }

                fn ticket_stats(&mut self) -> Result<StatsSnapshot, QueryError> {
                    let row: StatsRow = $crate::rows::StatsQuery.get_result(self)?;
                    Ok(row.counts.into_snapshot(row.earliest.and_then(<$dialect>::from_db_time)))
                }
            }
        }
    };
}
