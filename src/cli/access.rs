//! Reaching the vault: where it is, the credential prompts and
//! `--password-stdin`, opening (or creating) it through the session, and
//! turning session errors into advice.
//!
//! Unlocking: `--password-stdin` reads the password (or recovery key) from
//! the first line of standard input; otherwise the keyring slot is tried
//! (with a timeout), then a password prompt on the terminal. With neither,
//! the command fails with a message saying how to unlock.

use std::cell::RefCell;
use std::io::{self, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use zeroize::Zeroizing;

use tessera::session::{Keys, NewSession, Session, SessionError, check_new_password};
use tessera::vault::{RecoveryKey, SlotKind, VaultError};

use super::progress::Progress;

/// What a command needs to reach the vault.
pub(super) struct Ctx {
    path: Option<PathBuf>,
    pub password_stdin: bool,
    stdin_lines: RefCell<Option<Vec<Zeroizing<String>>>>,
    pub keys: Keys,
}

impl Ctx {
    /// `path`: where the vault is (`None`: no home directory).
    pub fn new(path: Option<PathBuf>, password_stdin: bool) -> Self {
        Self {
            path,
            password_stdin,
            stdin_lines: RefCell::new(None),
            keys: Keys::system(),
        }
    }

    /// The vault path, or why there is none.
    pub fn path(&self) -> Result<&Path> {
        self.path
            .as_deref()
            .ok_or_else(|| anyhow!("no home directory to keep the vault in: give --vault PATH"))
    }

    /// Line `n` of standard input (read once, for --password-stdin).
    pub fn stdin_line(&self, n: usize) -> Result<Option<Zeroizing<String>>> {
        let mut cache = self.stdin_lines.borrow_mut();
        if cache.is_none() {
            let mut text = Zeroizing::new(String::new());
            io::stdin()
                .lock()
                .take(64 * 1024)
                .read_to_string(&mut text)
                .context("cannot read the password from standard input")?;
            *cache = Some(
                text.lines()
                    .map(|l| Zeroizing::new(l.trim_end_matches('\r').to_string()))
                    .collect(),
            );
        }
        Ok(cache.as_ref().and_then(|lines| lines.get(n).cloned()))
    }

    fn stdin_password(&self, n: usize, what: &str) -> Result<Zeroizing<String>> {
        match self.stdin_line(n)? {
            Some(line) if !line.is_empty() => Ok(line),
            _ => bail!(
                "--password-stdin: line {} of standard input should hold {what}",
                n + 1
            ),
        }
    }
}

pub(super) fn shown(path: &Path) -> String {
    path.display().to_string()
}

pub(super) fn prompt(text: &str) -> Result<Zeroizing<String>> {
    let answer = Zeroizing::new(
        rpassword::prompt_password(text).context("cannot read the password from the terminal")?,
    );
    Ok(answer)
}

pub(super) fn on_terminal() -> bool {
    io::stdin().is_terminal()
}

/// A session error in the CLI's words: advice for a damaged file, the
/// unchanged vault for a wrong credential.
pub(super) fn explain(path: &Path, e: SessionError) -> anyhow::Error {
    match e {
        SessionError::NoVault(_) => anyhow!(
            "no vault at {}: add an account with `tessera add` or create it with `tessera init`",
            shown(path)
        ),
        SessionError::Damaged {
            error,
            backups,
            good_backup,
            ..
        } => {
            let advice = match (good_backup, backups.first()) {
                (Some(b), _) => format!(
                    "the newest backup that opens is {}: check it with `tessera --vault {} list`, then put it in place with `tessera restore {}` (the damaged file is kept)",
                    shown(&b),
                    shown(&b),
                    shown(&b)
                ),
                (None, Some(b)) => format!(
                    "backups are kept next to it (newest: {}); `tessera backups` shows which one opens, `tessera restore BACKUP` puts it in place",
                    shown(b)
                ),
                (None, None) => String::from("no backup was found next to it"),
            };
            anyhow!("{} cannot be opened: {error}; {advice}", shown(path))
        }
        SessionError::Vault(e @ (VaultError::WrongPassword | VaultError::WrongRecoveryKey)) => {
            anyhow!("{e}: the vault at {} was not changed", shown(path))
        }
        // A newer Tessera's file is fine: no backup advice.
        SessionError::Vault(e) if e.is_newer() => {
            anyhow!("{}: {e}. The file was not changed.", shown(path))
        }
        other => other.into(),
    }
}

/// Reports a failed upgrade of weak password parameters (the vault is open).
fn warn_upgrade(session: &Session) {
    if let Some(e) = session.kdf_upgrade_error() {
        eprintln!("tessera: the password slot could not be upgraded to stronger parameters: {e}");
    }
}

/// Opens with a typed text: the password, or a recovery key.
fn open_with_text(ctx: &Ctx, path: &Path, text: &str) -> Result<Session> {
    let unlocking = Progress::unlocking();
    let opened = Session::open(path, Some(text), ctx.keys.clone());
    drop(unlocking);
    let session = opened.map_err(|e| explain(path, e))?;
    warn_upgrade(&session);
    if session.keyring_reenrolled() {
        eprintln!(
            "tessera: the vault's key had been changed on another computer; this computer's keyring opens it again."
        );
    }
    Ok(session)
}

/// Opens and unlocks the existing vault, or fails saying how to unlock it.
pub(super) fn open(ctx: &Ctx) -> Result<Session> {
    let path = ctx.path()?;
    let info = Session::inspect(path).map_err(|e| explain(path, e))?;
    let has = |k: SlotKind| info.slots.contains(&k);
    if ctx.password_stdin {
        let text = ctx.stdin_password(0, "the vault password or recovery key")?;
        return open_with_text(ctx, path, &text);
    }
    let mut reasons = Vec::new();
    let unlocking = Progress::unlocking();
    let opened = Session::open(path, None, ctx.keys.clone());
    drop(unlocking);
    match opened {
        Ok(session) => return Ok(session),
        Err(SessionError::NoKeyringSlot) => reasons.push(String::from("it has no keyring slot")),
        Err(e @ SessionError::Damaged { .. }) => return Err(explain(path, e)),
        Err(e) => reasons.push(format!("the keyring did not unlock it ({e})")),
    }
    if on_terminal() {
        let question = if has(SlotKind::Password) {
            format!("Password (or recovery key) for {}: ", shown(path))
        } else {
            format!("Recovery key for {}: ", shown(path))
        };
        let text = prompt(&question)?;
        return open_with_text(ctx, path, &text);
    }
    bail!(
        "cannot unlock the vault at {}: {}, and there is no terminal to ask for the password. \
         Pass the password (or the recovery key) on standard input with --password-stdin, \
         e.g. printf '%s\\n' \"$PASSWORD\" | tessera --password-stdin COMMAND",
        shown(path),
        reasons.join("; "),
    )
}

/// Makes sure the session can rewrap the password slot when the data key
/// rotates: after a keyring or recovery-key unlock, asks for the password
/// (line `stdin_line` of standard input with --password-stdin, else the
/// terminal) and checks it.
pub(super) fn ensure_password(ctx: &Ctx, session: &mut Session, stdin_line: usize) -> Result<()> {
    if session.knows_password() {
        return Ok(());
    }
    let path = session.path().to_path_buf();
    let password = if ctx.password_stdin {
        ctx.stdin_password(
            stdin_line,
            "the vault password (the data key is rotated and the password slot rewrapped)",
        )?
    } else if on_terminal() {
        prompt(&format!(
            "Password of {} (to rewrap its password slot): ",
            shown(&path)
        ))?
    } else {
        bail!(
            "this rotates the data key, which needs the vault password, and there is no terminal to ask for it: \
             pass it on standard input with --password-stdin"
        );
    };
    let _unlocking = Progress::unlocking();
    session
        .provide_password(&password)
        .map_err(|e| explain(&path, e))
}

/// A new password: line `stdin_line` of standard input with
/// --password-stdin, else asked twice on the terminal. Checked with the
/// core's new-password rule.
pub(super) fn new_password(ctx: &Ctx, stdin_line: usize) -> Result<Zeroizing<String>> {
    let password = if ctx.password_stdin {
        ctx.stdin_password(stdin_line, "the new password")?
    } else if on_terminal() {
        let first = prompt("New vault password: ")?;
        let again = prompt("The same password again: ")?;
        if first != again {
            bail!("the two passwords differ; nothing was changed");
        }
        first
    } else {
        bail!(
            "a password is needed and there is no terminal to ask for it: pass it on standard input with --password-stdin"
        );
    };
    check_new_password(&password)?;
    Ok(password)
}

pub(super) fn print_recovery(out: &mut dyn Write, key: &RecoveryKey) -> io::Result<()> {
    writeln!(
        out,
        "Recovery key (shown only this once: write it down and keep it away from this computer):\n\n    {}\n\n\
         It opens the vault if the keyring is lost or the password forgotten \
         (give it where a password is asked, or with --password-stdin).",
        key.expose()
    )
}

pub(super) fn slot_names(session: &Session) -> String {
    session
        .vault()
        .slots()
        .iter()
        .map(|k| match k {
            SlotKind::Keyring => "the OS keyring",
            SlotKind::Password => "a password",
            SlotKind::Recovery => "the recovery key",
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn report_created(out: &mut dyn Write, session: &Session, key: Option<&RecoveryKey>) -> Result<()> {
    writeln!(
        out,
        "Created the vault {} (opens with {}).",
        shown(session.path()),
        slot_names(session)
    )?;
    if let Some(key) = key {
        print_recovery(out, key)?;
    }
    Ok(())
}

/// Creates the vault: keyring + recovery where a keyring answers (plus a
/// password given on stdin), password + recovery otherwise.
pub(super) fn create(ctx: &Ctx, no_keyring: bool, out: &mut dyn Write) -> Result<Session> {
    let path = ctx.path()?;
    let given = if ctx.password_stdin {
        Some(new_password(ctx, 0)?)
    } else {
        None
    };
    let mut why_not = String::from("--no-keyring was given");
    if !no_keyring {
        let new = NewSession {
            keyring: true,
            password: given.as_deref().map(|s| s.as_str()),
        };
        match Session::create(path, new, ctx.keys.clone()) {
            Ok((session, key)) => {
                report_created(out, &session, key.as_ref())?;
                return Ok(session);
            }
            Err(SessionError::Vault(
                e @ (VaultError::Keyring(_) | VaultError::KeyringTimeout(_)),
            )) => {
                why_not = format!("no keyring answered ({e})");
            }
            Err(e) => return Err(e.into()),
        }
    }
    let password = match given {
        Some(p) => p,
        None if on_terminal() => {
            writeln!(out, "{why_not}: the vault will open with a password.")?;
            new_password(ctx, 0)?
        }
        None => bail!(
            "cannot create the vault at {}: {why_not}, so it needs a password, and there is no terminal to ask for one; \
             pass it on standard input with --password-stdin",
            shown(path)
        ),
    };
    let new = NewSession {
        keyring: false,
        password: Some(&password),
    };
    let (session, key) = Session::create(path, new, ctx.keys.clone())?;
    report_created(out, &session, key.as_ref())?;
    Ok(session)
}

/// The first line of a password file.
pub(super) fn password_from_file(path: &Path) -> Result<Zeroizing<String>> {
    let mut text = Zeroizing::new(String::new());
    std::fs::File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_string(&mut text))
        .with_context(|| format!("cannot read the backup password file {}", path.display()))?;
    let line = Zeroizing::new(text.lines().next().unwrap_or("").to_string());
    if line.is_empty() {
        bail!(
            "the backup password file {} is empty: its first line should hold the password",
            path.display()
        );
    }
    Ok(line)
}
