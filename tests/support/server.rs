//! The binary under test as a separate process: a server that can be killed and whose log can be
//! read, and the command line on the same store.

use std::io::Write;
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

pub struct Server {
    pub child: Child,
    pub address: String,
    log: PathBuf,
}

impl Server {
    pub fn start(database_url: &str) -> Self {
        Self::start_with(database_url, &[])
    }

    /// Starts the server with `vars` on a free port, its stdout and stderr in a log file.
    pub fn start_with(database_url: &str, vars: &[(&str, &str)]) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let log = std::env::temp_dir().join(format!(
            "helpdesk-server-{}-{}.log",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let output = std::fs::File::create(&log).expect("a log file");
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(env!("CARGO_BIN_EXE_helpdesk"))
            .env("RUST_LOG", "warn")
            .envs(vars.iter().copied())
            .env("DATABASE_URL", database_url)
            .env("PORT", port.to_string())
            .env("HOST", "127.0.0.1")
            .stdout(output.try_clone().expect("the log file"))
            .stderr(output)
            .spawn()
            .expect("start the server");
        let address = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while reqwest::blocking::get(format!("{address}/healthz")).is_err() {
            assert!(Instant::now() < deadline, "the server did not start:\n{}", std::fs::read_to_string(&log).unwrap());
            std::thread::sleep(Duration::from_millis(50));
        }
        Self { child, address, log }
    }

    /// Where the server listens, for a client of its own.
    pub fn socket_address(&self) -> std::net::SocketAddr {
        self.address.trim_start_matches("http://").parse().expect("an address")
    }

    /// Everything the server has written so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).expect("the server's log")
    }

    pub fn kill(mut self) {
        self.child.kill().expect("SIGKILL the server");
        self.child.wait().expect("reap the server");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// Runs `helpdesk ARGS` on the store at `database_url`, with `stdin` as its input.
pub fn helpdesk(database_url: &str, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .args(args)
        .env("DATABASE_URL", database_url)
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run helpdesk");
    child.stdin.take().expect("stdin").write_all(stdin.as_bytes()).expect("write stdin");
    child.wait_with_output().expect("helpdesk ends")
}

/// A new admin token on the store at `database_url`, made with the command line.
pub fn admin_token(database_url: &str) -> String {
    let output = helpdesk(database_url, &["tokens", "create", "--name", "tests", "--role", "admin"], "");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("a token").trim().to_owned()
}
