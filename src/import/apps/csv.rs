//! Bitwarden's CSV export: the `login_totp` column holds an otpauth link,
//! a `steam://` key or a bare Base32 key.

use zeroize::Zeroizing;

use crate::import::error::BackupError;
use crate::import::format::{Format, MAX_ENTRIES};
use crate::import::report::Report;

/// Whether the first line is a Bitwarden CSV header.
pub(crate) fn is_bitwarden_csv(text: &str) -> bool {
    text.lines()
        .next()
        .is_some_and(|header| header.split(',').any(|f| f.trim() == "login_totp"))
}

/// RFC 4180 records: `"` quotes, `""` inside quotes, newlines in quotes.
fn records(text: &str) -> Result<Vec<Vec<Zeroizing<String>>>, BackupError> {
    let mut out = Vec::new();
    let mut record: Vec<Zeroizing<String>> = Vec::new();
    let mut field = Zeroizing::new(String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                c => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.is_empty() => quoted = true,
            ',' => record.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                out.push(std::mem::take(&mut record));
                if out.len() > MAX_ENTRIES + 1 {
                    return Err(BackupError::Malformed {
                        format: Format::Bitwarden,
                        reason: String::from("too many rows"),
                    });
                }
            }
            c => field.push(c),
        }
    }
    if quoted {
        return Err(BackupError::Malformed {
            format: Format::Bitwarden,
            reason: String::from("a quoted CSV field is not closed"),
        });
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push(record);
    }
    Ok(out)
}

pub(crate) fn import_bitwarden_csv(text: &str) -> Result<Report, BackupError> {
    let rows = records(text)?;
    let Some((header, rows)) = rows.split_first() else {
        return Err(BackupError::Malformed {
            format: Format::Bitwarden,
            reason: String::from("the CSV file has no header"),
        });
    };
    let column = |name: &str| header.iter().position(|h| h.trim() == name);
    let totp = column("login_totp").ok_or_else(|| BackupError::Malformed {
        format: Format::Bitwarden,
        reason: String::from("no login_totp column"),
    })?;
    let (name, user) = (column("name"), column("login_username"));
    let mut report = Report::new(Format::Bitwarden, false);
    for row in rows {
        let get = |i: Option<usize>| i.and_then(|i| row.get(i)).map(|f| f.as_str()).unwrap_or("");
        super::bitwarden::push_login_totp(&mut report, get(name), get(user), get(Some(totp)));
    }
    Ok(report)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn quoted_fields() {
        let rows = records("a,b\n\"x, \"\"y\"\"\",\"multi\nline\"\n").unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1][0].as_str(), "x, \"y\"");
        assert_eq!(rows[1][1].as_str(), "multi\nline");
        assert!(records("a\n\"open").is_err());
    }
}
