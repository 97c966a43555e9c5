//! The composition root: reads the configuration, builds the adapters, hands them to the
//! application and starts the HTTP server, or runs a command on the same store. Nothing else
//! knows which adapters run.

pub mod cli;
pub mod config;
pub mod logging;
mod metrics;
pub mod transfer;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Server;
use adapters_argon2::Argon2Hasher;
use adapters_http::{State, start};
use adapters_llm::OpenAiClassifier;
use adapters_offline_classifier::OfflineTriage;
use anyhow::Context;
use application::{AccessPolicy, AccessService, AccessStores, SystemClock, TicketService};
use domain::{
    AccountRepository, Archive, LoginAttemptRepository, SessionRepository, TicketClassifier, TicketRepository,
    TokenRepository,
};

use crate::config::{Settings, Storage};

/// How often expired sessions, old failed sign-ins and old idempotency keys are cleared away.
const PURGE_EVERY: Duration = Duration::from_secs(600);

/// A server bound to its port and ready to run.
pub struct Application {
    server: Server,
    port: u16,
    service: Arc<TicketService>,
    access: Arc<AccessService>,
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let stores = connect(&settings.storage)?;
        let llm = match settings.llm {
            Some(llm) => Some(Arc::new(OpenAiClassifier::new(llm)?) as Arc<dyn TicketClassifier>),
            None => None,
        };
        let service = Arc::new(TicketService::new(
            stores.tickets.clone(),
            llm,
            Arc::new(OfflineTriage::new()),
            Arc::new(SystemClock),
            settings.classify,
        ));
        let access = Arc::new(access_service(&stores).await);
        let address = format!("{}:{}", settings.host, settings.port);
        let listener = TcpListener::bind(&address).with_context(|| format!("cannot listen on {address}"))?;
        let port = listener.local_addr()?.port();
        tracing::info!(
            storage = stores.label,
            classifier = service.describe_classifiers(),
            "serving on http://{}:{port}",
            settings.host
        );
        if let Some(code) = access.issue_setup_code().await? {
            let base = match &settings.http.hosts.public_origin {
                Some(origin) => origin.clone(),
                None => format!("http://{}:{port}", reachable_host(&settings.host)),
            };
            tracing::warn!(
                "no account exists yet: open {base}/setup?code={} to create the first admin (the code works once)",
                code.expose()
            );
        }
        let http = adapters_http::HttpSettings {
            metrics: settings.metrics.then(|| metrics::renderer(stores.pool_gauges.clone())),
            ..settings.http
        };
        let server = start(listener, State::new(Arc::clone(&service), Arc::clone(&access), http))?;
        Ok(Self { server, port, service, access })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until SIGINT (Ctrl-C) or SIGTERM, then stops taking connections and lets the
    /// requests in flight finish (for up to 30 seconds).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let handle = self.server.handle();
        actix_web::rt::spawn(async move {
            shutdown_signal().await;
            tracing::info!("stopping: finishing the requests in flight");
            handle.stop(true).await;
        });
        let (service, access) = (self.service, self.access);
        actix_web::rt::spawn(async move {
            let mut every = actix_web::rt::time::interval(PURGE_EVERY);
            loop {
                every.tick().await;
                if let Err(error) = access.purge_expired().await {
                    tracing::warn!(%error, "could not clear expired sessions");
                }
                if let Err(error) = service.forget_old_keys().await {
                    tracing::warn!(%error, "could not forget old idempotency keys");
                }
            }
        });
        self.server.await
    }
}

/// The host to print in an address for people: a wildcard address is not one they can open.
fn reachable_host(host: &str) -> &str {
    match host {
        "0.0.0.0" | "::" | "[::]" => "localhost",
        host => host,
    }
}

/// Every port of the configured store, and its name for logs.
pub struct Stores {
    pub tickets: Arc<dyn TicketRepository>,
    pub access: AccessStores,
    /// The whole store, table by table, for export, import and copy.
    pub archive: Arc<dyn Archive>,
    pub label: String,
    /// Sets the connection pool's gauges, before the metrics are rendered.
    pub pool_gauges: Arc<dyn Fn() + Send + Sync>,
}

impl Stores {
    fn over<R>(repository: R, label: String, pool_gauges: impl Fn() + Send + Sync + 'static) -> Self
    where
        R: TicketRepository
            + AccountRepository
            + SessionRepository
            + TokenRepository
            + LoginAttemptRepository
            + Archive
            + 'static,
    {
        let repository = Arc::new(repository);
        Self {
            tickets: repository.clone(),
            archive: repository.clone(),
            access: AccessStores {
                accounts: repository.clone(),
                sessions: repository.clone(),
                tokens: repository.clone(),
                attempts: repository,
            },
            label,
            pool_gauges: Arc::new(pool_gauges),
        }
    }
}

/// Opens the configured store, creating and migrating it when it is new.
pub fn connect(storage: &Storage) -> anyhow::Result<Stores> {
    Ok(match storage {
        Storage::Postgres(settings) => {
            let repository = adapters_postgres::connect(settings)?;
            let (label, pool_gauges) = (repository.describe().to_owned(), repository.pool_gauges());
            Stores::over(repository, label, pool_gauges)
        }
        Storage::Sqlite(settings) => {
            let repository = adapters_sqlite::connect(settings)?;
            let (label, pool_gauges) = (repository.describe().to_owned(), repository.pool_gauges());
            Stores::over(repository, label, pool_gauges)
        }
    })
}

pub async fn access_service(stores: &Stores) -> AccessService {
    let access = AccessStores {
        accounts: stores.access.accounts.clone(),
        sessions: stores.access.sessions.clone(),
        tokens: stores.access.tokens.clone(),
        attempts: stores.access.attempts.clone(),
    };
    AccessService::new(access, Arc::new(Argon2Hasher::new()), Arc::new(SystemClock), AccessPolicy::default()).await
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    let mut terminate = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        Ok(terminate) => terminate,
        Err(error) => {
            tracing::warn!(%error, "cannot listen for SIGTERM; only Ctrl-C stops the server gracefully");
            let _ = interrupt.await;
            return;
        }
    };
    tokio::select! {
        _ = interrupt => {}
        _ = terminate.recv() => {}
    }
}
