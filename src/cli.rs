//! The command-line front end: clap subcommands over the core.

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use tessera::account::{Account, Algorithm, Digits, OtpKind, Period, parse_counter};
use tessera::input::{self, Extracted};
use tessera::otp::group_code;
use tessera::{migration, scan, uri};

const EXAMPLES: &str = "\
Examples:
  tessera                                   open the app
  tessera scan screenshot.png               list the accounts in a QR image, with codes
  tessera scan --json export-1.png export-2.png
  tessera scan 'otpauth://totp/ACME:me@example.com?secret=JBSWY3DPEHPK3PXP'
  xclip -o -selection clipboard | tessera scan -
  tessera code --secret 'jbsw y3dp ehpk 3pxp'      current code of a key
  tessera code --next --uri 'otpauth://totp/ACME:me?secret=JBSWY3DPEHPK3PXP'
  tessera code --secret - < key.txt               read the key from stdin (not the process list)
  tessera code --at 1111111109 --secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ --digits 8";

/// Tessera: a desktop authenticator (TOTP/HOTP). With no command it opens
/// the app; the commands below work without a display.
#[derive(Debug, Parser)]
#[command(name = "tessera", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read accounts from QR images, text files of otpauth links, links or
    /// stdin, and show them with their codes. Changes nothing on disk.
    #[command(after_help = "\
Each SOURCE is an image file (PNG, JPEG, GIF, BMP, WebP; the format is read from the
bytes), a text file of otpauth:// lines, a literal otpauth:// or otpauth-migration://
link, or - for standard input.

Exit status: 0 when every source gave at least one account and no error, 1 otherwise,
2 for a usage error.")]
    Scan(ScanArgs),
    /// Print the current (or next) code of a key or an otpauth:// link.
    Code(CodeArgs),
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Print one JSON array with one object per source, including secrets.
    #[arg(long)]
    json: bool,
    /// Compute codes at this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<u64>,
    /// Image files, text files, otpauth links, or - for stdin.
    #[arg(value_name = "SOURCE", required = true)]
    sources: Vec<String>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum TypeArg {
    Totp,
    Hotp,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["uri", "secret"]))]
pub struct CodeArgs {
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
    /// Token type for --secret.
    #[arg(long = "type", value_enum, requires = "secret", value_name = "TYPE")]
    kind: Option<TypeArg>,
    /// SHA1 (default), SHA256 or SHA512, for --secret.
    #[arg(long, requires = "secret", value_name = "A")]
    algorithm: Option<String>,
    /// Code length, 6 (default), 7 or 8, for --secret.
    #[arg(long, requires = "secret", value_name = "N")]
    digits: Option<u64>,
    /// TOTP period in seconds, 1 to 300 (default 30), for --secret.
    #[arg(long, requires = "secret", value_name = "S")]
    period: Option<u64>,
    /// HOTP counter (default 0), for --secret.
    #[arg(long, requires = "secret", value_name = "C")]
    counter: Option<String>,
}

