//! The app's translations, from the catalogs `locales/en.yml` (the
//! fallback) and `locales/zh-CN.yml`, compiled in.
//!
//! A catalog is flat: after `_version: 1` and `#` comments, one entry a
//! line, `key: "text"`, the text a double-quoted string with JSON's
//! escapes (a subset of YAML, so the files stay YAML). `%{name}` in a text
//! is filled from the arguments of [`tr!`](crate::gui) and
//! [`tr_n!`](crate::gui). A text that depends on a count has one entry per
//! plural category of the language, `key.one` and `key.other` in English,
//! only `key.other` in Chinese (CLDR's rules, [`category`]). A key missing
//! in the current language is taken from English; missing there too, the
//! key itself is shown.

use std::collections::HashMap;
use std::fmt::{Display, Write as _};
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The languages with a catalog, the fallback first.
pub const LOCALES: [&str; 2] = ["en", "zh-CN"];

const SOURCES: [&str; 2] = [
    include_str!("../../locales/en.yml"),
    include_str!("../../locales/zh-CN.yml"),
];

/// A parsed catalog: its texts, and the lines it could not read.
#[derive(Debug, Default)]
pub(crate) struct Catalog {
    pub texts: HashMap<String, String>,
    pub bad_lines: Vec<usize>,
}

impl Catalog {
    /// Reads a catalog's text (see the module docs for the format).
    pub fn parse(source: &str) -> Self {
        let mut catalog = Self::default();
        for (index, line) in source.lines().enumerate() {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') || line.starts_with("_version:") {
                continue;
            }
            let entry = line.split_once(": ").and_then(|(key, value)| {
                let key_ok = !key.is_empty()
                    && key.chars().all(|c| {
                        c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'
                    });
                let text = serde_json::from_str::<String>(value).ok()?;
                key_ok.then(|| (key.to_string(), text))
            });
            match entry {
                Some((key, text)) => {
                    catalog.texts.insert(key, text);
                }
                None => catalog.bad_lines.push(index + 1),
            }
        }
        catalog
    }
}

static CATALOGS: LazyLock<Vec<Catalog>> =
    LazyLock::new(|| SOURCES.iter().map(|s| Catalog::parse(s)).collect());

/// The index in [`LOCALES`] of the language in use.
static CURRENT: AtomicUsize = AtomicUsize::new(0);

/// Uses the catalog of `locale` from now on (English for one there is no
/// catalog of).
pub fn set_locale(locale: &str) {
    CURRENT.store(index_of(locale), Ordering::Relaxed);
}

/// The language in use.
pub fn locale() -> &'static str {
    LOCALES[CURRENT.load(Ordering::Relaxed).min(LOCALES.len() - 1)]
}

fn index_of(locale: &str) -> usize {
    LOCALES.iter().position(|l| *l == locale).unwrap_or(0)
}

/// The plural category of the count `n` in `locale` (CLDR: English has
/// `one` for 1 and `other`; Chinese only `other`).
pub fn category(locale: &str, n: u64) -> &'static str {
    match locale {
        "en" if n == 1 => "one",
        _ => "other",
    }
}

/// The text of `key` in `locale` (or English), filled from `args`.
pub fn text_in(locale: &str, key: &str, args: &[(&str, &dyn Display)]) -> String {
    match lookup(index_of(locale), key) {
        Some(text) => fill(text, args),
        None => key.to_string(),
    }
}

/// The text of `key` for the count `n` in `locale`: the entry of `n`'s
/// plural category (`key.one`, `key.other`), `%{n}` and `args` filled.
pub fn count_in(locale: &str, key: &str, n: u64, args: &[(&str, &dyn Display)]) -> String {
    let at = index_of(locale);
    let exact = format!("{key}.{}", category(locale, n));
    let other = format!("{key}.other");
    let text = lookup(at, &exact).or_else(|| lookup(at, &other));
    let mut all: Vec<(&str, &dyn Display)> = vec![("n", &n)];
    all.extend_from_slice(args);
    match text {
        Some(text) => fill(text, &all),
        None => key.to_string(),
    }
}

