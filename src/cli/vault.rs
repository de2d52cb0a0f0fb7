//! The vault commands: init, add, import, list, code QUERY, remove,
//! rename, passwd, keyring, recovery.
//!
//! Unlocking: `--password-stdin` reads the password (or recovery key) from
//! the first line of standard input; otherwise the keyring slot is tried
//! (with a timeout), then a password prompt on the terminal. With neither,
//! the command fails with a message saying how to unlock.

use std::cell::RefCell;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand};
use serde::Serialize;
use zeroize::Zeroizing;

use tessera::account::OtpKind;
use tessera::vault::{
    Added, Entry, KdfPolicy, KeyStore, NewVault, OsKeyring, RecoveryKey, SlotKind, Unlock, Vault,
    VaultError, looks_like_recovery_key,
};

use super::code::{KeyOptions, account_from_key, account_from_link, read_stdin_line};
use super::now;

/// Options of every command.
#[derive(Debug, Args, Default)]
pub struct GlobalArgs {
    /// The vault file [env: TESSERA_VAULT] [default: the platform data
    /// directory, e.g. ~/.local/share/tessera/vault.tessera].
    #[arg(long, global = true, value_name = "PATH")]
    vault: Option<PathBuf>,
    /// Read the vault password (or recovery key) from the first line of
    /// standard input instead of the keyring or a terminal prompt.
    #[arg(long, global = true)]
    password_stdin: bool,
}

