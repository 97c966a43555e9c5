use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, Text, Timestamptz};
use domain::{AccountDraft, AccountRequest, Role, TokenName};
use helpdesk::Application;
use helpdesk::config::Settings;
use reqwest::blocking::{Client, RequestBuilder, Response};
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderValue, ORIGIN};
use serde_json::{Value, json};
use test_support::TestDatabase;

pub struct TestApp {
    pub address: String,
    /// With TEST_INSTANCES=2: the two server processes and the balancer in front of them.
    _instances: Option<(Vec<crate::server::Server>, crate::round_robin::RoundRobin)>,
    pub store: TestStore,
    /// Signed in as an admin, by token or by cookie as TEST_AUTH says.
    client: Client,
    /// Signed in as nobody.
    anonymous: Client,
    /// An admin's API token, whatever TEST_AUTH says.
    pub token: String,
}

/// The admin every test app has: its e-mail and password.
pub const ADMIN_EMAIL: &str = "admin@example.com";
pub const ADMIN_PASSWORD: &str = "a long admin password";

/// How a test app's client signs in, from TEST_AUTH: `token` (the default) or `cookie`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestAuth {
    Token,
    Cookie,
}

impl TestAuth {
    pub fn from_env() -> Self {
        match std::env::var("TEST_AUTH").as_deref() {
            Ok("cookie") => TestAuth::Cookie,
            Ok("token") | Err(_) => TestAuth::Token,
            Ok(other) => panic!("TEST_AUTH must be token or cookie, not {other:?}"),
        }
    }
}

/// How many server processes serve each test app, from TEST_INSTANCES: 1 (the default, in this
/// process) or 2 (separate processes on the same store, each request to the other one).
pub fn instances() -> usize {
    match std::env::var("TEST_INSTANCES").as_deref() {
        Ok("1") | Err(_) => 1,
        Ok("2") => 2,
        Ok(other) => panic!("TEST_INSTANCES must be 1 or 2, not {other:?}"),
    }
}

/// Whether requests alternate between instances, each of which keeps the limits the README calls
/// per process (and its LLM cache) for itself.
pub fn alternating_instances() -> bool {
    instances() > 1
}

/// A client with the settings every test client has: a timeout, and with several instances a
/// new connection per request, so that the balancer alternates them.
fn client_builder() -> reqwest::blocking::ClientBuilder {
    let builder = Client::builder().timeout(Duration::from_secs(30));
    if instances() > 1 { builder.pool_max_idle_per_host(0) } else { builder }
}

/// A fresh, empty store of the kind TEST_STORAGE names: `postgres` (the default) or `sqlite`.
pub enum TestStore {
    Postgres(TestDatabase),
    Sqlite(SqliteFile),
}

/// A SQLite file in a directory of its own, removed at the end.
pub struct SqliteFile {
    dir: PathBuf,
}

impl SqliteFile {
    pub fn new() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "helpdesk-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("a directory for the test database");
        Self { dir }
    }

    fn path(&self) -> PathBuf {
        self.dir.join("tickets.sqlite3")
    }
}

impl Drop for SqliteFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl TestStore {
    pub fn fresh() -> Self {
        match std::env::var("TEST_STORAGE").as_deref() {
            Ok("sqlite") => TestStore::Sqlite(SqliteFile::new()),
            Ok("postgres") | Err(_) => TestStore::Postgres(TestDatabase::new()),
            Ok(other) => panic!("TEST_STORAGE must be postgres or sqlite, not {other:?}"),
        }
    }

    pub fn url(&self) -> String {
        match self {
            TestStore::Postgres(database) => database.url.clone(),
            TestStore::Sqlite(file) => format!("sqlite:{}", file.path().display()),
        }
    }

    fn connect(&self) -> Direct {
        match self {
            TestStore::Postgres(database) => Direct::Postgres(database.connect()),
            TestStore::Sqlite(file) => {
                let mut connection =
                    SqliteConnection::establish(&file.path().to_string_lossy()).expect("open the test database");
                adapters_sqlite::register_functions(&mut connection).expect("the store's SQL functions");
                connection.batch_execute("PRAGMA busy_timeout = 10000;").expect("wait for the server's writes");
                Direct::Sqlite(connection)
            }
        }
    }
}

