#!/usr/bin/env bash
# A decompression bomb on the clipboard (a small PNG declaring 9000x9000
# RGBA, 324 MB once decoded) is refused as too large by `scan --clipboard`
# with the limits of image files, before it is decoded: the process stays
# small. (arboard's own decoder, used before, took ~1 GB for such a file.)
# Needs DISPLAY and xclip; run by scripts/test inside Xvfb.
set -euo pipefail
bin="${TESSERA_BIN:-target/release/tessera}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$work/bomb.png" <<'PY'
import struct, sys, zlib
w = h = 9000
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
z = zlib.compressobj(9)
row = b"\0" + b"\xff" * (4 * w)
idat = b"".join(z.compress(row) for _ in range(h)) + z.flush()
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
png += chunk(b"IDAT", idat) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
echo "bomb: $(stat -c %s "$work/bomb.png") bytes"

xclip -selection clipboard -t image/png -i "$work/bomb.png" >/dev/null 2>&1
# Runs the scan, prints its JSON, then the child's peak RSS in KiB.
python3 - "$bin" "$work/out.json" <<'PY'
import json, resource, subprocess, sys
bin, out = sys.argv[1], sys.argv[2]
proc = subprocess.run([bin, "scan", "--clipboard", "--json"], capture_output=True, text=True, timeout=60)
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
doc = json.loads(proc.stdout)
codes = [e["code"] for e in doc[0]["errors"]]
print(f"exit {proc.returncode}, errors {codes}, peak RSS {peak_kib // 1024} MiB")
assert proc.returncode != 0, "the bomb was accepted"
assert codes == ["image_too_large"], codes
assert peak_kib < 120 * 1024, f"peak RSS {peak_kib} KiB: the image was decoded"
PY

# A large legitimate image (7 MB of noise: incompressible) comes in INCR
# chunks and arrives whole: it is decoded and holds no code (a truncated
# transfer would be a damaged image, a stuck one a timeout).
python3 - "$work/noise.png" <<'PY'
import os, struct, sys, zlib
w = h = 1500
def chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
raw = b"".join(b"\0" + os.urandom(3 * w) for _ in range(h))
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(raw, 1)) + chunk(b"IEND", b"")
open(sys.argv[1], "wb").write(png)
PY
echo "noise: $(stat -c %s "$work/noise.png") bytes"
xclip -selection clipboard -t image/png -i "$work/noise.png" >/dev/null 2>&1
if "$bin" scan --clipboard --json >"$work/noise.json"; then
  echo "clipboard limits: noise image gave accounts"; exit 1
fi
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=[e["code"] for e in d[0]["errors"]]; assert c == ["no_qr"], c' "$work/noise.json"
echo "clipboard limits: ok"
