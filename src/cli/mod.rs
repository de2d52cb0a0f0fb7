//! The command-line front end: clap subcommands over the core.

use std::io;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod backup;
mod code;
mod import;
mod scan;
mod vault;

pub use code::CodeArgs;
pub use scan::ScanArgs;
pub use vault::GlobalArgs;

const EXAMPLES: &str = "\
Examples:
  tessera                                   open the app
  tessera scan screenshot.png               list the accounts in a QR image, with codes
  tessera scan --json export-1.png export-2.png
  tessera scan 'otpauth://totp/ACME:me@example.com?secret=JBSWY3DPEHPK3PXP'
  xclip -o -selection clipboard | tessera scan -
  tessera code --secret 'jbsw y3dp ehpk 3pxp'      current code of a key
  tessera code --next --uri 'otpauth://totp/ACME:me?secret=JBSWY3DPEHPK3PXP'
  tessera code --secret - < key.txt               read the key from stdin (not the process list)
  tessera code --at 1111111109 --secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ --digits 8
  tessera add --uri 'otpauth://totp/ACME:me@example.com?secret=JBSWY3DPEHPK3PXP'
  tessera import screenshot.png export.txt     add the accounts of QR images and link files
  tessera import aegis-export.json --backup-password-file pw.txt   import another app's backup
  tessera export --format aegis-encrypted --output aegis.json       back up for Aegis / GNOME Authenticator
  tessera list --json
  tessera code github                             code of a vault account (part of its name)
  printf '%s\\n' \"$PW\" | tessera --password-stdin list   unlock with a password from stdin";

/// Tessera: a desktop authenticator (TOTP/HOTP). With no command it opens
/// the app; the commands below work without a display.
#[derive(Debug, Parser)]
#[command(name = "tessera", version, about, after_help = EXAMPLES)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
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
    #[command(flatten)]
    Vault(vault::VaultCommand),
}

/// Runs a parsed command and returns the process exit code.
pub fn run(command: Command, global: &GlobalArgs) -> ExitCode {
    let result = match command {
        Command::Scan(args) => scan::run(args),
        Command::Code(args) => code::run(args, global),
        Command::Vault(command) => vault::run(command, global),
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

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.downcast_ref::<io::Error>()
        .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

/// The clock, read only by the front end.
pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}
