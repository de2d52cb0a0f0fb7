//! Proton Authenticator JSON exports (`entries[].content.uri`).

use serde::Deserialize;

use crate::import::error::BackupError;
use crate::import::format::{Format, MAX_ENTRIES};
use crate::import::json::{SecretText, bad_json, malformed};
use crate::import::report::Report;
use crate::import::text;

#[derive(Deserialize)]
struct ProtonExport {
    entries: Vec<ProtonEntry>,
}

#[derive(Deserialize)]
struct ProtonEntry {
    content: ProtonContent,
}

#[derive(Deserialize)]
struct ProtonContent {
    uri: SecretText,
    #[serde(default)]
    name: Option<String>,
}

pub(crate) fn import_proton(text: &str) -> Result<Report, BackupError> {
    let export: ProtonExport =
        serde_json::from_str(text).map_err(|e| bad_json(Format::ProtonAuthenticator, &e))?;
    if export.entries.len() > MAX_ENTRIES {
        return Err(malformed(Format::ProtonAuthenticator, "too many entries"));
    }
    let mut report = Report::new(Format::ProtonAuthenticator, false);
    for (i, entry) in export.entries.iter().enumerate() {
        let label = entry
            .content
            .name
            .clone()
            .unwrap_or_else(|| format!("entry {}", i + 1));
        report.merge(text::parse_payload(&entry.content.uri.0), &label);
    }
    Ok(report)
}
