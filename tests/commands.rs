//! The command line on a store, whether or not the server runs; the first run's setup address;
//! and that no log line of a whole run carries a password, a token or a session id.

#[allow(dead_code)]
#[path = "api/helpers.rs"]
mod helpers;
#[allow(dead_code)]
#[path = "support/round_robin.rs"]
mod round_robin;
#[allow(dead_code)]
#[path = "support/server.rs"]
mod server;

use reqwest::blocking::Client;
use serde_json::{Value, json};

use helpers::{SqliteFile, TestStore, client_with_token};
use server::{Server, helpdesk};

fn stdout(output: &std::process::Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout.clone()).expect("UTF-8")
}

#[test]
fn tokens_are_made_listed_and_revoked_from_the_command_line_while_the_server_runs() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let url = store.url();
    let created = stdout(&helpdesk(&url, &["tokens", "create", "--name", "ci", "--role", "agent"], ""));
    let token = created.trim_end_matches('\n');
    assert!(token.starts_with("hd_") && !token.contains(char::is_whitespace), "only the token: {created:?}");
    assert_eq!(created.lines().count(), 1);

    let server = Server::start(&url);
    let program = client_with_token(token);
    assert_eq!(program.get(format!("{}/api/tickets/", server.address)).send().unwrap().status(), 200);

    let expiring = stdout(&helpdesk(
        &url,
        &["tokens", "create", "--name", "nightly", "--role", "admin", "--expires-in-days", "7"],
        "",
    ));
    let listed = stdout(&helpdesk(&url, &["tokens", "list"], ""));
    assert!(listed.starts_with("ID"), "{listed}");
    assert!(listed.contains("ci") && listed.contains("nightly") && listed.contains("admin"), "{listed}");
    assert!(!listed.contains(token) && !listed.contains(expiring.trim()), "never a secret in a list");

    let id = listed.lines().find(|line| line.contains(" ci ")).unwrap().split_whitespace().next().unwrap().to_owned();
    stdout(&helpdesk(&url, &["tokens", "revoke", &id], ""));
    assert_eq!(program.get(format!("{}/api/tickets/", server.address)).send().unwrap().status(), 401, "at once");
    let again = helpdesk(&url, &["tokens", "revoke", &id], "");
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("no token"));
}

#[test]
fn accounts_are_made_with_a_password_from_stdin_listed_and_disabled() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let url = store.url();
    let created = helpdesk(
        &url,
        &["accounts", "create", "--email", "Ann@Example.com", "--name", "Ann", "--role", "admin"],
        "correct horse battery\n",
    );
    assert!(stdout(&created).contains("Ann@Example.com"));
    let short = helpdesk(
        &url,
        &["accounts", "create", "--email", "b@example.com", "--name", "B", "--role", "agent"],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("too short"));

    let server = Server::start(&url);
    let sign_in = |password: &str| {
        Client::new()
            .post(format!("{}/api/auth/login/", server.address))
            .json(&json!({"email": "ann@example.com", "password": password}))
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(sign_in("correct horse battery"), 200);

    let listed = stdout(&helpdesk(&url, &["accounts", "list"], ""));
    assert!(listed.contains("Ann@Example.com") && listed.contains("active"), "{listed}");
    assert!(!listed.contains("argon2"), "no hash in a list");

    helpdesk(
        &url,
        &["accounts", "create", "--email", "boss@example.com", "--name", "Boss", "--role", "admin"],
        "another long password\n",
    );
    stdout(&helpdesk(&url, &["accounts", "disable", "ANN@example.com"], ""));
    assert_eq!(sign_in("correct horse battery"), 400);
    assert!(stdout(&helpdesk(&url, &["accounts", "list"], "")).contains("disabled"));
}

#[test]
fn a_typo_in_the_database_url_stops_with_the_accepted_forms_and_no_password() {
    let output = helpdesk("postgress://app:s3cret@db/helpdesk", &["tokens", "list"], "");
    assert!(!output.status.success());
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(error.contains("postgres://user:password@host:5432"), "{error}");
    assert!(!error.contains("s3cret"), "{error}");
}

/// The setup address from the server's log.
fn setup_url(server: &Server) -> String {
    let log = server.log();
    let line = log.lines().find(|line| line.contains("/setup?code=")).expect("a setup address in the log");
    let start = line.find("http://").expect("an address");
    let url: String = line[start..].chars().take_while(|c| !c.is_whitespace()).collect();
    assert!(url.contains("/setup?code="), "{url}");
    url
}

