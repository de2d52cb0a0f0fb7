#!/usr/bin/env bash
# Tessera under a real Wayland compositor: headless sway (it refuses to run
# as root, so as the unprivileged user wltest), run by scripts/test.
#  1. `tessera scan --screen` through the real Screenshot portal
#     (xdg-desktop-portal + -wlr + -gtk, pipewire) reads the QR code shown as
#     the sway wallpaper;
#  2. against a fake Screenshot portal on a private bus (fake_portal.py):
#     one that answers with an image is read; one that never answers (a
#     permission dialog nobody clicks) times out with a clear message within
#     TESSERA_PORTAL_TIMEOUT (3 s here; 30 s by default);
#  3. the app's window maps on sway (app_id io.github.tessera.Tessera) and
#     its codes render (grim screenshot), the vault opened by the keyring.
set -euo pipefail
bin="${TESSERA_BIN:-target/release/tessera}"
out="${TESSERA_SHOTS:-target/screenshots}"
here="$(cd "$(dirname "$0")" && pwd)"
fixtures="${TESSERA_FIXTURES:-../shared/fixtures}/qr"
if [[ ! -f "$fixtures/clean_basic.png" ]]; then
  [[ "${TESSERA_REQUIRE_FIXTURES:-}" == 1 ]] && { echo "wayland test: $fixtures missing"; exit 1; }
  echo "wayland test: SKIPPED (no $fixtures)"; exit 0
fi
mkdir -p "$out"
user=wltest
[[ $(id -u) -eq 0 ]] || { echo "wayland test: run as root (sway runs as the user $user)"; exit 1; }
id "$user" >/dev/null 2>&1 || useradd -M -s /usr/sbin/nologin "$user"

dir=$(mktemp -d)
chmod 755 "$dir"
rt="$dir/run"
install -d -m 700 -o "$user" "$rt" "$dir/home"
# What the user must read: the binary, the wallpaper, the config, the portal.
install -d -m 755 "$dir/bin"
install -m 755 "$bin" "$dir/bin/tessera"
install -m 644 "$fixtures/clean_basic.png" "$dir/qr.png"
install -m 644 "$here/fake_portal.py" "$dir/fake_portal.py"
echo "output HEADLESS-1 resolution 1280x800 bg $dir/qr.png center #ffffff" >"$dir/sway.conf"
chmod 644 "$dir/sway.conf"
sway="" app=""
trap 'kill $app $sway 2>/dev/null || true; wait $sway 2>/dev/null || true; rm -rf "$dir"' EXIT

# setpriv execs (no process in between): $! is the command itself.
as_user() { setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --clear-groups \
  env -u DISPLAY -u DBUS_SESSION_BUS_ADDRESS HOME="$dir/home" XDG_RUNTIME_DIR="$rt" "$@"; }
# Started directly (not through the function, a subshell): $! is sway.
setpriv --reuid="$(id -u "$user")" --regid="$(id -g "$user")" --clear-groups \
  env -u DISPLAY -u DBUS_SESSION_BUS_ADDRESS HOME="$dir/home" XDG_RUNTIME_DIR="$rt" \
  WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman \
  sway -c "$dir/sway.conf" >"$dir/sway.log" 2>&1 &
sway=$!
for _ in $(seq 100); do [[ -S "$rt/wayland-1" ]] && break; sleep 0.05; done
[[ -S "$rt/wayland-1" ]] || { cat "$dir/sway.log"; echo "wayland test: sway did not start"; exit 1; }
echo "headless sway running as $user"

