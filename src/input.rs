//! Text as people paste, type or scan it: otpauth links, Google export
//! links, text files of links, and bare Base32 keys.

use crate::account::Account;
use crate::error::{ImportError, quoted};
use crate::migration;
use crate::secret::Secret;
use crate::uri;

/// Batch fields of one Google Authenticator export QR code that was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchMark {
    pub batch_id: i32,
    pub batch_index: i32,
    pub batch_size: i32,
}

/// What a piece of input held: accounts, refusals, and export batch marks.
#[derive(Debug, Default, Clone)]
pub struct Extracted {
    pub accounts: Vec<Account>,
    pub errors: Vec<ImportError>,
    pub batches: Vec<BatchMark>,
}

impl Extracted {
    /// Appends another result, dropping accounts already present verbatim
    /// (the same QR code twice in one image, a link pasted twice).
    pub fn merge(&mut self, other: Extracted) {
        for account in other.accounts {
            self.push_account(account);
        }
        self.errors.extend(other.errors);
        self.batches.extend(other.batches);
    }

    fn push_account(&mut self, account: Account) {
        if !self.accounts.contains(&account) {
            self.accounts.push(account);
        }
    }
}

/// Parses one payload: a single `otpauth://` or `otpauth-migration://`
/// link (for example the text of one QR code).
pub fn parse_payload(text: &str) -> Extracted {
    let text = text.trim();
    let mut out = Extracted::default();
    if uri::is_otpauth(text) {
        match uri::parse(text) {
            Ok(account) => out.push_account(account),
            Err(e) => out.errors.push(e),
        }
    } else if migration::is_migration(text) {
        match migration::parse(text) {
            Ok(batch) => {
                out.batches.push(BatchMark {
                    batch_id: batch.batch_id,
                    batch_index: batch.batch_index,
                    batch_size: batch.batch_size,
                });
                for entry in batch.entries {
                    match entry {
                        Ok(account) => out.push_account(account),
                        Err(e) => out.errors.push(e),
                    }
                }
            }
            Err(e) => out.errors.push(e),
        }
    } else {
        out.errors
            .push(ImportError::NotOtpauth(describe_foreign(text)));
    }
    out
}

/// Says what a non-otpauth text is, for a refusal message.
pub fn describe_foreign(text: &str) -> String {
    let lower = text.trim_start().to_ascii_lowercase();
    if text.trim().is_empty() {
        String::from("the input is empty: it holds no otpauth:// link")
    } else if lower.starts_with("http://") || lower.starts_with("https://") {
        format!(
            "this is a web link ({}), not an otpauth:// account; open it in a browser to get the setup code",
            quoted(text.trim())
        )
    } else if let Some((scheme, _)) = lower.split_once("://") {
        format!("this is a {scheme}:// link, not an otpauth:// account")
    } else {
        format!(
            "this is text ({}), not an otpauth:// account",
            quoted(text.trim())
        )
    }
}

/// Finds every `otpauth://` and `otpauth-migration://` link in a text,
/// one per line (text before the link on its line is ignored, so that
/// `Link: otpauth://...` works). `None` when the text holds no link.
pub fn parse_text(text: &str) -> Option<Extracted> {
    let mut out = Extracted::default();
    let mut found = false;
    for line in text.lines() {
        let Some(start) = find_link(line) else {
            continue;
        };
        found = true;
        out.merge(parse_payload(&line[start..]));
    }
    found.then_some(out)
}

fn find_link(line: &str) -> Option<usize> {
    let lower = line.to_ascii_lowercase();
    lower
        .find("otpauth://")
        .or_else(|| lower.find("otpauth-migration://"))
}

/// Parses a key as people type it: `jbsw y3dp-ehpk 3pxp`, with any case,
/// spaces, dashes and `=` padding.
pub fn parse_bare_key(text: &str) -> Result<Secret, ImportError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(ImportError::MissingSecret);
    }
    if uri::is_otpauth(trimmed) || migration::is_migration(trimmed) {
        return Err(ImportError::NotOtpauth(String::from(
            "this is a link, not a bare key: give it as a link (tessera code --uri ...)",
        )));
    }
    let is_key_char = |c: char| c.is_ascii_alphanumeric() || c.is_whitespace() || "-=".contains(c);
    let looks_like_text =
        trimmed.contains(char::is_whitespace) && !trimmed.chars().all(is_key_char);
    if trimmed.contains("://") || looks_like_text {
        return Err(ImportError::NotOtpauth(
            describe_foreign(trimmed).replace("otpauth:// account", "key"),
        ));
    }
    Secret::from_base32(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[test]
    fn text_files_and_foreign_text() {
        let text = "# my export\n\nLink: otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP\r\notpauth://totp/C:d?secret=0189\nnotes\n";
        let got = parse_text(text).unwrap();
        assert_eq!(got.accounts.len(), 1);
        assert_eq!(got.errors.len(), 1);
        assert_eq!(got.errors[0].code(), ErrorCode::InvalidSecret);
        assert!(parse_text("hello\nworld").is_none());
    }

    #[test]
    fn foreign_payloads_are_named() {
        let e = parse_payload("https://www.example.net/account")
            .errors
            .remove(0);
        assert_eq!(e.code(), ErrorCode::NotOtpauth);
        assert!(e.to_string().contains("web link"));
        let e = parse_payload("Your verification code is 706722")
            .errors
            .remove(0);
        assert!(e.to_string().contains("text"));
    }

    #[test]
    fn bare_keys() {
        assert_eq!(
            parse_bare_key("jbsw y3dp-ehpk 3pxp").unwrap(),
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap()
        );
        assert_eq!(
            parse_bare_key(" \n\t").unwrap_err(),
            ImportError::MissingSecret
        );
        assert_eq!(
            parse_bare_key("0189!").unwrap_err().code(),
            ErrorCode::InvalidSecret
        );
        assert_eq!(
            parse_bare_key("otpauth://totp/a?secret=JBSWY3DPEHPK3PXP")
                .unwrap_err()
                .code(),
            ErrorCode::NotOtpauth
        );
    }

    #[test]
    fn duplicate_links_collapse() {
        let line = "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP";
        let got = parse_text(&format!("{line}\n{line}\n")).unwrap();
        assert_eq!(got.accounts.len(), 1);
    }
}
