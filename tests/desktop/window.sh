#!/usr/bin/env bash
# The real app under the X server: opens a test vault, is unlocked by typing
# the password (xdotool), and draws the codes (run by scripts/test inside Xvfb).
set -euo pipefail
# shellcheck source=../desktop-lib.sh
source "$(dirname "$0")/../desktop-lib.sh"
vault="$dir/vault.tessera"
pw='correct horse battery'

# A password-only vault with a few accounts, made with the CLI.
printf '%s\n%s\n' "$pw" "$pw" | "$bin" --vault "$vault" --password-stdin init --no-keyring >/dev/null
printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin add --issuer 'JD Cloud' --account root --secret 'jbsw y3dp ehpk 3pxp' >/dev/null
printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin add --issuer 'JD Cloud' --account dev --secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ >/dev/null
printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin add --issuer GitHub --account me --secret 'KRSXG5CTMVRXEZLU' >/dev/null

# Copied codes are cleared after 10 s in this test (the shortest setting);
# the light theme is pinned (the pixel counts below assume dark glyphs on a
# light background, whatever the desktop prefers).
export TESSERA_CONFIG="$dir/settings.json"
echo '{"clipboard_clear_secs": 10, "theme": "light"}' >"$TESSERA_CONFIG"

start=$(date +%s%N)
"$bin" --vault "$vault" >"$log" 2>&1 &
app=$!
poll 10 find_window || { cat "$log"; echo "window test: no window titled Tessera"; exit 1; }
echo "window mapped after $(( ($(date +%s%N) - start) / 1000000 )) ms"
# Drawn: the unlock screen's text makes the window far from uniform.
drawn() {
  import -window "$wid" "$out/unlock.png" 2>/dev/null &&
    convert "$out/unlock.png" -colorspace gray -format '%[fx:standard_deviation > 0.05 ? 1 : 0]' info: | grep -qx 1
}
poll 10 drawn || { cat "$log"; echo "window test: the unlock screen was never drawn"; exit 1; }
# The password field has focus when the unlock screen opens; Enter submits.
xdotool windowfocus --sync "$wid"
xdotool type --delay 5 "$pw"
xdotool key Return
shot="$out/codes.png"
# The list is drawn once its first row's code reads on the screen (OCR): the
# code of JD Cloud · root at this second or the one before (a step may end
# between the screenshot and the reading), computed by oathtool.
read_code=""
codes_drawn() {
  import -window "$wid" "$shot" 2>/dev/null || return 1
  read_code=$(ocr "$shot" | tr -d ' ')
  local now t
  now=$(date +%s)
  for t in $((now - 1)) "$now"; do
    grep -q "$(oathtool --totp -b JBSWY3DPEHPK3PXP -N "@$t")" <<<"$read_code" && return 0
  done
  return 1
}
poll 15 codes_drawn || { cat "$log"; echo "window test: JD Cloud · root's code not read after unlocking (OCR: $read_code)"; exit 1; }
echo "screenshot $shot: JD Cloud · root's current code reads in the list (OCR)"

# Enter copies the selected (first) code: JD Cloud · root. It is marked for
# clipboard managers to keep out of their history, and cleared after 10 s.
xdotool windowfocus --sync "$wid"
mark_clipboard window-test-marker
pressed=$(date +%s)
xdotool key Return
copied_code window-test-marker JBSWY3DPEHPK3PXP "$pressed" \
  || { echo "copy: clipboard holds '$got', not the code of JBSWY3DPEHPK3PXP"; exit 1; }
seen=$(now_ms)
xclip -o -selection clipboard -t TARGETS | grep -q 'x-kde-passwordManagerHint' \
  || { echo "copy: no x-kde-passwordManagerHint target"; exit 1; }
echo "copy: the code is on the clipboard, hidden from clipboard history"
cleared() { [[ -z "$(xclip -o -selection clipboard 2>/dev/null || true)" ]]; }
poll 20 cleared || { echo "copy: the clipboard still holds the code after 20 s"; exit 1; }
after=$(( $(now_ms) - seen ))
# Set to 10 s; the app checks once a second, this loop every 0.1 s.
(( after >= 8000 && after <= 12500 )) || { echo "copy: cleared after $after ms, expected about 10 s"; exit 1; }
alive
find_window || { echo "window test: the window is gone"; exit 1; }
echo "copy: cleared after $after ms (set to 10 s); the app still runs"
echo "window test: ok"
