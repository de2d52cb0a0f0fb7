//! The key slot commands: init, passwd, keyring enable|disable, recovery.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{Result, anyhow, bail};

use tessera::session::{KeyringOff, Session};
use tessera::vault::SlotKind;

use super::access::{
    Ctx, create, ensure_password, explain, new_password, open, print_recovery, shown, slot_names,
};
use super::backups::offer_removal;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KeyringAction {
    Enable,
    Disable,
}

/// `tessera init`.
pub(super) fn init(ctx: &Ctx, no_keyring: bool, out: &mut dyn Write) -> Result<ExitCode> {
    let path = ctx.path()?;
    if path.exists() {
        bail!(
            "a vault already exists at {}; it was left as it is",
            shown(path)
        );
    }
    create(ctx, no_keyring, out)?;
    Ok(ExitCode::SUCCESS)
}

/// `tessera passwd`. With --password-stdin: current password (or recovery
/// key), then the new one. A vault with no password slot may give only the
/// new one and be unlocked by the keyring.
pub(super) fn passwd(ctx: &Ctx, out: &mut dyn Write) -> Result<ExitCode> {
    let path = ctx.path()?;
    let info = Session::inspect(path).map_err(|e| match e {
        tessera::session::SessionError::NoVault(_) => {
            anyhow!("no vault at {}: create it with `tessera init`", shown(path))
        }
        e => explain(path, e),
    })?;
    let mut session;
    let new_line;
    if ctx.password_stdin
        && !info.slots.contains(&SlotKind::Password)
        && ctx.stdin_line(1)?.is_none()
    {
        session = Session::open(path, None, ctx.keys.clone()).map_err(|e| {
            anyhow!(
                "the keyring did not unlock the vault ({e}); give the recovery key on the first line and the new password on the second"
            )
        })?;
        new_line = 0;
    } else {
        session = open(ctx)?;
        new_line = 1;
    }
    let password = new_password(ctx, new_line)?;
    let result = session.change_password(&password)?;
    writeln!(
        out,
        "The password was changed and the data key rotated (opens with {}).",
        slot_names(&session)
    )?;
    if let Some(e) = result.keyring_dropped {
        writeln!(
            out,
            "The keyring slot was removed because the keyring did not answer ({e}); `tessera keyring enable` adds it back."
        )?;
    }
    if let Some(key) = result.recovery {
        writeln!(out, "The previous recovery key no longer opens this vault.")?;
        print_recovery(out, &key)?;
    }
    offer_removal(ctx, &session, "the old password", out)?;
    Ok(ExitCode::SUCCESS)
}

/// `tessera keyring enable|disable`.
pub(super) fn keyring(ctx: &Ctx, action: KeyringAction, out: &mut dyn Write) -> Result<ExitCode> {
    let mut session = open(ctx)?;
    match action {
        KeyringAction::Enable => {
            session.enable_keyring()?;
            writeln!(
                out,
                "The OS keyring now unlocks {} (opens with {}).",
                shown(session.path()),
                slot_names(&session)
            )?;
        }
        KeyringAction::Disable => {
            if session.vault().has_slot(SlotKind::Keyring) {
                ensure_password(ctx, &mut session, 1)?;
            }
            match session.disable_keyring()? {
                KeyringOff::NothingToDo => {
                    writeln!(out, "The vault has no keyring slot; nothing to do.")?;
                }
                KeyringOff::Removed { cleanup, recovery } => {
                    writeln!(
                        out,
                        "The OS keyring no longer unlocks {} and the data key was rotated (opens with {}).",
                        shown(session.path()),
                        slot_names(&session)
                    )?;
                    if let Some(e) = cleanup {
                        eprintln!(
                            "tessera: the key could not be deleted from the keyring ({e}); it no longer opens the vault"
                        );
                    }
                    if let Some(key) = recovery {
                        writeln!(out, "The previous recovery key no longer opens this vault.")?;
                        print_recovery(out, &key)?;
                    }
                    offer_removal(ctx, &session, "the keyring", out)?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `tessera recovery`.
pub(super) fn recovery(ctx: &Ctx, out: &mut dyn Write) -> Result<ExitCode> {
    let mut session = open(ctx)?;
    ensure_password(ctx, &mut session, 1)?;
    let key = session.renew_recovery()?;
    writeln!(
        out,
        "The data key was rotated: the previous recovery key no longer opens this vault."
    )?;
    print_recovery(out, &key)?;
    offer_removal(ctx, &session, "the previous recovery key", out)?;
    Ok(ExitCode::SUCCESS)
}
