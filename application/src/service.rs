use std::sync::Arc;

use chrono::Duration;
use domain::{
    Choice, Clock, Cursor, Description, Filing, IdempotencyKey, KeyedCreate, KeyedOutcome, NewTicket,
    OfflineClassifier, Page, PageRequest, Principal, Readiness, RepositoryError, Ticket, TicketClassifier, TicketEvent,
    TicketFilter, TicketId, TicketPatch, TicketRepository, TicketStats, UpdateOutcome, as_created,
};
use sha2::{Digest, Sha256};

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
    /// The ticket changed since the version the change was made against; it is as given now.
    #[error("the ticket changed since it was read")]
    Conflict(Box<Ticket>),
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

/// Everything that can go wrong when filing a ticket.
#[derive(Debug, thiserror::Error)]
pub enum CreateTicketError {
    /// The idempotency key was used for a different ticket.
    #[error("the idempotency key was used for a different request")]
    KeyReused,
    #[error(transparent)]
    Storage(#[from] RepositoryError),
}

/// A filed ticket, and whether it is a retry's answer: the ticket as the first request filed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Created {
    pub ticket: Ticket,
    pub replayed: bool,
}

/// One page of a ticket's history, oldest first, and the event after which the next one starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryPage {
    pub events: Vec<TicketEvent>,
    pub next: Option<i64>,
}

/// How long an idempotency key is remembered.
pub const IDEMPOTENCY_KEY_LIFETIME: Duration = Duration::hours(24);

/// Whose idempotency keys a caller's are: keys are scoped to an account, a token, or anyone.
fn scope_of(principal: &Principal) -> String {
    match principal {
        Principal::Account(account) => format!("account:{}", account.id.get()),
        Principal::Token(token) => format!("token:{}", token.id.get()),
        Principal::Anonymous => "public".to_owned(),
    }
}

