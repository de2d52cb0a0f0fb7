#!/usr/bin/env bash
# The real app window maps under the X server and draws text (needs DISPLAY,
# xdotool and ImageMagick; run by scripts/test inside Xvfb).
set -euo pipefail
bin="${TESSERA_BIN:-target/release/tessera}"
out="${TESSERA_SHOTS:-target/screenshots}"
mkdir -p "$out"
log=$(mktemp)
"$bin" >"$log" 2>&1 &
app=$!
trap 'kill $app 2>/dev/null || true; rm -f "$log"' EXIT
start=$(date +%s%N)
for _ in $(seq 200); do
  wid=$(xdotool search --onlyvisible --name '^Tessera$' 2>/dev/null | head -1 || true)
  [[ -n "$wid" ]] && break
  kill -0 $app 2>/dev/null || { cat "$log"; echo "window test: the app exited"; exit 1; }
  sleep 0.05
done
[[ -n "${wid:-}" ]] || { cat "$log"; echo "window test: no window titled Tessera"; exit 1; }
echo "window mapped after $(( ($(date +%s%N) - start) / 1000000 )) ms"
# Type a key into the focused field and check that a code is drawn.
sleep 0.5
xdotool windowfocus --sync "$wid" 2>/dev/null || true
xdotool mousemove --window "$wid" 200 80 click 1
xdotool type --delay 5 'jbsw y3dp ehpk 3pxp'
sleep 0.7
import -window "$wid" "$out/window.png"
colors=$(convert "$out/window.png" -format '%k' info:)
echo "screenshot $out/window.png: $colors colours"
# A blank or glyph-less window has a handful of colours; antialiased text has many.
(( colors > 20 )) || { echo "window test: the window looks empty"; exit 1; }
echo "window test: ok"
