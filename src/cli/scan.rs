//! `tessera scan`: accounts in images, text files, links and stdin.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use tessera::account::{Account, OtpKind};
use tessera::input::{self, Extracted};
use tessera::otp::group_code;
use tessera::{migration, scan, uri};

use super::now;

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Print one JSON array with one object per source, including secrets.
    #[arg(long)]
    json: bool,
    /// Compute codes at this time (Unix seconds) instead of now.
    #[arg(long, value_name = "UNIX_SECONDS")]
    at: Option<u64>,
    /// Also scan the clipboard: a QR image, or text with otpauth:// links.
    #[cfg_attr(
        not(feature = "desktop"),
        arg(help = "Also scan the clipboard (not in this build: needs the `desktop` feature)")
    )]
    #[arg(long)]
    clipboard: bool,
    /// Also scan the screen: every QR code shown on any monitor (X11, or the
    /// XDG Screenshot portal on Wayland).
    #[cfg_attr(
        not(feature = "desktop"),
        arg(help = "Also scan the screen (not in this build: needs the `desktop` feature)")
    )]
    #[arg(long)]
    screen: bool,
    /// Image files, text files, otpauth links, or - for stdin.
    #[arg(value_name = "SOURCE", required_unless_present_any = ["clipboard", "screen"])]
    sources: Vec<String>,
}

/// The clipboard or the screen, as a source named "clipboard" / "screen".
#[cfg(feature = "desktop")]
fn scan_desktop(source: &str) -> Extracted {
    match source {
        "screen" => tessera::capture::scan_screen(),
        _ => tessera::capture::scan_clipboard(),
    }
}

#[cfg(not(feature = "desktop"))]
fn scan_desktop(source: &str) -> Extracted {
    failed(tessera::ImportError::UnreadableFile(format!(
        "this tessera was built without {source} support (cargo feature `desktop`)"
    )))
}

/// One SOURCE argument, scanned.
pub(super) fn scan_source(source: &str, stdin_used: &mut bool) -> Extracted {
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

pub fn run(args: ScanArgs) -> Result<ExitCode> {
    let at = args.at.unwrap_or_else(now);
    let mut stdin_used = false;
    let desktop = [("clipboard", args.clipboard), ("screen", args.screen)];
    let results: Vec<(String, Extracted)> = desktop
        .iter()
        .filter(|(_, wanted)| *wanted)
        .map(|(name, _)| (name.to_string(), scan_desktop(name)))
        .chain(
            args.sources
                .iter()
                .map(|s| (s.clone(), scan_source(s, &mut stdin_used))),
        )
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
