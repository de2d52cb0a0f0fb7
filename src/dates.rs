//! Dates people read, from the Unix seconds the core stores (an entry's
//! `created` and `modified`, the time of an export): RFC 3339 in UTC for
//! machines (`list --json`, the Tessera backup), and a shorter UTC form for
//! people (the app's account details, the HTML export). The time is always
//! given; nothing here reads the clock. A time chrono cannot represent
//! (past year 262143) has no text.

use chrono::{DateTime, SecondsFormat, Utc};

fn utc(unix: u64) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp(i64::try_from(unix).ok()?, 0)
}

/// `2026-12-02T01:13:08Z`.
pub fn rfc3339(unix: u64) -> Option<String> {
    utc(unix).map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// `2026-12-02 01:13 UTC`.
pub fn minutes_utc(unix: u64) -> Option<String> {
    utc(unix).map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
}

/// When a backup was made, as a list of backups shows it: UTC to the
/// minute (`2026-12-02 01:13 UTC`) or, with `seconds`, to the second; the
/// file's name when its name has no date (backups of older versions).
pub fn backup_made(path: &std::path::Path, made: Option<DateTime<Utc>>, seconds: bool) -> String {
    let format = if seconds {
        "%Y-%m-%d %H:%M:%S UTC"
    } else {
        "%Y-%m-%d %H:%M UTC"
    };
    match made {
        Some(t) => t.format(format).to_string(),
        None => path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_seconds_read_as_utc_dates() {
        assert_eq!(rfc3339(0).as_deref(), Some("1970-01-01T00:00:00Z"));
        assert_eq!(
            rfc3339(1_796_173_988).as_deref(),
            Some("2026-12-02T01:13:08Z")
        );
        assert_eq!(
            minutes_utc(1_796_173_988).as_deref(),
            Some("2026-12-02 01:13 UTC")
        );
        assert_eq!(rfc3339(u64::MAX), None);
        assert_eq!(minutes_utc(u64::MAX), None);
    }

    #[test]
    fn a_backup_reads_as_its_date_or_its_name() {
        let path = std::path::Path::new("/v/vault.tessera.7.bak");
        let made = utc(1_796_173_988);
        assert_eq!(backup_made(path, made, false), "2026-12-02 01:13 UTC");
        assert_eq!(backup_made(path, made, true), "2026-12-02 01:13:08 UTC");
        assert_eq!(backup_made(path, None, true), "vault.tessera.7.bak");
    }
}
