//! Where log lines go. The server writes to standard output in batches: a busy server answers
//! thousands of requests a second, each with its line, and one `write` per line would cost it more
//! than the line's formatting. Lines wait at most [`FLUSH_EVERY`] (or until [`FLUSH_AT`] bytes
//! wait); a warning or an error is written at once, together with the lines before it, so the
//! lines a crash could lose are only the last moment's request lines. Commands log to standard
//! error, line by line: their standard output is their answer.

use std::io::{self, IsTerminal, Write};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tracing::{Level, Metadata};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::MakeWriter;

use crate::config::LogFormat;

/// How long a line may wait to be written.
pub const FLUSH_EVERY: Duration = Duration::from_millis(100);

/// How many bytes may wait before they are written without waiting for [`FLUSH_EVERY`].
const FLUSH_AT: usize = 64 * 1024;

/// Sets where the server's log lines go. Keep the guard until the server has stopped: dropping
/// it writes the lines still waiting.
pub fn for_server(format: LogFormat) -> Flushed {
    let pending = Arc::new(Pending::default());
    let flusher = Arc::clone(&pending);
    std::thread::Builder::new()
        .name("log-flush".into())
        .spawn(move || {
            loop {
                std::thread::sleep(FLUSH_EVERY);
                flusher.write_out();
            }
        })
        .expect("a thread to write the log");
    install(format, "info", io::stdout().is_terminal(), BatchedStdout(Arc::clone(&pending)));
    Flushed(pending)
}

/// Sets a command's log lines to go to standard error, each as it is made.
pub fn for_command(format: LogFormat) {
    install(format, "warn", io::stderr().is_terminal(), io::stderr);
}

fn install<W>(format: LogFormat, default_level: &str, terminal: bool, writer: W)
where
    W: for<'writer> MakeWriter<'writer> + Send + Sync + 'static,
{
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let subscriber = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(terminal).with_writer(writer);
    match format {
        LogFormat::Text => subscriber.init(),
        LogFormat::Json => subscriber.json().init(),
    }
}

/// Writes the lines still waiting when dropped.
pub struct Flushed(Arc<Pending>);

impl Drop for Flushed {
    fn drop(&mut self) {
        self.0.write_out();
    }
}

/// Lines formatted but not yet written.
#[derive(Default)]
struct Pending(Mutex<Vec<u8>>);

impl Pending {
    fn add(&self, line: &[u8], urgent: bool) {
        let mut pending = self.lock();
        pending.extend_from_slice(line);
        if urgent || pending.len() >= FLUSH_AT {
            Self::write(&mut pending);
        }
    }

    fn write_out(&self) {
        Self::write(&mut self.lock());
    }

    /// Writes under the lock, so lines reach the output in the order they were made.
    fn write(pending: &mut MutexGuard<'_, Vec<u8>>) {
        if pending.is_empty() {
            return;
        }
        let mut stdout = io::stdout().lock();
        // A log that cannot be written (a closed pipe, a full disk) must not stop the server.
        let _ = stdout.write_all(pending).and_then(|()| stdout.flush());
        pending.clear();
    }

    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

struct BatchedStdout(Arc<Pending>);

impl<'writer> MakeWriter<'writer> for BatchedStdout {
    type Writer = Line<'writer>;

    fn make_writer(&'writer self) -> Self::Writer {
        Line { pending: &self.0, urgent: false }
    }

    fn make_writer_for(&'writer self, meta: &Metadata<'_>) -> Self::Writer {
        Line { pending: &self.0, urgent: *meta.level() <= Level::WARN }
    }
}

/// One formatted line on its way to [`Pending`].
struct Line<'writer> {
    pending: &'writer Pending,
    urgent: bool,
}

impl Write for Line<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.pending.add(bytes, self.urgent);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
