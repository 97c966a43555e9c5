//! Typed configuration from environment variables; every variable has a default but DATABASE_URL.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use adapters_http::{
    Cidr, Hosts, HttpSettings, MetricsToken, RateLimit, Timeouts, WebUi, body_limit_for, default_allowed_hosts,
    parse_public_url,
};
use adapters_llm::LlmSettings;
use adapters_postgres::PostgresSettings;
use adapters_sqlite::SqliteSettings;
use application::ClassifyPolicy;
use domain::TicketLimits;

#[derive(Debug)]
pub struct Settings {
    pub host: String,
    pub port: u16,
    pub storage: Storage,
    /// `None` when no LLM is configured: suggestions come from the offline classifier.
    pub llm: Option<LlmSettings>,
    /// How much of the LLM the whole server may use, and how its answers are remembered.
    pub classify: ClassifyPolicy,
    pub http: HttpSettings,
    pub log_format: LogFormat,
    /// Whether the server records metrics and answers /metrics (METRICS, true by default).
    pub metrics: bool,
}

/// Where the tickets live, chosen by DATABASE_URL.
#[derive(Debug)]
pub enum Storage {
    Postgres(PostgresSettings),
    Sqlite(SqliteSettings),
}

/// The SQLite file used when DATABASE_URL is not set.
pub const DEFAULT_SQLITE_PATH: &str = "data/helpdesk.sqlite3";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// A variable that is set to something unusable. The message never repeats a URL whole: it may
/// carry a password.
#[derive(Debug, thiserror::Error)]
#[error("{name} must be {expected}, but it is {value:?}")]
pub struct ConfigError {
    name: &'static str,
    expected: &'static str,
    value: String,
}

const DATABASE_URL_FORMS: &str = "postgres://user:password@host:5432/database (or postgresql://…), \
    sqlite:path/to/file.db (or sqlite:///absolute/path.db), or a plain file path for SQLite";

