//! App preferences, stored as JSON in the platform config directory.
//!
//! Forgiving on read: a missing, damaged or older file, or one unknown
//! field, gives the defaults for what cannot be read, never an error that
//! keeps the app from starting. Saved atomically and durably
//! ([`crate::fs::write_private_atomic`]).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Deserializer, Serialize};

/// Colour scheme of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeChoice {
    /// Follow the desktop's light or dark preference.
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    pub const ALL: [ThemeChoice; 3] = [ThemeChoice::System, ThemeChoice::Light, ThemeChoice::Dark];
}

impl std::fmt::Display for ThemeChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::System => "Follow the system",
            Self::Light => "Light",
            Self::Dark => "Dark",
        })
    }
}

/// Language of the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Language {
    /// From the environment (LANGUAGE, LC_ALL, LC_MESSAGES, LANG), else the
    /// operating system's language (`sys-locale`: Windows, macOS).
    #[default]
    #[serde(rename = "system")]
    System,
    #[serde(rename = "en")]
    English,
    #[serde(rename = "zh-CN")]
    SimplifiedChinese,
}

impl Language {
    pub const ALL: [Language; 3] = [
        Language::System,
        Language::English,
        Language::SimplifiedChinese,
    ];

    /// The catalog locale to use: `en` or `zh-CN`. `env` reads a variable;
    /// when none is set, the OS language decides (`sys_locale::get_locale`).
    pub fn locale(self, env: impl Fn(&str) -> Option<String>) -> &'static str {
        self.locale_with(env, sys_locale::get_locale)
    }

    /// [`Language::locale`] with the OS language as a parameter (BCP 47 such
    /// as `zh-CN`, or a POSIX name such as `zh_CN.UTF-8`).
    pub fn locale_with(
        self,
        env: impl Fn(&str) -> Option<String>,
        os: impl FnOnce() -> Option<String>,
    ) -> &'static str {
        match self {
            Self::English => "en",
            Self::SimplifiedChinese => "zh-CN",
            Self::System => {
                let wanted = ["LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"]
                    .iter()
                    .filter_map(|v| env(v))
                    .find(|v| !v.is_empty())
                    .or_else(os)
                    .unwrap_or_default();
                if wanted.to_ascii_lowercase().starts_with("zh") {
                    "zh-CN"
                } else {
                    "en"
                }
            }
        }
    }
}

/// The app's preferences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    #[serde(deserialize_with = "or_default")]
    pub theme: ThemeChoice,
    /// Seconds before a copied code is cleared from the clipboard (if it is
    /// still there); 0 = never.
    #[serde(deserialize_with = "or_default")]
    pub clipboard_clear_secs: u64,
    /// Minutes without use before the vault locks itself; 0 = never.
    #[serde(deserialize_with = "or_default")]
    pub auto_lock_mins: u64,
    /// Show codes only after a click.
    #[serde(deserialize_with = "or_default")]
    pub hide_codes: bool,
    #[serde(deserialize_with = "or_default")]
    pub language: Language,
    /// Closing the window leaves Tessera running in the tray (when a tray
    /// host is there).
    #[serde(deserialize_with = "or_default")]
    pub keep_in_tray: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            theme: ThemeChoice::System,
            clipboard_clear_secs: 30,
            auto_lock_mins: 5,
            hide_codes: false,
            language: Language::System,
            keep_in_tray: false,
        }
    }
}

fn or_default<'de, D: Deserializer<'de>, T: Deserialize<'de> + Default>(
    d: D,
) -> Result<T, D::Error> {
    Ok(T::deserialize(serde_json::Value::deserialize(d)?).unwrap_or_default())
}

/// Where the settings live (see [`crate::paths::settings_path`]).
pub fn default_path() -> Option<PathBuf> {
    crate::paths::settings_path()
}

impl Settings {
    /// Reads the settings; defaults for anything missing or unreadable.
    pub fn load(path: &Path) -> Self {
        std::fs::read(path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Writes the settings atomically and durably (see [`crate::fs`]).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            crate::fs::create_private_dir_all(dir)?;
        }
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        crate::fs::write_private_atomic(path, &json)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forgiving_reads_and_round_trip() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("config");
        let path = dir.join("settings.json");
        assert_eq!(Settings::load(&path), Settings::default());
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            &path,
            br#"{"theme": "purple", "auto_lock_mins": 2, "future": 1}"#,
        )
        .unwrap();
        let s = Settings::load(&path);
        assert_eq!(
            (s.theme, s.auto_lock_mins, s.clipboard_clear_secs),
            (ThemeChoice::System, 2, 30)
        );
        std::fs::write(&path, b"not json").unwrap();
        assert_eq!(Settings::load(&path), Settings::default());
        let custom = Settings {
            theme: ThemeChoice::Dark,
            clipboard_clear_secs: 10,
            auto_lock_mins: 0,
            hide_codes: true,
            language: Language::SimplifiedChinese,
            keep_in_tray: true,
        };
        custom.save(&path).unwrap();
        assert_eq!(Settings::load(&path), custom);
    }

    #[test]
    fn system_language_from_the_environment() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| v.to_string())
            }
        };
        assert_eq!(
            Language::System.locale(env(&[("LANG", "zh_CN.UTF-8")])),
            "zh-CN"
        );
        assert_eq!(
            Language::System.locale(env(&[("LANGUAGE", ""), ("LANG", "de_DE.UTF-8")])),
            "en"
        );
        assert_eq!(Language::English.locale(env(&[("LANG", "zh_TW")])), "en");
        let none = || None;
        assert_eq!(Language::System.locale_with(env(&[]), none), "en");
    }

    #[test]
    fn system_language_from_the_os_when_the_environment_says_nothing() {
        let env = |_: &str| None;
        let os = |tag: &'static str| move || Some(tag.to_string());
        // Windows and macOS give BCP 47 tags.
        assert_eq!(Language::System.locale_with(env, os("zh-CN")), "zh-CN");
        assert_eq!(Language::System.locale_with(env, os("zh-Hans-CN")), "zh-CN");
        assert_eq!(Language::System.locale_with(env, os("de-DE")), "en");
        // The environment wins over the OS.
        let lang = |k: &str| (k == "LANG").then(|| String::from("en_US.UTF-8"));
        assert_eq!(Language::System.locale_with(lang, os("zh-CN")), "en");
        // An explicit choice ignores both.
        assert_eq!(Language::English.locale_with(env, os("zh-CN")), "en");
    }
}