/// A connection straight to the store, bypassing the application.
enum Direct {
    Postgres(PgConnection),
    Sqlite(SqliteConnection),
}

/// Starts the real server on a free port over a fresh store, with `vars` as extra settings.
pub fn spawn_app_with(vars: &[(&str, &str)]) -> TestApp {
    spawn_app_on(TestStore::fresh(), vars)
}

pub fn spawn_app() -> TestApp {
    spawn_app_with(&[])
}

pub fn spawn_app_on(store: TestStore, vars: &[(&str, &str)]) -> TestApp {
    let mut all: Vec<(String, String)> = vec![
        ("DATABASE_URL".into(), store.url()),
        ("PORT".into(), "0".into()),
        ("HTTP_WORKERS".into(), "1".into()),
        ("DATABASE_POOL_SIZE".into(), "4".into()),
    ];
    all.extend(vars.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    let settings = Settings::from_vars(|name| all.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
        .expect("test settings");
    let (address, token, instances) = if instances() > 1 {
        let token = actix_web::rt::System::new().block_on(admin_token(&settings));
        let env: Vec<(&str, &str)> =
            vars.iter().copied().filter(|(name, _)| !matches!(*name, "DATABASE_URL" | "PORT" | "HOST")).collect();
        let servers: Vec<crate::server::Server> =
            (0..instances()).map(|_| crate::server::Server::start_with(&store.url(), &env)).collect();
        let backends = servers.iter().map(|server| server.socket_address()).collect();
        let balancer = crate::round_robin::RoundRobin::start(backends);
        (format!("http://{}", balancer.address), token, Some((servers, balancer)))
    } else {
        let (port_sender, port) = mpsc::channel();
        std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let token = admin_token(&settings).await;
                let application = Application::build(settings).await.expect("the server starts");
                port_sender.send((application.port(), token)).expect("report the port");
                application.run_until_stopped().await
            })
        });
        let (port, token) = port.recv_timeout(Duration::from_secs(30)).expect("the server reports its port");
        (format!("http://127.0.0.1:{port}"), token, None)
    };
    let client = match TestAuth::from_env() {
        TestAuth::Token => client_with_token(&token),
        TestAuth::Cookie => {
            // A browser sends the origin it loaded the pages from: the public URL, when there is one.
            let public_url =
                vars.iter().find(|(name, _)| *name == "PUBLIC_URL").map(|(_, url)| url.trim_end_matches('/'));
            client_signed_in_from(&address, public_url.unwrap_or(&address), ADMIN_EMAIL, ADMIN_PASSWORD)
        }
    };
    let anonymous = client_builder().build().expect("an HTTP client");
    TestApp { address, _instances: instances, store, client, anonymous, token }
}

/// Creates the admin account and an admin token in the store the app will serve, as the
/// command line would, and returns the token.
async fn admin_token(settings: &Settings) -> String {
    let stores = helpdesk::connect(&settings.storage).expect("open the test store");
    let access = helpdesk::access_service(&stores).await;
    let admin = AccountRequest::parse(
        AccountDraft {
            email: Some(ADMIN_EMAIL.into()),
            name: Some("Test Admin".into()),
            role: Some("admin".into()),
            password: Some(ADMIN_PASSWORD.into()),
        },
        None,
    )
    .expect("a valid admin");
    access.create_account(admin).await.expect("create the admin");
    let name = TokenName::parse("tests").expect("a token name");
    access.create_token(name, Role::Admin, None, None).await.expect("create a token").secret.expose().to_owned()
}

/// A client that sends `token` with every request.
pub fn client_with_token(token: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(AUTHORIZATION, HeaderValue::from_str(&format!("Bearer {token}")).expect("a header value"));
    client_builder().default_headers(headers).build().expect("an HTTP client")
}

/// A client signed in through the sign-in endpoint, keeping the session cookie, that sends the
/// server's own origin with every request as a browser on the server's pages would.
pub fn client_signed_in(address: &str, email: &str, password: &str) -> Client {
    client_signed_in_from(address, address, email, password)
}