impl Settings {
    /// Reads the settings through `var`, which returns a variable's value if it is set.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let text = |name: &str| var(name).filter(|value| !value.trim().is_empty());
        let llm_configured = text("OPENAI_API_KEY").is_some() || text("OPENAI_BASE_URL").is_some();
        let llm = if llm_configured {
            let mut llm = LlmSettings::new(text("OPENAI_BASE_URL"), text("OPENAI_API_KEY"), text("OPENAI_MODEL"));
            if let Some(ms) = text("OPENAI_TIMEOUT_MS") {
                llm.timeout = Duration::from_millis(parse("OPENAI_TIMEOUT_MS", &ms, "a number of milliseconds")?);
            }
            Some(llm)
        } else {
            None
        };
        let classify = ClassifyPolicy {
            max_sent_chars: llm.as_ref().map_or(4000, |llm| llm.max_description_chars),
            max_concurrent: number(&text, "OPENAI_MAX_CONCURRENT", 8, "a number of calls")?,
            max_per_minute: number(&text, "OPENAI_MAX_PER_MINUTE", 120, "a number of calls")?,
            ..ClassifyPolicy::default()
        };
        let pool_size: u32 = number(&text, "DATABASE_POOL_SIZE", 8, "a number of connections from 1 up")?;
        let timeouts = StoreTimeouts {
            connection: Duration::from_secs(number(&text, "DATABASE_TIMEOUT_SECS", 3, "a number of seconds")?),
            statement: Duration::from_millis(number(
                &text,
                "DATABASE_STATEMENT_TIMEOUT_MS",
                5000,
                "a number of milliseconds",
            )?),
        };
        let storage = storage("DATABASE_URL", text("DATABASE_URL"), pool_size.max(1), timeouts)?;
        let ticket_limits = TicketLimits {
            description_max_chars: number(&text, "DESCRIPTION_MAX_CHARS", 65_536, "a number of characters from 1 up")?
                .max(1),
        };
        let trusted_proxies = match text("TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .filter(|entry| !entry.trim().is_empty())
                .map(|entry| {
                    Cidr::parse(entry).ok_or(ConfigError {
                        name: "TRUSTED_PROXIES",
                        expected: "a comma-separated list of addresses or networks, e.g. 10.0.0.0/8,::1",
                        value: entry.trim().to_owned(),
                    })
                })
                .collect::<Result<_, _>>()?,
        };
        let public_url = text("PUBLIC_URL")
            .map(|url| {
                parse_public_url(&url).ok_or(ConfigError {
                    name: "PUBLIC_URL",
                    expected: "an absolute http:// or https:// URL without credentials, e.g. https://desk.example.com",
                    value: url,
                })
            })
            .transpose()?;
        let allowed_hosts = match text("ALLOWED_HOSTS") {
            Some(list) => {
                list.split(',').map(|host| host.trim().to_ascii_lowercase()).filter(|h| !h.is_empty()).collect()
            }
            None => default_allowed_hosts(public_url.as_ref().map(|(_, host)| host.as_str())),
        };
        let public_submissions = boolean(&text, "PUBLIC_SUBMISSIONS", true)?;
        Ok(Self {
            host: text("HOST").unwrap_or_else(|| "127.0.0.1".into()),
            port: number(&text, "PORT", 8000, "a port number from 0 to 65535")?,
            storage,
            llm,
            classify,
            http: HttpSettings {
                body_limit_bytes: number(
                    &text,
                    "HTTP_BODY_LIMIT_BYTES",
                    body_limit_for(&ticket_limits),
                    "a number of bytes",
                )?,
                ticket_limits,
                classify_rate: RateLimit {
                    per_minute: number(&text, "CLASSIFY_RATE_PER_MINUTE", 30, "a number of requests")?,
                    burst: number(&text, "CLASSIFY_BURST", 10, "a number of requests")?,
                },
                public_create_rate: RateLimit {
                    per_minute: number(&text, "PUBLIC_CREATE_RATE_PER_MINUTE", 60, "a number of requests")?,
                    burst: number(&text, "PUBLIC_CREATE_BURST", 20, "a number of requests")?,
                },
                timeouts: Timeouts {
                    head: Duration::from_secs(number(&text, "HTTP_HEAD_TIMEOUT_SECS", 5, "a number of seconds")?),
                    body: Duration::from_secs(number(&text, "HTTP_BODY_TIMEOUT_SECS", 15, "a number of seconds")?),
                    keep_alive: Duration::from_secs(number(&text, "HTTP_KEEP_ALIVE_SECS", 5, "a number of seconds")?),
                },
                max_connections_per_worker: number(&text, "HTTP_MAX_CONNECTIONS", 1024, "a number of connections")?,
                workers: number(&text, "HTTP_WORKERS", default_workers(), "a number of threads")?,
                web_ui: WebUi::Embedded,
                hosts: Hosts {
                    public_origin: public_url.map(|(origin, _)| origin),
                    allowed: allowed_hosts,
                    trusted_proxies,
                },
                public_submissions,
                metrics: None,
                metrics_token: text("METRICS_TOKEN").and_then(MetricsToken::new),
            },
            log_format: match text("LOG_FORMAT").as_deref() {
                None | Some("text") => LogFormat::Text,
                Some("json") => LogFormat::Json,
                Some(other) => {
                    return Err(ConfigError { name: "LOG_FORMAT", expected: "text or json", value: other.into() });
                }
            },
            metrics: boolean(&text, "METRICS", true)?,
        })
    }

    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }
}

impl Storage {
    /// Another store, named by `url` as DATABASE_URL would name it (`name` is the option that gave
    /// it, for the error), with this one's pool size and time limits.
    pub fn another(&self, name: &'static str, url: &str) -> Result<Storage, ConfigError> {
        let (pool_size, connection, statement) = match self {
            Storage::Postgres(p) => (p.pool_size, p.connect_timeout, p.statement_timeout),
            Storage::Sqlite(s) => (s.pool_size, s.busy_timeout, s.statement_timeout),
        };
        match url.trim() {
            "" => Err(ConfigError { name, expected: DATABASE_URL_FORMS, value: String::new() }),
            url => storage(name, Some(url.to_owned()), pool_size, StoreTimeouts { connection, statement }),
        }
    }
}

