//! Google Authenticator exports: `otpauth-migration://offline?data=...`.
//!
//! `data` is standard Base64 of a protobuf `MigrationPayload` (schema in
//! the module tests and in `docs`). The decoder is hand-written: it is
//! bounded (payload size, entry count, nesting), skips unknown fields, and
//! refuses each unusable entry (MD5, unknown enums, empty secret) with a
//! reason while keeping the others.

use base64::Engine as _;
use base64::engine::DecodePaddingMode;
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use percent_encoding::{NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use zeroize::Zeroizing;

use crate::account::{Account, Algorithm, Digits, OtpKind, Period};
use crate::error::ImportError;
use crate::secret::Secret;

/// Largest decoded payload accepted (Google's own QR codes hold < 3 KiB).
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;
/// Most entries accepted in one payload.
pub const MAX_ENTRIES: usize = 1000;

const SCHEME: &str = "otpauth-migration://";

/// Whether `text` starts with `otpauth-migration://` (any case).
pub fn is_migration(text: &str) -> bool {
    text.get(..SCHEME.len())
        .is_some_and(|s| s.eq_ignore_ascii_case(SCHEME))
}

/// One decoded export QR code: its entries and batch fields.
#[derive(Debug, Clone)]
pub struct Batch {
    /// Each entry in export order: an account, or why it cannot be imported.
    pub entries: Vec<Result<Account, ImportError>>,
    /// Payload format version (1 today).
    pub version: i32,
    /// Number of QR codes in the whole export.
    pub batch_size: i32,
    /// Index of this QR code in the export (0-based).
    pub batch_index: i32,
    /// Random id shared by every QR code of one export.
    pub batch_id: i32,
}

/// Batch fields for [`encode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BatchInfo {
    pub batch_size: i32,
    pub batch_index: i32,
    pub batch_id: i32,
}

/// Decodes an `otpauth-migration://` link.
pub fn parse(input: &str) -> Result<Batch, ImportError> {
    let input = input.trim();
    if !is_migration(input) {
        return Err(ImportError::NotOtpauth(String::from(
            "the text is not an otpauth-migration:// link",
        )));
    }
    let query = input[SCHEME.len()..]
        .split_once('?')
        .map(|(_, q)| q)
        .unwrap_or("");
    let mut data = None;
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key.eq_ignore_ascii_case("data") {
            if data.is_some() {
                return Err(ImportError::DuplicateParameter("data"));
            }
            data = Some(value);
        }
    }
    let data = data.filter(|d| !d.trim().is_empty()).ok_or_else(|| {
        ImportError::InvalidMigration(String::from("the link has no data= parameter"))
    })?;
    let payload = decode_data(data)?;
    decode_payload(&payload)
}

