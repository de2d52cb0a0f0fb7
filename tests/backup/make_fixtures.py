#!/usr/bin/env python3
"""Writes the encrypted fixtures of tests/backup.rs with an implementation
independent of Tessera's (Python `cryptography` + hashlib), following the
formats' public descriptions: Aegis docs/vault.md, 2FAS (PBKDF2-SHA256
10 000 + AES-GCM), andOTP (PBKDF2-SHA1 header + AES-GCM).

Run from this folder: python3 make_fixtures.py (needs python3-cryptography).
The secrets are test keys, not anyone's accounts."""
import base64, hashlib, json, os, struct, uuid
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PASSWORD = "pässwörd ✓"
ACCOUNTS = [
    # issuer, name, secret, algo, digits, type, period/counter
    ("ACME Co", "me@example.com", "JBSWY3DPEHPK3PXP", "SHA1", 6, "totp", 30),
    ("Bank", "alice", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "SHA256", 8, "hotp", 42),
]


def seal(key, nonce, data):
    out = AESGCM(key).encrypt(nonce, data, None)
    return out[:-16], out[-16:]


def aegis_unrepaired():
    """Two slots: a biometric one (skipped) and a password slot whose key was
    derived from Java's old password bytes (not `repaired`): "0123456789" is
    10 chars, so the bytes are the 10 ASCII bytes and one zero."""
    password = "0123456789"
    old_bytes = password.encode() + b"\0"
    master = os.urandom(32)
    entries = []
    for issuer, name, secret, algo, digits, kind, value in ACCOUNTS:
        info = {"secret": secret, "algo": algo, "digits": digits}
        info["period" if kind == "totp" else "counter"] = value
        entries.append({"type": kind, "uuid": str(uuid.uuid4()), "name": name,
                        "issuer": issuer, "icon": None, "info": info})
    db = json.dumps({"version": 2, "entries": entries}).encode()
    db_nonce = os.urandom(12)
    db_ct, db_tag = seal(master, db_nonce, db)
    slots = []
    bio_key, bio_nonce = os.urandom(32), os.urandom(12)
    ct, tag = seal(bio_key, bio_nonce, master)
    slots.append({"type": 2, "uuid": str(uuid.uuid4()), "key": ct.hex(),
                  "key_params": {"nonce": bio_nonce.hex(), "tag": tag.hex()}})
    salt = os.urandom(32)
    kek = hashlib.scrypt(old_bytes, salt=salt, n=2**15, r=8, p=1, dklen=32, maxmem=2**26)
    nonce = os.urandom(12)
    ct, tag = seal(kek, nonce, master)
    slots.append({"type": 1, "uuid": str(uuid.uuid4()), "key": ct.hex(),
                  "key_params": {"nonce": nonce.hex(), "tag": tag.hex()},
                  "n": 2**15, "r": 8, "p": 1, "salt": salt.hex()})
    vault = {"version": 1, "header": {"slots": slots, "params": {"nonce": db_nonce.hex(), "tag": db_tag.hex()}},
             "db": base64.b64encode(db_ct).decode()}
    with open("aegis_unrepaired_slot.json", "w") as f:
        json.dump(vault, f, indent=2)


def twofas_unicode():
    services = []
    for i, (issuer, name, secret, algo, digits, kind, value) in enumerate(ACCOUNTS):
        otp = {"account": name, "issuer": issuer, "digits": digits, "algorithm": algo,
               "tokenType": kind.upper(), "source": "Manual"}
        otp["period" if kind == "totp" else "counter"] = value
        services.append({"name": issuer, "secret": secret, "updatedAt": 0, "otp": otp,
                         "order": {"position": i}})
    salt, iv = os.urandom(256), os.urandom(12)
    key = hashlib.pbkdf2_hmac("sha256", PASSWORD.encode(), salt, 10000, 32)
    data = AESGCM(key).encrypt(iv, json.dumps(services).encode(), None)
    enc = ":".join(base64.b64encode(x).decode() for x in (data, salt, iv))
    with open("2fas_unicode_password.2fas", "w") as f:
        json.dump({"services": [], "groups": [], "updatedAt": 0, "schemaVersion": 4,
                   "appVersionCode": 5000009, "appVersionName": "5.1.0", "appOrigin": "android",
                   "servicesEncrypted": enc}, f)


def andotp_unicode():
    entries = []
    for issuer, name, secret, algo, digits, kind, value in ACCOUNTS:
        e = {"secret": secret, "issuer": issuer, "label": name, "digits": digits,
             "type": kind.upper(), "algorithm": algo, "thumbnail": "Default", "tags": []}
        e["period" if kind == "totp" else "counter"] = value
        entries.append(e)
    iterations, salt, nonce = 1234, os.urandom(12), os.urandom(12)
    key = hashlib.pbkdf2_hmac("sha1", PASSWORD.encode(), salt, iterations, 32)
    data = AESGCM(key).encrypt(nonce, json.dumps(entries).encode(), None)
    with open("andotp_unicode_password.bin", "wb") as f:
        f.write(struct.pack(">I", iterations) + salt + nonce + data)


if __name__ == "__main__":
    aegis_unrepaired()
    twofas_unicode()
    andotp_unicode()