/// As [`client_signed_in`], from pages of `origin`.
pub fn client_signed_in_from(address: &str, origin: &str, email: &str, password: &str) -> Client {
    let mut headers = HeaderMap::new();
    headers.insert(ORIGIN, HeaderValue::from_str(origin).expect("a header value"));
    let client = client_builder().cookie_store(true).default_headers(headers).build().expect("an HTTP client");
    let response = client
        .post(format!("{address}/api/auth/login/"))
        .json(&json!({"email": email, "password": password}))
        .send()
        .expect("sign in");
    assert_eq!(response.status(), 200, "signing in as {email}");
    client
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().expect("GET")
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Response {
        self.client.post(self.url(path)).json(body).send().expect("POST")
    }

    pub fn patch_json(&self, path: &str, body: &Value) -> Response {
        self.client.patch(self.url(path)).json(body).send().expect("PATCH")
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    /// A request from someone not signed in.
    pub fn anonymous(&self, method: reqwest::Method, path: &str) -> RequestBuilder {
        self.anonymous.request(method, self.url(path))
    }

    /// Creates a valid ticket and returns it as the API shows it.
    pub fn create_ticket(&self, title: &str, description: &str, category: &str, priority: &str) -> Value {
        let response = self.post_json(
            "/api/tickets/",
            &json!({"title": title, "description": description, "category": category, "priority": priority}),
        );
        assert_eq!(response.status(), 201, "creating {title:?}");
        response.json().expect("a ticket")
    }

    /// Every ticket the list shows for `query`, following the Link header to the end.
    pub fn list_all(&self, query: &str) -> Vec<Value> {
        let mut tickets = Vec::new();
        let mut next = Some(self.url(&format!("/api/tickets/?{query}")));
        while let Some(url) = next.take() {
            let response = self.client.get(&url).send().expect("GET list");
            assert_eq!(response.status(), 200, "{url}");
            next = next_link(&response);
            let page: Vec<Value> = response.json().expect("a JSON array");
            tickets.extend(page);
        }
        tickets
    }

    /// Sets `created_at` straight in the store, of one ticket or of every ticket.
    pub fn set_created_at(&self, id: Option<i64>, at: DateTime<Utc>) {
        let condition = id.map_or("true".to_owned(), |id| format!("id = {id}"));
        let sql = format!("UPDATE tickets SET created_at = $1 WHERE {condition}");
        match self.store.connect() {
            Direct::Postgres(mut conn) => diesel::sql_query(sql).bind::<Timestamptz, _>(at).execute(&mut conn),
            Direct::Sqlite(mut conn) => {
                diesel::sql_query(sql.replace("$1", "?")).bind::<BigInt, _>(at.timestamp_micros()).execute(&mut conn)
            }
        }
        .expect("set created_at");
    }

    /// Stores `count` open tickets with this text straight in the store, outside the server's
    /// time limits; the counts behind stats and the search indexes follow.
    pub fn insert_directly(&self, count: usize, title: &str, description: &str) {
        let sql = "INSERT INTO tickets (title, description, category, priority, status, search_title, \
                   search_description) VALUES ($1, $2, 'general', 'low', 'open', $3, $4)";
        let (search_title, search_description) = (domain::search_key(title), domain::search_key(description));
        let mut direct = self.store.connect();
        for _ in 0..count {
            match &mut direct {
                Direct::Postgres(conn) => diesel::sql_query(sql)
                    .bind::<Text, _>(title)
                    .bind::<Text, _>(description)
                    .bind::<Text, _>(&search_title)
                    .bind::<Text, _>(&search_description)
                    .execute(conn),
                Direct::Sqlite(conn) => diesel::sql_query(sql.replace('$', "?"))
                    .bind::<Text, _>(title)
                    .bind::<Text, _>(description)
                    .bind::<Text, _>(&search_title)
                    .bind::<Text, _>(&search_description)
                    .execute(conn),
            }
            .expect("insert a ticket");
        }
    }

    /// Deletes every ticket, with its history and keys, straight in the store; the counts behind
    /// stats follow.
    pub fn clear_tickets(&self) {
        let sql = "DELETE FROM idempotency_keys; DELETE FROM ticket_events; DELETE FROM tickets;";
        match self.store.connect() {
            Direct::Postgres(mut conn) => conn.batch_execute(sql),
            Direct::Sqlite(mut conn) => conn.batch_execute(sql),
        }
        .expect("delete every ticket");
    }

    /// A GET of a whole URL (a Link header's), signed in as the app's client is.
    pub fn get_url(&self, url: &str) -> Response {
        self.client.get(url).send().expect("GET")
    }

    /// Moves back by `hours` when the sessions of the account `email` were last seen.
    pub fn age_sessions_of(&self, email: &str, hours: i64) {
        let account = format!("account_id = (SELECT id FROM accounts WHERE email_key = '{}')", email.to_lowercase());
        match self.store.connect() {
            Direct::Postgres(mut conn) => diesel::sql_query(format!(
                "UPDATE sessions SET last_seen_at = last_seen_at - interval '{hours} hours' WHERE {account}"
            ))
            .execute(&mut conn),
            Direct::Sqlite(mut conn) => diesel::sql_query(format!(
                "UPDATE sessions SET last_seen_at = last_seen_at - {} WHERE {account}",
                hours * 3_600_000_000
            ))
            .execute(&mut conn),
        }
        .expect("age the sessions");
    }

    pub fn count_sql(&self, condition: &str) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let query = diesel::sql_query(format!("SELECT count(*) AS n FROM tickets WHERE {condition}"));
        match self.store.connect() {
            Direct::Postgres(mut conn) => query.get_result::<Count>(&mut conn),
            Direct::Sqlite(mut conn) => query.get_result::<Count>(&mut conn),
        }
        .expect("count")
        .n
    }

    pub fn earliest_created_at(&self) -> Option<DateTime<Utc>> {
        self.created_at_where("true")
    }

    /// A stored ticket's fields as the store holds them.
    pub fn stored(&self, id: i64) -> Option<StoredTicket> {
        let query = diesel::sql_query(format!(
            "SELECT title, description, category, priority, status FROM tickets WHERE id = {id}"
        ));
        let fields: Option<StoredFields> = match self.store.connect() {
            Direct::Postgres(mut conn) => query.get_result(&mut conn).optional(),
            Direct::Sqlite(mut conn) => query.get_result(&mut conn).optional(),
        }
        .expect("select a ticket");
        fields.map(|f| StoredTicket {
            title: f.title,
            description: f.description,
            category: f.category,
            priority: f.priority,
            status: f.status,
            created_at: self.created_at_where(&format!("id = {id}")).expect("created_at"),
        })
    }

    /// The earliest created_at of the tickets meeting `condition`.
    fn created_at_where(&self, condition: &str) -> Option<DateTime<Utc>> {
        #[derive(QueryableByName)]
        struct Pg {
            #[diesel(sql_type = Nullable<Timestamptz>)]
            at: Option<DateTime<Utc>>,
        }
        #[derive(QueryableByName)]
        struct Lite {
            #[diesel(sql_type = Nullable<BigInt>)]
            at: Option<i64>,
        }
        let sql = format!("SELECT min(created_at) AS at FROM tickets WHERE {condition}");
        match self.store.connect() {
            Direct::Postgres(mut conn) => diesel::sql_query(sql).get_result::<Pg>(&mut conn).expect("created_at").at,
            Direct::Sqlite(mut conn) => diesel::sql_query(sql)
                .get_result::<Lite>(&mut conn)
                .expect("created_at")
                .at
                .and_then(DateTime::from_timestamp_micros),
        }
    }
}

#[derive(QueryableByName)]
struct StoredFields {
    #[diesel(sql_type = Text)]
    title: String,
    #[diesel(sql_type = Text)]
    description: String,
    #[diesel(sql_type = Text)]
    category: String,
    #[diesel(sql_type = Text)]
    priority: String,
    #[diesel(sql_type = Text)]
    status: String,
}

#[derive(Debug, PartialEq)]
pub struct StoredTicket {
    pub title: String,
    pub description: String,
    pub category: String,
    pub priority: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
}

/// The target of an RFC 8288 `rel="next"` link, if the response has one.
pub fn next_link(response: &Response) -> Option<String> {
    let header = response.headers().get(reqwest::header::LINK)?.to_str().ok()?;
    header.split(',').find(|link| link.contains("rel=\"next\"")).and_then(|link| {
        let start = link.find('<')? + 1;
        let end = link.find('>')?;
        Some(link[start..end].to_owned())
    })
}
