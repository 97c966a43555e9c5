//! Moving whole stores: `export` to a JSON Lines file ([`jsonl`]), `import` from one, and `copy`
//! from one store into another with a verification ([`checksum`]) at the end. Each reads and
//! writes through the stores' [`Archive`] port, in id order and in batches, so memory stays the
//! same whatever the size of the store, and any store can be moved into any other.

pub mod checksum;
pub mod jsonl;
pub mod progress;

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, BufReader, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, anyhow, bail};
use domain::{AccountRecord, Archive, ArchiveExtent, BatchWritten, TicketBatch, Written};
use tokio::sync::mpsc;

use self::checksum::{StoreSums, store_sums};
use self::jsonl::{Counts, ExportReader, ExportWriter, Item};
use self::progress::Progress;

/// Tickets read in one query, with their events.
const READ_BATCH: usize = 2000;
/// Tickets written in one transaction: few enough that no statement nears the statement time
/// limit and that a server on the same store waits little for it.
const WRITE_BATCH: usize = 1000;
/// A batch of tickets being written ends at the next ticket once it carries this many events.
const WRITE_BATCH_EVENTS: usize = 10_000;
/// Accounts or tokens read or written at once.
const SMALL_BATCH: usize = 500;
/// Bytes buffered between the file and the JSON.
const FILE_BUFFER: usize = 1 << 20;

/// What passes between the thread at the file and the task at the store.
enum Chunk {
    Accounts(Vec<AccountRecord>),
    Tickets(TicketBatch),
    /// Everything was read: only now may an export end its file.
    End,
}

/// What an export wrote.
pub struct Exported {
    pub counts: Counts,
    pub elapsed: Duration,
}

/// Writes every account (without its password hash), every ticket and every event to `out`, in
/// id order. A thread writes the file while the next batch is read.
pub async fn export<W: Write + Send + 'static>(archive: Arc<dyn Archive>, out: W) -> anyhow::Result<(W, Exported)> {
    let total = archive.extent().await?.tickets.rows;
    let (sender, mut chunks) = mpsc::channel::<Chunk>(2);
    let writer = std::thread::spawn(move || -> io::Result<(W, Exported)> {
        let mut progress = Progress::start("exporting", Some(total));
        let mut writer = ExportWriter::new(out);
        writer.header()?;
        while let Some(chunk) = chunks.blocking_recv() {
            match chunk {
                Chunk::Accounts(accounts) => accounts.iter().try_for_each(|account| writer.account(account))?,
                Chunk::Tickets(batch) => {
                    writer.tickets(&batch)?;
                    progress.advance(batch.tickets.len() as u64);
                }
                Chunk::End => {
                    let (out, counts) = writer.end()?;
                    return Ok((out, Exported { counts, elapsed: progress.finish() }));
                }
            }
        }
        progress.finish();
        Err(io::Error::other("the export stopped before its end"))
    });
    let read = read_everything(&*archive, &sender).await;
    drop(sender);
    let written = writer.join().map_err(|_| anyhow!("the export's writer thread failed"))?;
    read?;
    written.context("cannot write the export")
}

/// Sends every account and then every ticket batch of `archive`, then [`Chunk::End`]; stops
/// early when no one receives any more.
async fn read_everything(archive: &dyn Archive, sender: &mpsc::Sender<Chunk>) -> anyhow::Result<()> {
    let mut after = 0;
    loop {
        let accounts = archive.read_accounts(after, SMALL_BATCH).await?;
        let Some(last) = accounts.last() else { break };
        after = last.account.id.get();
        if sender.send(Chunk::Accounts(accounts)).await.is_err() {
            return Ok(());
        }
    }
    let mut after = 0;
    loop {
        let batch = archive.read_tickets(after, READ_BATCH).await?;
        let Some(last) = batch.last_id() else { break };
        after = last.get();
        if sender.send(Chunk::Tickets(batch)).await.is_err() {
            return Ok(());
        }
    }
    let _ = sender.send(Chunk::End).await;
    Ok(())
}

/// What an import did with the rows of its file.
#[derive(Default)]
pub struct Imported {
    pub accounts: Written,
    pub tickets: Written,
    pub events: Written,
    pub elapsed: Duration,
}

