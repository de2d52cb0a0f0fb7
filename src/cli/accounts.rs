//! The account commands: add, list, remove, rename, and the code of a
//! vault account. Each finds the account and calls the session.

use std::io::{self, Write};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;

use tessera::account::OtpKind;
use tessera::dates;
use tessera::session::Session;
use tessera::vault::{Added, Entry};

use super::access::{Ctx, on_terminal, open, shown};
use super::clock::now;
use super::json::AccountJson;
use super::key_input::{KeyOptions, account_from_key, account_from_link, arg_or_stdin};
use super::sync::{open_or_create, open_to_write};

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["uri", "secret"]))]
pub struct AddArgs {
    /// An otpauth:// link (- reads it from stdin).
    #[arg(long, value_name = "URI", conflicts_with_all = ["issuer", "account"])]
    uri: Option<String>,
    /// The service, with --secret.
    #[arg(long, value_name = "I", requires = "secret")]
    issuer: Option<String>,
    /// The account name at that service, with --secret.
    #[arg(long, value_name = "A", requires = "secret")]
    account: Option<String>,
    /// A Base32 key as shown by the site (- reads it from stdin).
    #[arg(long, value_name = "KEY")]
    secret: Option<String>,
    #[command(flatten)]
    key: KeyOptions,
}

/// `tessera add`.
pub(super) fn add(ctx: &Ctx, args: &AddArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let reads_stdin = args.uri.as_deref() == Some("-") || args.secret.as_deref() == Some("-");
    if reads_stdin && ctx.password_stdin {
        bail!("--password-stdin and a - argument cannot both read standard input");
    }
    let account = if let Some(link) = &args.uri {
        account_from_link(&arg_or_stdin(link, "link")?)?
    } else if let Some(key) = &args.secret {
        account_from_key(
            &arg_or_stdin(key, "key")?,
            &args.key,
            args.issuer.as_deref(),
            args.account.as_deref(),
        )?
    } else {
        bail!("give --uri or --secret");
    };
    let mut session = open_or_create(ctx)?;
    let shown_label = account.display_label();
    match session.add_account(account, now())? {
        Added::New(id) => writeln!(out, "Added {shown_label} [{id}].")?,
        Added::Duplicate { existing } => {
            let other = session.entry(&existing).map(label).unwrap_or_default();
            writeln!(
                out,
                "Not added: {shown_label} is already in the vault as {other} [{existing}] (same key, type and parameters)."
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `tessera remove`.
pub(super) fn remove(ctx: &Ctx, query: &str, yes: bool, out: &mut dyn Write) -> Result<ExitCode> {
    let mut session = open_to_write(ctx)?;
    let entry = find_one(&session, query)?.clone();
    if !yes {
        if !on_terminal() {
            bail!(
                "add --yes to remove {} without a terminal to confirm",
                label(&entry)
            );
        }
        eprint!("Remove {} [{}]? [y/N] ", label(&entry), entry.id);
        let mut answer = String::new();
        io::stdin().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
            writeln!(out, "Nothing was removed.")?;
            return Ok(ExitCode::FAILURE);
        }
    }
    session.remove(&entry.id, now())?;
    writeln!(out, "Removed {} [{}].", label(&entry), entry.id)?;
    Ok(ExitCode::SUCCESS)
}

/// `tessera rename`.
pub(super) fn rename(
    ctx: &Ctx,
    query: &str,
    issuer: Option<String>,
    account: Option<String>,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    if issuer.is_none() && account.is_none() {
        bail!("give --issuer and/or --account");
    }
    let mut session = open_to_write(ctx)?;
    let entry = find_one(&session, query)?.clone();
    session.rename(&entry.id, issuer.as_deref(), account.as_deref(), now())?;
    let renamed = session
        .entry(&entry.id)
        .map(label)
        .unwrap_or_else(|| label(&entry));
    writeln!(
        out,
        "Renamed {} to {renamed} [{}].",
        label(&entry),
        entry.id
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `tessera code QUERY`: the code of a vault account. HOTP: the counter is
/// advanced and saved before the code is printed.
pub(super) fn code(
    ctx: &Ctx,
    query: &str,
    at: Option<u64>,
    next: bool,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    let mut session = open(ctx)?;
    let mut id = find_one(&session, query)?.id.clone();
    if session
        .entry(&id)
        .is_some_and(|e| matches!(e.account.kind, OtpKind::Hotp { .. }))
    {
        // Using an HOTP code saves its counter: merge first.
        super::sync::merge_first(ctx, &mut session)?;
        id = find_one(&session, query)?.id.clone();
    } else {
        super::sync::mention_pending(session.path());
    }
    let code = session.code(&id, at.unwrap_or_else(now), next, now())?;
    writeln!(out, "{code}")?;
    Ok(ExitCode::SUCCESS)
}

fn label(entry: &Entry) -> String {
    entry.account.display_label()
}

/// The one account matching `query`, or an error listing the matches.
fn find_one<'v>(session: &'v Session, query: &str) -> Result<&'v Entry> {
    let found = session.vault().find(query);
    match found.as_slice() {
        [one] => Ok(one),
        [] => bail!("no account matches '{query}' (see `tessera list`)"),
        many => {
            let lines: Vec<String> = many
                .iter()
                .map(|e| format!("  {}  {}", e.id, label(e)))
                .collect();
            bail!(
                "'{query}' matches {} accounts; be more specific or give the id:\n{}",
                many.len(),
                lines.join("\n")
            )
        }
    }
}

pub(super) fn list(ctx: &Ctx, json: bool, out: &mut dyn Write) -> Result<ExitCode> {
    let session = open(ctx)?;
    super::sync::mention_pending(session.path());
    let vault = session.vault();
    if json {
        let doc: Vec<AccountJson<'_>> = vault
            .entries()
            .iter()
            .map(|e| AccountJson {
                id: Some(&e.id),
                conflict: e.conflict.as_deref(),
                created: dates::rfc3339(e.created),
                modified: dates::rfc3339(e.modified),
                ..AccountJson::new(&e.account)
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let entries = vault.entries();
    let n = entries.len();
    writeln!(
        out,
        "{}: {}",
        shown(vault.path()),
        super::words::count(n, "account", "accounts")
    )?;
    if n == 0 {
        return Ok(ExitCode::SUCCESS);
    }
    let issuer_w = entries
        .iter()
        .map(|e| e.account.issuer.as_deref().unwrap_or("-").chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let name_w = entries
        .iter()
        .map(|e| e.account.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    writeln!(
        out,
        "  {:16}  {:issuer_w$}  {:name_w$}  TYPE",
        "ID", "ISSUER", "ACCOUNT"
    )?;
    for e in entries {
        let a = &e.account;
        let detail = match a.kind {
            OtpKind::Totp { period } => format!("TOTP {} s", period.get()),
            OtpKind::Hotp { counter } => format!("HOTP counter {counter}"),
            OtpKind::Steam => String::from("Steam Guard 30 s"),
        };
        let length = match a.kind {
            OtpKind::Steam => "characters",
            _ => "digits",
        };
        let conflict = match &e.conflict {
            Some(other) => format!("  [conflict: another version of {other}]"),
            None => String::new(),
        };
        writeln!(
            out,
            "  {:16}  {:issuer_w$}  {:name_w$}  {detail}, {} {length}, {}{conflict}",
            e.id,
            a.issuer.as_deref().unwrap_or("-"),
            a.name,
            a.code_length(),
            a.code_algorithm()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
