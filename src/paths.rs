//! Where Tessera keeps its files.

use std::path::PathBuf;

/// File name of the vault inside the data directory.
pub const VAULT_FILE_NAME: &str = "vault.tessera";

/// The default vault path: the platform's local data directory
/// (`~/.local/share/tessera/vault.tessera` on Linux,
/// `~/Library/Application Support/io.github.tessera.Tessera/` on macOS,
/// `%LOCALAPPDATA%\tessera\Tessera\data\` on Windows). `None` when the
/// platform reports no home directory.
pub fn default_vault_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("io.github", "tessera", "Tessera")
        .map(|dirs| dirs.data_local_dir().join(VAULT_FILE_NAME))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_path_ends_with_the_file_name() {
        if let Some(path) = default_vault_path() {
            assert!(path.ends_with(VAULT_FILE_NAME));
        }
    }
}
