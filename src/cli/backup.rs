//! `tessera import` (backups and exports of other apps, QR images, link
//! lists), over `tessera::backup`.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use zeroize::Zeroizing;

use tessera::account::Account;
use tessera::backup::{self, BackupError, ImportReport};
use tessera::error::ImportError;
use tessera::input::BatchMark;
use tessera::session::Session;
use tessera::vault::Added;

use super::access::password_from_file;
use super::now;

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
    file: Option<Zeroizing<String>>,
    /// The last password typed that opened a file, tried first on the next.
    typed: Option<Zeroizing<String>>,
}

impl Passwords {
    fn new(file: Option<&Path>) -> Result<Self> {
        Ok(Self {
            file: file.map(password_from_file).transpose()?,
            typed: None,
        })
    }

    /// Imports encrypted bytes: with the file's password, or with passwords
    /// typed at the terminal (three tries).
    fn import(
        &mut self,
        source: &str,
        bytes: &[u8],
        format: backup::Format,
    ) -> Result<ImportReport, BackupError> {
        if let Some(password) = &self.file {
            return backup::import(bytes, Some(password));
        }
        if let Some(password) = &self.typed {
            match backup::import(bytes, Some(password)) {
                Err(BackupError::WrongPassword(_)) => {}
                other => return other,
            }
        }
        if !io::stdin().is_terminal() {
            return Err(BackupError::PasswordRequired(format));
        }
        let mut last = Err(BackupError::PasswordRequired(format));
        for _ in 0..3 {
            let Ok(password) =
                rpassword::prompt_password(format!("Backup password for {source} ({format}): "))
                    .map(Zeroizing::new)
            else {
                break;
            };
            last = backup::import(bytes, Some(&password));
            match &last {
                Err(BackupError::WrongPassword(_)) => eprintln!("Wrong password."),
                Ok(_) => {
                    self.typed = Some(password);
                    break;
                }
                Err(_) => break,
            }
        }
        last
    }
}

fn is_link(source: &str) -> bool {
    source.contains("://")
}

/// `tessera import`: each source is read (and decrypted) in full before
/// its accounts are added in one save; a source that cannot be read or
/// decrypted adds nothing. Exit status 1 when a source failed, an entry was
/// refused or parts of a Google export are missing.
pub fn import(
    args: &ImportArgs,
    password_stdin: bool,
    open_vault: &mut dyn FnMut() -> Result<Session>,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    if password_stdin && args.sources.iter().any(|s| s == "-") {
        bail!("--password-stdin and the source - cannot both read standard input");
    }
    let mut passwords = Passwords::new(args.backup_password_file.as_deref())?;
    let mut stdin_used = false;
    let mut all_ok = true;
    let mut marks: Vec<BatchMark> = Vec::new();
    let mut vault: Option<Session> = None;
    for source in &args.sources {
        let shown_source = if is_link(source) {
            String::from("(link)")
        } else {
            source.clone()
        };
        let report = if is_link(source) {
            // A literal otpauth:// or otpauth-migration:// link.
            let found = super::scan::scan_source(source, &mut stdin_used);
            let mut report = ImportReport {
                format: backup::Format::OtpauthUris,
                encrypted: false,
                entries: Vec::new(),
                batches: found.batches,
            };
            for account in found.accounts {
                report.entries.push(backup::Entry {
                    label: account.display_label(),
                    result: Ok(account),
                });
            }
            for e in found.errors {
                report.entries.push(backup::Entry {
                    label: String::new(),
                    result: Err(e),
                });
            }
            Ok(report)
        } else if source == "-" {
            if stdin_used {
                Err(BackupError::Unreadable(String::from(
                    "standard input (-) can be read only once",
                )))
            } else {
                stdin_used = true;
                tessera::scan::read_limited(io::stdin().lock(), tessera::qr::MAX_FILE_BYTES)
                    .map_err(|e| {
                        BackupError::Unreadable(format!("cannot read standard input: {e}"))
                    })
                    .and_then(|bytes| read_bytes("standard input", &bytes, &mut passwords))
            }
        } else {
            tessera::scan::read_bounded(Path::new(source))
                .map_err(|e| BackupError::Unreadable(e.to_string()))
                .and_then(|bytes| read_bytes(source, &bytes, &mut passwords))
        };
        let report = match report {
            Ok(report) => report,
            Err(e) => {
                all_ok = false;
                let hint = match e {
                    BackupError::PasswordRequired(_) => {
                        " (give it with --backup-password-file PATH, or run on a terminal to be asked)"
                    }
                    _ => "",
                };
                writeln!(out, "{shown_source}: nothing imported: {e}{hint}")?;
                continue;
            }
        };
        marks.extend(report.batches.iter().copied());
        let accounts: Vec<Account> = report.accounts().cloned().collect();
        let refused: Vec<(&str, &ImportError)> = report.refused().collect();
        all_ok &= !accounts.is_empty() && refused.is_empty();
        let (mut added, mut dups) = (0, 0);
        if !accounts.is_empty() {
            if vault.is_none() {
                vault = Some(open_vault()?);
            }
            if let Some(vault) = vault.as_mut() {
                let labels: Vec<String> = accounts.iter().map(Account::display_label).collect();
                for (result, label) in vault.import(accounts, now())?.results.iter().zip(labels) {
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
        for (label, e) in &refused {
            if label.is_empty() {
                writeln!(out, "  refused [{}]: {e}", e.code())?;
            } else {
                writeln!(out, "  refused [{}]: {label}: {e}", e.code())?;
            }
        }
        let what = if report.encrypted {
            format!("{}, encrypted", report.format)
        } else {
            report.format.to_string()
        };
        writeln!(
            out,
            "{shown_source} ({what}): {added} added, {dups} already in the vault, {} refused",
            refused.len()
        )?;
    }
    for missing in backup::missing_batches(&marks) {
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

fn read_bytes(
    source: &str,
    bytes: &[u8],
    passwords: &mut Passwords,
) -> Result<ImportReport, BackupError> {
    let detected = backup::detect(bytes)?;
    if detected.encrypted {
        passwords.import(source, bytes, detected.format)
    } else {
        backup::import(bytes, None)
    }
}
