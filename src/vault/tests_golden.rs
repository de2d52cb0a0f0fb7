//! The generator of `tests/golden/v1.1.tessera` (format 1.1, payload 2):
//! every byte fixed (keys, salts, nonces, ids), so it can be checked that
//! the file is what this code writes. Never regenerate a released golden
//! file; `tests/vault_golden.rs` opens it.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use zeroize::Zeroizing;

use super::crypto::Key;
use super::format::{self, Header, SlotKind};
use super::kdf::KdfParams;
use super::payload::{self, Entry, Payload};
use super::recovery::parse_recovery;
use crate::account::{Account, Algorithm, Digits, OtpKind};
use crate::secret::Secret;

pub const GOLDEN_PASSWORD: &str = "golden password";
pub const GOLDEN_RECOVERY: &str = "GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ";
const VAULT_ID: &str = "7e55e7a0000000000000000000000011";

fn key(byte: u8) -> Key {
    Zeroizing::new([byte; 32])
}

/// The bytes of `tests/golden/v1.1.tessera`.
fn golden_v1_1() -> Vec<u8> {
    let dek = key(0x42);
    let kdf = KdfParams {
        alg: String::from("argon2id"),
        version: super::kdf::ARGON2_VERSION,
        m_kib: 1024,
        t: 1,
        p: 1,
        salt: vec![7; 16],
    };
    let password_kek = kdf.derive(GOLDEN_PASSWORD.as_bytes()).unwrap();
    let slot = |id: &str, n: u8, kind, kdf, kek: &Key, dek: &Key| {
        format::wrap_as(VAULT_ID, id.into(), vec![n; 24], kind, kdf, kek, dek).unwrap()
    };
    let (stale_kek, old_dek) = (key(9), key(0x41));
    let mut stale = slot(
        "00000000000000c3",
        3,
        SlotKind::Keyring,
        None,
        &stale_kek,
        &old_dek,
    );
    stale.stale = true;
    let header = Header {
        vault_id: VAULT_ID.into(),
        cipher: String::from("xchacha20poly1305"),
        nonce: vec![4; 24],
        slots: vec![
            stale,
            slot(
                "00000000000000a1",
                1,
                SlotKind::Password,
                Some(kdf),
                &password_kek,
                &dek,
            ),
            slot(
                "00000000000000b2",
                2,
                SlotKind::Recovery,
                None,
                &parse_recovery(GOLDEN_RECOVERY).unwrap(),
                &dek,
            ),
        ],
        rotation: 1,
    };
    let mut acme = Account::totp(
        Some("ACME Co".into()),
        "john.doe@email.com",
        Secret::from_base32("HXDMVJECJJWSRB3HWIZR4IFUGFTMXBOZ").unwrap(),
    );
    acme.algorithm = Algorithm::Sha256;
    acme.digits = Digits::new(8).unwrap();
    let mut acme = Entry::new("00000000000000e1".into(), acme, 1_800_000_000);
    let original = acme.clone();
    acme.next_version(0xa1, 1_800_000_100);
    acme.account.name = String::from("john@email.com");
    acme.next_version(0xa2, 1_800_000_200);
    acme.account.issuer = Some(String::from("ACME"));
    let mut hotp = Account::totp(
        None,
        "hotp@example.com",
        Secret::from_base32("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ").unwrap(),
    );
    hotp.kind = OtpKind::Hotp { counter: 7 };
    let mut hotp = Entry::new("00000000000000e2".into(), hotp, 1_800_000_000);
    for counter in [8, 9] {
        hotp.next_version(0xb0 + counter, 1_800_000_300);
        hotp.account.kind = OtpKind::Hotp { counter };
    }
    let mut conflict = original;
    conflict.id = String::from("00000000000000e3");
    conflict.account.name = String::from("john.doe@work.example");
    conflict.conflict = Some(acme.id.clone());
    let mut deleted = Account::totp(
        Some("Gone".into()),
        "old",
        Secret::from_bytes(vec![5; 20]).unwrap(),
    );
    deleted.kind = OtpKind::Hotp { counter: 5 };
    let deleted = Entry::new("00000000000000e4".into(), deleted, 1_800_000_000);
    let data = Payload {
        entries: vec![acme, hotp, conflict],
        tombstones: vec![deleted.tombstone(1_800_000_400)],
        recent: Vec::new(),
    };
    let plain = payload::encode(&data).unwrap();
    format::build(&header, &dek, &plain).unwrap()
}

/// The committed golden file is exactly what the generator writes.
#[test]
fn golden_v1_1_is_what_the_generator_writes() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/v1.1.tessera");
    assert!(std::fs::read(path).unwrap() == golden_v1_1());
}

/// Writes tests/golden/v1.1.tessera (run by hand with --ignored).
#[test]
#[ignore]
fn write_golden_v1_1() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/v1.1.tessera");
    std::fs::write(path, golden_v1_1()).unwrap();
}
