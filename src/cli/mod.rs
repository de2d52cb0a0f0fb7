//! The command-line front end: clap subcommands over the core.

use std::io;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use access::Ctx;

mod access;
mod accounts;
mod backups;
mod clock;
mod code;
mod completions;
mod export;
mod import;
mod json;
mod key_input;
pub mod logging;
mod progress;
mod scan;
mod slots;
mod sync;
mod words;

pub use code::CodeArgs;
pub use scan::ScanArgs;

const EXAMPLES: &str = "\
Examples:
  tessera                                   open the app
  tessera 'otpauth://totp/ACME:me?secret=…'    add a link's account in the app (after a check)
  tessera scan screenshot.png               list the accounts in a QR image, with codes
  tessera scan --json export-1.png export-2.png
  tessera scan 'otpauth://totp/ACME:me@example.com?secret=JBSWY3DPEHPK3PXP'
  xclip -o -selection clipboard | tessera scan -
  tessera code --secret -                         the key at a hidden prompt (not in `ps`)
  tessera code --secret - < key.txt               the key from a file
  tessera add --secret - --issuer ACME --account me   add a key typed at the prompt
  xclip -o -selection clipboard | tessera add --uri -   add the link on the clipboard
  tessera add --secret - --issuer Steam --account me --type steam   a Steam Guard key (5 characters)
  tessera code --at 1111111109 --secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ --digits 8
                                                  (a test vector: a real key given as an
                                                  argument is visible in the process list)
  tessera import screenshot.png export.txt     add the accounts of QR images and link files
  tessera import aegis-export.json --backup-password-file pw.txt   import another app's backup
  tessera export --format aegis-encrypted --output aegis.json       back up for Aegis / GNOME Authenticator
  tessera list --json
  tessera code github                             code of a vault account (part of its name)
  printf '%s\\n' \"$PW\" | tessera --password-stdin list   unlock with a password from stdin";

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
        tessera::paths::vault_path(self.vault.as_deref())
    }
}

/// Tessera: a desktop authenticator (TOTP/HOTP). With no command it opens
/// the app; the commands below work without a display.
#[derive(Debug, Parser)]
#[command(name = "tessera", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// An otpauth:// or otpauth-migration:// link, as a browser passes it:
    /// the app shows the add checklist with its accounts (handed to the
    /// running window if there is one); nothing is saved until confirmed.
    #[arg(value_name = "LINK")]
    pub link: Option<String>,
    #[command(flatten)]
    pub global: GlobalArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read accounts from QR images, text files of otpauth links, links or
    /// stdin, and show them with their codes. Changes nothing on disk.
    #[command(after_help = "\
Each SOURCE is an image file (PNG, JPEG, GIF, BMP, WebP; the format is read from the
bytes), a text file of otpauth:// lines, a literal otpauth:// or otpauth-migration://
link, or - for standard input.

Exit status: 0 when every source gave at least one account and no error, 1 otherwise,
2 for a usage error.")]
    Scan(ScanArgs),
    /// Print the current (or next) code of a vault account, a key or an
    /// otpauth:// link.
    Code(CodeArgs),
    /// Create the vault: a keyring slot and a recovery key where a keyring
    /// answers; a password otherwise (or with --no-keyring).
    Init {
        /// Do not use the OS keyring: the vault opens with a password.
        #[arg(long)]
        no_keyring: bool,
    },
    /// Add one account to the vault (creating the vault on first use).
    Add(accounts::AddArgs),
    /// Add the accounts of other apps' backups and exports (Aegis, 2FAS,
    /// andOTP, Bitwarden, FreeOTP+, Ente Auth, ...), Google Authenticator
    /// export QR images, text files of links, links or stdin. Reports each
    /// entry: added, already in the vault, or refused with the reason.
    Import(import::ImportArgs),
    /// Write every account to a backup or export file for another app.
    Export(export::ExportArgs),
    /// Merge the copies that sync tools (Syncthing, Nextcloud, Dropbox,
    /// OneDrive, Google Drive) left next to the vault when two computers
    /// changed it at once, and move each aside (`.merged`).
    #[command(after_help = "\
