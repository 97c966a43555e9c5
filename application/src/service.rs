use std::sync::Arc;

use domain::{
    Clock, Cursor, Description, NewTicket, OfflineClassifier, Page, PageRequest, RepositoryError, Ticket,
    TicketClassifier, TicketFilter, TicketId, TicketPatch, TicketRepository, TicketStats,
};

use crate::classify::{ClassifyPolicy, Suggester, Suggestion};

/// Everything that can go wrong when reading one ticket.
#[derive(Debug, thiserror::Error)]
pub enum GetTicketError {
    #[error("there is no ticket {0:?}")]
    NotFound(TicketId),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

/// Everything that can go wrong when changing a ticket.
#[derive(Debug, thiserror::Error)]
pub enum UpdateTicketError {
    #[error("there is no ticket {0:?}")]
    NotFound(TicketId),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

/// The support-ticket use cases. Cheap to share: hold it in an `Arc`.
pub struct TicketService {
    repository: Arc<dyn TicketRepository>,
    suggester: Suggester,
    clock: Arc<dyn Clock>,
}

impl TicketService {
    /// `classifier` is the remote classifier, if one is configured; `offline` answers whenever
    /// it is absent or fails.
    pub fn new(
        repository: Arc<dyn TicketRepository>,
        classifier: Option<Arc<dyn TicketClassifier>>,
        offline: Arc<dyn OfflineClassifier>,
        clock: Arc<dyn Clock>,
        policy: ClassifyPolicy,
    ) -> Self {
        let suggester = Suggester::new(classifier, offline, Arc::clone(&clock), policy);
        Self { repository, suggester, clock }
    }

    pub async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket, RepositoryError> {
        self.repository.create(ticket).await
    }

    pub async fn get_ticket(&self, id: TicketId) -> Result<Ticket, GetTicketError> {
        self.repository.get(id).await?.ok_or(GetTicketError::NotFound(id))
    }

    pub async fn update_ticket(&self, id: TicketId, patch: TicketPatch) -> Result<Ticket, UpdateTicketError> {
        self.repository.update(id, patch).await?.ok_or(UpdateTicketError::NotFound(id))
    }

    /// One page of the tickets matching `filter`, newest first, and where the next page starts.
    pub async fn list_tickets(&self, filter: TicketFilter, page: PageRequest) -> Result<Page<Ticket>, RepositoryError> {
        let limit = page.limit.get();
        let mut items = self.repository.list(filter, page.after, limit + 1).await?;
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(Cursor::after)
        } else {
            None
        };
        Ok(Page { items, next })
    }

    pub async fn stats(&self) -> Result<TicketStats, RepositoryError> {
        let snapshot = self.repository.stats().await?;
        Ok(TicketStats::from_snapshot(snapshot, self.clock.now()))
    }

    /// A category and priority for a ticket with this description. Always answers.
    pub async fn suggest_classification(&self, description: &Description) -> Suggestion {
        self.suggester.suggest(description.as_str()).await
    }

    pub async fn check_ready(&self) -> Result<(), RepositoryError> {
        self.repository.check_ready().await
    }

    /// Names the classifiers in use, for the log line at start.
    pub fn describe_classifiers(&self) -> String {
        self.suggester.describe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{DateTime, TimeZone, Utc};
    use domain::{
        Assessment, Category, Choice, Classification, Limit, MockClock, MockOfflineClassifier, MockTicketRepository,
        Priority, StatsSnapshot,
    };
    use test_support::TicketBuilder;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 2, 17, 10, 30, 0).unwrap()
    }

    fn service(repository: MockTicketRepository) -> TicketService {
        let mut clock = MockClock::new();
        clock.expect_now().returning(now);
        let mut offline = MockOfflineClassifier::new();
        offline.expect_assess().returning(|_| Assessment {
            classification: Classification { category: Category::General, priority: Priority::Medium },
            confidence: None,
        });
        offline.expect_describe().returning(|| "test rules".into());
        TicketService::new(Arc::new(repository), None, Arc::new(offline), Arc::new(clock), ClassifyPolicy::default())
    }

    fn ticket(id: i64, seconds_ago: i64) -> Ticket {
        TicketBuilder::new().title(&format!("ticket {id}")).stored(id, now() - chrono::Duration::seconds(seconds_ago))
    }

    fn unavailable() -> RepositoryError {
        RepositoryError::Unavailable("connection refused".into())
    }

    #[tokio::test]
    async fn a_page_asks_for_one_more_row_to_know_whether_another_page_follows() {
        let mut repository = MockTicketRepository::new();
        repository
            .expect_list()
            .withf(|_, after, limit| after.is_none() && *limit == 3)
            .returning(|_, _, _| Ok(vec![ticket(3, 0), ticket(2, 1), ticket(1, 2)]));
        let page = PageRequest { limit: Limit::new(2).unwrap(), after: None };

        let page = service(repository).list_tickets(TicketFilter::default(), page).await.unwrap();

        assert_eq!(page.items.iter().map(|t| t.id.get()).collect::<Vec<_>>(), [3, 2]);
        assert_eq!(page.next, Some(Cursor::after(&ticket(2, 1))));
    }

    #[tokio::test]
    async fn the_last_page_has_no_next_cursor() {
        let mut repository = MockTicketRepository::new();
        repository.expect_list().returning(|_, _, _| Ok(vec![ticket(1, 0)]));

        let page = service(repository).list_tickets(TicketFilter::default(), PageRequest::default()).await.unwrap();

        assert_eq!(page.items.len(), 1);
        assert_eq!(page.next, None);
    }

    #[tokio::test]
    async fn a_missing_ticket_is_not_found_and_an_unreachable_store_is_reported_as_such() {
        let mut repository = MockTicketRepository::new();
        repository.expect_get().times(1).returning(|_| Ok(None));
        repository.expect_update().times(1).returning(|_, _| Err(unavailable()));
        let service = service(repository);
        let id = TicketId::new(7).unwrap();

        assert!(matches!(service.get_ticket(id).await, Err(GetTicketError::NotFound(found)) if found == id));
        assert!(matches!(
            service.update_ticket(id, TicketPatch::default()).await,
            Err(UpdateTicketError::Storage(RepositoryError::Unavailable(_)))
        ));
    }

    #[tokio::test]
    async fn stats_average_over_the_days_since_the_first_ticket_by_the_injected_clock() {
        let mut repository = MockTicketRepository::new();
        repository.expect_stats().returning(|| {
            Ok(StatsSnapshot {
                total: 124,
                open: 67,
                earliest: Some(now() - chrono::Duration::days(14)),
                ..StatsSnapshot::default()
            })
        });

        let stats = service(repository).stats().await.unwrap();

        assert_eq!(stats.total_tickets, 124);
        assert_eq!(stats.open_tickets, 67);
        assert_eq!(stats.avg_tickets_per_day, 8.3);
        assert_eq!(stats.priority_breakdown.iter().count(), Priority::ALL.len());
    }
}
