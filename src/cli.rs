//! The command line: `helpdesk` alone serves; the subcommands manage tokens and accounts on the
//! same store as the server (DATABASE_URL, created and migrated when new), whether or not the
//! server is running.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use domain::{AccountChangesRequest, AccountDraft, AccountRequest, Choice, Role, TokenId, TokenName};

use crate::config::Settings;
use crate::{Stores, access_service, connect};

#[derive(Debug, Parser)]
#[command(name = "helpdesk", version, about = "A support ticket system: the server, and commands on its store.")]
#[command(after_help = "Every setting is an environment variable; see README.md. Without a command, the server runs.")]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API and the web UI (what `helpdesk` alone does).
    Serve,
    /// API tokens for programs.
    #[command(subcommand)]
    Tokens(TokensCommand),
    /// Accounts of people who sign in.
    #[command(subcommand)]
    Accounts(AccountsCommand),
    /// Print the API's OpenAPI 3.1 document (what GET /api/openapi.json answers).
    Openapi,
}

#[derive(Debug, Subcommand)]
pub enum TokensCommand {
    /// Create a token and print it, and nothing else, on stdout. It is shown this once.
    Create {
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
        expires_in_days: Option<u32>,
    },
    /// List the tokens that are not revoked.
    List,
    /// Revoke a token: it stops working at once.
    Revoke { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum AccountsCommand {
    /// Create an account; the password is read from stdin (without echo on a terminal).
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
    },
    /// List every account.
    List,
    /// Disable an account: it can no longer sign in, and its sessions end.
    Disable { email: String },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum RoleArg {
    Agent,
    Admin,
}

impl From<RoleArg> for Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Agent => Role::Agent,
            RoleArg::Admin => Role::Admin,
        }
    }
}

/// Runs a command that is not `serve`.
pub async fn run(command: Command, settings: Settings) -> anyhow::Result<()> {
    if let Command::Openapi = command {
        let document = serde_json::to_string_pretty(&adapters_http::openapi(&settings.http))?;
        writeln!(std::io::stdout().lock(), "{document}")?;
        return Ok(());
    }
    let stores = connect(&settings.storage)?;
    match command {
        Command::Serve | Command::Openapi => unreachable!("handled above"),
        Command::Tokens(command) => tokens(command, &stores).await,
        Command::Accounts(command) => accounts(command, &stores).await,
    }
}

async fn tokens(command: TokensCommand, stores: &Stores) -> anyhow::Result<()> {
    let access = access_service(stores).await;
    let mut out = std::io::stdout().lock();
    match command {
        TokensCommand::Create { name, role, expires_in_days } => {
            let name = TokenName::parse(&name).map_err(|problems| anyhow::anyhow!("--name: {}", problems.join(" ")))?;
            let issued = access.create_token(name, role.into(), expires_in_days, None).await?;
            writeln!(out, "{}", issued.secret.expose())?;
        }
        TokensCommand::List => {
            let tokens = access.list_tokens().await?;
            let rows = tokens.iter().map(|token| {
                vec![
                    token.id.get().to_string(),
                    token.name.as_str().to_owned(),
                    token.role.as_str().to_owned(),
                    token.created_by.as_ref().map_or("-".to_owned(), |creator| creator.name.as_str().to_owned()),
                    when(Some(token.created_at)),
                    when(token.last_used_at),
                    when(token.expires_at),
                ]
            });
            table(&mut out, &["ID", "NAME", "ROLE", "CREATED BY", "CREATED", "LAST USED", "EXPIRES"], rows)?;
        }
        TokensCommand::Revoke { id } => {
            let id = TokenId::new(id).context("a token id is a positive number")?;
            if !access.revoke_token(id).await? {
                bail!("there is no token {} that is not revoked already (see `helpdesk tokens list`)", id.get());
            }
            writeln!(out, "Revoked token {}.", id.get())?;
        }
    }
    Ok(())
}

async fn accounts(command: AccountsCommand, stores: &Stores) -> anyhow::Result<()> {
    let access = access_service(stores).await;
    let mut out = std::io::stdout().lock();
    match command {
        AccountsCommand::Create { email, name, role } => {
            let password = read_password()?;
            let draft = AccountDraft {
                email: Some(email),
                name: Some(name),
                role: Some(Role::from(role).as_str().to_owned()),
                password: Some(password),
            };
            let request = AccountRequest::parse(draft, None).map_err(|errors| anyhow::anyhow!("{errors}"))?;
            let account = access.create_account(request).await.map_err(|error| anyhow::anyhow!("{error}"))?;
            writeln!(
                out,
                "Created {} {} (account {}).",
                account.role.as_str(),
                account.email.as_str(),
                account.id.get()
            )?;
        }
        AccountsCommand::List => {
            let accounts = access.list_accounts().await?;
            let rows = accounts.iter().map(|account| {
                vec![
                    account.id.get().to_string(),
                    account.email.as_str().to_owned(),
                    account.name.as_str().to_owned(),
                    account.role.as_str().to_owned(),
                    if account.disabled { "disabled" } else { "active" }.to_owned(),
                    when(Some(account.created_at)),
                ]
            });
            table(&mut out, &["ID", "EMAIL", "NAME", "ROLE", "STATUS", "CREATED"], rows)?;
        }
        AccountsCommand::Disable { email } => {
            let account = access
                .find_account_by_email(&email)
                .await?
                .with_context(|| "there is no account with that e-mail (see `helpdesk accounts list`)")?;
            let changes = AccountChangesRequest { disabled: Some(true), ..AccountChangesRequest::default() };
            access.update_account(account.id, changes).await.map_err(|error| anyhow::anyhow!("{error}"))?;
            writeln!(out, "Disabled {}; its sessions have ended.", account.email.as_str())?;
        }
    }
    Ok(())
}

/// The password: typed at a prompt without echo on a terminal, else the first line of stdin.
fn read_password() -> anyhow::Result<String> {
    if std::io::stdin().is_terminal() {
        let password = rpassword::prompt_password("Password (12 characters or more): ")?;
        let again = rpassword::prompt_password("Password again: ")?;
        if password != again {
            bail!("the two passwords differ");
        }
        return Ok(password);
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("read the password from stdin")?;
    let password = line.strip_suffix('\n').unwrap_or(&line);
    Ok(password.strip_suffix('\r').unwrap_or(password).to_owned())
}

fn when(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map_or("-".to_owned(), |at| at.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// Columns padded to their widest cell, for people reading a terminal.
fn table(out: &mut impl Write, headers: &[&str], rows: impl Iterator<Item = Vec<String>>) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = rows.collect();
    let widths: Vec<usize> = headers
        .iter()
        .enumerate()
        .map(|(i, header)| rows.iter().map(|row| row[i].chars().count()).chain([header.len()]).max().unwrap_or(0))
        .collect();
    let line = |cells: Vec<String>| {
        let padded: Vec<String> = cells.iter().zip(&widths).map(|(cell, width)| format!("{cell:<width$}")).collect();
        padded.join("  ").trim_end().to_owned()
    };
    writeln!(out, "{}", line(headers.iter().map(|h| (*h).to_owned()).collect()))?;
    for row in rows {
        writeln!(out, "{}", line(row))?;
    }
    Ok(())
}
