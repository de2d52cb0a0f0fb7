#!/usr/bin/env bash
# `tessera scan --screen` finds the QR codes of an image window shown on the
# X server (needs DISPLAY, ImageMagick's display and xdotool; run by
# scripts/test inside Xvfb). The QR fixtures live in ../shared/fixtures/qr.
set -euo pipefail
bin="${TESSERA_BIN:-target/release/tessera}"
# TESSERA_FIXTURES names the root of the shared fixtures (qr/ and importers/).
fixtures="${TESSERA_FIXTURES:-../shared/fixtures}/qr"
if [[ ! -f "$fixtures/manifest.json" ]]; then
  [[ "${TESSERA_REQUIRE_FIXTURES:-}" == 1 ]] && { echo "screen test: $fixtures missing and TESSERA_REQUIRE_FIXTURES=1"; exit 1; }
  echo "screen test: SKIPPED (no $fixtures)"; exit 0
fi
name=multi_two-side-by-side.png

display -title tessera-screen-test -geometry +40+60 "$fixtures/$name" &
viewer=$!
trap 'kill $viewer 2>/dev/null || true' EXIT
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# poll SECONDS CMD...: runs CMD every 0.05 s until it succeeds (the viewer
# must keep running); fails after SECONDS.
poll() {
  local end=$(( $(now_ms) + $1 * 1000 )); shift
  until "$@"; do
    kill -0 $viewer 2>/dev/null || { echo "screen test: display exited"; exit 1; }
    (( $(now_ms) < end )) || return 1
    sleep 0.05
  done
}
wid=""
shown() {
  wid=$(xdotool search --onlyvisible --name tessera-screen-test 2>/dev/null | head -1 || true)
  [[ -n "$wid" ]]
}
poll 10 shown || { echo "screen test: the image window did not appear"; exit 1; }
# Drawn: the window holds the image (dark QR modules on white), not a blank.
shot="${TMPDIR:-/tmp}/tessera-screen-$$.png"
drawn() {
  import -window "$wid" "$shot" 2>/dev/null &&
    convert "$shot" -colorspace gray -format '%[fx:standard_deviation > 0.2 ? 1 : 0]' info: | grep -qx 1
}
poll 10 drawn || { rm -f "$shot"; echo "screen test: the image was never drawn"; exit 1; }
rm -f "$shot"

start=$(date +%s%N)
"$bin" scan --screen --json | python3 -c '
import json, sys
fixtures, name = sys.argv[1], sys.argv[2]
doc = json.load(sys.stdin)
assert [s["source"] for s in doc] == ["screen"], doc
case = next(c for c in json.load(open(fixtures + "/manifest.json")) if c["file"] == name)
got = sorted((a["account"], a["secret"]) for a in doc[0]["accounts"])
want = sorted((e["account"], e["secret"]) for e in case["expect"])
assert got == want and not doc[0]["errors"], (got, want, doc[0]["errors"])
' "$fixtures" "$name"
echo "screen capture and decode: $(( ($(date +%s%N) - start) / 1000000 )) ms"

kill $viewer 2>/dev/null || true
wait $viewer 2>/dev/null || true
# Nothing shown: a clean refusal, not a crash.
rc=0
"$bin" scan --screen --json >"${TMPDIR:-/tmp}/tessera-screen.json" || rc=$?
[[ $rc -eq 1 ]] && grep -q '"no_qr"' "${TMPDIR:-/tmp}/tessera-screen.json" || {
  echo "screen test: an empty screen gave rc=$rc"; cat "${TMPDIR:-/tmp}/tessera-screen.json"; exit 1; }
rm -f "${TMPDIR:-/tmp}/tessera-screen.json"
echo "screen test: ok"