impl GlobalArgs {
    /// The vault path: --vault, else TESSERA_VAULT, else the platform
    /// default; `None` without a home directory. (Used by the app too.)
    pub fn vault_path(&self) -> Option<PathBuf> {
        match &self.vault {
            Some(p) => Some(p.clone()),
            None => match std::env::var_os("TESSERA_VAULT").filter(|v| !v.is_empty()) {
                Some(p) => Some(PathBuf::from(p)),
                None => tessera::paths::default_vault_path(),
            },
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum VaultCommand {
    /// Create the vault: a keyring slot and a recovery key where a keyring
    /// answers; a password otherwise (or with --no-keyring).
    Init {
        /// Do not use the OS keyring: the vault opens with a password.
        #[arg(long)]
        no_keyring: bool,
    },
    /// Add one account to the vault (creating the vault on first use).
    Add(AddArgs),
    /// Add the accounts of other apps' backups and exports (Aegis, 2FAS,
    /// andOTP, Bitwarden, FreeOTP+, Ente Auth, ...), Google Authenticator
    /// export QR images, text files of links, links or stdin. Reports each
    /// entry: added, already in the vault, or refused with the reason.
    Import(super::import::ImportArgs),
    /// Write every account to a backup or export file for another app.
    Export(super::backup::ExportArgs),
    /// List the vault's accounts (no secrets, no codes).
    List {
        /// A JSON array of account objects with their ids.
        #[arg(long)]
        json: bool,
    },
    /// Remove an account.
    Remove {
        /// Part of the issuer or account name, or the id.
        #[arg(value_name = "QUERY")]
        query: String,
        /// Do not ask for confirmation.
        #[arg(long)]
        yes: bool,
    },
    /// Change the issuer and/or the account name of an account.
    Rename {
        /// Part of the issuer or account name, or the id.
        #[arg(value_name = "QUERY")]
        query: String,
        /// New issuer ("" removes it).
        #[arg(long, value_name = "I")]
        issuer: Option<String>,
        /// New account name.
        #[arg(long, value_name = "A")]
        account: Option<String>,
    },
    /// Set or change the vault password. This rotates the data key and
    /// renews the recovery key. With --password-stdin: the current password
    /// (or recovery key) on the first line, the new one on the second.
    Passwd,
    /// Add or remove the OS keyring slot.
    Keyring {
        #[arg(value_enum)]
        action: KeyringAction,
    },
    /// Replace the recovery key with a new one, shown once.
    Recovery,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum KeyringAction {
    Enable,
    Disable,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("input").required(true).args(["uri", "secret"]))]
pub struct AddArgs {
    /// An otpauth:// link (- reads it from stdin).
    #[arg(long, value_name = "URI", conflicts_with_all = ["issuer", "account"])]
    uri: Option<String>,
    /// The service, with --secret.
    #[arg(long, value_name = "I", requires = "secret")]
    issuer: Option<String>,
    /// The account name at that service, with --secret.
    #[arg(long, value_name = "A", requires = "secret")]
    account: Option<String>,
    /// A Base32 key as shown by the site (- reads it from stdin).
    #[arg(long, value_name = "KEY")]
    secret: Option<String>,
    #[command(flatten)]
    key: KeyOptions,
}

/// What a command needs to reach the vault.
struct Ctx {
    path: PathBuf,
    password_stdin: bool,
    stdin_lines: RefCell<Option<Vec<Zeroizing<String>>>>,
    keyring: OsKeyring,
}

impl Ctx {
    fn new(global: &GlobalArgs) -> Result<Self> {
        let path = global
            .vault_path()
            .ok_or_else(|| anyhow!("no home directory to keep the vault in: give --vault PATH"))?;
        Ok(Self {
            path,
            password_stdin: global.password_stdin,
            stdin_lines: RefCell::new(None),
            keyring: OsKeyring::default(),
        })
    }

    /// Line `n` of standard input (read once, for --password-stdin).
    fn stdin_line(&self, n: usize) -> Result<Option<Zeroizing<String>>> {
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

fn shown(path: &std::path::Path) -> String {
    path.display().to_string()
}

fn prompt(text: &str) -> Result<Zeroizing<String>> {
    let answer = Zeroizing::new(
        rpassword::prompt_password(text).context("cannot read the password from the terminal")?,
    );
    Ok(answer)
}

fn on_terminal() -> bool {
    io::stdin().is_terminal()
}

/// Opens with one unlock, turning a damaged file into advice.
fn open_with(ctx: &Ctx, unlock: Unlock<'_>) -> Result<Vault, VaultError> {
    Vault::open(&ctx.path, unlock)
}

fn damaged(ctx: &Ctx, e: VaultError, unlock: Option<Unlock<'_>>) -> anyhow::Error {
    let backups = Vault::backups(&ctx.path);
    let good = unlock.and_then(|u| Vault::newest_good_backup(&ctx.path, u));
    let advice = match (good, backups.first()) {
        (Some(b), _) => format!(
            "the newest backup that opens is {}: check it with `tessera --vault {} list`, then copy it over {}",
            shown(&b),
            shown(&b),
            shown(&ctx.path)
        ),
        (None, Some(b)) => format!(
            "backups are kept next to it (newest: {}); check one with `tessera --vault BACKUP list`, then copy it over {}",
            shown(b),
            shown(&ctx.path)
        ),
        (None, None) => String::from("no backup was found next to it"),
    };
    anyhow!("{} cannot be opened: {e}; {advice}", shown(&ctx.path))
}

/// Opens and unlocks the existing vault, or fails saying how to unlock it.
fn open(ctx: &Ctx) -> Result<Vault> {
    let info = match Vault::inspect(&ctx.path) {
        Ok(info) => info,
        Err(VaultError::NotFound(_)) => bail!(
            "no vault at {}: add an account with `tessera add` or create it with `tessera init`",
            shown(&ctx.path)
        ),
        Err(e) if e.is_damage() => return Err(damaged(ctx, e, None)),
        Err(e) => return Err(e.into()),
    };
    let has = |k: SlotKind| info.slots.contains(&k);
    if ctx.password_stdin {
        let text = ctx.stdin_password(0, "the vault password or recovery key")?;
        return open_with_text(ctx, &text, has(SlotKind::Password));
    }
    let mut reasons = Vec::new();
    if has(SlotKind::Keyring) {
        match open_with(ctx, Unlock::Keyring(&ctx.keyring)) {
            Ok(v) => return Ok(v),
            Err(e) if e.is_damage() => {
                return Err(damaged(ctx, e, Some(Unlock::Keyring(&ctx.keyring))));
            }
            Err(e) => reasons.push(format!("the keyring did not unlock it ({e})")),
        }
    } else {
        reasons.push(String::from("it has no keyring slot"));
    }
    if on_terminal() {
        let question = if has(SlotKind::Password) {
            format!("Password (or recovery key) for {}: ", shown(&ctx.path))
        } else {
            format!("Recovery key for {}: ", shown(&ctx.path))
        };
        let text = prompt(&question)?;
        return open_with_text(ctx, &text, has(SlotKind::Password));
    }
    bail!(
        "cannot unlock the vault at {}: {}, and there is no terminal to ask for the password. \
         Pass the password (or the recovery key) on standard input with --password-stdin, \
         e.g. printf '%s\\n' \"$PASSWORD\" | tessera --password-stdin COMMAND",
        shown(&ctx.path),
        reasons.join("; "),
    )
}

/// Unlocks with a typed text: the password, or a recovery key.
fn open_with_text(ctx: &Ctx, text: &str, has_password: bool) -> Result<Vault> {
    let recovery_shaped = looks_like_recovery_key(text);
    let mut attempts: Vec<Unlock<'_>> = Vec::new();
    if has_password {
        attempts.push(Unlock::Password(text));
    }
    if recovery_shaped || !has_password {
        attempts.push(Unlock::Recovery(text));
    }
    let mut last = None;
    for unlock in attempts {
        match open_with(ctx, unlock) {
            Ok(mut v) => {
                upgrade_kdf(&mut v, unlock);
                return Ok(v);
            }
            Err(e) if e.is_damage() => return Err(damaged(ctx, e, Some(unlock))),
            Err(e) => {
                // Keep the password's verdict when both were tried.
                if last.is_none() {
                    last = Some(e);
                }
            }
        }
    }
    let e = last.unwrap_or(VaultError::WrongPassword);
    Err(match e {
        VaultError::WrongPassword | VaultError::WrongRecoveryKey => {
            anyhow!("{e}: the vault at {} was not changed", shown(&ctx.path))
        }
        VaultError::MalformedRecoveryKey if !has_password => anyhow!(
            "this vault has no password slot and {e}; unlock it with the keyring or its recovery key"
        ),
        other => other.into(),
    })
}

/// After a password unlock, raises Argon2id parameters below the floor
/// (older or imported vaults) to the current policy. Best effort.
fn upgrade_kdf(vault: &mut Vault, unlock: Unlock<'_>) {
    let policy = KdfPolicy::from_env();
    if let Unlock::Password(password) = unlock
        && policy == KdfPolicy::Calibrated
        && vault.password_slot_below_floor()
        && let Err(e) = vault.upgrade_password_slot(password, policy)
    {
        eprintln!("tessera: the password slot could not be upgraded to stronger parameters: {e}");
    }
}

fn new_password(ctx: &Ctx, stdin_line: usize) -> Result<Zeroizing<String>> {
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
    if password.trim().is_empty() {
        bail!("the password is empty");
    }
    Ok(password)
}

fn print_recovery(out: &mut dyn Write, key: &RecoveryKey) -> io::Result<()> {
    writeln!(
        out,
        "Recovery key (shown only this once: write it down and keep it away from this computer):\n\n    {}\n\n\
         It opens the vault if the keyring is lost or the password forgotten \
         (give it where a password is asked, or with --password-stdin).",
        key.expose()
    )
}

/// Creates the vault: keyring + recovery where a keyring answers (plus a
/// password given on stdin), password + recovery otherwise.
fn create(ctx: &Ctx, no_keyring: bool, out: &mut dyn Write) -> Result<Vault> {
    let policy = KdfPolicy::from_env();
    let given = if ctx.password_stdin {
        Some(new_password(ctx, 0)?)
    } else {
        None
    };
    let mut why_not = String::from("--no-keyring was given");
    if !no_keyring {
        let attempt = ctx.keyring.available().and_then(|()| {
            Vault::create(
                &ctx.path,
                NewVault {
                    keyring: Some(&ctx.keyring),
                    password: given.as_deref().map(|s| s.as_str()),
                    recovery: true,
                    policy,
                },
            )
        });
        match attempt {
            Ok((vault, key)) => {
                report_created(out, &vault, key.as_ref())?;
                return Ok(vault);
            }
            Err(e @ (VaultError::Keyring(_) | VaultError::KeyringTimeout(_))) => {
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
            shown(&ctx.path)
        ),
    };
    let (vault, key) = Vault::create(
        &ctx.path,
        NewVault {
            keyring: None,
            password: Some(&password),
            recovery: true,
            policy,
        },
    )?;
    report_created(out, &vault, key.as_ref())?;
    Ok(vault)
}

fn slot_names(vault: &Vault) -> String {
    vault
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

fn report_created(out: &mut dyn Write, vault: &Vault, key: Option<&RecoveryKey>) -> Result<()> {
    writeln!(
        out,
        "Created the vault {} (opens with {}).",
        shown(vault.path()),
        slot_names(vault)
    )?;
    if let Some(key) = key {
        print_recovery(out, key)?;
    }
    Ok(())
}

/// Opens the vault, creating it first when there is none.
fn open_or_create(ctx: &Ctx) -> Result<Vault> {
    if ctx.path.exists() {
        open(ctx)
    } else {
        // The creation notice (and recovery key) goes to the terminal,
        // keeping standard output for the command's own result.
        create(ctx, false, &mut io::stderr().lock())
    }
}

/// Runs a vault command.
pub fn run(command: VaultCommand, global: &GlobalArgs) -> Result<ExitCode> {
    let ctx = Ctx::new(global)?;
    let mut out = io::stdout().lock();
    match command {
        VaultCommand::Init { no_keyring } => {
            if ctx.path.exists() {
                bail!(
                    "a vault already exists at {}; it was left as it is",
                    shown(&ctx.path)
                );
            }
            create(&ctx, no_keyring, &mut out)?;
        }
        VaultCommand::Add(args) => return add(&ctx, &args, &mut out),
        VaultCommand::Import(args) => {
            return super::import::import(
                &args,
                ctx.password_stdin,
                &mut || open_or_create(&ctx),
                &mut out,
            );
        }
        VaultCommand::Export(args) => return super::backup::export(&args, &open(&ctx)?, &mut out),
        VaultCommand::List { json } => list(&open(&ctx)?, json, &mut out)?,
        VaultCommand::Remove { query, yes } => {
            let mut vault = open(&ctx)?;
            let entry = find_one(&vault, &query)?.clone();
            if !yes {
                if !on_terminal() {
                    bail!(
                        "add --yes to remove {} without a terminal to confirm",
                        label(&entry)
                    );
                }
                eprint!("Remove {} [{}]? [y/N] ", label(&entry), entry.id);
                let mut answer = String::new();
                io::stdin().read_line(&mut answer)?;
                if !matches!(answer.trim(), "y" | "Y" | "yes" | "YES" | "Yes") {
                    writeln!(out, "Nothing was removed.")?;
                    return Ok(ExitCode::FAILURE);
                }
            }
            vault.remove(&entry.id)?;
            writeln!(out, "Removed {} [{}].", label(&entry), entry.id)?;
        }
        VaultCommand::Rename {
            query,
            issuer,
            account,
        } => {
            if issuer.is_none() && account.is_none() {
                bail!("give --issuer and/or --account");
            }
            let mut vault = open(&ctx)?;
            let entry = find_one(&vault, &query)?.clone();
            let issuer = issuer.map(|i| Some(i.trim().to_string()).filter(|i| !i.is_empty()));
            vault.rename(&entry.id, issuer, account, now())?;
            let renamed = vault
                .entry(&entry.id)
                .map(label)
                .unwrap_or_else(|| label(&entry));
            writeln!(
                out,
                "Renamed {} to {renamed} [{}].",
                label(&entry),
                entry.id
            )?;
        }
        VaultCommand::Passwd => passwd(&ctx, &mut out)?,
        VaultCommand::Keyring { action } => {
            let mut vault = open(&ctx)?;
            match action {
                KeyringAction::Enable => {
                    vault.enable_keyring(&ctx.keyring)?;
                    writeln!(
                        out,
                        "The OS keyring now unlocks {} (opens with {}).",
                        shown(vault.path()),
                        slot_names(&vault)
                    )?;
                }
                KeyringAction::Disable => {
                    if !vault.has_slot(SlotKind::Keyring) {
                        writeln!(out, "The vault has no keyring slot; nothing to do.")?;
                    } else {
                        let cleanup = vault.disable_keyring(&ctx.keyring)?;
                        writeln!(
                            out,
                            "The OS keyring no longer unlocks {} (opens with {}).",
                            shown(vault.path()),
                            slot_names(&vault)
                        )?;
                        if let Some(e) = cleanup {
                            eprintln!(
                                "tessera: the key could not be deleted from the keyring ({e}); it no longer opens the vault"
                            );
                        }
                    }
                }
            }
        }
        VaultCommand::Recovery => {
            let mut vault = open(&ctx)?;
            let key = vault.renew_recovery()?;
            writeln!(out, "The previous recovery key no longer opens this vault.")?;
            print_recovery(&mut out, &key)?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn passwd(ctx: &Ctx, out: &mut dyn Write) -> Result<()> {
    // With --password-stdin: current password (or recovery key), then the
    // new one. A vault with no password slot may give only the new one and
    // be unlocked by the keyring.
    let info = Vault::inspect(&ctx.path).map_err(|e| match e {
        VaultError::NotFound(_) => anyhow!(
            "no vault at {}: create it with `tessera init`",
            shown(&ctx.path)
        ),
        e => e.into(),
    })?;
    let mut vault;
    let new_line;
    if ctx.password_stdin
        && !info.slots.contains(&SlotKind::Password)
        && ctx.stdin_line(1)?.is_none()
    {
        vault = Vault::open(&ctx.path, Unlock::Keyring(&ctx.keyring)).map_err(|e| {
            anyhow!(
                "the keyring did not unlock the vault ({e}); give the recovery key on the first line and the new password on the second"
            )
        })?;
        new_line = 0;
    } else {
        vault = open(ctx)?;
        new_line = 1;
    }
    let password = new_password(ctx, new_line)?;
    let store: &dyn KeyStore = &ctx.keyring;
    let result = vault.change_password(&password, Some(store), KdfPolicy::from_env())?;
    writeln!(
        out,
        "The password was changed and the data key rotated (opens with {}).",
        slot_names(&vault)
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
    Ok(())
}

fn label(entry: &Entry) -> String {
    entry.account.display_label()
}

/// The one account matching `query`, or an error listing the matches.
fn find_one<'v>(vault: &'v Vault, query: &str) -> Result<&'v Entry> {
    let found = vault.find(query);
    match found.as_slice() {
        [one] => Ok(one),
        [] => bail!("no account matches '{query}' (see `tessera list`)"),
        many => {
            let lines: Vec<String> = many
                .iter()
                .map(|e| format!("  {}  {}", e.id, label(e)))
                .collect();
            bail!(
                "'{query}' matches {} accounts; be more specific or give the id:\n{}",
                many.len(),
                lines.join("\n")
            )
        }
    }
}

/// `tessera code QUERY`: the code of a vault account. HOTP: the counter is
/// advanced and saved before the code is printed.
pub fn code(global: &GlobalArgs, query: &str, at: Option<u64>, next: bool) -> Result<ExitCode> {
    let ctx = Ctx::new(global)?;
    let mut vault = open(&ctx)?;
    let entry = find_one(&vault, query)?.clone();
    let at = at.unwrap_or_else(now);
    let code = match entry.account.kind {
        OtpKind::Totp { .. } => {
            if next {
                entry
                    .account
                    .next_code(at)
                    .ok_or_else(|| anyhow!("there is no next code: the time is at its maximum"))?
            } else {
                entry.account.code_at(at)
            }
        }
        OtpKind::Hotp { .. } => vault
            .use_hotp(&entry.id, u64::from(next), now())?
            .code_at(at),
    };
    let mut out = io::stdout().lock();
    writeln!(out, "{code}")?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

fn add(ctx: &Ctx, args: &AddArgs, out: &mut dyn Write) -> Result<ExitCode> {
    let reads_stdin = args.uri.as_deref() == Some("-") || args.secret.as_deref() == Some("-");
    if reads_stdin && ctx.password_stdin {
        bail!("--password-stdin and a - argument cannot both read standard input");
    }
    let account = if let Some(link) = &args.uri {
        let text = if link == "-" {
            read_stdin_line("link")?
        } else {
            Zeroizing::new(link.clone())
        };
        account_from_link(&text)?
    } else if let Some(key) = &args.secret {
        let text = if key == "-" {
            read_stdin_line("key")?
        } else {
            Zeroizing::new(key.clone())
        };
        let mut account = account_from_key(&text, &args.key)?;
        account.issuer = args
            .issuer
            .as_deref()
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .map(String::from);
        account.name = args.account.clone().unwrap_or_default();
        account
    } else {
        bail!("give --uri or --secret");
    };
    let mut vault = open_or_create(ctx)?;
    let shown_label = account.display_label();
    let result = vault.add(vec![account], now())?;
    match result.first() {
        Some(Added::New(id)) => writeln!(out, "Added {shown_label} [{id}].")?,
        Some(Added::Duplicate { existing }) => {
            let other = vault.entry(existing).map(label).unwrap_or_default();
            writeln!(
                out,
                "Not added: {shown_label} is already in the vault as {other} [{existing}] (same key, type and parameters)."
            )?;
        }
        None => {}
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct ListJson<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    issuer: Option<&'a str>,
    account: &'a str,
    algorithm: &'static str,
    digits: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counter: Option<u64>,
}

fn list(vault: &Vault, json: bool, out: &mut dyn Write) -> Result<()> {
    if json {
        let doc: Vec<ListJson<'_>> = vault
            .entries()
            .iter()
            .map(|e| {
                let a = &e.account;
                let (period, counter) = match a.kind {
                    OtpKind::Totp { period } => (Some(period.get()), None),
                    OtpKind::Hotp { counter } => (None, Some(counter)),
                };
                ListJson {
                    id: &e.id,
                    kind: a.kind.type_name(),
                    issuer: a.issuer.as_deref(),
                    account: &a.name,
                    algorithm: a.algorithm.as_str(),
                    digits: a.digits.get(),
                    period,
                    counter,
                }
            })
            .collect();
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        writeln!(out)?;
        return Ok(());
    }
    let entries = vault.entries();
    let n = entries.len();
    writeln!(
        out,
        "{}: {n} account{}",
        shown(vault.path()),
        if n == 1 { "" } else { "s" }
    )?;
    if n == 0 {
        return Ok(());
    }
    let issuer_w = entries
        .iter()
        .map(|e| e.account.issuer.as_deref().unwrap_or("-").chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let name_w = entries
        .iter()
        .map(|e| e.account.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    writeln!(
        out,
        "  {:16}  {:issuer_w$}  {:name_w$}  TYPE",
        "ID", "ISSUER", "ACCOUNT"
    )?;
    for e in entries {
        let a = &e.account;
        let detail = match a.kind {
            OtpKind::Totp { period } => format!("TOTP {} s", period.get()),
            OtpKind::Hotp { counter } => format!("HOTP counter {counter}"),
        };
        writeln!(
            out,
            "  {:16}  {:issuer_w$}  {:name_w$}  {detail}, {} digits, {}",
            e.id,
            a.issuer.as_deref().unwrap_or("-"),
            a.name,
            a.digits.get(),
            a.algorithm
        )?;
    }
    Ok(())
}
