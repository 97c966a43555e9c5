use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Duration, Utc};
use domain::{Classification, ClassifierError, Clock, Confidence, OfflineClassifier, TicketClassifier};

/// Where a suggestion came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SuggestionSource {
    Llm,
    Offline,
}

/// A suggested classification; `note` says why it is not the LLM's when it is not, and
/// `confidence` how sure the classifier is, when it can tell.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    pub classification: Classification,
    pub source: SuggestionSource,
    pub note: Option<String>,
    pub confidence: Option<Confidence>,
}

/// How the LLM is used: how long and how much of its answers are remembered, and how many calls
/// the whole server may make, at once and per minute, so that no client can run up the bill.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassifyPolicy {
    /// Longer descriptions are cut to this many characters before they are sent to the LLM.
    pub max_sent_chars: usize,
    pub cache_ttl: Duration,
    /// The remembered descriptions take at most this many bytes.
    pub cache_bytes: usize,
    pub max_concurrent: usize,
    pub max_per_minute: u32,
}

impl Default for ClassifyPolicy {
    fn default() -> Self {
        Self {
            max_sent_chars: 4000,
            cache_ttl: Duration::minutes(10),
            cache_bytes: 4 * 1024 * 1024,
            max_concurrent: 8,
            max_per_minute: 120,
        }
    }
}

const NO_LLM_NOTE: &str = "Using the offline classifier: no LLM is configured.";
const LLM_UNAVAILABLE_NOTE: &str = "Using the offline classifier: the LLM is unavailable right now.";
const LLM_UNUSABLE_NOTE: &str = "Using the offline classifier: the LLM gave an unusable answer.";
const LLM_BUSY_NOTE: &str = "Using the offline classifier: the LLM is busy with other requests.";
const LLM_BUDGET_NOTE: &str = "Using the offline classifier: the LLM's budget for this minute is spent.";

/// Asks the LLM when there is one and the budget allows, remembers its answers for a while, and
/// falls back to the offline classifier whenever the LLM is absent, busy, over budget or failing.
pub(crate) struct Suggester {
    llm: Option<Arc<dyn TicketClassifier>>,
    offline: Arc<dyn OfflineClassifier>,
    clock: Arc<dyn Clock>,
    policy: ClassifyPolicy,
    remembered: Mutex<Memory>,
    in_flight: AtomicUsize,
    /// When the per-minute budget is whole again (the generic cell rate algorithm's one instant).
    budget_full_at: Mutex<Option<DateTime<Utc>>>,
}

impl Suggester {
    pub(crate) fn new(
        llm: Option<Arc<dyn TicketClassifier>>,
        offline: Arc<dyn OfflineClassifier>,
        clock: Arc<dyn Clock>,
        policy: ClassifyPolicy,
    ) -> Self {
        Self {
            llm,
            offline,
            clock,
            policy,
            remembered: Mutex::default(),
            in_flight: AtomicUsize::new(0),
            budget_full_at: Mutex::new(None),
        }
    }

    /// A suggestion, counted in `classify_suggestions_total` by its source and the reason for it.
    pub(crate) async fn suggest(&self, description: &str) -> Suggestion {
        let (suggestion, reason) = self.decide(description).await;
        let source = match suggestion.source {
            SuggestionSource::Llm => "llm",
            SuggestionSource::Offline => "offline",
        };
        metrics::counter!("classify_suggestions_total", "source" => source, "reason" => reason).increment(1);
        suggestion
    }

    async fn decide(&self, description: &str) -> (Suggestion, &'static str) {
        let Some(llm) = &self.llm else {
            return (self.offline(description, NO_LLM_NOTE), "no_llm");
        };
        let sent = cap_chars(description, self.policy.max_sent_chars);
        if let Some(classification) = self.recall(sent) {
            metrics::counter!("classify_cache_hits_total").increment(1);
            return (Self::llm(classification), "cached");
        }
        let Some(_call) = self.start_call() else {
            metrics::counter!("llm_calls_total", "outcome" => "rate_capped").increment(1);
            return (self.offline(description, LLM_BUSY_NOTE), "llm_busy");
        };
        if !self.spend_budget() {
            metrics::counter!("llm_calls_total", "outcome" => "rate_capped").increment(1);
            return (self.offline(description, LLM_BUDGET_NOTE), "llm_budget_spent");
        }
        match llm.classify(sent).await {
            Ok(classification) => {
                self.remember(sent, classification);
                (Self::llm(classification), "answered")
            }
            Err(error) => {
                tracing::warn!(%error, "LLM classification failed; falling back to the offline classifier");
                match error {
                    ClassifierError::Unavailable(_) => (self.offline(description, LLM_UNAVAILABLE_NOTE), "llm_failed"),
                    ClassifierError::InvalidAnswer(_) => (self.offline(description, LLM_UNUSABLE_NOTE), "llm_unusable"),
                }
            }
        }
    }

