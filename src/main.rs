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
        None => open_app(&parsed.global),
    }
}

#[cfg(feature = "gui")]
fn open_app(global: &cli::GlobalArgs) -> ExitCode {
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
    match tessera::gui::run(vault) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tessera: the window could not be opened: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_app(_: &cli::GlobalArgs) -> ExitCode {
    eprintln!(
        "tessera: this build has no app window (built without the `gui` feature); see tessera --help"
    );
    ExitCode::FAILURE
}