/// How long a request waits for a connection, and how long one statement may run.
struct StoreTimeouts {
    connection: Duration,
    statement: Duration,
}

/// The store DATABASE_URL names: PostgreSQL by a postgres URL, SQLite by a sqlite: URL or a plain
/// path, the default SQLite file when unset; any other scheme is a mistake (a typo must not
/// quietly become a SQLite file of that name).
fn storage(
    name: &'static str,
    url: Option<String>,
    pool_size: u32,
    timeouts: StoreTimeouts,
) -> Result<Storage, ConfigError> {
    let sqlite = |path: &str| {
        Storage::Sqlite(SqliteSettings {
            path: path.into(),
            pool_size,
            busy_timeout: timeouts.connection,
            statement_timeout: timeouts.statement,
        })
    };
    let Some(url) = url else { return Ok(sqlite(DEFAULT_SQLITE_PATH)) };
    let scheme = url_scheme(&url);
    match scheme.as_deref() {
        Some("postgres" | "postgresql") => Ok(Storage::Postgres(PostgresSettings {
            url,
            pool_size,
            connect_timeout: timeouts.connection,
            statement_timeout: timeouts.statement,
        })),
        Some("sqlite") | None => {
            Ok(sqlite(url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:")).unwrap_or(&url)))
        }
        Some(other) => Err(ConfigError {
            name,
            expected: DATABASE_URL_FORMS,
            value: format!("a URL of the unknown scheme {other}:"),
        }),
    }
}

/// The lower-cased scheme of a URL (`postgres` of `postgres://…`), `None` for a plain path. A
/// one-letter scheme is a Windows drive, not a scheme.
fn url_scheme(url: &str) -> Option<String> {
    let (scheme, _) = url.split_once(':')?;
    let is_scheme = scheme.len() > 1
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    is_scheme.then(|| scheme.to_ascii_lowercase())
}

fn default_workers() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from)
}

fn number<T: FromStr>(
    text: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: T,
    expected: &'static str,
) -> Result<T, ConfigError> {
    match text(name) {
        None => Ok(default),
        Some(value) => parse(name, &value, expected),
    }
}

fn boolean(text: &impl Fn(&str) -> Option<String>, name: &'static str, default: bool) -> Result<bool, ConfigError> {
    match text(name).map(|value| value.trim().to_ascii_lowercase()).as_deref() {
        None => Ok(default),
        Some("true" | "1" | "yes" | "on") => Ok(true),
        Some("false" | "0" | "no" | "off") => Ok(false),
        Some(other) => Err(ConfigError { name, expected: "true or false", value: other.into() }),
    }
}

