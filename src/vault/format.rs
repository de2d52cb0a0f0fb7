//! The vault file, format 1.1:
//!
//! ```text
//! "TSRVAULT" | u16 LE major = 1 | u16 LE minor = 1 | u32 LE header length
//! | header (UTF-8 JSON) | payload: XChaCha20-Poly1305 ciphertext + 16-byte tag
//! ```
//!
//! The payload's associated data is every byte before it, exactly as stored
//! (magic, version, length and header), so any change to the header is
//! detected. The header names the vault id, the payload nonce (fresh for
//! every save) and the key slots; each slot wraps the 32-byte data key with
//! XChaCha20-Poly1305 under its own key-encryption key and a fresh nonce,
//! with associated data binding it to this vault and slot (id, type, KDF
//! parameters), so slots cannot be swapped between vaults.
//!
//! 1.1 (payload version 2, see `payload`) adds the sync records, the
//! header's `rotation` count and a slot's `stale` mark (both left out
//! while 0 / false). A 1.0 build with the forward-compatibility fix opens
//! a 1.1 file read-only; 1.0 files keep opening here.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::crypto::{KEY_LEN, Key, NONCE_LEN, TAG_LEN, hex, random_vec, seal, unseal};
use super::error::VaultError;
use super::kdf::KdfParams;

pub const MAGIC: &[u8; 8] = b"TSRVAULT";
pub const MAJOR: u16 = 1;
pub const MINOR: u16 = 1;
/// Bytes before the header: magic, major, minor, header length.
pub const PREFIX_LEN: usize = 16;
/// Largest header accepted.
pub const MAX_HEADER: usize = 64 * 1024;
/// Largest vault file read.
pub const MAX_FILE: u64 = 64 * 1024 * 1024;

/// The kind of a key slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotKind {
    Keyring,
    Password,
    Recovery,
}

impl SlotKind {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Keyring => "keyring",
            Self::Password => "password",
            Self::Recovery => "recovery",
        }
    }

    fn tag(self) -> u8 {
        match self {
            Self::Keyring => 1,
            Self::Password => 2,
            Self::Recovery => 3,
        }
    }
}

/// One key slot: the data key wrapped under a key-encryption key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    /// Random 8-byte id, hex.
    pub id: String,
    #[serde(rename = "type")]
    pub kind: SlotKind,
    /// Argon2id parameters (password slots only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kdf: Option<KdfParams>,
    #[serde(with = "super::crypto::b64")]
    pub nonce: Vec<u8>,
    /// The wrapped data key with its tag (48 bytes).
    #[serde(with = "super::crypto::b64")]
    pub wrapped: Vec<u8>,
    /// A keyring slot that still wraps an earlier data key: the key was
    /// rotated on a computer whose keyring does not hold this slot's key.
    /// It opens nothing until that computer unlocks once with the password
    /// (or recovery key) and rewraps it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
}

/// The authenticated header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Random 16-byte id, hex; also names the keyring entry.
    pub vault_id: String,
    /// Always `xchacha20poly1305`.
    pub cipher: String,
    /// Payload nonce, fresh for every save.
    #[serde(with = "super::crypto::b64")]
    pub nonce: Vec<u8>,
    pub slots: Vec<Slot>,
    /// How many times the data key was rotated: when two copies of the
    /// vault are merged, the one with more rotations keeps its key.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub rotation: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

impl Header {
    fn validate(&self) -> Result<(), VaultError> {
        if self.cipher != "xchacha20poly1305" {
            return Err(VaultError::Corrupt("unknown cipher"));
        }
        if self.nonce.len() != NONCE_LEN {
            return Err(VaultError::Corrupt("bad payload nonce"));
        }
        if self.vault_id.len() != 32 || !is_hex(&self.vault_id) {
            return Err(VaultError::Corrupt("bad vault id"));
        }
        if self.slots.is_empty() {
            return Err(VaultError::Corrupt("no key slot"));
        }
        for slot in &self.slots {
            if slot.nonce.len() != NONCE_LEN
                || slot.wrapped.len() != KEY_LEN + TAG_LEN
                || slot.id.len() != 16
                || !is_hex(&slot.id)
                || (slot.kind == SlotKind::Password) != slot.kdf.is_some()
            {
                return Err(VaultError::Corrupt("bad key slot"));
            }
        }
        Ok(())
    }

