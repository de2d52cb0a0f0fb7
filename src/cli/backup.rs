//! `tessera export`, over `tessera::export`.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::Args;
use zeroize::Zeroizing;

use tessera::account::Account;
use tessera::export::{self, ExportFormat};
use tessera::vault::Vault;

use super::import::password_from_file;

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
    if first.is_empty() {
        bail!("the export password is empty");
    }
    let second = Zeroizing::new(
        rpassword::prompt_password("Repeat the password: ")
            .context("cannot read the password from the terminal")?,
    );
    if first != second {
        bail!("the two passwords differ; nothing was written");
    }
    Ok(first)
}

fn refuse_existing(path: &Path, force: bool) -> Result<()> {
    if path.is_dir() {
        bail!("{} is a folder: give a file name", path.display());
    }
    if path.exists() && !force {
        bail!(
            "{} already exists; add --force to replace it",
            path.display()
        );
    }
    Ok(())
}

/// `tessera export`.
pub fn export(args: &ExportArgs, vault: &Vault, out: &mut dyn Write) -> Result<ExitCode> {
    let accounts: Vec<Account> = vault.entries().iter().map(|e| e.account.clone()).collect();
    if accounts.is_empty() {
        bail!("the vault has no account to export");
    }
    if !args.format.is_folder() {
        refuse_existing(&args.output, args.force)?;
    } else if args.output.exists() && !args.output.is_dir() {
        bail!(
            "{} is a file: migration-qr writes PNG files into a folder",
            args.output.display()
        );
    }
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
    let exported = export::export(
        &accounts,
        args.format,
        password.as_deref().map(|p| p.as_str()),
    )?;
    for skipped in &exported.skipped {
        eprintln!("skipped: {}", skipped.reason);
    }
    let written = accounts.len() - exported.skipped.len();
    if args.format.is_folder() {
        let dir = &args.output;
        for file in &exported.files {
            if dir.join(&file.name).exists() && !args.force {
                bail!(
                    "{} already exists; add --force to replace it (nothing was written)",
                    dir.join(&file.name).display()
                );
            }
        }
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder
            .create(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
        for file in &exported.files {
            let path = dir.join(&file.name);
            export::write_private(&path, &file.bytes)
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(out, "{}", path.display())?;
        }
        writeln!(
            out,
            "Wrote {} Google Authenticator transfer QR code{} ({written} account{}) to {}; scan them with Google Authenticator's \"Transfer accounts\" > \"Import accounts\" (not the + button).",
            exported.files.len(),
            if exported.files.len() == 1 { "" } else { "s" },
            if written == 1 { "" } else { "s" },
            dir.display()
        )?;
    } else {
        let file = exported
            .files
            .first()
            .ok_or_else(|| anyhow!("the export produced no file"))?;
        export::write_private(&args.output, &file.bytes)
            .with_context(|| format!("cannot write {}", args.output.display()))?;
        writeln!(
            out,
            "Exported {written} account{} to {} ({}).",
            if written == 1 { "" } else { "s" },
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
