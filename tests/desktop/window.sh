#!/usr/bin/env bash
# The real app under the X server: opens a test vault, is unlocked by typing
# the password (xdotool), and draws the codes (run by scripts/test inside Xvfb).
set -euo pipefail
bin="${TESSERA_BIN:-target/release/tessera}"
out="${TESSERA_SHOTS:-target/screenshots}"
mkdir -p "$out"
dir=$(mktemp -d)
log="$dir/app.log"
vault="$dir/vault.tessera"
pw='correct horse battery'
trap 'kill ${app:-} 2>/dev/null || true; rm -rf "$dir"' EXIT

# A password-only vault with a few accounts, made with the CLI.
printf '%s\n%s\n' "$pw" "$pw" | "$bin" --vault "$vault" --password-stdin init --no-keyring >/dev/null
printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin add --issuer 'JD Cloud' --account root --secret 'jbsw y3dp ehpk 3pxp' >/dev/null
printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin add --issuer 'JD Cloud' --account dev --secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ >/dev/null
printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin add --issuer GitHub --account me --secret 'KRSXG5CTMVRXEZLU' >/dev/null

# Copied codes are cleared after 10 s in this test (the shortest setting).
export TESSERA_CONFIG="$dir/settings.json"
echo '{"clipboard_clear_secs": 10}' >"$TESSERA_CONFIG"

start=$(date +%s%N)
"$bin" --vault "$vault" >"$log" 2>&1 &
app=$!
wid=""
for _ in $(seq 200); do
  wid=$(xdotool search --onlyvisible --name '^Tessera$' 2>/dev/null | head -1 || true)
  [[ -n "$wid" ]] && break
  kill -0 $app 2>/dev/null || { cat "$log"; echo "window test: the app exited"; exit 1; }
  sleep 0.05
done
[[ -n "$wid" ]] || { cat "$log"; echo "window test: no window titled Tessera"; exit 1; }
echo "window mapped after $(( ($(date +%s%N) - start) / 1000000 )) ms"
sleep 0.7
import -window "$wid" "$out/unlock.png"
# The password field has focus when the unlock screen opens; Enter submits.
xdotool windowfocus --sync "$wid"
xdotool type --delay 5 "$pw"
xdotool key Return
shot="$out/codes.png"
# Large monospace codes: the right half of the first rows fills with dark
# glyphs once the list is drawn (the unlock screen has few there).
dark_in_codes() {
  convert "$1" -crop 45%x40%+250+60 -colorspace gray -threshold 40% -format '%[fx:round((1-mean)*w*h)]' info:
}
before=$(dark_in_codes "$out/unlock.png")
dark=0
for _ in $(seq 60); do
  sleep 0.25
  import -window "$wid" "$shot"
  dark=$(dark_in_codes "$shot")
  (( dark > 1500 )) && break
done
echo "screenshot $shot: $dark dark pixels in the code column (unlock screen: $before)"
(( dark > 1500 )) || { cat "$log"; echo "window test: no codes drawn after unlocking"; exit 1; }

# Enter copies the selected (first) code: JD Cloud · root. It is marked for
# clipboard managers to keep out of their history, and cleared after 10 s.
xdotool windowfocus --sync "$wid"
xdotool key Return
sleep 1
got=$(xclip -o -selection clipboard 2>/dev/null || true)
now=$(date +%s)
want=$("$bin" code --at "$now" --secret 'jbsw y3dp ehpk 3pxp')
before=$("$bin" code --at $((now - 2)) --secret 'jbsw y3dp ehpk 3pxp')
[[ "$got" == "$want" || "$got" == "$before" ]] || { echo "copy: clipboard holds '$got', expected $want"; exit 1; }
xclip -o -selection clipboard -t TARGETS | grep -q 'x-kde-passwordManagerHint' \
  || { echo "copy: no x-kde-passwordManagerHint target"; exit 1; }
echo "copy: the code is on the clipboard, hidden from clipboard history"
sleep 11
left=$(xclip -o -selection clipboard 2>/dev/null || true)
[[ -z "$left" ]] || { echo "copy: the clipboard still holds '$left' after 11 s"; exit 1; }
echo "copy: cleared after 10 s"
echo "window test: ok"