    pub fn slot(&self, kind: SlotKind) -> Option<&Slot> {
        self.slots.iter().find(|s| s.kind == kind)
    }

    pub fn has(&self, kind: SlotKind) -> bool {
        self.slot(kind).is_some()
    }
}

/// A parsed vault file: the header and where the payload starts.
pub struct Parsed<'a> {
    pub header: Header,
    pub aad: &'a [u8],
    pub ciphertext: &'a [u8],
    pub minor: u16,
    /// What shows the file was written by a newer Tessera (a newer minor
    /// version, key slots of an unknown type): such a file may be read,
    /// never written, since this build would drop what it does not know.
    pub newer: Option<String>,
}

/// The header as stored, slots still raw: a slot of a type this build
/// does not know (from a newer Tessera) is skipped, not an error.
#[derive(Deserialize)]
struct RawHeader {
    vault_id: String,
    cipher: String,
    #[serde(with = "super::crypto::b64")]
    nonce: Vec<u8>,
    slots: Vec<serde_json::Value>,
    #[serde(default)]
    rotation: u64,
}

const KNOWN_SLOTS: [&str; 3] = ["keyring", "password", "recovery"];

/// The header of `json`, and how many slots of an unknown type it had.
fn read_header(json: &[u8]) -> Result<(Header, usize), VaultError> {
    let raw: RawHeader =
        serde_json::from_slice(json).map_err(|_| VaultError::Corrupt("unreadable header"))?;
    let mut slots = Vec::with_capacity(raw.slots.len());
    let mut unknown = 0;
    for value in raw.slots {
        match value.get("type").and_then(|t| t.as_str()) {
            Some(kind) if KNOWN_SLOTS.contains(&kind) => slots.push(
                serde_json::from_value::<Slot>(value)
                    .map_err(|_| VaultError::Corrupt("bad key slot"))?,
            ),
            Some(_) => unknown += 1,
            None => return Err(VaultError::Corrupt("bad key slot")),
        }
    }
    let header = Header {
        vault_id: raw.vault_id,
        cipher: raw.cipher,
        nonce: raw.nonce,
        slots,
        rotation: raw.rotation,
    };
    Ok((header, unknown))
}

/// Splits and checks a vault file without decrypting anything.
pub fn parse<'a>(bytes: &'a [u8], path: &std::path::Path) -> Result<Parsed<'a>, VaultError> {
    if bytes.len() < MAGIC.len() {
        return Err(if MAGIC.starts_with(bytes) {
            VaultError::Truncated
        } else {
            VaultError::NotAVault(path.to_path_buf())
        });
    }
    if &bytes[..MAGIC.len()] != MAGIC {
        return Err(VaultError::NotAVault(path.to_path_buf()));
    }
    if bytes.len() < PREFIX_LEN {
        return Err(VaultError::Truncated);
    }
    let major = u16::from_le_bytes([bytes[8], bytes[9]]);
    let minor = u16::from_le_bytes([bytes[10], bytes[11]]);
    if major != MAJOR {
        return Err(VaultError::UnsupportedVersion { major, minor });
    }
    let header_len = u32::from_le_bytes([bytes[12], bytes[13], bytes[14], bytes[15]]) as usize;
    if header_len > MAX_HEADER {
        return Err(VaultError::Corrupt("header too long"));
    }
    let end = PREFIX_LEN + header_len;
    if bytes.len() < end + TAG_LEN {
        return Err(VaultError::Truncated);
    }
    let (header, unknown_slots) = read_header(&bytes[PREFIX_LEN..end])?;
    let mut newer = Vec::new();
    if minor > MINOR {
        newer.push(format!("file format {major}.{minor}"));
    }
    if unknown_slots > 0 {
        newer.push(String::from("a key slot of an unknown type"));
    }
    let newer = (!newer.is_empty()).then(|| newer.join(", "));
    if header.slots.is_empty()
        && let Some(what) = &newer
    {
        return Err(VaultError::NewerUnreadable(what.clone()));
    }
    header.validate()?;
    Ok(Parsed {
        header,
        aad: &bytes[..end],
        ciphertext: &bytes[end..],
        minor,
        newer,
    })
}

