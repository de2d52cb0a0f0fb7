#!/usr/bin/env python3
"""Decodes Google Authenticator `otpauth-migration://offline?data=` links
with nothing but the standard library, independently of Tessera: a reader
of the protocol-buffer wire format and Google's published schema
(MigrationPayload / OtpParameters). Reads one link per line on stdin and
prints one JSON document: a list of decoded payloads.

Used by tests/outside_formats.rs to check `migration::encode`."""
import base64
import json
import sys
import urllib.parse

# Google's google_auth.proto (MigrationPayload), field numbers and enums.
PAYLOAD = {1: "otp_parameters", 2: "version", 3: "batch_size", 4: "batch_index", 5: "batch_id"}
PARAMS = {1: "secret", 2: "name", 3: "issuer", 4: "algorithm", 5: "digits", 6: "type", 7: "counter"}
ALGORITHM = {0: "unspecified", 1: "SHA1", 2: "SHA256", 3: "SHA512", 4: "MD5"}
DIGITS = {0: "unspecified", 1: 6, 2: 8}
TYPE = {0: "unspecified", 1: "hotp", 2: "totp"}


def varint(data, at):
    value, shift = 0, 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def fields(data):
    """(field number, wire type, value) of every field of one message."""
    at = 0
    while at < len(data):
        key, at = varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = varint(data, at)
        elif wire == 2:
            length, at = varint(data, at)
            value = data[at:at + length]
            if len(value) != length:
                raise ValueError("truncated field")
            at += length
        elif wire == 1:
            value, at = data[at:at + 8], at + 8
        elif wire == 5:
            value, at = data[at:at + 4], at + 4
        else:
            raise ValueError(f"wire type {wire}")
        yield number, wire, value


def int32(value):
    """A varint read as protobuf int32 (the low 32 bits, signed)."""
    value &= 0xFFFFFFFF
    return value - (1 << 32) if value >= 1 << 31 else value


def otp_parameters(data):
    out = {}
    for number, _, value in fields(data):
        name = PARAMS.get(number)
        if name == "secret":
            out[name] = base64.b32encode(value).decode().rstrip("=")
        elif name in ("name", "issuer"):
            out[name] = value.decode("utf-8")
        elif name == "algorithm":
            out[name] = ALGORITHM[value]
        elif name == "digits":
            out[name] = DIGITS[value]
        elif name == "type":
            out[name] = TYPE[value]
        elif name == "counter":
            out[name] = value
    return out


def payload(link):
    parsed = urllib.parse.urlsplit(link)
    assert parsed.scheme == "otpauth-migration" and parsed.netloc == "offline", link
    data = urllib.parse.parse_qs(parsed.query, strict_parsing=True)["data"][0]
    out = {"otp_parameters": []}
    for number, _, value in fields(base64.b64decode(data, validate=True)):
        name = PAYLOAD.get(number)
        if name == "otp_parameters":
            out[name].append(otp_parameters(value))
        elif name is not None:
            out[name] = int32(value)
    return out


if __name__ == "__main__":
    links = [line.strip() for line in sys.stdin if line.strip()]
    json.dump([payload(link) for link in links], sys.stdout, indent=1, ensure_ascii=False)
