//! The backup commands: `tessera backups` (each backup with its date, its
//! account count and which credential opens it) and `tessera restore
//! BACKUP`; and the note after a credential was revoked (older backups
//! keep opening with it), offering to delete them.

use std::io::{self, BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use zeroize::Zeroizing;

use tessera::session::{Opened, Session};
use tessera::vault::SlotKind;

use super::access::{Ctx, explain, on_terminal, prompt, shown};

/// The credential to check backups with: the first line of standard input
/// with --password-stdin, else a prompt on a terminal (empty: the keyring),
/// else the keyring (`None`).
fn credential(ctx: &Ctx) -> Result<Option<Zeroizing<String>>> {
    if ctx.password_stdin {
        return Ok(ctx.stdin_line(0)?.filter(|l| !l.is_empty()));
    }
    if on_terminal() {
        let text =
            prompt("Password or recovery key to check the backups with (empty: the keyring): ")?;
        return Ok((!text.is_empty()).then_some(text));
    }
    Ok(None)
}

fn opened_by(with: SlotKind) -> &'static str {
    match with {
        SlotKind::Keyring => "the OS keyring",
        SlotKind::Password => "the password given",
        SlotKind::Recovery => "the recovery key given",
    }
}

/// `tessera backups`.
pub(super) fn list(ctx: &Ctx, out: &mut dyn Write) -> Result<ExitCode> {
    let path = ctx.path()?;
    let typed = credential(ctx)?;
    let backups = Session::backups(path, typed.as_deref().map(|s| s.as_str()), &ctx.keys);
    if backups.is_empty() {
        writeln!(out, "No backup of {} was found next to it.", shown(path))?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "Backups of {}, newest first:", shown(path))?;
    for b in &backups {
        let made = b.made.map_or_else(
            || String::from("date unknown"),
            |t| t.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        );
        let what = match &b.check {
            Ok(Opened { accounts, with }) => format!(
                "{}, opens with {}",
                super::words::count(*accounts, "account", "accounts"),
                opened_by(*with)
            ),
            Err(e) => format!("does not open with it ({e})"),
        };
        writeln!(out, "  {}  {made}  {what}", shown(&b.path))?;
    }
    writeln!(
        out,
        "Put one in place of the vault with `tessera restore BACKUP` (the current file is kept as a backup)."
    )?;
    Ok(ExitCode::SUCCESS)
}

/// `tessera restore BACKUP`.
pub(super) fn restore(ctx: &Ctx, backup: &Path, out: &mut dyn Write) -> Result<ExitCode> {
    let path = ctx.path()?;
    if !backup.is_file() {
        bail!("no backup file at {}", shown(backup));
    }
    let typed = credential(ctx)?;
    let restored = Session::restore(
        path,
        backup,
        typed.as_deref().map(|s| s.as_str()),
        &ctx.keys,
    )
    .map_err(|e| explain(backup, e))?;
    writeln!(
        out,
        "Restored {} to {} ({}).",
        shown(backup),
        shown(path),
        super::words::count(restored.accounts, "account", "accounts")
    )?;
    if let Some(kept) = restored.kept {
        writeln!(out, "The file it replaced was kept as {}.", shown(&kept))?;
    }
    Ok(ExitCode::SUCCESS)
}

/// After a credential was revoked: says that the backups still open with
/// it and, on a terminal, offers to delete them (kept otherwise).
pub(super) fn offer_removal(
    ctx: &Ctx,
    session: &Session,
    old: &str,
    out: &mut dyn Write,
) -> Result<()> {
    let backups = session.backup_paths();
    if backups.is_empty() {
        return Ok(());
    }
    writeln!(
        out,
        "{} next to the vault (and any other copy of the file made before) still open{} with {old}.",
        super::words::count(backups.len(), "older backup", "older backups"),
        if backups.len() == 1 { "s" } else { "" },
    )?;
    if ctx.password_stdin || !on_terminal() {
        writeln!(
            out,
            "They were kept (`tessera backups` lists them; delete the files to revoke {old} for them too)."
        )?;
        return Ok(());
    }
    out.flush()?;
    eprint!("Delete them now? [y/N] ");
    let mut answer = String::new();
    io::stdin().lock().read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes") {
        let removed = session
            .remove_backups()
            .map_err(|e| explain(session.path(), e))?;
        writeln!(out, "Deleted {removed} backup(s).")?;
    } else {
        writeln!(out, "The backups were kept.")?;
    }
    Ok(())
}
