use clap::Parser;
use helpdesk::cli::{self, Cli, Command};
use helpdesk::config::Settings;
use helpdesk::{Application, logging};

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let settings = Settings::from_env()?;
    match cli.command {
        None | Some(Command::Serve) => {
            let _flushed = logging::for_server(settings.log_format);
            Application::build(settings).await?.run_until_stopped().await?;
        }
        Some(command) => {
            logging::for_command(settings.log_format);
            cli::run(command, settings).await?;
        }
    }
    Ok(())
}
