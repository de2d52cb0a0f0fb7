#!/usr/bin/env bash
# `tessera scan --clipboard` reads a QR image, then otpauth text, that xclip
# put on the X11 clipboard (needs DISPLAY and xclip; run by scripts/test
# inside Xvfb). The QR fixtures live in ../shared/fixtures/qr.
set -euo pipefail
bin="${TESSERA_BIN:-target/release/tessera}"
# TESSERA_FIXTURES names the root of the shared fixtures (qr/ and importers/).
fixtures="${TESSERA_FIXTURES:-../shared/fixtures}/qr"
if [[ ! -f "$fixtures/manifest.json" ]]; then
  [[ "${TESSERA_REQUIRE_FIXTURES:-}" == 1 ]] && { echo "clipboard test: $fixtures missing and TESSERA_REQUIRE_FIXTURES=1"; exit 1; }
  echo "clipboard test: SKIPPED (no $fixtures)"; exit 0
fi

# expect FILE: the accounts that `scan --clipboard --json` printed on stdin
# must be the manifest's accounts of FILE.
check() {
  python3 -c '
import json, sys
fixtures, name = sys.argv[1], sys.argv[2]
doc = json.load(sys.stdin)
assert [s["source"] for s in doc] == ["clipboard"], doc
got = [(a["account"], a["secret"]) for a in doc[0]["accounts"]]
if name.startswith("otpauth"):
    want = [("me@example.com", "JBSWY3DPEHPK3PXP")]
else:
    case = next(c for c in json.load(open(fixtures + "/manifest.json")) if c["file"] == name)
    want = [(e["account"], e["secret"]) for e in case["expect"]]
assert sorted(got) == sorted(want) and not doc[0]["errors"], (got, want, doc[0]["errors"])
' "$fixtures" "$1"
}

# xclip forks and serves the selection until another owner takes it.
xclip -selection clipboard -t image/png -i "$fixtures/multi_two-side-by-side.png" >/dev/null 2>&1
"$bin" scan --clipboard --json | check multi_two-side-by-side.png
echo "clipboard image: ok"

link='otpauth://totp/ACME:me@example.com?secret=JBSWY3DPEHPK3PXP&issuer=ACME'
printf '%s\n' "$link" | xclip -selection clipboard -i >/dev/null 2>&1
"$bin" scan --clipboard --json | check otpauth
echo "clipboard text: ok"

printf 'just some words' | xclip -selection clipboard -i >/dev/null 2>&1
if "$bin" scan --clipboard --json >"${TMPDIR:-/tmp}/tessera-clip.json"; then
  echo "clipboard test: plain text was accepted"; exit 1
fi
grep -q '"not_otpauth"' "${TMPDIR:-/tmp}/tessera-clip.json" || { echo "clipboard test: no not_otpauth error"; exit 1; }
rm -f "${TMPDIR:-/tmp}/tessera-clip.json"
echo "clipboard test: ok"