fn parse<T: FromStr>(name: &'static str, value: &str, expected: &'static str) -> Result<T, ConfigError> {
    value.trim().parse().map_err(|_| ConfigError { name, expected, value: value.to_owned() })
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(vars: &[(&str, &str)]) -> Result<Settings, ConfigError> {
        let vars: HashMap<String, String> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Settings::from_vars(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_serve_on_localhost_8000_from_a_sqlite_file_without_an_llm() {
        let settings = settings(&[]).unwrap();
        assert_eq!((settings.host.as_str(), settings.port), ("127.0.0.1", 8000));
        assert!(matches!(settings.storage, Storage::Sqlite(s) if s.path.as_os_str() == DEFAULT_SQLITE_PATH));
        assert!(settings.llm.is_none());
        assert_eq!(settings.log_format, LogFormat::Text);
    }

    #[test]
    fn the_database_url_chooses_the_storage() {
        let storage = |url| settings(&[("DATABASE_URL", url)]).unwrap().storage;
        assert!(
            matches!(storage("postgres://u:p@db/helpdesk"), Storage::Postgres(p) if p.url == "postgres://u:p@db/helpdesk")
        );
        assert!(matches!(storage("postgresql:///helpdesk?host=/run"), Storage::Postgres(_)));
        assert!(
            matches!(storage("sqlite:///var/lib/t.db"), Storage::Sqlite(s) if s.path.as_os_str() == "/var/lib/t.db")
        );
        assert!(matches!(storage("sqlite:t.db"), Storage::Sqlite(s) if s.path.as_os_str() == "t.db"));
        assert!(matches!(storage("./other.sqlite3"), Storage::Sqlite(s) if s.path.as_os_str() == "./other.sqlite3"));
    }

    #[test]
    fn an_unknown_scheme_stops_the_server_without_showing_the_url() {
        for url in ["postgress://app:s3cret@db/helpdesk", "mysql://app:s3cret@db/x", "http://db/x"] {
            let error = settings(&[("DATABASE_URL", url)]).unwrap_err().to_string();
            assert!(error.starts_with("DATABASE_URL must be postgres://"), "{error}");
            assert!(!error.contains("s3cret") && !error.contains("db/"), "{error}");
        }
    }

    #[test]
    fn another_store_is_named_as_database_url_names_one_and_keeps_the_limits() {
        let settings = settings(&[("DATABASE_POOL_SIZE", "3"), ("DATABASE_STATEMENT_TIMEOUT_MS", "900")]).unwrap();
        let target = settings.storage.another("--to", "postgres://u:p@db/copy").unwrap();
        assert!(
            matches!(target, Storage::Postgres(p) if p.pool_size == 3 && p.statement_timeout == Duration::from_millis(900))
        );
        assert!(
            matches!(settings.storage.another("--to", "sqlite:new.db").unwrap(), Storage::Sqlite(s) if s.path.as_os_str() == "new.db")
        );
        let error = settings.storage.another("--to", "mysql://u:s3cret@db/x").unwrap_err().to_string();
        assert!(error.starts_with("--to must be postgres://") && !error.contains("s3cret"), "{error}");
        assert!(settings.storage.another("--to", " ").is_err());
    }

    #[test]
    fn the_public_url_sets_the_allowed_hosts_unless_they_are_given() {
        let http = settings(&[("PUBLIC_URL", "https://Desk.Example.com/")]).unwrap().http;
        assert_eq!(http.hosts.public_origin.as_deref(), Some("https://desk.example.com"));
        assert_eq!(http.hosts.allowed, ["desk.example.com", "localhost", "127.0.0.1", "[::1]"]);
        let http = settings(&[("ALLOWED_HOSTS", "a.example, B.example")]).unwrap().http;
        assert_eq!(http.hosts.allowed, ["a.example", "b.example"]);
        assert!(settings(&[("PUBLIC_URL", "desk.example.com")]).is_err());
        assert!(!settings(&[("PUBLIC_SUBMISSIONS", "false")]).unwrap().http.public_submissions);
        assert!(settings(&[]).unwrap().metrics);
        assert!(!settings(&[("METRICS", "off")]).unwrap().metrics);
        assert!(settings(&[("METRICS", "maybe")]).is_err());
        assert!(settings(&[]).unwrap().http.public_submissions);
    }

    #[test]
    fn a_base_url_alone_configures_an_llm_for_local_servers() {
        let settings = settings(&[
            ("DATABASE_URL", "postgres://localhost/helpdesk"),
            ("OPENAI_BASE_URL", "http://127.0.0.1:11434/v1"),
            ("OPENAI_TIMEOUT_MS", "1500"),
        ])
        .unwrap();
        let llm = settings.llm.unwrap();
        assert_eq!(llm.api_key, None);
        assert_eq!(llm.timeout, Duration::from_millis(1500));
    }

    #[test]
    fn a_bad_value_is_named_with_what_it_should_be() {
        let error = settings(&[("PORT", "eighty")]).unwrap_err();
        assert_eq!(error.to_string(), "PORT must be a port number from 0 to 65535, but it is \"eighty\"");
    }
}
