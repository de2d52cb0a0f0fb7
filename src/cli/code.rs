//! `tessera code`: the code of a vault account, a key or a link given on
//! the command line.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};
use clap::Args;

use super::access::Ctx;
use super::accounts;
use super::clock::now;
use super::key_input::{KeyOptions, account_from_key, account_from_link, arg_or_stdin};

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["query", "uri", "secret"]))]
pub struct CodeArgs {
    /// An account of the vault: part of its issuer or name (case-insensitive), or its id.
    #[arg(value_name = "QUERY")]
    query: Option<String>,
    /// Compute the code at this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<u64>,
    /// Print the next code instead (next period for TOTP, counter+1 for HOTP).
    #[arg(long)]
    next: bool,
    /// An otpauth:// link (- reads it from stdin).
    #[arg(long, value_name = "URI")]
    uri: Option<String>,
    /// A Base32 key as shown by the site: spaces, dashes, any case (- reads it from stdin).
    #[arg(long, value_name = "KEY")]
    secret: Option<String>,
    #[command(flatten)]
    key: KeyOptions,
}

pub(super) fn run(args: CodeArgs, ctx: &Ctx, out: &mut dyn Write) -> Result<ExitCode> {
    if let Some(query) = &args.query {
        return accounts::code(ctx, query, args.at, args.next, out);
    }
    let at = args.at.unwrap_or_else(now);
    let account = if let Some(link) = &args.uri {
        account_from_link(&arg_or_stdin(link, "link")?)?
    } else if let Some(key) = &args.secret {
        account_from_key(&arg_or_stdin(key, "key")?, &args.key, None, None)?
    } else {
        bail!("give --uri or --secret");
    };
    let code = if args.next {
        account.next_code(at).ok_or_else(|| {
            anyhow!("there is no next code: the counter or time is at its maximum")
        })?
    } else {
        account.code_at(at)
    };
    writeln!(out, "{code}")?;
    Ok(ExitCode::SUCCESS)
}
