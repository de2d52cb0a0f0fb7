#!/usr/bin/env python3
"""Decrypts an encrypted Aegis vault file independently of Tessera, from
Aegis's published format (docs/vault.md): the password slot's key is
scrypt(password, salt, N, r, p) (hashlib), which opens the master key
with AES-256-GCM, which opens `db` (Python `cryptography`,
python3-cryptography in scripts/setup-debian). The password comes on
stdin; prints the decrypted database JSON.

Usage: python3 aegis_decrypt.py FILE < password"""
import base64
import json
import sys
import hashlib

from cryptography.hazmat.primitives.ciphers.aead import AESGCM


def open_gcm(key, params, ciphertext):
    nonce, tag = bytes.fromhex(params["nonce"]), bytes.fromhex(params["tag"])
    return AESGCM(key).decrypt(nonce, ciphertext + tag, None)


def main():
    vault = json.load(open(sys.argv[1], encoding="utf-8"))
    password = sys.stdin.read().rstrip("\n").encode("utf-8")
    assert vault["version"] == 1, vault["version"]
    master = None
    for slot in vault["header"]["slots"]:
        if slot["type"] != 1:  # 1: password slot
            continue
        kek = hashlib.scrypt(password, salt=bytes.fromhex(slot["salt"]), n=slot["n"],
                             r=slot["r"], p=slot["p"], dklen=32, maxmem=2**28)
        master = open_gcm(kek, slot["key_params"], bytes.fromhex(slot["key"]))
        break
    if master is None:
        sys.exit("no password slot")
    db = open_gcm(master, vault["header"]["params"], base64.b64decode(vault["db"]))
    sys.stdout.write(db.decode("utf-8"))


if __name__ == "__main__":
    main()