/// Percent-decodes and Base64-decodes `data`. A `+` may arrive escaped
/// (`%2B`), raw, or turned into a space by form decoding: all mean `+`.
fn decode_data(data: &str) -> Result<Zeroizing<Vec<u8>>, ImportError> {
    if data.len() > MAX_PAYLOAD_BYTES * 2 {
        return Err(ImportError::InvalidMigration(format!(
            "the data is {} characters long; at most {} are accepted",
            data.len(),
            MAX_PAYLOAD_BYTES * 2
        )));
    }
    let bytes: Zeroizing<Vec<u8>> = Zeroizing::new(percent_decode_str(data).collect());
    let text: Zeroizing<Vec<u8>> = Zeroizing::new(
        bytes
            .iter()
            .filter(|b| !matches!(b, b'\n' | b'\r' | b'\t'))
            .map(|&b| match b {
                b' ' => b'+',
                b'-' => b'+',
                b'_' => b'/',
                other => other,
            })
            .collect(),
    );
    const LENIENT: GeneralPurpose = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_padding_mode(DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    LENIENT
        .decode(&*text)
        .map(Zeroizing::new)
        .map_err(|e| ImportError::InvalidMigration(format!("the data is not valid Base64 ({e})")))
}

/// Decodes a `MigrationPayload` protobuf.
pub fn decode_payload(bytes: &[u8]) -> Result<Batch, ImportError> {
    if bytes.len() > MAX_PAYLOAD_BYTES {
        return Err(ImportError::InvalidMigration(format!(
            "the payload is {} bytes; at most {MAX_PAYLOAD_BYTES} are accepted",
            bytes.len()
        )));
    }
    let mut batch = Batch {
        entries: Vec::new(),
        version: 0,
        batch_size: 0,
        batch_index: 0,
        batch_id: 0,
    };
    let mut reader = Reader::new(bytes);
    while let Some((field, wire)) = reader.key()? {
        match (field, wire) {
            (1, WIRE_LEN) => {
                if batch.entries.len() == MAX_ENTRIES {
                    return Err(ImportError::InvalidMigration(format!(
                        "the export holds more than {MAX_ENTRIES} accounts"
                    )));
                }
                let entry = reader.bytes()?;
                let index = batch.entries.len() + 1;
                batch
                    .entries
                    .push(decode_entry(entry).map_err(|e| prefix_entry(e, index)));
            }
            (2, WIRE_VARINT) => batch.version = reader.varint()? as i32,
            (3, WIRE_VARINT) => batch.batch_size = reader.varint()? as i32,
            (4, WIRE_VARINT) => batch.batch_index = reader.varint()? as i32,
            (5, WIRE_VARINT) => batch.batch_id = reader.varint()? as i32,
            (_, wire) => reader.skip(wire)?,
        }
    }
    if batch.entries.is_empty() {
        return Err(ImportError::InvalidMigration(String::from(
            "the export holds no accounts",
        )));
    }
    Ok(batch)
}

fn prefix_entry(error: ImportError, index: usize) -> ImportError {
    ImportError::InExport {
        index,
        source: Box::new(error),
    }
}

fn decode_entry(bytes: &[u8]) -> Result<Account, ImportError> {
    let mut secret: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::new());
    let mut name = String::new();
    let mut issuer = String::new();
    let (mut algorithm, mut digits, mut otp_type, mut counter) = (0u64, 0u64, 0u64, 0u64);
    let mut reader = Reader::new(bytes);
    while let Some((field, wire)) = reader.key()? {
        match (field, wire) {
            (1, WIRE_LEN) => secret = Zeroizing::new(reader.bytes()?.to_vec()),
            (2, WIRE_LEN) => name = utf8(reader.bytes()?, "name")?,
            (3, WIRE_LEN) => issuer = utf8(reader.bytes()?, "issuer")?,
            (4, WIRE_VARINT) => algorithm = reader.varint()?,
            (5, WIRE_VARINT) => digits = reader.varint()?,
            (6, WIRE_VARINT) => otp_type = reader.varint()?,
            (7, WIRE_VARINT) => counter = reader.varint()?,
            (_, wire) => reader.skip(wire)?,
        }
    }
    let algorithm = match algorithm {
        0 | 1 => Algorithm::Sha1,
        2 => Algorithm::Sha256,
        3 => Algorithm::Sha512,
        4 => return Err(ImportError::UnsupportedAlgorithm(String::from("MD5"))),
        other => {
            return Err(ImportError::UnsupportedAlgorithm(format!(
                "with unknown code {other}"
            )));
        }
    };
    let digits = match digits {
        0 | 1 => Digits::SIX,
        2 => Digits::new(8)?,
        other => {
            return Err(ImportError::UnsupportedDigits(format!(
                "with unknown code {other}"
            )));
        }
    };
    let kind = match otp_type {
        0 | 2 => OtpKind::Totp {
            period: Period::THIRTY,
        },
        1 => {
            // int64 on the wire: a negative counter arrives as a huge varint.
            if counter > i64::MAX as u64 {
                return Err(ImportError::InvalidCounter(format!("{}", counter as i64)));
            }
            OtpKind::Hotp { counter }
        }
        other => {
            return Err(ImportError::UnsupportedType(format!(
                "with unknown code {other}"
            )));
        }
    };
    let secret = Secret::from_bytes(secret.to_vec())?;
    // Google writes "Issuer:account" into name; split it when no separate
    // issuer is given, and drop a repeated "Issuer:" prefix when one is.
    let issuer = issuer.trim().to_string();
    let (issuer, name) = if issuer.is_empty() {
        match name.split_once(':') {
            Some((i, n)) if !i.trim().is_empty() => {
                (Some(i.trim().to_string()), n.trim().to_string())
            }
            _ => (None, name.trim().to_string()),
        }
    } else {
        let stripped = name
            .strip_prefix(issuer.as_str())
            .and_then(|rest| rest.strip_prefix(':'))
            .unwrap_or(&name);
        (Some(issuer.clone()), stripped.trim().to_string())
    };
    Ok(Account {
        issuer,
        name,
        secret,
        algorithm,
        digits,
        kind,
    })
}

