//! Converting stored values back into domain values, and what the backends share around queries.

use chrono::{DateTime, Utc};
use diesel::sql_types::BigInt;
use domain::{
    Account, AccountId, ApiToken, Breakdown, Category, Choice, Creator, Description, DisplayName, Email, Priority,
    Role, StatsSnapshot, Ticket, TicketId, Title, TokenId, TokenName,
};

/// A stored row that breaks a domain rule: only a writer that bypassed the constraints makes one.
#[derive(Debug, thiserror::Error)]
#[error("row {id} breaks a domain rule: {field} is invalid")]
pub struct CorruptRow {
    id: i64,
    field: &'static str,
}

impl CorruptRow {
    pub(crate) fn new(id: i64, field: &'static str) -> Self {
        Self { id, field }
    }
}

/// An account from its stored columns.
pub(crate) fn account(
    id: i64,
    email: &str,
    name: &str,
    role: &str,
    disabled: bool,
    created_at: Option<DateTime<Utc>>,
) -> Result<Account, CorruptRow> {
    let corrupt = |field| CorruptRow { id, field };
    Ok(Account {
        id: AccountId::new(id).ok_or(corrupt("id"))?,
        email: Email::parse(email).map_err(|_| corrupt("email"))?,
        name: DisplayName::parse(name).map_err(|_| corrupt("name"))?,
        role: Role::parse(role).ok_or(corrupt("role"))?,
        disabled,
        created_at: created_at.ok_or(corrupt("created_at"))?,
    })
}

/// An API token from its stored columns and its creator's id and name, if the creator is known.
pub(crate) fn api_token(
    id: i64,
    name: &str,
    role: &str,
    creator: Option<(i64, String)>,
    created_at: Option<DateTime<Utc>>,
    last_used_at: Option<Option<DateTime<Utc>>>,
    expires_at: Option<Option<DateTime<Utc>>>,
) -> Result<ApiToken, CorruptRow> {
    let corrupt = |field| CorruptRow { id, field };
    let created_by = creator
        .map(|(creator, name)| {
            Ok::<_, CorruptRow>(Creator {
                id: AccountId::new(creator).ok_or(corrupt("created_by"))?,
                name: DisplayName::parse(&name).map_err(|_| corrupt("creator name"))?,
            })
        })
        .transpose()?;
    Ok(ApiToken {
        id: TokenId::new(id).ok_or(corrupt("id"))?,
        name: TokenName::parse(name).map_err(|_| corrupt("name"))?,
        role: Role::parse(role).ok_or(corrupt("role"))?,
        created_by,
        created_at: created_at.ok_or(corrupt("created_at"))?,
        last_used_at: last_used_at.map(|at| at.ok_or(corrupt("last_used_at"))).transpose()?,
        expires_at: expires_at.map(|at| at.ok_or(corrupt("expires_at"))).transpose()?,
    })
}

/// A ticket from its stored columns.
#[allow(clippy::too_many_arguments)]
pub(crate) fn ticket(
    id: i64,
    title: String,
    description: String,
    category: &str,
    priority: &str,
    status: &str,
    created_at: Option<DateTime<Utc>>,
    version: i64,
) -> Result<Ticket, CorruptRow> {
    let corrupt = |field| CorruptRow { id, field };
    Ok(Ticket {
        version: u64::try_from(version).ok().filter(|v| *v >= 1).ok_or(corrupt("version"))?,
        id: TicketId::new(id).ok_or(corrupt("id"))?,
        title: Title::parse(title).map_err(|_| corrupt("title"))?,
        description: Description::parse(description).map_err(|_| corrupt("description"))?,
        category: Choice::parse(category).ok_or(corrupt("category"))?,
        priority: Choice::parse(priority).ok_or(corrupt("priority"))?,
        status: Choice::parse(status).ok_or(corrupt("status"))?,
        created_at: created_at.ok_or(corrupt("created_at"))?,
    })
}

