use std::collections::HashMap;
use std::sync::{Arc, Mutex};

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

/// How long the LLM's answers are remembered, and how many.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClassifyPolicy {
    pub cache_ttl: Duration,
    pub cache_capacity: usize,
}

impl Default for ClassifyPolicy {
    fn default() -> Self {
        Self { cache_ttl: Duration::minutes(10), cache_capacity: 1024 }
    }
}

const NO_LLM_NOTE: &str = "Using the offline classifier: no LLM is configured.";
const LLM_UNAVAILABLE_NOTE: &str = "Using the offline classifier: the LLM is unavailable right now.";
const LLM_UNUSABLE_NOTE: &str = "Using the offline classifier: the LLM gave an unusable answer.";

/// Asks the LLM when there is one, remembers its answers for a while, and falls back to the
/// offline classifier whenever the LLM is absent or fails.
pub(crate) struct Suggester {
    llm: Option<Arc<dyn TicketClassifier>>,
    offline: Arc<dyn OfflineClassifier>,
    clock: Arc<dyn Clock>,
    policy: ClassifyPolicy,
    remembered: Mutex<HashMap<String, (Classification, DateTime<Utc>)>>,
}

impl Suggester {
    pub(crate) fn new(
        llm: Option<Arc<dyn TicketClassifier>>,
        offline: Arc<dyn OfflineClassifier>,
        clock: Arc<dyn Clock>,
        policy: ClassifyPolicy,
    ) -> Self {
        Self { llm, offline, clock, policy, remembered: Mutex::default() }
    }

    pub(crate) async fn suggest(&self, description: &str) -> Suggestion {
        let Some(llm) = &self.llm else {
            return self.offline(description, NO_LLM_NOTE);
        };
        if let Some(classification) = self.recall(description) {
            return Suggestion { classification, source: SuggestionSource::Llm, note: None, confidence: None };
        }
        match llm.classify(description).await {
            Ok(classification) => {
                self.remember(description, classification);
                Suggestion { classification, source: SuggestionSource::Llm, note: None, confidence: None }
            }
            Err(error) => {
                tracing::warn!(%error, "LLM classification failed; falling back to the offline classifier");
                let note = match error {
                    ClassifierError::Unavailable(_) => LLM_UNAVAILABLE_NOTE,
                    ClassifierError::InvalidAnswer(_) => LLM_UNUSABLE_NOTE,
                };
                self.offline(description, note)
            }
        }
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

    fn recall(&self, description: &str) -> Option<Classification> {
        let now = self.clock.now();
        let remembered = self.remembered.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        remembered
            .get(description)
            .filter(|(_, at)| now - *at < self.policy.cache_ttl)
            .map(|(classification, _)| *classification)
    }

    fn remember(&self, description: &str, classification: Classification) {
        if self.policy.cache_capacity == 0 {
            return;
        }
        let now = self.clock.now();
        let mut remembered = self.remembered.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if remembered.len() >= self.policy.cache_capacity {
            remembered.retain(|_, (_, at)| now - *at < self.policy.cache_ttl);
        }
        if remembered.len() >= self.policy.cache_capacity {
            let oldest = remembered.iter().min_by_key(|(_, (_, at))| *at).map(|(key, _)| key.clone());
            if let Some(oldest) = oldest {
                remembered.remove(&oldest);
            }
        }
        remembered.insert(description.to_owned(), (classification, now));
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
            ClassifyPolicy { cache_ttl: Duration::minutes(10), cache_capacity: 2 },
        );
        for (minute, text) in [(0, "a"), (1, "b"), (2, "c")] {
            minutes.store(minute, Ordering::SeqCst);
            suggester.suggest(text).await;
        }
        suggester.suggest("c").await; // remembered
        suggester.suggest("a").await; // forgotten: asked again
    }
}
