#!/usr/bin/env bash
# Locking with the screen (run by scripts/test inside Xvfb and a private
# session bus): the screensaver's ActiveChanged(false) leaves the vault
# open; ActiveChanged(true) locks it, and the locked screen says why.
set -euo pipefail
# shellcheck source=../desktop-lib.sh
source "$(dirname "$0")/../desktop-lib.sh"
pw='correct horse battery'
export TESSERA_CONFIG="$dir/settings.json"
echo '{"theme": "light"}' >"$TESSERA_CONFIG"
vault="$dir/vault.tessera"
printf '%s\n%s\n' "$pw" "$pw" | "$bin" --vault "$vault" --password-stdin init --no-keyring >/dev/null
printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin add --issuer 'JD Cloud' --account root --secret JBSWY3DPEHPK3PXP >/dev/null

start_app --vault "$vault"
sleep 0.5
xdotool type --delay 5 "$pw"
xdotool key Return
shows() {
  import -window "$wid" "$out/screen-lock.png" 2>/dev/null &&
    ocr "$out/screen-lock.png" | tr '\n' ' ' | grep -q "$1"
}
poll 20 shows 'JD Cloud' || { echo "screen lock: the list was not shown"; exit 1; }
screensaver() {
  dbus-send --session --type=signal /org/freedesktop/ScreenSaver \
    org.freedesktop.ScreenSaver.ActiveChanged "boolean:$1"
}
screensaver false
sleep 1
shows 'JD Cloud' || { echo "screen lock: ActiveChanged(false) locked the vault"; exit 1; }
screensaver true
poll 10 shows 'Locked with the screen' || { echo "screen lock: the vault stayed open when the screen locked"; exit 1; }
alive
echo "screen lock: the vault locked with the screen and says so"
