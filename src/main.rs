//! The `tessera` binary: the app with no command, the CLI with one.

use std::process::ExitCode;

use clap::Parser;

mod cli;

fn main() -> ExitCode {
    let parsed = match cli::Cli::try_parse() {
        Ok(parsed) => parsed,
        // Usage errors exit with 2; --help and --version with 0.
        Err(e) => e.exit(),
    };
    match parsed.command {
        Some(command) => cli::run(command),
        None => open_app(),
    }
}

#[cfg(feature = "gui")]
fn open_app() -> ExitCode {
    if let Err(reason) = tessera::gui::display_available() {
        eprintln!(
            "tessera: {reason}; the command-line interface works without one (tessera --help)"
        );
        return ExitCode::FAILURE;
    }
    match tessera::gui::run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tessera: the window could not be opened: {e}");
            ExitCode::FAILURE
        }
    }
}

#[cfg(not(feature = "gui"))]
fn open_app() -> ExitCode {
    eprintln!(
        "tessera: this build has no app window (built without the `gui` feature); see tessera --help"
    );
    ExitCode::FAILURE
}