    fn llm(classification: Classification) -> Suggestion {
        Suggestion { classification, source: SuggestionSource::Llm, note: None, confidence: None }
    }

    pub(crate) fn describe(&self) -> String {
        match &self.llm {
            Some(llm) => format!("{}, falling back to {}", llm.describe(), self.offline.describe()),
            None => self.offline.describe(),
        }
    }

    fn offline(&self, description: &str, note: &str) -> Suggestion {
        let assessment = self.offline.assess(description);
        Suggestion {
            classification: assessment.classification,
            source: SuggestionSource::Offline,
            note: Some(note.to_owned()),
            confidence: assessment.confidence,
        }
    }

    /// A place among the calls in flight, or `None` when they are all taken.
    fn start_call(&self) -> Option<InFlight<'_>> {
        let taken = self.in_flight.fetch_add(1, Ordering::SeqCst);
        let call = InFlight(&self.in_flight);
        (taken < self.policy.max_concurrent).then_some(call)
    }

    /// Takes one call from the per-minute budget, if any is left.
    fn spend_budget(&self) -> bool {
        if self.policy.max_per_minute == 0 {
            return false;
        }
        let now = self.clock.now();
        let interval = Duration::minutes(1) / i32::try_from(self.policy.max_per_minute).unwrap_or(i32::MAX);
        let tolerance = interval * i32::try_from(self.policy.max_per_minute - 1).unwrap_or(i32::MAX);
        let mut full_at = self.budget_full_at.lock().unwrap_or_else(PoisonError::into_inner);
        let arrival = full_at.map_or(now, |at| at.max(now));
        if arrival - now > tolerance {
            return false;
        }
        *full_at = Some(arrival + interval);
        true
    }

    fn recall(&self, sent: &str) -> Option<Classification> {
        let now = self.clock.now();
        let remembered = self.remembered.lock().unwrap_or_else(PoisonError::into_inner);
        remembered
            .answers
            .get(sent)
            .filter(|(_, at)| now - *at < self.policy.cache_ttl)
            .map(|(classification, _)| *classification)
    }

    fn remember(&self, sent: &str, classification: Classification) {
        if sent.len() > self.policy.cache_bytes {
            return;
        }
        let now = self.clock.now();
        let mut memory = self.remembered.lock().unwrap_or_else(PoisonError::into_inner);
        if memory.answers.remove(sent).is_some() {
            memory.bytes -= sent.len();
            memory.order.retain(|key| key != sent);
        }
        while memory.bytes + sent.len() > self.policy.cache_bytes {
            let Some(oldest) = memory.order.pop_front() else { break };
            if memory.answers.remove(&oldest).is_some() {
                memory.bytes -= oldest.len();
            }
        }
        memory.answers.insert(sent.to_owned(), (classification, now));
        memory.order.push_back(sent.to_owned());
        memory.bytes += sent.len();
    }
}

/// At most `max` characters of `text`, cut at a character boundary.
fn cap_chars(text: &str, max: usize) -> &str {
    text.char_indices().nth(max).map_or(text, |(end, _)| &text[..end])
}

/// The LLM's remembered answers by the text sent, oldest first, and the bytes of their keys.
#[derive(Default)]
struct Memory {
    answers: HashMap<String, (Classification, DateTime<Utc>)>,
    order: VecDeque<String>,
    bytes: usize,
}