fn utf8(bytes: &[u8], field: &str) -> Result<String, ImportError> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| ImportError::InvalidMigration(format!("the {field} is not valid UTF-8 text")))
}

const WIRE_VARINT: u8 = 0;
const WIRE_I64: u8 = 1;
const WIRE_LEN: u8 = 2;
const WIRE_I32: u8 = 5;

/// A bounded protobuf reader over a byte slice.
struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    fn truncated() -> ImportError {
        ImportError::InvalidMigration(String::from("the data is truncated or corrupt"))
    }

    fn varint(&mut self) -> Result<u64, ImportError> {
        let mut value: u64 = 0;
        for shift in (0..70).step_by(7) {
            let byte = *self.bytes.get(self.pos).ok_or_else(Self::truncated)?;
            self.pos += 1;
            if shift == 63 && byte > 1 {
                return Err(Self::truncated());
            }
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(Self::truncated())
    }

    /// The next field number and wire type, or `None` at the end.
    fn key(&mut self) -> Result<Option<(u64, u8)>, ImportError> {
        if self.pos >= self.bytes.len() {
            return Ok(None);
        }
        let key = self.varint()?;
        let field = key >> 3;
        if field == 0 {
            return Err(Self::truncated());
        }
        Ok(Some((field, (key & 7) as u8)))
    }

    fn take(&mut self, len: u64) -> Result<&'a [u8], ImportError> {
        let len = usize::try_from(len).map_err(|_| Self::truncated())?;
        let end = self.pos.checked_add(len).ok_or_else(Self::truncated)?;
        let slice = self.bytes.get(self.pos..end).ok_or_else(Self::truncated)?;
        self.pos = end;
        Ok(slice)
    }

    fn bytes(&mut self) -> Result<&'a [u8], ImportError> {
        let len = self.varint()?;
        self.take(len)
    }

    fn skip(&mut self, wire: u8) -> Result<(), ImportError> {
        match wire {
            WIRE_VARINT => self.varint().map(drop),
            WIRE_I64 => self.take(8).map(drop),
            WIRE_LEN => self.bytes().map(drop),
            WIRE_I32 => self.take(4).map(drop),
            _ => Err(ImportError::InvalidMigration(format!(
                "the data uses protobuf wire type {wire}, which this format never contains"
            ))),
        }
    }
}

/// Why an account cannot be carried by a Google Authenticator export.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    #[error(
        "{0}: Google Authenticator exports have no period field, so only 30-second codes can be exported"
    )]
    Period(String),
    #[error("{0}: Google Authenticator exports allow 6 or 8 digits only")]
    Digits(String),
    #[error("{0}: Google Authenticator exports cannot carry Steam Guard accounts")]
    Steam(String),
}