/// Reads the export at `path` into `archive`. The whole file is checked first, so a bad line
/// writes nothing; then it is written in batches, each in one transaction. Rows whose id is in
/// the store already are skipped, so importing a file twice changes nothing.
pub async fn import(archive: Arc<dyn Archive>, path: &Path) -> anyhow::Result<Imported> {
    let started = Instant::now();
    let checked = {
        let path = path.to_owned();
        tokio::task::spawn_blocking(move || check(&path)).await??
    };
    let (sender, mut chunks) = mpsc::channel::<Chunk>(2);
    let reader = {
        let path = path.to_owned();
        std::thread::spawn(move || read_batches(&path, &sender))
    };
    let mut progress = Progress::start("importing", Some(checked.tickets));
    let mut imported = Imported::default();
    let written = async {
        while let Some(chunk) = chunks.recv().await {
            match chunk {
                Chunk::Accounts(accounts) => imported.accounts += archive.write_accounts(accounts).await?,
                Chunk::Tickets(batch) => {
                    let tickets = batch.tickets.len() as u64;
                    let BatchWritten { tickets: t, events } = archive.write_tickets(batch).await?;
                    imported.tickets += t;
                    imported.events += events;
                    progress.advance(tickets);
                }
                Chunk::End => {}
            }
        }
        anyhow::Ok(())
    }
    .await;
    drop(chunks);
    progress.finish();
    let read = reader.join().map_err(|_| anyhow!("the import's reader thread failed"))?;
    written.context("cannot write a batch (those before it are imported; importing the file again skips them)")?;
    read?;
    imported.elapsed = started.elapsed();
    Ok(imported)
}

fn open(path: &Path) -> anyhow::Result<ExportReader<BufReader<File>>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(ExportReader::open(BufReader::with_capacity(FILE_BUFFER, file))?)
}

/// Reads every line of the file and answers what it holds, or its first problem.
fn check(path: &Path) -> anyhow::Result<Counts> {
    let mut progress = Progress::start("checking", None);
    let mut reader = open(path)?;
    let mut tickets: u64 = 0;
    while let Some(item) = reader.next_item()? {
        if matches!(item, Item::Ticket(_)) {
            tickets += 1;
            if tickets.is_multiple_of(1000) {
                progress.advance(1000);
            }
        }
    }
    progress.finish();
    Ok(reader.counts())
}

/// Reads the file again and sends its rows in batches that end at a ticket's end.
fn read_batches(path: &Path, sender: &mpsc::Sender<Chunk>) -> anyhow::Result<()> {
    let mut reader = open(path)?;
    let mut accounts = Vec::new();
    let mut batch = TicketBatch::default();
    let send = |chunk| sender.blocking_send(chunk).map_err(|_| anyhow!("the import stopped"));
    while let Some(item) = reader.next_item()? {
        match item {
            Item::Account(account) => {
                accounts.push(account);
                if accounts.len() == SMALL_BATCH {
                    send(Chunk::Accounts(std::mem::take(&mut accounts)))?;
                }
            }
            Item::Ticket(ticket) => {
                if !accounts.is_empty() {
                    send(Chunk::Accounts(std::mem::take(&mut accounts)))?;
                }
                if batch.tickets.len() >= WRITE_BATCH || batch.events.len() >= WRITE_BATCH_EVENTS {
                    send(Chunk::Tickets(std::mem::take(&mut batch)))?;
                }
                batch.tickets.push(ticket);
            }
            Item::Event(event) => batch.events.push(event),
        }
    }
    if !accounts.is_empty() {
        send(Chunk::Accounts(accounts))?;
    }
    if !batch.tickets.is_empty() {
        send(Chunk::Tickets(batch))?;
    }
    Ok(())
}

/// What a copy wrote into its target.
#[derive(Default)]
pub struct Copied {
    /// The highest ticket id the target held before: the copy went on after it.
    pub resumed_after: i64,
    pub accounts: Written,
    pub tokens: Written,
    pub tickets: Written,
    pub events: Written,
    pub elapsed: Duration,
}