/// Every count in one statement, so they all come from one snapshot in one round trip. The counts
/// come from `ticket_counts`, which triggers keep in step with every write (see the migrations),
/// one row per shard, so no request scans the tickets; the earliest ticket is the first entry of
/// the created_at index.
pub(crate) const STATS_SQL: &str = "
SELECT CAST(coalesce(sum(total), 0) AS BIGINT) AS total,
       CAST(coalesce(sum(status_open), 0) AS BIGINT) AS open,
       (SELECT min(created_at) FROM tickets) AS earliest,
       CAST(coalesce(sum(priority_low), 0) AS BIGINT) AS priority_low,
       CAST(coalesce(sum(priority_medium), 0) AS BIGINT) AS priority_medium,
       CAST(coalesce(sum(priority_high), 0) AS BIGINT) AS priority_high,
       CAST(coalesce(sum(priority_critical), 0) AS BIGINT) AS priority_critical,
       CAST(coalesce(sum(category_billing), 0) AS BIGINT) AS category_billing,
       CAST(coalesce(sum(category_technical), 0) AS BIGINT) AS category_technical,
       CAST(coalesce(sum(category_account), 0) AS BIGINT) AS category_account,
       CAST(coalesce(sum(category_general), 0) AS BIGINT) AS category_general
FROM ticket_counts";

/// [`STATS_SQL`] as a query Diesel prepares once per connection and then reuses: planning it costs
/// several times more than running it (`sql_query` would plan it on every call).
#[derive(diesel::query_builder::QueryId, Clone, Copy)]
pub(crate) struct StatsQuery;

impl<DB: diesel::backend::Backend> diesel::query_builder::QueryFragment<DB> for StatsQuery {
    fn walk_ast<'b>(&'b self, mut out: diesel::query_builder::AstPass<'_, 'b, DB>) -> diesel::QueryResult<()> {
        out.push_sql(STATS_SQL);
        Ok(())
    }
}

impl diesel::query_builder::Query for StatsQuery {
    type SqlType = diesel::sql_types::Untyped;
}

impl<Conn> diesel::RunQueryDsl<Conn> for StatsQuery {}

/// The counts of [`STATS_SQL`], by column name.
#[derive(diesel::QueryableByName)]
pub struct StatsCounts {
    #[diesel(sql_type = BigInt)]
    total: i64,
    #[diesel(sql_type = BigInt)]
    open: i64,
    #[diesel(sql_type = BigInt)]
    priority_low: i64,
    #[diesel(sql_type = BigInt)]
    priority_medium: i64,
    #[diesel(sql_type = BigInt)]
    priority_high: i64,
    #[diesel(sql_type = BigInt)]
    priority_critical: i64,
    #[diesel(sql_type = BigInt)]
    category_billing: i64,
    #[diesel(sql_type = BigInt)]
    category_technical: i64,
    #[diesel(sql_type = BigInt)]
    category_account: i64,
    #[diesel(sql_type = BigInt)]
    category_general: i64,
}

impl StatsCounts {
    pub(crate) fn into_snapshot(self, earliest: Option<DateTime<Utc>>) -> StatsSnapshot {
        let count = |n: i64| u64::try_from(n).unwrap_or(0);
        StatsSnapshot {
            total: count(self.total),
            open: count(self.open),
            earliest,
            by_priority: Breakdown::from_counts([
                (Priority::Low, count(self.priority_low)),
                (Priority::Medium, count(self.priority_medium)),
                (Priority::High, count(self.priority_high)),
                (Priority::Critical, count(self.priority_critical)),
            ]),
            by_category: Breakdown::from_counts([
                (Category::Billing, count(self.category_billing)),
                (Category::Technical, count(self.category_technical)),
                (Category::Account, count(self.category_account)),
                (Category::General, count(self.category_general)),
            ]),
        }
    }
}
