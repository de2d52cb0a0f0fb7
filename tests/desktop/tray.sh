#!/usr/bin/env bash
# The tray icon as a tray host sees it, over D-Bus (run by scripts/test
# inside Xvfb and a private session bus): with no tray host the app opens
# as usual and says so once; with one (tests/desktop/tray_host.py, a small
# StatusNotifierWatcher) the item is introspected and its menu read through
# com.canonical.dbusmenu: only Unlock while locked; once unlocked the
# accounts, recently used first; clicking one puts its code on the
# clipboard; Hide/Show window, Lock.
set -euo pipefail
bin="${TESSERA_BIN:-target/release/tessera}"
host="/usr/bin/python3 $(dirname "$0")/tray_host.py"
dir=$(mktemp -d)
log="$dir/app.log"
vault="$dir/vault.tessera"
pw='correct horse battery'
app="" watcher="" wm=""
trap 'kill $app $watcher $wm 2>/dev/null || true; rm -rf "$dir"' EXIT
export XDG_RUNTIME_DIR="$dir/run" TESSERA_CONFIG="$dir/settings.json"
install -d -m 700 "$XDG_RUNTIME_DIR"
# "Keep running in the tray when the window is closed" on: it applies only
# where a tray host took the icon.
echo '{"clipboard_clear_secs": 0, "keep_in_tray": true}' >"$TESSERA_CONFIG"

printf '%s\n%s\n' "$pw" "$pw" | "$bin" --vault "$vault" --password-stdin init --no-keyring >/dev/null
printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin add --issuer GitHub --account me --secret KRSXG5CTMVRXEZLU >/dev/null
printf '%s\n' "$pw" | "$bin" --vault "$vault" --password-stdin add --issuer ACME --account ops --secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ >/dev/null

window() { xdotool search --onlyvisible --name '^Tessera$' 2>/dev/null | head -1 || true; }
wait_window() {
  for _ in $(seq 200); do
    [[ -n "$(window)" ]] && return 0
    sleep 0.05
  done
  cat "$log"; echo "tray test: no window"; exit 1
}
unlock() {
  local wid; wid=$(window)
  sleep 0.7
  xdotool windowfocus --sync "$wid"
  xdotool type --delay 5 "$pw"
  xdotool key Return
}
stop_app() { kill "$app"; wait "$app" 2>/dev/null || true; app=""; }
# Closes the window as a person does: the window manager's Alt+F4 (a close request).
close_window() { xdotool windowactivate --sync "$(window)"; xdotool key alt+F4; }
openbox >/dev/null 2>&1 &
wm=$!
sleep 0.5

# 1. No tray host: the window opens as before; one line says why there is no icon.
"$bin" --vault "$vault" >"$log" 2>&1 &
app=$!
wait_window
sleep 0.5
n=$(grep -c "no tray icon" "$log" || true)
[[ "$n" -eq 1 ]] || { cat "$log"; echo "tray test: 'no tray icon' said $n times"; exit 1; }
echo "no tray host: the window opens, said once: $(grep "no tray icon" "$log" | cut -c1-60)…"
# Closing the window ends the app, as before, setting on or not: without
# a tray there would be no way back.
close_window
for _ in $(seq 60); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app" 2>/dev/null && { echo "tray test: closing the window did not end the app"; exit 1; }
app=""
echo "no tray host: closing the window ends the app"

# 2. A tray host.
$host watch "$dir/items" >"$dir/watcher.log" 2>&1 &
watcher=$!
for _ in $(seq 100); do grep -q ready "$dir/watcher.log" 2>/dev/null && break; sleep 0.05; done
grep -q ready "$dir/watcher.log" || { cat "$dir/watcher.log"; echo "tray test: the watcher did not start"; exit 1; }
"$bin" --vault "$vault" >"$log" 2>&1 &
app=$!
wait_window
for _ in $(seq 100); do [[ -s "$dir/items" ]] && break; sleep 0.05; done
item=$(head -1 "$dir/items" 2>/dev/null || true)
[[ -n "$item" ]] || { cat "$log"; echo "tray test: no item registered"; exit 1; }
grep -q "no tray icon" "$log" && { cat "$log"; echo "tray test: the host was not used"; exit 1; }
echo "item registered as $item"