Copies of another vault are left alone and reported. A copy whose key was changed on
another computer needs its password or recovery key: asked on the terminal, or line 2
of standard input with --password-stdin. Commands that change the vault (add, import,
remove, rename, an HOTP code) merge first; list and TOTP codes only mention the copies.

Exit status: 0 when every copy was merged or there was nothing to do, 1 when a copy
could not be opened or read.")]
    Sync,
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
        action: slots::KeyringAction,
    },
    /// Replace the recovery key with a new one, shown once. This rotates
    /// the data key: the old key opens no later version of the vault.
    Recovery,
    /// List the backups kept next to the vault: date, accounts and whether
    /// the credential given (--password-stdin, a prompt, or the keyring)
    /// opens each.
    Backups,
    /// Put a backup in place of the vault (the current file is kept as a
    /// backup first). The backup must open with the credential given.
    Restore {
        /// The backup file (see `tessera backups`).
        #[arg(value_name = "BACKUP")]
        backup: PathBuf,
    },
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    ///
    /// The Debian package installs those of bash, zsh and fish. Otherwise
    /// save it, e.g. bash: ~/.local/share/bash-completion/completions/tessera,
    /// zsh: _tessera in a directory of $fpath, fish:
    /// ~/.config/fish/completions/tessera.fish.
    Completions {
        #[arg(value_enum, value_name = "SHELL")]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), as installed by the package: tessera man | man -l -
    #[command(hide = true)]
    Man,
}

/// Runs a parsed command and returns the process exit code.
pub fn run(command: Command, global: &GlobalArgs) -> ExitCode {
    let result = match command {
        Command::Scan(args) => scan::run(args),
        Command::Completions { shell } => {
            completions::completions(shell, &mut io::stdout().lock()).map(|()| ExitCode::SUCCESS)
        }
        Command::Man => completions::man(&mut io::stdout().lock()).map(|()| ExitCode::SUCCESS),
        command => run_vault(
            command,
            &Ctx::new(global.vault_path(), global.password_stdin),
        ),
    };
    match result {
        Ok(code) => code,
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tessera: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The commands that reach the vault (or compute a code).
fn run_vault(command: Command, ctx: &Ctx) -> anyhow::Result<ExitCode> {
    let mut out = io::stdout().lock();
    let code = match command {
        Command::Scan(args) => scan::run(args)?,
        Command::Code(args) => code::run(args, ctx, &mut out)?,
        Command::Init { no_keyring } => slots::init(ctx, no_keyring, &mut out)?,
        Command::Add(args) => accounts::add(ctx, &args, &mut out)?,
        Command::Import(args) => import::import(
            &args,
            ctx.password_stdin,
            &mut || sync::open_or_create(ctx),
            &mut out,
        )?,
        Command::Export(args) => export::export(&args, &access::open(ctx)?, &mut out)?,
        Command::List { json } => accounts::list(ctx, json, &mut out)?,
        Command::Remove { query, yes } => accounts::remove(ctx, &query, yes, &mut out)?,
        Command::Rename {
            query,
            issuer,
            account,
        } => accounts::rename(ctx, &query, issuer, account, &mut out)?,
        Command::Passwd => slots::passwd(ctx, &mut out)?,
        Command::Keyring { action } => slots::keyring(ctx, action, &mut out)?,
        Command::Recovery => slots::recovery(ctx, &mut out)?,
        Command::Backups => backups::list(ctx, &mut out)?,
        Command::Sync => sync::sync(ctx, &mut out)?,
        Command::Restore { backup } => backups::restore(ctx, &backup, &mut out)?,
        Command::Completions { shell } => {
            completions::completions(shell, &mut out)?;
            ExitCode::SUCCESS
        }
        Command::Man => {
            completions::man(&mut out)?;
            ExitCode::SUCCESS
        }
    };
    io::Write::flush(&mut out)?;
    Ok(code)
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}