/// Runs a parsed command and returns the process exit code.
pub fn run(command: Command) -> ExitCode {
    let result = match command {
        Command::Scan(args) => run_scan(args),
        Command::Code(args) => run_code(args),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tessera: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// One SOURCE argument, scanned.
fn scan_source(source: &str, stdin_used: &mut bool) -> Extracted {
    let trimmed = source.trim();
    if uri::is_otpauth(trimmed) || migration::is_migration(trimmed) {
        return input::parse_payload(trimmed);
    }
    if source == "-" {
        if *stdin_used {
            return failed(tessera::ImportError::UnreadableFile(String::from(
                "standard input (-) can be read only once",
            )));
        }
        *stdin_used = true;
        return match scan::read_limited(io::stdin().lock(), tessera::qr::MAX_FILE_BYTES) {
            Ok(bytes) => scan::scan_bytes(&bytes, None),
            Err(e) => failed(tessera::ImportError::UnreadableFile(format!(
                "cannot read standard input: {e}"
            ))),
        };
    }
    scan::scan_file(Path::new(source))
}

fn failed(error: tessera::ImportError) -> Extracted {
    Extracted {
        errors: vec![error],
        ..Extracted::default()
    }
}

#[derive(Serialize)]
struct SourceJson<'a> {
    source: &'a str,
    accounts: Vec<AccountJson>,
    errors: Vec<ErrorJson>,
}

#[derive(Serialize)]
struct AccountJson {
    #[serde(rename = "type")]
    kind: &'static str,
    issuer: Option<String>,
    account: String,
    secret: String,
    algorithm: &'static str,
    digits: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
    code: String,
}

#[derive(Serialize)]
struct ErrorJson {
    code: &'static str,
    message: String,
}

fn account_json(a: &Account, at: u64) -> AccountJson {
    let (period, counter) = match a.kind {
        OtpKind::Totp { period } => (Some(period.get()), None),
        OtpKind::Hotp { counter } => (None, Some(counter)),
    };
    AccountJson {
        kind: a.kind.type_name(),
        issuer: a.issuer.clone(),
        account: a.name.clone(),
        secret: a.secret.to_base32(),
        algorithm: a.algorithm.as_str(),
        digits: a.digits.get(),
        period,
        counter,
        code: a.code_at(at),
    }
}

fn run_scan(args: ScanArgs) -> Result<ExitCode> {
    let at = args.at.unwrap_or_else(now);
    let mut stdin_used = false;
    let results: Vec<(String, Extracted)> = args
        .sources
        .iter()
        .map(|s| (s.clone(), scan_source(s, &mut stdin_used)))
        .collect();
    let all_ok = results
        .iter()
        .all(|(_, r)| !r.accounts.is_empty() && r.errors.is_empty());
    let mut out = io::stdout().lock();
    if args.json {
        let doc: Vec<SourceJson<'_>> = results
            .iter()
            .map(|(source, r)| SourceJson {
                source,
                accounts: r.accounts.iter().map(|a| account_json(a, at)).collect(),
                errors: r
                    .errors
                    .iter()
                    .map(|e| ErrorJson {
                        code: e.code().as_str(),
                        message: e.to_string(),
                    })
                    .collect(),
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        for (i, (source, r)) in results.iter().enumerate() {
            if i > 0 {
                writeln!(out)?;
            }
            write_table(&mut out, source, r, at)?;
        }
    }
    out.flush()?;
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A readable table of accounts with codes and no secrets.
fn write_table(out: &mut impl Write, source: &str, r: &Extracted, at: u64) -> io::Result<()> {
    let shown = if source.len() > 60 && (uri::is_otpauth(source) || migration::is_migration(source))
    {
        // A literal link holds the secret: never echo it.
        String::from("(link)")
    } else {
        source.to_string()
    };
    let n = r.accounts.len();
    writeln!(out, "{shown}: {n} account{}", if n == 1 { "" } else { "s" })?;
    let issuer_w = r
        .accounts
        .iter()
        .map(|a| a.issuer.as_deref().unwrap_or("-").chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let name_w = r
        .accounts
        .iter()
        .map(|a| a.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    if n > 0 {
        writeln!(
            out,
            "  {:issuer_w$}  {:name_w$}  {:4}  {:9}  NEXT / LEFT",
            "ISSUER", "ACCOUNT", "TYPE", "CODE"
        )?;
    }
    for a in &r.accounts {
        let next = a.next_code(at).map(|c| group_code(&c)).unwrap_or_default();
        let extra = match a.kind {
            OtpKind::Totp { .. } => format!(
                "{next}  ({} s left)",
                a.seconds_remaining(at).unwrap_or_default()
            ),
            OtpKind::Hotp { counter } => format!("{next}  (counter {counter})"),
        };
        writeln!(
            out,
            "  {:issuer_w$}  {:name_w$}  {:4}  {:9}  {extra}",
            a.issuer.as_deref().unwrap_or("-"),
            a.name,
            a.kind.type_name().to_uppercase(),
            group_code(&a.code_at(at)),
        )?;
    }
    for e in &r.errors {
        writeln!(out, "  error [{}]: {e}", e.code())?;
    }
    Ok(())
}

fn read_stdin_line(what: &str) -> Result<zeroize::Zeroizing<String>> {
    let mut text = zeroize::Zeroizing::new(String::new());
    io::stdin()
        .lock()
        .take(64 * 1024)
        .read_to_string(&mut text)
        .with_context(|| format!("cannot read the {what} from standard input"))?;
    Ok(text)
}

fn run_code(args: CodeArgs) -> Result<ExitCode> {
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
        account_from_key(&text, &args)?
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

fn account_from_link(text: &str) -> Result<Account> {
    let found = input::parse_payload(text);
    if let Some(e) = found.errors.first() {
        bail!("{e}");
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

fn account_from_key(text: &str, args: &CodeArgs) -> Result<Account> {
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
