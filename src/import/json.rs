//! JSON helpers shared by the importers: zeroized secret fields, and
//! parse errors worded without the offending value.

use serde::Deserialize;
use zeroize::Zeroizing;

use super::error::BackupError;
use super::format::Format;

/// A secret string read from a file, zeroized on drop.
#[derive(Default)]
pub(crate) struct SecretText(pub Zeroizing<String>);

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(|s| SecretText(Zeroizing::new(s)))
    }
}

/// A JSON error without the offending value: serde's messages quote the
/// value of a field of the wrong type, which may be a secret.
pub(crate) fn bad_json(format: Format, e: &serde_json::Error) -> BackupError {
    let message = e.to_string();
    let reason = if message.starts_with("missing field") {
        message
    } else {
        match e.classify() {
            serde_json::error::Category::Data => format!(
                "a field has an unexpected type or value (line {}, column {})",
                e.line(),
                e.column()
            ),
            _ => format!(
                "it is not valid JSON ({}, line {})",
                e.classify_kind(),
                e.line()
            ),
        }
    };
    BackupError::Malformed { format, reason }
}

pub(crate) fn malformed(format: Format, e: impl std::fmt::Display) -> BackupError {
    BackupError::Malformed {
        format,
        reason: e.to_string(),
    }
}

pub(crate) trait ClassifyKind {
    fn classify_kind(&self) -> &'static str;
}

impl ClassifyKind for serde_json::Error {
    fn classify_kind(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Eof => "it ends too early",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Io => "read error",
        }
    }
}

/// A list of key bytes read from a file, zeroized on drop.
#[derive(Default)]
pub(crate) struct SecretInts(pub Zeroizing<Vec<i64>>);

impl<'de> Deserialize<'de> for SecretInts {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Vec::<i64>::deserialize(d).map(|v| SecretInts(Zeroizing::new(v)))
    }
}
