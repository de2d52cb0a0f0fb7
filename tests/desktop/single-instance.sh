#!/usr/bin/env bash
# Starting tessera while it runs brings the running window forward instead of
# opening a second one (run by scripts/test inside Xvfb).
set -euo pipefail
bin="${TESSERA_BIN:-target/release/tessera}"
log=$(mktemp)
# A window manager, as on a desktop: raising a window is its job.
openbox >/dev/null 2>&1 &
wm=$!
sleep 0.5
"$bin" >"$log" 2>&1 &
app=$!
other=""
trap 'kill $app $wm $other 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 200); do
  xdotool search --onlyvisible --name '^Tessera$' >/dev/null 2>&1 && break
  sleep 0.05
done
first=$(xdotool search --onlyvisible --name '^Tessera$' | head -1)
[[ -n "$first" ]] || { cat "$log"; echo "single instance: first window missing"; exit 1; }
# Give another window the focus, then start a second instance.
display -title Other assets/icons/hicolor/64x64/apps/io.github.tessera.Tessera.png &
other=$!
for _ in $(seq 100); do
  w=$(xdotool search --onlyvisible --name '^Other$' 2>/dev/null | head -1 || true)
  [[ -n "$w" ]] && break
  sleep 0.05
done
xdotool windowactivate --sync "$w"
[[ "$(xdotool getactivewindow getwindowname)" == Other ]] || { echo "single instance: could not focus another window"; exit 1; }
start=$(date +%s%N)
second_out=$(timeout 10 "$bin" 2>&1) || { echo "$second_out"; echo "single instance: second start failed"; exit 1; }
echo "second start returned after $(( ($(date +%s%N) - start) / 1000000 )) ms: $second_out"
grep -q "already running" <<<"$second_out" || { echo "single instance: second start did not hand over"; exit 1; }
sleep 0.5
active=$(xdotool getactivewindow getwindowname)
[[ "$active" == Tessera ]] || { echo "single instance: the active window is '$active', not Tessera"; exit 1; }
count=$(xdotool search --onlyvisible --name '^Tessera$' | wc -l)
[[ "$count" -eq 1 ]] || { echo "single instance: $count windows"; exit 1; }
kill -0 $app || { echo "single instance: the first instance died"; exit 1; }
echo "single instance: ok"