menu() { $host menu "$item"; }
expect_menu() { # the menu, one label a line, must be exactly $1
  local got=""
  for _ in $(seq 40); do
    got=$(menu)
    [[ "$got" == "$1" ]] && return 0
    sleep 0.1
  done
  printf 'tray test: menu is\n%s\nexpected\n%s\n' "$got" "$1"; exit 1
}
expect_menu "Unlock…"
echo "locked: the menu offers only Unlock"

unlock
expect_menu "$(printf 'GitHub (me)\nACME (ops)\nHide window\nLock\nQuit')"
echo "unlocked: accounts, Hide window, Lock, Quit"

# A click on the second account copies its current code (the clipboard
# holds a marker before, so a stale copy cannot pass).
printf 'before the click' | xclip -selection clipboard -i >/dev/null 2>&1
$host click "$item" "ACME (ops)"
got=""
for _ in $(seq 40); do
  got=$(xclip -o -selection clipboard 2>/dev/null || true)
  [[ -n "$got" && "$got" != "before the click" ]] && break
  sleep 0.1
done
now=$(date +%s)
want=$("$bin" code --at "$now" --secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ)
earlier=$("$bin" code --at $((now - 3)) --secret GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ)
[[ "$got" == "$want" || "$got" == "$earlier" ]] || { echo "tray test: clipboard holds '$got', expected $want"; exit 1; }
xclip -o -selection clipboard -t TARGETS | grep -q 'x-kde-passwordManagerHint' \
  || { echo "tray test: the copy is not hidden from clipboard history"; exit 1; }
echo "clicked ACME (ops): the clipboard holds its code $got, hidden from history"
expect_menu "$(printf 'ACME (ops)\nGitHub (me)\nHide window\nLock\nQuit')"
echo "the account used last comes first"

$host click "$item" "Hide window"
for _ in $(seq 40); do [[ -z "$(window)" ]] && break; sleep 0.1; done
[[ -z "$(window)" ]] || { echo "tray test: the window is still shown"; exit 1; }
kill -0 "$app" || { echo "tray test: the app exited on Hide"; exit 1; }
expect_menu "$(printf 'ACME (ops)\nGitHub (me)\nShow window\nLock\nQuit')"
$host click "$item" "Show window"
wait_window
echo "Hide window / Show window: the app keeps running"

# "Keep running in the tray when the window is closed" (set above): the
# app stays in the tray.
close_window
for _ in $(seq 40); do [[ -z "$(window)" ]] && break; sleep 0.1; done
[[ -z "$(window)" ]] || { echo "tray test: the window did not close"; exit 1; }
sleep 0.5
kill -0 "$app" || { echo "tray test: the app ended although kept in the tray"; exit 1; }
expect_menu "$(printf 'ACME (ops)\nGitHub (me)\nShow window\nLock\nQuit')"
$host click "$item" "Show window"
wait_window
echo "window closed with Keep running in the tray: still in the tray, Show window reopens it"

$host click "$item" "Lock"
expect_menu "Unlock…"
echo "Lock: the menu offers only Unlock"

$host click "$item" "Unlock…"
unlock
expect_menu "$(printf 'ACME (ops)\nGitHub (me)\nHide window\nLock\nQuit')"
$host click "$item" "Quit"
for _ in $(seq 60); do kill -0 "$app" 2>/dev/null || break; sleep 0.1; done
kill -0 "$app" 2>/dev/null && { echo "tray test: Quit did not end the app"; exit 1; }
app=""
echo "tray test: ok"