/// [`text_in`] in the language in use.
pub fn text(key: &str, args: &[(&str, &dyn Display)]) -> String {
    text_in(locale(), key, args)
}

/// [`count_in`] in the language in use.
pub fn count(key: &str, n: u64, args: &[(&str, &dyn Display)]) -> String {
    count_in(locale(), key, n, args)
}

/// A count of any integer type as `u64` (saturating; counts are never
/// negative).
pub fn as_count<N: TryInto<u64>>(n: N) -> u64 {
    n.try_into().unwrap_or(u64::MAX)
}

fn lookup(at: usize, key: &str) -> Option<&'static str> {
    let catalogs = &*CATALOGS;
    catalogs
        .get(at)
        .and_then(|c| c.texts.get(key))
        .or_else(|| catalogs.first().and_then(|c| c.texts.get(key)))
        .map(String::as_str)
}

/// `text` with each `%{name}` replaced by its argument, in one pass (an
/// argument's own text is never searched again); unknown names stay.
fn fill(text: &str, args: &[(&str, &dyn Display)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("%{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find('}') {
            Some(end) => {
                let name = &after[..end];
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => {
                        let _ = write!(out, "{value}");
                    }
                    None => out.push_str(&rest[start..start + 3 + end]),
                }
                rest = &after[end + 1..];
            }
            None => {
                out.push_str(&rest[start..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn every_line_of_both_catalogs_is_read() {
        for (locale, source) in LOCALES.iter().zip(SOURCES) {
            let catalog = Catalog::parse(source);
            assert!(
                catalog.bad_lines.is_empty(),
                "locales/{locale}.yml: unreadable lines {:?}",
                catalog.bad_lines
            );
            assert!(catalog.texts.len() > 100, "{locale}");
        }
    }

    #[test]
    fn parse_reads_escapes_and_refuses_what_is_not_an_entry() {
        let c = Catalog::parse(
            "_version: 1\n# note\na.b: \"say \\\"hi\\\"\\n\"\nBad: \"x\"\nc: unquoted\nd.e: \"ok\"\n",
        );
        assert_eq!(c.texts["a.b"], "say \"hi\"\n");
        assert_eq!(c.texts["d.e"], "ok");
        assert_eq!(c.bad_lines, vec![4, 5]);
    }

    #[test]
    fn arguments_fill_once_and_unknown_names_stay() {
        let label = "%{n} evil";
        assert_eq!(
            fill(
                "Added %{label} (%{n}) %{other}",
                &[("label", &label), ("n", &3)]
            ),
            "Added %{n} evil (3) %{other}"
        );
        assert_eq!(fill("50%{", &[]), "50%{");
    }

    #[test]
    fn plural_categories_follow_cldr() {
        assert_eq!(category("en", 1), "one");
        assert_eq!(category("en", 0), "other");
        assert_eq!(category("en", 2), "other");
        assert_eq!(category("zh-CN", 1), "other");
    }

    #[test]
    fn counts_choose_the_form() {
        let source = |n: u64| count_in("en", "checklist.title", n, &[("source", &"a.png")]);
        assert_eq!(source(1), "Found in a.png: 1 account");
        assert_eq!(source(3), "Found in a.png: 3 accounts");
        assert_eq!(source(0), "Found in a.png: 0 accounts");
        assert_eq!(
            count_in("zh-CN", "checklist.title", 1, &[("source", &"a.png")]),
            "在a.png中找到 1 个账户"
        );
    }

    #[test]
    fn missing_texts_fall_back_to_english_then_the_key() {
        assert_eq!(text_in("zh-CN", "codes.add", &[]), "添加");
        assert_eq!(text_in("fr", "codes.add", &[]), "Add");
        assert_eq!(text_in("zh-CN", "no.such_key", &[]), "no.such_key");
    }
}
