//! Moving and keeping data with the binary: `export` → `import` round-trips a store exactly, on
//! both kinds of store; importing twice changes nothing; a bad file writes nothing; a `copy`
//! killed half-way finishes when run again, verified; and `backup` of a SQLite store that a
//! server is writing to is a consistent store.

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;
#[allow(dead_code)]
#[path = "support/round_robin.rs"]
mod round_robin;
#[allow(dead_code)]
#[path = "support/server.rs"]
mod server;

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};
use reqwest::blocking::Client;
use serde_json::{Value, json};
use test_support::TestDatabase;

use helpers::{SqliteFile, TestStore, client_signed_in, client_with_token};
use server::{Server, admin_token, helpdesk};

const ADMIN_EMAIL: &str = "ann@example.com";
const ADMIN_PASSWORD: &str = "Ann's long password";

fn succeeded(output: &std::process::Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

fn failed(output: &std::process::Output) -> String {
    assert!(!output.status.success(), "should fail: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn export(url: &str) -> String {
    succeeded(&helpdesk(url, &["export"], ""))
}

fn import(url: &str, file: &std::path::Path) -> String {
    succeeded(&helpdesk(url, &["import", file.to_str().unwrap()], ""))
}

/// A path in the temporary directory, and the file there removed at the end.
struct TempFile {
    path: std::path::PathBuf,
}

impl TempFile {
    fn named(name: &str) -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let unique =
            format!("helpdesk-transfer-{}-{}-{name}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        Self { path: std::env::temp_dir().join(unique) }
    }

    fn with(name: &str, text: &str) -> Self {
        let file = Self::named(name);
        std::fs::write(&file.path, text).expect("write a test file");
        file
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.path.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

/// A connection straight to a store.
enum Db {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

#[derive(QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    row: String,
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

impl Db {
    fn open(url: &str) -> Self {
        match url.strip_prefix("sqlite:") {
            Some(path) => {
                let mut connection = SqliteConnection::establish(path).expect("open the SQLite store");
                adapters_sqlite::register_functions(&mut connection).expect("the store's SQL functions");
                Db::Sqlite(connection)
            }
            None => Db::Postgres(PgConnection::establish(url).expect("connect to PostgreSQL")),
        }
    }

    fn execute(&mut self, sql: &str) {
        match self {
            Db::Postgres(conn) => conn.batch_execute(sql),
            Db::Sqlite(conn) => conn.batch_execute(sql),
        }
        .unwrap_or_else(|error| panic!("{error}: {}", &sql[..sql.len().min(300)]));
    }

    fn count(&mut self, table: &str) -> i64 {
        let query = diesel::sql_query(format!("SELECT count(*) AS n FROM {table}"));
        match self {
            Db::Postgres(conn) => query.get_result::<Count>(conn),
            Db::Sqlite(conn) => query.get_result::<Count>(conn),
        }
        .map_or(0, |count| count.n)
    }

    /// Every row of `table`'s `columns`, in id order, one JSON array each, as the store holds it.
    fn rows(&mut self, table: &str, columns: &str) -> Vec<String> {
        let rows = match self {
            Db::Postgres(conn) => {
                diesel::sql_query(format!("SELECT json_build_array({columns})::text AS row FROM {table} ORDER BY id"))
                    .load::<Row>(conn)
            }
            Db::Sqlite(conn) => {
                diesel::sql_query(format!("SELECT json_array({columns}) AS row FROM {table} ORDER BY id"))
                    .load::<Row>(conn)
            }
        };
        rows.expect("read rows").into_iter().map(|row| row.row).collect()
    }

    /// Everything import writes, column by column, but the accounts' password hashes.
    fn contents(&mut self) -> Vec<Vec<String>> {
        vec![
            self.rows(
                "tickets",
                "id, title, description, category, priority, status, created_at, search_title, search_description, \
                 version, created_by_kind, created_by_id, created_by_name",
            ),
            self.rows(
                "ticket_events",
                "id, ticket_id, version, at, actor_kind, actor_id, actor_name, field, old_value, new_value",
            ),
            self.rows("accounts", "id, email, email_key, name, role, disabled, created_at"),
        ]
    }
}

const STATUSES: [&str; 4] = ["open", "in_progress", "resolved", "closed"];
const CATEGORIES: [&str; 4] = ["billing", "technical", "account", "general"];
const PRIORITIES: [&str; 4] = ["low", "medium", "high", "critical"];
const WORDS: [&str; 12] = [
    "printer",
    "Écran",
    "invoice",
    "日本語のテキスト",
    "🎫 emoji",
    "quote ' and \" marks",
    "back\\slash",
    "tab\there",
    "ΣΊΣΥΦΟΣ",
    "line\u{2028}separator",
    "password",
    "naïve café",
];

fn sql_text(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

fn sql_time(db: &Db, micros: i64) -> String {
    match db {
        Db::Postgres(_) => format!("(TIMESTAMPTZ 'epoch' + {micros} * INTERVAL '1 microsecond')"),
        Db::Sqlite(_) => micros.to_string(),
    }
}

fn sql_nullable<T: ToString>(value: Option<T>) -> String {
    value.map_or("NULL".to_owned(), |value| value.to_string())
}

/// Writes `count` tickets with ids from `first_id` up (every other id left out), each with up to
/// three changes of status and some of title, straight into the store: every kind of creator and
/// actor, texts in many alphabets, with quotes, tabs, newlines and a long one now and then.
fn seed(url: &str, first_id: i64, count: i64) {
    let mut db = Db::open(url);
    let mut tickets = Vec::new();
    let mut events: Vec<(i64, i64, i64, String)> = Vec::new(); // (version, ticket, event's place, values)
    for n in 0..count {
        let id = first_id + 2 * n;
        let word = |k: i64| WORDS[((n * 7 + k * 5) % WORDS.len() as i64) as usize];
        let mut title = format!("{} {} #{n}", word(0), word(1));
        let description = if n % 997 == 0 {
            format!("{}\n", word(2).repeat(2000))
        } else {
            format!("Since {} the {} fails.\nSecond line: {}\r\nThird {}", word(3), word(4), word(5), n * 31)
        };
        let version = 1 + n % 4;
        let status_at = |v: i64| STATUSES[((n + v) % 4) as usize];
        let created_at = 1_700_000_000_000_000 + n * 1_234_567 + (n * 7919) % 1000;
        let creator = match n % 5 {
            0 => (None, None, None),
            1 => (Some("public"), None, None),
            2 => (Some("account"), Some(1), Some("Ann")),
            3 => (Some("token"), Some(1), Some("ci")),
            _ => (Some("account"), Some(2), Some("Bob O'Brien")),
        };
        for v in 2..=version {
            let actor = match (n + v) % 3 {
                0 => ("account", Some(1), "Ann"),
                1 => ("token", Some(1), "ci"),
                _ => ("public", None, "public submission"),
            };
            let (field, from, to) = if n % 6 == 0 && v == version {
                let to = format!("{title} (edited)");
                let from = std::mem::replace(&mut title, to.clone());
                ("title", from, to)
            } else {
                ("status", status_at(v - 1).to_owned(), status_at(v).to_owned())
            };
            let at = sql_time(&db, created_at + v * 3_600_000_000 + n % 1000);
            let values = format!(
                "{id}, {v}, {at}, {}, {}, {}, {}, {}, {}",
                sql_text(actor.0),
                sql_nullable(actor.1),
                sql_text(actor.2),
                sql_text(field),
                sql_text(&from),
                sql_text(&to)
            );
            events.push((v, id, events.len() as i64, values));
        }
        let (kind, creator_id, name) = creator;
        tickets.push(format!(
            "({id}, {}, {}, {}, {}, {}, {}, {}, {}, {version}, {}, {}, {})",
            sql_text(&title),
            sql_text(&description),
            sql_text(CATEGORIES[(n % 4) as usize]),
            sql_text(PRIORITIES[(n / 4 % 4) as usize]),
            sql_text(status_at(version)),
            sql_time(&db, created_at),
            sql_text(&domain::search_key(&title)),
            sql_text(&domain::search_key(&description)),
            kind.map_or("NULL".to_owned(), sql_text),
            sql_nullable(creator_id),
            name.map_or("NULL".to_owned(), sql_text),
        ));
    }
    for chunk in tickets.chunks(500) {
        db.execute(&format!(
            "INSERT INTO tickets (id, title, description, category, priority, status, created_at, search_title, \
             search_description, version, created_by_kind, created_by_id, created_by_name) VALUES {}",
            chunk.join(", ")
        ));
    }
    // Event ids in the order of versions, so that a ticket's events are not next to each other.
    events.sort_by_key(|(version, ticket, place, _)| (*version, *ticket, *place));
    let first_event = db.count("ticket_events") * 3 + 1;
    let rows: Vec<String> = events
        .iter()
        .enumerate()
        .map(|(i, (_, _, _, values))| format!("({}, {values})", first_event + 3 * i as i64))
        .collect();
    for chunk in rows.chunks(500) {
        db.execute(&format!(
            "INSERT INTO ticket_events (id, ticket_id, version, at, actor_kind, actor_id, actor_name, field, \
             old_value, new_value) VALUES {}",
            chunk.join(", ")
        ));
    }
    if let Db::Postgres(_) = db {
        db.execute(
            "SELECT setval(pg_get_serial_sequence('tickets', 'id'), (SELECT max(id) FROM tickets)); \
             SELECT setval(pg_get_serial_sequence('ticket_events', 'id'), (SELECT max(id) FROM ticket_events));",
        );
    }
}

/// A store with accounts (an admin and a disabled agent), a token, a few tickets filed and
/// changed through the API by each kind of caller, and then `count` tickets seeded straight in.
/// Answers the admin's token.
fn populate(url: &str, count: i64) -> String {
    succeeded(&helpdesk(
        url,
        &["accounts", "create", "--email", ADMIN_EMAIL, "--name", "Ann", "--role", "admin"],
        &format!("{ADMIN_PASSWORD}\n"),
    ));
    succeeded(&helpdesk(
        url,
        &["accounts", "create", "--email", "Bob@Example.com", "--name", "Bob O'Brien", "--role", "agent"],
        "Bob's long password\n",
    ));
    succeeded(&helpdesk(url, &["accounts", "disable", "bob@example.com"], ""));
    let token = admin_token(url);
    let server = Server::start(url);
    let program = client_with_token(&token);
    let person = client_signed_in(&server.address, ADMIN_EMAIL, ADMIN_PASSWORD);
    let public = Client::new();
    let mut ids = Vec::new();
    for (n, client) in [&program, &person, &public].into_iter().enumerate() {
        let ticket: Value = client
            .post(format!("{}/api/tickets/", server.address))
            .json(&json!({"title": format!("Filed by caller {n}"), "description": "Über — ünïcödé\nand more",
                          "category": "billing", "priority": "high"}))
            .send()
            .unwrap()
            .json()
            .unwrap();
        ids.push(ticket["id"].as_i64().expect("a ticket"));
    }
    for (id, client) in ids.iter().zip([&person, &program, &person]) {
        let response = client
            .patch(format!("{}/api/tickets/{id}/", server.address))
            .json(&json!({"status": "in_progress", "title": "Changed through the API"}))
            .send()
            .unwrap();
        assert_eq!(response.status(), 200);
    }
    drop(server);
    seed(url, 101, count);
    token
}

/// The stats a server on the store shows, but the average per day, which moves with the clock.
fn stats(url: &str) -> Value {
    let token = admin_token(url);
    let server = Server::start(url);
    let mut stats: Value =
        client_with_token(&token).get(format!("{}/api/tickets/stats/", server.address)).send().unwrap().json().unwrap();
    stats.as_object_mut().unwrap().remove("avg_tickets_per_day");
    stats
}

fn round_trip(seeded: TestStore, other_kind: TestStore, same_kind: TestStore) {
    let url = seeded.url();
    populate(&url, 10_000);
    let exported = export(&url);
    assert!(!exported.contains("argon2"), "no password hash in an export");
    assert_eq!(
        exported.lines().last().unwrap(),
        format!(r#"{{"type":"end","accounts":2,"tickets":10003,"events":{}}}"#, Db::open(&url).count("ticket_events"))
    );
    let file = TempFile::with("export.jsonl", &exported);

    for store in [&other_kind, &same_kind] {
        let imported = import(&store.url(), &file.path);
        assert!(imported.contains("Imported 10,003 tickets"), "{imported}");
        assert!(imported.contains("cannot sign in until an admin sets a new password"), "{imported}");
        assert!(export(&store.url()) == exported, "the store's export is the file it was imported from, byte for byte");
    }
    assert_eq!(Db::open(&same_kind.url()).contents(), Db::open(&url).contents(), "every column of every row");

    let again = import(&same_kind.url(), &file.path);
    assert!(again.starts_with("Imported 0 tickets, 0 events and 0 accounts"), "{again}");
    assert!(again.contains("Skipped 10,003 tickets"), "{again}");
    assert!(export(&same_kind.url()) == exported, "importing twice changes nothing");

    let expected = stats(&url);
    assert_eq!(expected["total_tickets"], 10_003);
    assert_eq!(stats(&other_kind.url()), expected);
    assert_eq!(stats(&same_kind.url()), expected);

    // The next ticket comes after the imported ones, and no imported account signs in.
    let target = other_kind.url();
    let token = admin_token(&target);
    let server = Server::start(&target);
    let created: Value = client_with_token(&token)
        .post(format!("{}/api/tickets/", server.address))
        .json(&json!({"title": "After the import", "description": "new", "category": "general", "priority": "low"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert_eq!(created["id"], 101 + 2 * 9_999 + 1);
    let sign_in = Client::new()
        .post(format!("{}/api/auth/login/", server.address))
        .json(&json!({"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD}))
        .send()
        .unwrap();
    assert_eq!(sign_in.status(), 400);
}

#[test]
fn a_sqlite_store_exported_and_imported_into_fresh_stores_exports_the_same_bytes() {
    round_trip(
        TestStore::Sqlite(SqliteFile::new()),
        TestStore::Postgres(TestDatabase::new()),
        TestStore::Sqlite(SqliteFile::new()),
    );
}

#[test]
fn a_postgres_store_exported_and_imported_into_fresh_stores_exports_the_same_bytes() {
    round_trip(
        TestStore::Postgres(TestDatabase::new()),
        TestStore::Sqlite(SqliteFile::new()),
        TestStore::Postgres(TestDatabase::new()),
    );
}

#[test]
fn a_bad_line_is_named_and_nothing_is_written() {
    let source = TestStore::Sqlite(SqliteFile::new());
    populate(&source.url(), 2_500);
    let exported = export(&source.url());
    let lines: Vec<&str> = exported.lines().collect();
    let bad = lines.len() - 10;
    assert!(lines[bad - 1].starts_with(r#"{"type":"ticket""#) || lines[bad - 1].starts_with(r#"{"type":"event""#));
    let mut broken = lines.clone();
    let line = lines[bad - 1].replacen("\"version\":", "\"version\":\"one\",\"was\":", 1);
    broken[bad - 1] = &line;
    let cut = lines[..lines.len() - 1].join("\n") + "\n";
    for (text, expected) in [
        (broken.join("\n") + "\n", format!("line {bad}: invalid type: string \"one\"")),
        (cut, "it was cut short".to_owned()),
        ("id,title\n1,Printer\n".to_owned(), "this is not a helpdesk export".to_owned()),
    ] {
        let file = TempFile::with("bad.jsonl", &text);
        for target in [TestStore::Sqlite(SqliteFile::new()), TestStore::Postgres(TestDatabase::new())] {
            let error = failed(&helpdesk(&target.url(), &["import", file.path.to_str().unwrap()], ""));
            assert!(error.contains(&expected), "{error} should say {expected}");
            let mut db = Db::open(&target.url());
            assert_eq!((db.count("tickets"), db.count("accounts"), db.count("ticket_events")), (0, 0, 0));
        }
    }
}

/// The number of tickets in the store at `url`; 0 while it has no tables yet.
fn tickets_in(url: &str) -> i64 {
    PgConnection::establish(url)
        .ok()
        .and_then(|mut conn| diesel::sql_query("SELECT count(*) AS n FROM tickets").get_result::<Count>(&mut conn).ok())
        .map_or(0, |count| count.n)
}

#[test]
fn a_copy_to_postgres_killed_half_way_and_run_again_ends_with_the_same_data() {
    let source = TestStore::Sqlite(SqliteFile::new());
    let token = populate(&source.url(), 10_000);
    let target = TestDatabase::new();
    let mut copy = Command::new(env!("CARGO_BIN_EXE_helpdesk"))
        .args(["copy", "--to", &target.url])
        .env("DATABASE_URL", source.url())
        .env_remove("RUST_LOG")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start a copy");
    let deadline = Instant::now() + Duration::from_secs(60);
    while tickets_in(&target.url) == 0 {
        assert!(Instant::now() < deadline, "the copy wrote no ticket within a minute");
        std::thread::sleep(Duration::from_millis(5));
    }
    copy.kill().expect("SIGKILL the copy");
    copy.wait().unwrap();
    let half = tickets_in(&target.url);
    assert!(half > 0 && half < 10_003, "killed half-way, with {half} tickets copied");

    let finished = succeeded(&helpdesk(&source.url(), &["copy", "--to", &target.url], ""));
    assert!(finished.contains("going on after ticket"), "{finished}");
    assert!(finished.contains("OK: the target holds the same rows as the source."), "{finished}");
    assert!(!finished.contains("DIFFERENT"), "{finished}");
    assert!(export(&target.url) == export(&source.url()), "the same data");

    let again = succeeded(&helpdesk(&source.url(), &["copy", "--to", &target.url], ""));
    assert!(again.contains("0 accounts, 0 API tokens, 0 tickets and 0 events"), "{again}");
    assert_eq!(stats(&target.url), stats(&source.url()));

    // Passwords and tokens came along: the same people and programs get in.
    let server = Server::start(&target.url);
    client_signed_in(&server.address, ADMIN_EMAIL, ADMIN_PASSWORD);
    let created: Value = client_with_token(&token)
        .post(format!("{}/api/tickets/", server.address))
        .json(&json!({"title": "After the copy", "description": "new", "category": "general", "priority": "low"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    assert!(created["id"].as_i64().unwrap() > 101 + 2 * 9_999, "{created}");
}

#[test]
fn a_copy_names_what_differs_and_fails() {
    let source = TestStore::Sqlite(SqliteFile::new());
    populate(&source.url(), 10);
    let target = TestStore::Sqlite(SqliteFile::new());
    succeeded(&helpdesk(&source.url(), &["copy", "--to", &target.url()], ""));
    Db::open(&target.url()).execute("UPDATE tickets SET title = 'Changed behind its back' WHERE id = 103");
    let output = helpdesk(&source.url(), &["copy", "--to", &target.url()], "");
    let error = failed(&output);
    assert!(error.contains("the target differs from the source in tickets"), "{error}");
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(report.lines().any(|line| line.starts_with("tickets") && line.ends_with("DIFFERENT")), "{report}");
    assert!(report.lines().any(|line| line.starts_with("ticket_events") && line.ends_with("same")), "{report}");

    let error = failed(&helpdesk(&source.url(), &["copy", "--to", "mysql://app:s3cret@db/helpdesk"], ""));
    assert!(error.contains("--to must be postgres://") && !error.contains("s3cret"), "{error}");
    let error = failed(&helpdesk(&source.url(), &["copy", "--to", &source.url()], ""));
    assert!(error.contains("copy into another one"), "{error}");
}

#[test]
fn a_backup_taken_while_the_server_writes_is_a_store_with_every_ticket_acknowledged_before() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let url = store.url();
    let token = admin_token(&url);
    let server = Server::start(&url);
    let acknowledged = Arc::new(Mutex::new(BTreeSet::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..2)
        .map(|writer| {
            let (address, acknowledged, stop) = (server.address.clone(), Arc::clone(&acknowledged), Arc::clone(&stop));
            let client = client_with_token(&token);
            std::thread::spawn(move || {
                for n in 0.. {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let ticket: Value = client
                        .post(format!("{address}/api/tickets/"))
                        .json(&json!({"title": format!("w{writer} n{n}"), "description": "during the backup",
                                      "category": "general", "priority": "low"}))
                        .send()
                        .unwrap()
                        .json()
                        .unwrap();
                    acknowledged.lock().unwrap().insert(ticket["id"].as_i64().unwrap());
                }
            })
        })
        .collect();
    while acknowledged.lock().unwrap().len() < 300 {
        std::thread::sleep(Duration::from_millis(5));
    }
    let before = acknowledged.lock().unwrap().clone();
    let backup = TempFile::named("backup.sqlite3");
    let backup_path = &backup.path;
    let answer = succeeded(&helpdesk(&url, &["backup", backup_path.to_str().unwrap()], ""));
    let during = acknowledged.lock().unwrap().len();
    std::thread::sleep(Duration::from_millis(200));
    stop.store(true, Ordering::Relaxed);
    writers.into_iter().for_each(|writer| writer.join().unwrap());
    assert!(answer.starts_with("Backed up "), "{answer}");
    assert!(acknowledged.lock().unwrap().len() > during, "the server went on writing");

    let backup_url = format!("sqlite:{}", backup_path.display());
    let kept = export(&backup_url);
    let live = export(&url);
    let live_lines: BTreeSet<&str> = live.lines().filter(|line| line.starts_with(r#"{"type":"ticket""#)).collect();
    let mut ids = BTreeSet::new();
    for line in kept.lines().filter(|line| line.starts_with(r#"{"type":"ticket""#)) {
        assert!(live_lines.contains(line), "a ticket in the backup is as the store has it: {line}");
        ids.insert(serde_json::from_str::<Value>(line).unwrap()["id"].as_i64().unwrap());
    }
    assert!(before.is_subset(&ids), "every ticket acknowledged before the backup is in it");
    assert!(answer.replace(',', "").contains(&format!("Backed up {} tickets", ids.len())), "{answer}");
    let expected_total = ids.len();
    let backup_stats = stats(&backup_url);
    assert_eq!(backup_stats["total_tickets"], expected_total, "the counts behind stats agree with the tickets");

    let again = failed(&helpdesk(&url, &["backup", backup_path.to_str().unwrap()], ""));
    assert!(again.contains("exists already"), "{again}");
    std::fs::remove_file(backup_path).unwrap();
    let postgres = TestDatabase::new();
    let refused = failed(&helpdesk(&postgres.url, &["backup", backup_path.to_str().unwrap()], ""));
    assert!(refused.contains("pg_dump"), "{refused}");
}