/// Whether an account fits the migration format (30 s TOTP or HOTP, 6 or
/// 8 digits; no Steam Guard, which the format has no type for).
pub fn check_encodable(account: &Account) -> Result<(), EncodeError> {
    if account.kind == OtpKind::Steam {
        return Err(EncodeError::Steam(account.display_label()));
    }
    if let OtpKind::Totp { period } = account.kind
        && period != Period::THIRTY
    {
        return Err(EncodeError::Period(account.display_label()));
    }
    if !matches!(account.digits.get(), 6 | 8) {
        return Err(EncodeError::Digits(account.display_label()));
    }
    Ok(())
}

/// Encodes accounts as one `otpauth-migration://offline?data=` link.
/// Contains the secrets: handle like the secrets themselves.
pub fn encode(accounts: &[&Account], info: BatchInfo) -> Result<String, EncodeError> {
    let mut payload: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::new());
    for account in accounts {
        check_encodable(account)?;
        let mut entry: Zeroizing<Vec<u8>> = Zeroizing::new(Vec::new());
        put_bytes(&mut entry, 1, account.secret.expose());
        let name = match &account.issuer {
            Some(issuer) => format!("{issuer}:{}", account.name),
            None => account.name.clone(),
        };
        put_bytes(&mut entry, 2, name.as_bytes());
        if let Some(issuer) = &account.issuer {
            put_bytes(&mut entry, 3, issuer.as_bytes());
        }
        let algorithm = match account.algorithm {
            Algorithm::Sha1 => 1,
            Algorithm::Sha256 => 2,
            Algorithm::Sha512 => 3,
        };
        put_varint_field(&mut entry, 4, algorithm);
        put_varint_field(&mut entry, 5, if account.digits.get() == 8 { 2 } else { 1 });
        match account.kind {
            OtpKind::Totp { .. } => put_varint_field(&mut entry, 6, 2),
            OtpKind::Hotp { counter } => {
                put_varint_field(&mut entry, 6, 1);
                put_varint_field(&mut entry, 7, counter);
            }
            // Refused by `check_encodable` above.
            OtpKind::Steam => return Err(EncodeError::Steam(account.display_label())),
        }
        put_bytes(&mut payload, 1, &entry);
    }
    put_varint_field(&mut payload, 2, 1);
    put_varint_field(&mut payload, 3, info.batch_size as u64);
    put_varint_field(&mut payload, 4, info.batch_index as u64);
    put_varint_field(&mut payload, 5, info.batch_id as u32 as u64);
    let data = Zeroizing::new(STANDARD.encode(&*payload));
    Ok(format!(
        "otpauth-migration://offline?data={}",
        utf8_percent_encode(&data, NON_ALPHANUMERIC)
    ))
}

fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

fn put_varint_field(out: &mut Vec<u8>, field: u64, value: u64) {
    put_varint(out, field << 3);
    put_varint(out, value);
}

