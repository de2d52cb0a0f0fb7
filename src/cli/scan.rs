//! `tessera scan`: accounts in images, text files, links and stdin.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use tessera::account::{Account, OtpKind};
use tessera::import::{self, Options, Report, Skipped};
use tessera::otp::group_code;
use tessera::{migration, uri};

use super::clock::now;
use super::json::AccountJson;

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
fn scan_desktop(source: &str) -> Report {
    match source {
        "screen" => import::desktop::read_screen(),
        _ => import::desktop::read_clipboard(),
    }
}

#[cfg(not(feature = "desktop"))]
fn scan_desktop(source: &str) -> Report {
    Report::failed(tessera::ImportError::UnreadableFile(format!(
        "this tessera was built without {source} support (cargo feature `desktop`)"
    )))
}

/// Reads bytes the `scan` way (QR images and text of links; never fails
/// as a whole).
fn scan_bytes(bytes: &[u8]) -> Report {
    import::read(bytes, &Options::links_only(None)).unwrap_or_default()
}

/// Whether a SOURCE that is not a file looks like a link (`https://...`):
/// it is then read as text, like the same text in a QR code.
fn is_link_text(source: &str) -> bool {
    source
        .split_once("://")
        .is_some_and(|(scheme, _)| !scheme.is_empty() && !scheme.contains(['/', '\\']))
        && !Path::new(source).exists()
}

/// Whether a SOURCE is neither a file nor anything that looks like a path
/// (no folder separator, no extension): it may be a key given by mistake,
/// so it is never shown (see [`source_label`]).
pub(super) fn is_bare_word(source: &str) -> bool {
    source != "-"
        && !source.contains(['/', '\\', '.'])
        && !source.contains("://")
        && !Path::new(source).exists()
}

/// How a SOURCE argument is named in reports: as given, except a link
/// (`(link)`) and a bare word that is no file (it may be a key typed in
/// the wrong place: described by its length).
pub(super) fn source_label(source: &str) -> String {
    let trimmed = source.trim();
    if uri::is_otpauth(trimmed) || migration::is_migration(trimmed) || is_link_text(trimmed) {
        String::from("(link)")
    } else if is_bare_word(source) {
        format!("(argument of {} characters)", source.chars().count())
    } else {
        source.to_string()
    }
}

/// The refusal of a bare word that names no file, without quoting it.
pub(super) fn not_a_file(source: &str) -> String {
    format!(
        "no file of that name (the argument has {} characters, not shown); \
         to use a key, give it to `tessera code --secret -` or `tessera add --secret -`",
        source.chars().count()
    )
}

/// One SOURCE argument, scanned.
pub(super) fn scan_source(source: &str, stdin_used: &mut bool) -> Report {
    let trimmed = source.trim();
    if uri::is_otpauth(trimmed) || migration::is_migration(trimmed) || is_link_text(trimmed) {
        return scan_bytes(trimmed.as_bytes());
    }
    if is_bare_word(source) {
        return Report::failed(tessera::ImportError::UnreadableFile(not_a_file(source)));
    }
    if source == "-" {
        if *stdin_used {
            return Report::failed(tessera::ImportError::UnreadableFile(String::from(
                "standard input (-) can be read only once",
            )));
        }
        *stdin_used = true;
        return match import::file::read_limited(io::stdin().lock(), import::image::MAX_FILE_BYTES) {
            Ok(bytes) => scan_bytes(&bytes),
            Err(e) => Report::failed(tessera::ImportError::UnreadableFile(format!(
                "cannot read standard input: {e}"
            ))),
        };
    }
    import::read_file(Path::new(source), &Options::links_only(None)).unwrap_or_default()
}

#[derive(Serialize)]
struct SourceJson<'a> {
    source: &'a str,
    accounts: Vec<AccountJson<'a>>,
    errors: Vec<ErrorJson>,
    /// Entries left out on purpose (always present, `[]` when none).
    skipped: Vec<ErrorJson>,
}

#[derive(Serialize)]
struct ErrorJson {
    code: &'static str,
    message: String,
}

fn account_json(a: &Account, at: u64) -> AccountJson<'_> {
    AccountJson {
        secret: Some(a.secret.to_base32()),
        code: Some(a.code_at(at)),
        ..AccountJson::new(a)
    }
}

pub fn run(args: ScanArgs) -> Result<ExitCode> {
    let at = args.at.unwrap_or_else(now);
    let mut stdin_used = false;
    let desktop = [("clipboard", args.clipboard), ("screen", args.screen)];
    let results: Vec<(String, Report)> = desktop
        .iter()
        .filter(|(_, wanted)| *wanted)
        .map(|(name, _)| (name.to_string(), scan_desktop(name)))
        .chain(
            args.sources
                .iter()
                .map(|s| (source_label(s), scan_source(s, &mut stdin_used))),
        )
        .collect();
    let all_ok = results.iter().all(|(_, r)| r.is_complete());
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
                        code: e.error.code().as_str(),
                        message: e.error.to_string(),
                    })
                    .collect(),
                skipped: r
                    .skipped
                    .iter()
                    .map(|s| ErrorJson {
                        code: s.code.as_str(),
                        message: s.message.clone(),
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
fn write_table(out: &mut impl Write, source: &str, r: &Report, at: u64) -> io::Result<()> {
    let shown = if source.len() > 60 && (uri::is_otpauth(source) || migration::is_migration(source))
    {
        // A literal link holds the secret: never echo it.
        String::from("(link)")
    } else {
        source.to_string()
    };
    let n = r.accounts.len();
    writeln!(
        out,
        "{shown}: {}",
        super::words::count(n, "account", "accounts")
    )?;
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
            "  {:issuer_w$}  {:name_w$}  {:5}  {:9}  NEXT / LEFT",
            "ISSUER", "ACCOUNT", "TYPE", "CODE"
        )?;
    }
    for a in &r.accounts {
        let next = a.next_code(at).map(|c| group_code(&c)).unwrap_or_default();
        let extra = match a.kind {
            OtpKind::Hotp { counter } => format!("{next}  (counter {counter})"),
            // Time-based: TOTP and Steam Guard.
            _ => format!(
                "{next}  ({} s left)",
                a.seconds_remaining(at).unwrap_or_default()
            ),
        };
        writeln!(
            out,
            "  {:issuer_w$}  {:name_w$}  {:5}  {:9}  {extra}",
            a.issuer.as_deref().unwrap_or("-"),
            a.name,
            a.kind.type_name().to_uppercase(),
            group_code(&a.code_at(at)),
        )?;
    }
    for e in &r.errors {
        writeln!(out, "  error [{}]: {}", e.error.code(), e.error)?;
    }
    write_skipped(out, &r.skipped)
}

/// Skipped entries: duplicates counted ("2 duplicates skipped"), the
/// others listed with their code.
pub(super) fn write_skipped(out: &mut dyn Write, skipped: &[Skipped]) -> io::Result<()> {
    let duplicates = skipped
        .iter()
        .filter(|s| s.code == tessera::ErrorCode::Duplicate)
        .count();
    for s in skipped
        .iter()
        .filter(|s| s.code != tessera::ErrorCode::Duplicate)
    {
        writeln!(out, "  skipped [{}]: {}", s.code, s.message)?;
    }
    if duplicates > 0 {
        writeln!(
            out,
            "  {} skipped",
            super::words::count(duplicates, "duplicate", "duplicates")
        )?;
    }
    Ok(())
}
