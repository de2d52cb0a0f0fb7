//! The one result of reading any input: accounts, skipped entries and
//! refusals, each with a label a person recognises (never a secret).

use std::fmt;

use super::format::Format;
use crate::account::Account;
use crate::error::{ErrorCode, ImportError};

/// Batch fields of one Google Authenticator export QR code that was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchMark {
    pub batch_id: i32,
    pub batch_index: i32,
    pub batch_size: i32,
}

/// An entry of the input that was not taken, and is not an error: a web
/// link next to an account QR code, an account given twice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// `Issuer (name)`, `QR code`, `line 7`...; never a secret.
    pub label: String,
    pub code: ErrorCode,
    pub message: String,
}

/// An entry of the input that could not become an account, with the reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// `Issuer (name)`, `line 7`... (empty when the input is one entry);
    /// never a secret.
    pub label: String,
    pub error: ImportError,
}

/// What one input (a file, a paste, the clipboard, the screen, a link)
/// held. Each account's label is [`Account::display_label`].
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// The format recognised; `None` when the input could not be read.
    pub format: Option<Format>,
    /// Whether the input was encrypted (and decrypted with the password).
    pub encrypted: bool,
    /// The accounts read, in input order, without duplicates.
    pub accounts: Vec<Account>,
    /// Entries left out on purpose (duplicates, foreign QR codes next to
    /// accounts): listed, but not a failure.
    pub skipped: Vec<Skipped>,
    /// Entries refused, and errors of the whole input (an unreadable
    /// file, an image without a QR code).
    pub errors: Vec<Refused>,
    /// Google Authenticator export batch marks read from QR codes.
    pub batches: Vec<BatchMark>,
}

impl Report {
    /// An empty report of a recognised format.
    pub(crate) fn new(format: Format, encrypted: bool) -> Self {
        Self {
            format: Some(format),
            encrypted,
            ..Self::default()
        }
    }

    /// A report of an input that failed as a whole.
    pub fn failed(error: ImportError) -> Self {
        Self {
            errors: vec![Refused {
                label: String::new(),
                error,
            }],
            ..Self::default()
        }
    }

    /// Accounts with their labels, for a checklist or a printed report.
    pub fn labelled(&self) -> impl Iterator<Item = (String, &Account)> {
        self.accounts.iter().map(|a| (a.display_label(), a))
    }

    /// The refused entries with their labels and reasons.
    pub fn refused(&self) -> impl Iterator<Item = (&str, &ImportError)> {
        self.errors.iter().map(|r| (r.label.as_str(), &r.error))
    }

    /// Whether every entry was read: at least one account and no refusal
    /// (skipped entries are fine).
    pub fn is_complete(&self) -> bool {
        !self.accounts.is_empty() && self.errors.is_empty()
    }

    /// How many entries were skipped as duplicates within this input.
    pub fn duplicates(&self) -> usize {
        self.skipped
            .iter()
            .filter(|s| s.code == ErrorCode::Duplicate)
            .count()
    }

    /// Adds one entry: an account (a duplicate of one already read goes to
    /// [`Report::skipped`]) or a refusal labelled `label`.
    pub(crate) fn push(&mut self, label: String, result: Result<Account, ImportError>) {
        match result {
            Ok(account) => self.push_account(account),
            Err(error) => self.errors.push(Refused { label, error }),
        }
    }

    pub(crate) fn push_account(&mut self, account: Account) {
        if self.accounts.contains(&account) {
            self.skipped.push(Skipped {
                label: account.display_label(),
                code: ErrorCode::Duplicate,
                message: String::from("the same account appears earlier in this input"),
            });
        } else {
            self.accounts.push(account);
        }
    }

    /// Appends another report of the same input (accounts already read go
    /// to [`Report::skipped`]); refusals without a label get `label`.
    pub fn merge(&mut self, other: Report, label: &str) {
        for account in other.accounts {
            self.push_account(account);
        }
        self.skipped.extend(other.skipped);
        for mut refused in other.errors {
            if refused.label.is_empty() {
                refused.label = label.to_string();
            }
            self.errors.push(refused);
        }
        self.batches.extend(other.batches);
    }