/// What a create asks for, so that a retry is told from a different request with the same key.
fn fingerprint(ticket: &NewTicket) -> [u8; 32] {
    let mut hash = Sha256::new();
    for part in [
        ticket.title.as_str(),
        ticket.description.as_str(),
        ticket.category.as_str(),
        ticket.priority.as_str(),
        ticket.status.as_str(),
    ] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize().into()
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

    /// Files `ticket` for `principal`. With a key, a retry of the same request (within a day,
    /// by the same caller) gets the first answer and files nothing.
    pub async fn create_ticket(
        &self,
        ticket: NewTicket,
        principal: &Principal,
        key: Option<IdempotencyKey>,
    ) -> Result<Created, CreateTicketError> {
        let Some(key) = key else {
            let ticket = self.repository.create(Filing { ticket, actor: principal.actor() }).await?;
            return Ok(Created { ticket, replayed: false });
        };
        let now = self.clock.now();
        let keyed = KeyedCreate {
            scope: scope_of(principal),
            key,
            fingerprint: fingerprint(&ticket),
            at: now,
            forget_before: now - IDEMPOTENCY_KEY_LIFETIME,
        };
        match self.repository.create_once(Filing { ticket, actor: principal.actor() }, keyed).await? {
            KeyedOutcome::Created(ticket) => Ok(Created { ticket, replayed: false }),
            KeyedOutcome::Replayed(id) => {
                let history = self.repository.history(id, 0, usize::MAX).await?;
                let history = history.ok_or_else(|| RepositoryError::Unexpected("a keyed ticket is gone".into()))?;
                Ok(Created { ticket: as_created(&history.ticket, &history.changes), replayed: true })
            }
            KeyedOutcome::KeyReused => Err(CreateTicketError::KeyReused),
        }
    }

    /// Forgets the idempotency keys older than their lifetime.
    pub async fn forget_old_keys(&self) -> Result<u64, RepositoryError> {
        self.repository.forget_idempotency_keys(self.clock.now() - IDEMPOTENCY_KEY_LIFETIME).await
    }

    pub async fn get_ticket(&self, id: TicketId) -> Result<Ticket, GetTicketError> {
        self.repository.get(id).await?.ok_or(GetTicketError::NotFound(id))
    }

    /// Changes the ticket as `principal`; with `if_match`, only if the ticket is still at that
    /// version.
    pub async fn update_ticket(
        &self,
        id: TicketId,
        patch: TicketPatch,
        if_match: Option<u64>,
        principal: &Principal,
    ) -> Result<Ticket, UpdateTicketError> {
        match self.repository.update(id, patch, if_match, principal.actor()).await? {
            UpdateOutcome::Updated(ticket) | UpdateOutcome::Unchanged(ticket) => Ok(ticket),
            UpdateOutcome::Stale(ticket) => Err(UpdateTicketError::Conflict(Box::new(ticket))),
            UpdateOutcome::NotFound => Err(UpdateTicketError::NotFound(id)),
        }
    }

    /// Up to `limit` entries of the ticket's history after entry `after`, oldest first; the first
    /// page begins with the ticket's creation.
    pub async fn history(&self, id: TicketId, after: i64, limit: usize) -> Result<HistoryPage, GetTicketError> {
        let limit = limit.max(1);
        let from_start = after <= 0;
        let wanted = if from_start { limit - 1 } else { limit };
        let history =
            self.repository.history(id, after.max(0), wanted + 1).await?.ok_or(GetTicketError::NotFound(id))?;
        let mut events = Vec::with_capacity(limit + 1);
        if from_start {
            events.push(TicketEvent::created(&as_created(&history.ticket, &[]), history.created_by.clone()));
        }
        events.extend(history.changes);
        let next = if events.len() > limit {
            events.truncate(limit);
            events.last().map(|event| event.id)
        } else {
            None
        };
        Ok(HistoryPage { events, next })
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

    pub async fn check_ready(&self) -> Result<Readiness, RepositoryError> {
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
        Actor, Assessment, Category, Choice, Classification, EventKind, FieldChange, History, Limit, MockClock,
        MockOfflineClassifier, MockTicketRepository, Priority, StatsSnapshot, Status, TicketField,
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
        repository.expect_update().times(1).returning(|_, _, _, _| Err(unavailable()));
        let service = service(repository);
        let id = TicketId::new(7).unwrap();

        assert!(matches!(service.get_ticket(id).await, Err(GetTicketError::NotFound(found)) if found == id));
        assert!(matches!(
            service.update_ticket(id, TicketPatch::default(), None, &Principal::Anonymous).await,
            Err(UpdateTicketError::Storage(RepositoryError::Unavailable(_)))
        ));
    }

    #[tokio::test]
    async fn a_replayed_create_answers_the_ticket_as_it_was_created() {
        let mut repository = MockTicketRepository::new();
        repository.expect_create_once().returning(|_, _| Ok(KeyedOutcome::Replayed(TicketId::new(3).unwrap())));
        repository.expect_history().returning(|_, _, _| {
            let now = Ticket { version: 2, status: Status::Closed, ..ticket(3, 60) };
            let closed = TicketEvent {
                id: 1,
                version: 2,
                at: self::now(),
                actor: Actor::Public,
                kind: EventKind::Changed(FieldChange {
                    field: TicketField::Status,
                    from: "open".into(),
                    to: "closed".into(),
                }),
            };
            Ok(Some(History { ticket: now, created_by: Actor::Public, changes: vec![closed] }))
        });
        let key = IdempotencyKey::parse("retry-me");
        let created = service(repository)
            .create_ticket(TicketBuilder::new().title("ticket 3").build(), &Principal::Anonymous, key)
            .await
            .unwrap();
        assert!(created.replayed);
        assert_eq!(created.ticket, ticket(3, 60), "open, at version 1, as first answered");
    }

    #[tokio::test]
    async fn the_first_history_page_begins_with_the_creation_and_counts_it() {
        let mut repository = MockTicketRepository::new();
        repository.expect_history().withf(|_, after, limit| *after == 0 && *limit == 2).returning(|_, _, _| {
            let change = |id| TicketEvent {
                id,
                version: 2,
                at: now(),
                actor: Actor::Public,
                kind: EventKind::Changed(FieldChange { field: TicketField::Title, from: "a".into(), to: "b".into() }),
            };
            Ok(Some(History { ticket: ticket(3, 60), created_by: Actor::Public, changes: vec![change(4), change(9)] }))
        });
        let page = service(repository).history(TicketId::new(3).unwrap(), 0, 2).await.unwrap();
        assert_eq!(page.events.iter().map(|event| event.id).collect::<Vec<_>>(), [0, 4]);
        assert_eq!(page.events[0].kind, EventKind::Created);
        assert_eq!(page.next, Some(4));
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