/// Copies every account (with its password hash), API token, ticket and event of `source` into
/// `target`, each table in id order after the highest id the target already holds: an
/// interrupted copy, run again, goes on where it stopped. The next batch is read from the source
/// while the last one is written to the target.
pub async fn copy(source: Arc<dyn Archive>, target: Arc<dyn Archive>) -> anyhow::Result<Copied> {
    let started = Instant::now();
    let (from, to): (ArchiveExtent, ArchiveExtent) = tokio::try_join!(source.extent(), target.extent())?;
    let mut copied = Copied { resumed_after: to.tickets.last_id, ..Copied::default() };

    let mut after = to.accounts.last_id;
    loop {
        let accounts = source.read_accounts(after, SMALL_BATCH).await?;
        let Some(last) = accounts.last() else { break };
        after = last.account.id.get();
        copied.accounts += target.write_accounts(accounts).await?;
    }
    let mut after = to.tokens.last_id;
    loop {
        let tokens = source.read_tokens(after, SMALL_BATCH).await?;
        let Some(last) = tokens.last() else { break };
        after = last.id.get();
        copied.tokens += target.write_tokens(tokens).await?;
    }

    let mut progress = Progress::start("copying", Some(from.tickets.rows.saturating_sub(to.tickets.rows)));
    let mut next = source.read_tickets(to.tickets.last_id, WRITE_BATCH).await?;
    while let Some(last) = next.last_id() {
        let tickets = next.tickets.len() as u64;
        let (written, following) =
            tokio::join!(target.write_tickets(next), source.read_tickets(last.get(), WRITE_BATCH));
        let written = written?;
        copied.tickets += written.tickets;
        copied.events += written.events;
        progress.advance(tickets);
        next = following?;
    }
    progress.finish();
    copied.elapsed = started.elapsed();
    Ok(copied)
}

/// Both stores' checksums, table by table.
pub struct Verification {
    pub source: StoreSums,
    pub target: StoreSums,
    pub elapsed: Duration,
}

impl Verification {
    /// The tables whose rows differ.
    pub fn differing(&self) -> Vec<&'static str> {
        self.source
            .tables()
            .into_iter()
            .zip(self.target.tables())
            .filter(|((_, source), (_, target))| source != target)
            .map(|((name, _), _)| name)
            .collect()
    }
}

/// Reads both stores whole, at once, and sums every table of each.
pub async fn verify(source: Arc<dyn Archive>, target: Arc<dyn Archive>) -> anyhow::Result<Verification> {
    let (from, to) = tokio::try_join!(source.extent(), target.extent())?;
    let progress = RefCell::new(Progress::start("verifying", Some(from.tickets.rows + to.tickets.rows)));
    let read = |tickets| progress.borrow_mut().advance(tickets);
    let (source, target) =
        tokio::try_join!(store_sums(&*source, READ_BATCH, &read), store_sums(&*target, READ_BATCH, &read))?;
    let elapsed = progress.into_inner().finish();
    Ok(Verification { source, target, elapsed })
}

/// `FILE.partial` next to `FILE`: written whole, then renamed, so that `FILE` is never half a file.
pub fn partial_path(path: &Path) -> anyhow::Result<PathBuf> {
    let name = path.file_name().with_context(|| format!("{} is not a file name", path.display()))?;
    let mut partial = name.to_owned();
    partial.push(".partial");
    Ok(path.with_file_name(partial))
}

/// Makes `partial` the file `path`, once its bytes are on disk.
pub fn commit_file(file: File, partial: &Path, path: &Path) -> anyhow::Result<()> {
    file.sync_all().with_context(|| format!("cannot write {}", partial.display()))?;
    drop(file);
    std::fs::rename(partial, path)
        .with_context(|| format!("cannot rename {} to {}", partial.display(), path.display()))?;
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        File::open(dir).and_then(|dir| dir.sync_all()).ok();
    }
    Ok(())
}

/// Refuses to write over an existing file.
pub fn must_be_new(path: &Path) -> anyhow::Result<()> {
    if path.exists() {
        bail!("{} exists already: choose a new file (nothing is written over)", path.display());
    }
    Ok(())
}