    /// When the input holds an account, foreign payloads (a web link or
    /// text in another QR code of the same image) are skipped, not errors.
    pub(crate) fn skip_foreign_beside_accounts(&mut self) {
        if self.accounts.is_empty() {
            return;
        }
        let (foreign, kept): (Vec<Refused>, Vec<Refused>) = std::mem::take(&mut self.errors)
            .into_iter()
            .partition(|r| r.error.code() == ErrorCode::NotOtpauth);
        self.errors = kept;
        self.skipped.extend(foreign.into_iter().map(|r| Skipped {
            label: r.label,
            code: r.error.code(),
            message: r.error.to_string(),
        }));
    }
}

/// Whether `account` is already among `existing` (the same token, whatever
/// its label): importing the same file twice adds nothing.
pub fn already_present(account: &Account, existing: &[Account]) -> bool {
    existing.iter().any(|e| e.same_token(account))
}

/// Parts of a Google Authenticator export that were not among the QR codes
/// read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingBatch {
    pub batch_id: i32,
    pub batch_size: i32,
    /// 0-based indexes of the missing QR codes.
    pub missing: Vec<i32>,
}

impl fmt::Display for MissingBatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: Vec<String> = self.missing.iter().map(|i| (i + 1).to_string()).collect();
        write!(
            f,
            "the Google Authenticator export has {} QR codes, but code{} {} of {} {} not given",
            self.batch_size,
            if self.missing.len() == 1 { "" } else { "s" },
            shown.join(", "),
            self.batch_size,
            if self.missing.len() == 1 {
                "was"
            } else {
                "were"
            },
        )
    }
}

/// Checks the batch marks of every QR code read (across files) and lists
/// the parts of each export that are missing.
pub fn missing_batches<'a>(marks: impl IntoIterator<Item = &'a BatchMark>) -> Vec<MissingBatch> {
    let mut by_id: Vec<(i32, i32, Vec<i32>)> = Vec::new();
    for mark in marks {
        match by_id.iter_mut().find(|(id, _, _)| *id == mark.batch_id) {
            Some((_, size, seen)) => {
                *size = (*size).max(mark.batch_size);
                seen.push(mark.batch_index);
            }
            None => by_id.push((mark.batch_id, mark.batch_size, vec![mark.batch_index])),
        }
    }
    by_id
        .into_iter()
        .filter_map(|(batch_id, batch_size, seen)| {
            // A corrupt size is not trusted to allocate: cap at 1000 parts.
            let missing: Vec<i32> = (0..batch_size.clamp(0, 1000))
                .filter(|i| !seen.contains(i))
                .collect();
            (!missing.is_empty()).then_some(MissingBatch {
                batch_id,
                batch_size,
                missing,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn missing_parts_are_listed_by_index() {
        let marks = [
            BatchMark {
                batch_id: 7,
                batch_index: 0,
                batch_size: 3,
            },
            BatchMark {
                batch_id: 7,
                batch_index: 2,
                batch_size: 3,
            },
            BatchMark {
                batch_id: 9,
                batch_index: 0,
                batch_size: 1,
            },
        ];
        let missing = missing_batches(&marks);
        assert_eq!(
            missing,
            vec![MissingBatch {
                batch_id: 7,
                batch_size: 3,
                missing: vec![1]
            }]
        );
        assert!(missing[0].to_string().contains("code 2 of 3 was not given"));
    }

    #[test]
    fn foreign_codes_beside_an_account_are_skipped() {
        let mut report =
            crate::import::text::parse_payload("otpauth://totp/A:b?secret=JBSWY3DPEHPK3PXP");
        report.merge(
            crate::import::text::parse_payload("https://example.com/x"),
            "QR code",
        );
        report.merge(
            crate::import::text::parse_payload("otpauth://totp/A:b?secret=0189"),
            "QR code",
        );
        report.skip_foreign_beside_accounts();
        assert_eq!(report.accounts.len(), 1);
        assert_eq!(report.skipped.len(), 1);
        assert_eq!(report.skipped[0].code, ErrorCode::NotOtpauth);
        assert_eq!(report.skipped[0].label, "QR code");
        // A broken account link stays an error.
        assert_eq!(report.errors.len(), 1);
        assert_eq!(report.errors[0].error.code(), ErrorCode::InvalidSecret);
        // Without an account, a web link stays an error.
        let mut alone = crate::import::text::parse_payload("https://example.com/x");
        alone.skip_foreign_beside_accounts();
        assert!(alone.skipped.is_empty());
        assert_eq!(alone.errors.len(), 1);
    }
}
