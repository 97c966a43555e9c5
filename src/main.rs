use std::io::IsTerminal;

use clap::Parser;
use helpdesk::Application;
use helpdesk::cli::{self, Cli, Command};
use helpdesk::config::{LogFormat, Settings};
use tracing_subscriber::EnvFilter;

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::from_env()?;
    match cli.command {
        None | Some(Command::Serve) => {
            init_logging(settings.log_format, "info", false);
            Application::build(settings).await?.run_until_stopped().await?;
        }
        Some(command) => {
            // A command's stdout is its answer (a token, a table): logs go to stderr.
            init_logging(settings.log_format, "warn", true);
            cli::run(command, settings).await?;
        }
    }
    Ok(())
}

fn init_logging(format: LogFormat, default_level: &str, to_stderr: bool) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_level));
    let terminal = if to_stderr { std::io::stderr().is_terminal() } else { std::io::stdout().is_terminal() };
    let subscriber = tracing_subscriber::fmt().with_env_filter(filter).with_ansi(terminal);
    match (format, to_stderr) {
        (LogFormat::Text, false) => subscriber.init(),
        (LogFormat::Text, true) => subscriber.with_writer(std::io::stderr).init(),
        (LogFormat::Json, false) => subscriber.json().init(),
        (LogFormat::Json, true) => subscriber.json().with_writer(std::io::stderr).init(),
    }
}
