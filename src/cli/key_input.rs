//! Keys and links given on the command line or standard input: the
//! `--secret` options, reading `-`, and turning them into an account
//! through the core ([`Draft`], `input::parse_payload`).

use std::io::{self, IsTerminal, Read};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, ValueEnum};
use zeroize::Zeroizing;

use tessera::account::Account;
use tessera::import::text as input;
use tessera::session::{Draft, DraftError, DraftKind};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub(super) enum TypeArg {
    Totp,
    Hotp,
    // Steam Guard: 5 characters, SHA1, 30 s (fixed).
    Steam,
}

/// Parameters of a bare key given with --secret.
#[derive(Debug, Args)]
pub(super) struct KeyOptions {
    /// Token type for --secret (steam: Steam Guard, whose parameters are fixed).
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

fn read_stdin_line(what: &str) -> Result<Zeroizing<String>> {
    if io::stdin().is_terminal() {
        // Typed or pasted at a prompt, not echoed (and never in the
        // process list or the shell history).
        let typed = rpassword::prompt_password(format!("{} (not shown): ", capitalised(what)))
            .with_context(|| format!("cannot read the {what} from the terminal"))?;
        return Ok(Zeroizing::new(typed));
    }
    let mut text = Zeroizing::new(String::new());
    io::stdin()
        .lock()
        .take(64 * 1024)
        .read_to_string(&mut text)
        .with_context(|| format!("cannot read the {what} from standard input"))?;
    Ok(text)
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The argument's text, or standard input for `-`.
pub(super) fn arg_or_stdin(arg: &str, what: &str) -> Result<Zeroizing<String>> {
    if arg == "-" {
        read_stdin_line(what)
    } else {
        Ok(Zeroizing::new(arg.to_string()))
    }
}

/// The one account of an otpauth:// link.
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

/// The account of a key and its options (labels as given).
pub(super) fn account_from_key(
    text: &str,
    options: &KeyOptions,
    issuer: Option<&str>,
    name: Option<&str>,
) -> Result<Account> {
    let draft = Draft {
        issuer: issuer.unwrap_or_default().to_string(),
        name: name.unwrap_or_default().to_string(),
        secret: Zeroizing::new(text.to_string()),
        kind: match options.kind.unwrap_or(TypeArg::Totp) {
            TypeArg::Totp => DraftKind::Totp,
            TypeArg::Hotp => DraftKind::Hotp,
            TypeArg::Steam => DraftKind::Steam,
        },
        algorithm: options.algorithm.clone(),
        digits: options.digits.map(|d| d.to_string()),
        period: options.period.map(|p| p.to_string()),
        counter: options.counter.clone(),
    };
    draft.build().map_err(|e| match e {
        // The core's rule, in the words of the flags.
        DraftError::CounterWithTotp => anyhow!("--counter applies to HOTP keys; add --type hotp"),
        DraftError::PeriodWithHotp => {
            anyhow!("--period applies to TOTP keys; HOTP codes move with --counter")
        }
        DraftError::SteamParameters => anyhow!(
            "--type steam has fixed parameters (SHA1, 5 characters, 30 s): leave out --algorithm, --digits, --period and --counter"
        ),
        e => e.into(),
    })
}
