//! The command line: `helpdesk` alone serves; the subcommands manage tokens and accounts, and
//! export, import, copy and back up the store, on the same store as the server (DATABASE_URL,
//! created and migrated when new), whether or not the server is running.

use std::io::{BufRead, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand, ValueEnum};
use domain::{AccountChangesRequest, AccountDraft, AccountRequest, Choice, Role, TokenId, TokenName, Written};

use crate::config::{Settings, Storage};
use crate::transfer::progress::{count, rate};
use crate::transfer::{self, Copied, Imported, Verification};
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
    /// Write every ticket, its history and the accounts (without passwords) as JSON Lines.
    Export {
        /// Write to FILE (replaced only once the export is whole) instead of stdout.
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Read an export into this store; tickets and accounts whose id is present are skipped.
    Import {
        /// A file written by `helpdesk export`.
        file: PathBuf,
    },
    /// Copy this store into another one, going on where an interrupted copy stopped, and verify.
    Copy {
        /// The store to copy into, as DATABASE_URL would name it: postgres://… or sqlite:FILE.
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Copy a SQLite store to a new FILE, consistently, while the server runs.
    Backup {
        /// The new file.
        file: PathBuf,
    },
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
    if let Command::Backup { file } = &command {
        return backup(&settings.storage, file);
    }
    let stores = connect(&settings.storage)?;
    match command {
        Command::Serve | Command::Openapi => unreachable!("handled above"),
        Command::Backup { .. } => unreachable!("backed up above"),
        Command::Tokens(command) => tokens(command, &stores).await,
        Command::Accounts(command) => accounts(command, &stores).await,
        Command::Export { output } => export(&stores, output.as_deref()).await,
        Command::Import { file } => import(&stores, &file).await,
        Command::Copy { to } => copy(&settings.storage, &stores, &to).await,
    }
}

/// The summary goes to stderr: stdout may be the export itself.
async fn export(stores: &Stores, output: Option<&Path>) -> anyhow::Result<()> {
    let archive = stores.archive.clone();
    let exported = match output {
        None => transfer::export(archive, BufWriter::with_capacity(1 << 20, std::io::stdout())).await?.1,
        Some(path) => {
            let partial = transfer::partial_path(path)?;
            let file =
                std::fs::File::create(&partial).with_context(|| format!("cannot create {}", partial.display()))?;
            match transfer::export(archive, BufWriter::with_capacity(1 << 20, file)).await {
                Ok((out, exported)) => {
                    let file = out.into_inner().map_err(|error| error.into_error())?;
                    transfer::commit_file(file, &partial, path)?;
                    exported
                }
                Err(error) => {
                    let _ = std::fs::remove_file(&partial);
                    return Err(error);
                }
            }
        }
    };
    let counts = exported.counts;
    eprintln!(
        "Exported {}, {} and {} from {} in {:.1} s ({}).",
        count(counts.accounts, "account"),
        count(counts.tickets, "ticket"),
        count(counts.events, "event"),
        stores.label,
        exported.elapsed.as_secs_f64(),
        rate(counts.tickets, exported.elapsed)
    );
    Ok(())
}

async fn import(stores: &Stores, file: &Path) -> anyhow::Result<()> {
    let imported: Imported = transfer::import(stores.archive.clone(), file)
        .await
        .with_context(|| format!("cannot import {}", file.display()))?;
    let mut out = std::io::stdout().lock();
    let (tickets, events, accounts) = (imported.tickets, imported.events, imported.accounts);
    writeln!(
        out,
        "Imported {}, {} and {} into {} in {:.1} s ({}).",
        count(tickets.stored, "ticket"),
        count(events.stored, "event"),
        count(accounts.stored, "account"),
        stores.label,
        imported.elapsed.as_secs_f64(),
        rate(tickets.stored, imported.elapsed)
    )?;
    if [tickets, events, accounts].iter().any(|written: &Written| written.skipped > 0) {
        writeln!(
            out,
            "Skipped {}, {} and {} whose id the store holds already: they were left as they are.",
            count(tickets.skipped, "ticket"),
            count(events.skipped, "event"),
            count(accounts.skipped, "account")
        )?;
    }
    if imported.accounts.stored > 0 {
        writeln!(
            out,
            "An export carries no passwords: the imported accounts cannot sign in until an admin sets a new \
             password for each (Team & tokens in the UI, or PATCH /api/accounts/{{id}}/); \
             `helpdesk accounts create` makes a new admin."
        )?;
    }
    Ok(())
}

async fn copy(storage: &Storage, source: &Stores, to: &str) -> anyhow::Result<()> {
    let target = storage.another("--to", to)?;
    let target = connect(&target)?;
    if target.label == source.label {
        bail!("--to names the store DATABASE_URL names ({}): copy into another one", source.label);
    }
    eprintln!("Copying {} into {}.", source.label, target.label);
    let copied: Copied = transfer::copy(source.archive.clone(), target.archive.clone()).await?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Copied {} into {}:", source.label, target.label)?;
    if copied.resumed_after > 0 {
        writeln!(out, "  going on after ticket {}, which the target held already", copied.resumed_after)?;
    }
    writeln!(
        out,
        "  {}, {}, {} and {} in {:.1} s ({})",
        count(copied.accounts.stored, "account"),
        count(copied.tokens.stored, "API token"),
        count(copied.tickets.stored, "ticket"),
        count(copied.events.stored, "event"),
        copied.elapsed.as_secs_f64(),
        rate(copied.tickets.stored, copied.elapsed)
    )?;
    out.flush()?;
    let verification: Verification = transfer::verify(source.archive.clone(), target.archive.clone()).await?;
    writeln!(out, "Verified in {:.1} s:", verification.elapsed.as_secs_f64())?;
    let rows = verification.source.tables().into_iter().zip(verification.target.tables()).map(
        |((table, source), (_, target))| {
            vec![
                table.to_owned(),
                source.rows.to_string(),
                target.rows.to_string(),
                source.short(),
                target.short(),
                if source == target { "same" } else { "DIFFERENT" }.to_owned(),
            ]
        },
    );
    table(&mut out, &["TABLE", "SOURCE ROWS", "TARGET ROWS", "SOURCE SHA-256", "TARGET SHA-256", ""], rows)?;
    let differing = verification.differing();
    if !differing.is_empty() {
        bail!(
            "the target differs from the source in {}: was either store written to during the copy, or did the \
             target hold other data before? (copy into an empty store)",
            differing.join(", ")
        );
    }
    writeln!(out, "OK: the target holds the same rows as the source.")?;
    Ok(())
}

fn backup(storage: &Storage, file: &Path) -> anyhow::Result<()> {
    let Storage::Sqlite(settings) = storage else {
        bail!(
            "`helpdesk backup` copies a SQLite store; for PostgreSQL, use its own tool: \
             pg_dump --format=custom --file=FILE \"$DATABASE_URL\" (pg_restore reads it back)"
        );
    };
    transfer::must_be_new(file)?;
    let partial = transfer::partial_path(file)?;
    let _ = std::fs::remove_file(&partial);
    let backup = match adapters_sqlite::backup(settings, &partial) {
        Ok(backup) => backup,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error.into());
        }
    };
    let written = std::fs::File::open(&partial).with_context(|| format!("cannot open {}", partial.display()))?;
    transfer::commit_file(written, &partial, file)?;
    writeln!(
        std::io::stdout().lock(),
        "Backed up {} to {} ({:.1} MB).",
        count(backup.tickets, "ticket"),
        file.display(),
        backup.bytes as f64 / 1e6
    )?;
    Ok(())
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
