//! `tessera export`: every account to a backup or export file for another
//! app, through the session (overwrite rule, private files, password rule).

use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;
use zeroize::Zeroizing;

use tessera::export::ExportFormat;
use tessera::session::{Session, SessionError, check_new_password};

use super::access::password_from_file;

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// tessera-backup (encrypted, the default), aegis-encrypted (readable
    /// by Aegis and GNOME Authenticator), aegis (plain), uris (otpauth
    /// links), migration-qr (Google Authenticator transfer QR codes, PNG
    /// files into the folder PATH), html (printable page of QR codes).
    #[arg(long, value_name = "FORMAT", default_value = "tessera-backup")]
    pub format: ExportFormat,
    /// The file to write (a folder for migration-qr). Created readable by
    /// you only.
    #[arg(long, short, value_name = "PATH")]
    pub output: PathBuf,
    /// Read the password of an encrypted export from the first line of PATH
    /// (without it, the password is asked twice on the terminal).
    #[arg(long, value_name = "PATH")]
    pub backup_password_file: Option<PathBuf>,
    /// Replace existing files.
    #[arg(long)]
    pub force: bool,
}

fn export_password(args: &ExportArgs) -> Result<Zeroizing<String>> {
    if let Some(path) = &args.backup_password_file {
        return password_from_file(path);
    }
    if !io::stdin().is_terminal() {
        bail!(
            "the {} format is encrypted: give its password with --backup-password-file PATH",
            args.format
        );
    }
    let first = Zeroizing::new(
        rpassword::prompt_password(format!("Password for the {} export: ", args.format))
            .context("cannot read the password from the terminal")?,
    );
    check_new_password(&first)?;
    let second = Zeroizing::new(
        rpassword::prompt_password("Repeat the password: ")
            .context("cannot read the password from the terminal")?,
    );
    if first != second {
        bail!("the two passwords differ; nothing was written");
    }
    Ok(first)
}

/// The session's refusals in the words of the flags.
fn explain(e: SessionError, args: &ExportArgs) -> anyhow::Error {
    match e {
        SessionError::ExportExists(path) if path == args.output => {
            anyhow::anyhow!(
                "{} already exists; add --force to replace it",
                path.display()
            )
        }
        SessionError::ExportExists(path) => anyhow::anyhow!(
            "{} already exists; add --force to replace it (nothing was written)",
            path.display()
        ),
        SessionError::ExportNotFolder(path) => anyhow::anyhow!(
            "{} is a file: migration-qr writes PNG files into a folder",
            path.display()
        ),
        e => e.into(),
    }
}

/// `tessera export`.
pub(super) fn export(
    args: &ExportArgs,
    session: &Session,
    out: &mut dyn Write,
) -> Result<ExitCode> {
    session
        .check_export(&args.output, args.format, args.force)
        .map_err(|e| explain(e, args))?;
    let password = if args.format.needs_password() {
        Some(export_password(args)?)
    } else {
        None
    };
    if args.format.is_plain_text() {
        eprintln!(
            "warning: the {} format writes your secret keys unencrypted: anyone who reads {} can generate your codes. Move it to the other app, then delete it.",
            args.format,
            args.output.display()
        );
    }
    let exported = session
        .export(
            &args.output,
            args.format,
            password.as_deref().map(|p| p.as_str()),
            args.force,
            super::clock::now(),
        )
        .map_err(|e| explain(e, args))?;
    for skipped in &exported.skipped {
        eprintln!("skipped: {}", skipped.reason);
    }
    let written = exported.accounts;
    if args.format.is_folder() {
        for file in &exported.files {
            writeln!(out, "{}", file.display())?;
        }
        writeln!(
            out,
            "Wrote {} ({}) to {}; scan them with Google Authenticator's \"Transfer accounts\" > \"Import accounts\" (not the + button).",
            super::words::count(
                exported.files.len(),
                "Google Authenticator transfer QR code",
                "Google Authenticator transfer QR codes"
            ),
            super::words::count(written, "account", "accounts"),
            args.output.display()
        )?;
    } else {
        writeln!(
            out,
            "Exported {} to {} ({}).",
            super::words::count(written, "account", "accounts"),
            args.output.display(),
            args.format
        )?;
    }
    Ok(if exported.skipped.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
