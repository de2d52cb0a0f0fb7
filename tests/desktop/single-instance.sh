#!/usr/bin/env bash
# Starting tessera while it runs brings the running window forward instead of
# opening a second one (run by scripts/test inside Xvfb).
set -euo pipefail
bin="${TESSERA_BIN:-target/release/tessera}"
log=$(mktemp)
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# poll SECONDS CMD...: runs CMD every 0.05 s until it succeeds; fails after SECONDS.
poll() {
  local end=$(( $(now_ms) + $1 * 1000 )); shift
  until "$@"; do
    (( $(now_ms) < end )) || return 1
    sleep 0.05
  done
}
# A window manager, as on a desktop: raising a window is its job.
openbox >/dev/null 2>&1 &
wm=$!
app="" other=""
trap 'kill $app $wm $other 2>/dev/null || true; rm -f "$log"' EXIT
wm_ready() { xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q 'window id'; }
poll 10 wm_ready || { echo "single instance: openbox did not start"; exit 1; }
"$bin" >"$log" 2>&1 &
app=$!
first=""
first_window() {
  kill -0 $app 2>/dev/null || { cat "$log"; echo "single instance: the first instance exited"; exit 1; }
  first=$(xdotool search --onlyvisible --name '^Tessera$' 2>/dev/null | head -1 || true)
  [[ -n "$first" ]]
}
poll 10 first_window || { cat "$log"; echo "single instance: first window missing"; exit 1; }
# Give another window the focus, then start a second instance.
display -title Other assets/icons/hicolor/64x64/apps/io.github.tessera.Tessera.png &
other=$!
w=""
other_window() {
  w=$(xdotool search --onlyvisible --name '^Other$' 2>/dev/null | head -1 || true)
  [[ -n "$w" ]]
}
poll 10 other_window || { echo "single instance: the other window did not appear"; exit 1; }
xdotool windowactivate --sync "$w"
active_is() { [[ "$(xdotool getactivewindow getwindowname 2>/dev/null)" == "$1" ]]; }
poll 5 active_is Other || { echo "single instance: could not focus another window"; exit 1; }
start=$(date +%s%N)
second_out=$(timeout 10 "$bin" 2>&1) || { echo "$second_out"; echo "single instance: second start failed"; exit 1; }
echo "second start returned after $(( ($(date +%s%N) - start) / 1000000 )) ms: $second_out"
grep -q "already running" <<<"$second_out" || { echo "single instance: second start did not hand over"; exit 1; }
poll 5 active_is Tessera || { echo "single instance: the active window is '$(xdotool getactivewindow getwindowname)', not Tessera"; exit 1; }
echo "raised after $(( ($(date +%s%N) - start) / 1000000 )) ms"
count=$(xdotool search --onlyvisible --name '^Tessera$' | wc -l)
[[ "$count" -eq 1 ]] || { echo "single instance: $count windows"; exit 1; }
kill -0 $app || { echo "single instance: the first instance died"; exit 1; }
echo "single instance: ok"
