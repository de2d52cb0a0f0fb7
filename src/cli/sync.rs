//! `tessera sync`, and the merge that the commands which write run first:
//! the vault file changed under us and the sync tools' conflict copies
//! next to it are merged by the core ([`Session::sync`]); this module only
//! asks for a copy's password when its key differs and prints what
//! happened. The read-only commands only mention pending copies.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Result;

use tessera::session::Session;
use tessera::session::sync::SyncReport;

use super::access::{Ctx, create, on_terminal, open, prompt, shown};
use super::clock::now;

fn name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown(path))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The lines describing a sync.
fn describe(report: &SyncReport, with_reload: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if report.reloaded && with_reload {
        lines.push(String::from(
            "The vault file had changed (another process or computer): merged.",
        ));
    }
    for (copy, merged) in &report.merged {
        let r = &merged.report;
        let mut line = format!(
            "Merged {}: {} added, {} changed, {} deleted",
            name(copy),
            r.added,
            r.changed,
            r.deleted
        );
        if r.conflicts > 0 {
            line.push_str(&format!(
                ", {} kept as separate accounts marked conflict (keep one of each pair)",
                plural(r.conflicts, "conflicting change", "conflicting changes")
            ));
        }
        if merged.rekeyed {
            line.push_str("; its newer key (password or recovery key changed there) is kept");
        }
        line.push_str(&format!("; moved to {}.", name(&merged.moved_to)));
        lines.push(line);
    }
    if report.reenrolled {
        lines.push(String::from(
            "This computer's keyring opens the vault again.",
        ));
    }
    for other in &report.other_vaults {
        lines.push(format!(
            "Left alone: {} is a copy of another vault (another vault id).",
            name(other)
        ));
    }
    for (copy, error) in &report.failed {
        lines.push(format!("Could not merge {}: {error}.", name(copy)));
    }
    lines
}

/// Runs the core's sync; when copies need another password (their key
/// was changed on another computer), asks for it once (line 2 of standard
/// input with --password-stdin, else the terminal) and merges them.
fn run_sync(ctx: &Ctx, session: &mut Session, ask: bool) -> Result<SyncReport> {
    let mut report = session.sync(None, now())?;
    let waiting = report.need_credential();
    if waiting.is_empty() || !ask {
        return Ok(report);
    }
    let typed = if ctx.password_stdin {
        ctx.stdin_line(1)?.filter(|l| !l.is_empty())
    } else if on_terminal() {
        let names: Vec<String> = waiting.iter().map(|p| name(p)).collect();
        Some(prompt(&format!(
            "Password (or recovery key) of {} (its key was changed on another computer): ",
            names.join(", ")
        ))?)
    } else {
        None
    };
    if let Some(text) = typed {
        let again = session.sync(Some(&text), now())?;
        report
            .failed
            .retain(|(p, _)| !again.merged.iter().any(|(m, _)| m == p));
        for (copy, error) in again.failed {
            if let Some(slot) = report.failed.iter_mut().find(|(p, _)| *p == copy) {
                slot.1 = error;
            }
        }
        report.merged.extend(again.merged);
        report.reenrolled |= again.reenrolled;
    }
    Ok(report)
}

/// `tessera sync`: exit 0 when everything found was merged (or there was
/// nothing to do), 1 when a copy could not be opened or read.
pub(super) fn sync(ctx: &Ctx, out: &mut dyn Write) -> Result<ExitCode> {
    let mut session = open(ctx)?;
    let report = run_sync(ctx, &mut session, true)?;
    let lines = describe(&report, true);
    if lines.is_empty() {
        writeln!(out, "Nothing to merge: no conflict copy next to the vault.")?;
    }
    for line in lines {
        writeln!(out, "{line}")?;
    }
    if report.failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        Ok(ExitCode::FAILURE)
    }
}

/// Before a command writes: merges what the sync tools left, saying so
/// on standard error (a copy that cannot be merged is reported, and the
/// command goes on).
pub(super) fn merge_first(ctx: &Ctx, session: &mut Session) -> Result<()> {
    let report = run_sync(ctx, session, false)?;
    for line in describe(&report, false) {
        eprintln!("tessera: {line}");
    }
    if !report.failed.is_empty() {
        eprintln!(
            "tessera: `tessera sync` merges the remaining copies (it asks for a password when needed)."
        );
    }
    Ok(())
}

/// For the read-only commands: mentions conflict copies waiting next to
/// the vault (nothing is merged or written).
pub(super) fn mention_pending(vault: &Path) {
    let pending = Session::pending_copies(vault);
    if pending.is_empty() {
        return;
    }
    let names: Vec<String> = pending.iter().map(|p| name(p)).collect();
    eprintln!(
        "tessera: {} of the vault waiting to be merged ({}): run `tessera sync`.",
        plural(pending.len(), "conflict copy", "conflict copies"),
        names.join(", ")
    );
}

/// Opens the vault to change it: the file and the sync tools' conflict
/// copies are merged first.
pub(super) fn open_to_write(ctx: &Ctx) -> Result<Session> {
    let mut session = open(ctx)?;
    merge_first(ctx, &mut session)?;
    Ok(session)
}

/// Opens the vault to change it (merged first, see [`open_to_write`]),
/// creating it when there is none.
pub(super) fn open_or_create(ctx: &Ctx) -> Result<Session> {
    if ctx.path()?.exists() {
        open_to_write(ctx)
    } else {
        // The creation notice (and recovery key) goes to the terminal,
        // keeping standard output for the command's own result.
        create(ctx, false, &mut std::io::stderr().lock())
    }
}
