//! Text as people paste, type or scan it: otpauth links, Google export
//! links, text files of links, and bare Base32 keys.

use super::format::Format;
use super::report::{BatchMark, Report};
use crate::error::{ImportError, described};
use crate::migration;
use crate::secret::Secret;
use crate::uri;

/// Parses one payload: a single `otpauth://` or `otpauth-migration://`
/// link (for example the text of one QR code).
pub fn parse_payload(text: &str) -> Report {
    let text = text.trim();
    let mut out = Report::new(Format::OtpauthUris, false);
    if uri::is_otpauth(text) {
        match uri::parse(text) {
            Ok(account) => out.push_account(account),
            Err(e) => out.push(String::new(), Err(e)),
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
                        Err(e) => out.push(String::new(), Err(e)),
                    }
                }
            }
            Err(e) => out.push(String::new(), Err(e)),
        }
    } else {
        out.push(
            String::new(),
            Err(ImportError::NotOtpauth(describe_foreign(text))),
        );
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
            described(text.trim())
        )
    } else if let Some(scheme) = lower
        .split_once("://")
        .map(|(s, _)| s)
        .filter(|s| is_scheme(s))
    {
        format!("this is a {scheme}:// link, not an otpauth:// account")
    } else {
        format!(
            "this is text ({}), not an otpauth:// account",
            described(text.trim())
        )
    }
}

/// Whether `text` is a URI scheme name (`https`, `steam`, `x-y+z.1`).
fn is_scheme(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// Finds every `otpauth://` and `otpauth-migration://` link in a text,
/// one per line (text before the link on its line is ignored, so that
/// `Link: otpauth://...` works; a scheme followed by a space, as in
/// `not an otpauth:// link`, is text). Refusals are labelled `line N`.
/// `None` when the text holds no link.
pub fn parse_text(text: &str) -> Option<Report> {
    let mut out = Report::new(Format::OtpauthUris, false);
    let mut found = false;
    for (number, line) in text.lines().enumerate() {
        let Some(start) = find_link(line) else {
            continue;
        };
        found = true;
        out.merge(
            parse_payload(&line[start..]),
            &format!("line {}", number + 1),
        );
    }
    found.then_some(out)
}

fn find_link(line: &str) -> Option<usize> {
    let lower = line.to_ascii_lowercase();
    ["otpauth://", "otpauth-migration://"]
        .into_iter()
        .filter_map(|scheme| {
            let start = lower.find(scheme)?;
            let rest = &line[start + scheme.len()..];
            // A link goes on after its scheme; at the start of the line
            // even an empty one is a (broken) link.
            let goes_on = rest.starts_with(|c: char| !c.is_whitespace());
            (goes_on || line[..start].trim().is_empty()).then_some(start)
        })
        .min()
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
        assert_eq!(got.errors[0].error.code(), ErrorCode::InvalidSecret);
        assert_eq!(got.errors[0].label, "line 4");
        assert!(parse_text("hello\nworld").is_none());
    }

    #[test]
    fn foreign_payloads_are_named() {
        let e = parse_payload("https://www.example.net/account")
            .errors
            .remove(0)
            .error;
        assert_eq!(e.code(), ErrorCode::NotOtpauth);
        assert!(e.to_string().contains("web link"));
        let e = parse_payload("Your verification code is 706722")
            .errors
            .remove(0)
            .error;
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
    fn duplicate_links_are_skipped_as_duplicates() {
        let line = "otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP";
        let got = parse_text(&format!("{line}\n{line}\n")).unwrap();
        assert_eq!(got.accounts.len(), 1);
        assert_eq!(got.skipped.len(), 1);
        assert_eq!(got.skipped[0].code, ErrorCode::Duplicate);
        assert_eq!(got.duplicates(), 1);
        assert!(got.errors.is_empty());
    }

    #[test]
    fn text_that_names_a_scheme_is_text_from_every_source() {
        let text = "NOT A otpauth-migration:// URL";
        // As the text of a QR code.
        let e = parse_payload(text).errors.remove(0).error;
        assert_eq!(e.code(), ErrorCode::NotOtpauth);
        assert!(e.to_string().starts_with("this is text"), "{e}");
        // As a text file or standard input: no link in it.
        assert!(parse_text(text).is_none());
        assert!(parse_text("see otpauth:// here").is_none());
        // A broken link at the start of a line is still a link.
        assert!(parse_text("otpauth-migration://").is_some());
    }
}
