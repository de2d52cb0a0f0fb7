//! `tessera code`: the code of a key or link given on the command line.

use std::io::{self, Read, Write};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, ValueEnum};

use tessera::account::{Account, Algorithm, Digits, OtpKind, Period, parse_counter};
use tessera::import::text as input;

use super::{GlobalArgs, now};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum TypeArg {
    Totp,
    Hotp,
}

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

/// Parameters of a bare key given with --secret.
#[derive(Debug, Args)]
pub(super) struct KeyOptions {
    /// Token type for --secret.
    #[arg(long = "type", value_enum, requires = "secret", value_name = "TYPE")]
    pub kind: Option<TypeArg>,
    /// SHA1 (default), SHA256 or SHA512, for --secret.
    #[arg(long, requires = "secret", value_name = "A")]
    pub algorithm: Option<String>,
    /// Code length, 6 (default), 7 or 8, for --secret.
    #[arg(long, requires = "secret", value_name = "N")]
    pub digits: Option<u64>,
    /// TOTP period in seconds, 1 to 300 (default 30), for --secret.
    #[arg(long, requires = "secret", value_name = "S")]
    pub period: Option<u64>,
    /// HOTP counter (default 0), for --secret.
    #[arg(long, requires = "secret", value_name = "C")]
    pub counter: Option<String>,
}

pub(super) fn read_stdin_line(what: &str) -> Result<zeroize::Zeroizing<String>> {
    let mut text = zeroize::Zeroizing::new(String::new());
    io::stdin()
        .lock()
        .take(64 * 1024)
        .read_to_string(&mut text)
        .with_context(|| format!("cannot read the {what} from standard input"))?;
    Ok(text)
}

pub fn run(args: CodeArgs, global: &GlobalArgs) -> Result<ExitCode> {
    if let Some(query) = &args.query {
        return super::vault::code(global, query, args.at, args.next);
    }
    let at = args.at.unwrap_or_else(now);
    let account = if let Some(link) = &args.uri {
        let text = if link == "-" {
            read_stdin_line("link")?
        } else {
            zeroize::Zeroizing::new(link.clone())
        };
        account_from_link(&text)?
    } else if let Some(key) = &args.secret {
        let text = if key == "-" {
            read_stdin_line("key")?
        } else {
            zeroize::Zeroizing::new(key.clone())
        };
        account_from_key(&text, &args.key)?
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
    let mut out = io::stdout().lock();
    writeln!(out, "{code}")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

pub(super) fn account_from_link(text: &str) -> Result<Account> {
    let found = input::parse_payload(text);
    if let Some(e) = found.errors.first() {
        bail!("{}", e.error);
    }
    match found.accounts.len() {
        1 => Ok(found
            .accounts
            .into_iter()
            .next()
            .ok_or_else(|| anyhow!("no account"))?),
        0 => bail!("the link holds no account"),
        n => bail!("the link holds {n} accounts; use `tessera scan` to see them all"),
    }
}

pub(super) fn account_from_key(text: &str, args: &KeyOptions) -> Result<Account> {
    let secret = input::parse_bare_key(text)?;
    let algorithm = match &args.algorithm {
        Some(a) => a.parse::<Algorithm>()?,
        None => Algorithm::Sha1,
    };
    let digits = match args.digits {
        Some(d) => Digits::new(u32::try_from(d).unwrap_or(u32::MAX)).map_err(|_| {
            anyhow!("unsupported number of digits {d}: codes must have 6, 7 or 8 digits")
        })?,
        None => Digits::SIX,
    };
    let kind = match args.kind.unwrap_or(TypeArg::Totp) {
        TypeArg::Totp => {
            if args.counter.is_some() {
                bail!("--counter applies to HOTP keys; add --type hotp");
            }
            OtpKind::Totp {
                period: match args.period {
                    Some(p) => Period::new(p)?,
                    None => Period::THIRTY,
                },
            }
        }
        TypeArg::Hotp => {
            if args.period.is_some() {
                bail!("--period applies to TOTP keys; HOTP codes move with --counter");
            }
            OtpKind::Hotp {
                counter: match &args.counter {
                    Some(c) => parse_counter(c)?,
                    None => 0,
                },
            }
        }
    };
    Ok(Account {
        issuer: None,
        name: String::new(),
        secret,
        algorithm,
        digits,
        kind,
    })
}
