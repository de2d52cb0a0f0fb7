//! `tessera import`: backups and exports of other apps, QR images, link
//! lists, links and stdin, each read by `tessera::import::read` into one
//! `Report`, then added to the vault in one save.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use zeroize::Zeroizing;

use tessera::import::{self, BackupError, BatchMark, Options, Report};
use tessera::session::Session;
use tessera::vault::Added;

use super::access::password_from_file;
use super::clock::now;
use super::progress::Progress;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Backup or export files of other apps (Aegis, 2FAS, andOTP,
    /// Bitwarden, FreeOTP+, Proton Authenticator, Authenticator Pro, Ente
    /// Auth, Tessera backups), QR images, text files of otpauth links,
    /// literal links, or - for standard input. The format is recognised from
    /// the content.
    #[arg(value_name = "SOURCE", required = true)]
    pub sources: Vec<String>,
    /// Read the password of encrypted backups from the first line of PATH
    /// (without it, the password is asked on the terminal).
    #[arg(long, value_name = "PATH")]
    pub backup_password_file: Option<PathBuf>,
}

/// Where backup passwords come from during an import.
struct Passwords {
    /// `--backup-password-file`, read only when a file needs a password.
    path: Option<PathBuf>,
    file: Option<Zeroizing<String>>,
    /// The last password typed that opened a file, tried first on the next.
    typed: Option<Zeroizing<String>>,
}

impl Passwords {
    fn new(path: Option<&Path>) -> Self {
        Self {
            path: path.map(Path::to_path_buf),
            file: None,
            typed: None,
        }
    }

    /// Reads a source: without a password first, then (for an encrypted
    /// file) with the file's password or passwords typed at the terminal
    /// (three tries). The format is detected by `import::read`.
    fn read(&mut self, source: &str, bytes: &[u8]) -> Result<Report> {
        // Decoding images and key derivation can take seconds: a progress
        // line on a terminal, never over a password prompt.
        let read = |options: &Options<'_>| {
            let _reading = Progress::reading(source);
            import::read(bytes, options)
        };
        let format = match read(&Options::default()) {
            Err(BackupError::PasswordRequired(format)) => format,
            other => return Ok(other?),
        };
        if let Some(path) = &self.path {
            if self.file.is_none() {
                self.file = Some(password_from_file(path)?);
            }
            return Ok(read(&Options::with_password(
                self.file.as_deref().map(|p| p.as_str()),
            ))?);
        }
        if let Some(password) = &self.typed {
            match read(&Options::with_password(Some(password))) {
                Err(BackupError::WrongPassword(_)) => {}
                other => return Ok(other?),
            }
        }
        if !io::stdin().is_terminal() {
            return Err(BackupError::PasswordRequired(format).into());
        }
        let mut last = Err(BackupError::PasswordRequired(format));
        for _ in 0..3 {
            let Ok(password) =
                rpassword::prompt_password(format!("Backup password for {source} ({format}): "))
                    .map(Zeroizing::new)
            else {
                break;
            };
            last = read(&Options::with_password(Some(&password)));
            match &last {
                Err(BackupError::WrongPassword(_)) => eprintln!("Wrong password."),
                Ok(_) => {
                    self.typed = Some(password);
                    break;
                }
                Err(_) => break,
            }
        }
        Ok(last?)
    }
}

fn is_link(source: &str) -> bool {
    source.contains("://")
}

/// `tessera import`: each source is read (and decrypted) in full before
/// its accounts are added in one save; a source that cannot be read or
/// decrypted adds nothing. Exit status 1 when a source failed, an entry was
/// refused or parts of a Google export are missing; skipped entries
/// (duplicates within a source, foreign QR codes beside accounts) are
/// listed and do not fail.
pub fn import(
    args: &ImportArgs,
    password_stdin: bool,
    open_vault: &mut dyn FnMut() -> Result<Session>,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    if password_stdin && args.sources.iter().any(|s| s == "-") {
        bail!("--password-stdin and the source - cannot both read standard input");
    }
    let mut passwords = Passwords::new(args.backup_password_file.as_deref());
    let mut stdin_used = false;
    let mut all_ok = true;
    let mut marks: Vec<BatchMark> = Vec::new();
    let mut vault: Option<Session> = None;
    for source in &args.sources {
        let shown_source = super::scan::source_label(source);
        let report = if is_link(source) {
            // A literal link (otpauth://, otpauth-migration://, or a web
            // link, refused as such).
            Ok(super::scan::scan_source(source, &mut stdin_used))
        } else if source == "-" {
            if stdin_used {
                Err(BackupError::Unreadable(String::from(
                    "standard input (-) can be read only once",
                ))
                .into())
            } else {
                stdin_used = true;
                match import::file::read_limited(io::stdin().lock(), import::image::MAX_FILE_BYTES)
                {
                    Ok(bytes) => passwords.read("standard input", &bytes),
                    Err(e) => Err(BackupError::Unreadable(format!(
                        "cannot read standard input: {e}"
                    ))
                    .into()),
                }
            }
        } else if super::scan::is_bare_word(source) {
            // A bare word that names no file (perhaps a key): never shown.
            Err(BackupError::Unreadable(super::scan::not_a_file(source)).into())
        } else {
            match import::file::read_bounded(Path::new(source)) {
                Ok(bytes) => passwords.read(source, &bytes),
                Err(e) => Err(BackupError::Unreadable(e.to_string()).into()),
            }
        };
        let report = match report {
            Ok(report) => report,
            Err(e) => {
                all_ok = false;
                let hint = match e.downcast_ref::<BackupError>() {
                    Some(BackupError::PasswordRequired(_)) => {
                        " (give it with --backup-password-file PATH, or run on a terminal to be asked)"
                    }
                    _ => "",
                };
                writeln!(out, "{shown_source}: nothing imported: {e:#}{hint}")?;
                continue;
            }
        };
        marks.extend(report.batches.iter().copied());
        all_ok &= report.is_complete();
        let (mut added, mut dups) = (0, 0);
        if !report.accounts.is_empty() {
            if vault.is_none() {
                vault = Some(open_vault()?);
            }
            if let Some(vault) = vault.as_mut() {
                let labels: Vec<String> = report.labelled().map(|(label, _)| label).collect();
                let imported = vault.import(report.accounts.clone(), now())?;
                for (result, label) in imported.results.iter().zip(labels) {
                    match result {
                        Added::New(id) => {
                            added += 1;
                            writeln!(out, "  added: {label} [{id}]")?;
                        }
                        Added::Duplicate { existing } => {
                            dups += 1;
                            writeln!(out, "  already in the vault: {label} [{existing}]")?;
                        }
                    }
                }
            }
        }
        for refused in &report.errors {
            let e = &refused.error;
            if refused.label.is_empty() {
                writeln!(out, "  refused [{}]: {e}", e.code())?;
            } else {
                writeln!(out, "  refused [{}]: {}: {e}", e.code(), refused.label)?;
            }
        }
        super::scan::write_skipped(out, &report.skipped)?;
        let format = report
            .format
            .map_or_else(|| String::from("link"), |f| f.to_string());
        let what = if report.encrypted {
            format!("{format}, encrypted")
        } else {
            format
        };
        writeln!(
            out,
            "{shown_source} ({what}): {added} added, {dups} already in the vault, {} refused",
            report.errors.len()
        )?;
    }
    for missing in import::missing_batches(&marks) {
        all_ok = false;
        writeln!(
            out,
            "warning: {missing}; import the missing QR codes as well"
        )?;
    }
    Ok(if all_ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