want=$(python3 -c '
import json, sys
case = next(c for c in json.load(open(sys.argv[1] + "/manifest.json")) if c["file"] == "clean_basic.png")
print(case["expect"][0]["secret"])' "$fixtures")

# 1. The real portal, on the user's own bus with the Wayland variables set
# before it starts (D-Bus activation hands the bus's environment to the
# portals); pipewire is needed by xdg-desktop-portal-wlr. The wlr backend is
# started up front, as a desktop session does: activated on demand by the
# first request, it left xdg-desktop-portal stalled in its start-up about
# every other time here (the request then times out); started first, 12 of 12
# runs answered.
real_portal() {
  as_user WAYLAND_DISPLAY=wayland-1 XDG_CURRENT_DESKTOP=sway TESSERA_PORTAL_TIMEOUT=15 \
    dbus-run-session -- bash -c "pipewire >/dev/null 2>&1 & p=\$!; sleep 1
      /usr/libexec/xdg-desktop-portal-wlr >/dev/null 2>&1 & x=\$!
      for _ in \$(seq 100); do
        dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
          org.freedesktop.DBus.NameHasOwner string:org.freedesktop.impl.portal.desktop.wlr \
          2>/dev/null | grep -q 'boolean true' && break
        sleep 0.05
      done
      '$dir/bin/tessera' scan --screen --json; rc=\$?; kill \$p \$x; exit \$rc" \
    2>"$dir/portal.log"
}
got=""
for attempt in 1 2; do
  start=$(date +%s%N)
  got=$(real_portal || true)
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  grep -q "\"$want\"" <<<"$got" && break
  echo "real portal, attempt $attempt: no account after $ms ms: $(grep -o '"message": "[^"]*"' <<<"$got" | head -1)"
done
grep -q "\"$want\"" <<<"$got" || { tail -20 "$dir/portal.log"; echo "wayland test: the real portal did not give the QR code"; exit 1; }
echo "scan --screen through xdg-desktop-portal-wlr read the wallpaper's QR code ($ms ms)"

# 2. A fake portal on a private bus.
fake() { # MODE [PNG]: runs scan --screen against fake_portal.py MODE
  dbus-run-session -- bash -c "
    /usr/bin/python3 '$dir/fake_portal.py' $* >'$dir/fake.log' 2>&1 & p=\$!
    for _ in \$(seq 100); do grep -q ready '$dir/fake.log' 2>/dev/null && break; sleep 0.05; done
    env -u DISPLAY XDG_RUNTIME_DIR='$rt' WAYLAND_DISPLAY=wayland-1 TESSERA_PORTAL_TIMEOUT=3 \
      '$dir/bin/tessera' scan --screen --json; rc=\$?; kill \$p; exit \$rc"
}
got=$(fake file "$dir/qr.png" || true)
grep -q "\"$want\"" <<<"$got" || { echo "$got"; echo "wayland test: the fake portal's image was not read"; exit 1; }
grep -q "screenshot requested" "$dir/fake.log" || { echo "wayland test: the fake portal was not asked"; exit 1; }
echo "fake portal answering with an image: its QR code read"
start=$(date +%s)
if got=$(fake never); then echo "$got"; echo "wayland test: a silent portal did not fail the scan"; exit 1; fi
took=$(( $(date +%s) - start ))
grep -q "did not answer within 3 s" <<<"$got" || { echo "$got"; echo "wayland test: no timeout message"; exit 1; }
(( took < 10 )) || { echo "wayland test: the timeout took $took s"; exit 1; }
echo "fake portal that never answers: $(grep -o '"message": "[^"]*"' <<<"$got" | cut -c13-90)… after $took s"

# 3. The app on sway. The vault opens through the keyring (the test
# session's unlocked gnome-keyring), so no typing is needed.
[[ "${TESSERA_TEST_SECRET_SERVICE:-}" == 1 ]] || { echo "wayland test: needs the test session's unlocked keyring (scripts/test)"; exit 1; }
vault="$dir/vault.tessera"
"$dir/bin/tessera" --vault "$vault" init >/dev/null
"$dir/bin/tessera" --vault "$vault" add --issuer GitHub --account me --secret KRSXG5CTMVRXEZLU >/dev/null
env -u DISPLAY XDG_RUNTIME_DIR="$rt" WAYLAND_DISPLAY=wayland-1 TESSERA_CONFIG="$dir/settings.json" \
  "$dir/bin/tessera" --vault "$vault" >"$dir/app.log" 2>&1 &
app=$!
sock=$(ls "$rt"/sway-ipc.*.sock)
mapped=""
for _ in $(seq 100); do
  as_user swaymsg -s "$sock" -t get_tree | grep -q '"app_id": "io.github.tessera.Tessera"' && { mapped=1; break; }
  sleep 0.1
done
[[ -n "$mapped" ]] || { cat "$dir/app.log"; echo "wayland test: no window on sway"; exit 1; }
echo "window mapped on sway (app_id io.github.tessera.Tessera)"
# The code sits at the right of the first row, large: dark glyphs there once
# the list is drawn (the sway window fills the 1280x800 output; the list is
# at most 900 px wide, so the code lies between x 400 and 840, left of the
# row's icons).
dark=0
for _ in $(seq 40); do
  sleep 0.25
  as_user WAYLAND_DISPLAY=wayland-1 grim "$rt/app.png"
  dark=$(convert "$rt/app.png" -crop 440x44+400+96 -colorspace gray -threshold 40% \
    -format '%[fx:round((1-mean)*w*h)]' info:)
  (( dark > 300 )) && break
done
cp "$rt/app.png" "$out/wayland-codes.png"
(( dark > 300 )) || { cat "$dir/app.log"; echo "wayland test: no code drawn ($dark dark pixels)"; exit 1; }
echo "codes drawn under Wayland: $dark dark pixels where the code is (screenshot $out/wayland-codes.png)"
echo "wayland test: ok"
