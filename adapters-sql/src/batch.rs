//! Creates from concurrent requests, written together. While one INSERT runs, the tickets that
//! arrive wait in a queue; the next INSERT takes all of them (up to [`MAX_BATCH`]) in one
//! statement and one commit. Under load, many small transactions that each pay for a commit, a
//! parse and a round trip become a few larger ones; a ticket that arrives alone is written at
//! once, on its own.

use std::error::Error;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};

use domain::{Filing, RepositoryError, Ticket};
use tokio::sync::oneshot;

const MAX_BATCH: usize = 64;

type Outcome = Result<Ticket, RepositoryError>;
type Job = (Filing, oneshot::Sender<Outcome>);
/// Inserts the tickets in one statement and returns them in the same order.
pub(crate) type Insert = dyn Fn(&[Filing]) -> Result<Vec<Ticket>, RepositoryError> + Send + Sync;

pub(crate) struct CreateQueue {
    jobs: Sender<Job>,
}

impl CreateQueue {
    /// Starts `writers` threads that take turns at the queue, each writing a batch with `insert`.
    /// They stop when the queue is dropped.
    pub(crate) fn start(writers: u32, insert: Arc<Insert>) -> Self {
        let (jobs, queue) = channel();
        let queue = Arc::new(Mutex::new(queue));
        for number in 0..writers.max(1) {
            let (queue, insert) = (Arc::clone(&queue), Arc::clone(&insert));
            std::thread::Builder::new()
                .name(format!("ticket-writer-{number}"))
                .spawn(move || {
                    while let Some(batch) = next_batch(&queue) {
                        write(batch, &*insert);
                    }
                })
                .expect("the system lets the server start a thread");
        }
        Self { jobs }
    }

    /// Queues `ticket` and waits until it is committed.
    pub(crate) async fn create(&self, filing: Filing) -> Outcome {
        let (reply, outcome) = oneshot::channel();
        self.jobs.send((filing, reply)).map_err(|_| stopped())?;
        outcome.await.map_err(|_| stopped())?
    }
}

fn next_batch(queue: &Mutex<Receiver<Job>>) -> Option<Vec<Job>> {
    let queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
    let mut batch = vec![queue.recv().ok()?];
    batch.extend(queue.try_iter().take(MAX_BATCH - 1));
    Some(batch)
}

fn write(batch: Vec<Job>, insert: &Insert) {
    let (tickets, replies): (Vec<Filing>, Vec<oneshot::Sender<Outcome>>) = batch.into_iter().unzip();
    let outcomes: Vec<Outcome> = match insert(&tickets) {
        Ok(created) if created.len() == tickets.len() => created.into_iter().map(Ok).collect(),
        Ok(created) => {
            let error = Arc::new(CountMismatch { sent: tickets.len(), returned: created.len() });
            tickets.iter().map(|_| Err(RepositoryError::Unexpected(Box::new(Shared(error.clone()))))).collect()
        }
        Err(error) if tickets.len() == 1 => vec![Err(error)],
        Err(RepositoryError::Unavailable(error)) => {
            let error: Arc<dyn Error + Send + Sync> = Arc::from(error);
            tickets.iter().map(|_| Err(RepositoryError::Unavailable(Box::new(Shared(error.clone()))))).collect()
        }
        Err(RepositoryError::TimedOut(error)) => {
            let error: Arc<dyn Error + Send + Sync> = Arc::from(error);
            tickets.iter().map(|_| Err(RepositoryError::TimedOut(Box::new(Shared(error.clone()))))).collect()
        }
        // One ticket the store refuses must not fail the others: each is tried alone.
        Err(RepositoryError::Unexpected(_)) => tickets.iter().map(|ticket| insert_one(ticket, insert)).collect(),
    };
    for (reply, outcome) in replies.into_iter().zip(outcomes) {
        // A request that stopped waiting still has its ticket stored, as with any write.
        let _ = reply.send(outcome);
    }
}

fn insert_one(ticket: &Filing, insert: &Insert) -> Outcome {
    let mut created = insert(std::slice::from_ref(ticket))?;
    created.pop().ok_or_else(|| RepositoryError::Unexpected(Box::new(CountMismatch { sent: 1, returned: 0 })))
}

fn stopped() -> RepositoryError {
    RepositoryError::Unexpected("the ticket writer threads have stopped".into())
}

/// One error reported to every request of a batch.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
struct Shared(Arc<dyn Error + Send + Sync>);

#[derive(Debug, thiserror::Error)]
#[error("the store returned {returned} tickets for an insert of {sent}")]
struct CountMismatch {
    sent: usize,
    returned: usize,
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use chrono::Utc;
    use domain::Actor;
    use test_support::TicketBuilder;

    use super::*;

    fn new_ticket(title: &str) -> Filing {
        Filing { ticket: TicketBuilder::new().title(title).build(), actor: Actor::Public }
    }

    /// Stores tickets in memory, numbering them in order, after `delay`; refuses any titled "bad".
    fn fake_store(delay: Duration, batches: Arc<Mutex<Vec<usize>>>) -> Arc<Insert> {
        let next_id = AtomicUsize::new(1);
        Arc::new(move |filings: &[Filing]| {
            std::thread::sleep(delay);
            if filings.iter().any(|filing| filing.ticket.title.as_str() == "bad") {
                return Err(RepositoryError::Unexpected("refused".into()));
            }
            batches.lock().unwrap().push(filings.len());
            Ok(filings
                .iter()
                .map(|filing| {
                    let id = next_id.fetch_add(1, Ordering::SeqCst);
                    TicketBuilder::new().title(filing.ticket.title.as_str()).stored(id as i64, Utc::now())
                })
                .collect())
        })
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_creates_share_inserts_and_each_gets_its_own_ticket() {
        let batches = Arc::new(Mutex::new(Vec::new()));
        let queue = Arc::new(CreateQueue::start(1, fake_store(Duration::from_millis(20), batches.clone())));
        let requests: Vec<_> = (0..40)
            .map(|n| {
                let queue = Arc::clone(&queue);
                tokio::spawn(async move { (n, queue.create(new_ticket(&format!("ticket {n}"))).await) })
            })
            .collect();
        for request in requests {
            let (n, outcome) = request.await.unwrap();
            assert_eq!(outcome.expect("created").title.as_str(), format!("ticket {n}"));
        }
        let batches = batches.lock().unwrap();
        assert_eq!(batches.iter().sum::<usize>(), 40);
        assert!(batches.len() < 40, "tickets that waited were written together: {batches:?}");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_refused_ticket_fails_alone() {
        let batches = Arc::new(Mutex::new(Vec::new()));
        let queue = Arc::new(CreateQueue::start(1, fake_store(Duration::from_millis(20), batches)));
        let titles: [&'static str; 5] = ["first", "second", "bad", "third", "fourth"];
        let requests: Vec<_> = titles
            .into_iter()
            .map(|title| {
                let queue = Arc::clone(&queue);
                tokio::spawn(async move { queue.create(new_ticket(title)).await })
            })
            .collect();
        for (title, request) in titles.iter().zip(requests) {
            let outcome = request.await.unwrap();
            match *title {
                "bad" => assert!(matches!(outcome, Err(RepositoryError::Unexpected(_)))),
                _ => assert_eq!(outcome.expect("created").title.as_str(), *title),
            }
        }
    }
}
