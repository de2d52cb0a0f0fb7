//! Diagnostics on stderr for bug reports: off unless `RUST_LOG` is set
//! (`RUST_LOG=debug`, `RUST_LOG=keyring=trace,zbus=debug`, ...). The records
//! come from the dependencies (keyring, zbus, iced, winit: `log`, and
//! `tracing` through its `log` feature); Tessera itself logs no secret and
//! no account name, at any level (tests/logging.rs).

/// Installs the stderr logger when `RUST_LOG` is set and not empty.
pub fn init() {
    if std::env::var_os("RUST_LOG").is_none_or(|v| v.is_empty()) {
        return;
    }
    let installed = env_logger::Builder::from_env(env_logger::Env::new().filter("RUST_LOG"))
        .target(env_logger::Target::Stderr)
        .try_init();
    if installed.is_ok() {
        log::debug!(target: "tessera", "logging to stderr (RUST_LOG)");
    }
}