fn put_bytes(out: &mut Vec<u8>, field: u64, bytes: &[u8]) {
    put_varint(out, (field << 3) | u64::from(WIRE_LEN));
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    fn account(issuer: Option<&str>, name: &str, kind: OtpKind) -> Account {
        let mut a = Account::totp(
            issuer.map(String::from),
            name,
            Secret::from_base32("JBSWY3DPEHPK3PXP").unwrap(),
        );
        a.kind = kind;
        a
    }

    #[test]
    fn round_trip_keeps_accounts_and_batch_fields() {
        let a = account(Some("JD Cloud"), "ops@example.com", OtpKind::default());
        let mut b = account(None, "plain", OtpKind::Hotp { counter: 42 });
        b.algorithm = Algorithm::Sha512;
        b.digits = Digits::new(8).unwrap();
        let info = BatchInfo {
            batch_size: 3,
            batch_index: 2,
            batch_id: -7,
        };
        let link = encode(&[&a, &b], info).unwrap();
        let batch = parse(&link).unwrap();
        assert_eq!(
            (
                batch.version,
                batch.batch_size,
                batch.batch_index,
                batch.batch_id
            ),
            (1, 3, 2, -7)
        );
        let got: Vec<Account> = batch.entries.into_iter().map(Result::unwrap).collect();
        assert_eq!(got, vec![a, b]);
    }

    #[test]
    fn plus_space_and_escaped_forms_all_decode() {
        let a = account(Some("X"), "y", OtpKind::default());
        let link = encode(
            &[&a],
            BatchInfo {
                batch_size: 1,
                batch_index: 0,
                batch_id: 1,
            },
        )
        .unwrap();
        let data = percent_decode_str(link.split_once("data=").unwrap().1)
            .decode_utf8()
            .unwrap()
            .into_owned();
        for variant in [
            data.clone(),
            data.replace('+', " "),
            data.replace('+', "%2B"),
            data.trim_end_matches('=').to_string(),
        ] {
            let batch = parse(&format!("otpauth-migration://offline?data={variant}")).unwrap();
            assert_eq!(batch.entries.len(), 1);
        }
    }

    #[test]
    fn unusable_entries_are_refused_one_by_one() {
        // entry 1: MD5; entry 2: fine; entry 3: digits enum 9; entry 4: empty secret.
        let mut payload = Vec::new();
        for (secret, algorithm, digits) in [
            (&b"abcdefghij"[..], 4, 1),
            (b"abcdefghij", 1, 1),
            (b"abcdefghij", 1, 9),
            (b"", 1, 1),
        ] {
            let mut e = Vec::new();
            put_bytes(&mut e, 1, secret);
            put_bytes(&mut e, 2, b"Issuer:name");
            put_varint_field(&mut e, 4, algorithm);
            put_varint_field(&mut e, 5, digits);
            put_varint_field(&mut e, 6, 2);
            put_bytes(&mut payload, 1, &e);
        }
        let batch = decode_payload(&payload).unwrap();
        let codes: Vec<Option<ErrorCode>> = batch
            .entries
            .iter()
            .map(|r| r.as_ref().err().map(ImportError::code))
            .collect();
        assert_eq!(
            codes,
            [
                Some(ErrorCode::UnsupportedAlgorithm),
                None,
                Some(ErrorCode::UnsupportedDigits),
                Some(ErrorCode::MissingSecret)
            ]
        );
        let ok = batch.entries[1].as_ref().unwrap();
        assert_eq!(
            (ok.issuer.as_deref(), ok.name.as_str()),
            (Some("Issuer"), "name")
        );
        assert!(
            batch.entries[0]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("account 1")
        );
    }

    #[test]
    fn corrupt_inputs_are_invalid_migration() {
        for link in [
            "otpauth-migration://offline?data=%23%23%23not-base64%23%23%23",
            "otpauth-migration://offline",
            "otpauth-migration://offline?data=",
            "otpauth-migration://offline?data=CgA%3D", // one empty entry... then no secret
            "otpauth-migration://offline?data=/////w",
        ] {
            let result = parse(link);
            match result {
                Err(e) => assert!(
                    matches!(
                        e.code(),
                        ErrorCode::InvalidMigration | ErrorCode::MissingSecret
                    ),
                    "{link}: {e}"
                ),
                Ok(b) => assert!(b.entries.iter().all(Result::is_err), "{link}"),
            }
        }
    }

    #[test]
    fn unencodable_accounts_are_named() {
        let mut a = account(
            Some("X"),
            "y",
            OtpKind::Totp {
                period: Period::new(60).unwrap(),
            },
        );
        assert!(
            encode(
                &[&a],
                BatchInfo {
                    batch_size: 1,
                    batch_index: 0,
                    batch_id: 0
                }
            )
            .unwrap_err()
            .to_string()
            .contains("X (y)")
        );
        a.kind = OtpKind::default();
        a.digits = Digits::new(7).unwrap();
        assert!(matches!(check_encodable(&a), Err(EncodeError::Digits(_))));
    }
}