#[test]
fn the_first_admin_comes_from_the_one_time_setup_code_the_server_prints() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let server = Server::start(&store.url());
    let url = setup_url(&server);
    let code = url.split("code=").nth(1).unwrap().to_owned();
    assert_eq!(server.log().matches("/setup?code=").count(), 1, "printed once");

    let setup = |code: &str, email: &str| {
        Client::new()
            .post(format!("{}/api/auth/setup/", server.address))
            .json(&json!({"code": code, "email": email, "name": "Boss", "password": "a long admin password"}))
            .send()
            .unwrap()
    };
    let wrong = setup("not-the-code", "boss@example.com");
    assert_eq!(wrong.status(), 403);
    assert_eq!(wrong.json::<Value>().unwrap(), json!({"detail": "The setup code is not valid."}));

    let made = setup(&code, "boss@example.com");
    assert_eq!(made.status(), 201);
    assert!(made.headers()["set-cookie"].to_str().unwrap().starts_with("helpdesk_session="), "signed in");
    assert_eq!(made.json::<Value>().unwrap()["role"], "admin");

    let again = setup(&code, "someone@example.com");
    assert_eq!(again.status(), 409, "the code died with the first admin");
}

#[test]
fn no_log_line_of_a_whole_run_carries_a_password_a_token_or_a_session_id() {
    let store = TestStore::Sqlite(SqliteFile::new());
    let server = Server::start_with(&store.url(), &[("RUST_LOG", "trace")]);
    let setup_url = setup_url(&server);
    let code = setup_url.split("code=").nth(1).unwrap().to_owned();
    let browser = Client::builder().cookie_store(true).build().unwrap();
    let base = &server.address;
    let admin_password = "the admin's own password";
    let made = browser
        .post(format!("{base}/api/auth/setup/"))
        .header("origin", base)
        .json(&json!({"code": code, "email": "boss@example.com", "name": "Boss", "password": admin_password}))
        .send()
        .unwrap();
    let session =
        made.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().split('=').nth(1).unwrap().to_owned();
    let agent_password = "the agent's own password";
    let agent = browser
        .post(format!("{base}/api/accounts/"))
        .header("origin", base)
        .json(&json!({"email": "agent@example.com", "name": "Agent", "role": "agent", "password": agent_password}))
        .send()
        .unwrap();
    assert_eq!(agent.status(), 201);
    let token: Value = browser
        .post(format!("{base}/api/tokens/"))
        .header("origin", base)
        .json(&json!({"name": "ci", "role": "agent"}))
        .send()
        .unwrap()
        .json()
        .unwrap();
    let token = token["token"].as_str().unwrap().to_owned();
    let program = client_with_token(&token);
    assert_eq!(program.get(format!("{base}/api/tickets/")).send().unwrap().status(), 200);
    let wrong = Client::new()
        .post(format!("{base}/api/auth/login/"))
        .json(&json!({"email": "agent@example.com", "password": "a wrong password guess"}))
        .send()
        .unwrap();
    assert_eq!(wrong.status(), 400);
    let signed_in = Client::new()
        .post(format!("{base}/api/auth/login/"))
        .json(&json!({"email": "agent@example.com", "password": agent_password}))
        .send()
        .unwrap();
    let agent_session = signed_in.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .split('=')
        .nth(1)
        .unwrap()
        .to_owned();
    Client::new()
        .get(format!("{base}/api/tickets/"))
        .header("cookie", format!("helpdesk_session={agent_session}"))
        .send()
        .unwrap();
    browser.post(format!("{base}/api/auth/logout/")).header("origin", base).send().unwrap();

    let log = server.log();
    assert!(log.lines().count() > 5, "the debug log has lines: {log}");
    for (what, secret) in [
        ("the admin's password", admin_password),
        ("the agent's password", agent_password),
        ("a wrong password", "a wrong password guess"),
        ("the API token", token.as_str()),
        ("the admin's session id", session.as_str()),
        ("the agent's session id", agent_session.as_str()),
    ] {
        assert!(!log.contains(secret), "{what} is in the log");
    }
    assert_eq!(log.matches(&code).count(), 1, "the setup code is printed once, in its own line, and never again");
}
