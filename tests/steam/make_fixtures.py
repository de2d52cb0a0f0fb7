#!/usr/bin/env python3
"""Writes the Steam Desktop Authenticator fixtures of tests/backup.rs, the
way SDA (Jessecar96/SteamDesktopAuthenticator) writes them: one
`<steamid>.maFile` of JSON per account, and with encryption on, that JSON as
Base64 of AES-256-CBC (PKCS7) ciphertext keyed by PBKDF2-HMAC-SHA1(passkey,
salt, 50 000 rounds, 32 bytes), the salt (8 bytes) and IV (16 bytes) in
Base64 in the entry of manifest.json (FileEncryptor.cs, Manifest.cs).

Run from this folder: python3 make_fixtures.py (needs python3-cryptography).
Every value is made up: the shared_secret is pyotp's Steam test key
FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW (code C5V56 at t = 0); the other secrets
are random test bytes, the ids not anyone's."""
import base64, hashlib, json, os
from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

STEAMID = 76561197960287930
PASSKEY = "tessera passkey"
KEY = base64.b32decode("FMXNK4QEGKVPULRTADY6JIDK5VHUBGZW")
B32 = base64.b32encode(KEY).decode().rstrip("=")


def b64(data):
    return base64.b64encode(data).decode()


def mafile():
    return {
        "shared_secret": b64(KEY),
        "serial_number": "1234567890123456789",
        "revocation_code": "R12345",
        "uri": f"otpauth://totp/Steam:tessera_test?secret={B32}&issuer=Steam",
        "server_time": 1700000000,
        "account_name": "tessera_test",
        "token_gid": "2a3b4c5d6e7f8091",
        "identity_secret": b64(os.urandom(20)),
        "secret_1": b64(os.urandom(20)),
        "status": 1,
        "device_id": "android:00000000-1111-2222-3333-444444444444",
        "fully_enrolled": True,
        "Session": {
            "SessionID": "0123456789abcdef01234567",
            "SteamLogin": None,
            "SteamLoginSecure": None,
            "WebCookie": None,
            "OAuthToken": None,
            "SteamID": STEAMID,
        },
    }


def encrypt(plain, salt, iv):
    key = hashlib.pbkdf2_hmac("sha1", PASSKEY.encode(), salt, 50000, 32)
    padder = padding.PKCS7(128).padder()
    data = padder.update(plain) + padder.finalize()
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def main():
    name = f"{STEAMID}.maFile"
    text = json.dumps(mafile())
    with open(name, "w") as f:
        f.write(text)
    os.makedirs("encrypted", exist_ok=True)
    salt, iv = os.urandom(8), os.urandom(16)
    with open(os.path.join("encrypted", name), "w") as f:
        f.write(b64(encrypt(text.encode(), salt, iv)))
    manifest = {
        "encrypted": True,
        "first_run": False,
        "entries": [{"encryption_iv": b64(iv), "encryption_salt": b64(salt),
                     "filename": name, "steamid": STEAMID}],
        "periodic_checking": False,
        "periodic_checking_interval": 5,
        "periodic_checking_checkall": False,
        "auto_confirm_market_transactions": False,
        "auto_confirm_trades": False,
    }
    with open(os.path.join("encrypted", "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)


if __name__ == "__main__":
    main()
