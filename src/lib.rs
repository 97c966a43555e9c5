//! The composition root: reads the configuration, builds the adapters, hands them to the
//! application and starts the HTTP server. Nothing else knows which adapters run.

pub mod config;

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use adapters_http::start;
use adapters_llm::OpenAiClassifier;
use adapters_offline_classifier::OfflineTriage;
use anyhow::Context;
use application::{ClassifyPolicy, SystemClock, TicketService};
use domain::{TicketClassifier, TicketRepository};

use crate::config::{Settings, Storage};

/// A server bound to its port and ready to run.
pub struct Application {
    server: Server,
    port: u16,
}

impl Application {
    pub fn build(settings: Settings) -> anyhow::Result<Self> {
        let (repository, storage) = connect_storage(&settings.storage)?;
        let llm = match settings.llm {
            Some(llm) => Some(Arc::new(OpenAiClassifier::new(llm)?) as Arc<dyn TicketClassifier>),
            None => None,
        };
        let service = Arc::new(TicketService::new(
            repository,
            llm,
            Arc::new(OfflineTriage::new()),
            Arc::new(SystemClock),
            ClassifyPolicy::default(),
        ));
        let address = format!("{}:{}", settings.host, settings.port);
        let listener = TcpListener::bind(&address).with_context(|| format!("cannot listen on {address}"))?;
        let port = listener.local_addr()?.port();
        tracing::info!(
            storage,
            classifier = service.describe_classifiers(),
            "serving on http://{}:{port}",
            settings.host
        );
        let server = start(listener, service, settings.http)?;
        Ok(Self { server, port })
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
        self.server.await
    }
}

fn connect_storage(storage: &Storage) -> anyhow::Result<(Arc<dyn TicketRepository>, String)> {
    Ok(match storage {
        Storage::Postgres(settings) => {
            let repository = adapters_postgres::connect(settings)?;
            let label = repository.describe().to_owned();
            (Arc::new(repository), label)
        }
        Storage::Sqlite(settings) => {
            let repository = adapters_sqlite::connect(settings)?;
            let label = repository.describe().to_owned();
            (Arc::new(repository), label)
        }
    })
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
