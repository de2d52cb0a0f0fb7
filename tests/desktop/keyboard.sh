#!/usr/bin/env bash
# The app with the keyboard alone, in a real window (run by scripts/test
# inside Xvfb): a first run done by typing, Tab and Enter; with 200
# accounts, scrolled down, typing a filter then Enter copies the first
# visible match; at 420 px wide the names and codes still read (OCR).
set -euo pipefail
# shellcheck source=../desktop-lib.sh
source "$(dirname "$0")/../desktop-lib.sh"
pw='correct horse battery'
export TESSERA_CONFIG="$dir/settings.json"
echo '{"clipboard_clear_secs": 0, "theme": "light"}' >"$TESSERA_CONFIG"

# ---- 1. First run: type, Tab, type, Enter. No keyring (no session bus):
# the password is required, so the vault exists only if Tab reached the
# confirmation field and Enter submitted.
first="$dir/first/vault.tessera"
mkdir -p "$dir/first"
DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/no-bus" start_app --vault "$first"
sleep 0.5
xdotool type --delay 5 "$pw"
xdotool key --delay 100 Tab
sleep 0.3
xdotool type --delay 5 "$pw"
xdotool key Return
poll 20 test -s "$first" || { cat "$log"; echo "keyboard: no vault after type, Tab, type, Enter"; exit 1; }
printf '%s\n' "$pw" | "$bin" --vault "$first" --password-stdin list >/dev/null \
  || { echo "keyboard: the vault does not open with the password typed"; exit 1; }
# The recovery key screen: Tab to "I have saved it" (Copy, Save to a
# file…, then it), Enter: the empty list says how to add an account.
sleep 0.5
xdotool key --delay 200 Tab Tab Tab Return
empty_list() {
  import -window "$wid" "$out/keyboard-first-run.png" 2>/dev/null &&
    ocr "$out/keyboard-first-run.png" | tr '\n' ' ' | grep -q 'No accounts yet'
}
poll 15 empty_list || { echo "keyboard: the recovery key screen was not left with Tab, Enter"; exit 1; }
echo "keyboard: first run done with the keyboard alone"
stop_app

# ---- 2. 200 accounts; scrolled down, "cloud" then Enter.
vault="$dir/many/vault.tessera"
mkdir -p "$dir/many"
printf '%s\n%s\n' "$pw" "$pw" | "$bin" --vault "$vault" --password-stdin init --no-keyring >/dev/null
python3 - "$dir/links.txt" <<'PY'
import base64, hashlib, sys
lines = []
for i in range(200):
    if i == 150:
        lines.append("otpauth://totp/JD%20Cloud:root?secret=JBSWY3DPEHPK3PXP&issuer=JD%20Cloud")
    elif i == 180:
        lines.append("otpauth://totp/Huawei%20Cloud:ops?secret=GEZDGNBVGY3TQOJQ&issuer=Huawei%20Cloud")
    else:
        key = base64.b32encode(hashlib.sha1(b"k%d" % i).digest()[:10]).decode()
        lines.append(f"otpauth://totp/Service%20{i:03}:user{i}?secret={key}&issuer=Service%20{i:03}")
open(sys.argv[1], "w").write("\n".join(lines) + "\n")
PY
printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin import "$dir/links.txt" >/dev/null
start_app --vault "$vault"
sleep 0.5
xdotool type --delay 5 "$pw"
xdotool key Return
listed() {
  import -window "$wid" "$out/keyboard-list.png" 2>/dev/null &&
    ocr "$out/keyboard-list.png" | grep -q 'Service 00'
}
poll 20 listed || { echo "keyboard: the list of 200 accounts was not shown"; exit 1; }
# Scroll well down (the wheel over the list), then type the filter.
eval "$(xdotool getwindowgeometry --shell "$wid")"
xdotool mousemove --window "$wid" $((WIDTH / 2)) $((HEIGHT / 2))
xdotool click --repeat 40 --delay 10 5
sleep 2
import -window "$wid" "$out/keyboard-scrolled.png"
ocr "$out/keyboard-scrolled.png" | grep -q 'Service 00' \
  && { echo "keyboard: the wheel did not scroll the list"; exit 1; }
mark_clipboard keyboard-test-marker
xdotool mousemove --window "$wid" 5 5
xdotool type --delay 20 cloud
sleep 0.3
pressed=$(date +%s)
xdotool key Return
copied_code keyboard-test-marker JBSWY3DPEHPK3PXP "$pressed" \
  || { echo "keyboard: Enter copied '$got', not JD Cloud · root's code (the first visible match)"; exit 1; }
echo "keyboard: scrolled, filtered, Enter copied the first visible match (JD Cloud · root)"

# ---- 3. At 420 px wide, the names and codes still read.
xdotool windowsize --sync "$wid" 420 640 || xdotool windowsize "$wid" 420 640
sleep 1
shot="$out/keyboard-420.png"
read_ok=0
for _ in 1 2 3; do
  import -window "$wid" "$shot"
  width=$(identify -format '%w' "$shot")
  text=$(ocr "$shot" | tr -s ' \n' '  ')
  digits=$(tr -cd '0-9\n' <<<"$(ocr "$shot" | tr -d ' ')")
  now=$(date +%s)
  code_seen=0
  for t in $((now - 2)) "$now"; do
    grep -q "$(oathtool --totp -b JBSWY3DPEHPK3PXP -N "@$t")" <<<"$digits" && code_seen=1
  done
  if [[ "$width" == 420 ]] && grep -q 'JD Cloud' <<<"$text" && grep -q 'root' <<<"$text" \
    && grep -q 'Huawei Cloud' <<<"$text" && (( code_seen )); then
    read_ok=1
    break
  fi
  sleep 1
done
(( read_ok )) || { echo "keyboard: at ${width:-?} px the OCR read: $text"; exit 1; }
echo "keyboard: at 420 px the OCR reads both names and JD Cloud · root's current code"
alive
echo "keyboard test: ok"