/// Builds a whole file: prefix, header, and the payload encrypted with
/// `dek` and the header's nonce, the prefix and header as associated data.
pub fn build(header: &Header, dek: &Key, plaintext: &[u8]) -> Result<Vec<u8>, VaultError> {
    let header_bytes = serde_json::to_vec(header).map_err(|_| VaultError::Encrypt)?;
    let header_len = u32::try_from(header_bytes.len()).map_err(|_| VaultError::Encrypt)?;
    let mut out = Vec::with_capacity(PREFIX_LEN + header_bytes.len() + plaintext.len() + TAG_LEN);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&MAJOR.to_le_bytes());
    out.extend_from_slice(&MINOR.to_le_bytes());
    out.extend_from_slice(&header_len.to_le_bytes());
    out.extend_from_slice(&header_bytes);
    let ciphertext = seal(dek, &header.nonce, &out, plaintext)?;
    out.extend_from_slice(&ciphertext);
    Ok(out)
}

/// Decrypts the payload of a parsed file.
pub fn open_payload(parsed: &Parsed<'_>, dek: &Key) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    unseal(dek, &parsed.header.nonce, parsed.aad, parsed.ciphertext).ok_or(VaultError::Integrity)
}

/// Associated data of a slot: this vault, this slot, its type and KDF.
fn slot_aad(vault_id: &str, id: &str, kind: SlotKind, kdf: Option<&KdfParams>) -> Vec<u8> {
    let mut aad = Vec::with_capacity(128);
    aad.extend_from_slice(b"tessera-slot-v1\0");
    aad.extend_from_slice(vault_id.as_bytes());
    aad.extend_from_slice(id.as_bytes());
    aad.push(kind.tag());
    if let Some(k) = kdf {
        aad.extend_from_slice(k.alg.as_bytes());
        for n in [k.version, k.m_kib, k.t, k.p] {
            aad.extend_from_slice(&n.to_le_bytes());
        }
        aad.push(k.salt.len() as u8);
        aad.extend_from_slice(&k.salt);
    }
    aad
}

/// Wraps `dek` in a new slot.
pub fn wrap(
    vault_id: &str,
    kind: SlotKind,
    kdf: Option<KdfParams>,
    kek: &Key,
    dek: &Key,
) -> Result<Slot, VaultError> {
    wrap_as(
        vault_id,
        hex(&random_vec(8)?),
        random_vec(NONCE_LEN)?,
        kind,
        kdf,
        kek,
        dek,
    )
}

/// [`wrap`] with the slot id and nonce given (the golden-file generator).
pub(super) fn wrap_as(
    vault_id: &str,
    id: String,
    nonce: Vec<u8>,
    kind: SlotKind,
    kdf: Option<KdfParams>,
    kek: &Key,
    dek: &Key,
) -> Result<Slot, VaultError> {
    let aad = slot_aad(vault_id, &id, kind, kdf.as_ref());
    let wrapped = seal(kek, &nonce, &aad, dek.as_ref())?;
    Ok(Slot {
        id,
        kind,
        kdf,
        nonce,
        wrapped,
        stale: false,
    })
}

/// Wraps `dek` again in `slot`'s place: same id, type and KDF parameters
/// (so the same key-encryption key opens it and a keyring entry named
/// after the slot stays valid), a fresh nonce.
pub fn rewrap(vault_id: &str, slot: &Slot, kek: &Key, dek: &Key) -> Result<Slot, VaultError> {
    let nonce = random_vec(NONCE_LEN)?;
    let aad = slot_aad(vault_id, &slot.id, slot.kind, slot.kdf.as_ref());
    let wrapped = seal(kek, &nonce, &aad, dek.as_ref())?;
    Ok(Slot {
        nonce,
        wrapped,
        stale: false,
        ..slot.clone()
    })
}

/// Unwraps the data key of a slot; `None` when `kek` is not its key (or
/// the slot was altered).
pub fn unwrap(vault_id: &str, slot: &Slot, kek: &Key) -> Option<Key> {
    let aad = slot_aad(vault_id, &slot.id, slot.kind, slot.kdf.as_ref());
    let plain = unseal(kek, &slot.nonce, &aad, &slot.wrapped)?;
    let mut dek = Zeroizing::new([0u8; KEY_LEN]);
    if plain.len() != KEY_LEN {
        return None;
    }
    dek.copy_from_slice(&plain);
    Some(dek)
}

fn is_hex(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}