/// One call in flight; it ends when this is dropped.
struct InFlight<'a>(&'a AtomicUsize);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use domain::{Assessment, Category, MockClock, MockOfflineClassifier, MockTicketClassifier, Priority};
    use std::sync::atomic::{AtomicI64, Ordering};

    const BILLING_HIGH: Classification = Classification { category: Category::Billing, priority: Priority::High };
    const GENERAL_LOW: Classification = Classification { category: Category::General, priority: Priority::Low };

    fn offline() -> Arc<dyn OfflineClassifier> {
        let mut offline = MockOfflineClassifier::new();
        offline.expect_assess().returning(|_| Assessment { classification: GENERAL_LOW, confidence: None });
        offline.expect_describe().returning(|| "rules".into());
        Arc::new(offline)
    }

    /// A clock whose minutes advance when the test says so.
    fn clock(minutes: Arc<AtomicI64>) -> Arc<dyn Clock> {
        let mut clock = MockClock::new();
        let start = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        clock.expect_now().returning(move || start + Duration::minutes(minutes.load(Ordering::SeqCst)));
        Arc::new(clock)
    }

    fn suggester(llm: Option<MockTicketClassifier>, minutes: Arc<AtomicI64>) -> Suggester {
        let llm = llm.map(|llm| Arc::new(llm) as Arc<dyn TicketClassifier>);
        Suggester::new(llm, offline(), clock(minutes), ClassifyPolicy::default())
    }

    #[tokio::test]
    async fn without_an_llm_the_offline_answer_comes_with_a_note() {
        let suggestion = suggester(None, Arc::default()).suggest("refund please").await;
        assert_eq!(suggestion.classification, GENERAL_LOW);
        assert_eq!(suggestion.source, SuggestionSource::Offline);
        assert_eq!(suggestion.note.as_deref(), Some(NO_LLM_NOTE));
    }

    #[tokio::test]
    async fn the_llms_answer_is_used_without_a_note() {
        let mut llm = MockTicketClassifier::new();
        llm.expect_classify().returning(|_| Ok(BILLING_HIGH));
        let suggestion = suggester(Some(llm), Arc::default()).suggest("charged twice").await;
        assert_eq!(
            suggestion,
            Suggestion { classification: BILLING_HIGH, source: SuggestionSource::Llm, note: None, confidence: None }
        );
    }

    #[tokio::test]
    async fn an_llm_failure_falls_back_and_says_why() {
        for (error, note) in [
            (ClassifierError::Unavailable("timeout".into()), LLM_UNAVAILABLE_NOTE),
            (ClassifierError::InvalidAnswer("category \"food\"".into()), LLM_UNUSABLE_NOTE),
        ] {
            let mut llm = MockTicketClassifier::new();
            let error = Mutex::new(Some(error));
            llm.expect_classify().returning(move |_| Err(error.lock().unwrap().take().unwrap()));
            let suggestion = suggester(Some(llm), Arc::default()).suggest("charged twice").await;
            assert_eq!(suggestion.classification, GENERAL_LOW);
            assert_eq!(suggestion.source, SuggestionSource::Offline);
            assert_eq!(suggestion.note.as_deref(), Some(note));
        }
    }

    #[tokio::test]
    async fn the_same_description_is_sent_once_within_the_time_to_live() {
        let minutes = Arc::new(AtomicI64::new(0));
        let mut llm = MockTicketClassifier::new();
        llm.expect_classify().times(2).returning(|_| Ok(BILLING_HIGH));
        let suggester = suggester(Some(llm), Arc::clone(&minutes));

        suggester.suggest("charged twice").await;
        minutes.store(9, Ordering::SeqCst);
        assert_eq!(suggester.suggest("charged twice").await.source, SuggestionSource::Llm);
        minutes.store(11, Ordering::SeqCst);
        suggester.suggest("charged twice").await;
    }

    #[tokio::test]
    async fn failures_are_not_remembered() {
        let mut llm = MockTicketClassifier::new();
        let mut calls = 0;
        llm.expect_classify().times(2).returning(move |_| {
            calls += 1;
            if calls == 1 { Err(ClassifierError::Unavailable("down".into())) } else { Ok(BILLING_HIGH) }
        });
        let suggester = suggester(Some(llm), Arc::default());

        assert_eq!(suggester.suggest("charged twice").await.source, SuggestionSource::Offline);
        assert_eq!(suggester.suggest("charged twice").await.source, SuggestionSource::Llm);
    }

    #[tokio::test]
    async fn a_full_cache_forgets_its_oldest_answer() {
        let minutes = Arc::new(AtomicI64::new(0));
        let mut llm = MockTicketClassifier::new();
        llm.expect_classify().times(4).returning(|_| Ok(BILLING_HIGH));
        let suggester = Suggester::new(
            Some(Arc::new(llm)),
            offline(),
            clock(Arc::clone(&minutes)),
            ClassifyPolicy { cache_bytes: 2, ..ClassifyPolicy::default() },
        );
        for (minute, text) in [(0, "a"), (1, "b"), (2, "c")] {
            minutes.store(minute, Ordering::SeqCst);
            suggester.suggest(text).await;
        }
        suggester.suggest("c").await; // remembered
        suggester.suggest("a").await; // forgotten: asked again
    }
}
