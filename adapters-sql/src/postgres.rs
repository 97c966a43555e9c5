//! The queries on PostgreSQL, where `created_at` is a `timestamptz`.

use chrono::{DateTime, Utc};
use diesel::expression::BoxableExpression;
use diesel::pg::{Pg, PgConnection};
use diesel::sql_types::Bool;

use crate::Dialect;
use crate::schema::postgres::tickets;

pub struct PostgresDialect;

impl Dialect for PostgresDialect {
    type Time = DateTime<Utc>;

    fn to_db_time(time: DateTime<Utc>) -> Self::Time {
        time
    }

    fn from_db_time(time: Self::Time) -> Option<DateTime<Utc>> {
        Some(time)
    }

    /// PostgreSQL stamps a new ticket itself (`DEFAULT now()`, microseconds), by one clock for
    /// every server in front of it.
    fn creation_time() -> Option<Self::Time> {
        None
    }

    const LOCK_ACCOUNTS: Option<&'static str> = Some("LOCK TABLE accounts IN SHARE ROW EXCLUSIVE MODE");
}

type SearchCandidates = Box<dyn BoxableExpression<tickets::table, Pg, SqlType = Bool>>;

/// The trigram indexes serve the LIKE comparison itself.
fn search_candidates(_connection: &mut PgConnection, _key: &str) -> diesel::QueryResult<Option<SearchCandidates>> {
    Ok(None)
}

crate::ticket_queries! {
    connection: diesel::pg::PgConnection,
    backend: diesel::pg::Pg,
    dialect: crate::postgres::PostgresDialect,
    schema: crate::schema::postgres,
    search_candidates: crate::postgres::search_candidates,
}

crate::access_queries! {
    connection: diesel::pg::PgConnection,
    backend: diesel::pg::Pg,
    dialect: crate::postgres::PostgresDialect,
    schema: crate::schema::postgres,
}
