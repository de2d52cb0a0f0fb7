#!/usr/bin/env bash
# An otpauth:// link opened while Tessera runs (`tessera LINK`, as a browser
# does through the desktop file's x-scheme-handler): the second process
# hands the link to the running window over the single-instance channel and
# exits at once; the window shows the add checklist with the link's account;
# nothing is saved until Import is clicked (run by scripts/test inside Xvfb).
set -euo pipefail
# shellcheck source=../desktop-lib.sh
source "$(dirname "$0")/../desktop-lib.sh"
vault="$dir/vault.tessera"
pw='correct horse battery'
export XDG_RUNTIME_DIR="$dir/run" TESSERA_CONFIG="$dir/settings.json"
install -d -m 700 "$XDG_RUNTIME_DIR"
echo '{"theme": "light"}' >"$TESSERA_CONFIG"

printf '%s\n%s\n' "$pw" "$pw" | "$bin" --vault "$vault" --password-stdin init --no-keyring >/dev/null
printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin add --issuer GitHub --account me --secret KRSXG5CTMVRXEZLU >/dev/null
# Whether the vault holds an account of issuer $1 (read whole: no pipe to cut).
has() {
  printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin list --json >"$dir/list.json"
  grep -q "$1" "$dir/list.json"
}

"$bin" --vault "$vault" >"$log" 2>&1 &
app=$!
wid=""
for _ in $(seq 200); do
  wid=$(xdotool search --onlyvisible --name '^Tessera$' 2>/dev/null | head -1 || true)
  [[ -n "$wid" ]] && break
  kill -0 $app 2>/dev/null || { cat "$log"; echo "link test: the app exited"; exit 1; }
  sleep 0.05
done
[[ -n "$wid" ]] || { cat "$log"; echo "link test: no window"; exit 1; }
sleep 0.7
xdotool windowfocus --sync "$wid"
xdotool type --delay 5 "$pw"
xdotool key Return
sleep 3

# The primary (blue) button's centre in a screenshot of the window, or
# nothing: the checklist's Import is the one primary button on that screen.
primary_button() {
  import -window "$wid" "$1"
  convert "$1" -depth 8 ppm:- | python3 -c '
import sys
data = sys.stdin.buffer.read()
# P6 header: magic, width, height, maxval, then RGB bytes.
fields, pos = [], 0
while len(fields) < 4:
    while data[pos:pos + 1].isspace():
        pos += 1
    end = pos
    while not data[end:end + 1].isspace():
        end += 1
    fields.append(data[pos:end]); pos = end
pos += 1
w = int(fields[1])
xs, ys = [], []
px = data[pos:]
for i in range(0, len(px) - 2, 3):
    r, g, b = px[i], px[i + 1], px[i + 2]
    if b > 200 and r < 120 and g < 130:
        xs.append((i // 3) % w); ys.append((i // 3) // w)
if len(xs) > 300:
    print((min(xs) + max(xs)) // 2, (min(ys) + max(ys)) // 2)
'
}
before=$(primary_button "$out/link-before.png")

link='otpauth://totp/NewCo:alice@example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=NewCo'
start=$(date +%s%N)
second=$(timeout 10 "$bin" --vault "$vault" "$link" 2>&1) || { echo "$second"; echo "link test: the second start failed"; exit 1; }
echo "second start returned after $(( ($(date +%s%N) - start) / 1000000 )) ms: $second"
grep -q "link was handed" <<<"$second" || { echo "link test: not handed over"; exit 1; }
if grep -q GEZDGNBV <<<"$second" || grep -q GEZDGNBV "$log"; then
  echo "link test: the key was printed"; exit 1
fi

at=""
for _ in $(seq 40); do
  sleep 0.25
  at=$(primary_button "$out/link-checklist.png")
  [[ -n "$at" && "$at" != "$before" ]] && break
done
[[ -n "$at" && "$at" != "$before" ]] || { cat "$log"; echo "link test: no checklist shown (button '$at', before '$before')"; exit 1; }
echo "checklist shown; Import at $at (screenshot $out/link-checklist.png)"
count=$(xdotool search --onlyvisible --name '^Tessera$' | wc -l)
[[ "$count" -eq 1 ]] || { echo "link test: $count windows"; exit 1; }
has NewCo && { echo "link test: saved before confirmation"; exit 1; }
echo "nothing saved before confirmation"

read -r x y <<<"$at"
xdotool mousemove --window "$wid" "$x" "$y" click 1
for _ in $(seq 40); do
  has NewCo && break
  sleep 0.25
done
has NewCo || { cat "$log"; echo "link test: Import did not save the account"; exit 1; }
echo "running window: the checklist's Import saved the account"

# No Tessera running: the link starts the app, and the checklist follows
# the unlock.
kill $app; wait $app 2>/dev/null || true
link2='otpauth://totp/OtherCo:bob?secret=MFRGGZDFMZTWQ2LK&issuer=OtherCo'
"$bin" --vault "$vault" "$link2" >"$log" 2>&1 &
app=$!
wid=""
for _ in $(seq 200); do
  wid=$(xdotool search --onlyvisible --name '^Tessera$' 2>/dev/null | head -1 || true)
  [[ -n "$wid" ]] && break
  sleep 0.05
done
[[ -n "$wid" ]] || { cat "$log"; echo "link test: no window for a cold start"; exit 1; }
sleep 0.7
xdotool windowfocus --sync "$wid"
xdotool type --delay 5 "$pw"
xdotool key Return
at=""
for _ in $(seq 40); do
  sleep 0.25
  at=$(primary_button "$out/link-cold.png")
  [[ -n "$at" ]] && break
done
[[ -n "$at" ]] || { cat "$log"; echo "link test: no checklist after a cold start"; exit 1; }
has OtherCo && { echo "link test: saved before confirmation"; exit 1; }
echo "cold start: the checklist follows the unlock"
echo "link test: ok"
