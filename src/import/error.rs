//! Why a backup or export file could not be read (nothing of it is
//! imported) or an export could not be written. No message holds a secret
//! or a password.

use super::format::Format;

/// Why a file could not be imported (nothing of it is) or an export failed.
/// No message holds a secret or a password.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("the file is empty")]
    Empty,
    #[error("{0}")]
    Unreadable(String),
    #[error("the file is {0} MiB; at most 32 MiB are read")]
    TooLarge(usize),
    #[error("the file is not in a format Tessera can import: {0}")]
    UnknownFormat(String),
    #[error("{what} cannot be imported: {reason}")]
    Unsupported { what: String, reason: String },
    #[error("this {0} is encrypted: its backup password is needed")]
    PasswordRequired(Format),
    #[error("wrong password for this {0}{hint}", hint = wrong_password_hint(*.0))]
    WrongPassword(Format),
    #[error("the file looks like a {format} but could not be read: {reason}")]
    Malformed { format: Format, reason: String },
    #[error(
        "the {format} asks for key-derivation parameters beyond the accepted limits ({detail}); refusing to run them"
    )]
    KdfLimits { format: Format, detail: String },
    #[error("nothing to export: no account is given")]
    NothingToExport,
    #[error("a backup password is needed for this export format")]
    ExportPasswordRequired,
    #[error("the export could not be encrypted")]
    Encrypt,
    #[error("the system random generator failed: {0}")]
    Random(String),
    #[error("could not draw a QR code: {0}")]
    QrEncode(String),
    #[error("could not write the PNG image: {0}")]
    Image(String),
}

fn wrong_password_hint(format: Format) -> &'static str {
    match format {
        Format::AndOtp => {
            " (or the file is not an encrypted andOTP backup: such backups have no signature, so unrecognised binary files are tried as one)"
        }
        _ => "",
    }
}
