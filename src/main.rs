//! The `tessera` binary: the app with no command, the CLI with one.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    // No core file of a process that may hold an unlocked vault.
    tessera::hardening::disable_core_dumps();
    cli::logging::init();
    let parsed = match cli::Cli::try_parse() {
        Ok(parsed) => parsed,
        // Usage errors exit with 2; --help and --version with 0.
        Err(e) => e.exit(),
    };
    match parsed.command {
        Some(command) => cli::run(command, &parsed.global),
        None => open_app(&parsed.global, parsed.link.map(zeroize::Zeroizing::new)),
    }
}

/// Whether `link` is one link the app can be handed (the scheme rules are
/// the core's; the input is never quoted back: it may hold a key).
fn is_link(link: &str) -> bool {
    (tessera::uri::is_otpauth(link) || tessera::migration::is_migration(link))
        && !link.chars().any(char::is_control)
}

#[cfg(feature = "gui")]
fn open_app(global: &cli::GlobalArgs, link: Option<zeroize::Zeroizing<String>>) -> ExitCode {
    if link.as_deref().is_some_and(|l| !is_link(l)) {
        eprintln!(
            "tessera: LINK must be one otpauth:// or otpauth-migration:// link; the commands are listed by tessera --help"
        );
        return ExitCode::from(2);
    }
    if let Err(reason) = tessera::gui::display_available() {
        eprintln!(
            "tessera: {reason}; the command-line interface works without one (tessera --help)"
        );
        return ExitCode::FAILURE;
    }
    let Some(vault) = global.vault_path() else {
        eprintln!("tessera: no home directory to keep the vault in; give one with --vault PATH");
        return ExitCode::FAILURE;
    };
    let had_link = link.is_some();
    match tessera::gui::run(vault, link) {
        Ok(tessera::gui::Ran::Closed) => ExitCode::SUCCESS,
        Ok(tessera::gui::Ran::Forwarded) if had_link => {
            eprintln!("tessera: already running; the link was handed to its window");
            ExitCode::SUCCESS
        }
        Ok(tessera::gui::Ran::Forwarded) => {
            eprintln!("tessera: already running; its window was brought forward");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("tessera: the window could not be opened: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_app(_: &cli::GlobalArgs, link: Option<zeroize::Zeroizing<String>>) -> ExitCode {
    if link.as_deref().is_some_and(|l| !is_link(l)) {
        eprintln!(
            "tessera: LINK must be one otpauth:// or otpauth-migration:// link; the commands are listed by tessera --help"
        );
        return ExitCode::from(2);
    }
    eprintln!(
        "tessera: this build has no app window (built without the `gui` feature); see tessera --help"
    );
    ExitCode::FAILURE
}
