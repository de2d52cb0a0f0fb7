//! Where Tessera keeps its files, with every override in one place:
//! the app id, the platform project folders, the vault path
//! (`--vault` > `TESSERA_VAULT` > default) and the settings path
//! (`TESSERA_CONFIG` > default).

use std::path::{Path, PathBuf};

/// Reverse-DNS application id: window, desktop file, icon, keyring service.
pub const APP_ID: &str = "io.github.tessera.Tessera";

/// File name of the vault inside the data directory.
pub const VAULT_FILE_NAME: &str = "vault.tessera";

/// File name of the settings inside the config directory.
pub const SETTINGS_FILE_NAME: &str = "settings.json";

/// Environment variable naming the vault file.
pub const VAULT_ENV: &str = "TESSERA_VAULT";

/// Environment variable naming the settings file.
pub const CONFIG_ENV: &str = "TESSERA_CONFIG";

/// The platform folders of the app; `None` without a home directory.
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("io.github", "tessera", "Tessera")
}

/// The default vault path: the platform's local data directory
/// (`~/.local/share/tessera/vault.tessera` on Linux,
/// `~/Library/Application Support/io.github.tessera.Tessera/` on macOS,
/// `%LOCALAPPDATA%\tessera\Tessera\data\` on Windows). `None` when the
/// platform reports no home directory.
pub fn default_vault_path() -> Option<PathBuf> {
    project_dirs().map(|dirs| dirs.data_local_dir().join(VAULT_FILE_NAME))
}

/// The vault path: `flag` (`--vault`), else `TESSERA_VAULT`, else the
/// platform default; `None` without a home directory.
pub fn vault_path(flag: Option<&Path>) -> Option<PathBuf> {
    vault_path_from(flag, std::env::var_os(VAULT_ENV))
}

fn vault_path_from(flag: Option<&Path>, env: Option<std::ffi::OsString>) -> Option<PathBuf> {
    match flag {
        Some(p) => Some(p.to_path_buf()),
        None => match env.filter(|v| !v.is_empty()) {
            Some(p) => Some(PathBuf::from(p)),
            None => default_vault_path(),
        },
    }
}

/// Where the settings live: `TESSERA_CONFIG` (a file), else the platform
/// config directory (`~/.config/tessera/settings.json` on Linux).
pub fn settings_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(p));
    }
    project_dirs().map(|d| d.config_dir().join(SETTINGS_FILE_NAME))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The XDG Base Directory rule, written out here: `$XDG_DATA_HOME`
    /// when it is an absolute path, else `$HOME/.local/share`.
    #[cfg(target_os = "linux")]
    #[test]
    fn default_path_is_in_the_xdg_data_folder() {
        let data = std::env::var_os("XDG_DATA_HOME")
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")));
        assert_eq!(
            default_vault_path(),
            data.map(|d| d.join("tessera/vault.tessera"))
        );
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        let flag = Path::new("/flag/v.tessera");
        let env = Some(std::ffi::OsString::from("/env/v.tessera"));
        assert_eq!(vault_path_from(Some(flag), env.clone()), Some(flag.into()));
        assert_eq!(
            vault_path_from(None, env),
            Some(PathBuf::from("/env/v.tessera"))
        );
        assert_eq!(
            vault_path_from(None, Some(std::ffi::OsString::new())),
            default_vault_path()
        );
    }
}
