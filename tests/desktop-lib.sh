# Helpers shared by the real-window tests (sourced by tests/desktop/*.sh;
# kept outside tests/desktop/ since scripts/test runs every script there).
# Sourcing it sets $bin (TESSERA_BIN, else the release build), $out (where
# screenshots go), a scratch $dir with the app's $log, and an exit trap that
# ends the app this script started and removes $dir; start_app sets $app (the
# app's PID) and $wid (its window).
bin="${TESSERA_BIN:-target/release/tessera}"
out="${TESSERA_SHOTS:-target/screenshots}"
mkdir -p "$out"
dir=$(mktemp -d)
log="$dir/app.log"
app=""
wid=""
trap '[[ -n "$app" ]] && kill "$app" 2>/dev/null; rm -rf "$dir"' EXIT

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# The app must still run (an empty clipboard or a missing window could
# also mean it crashed).
alive() {
  kill -0 "$app" 2>/dev/null || { cat "$log"; echo "$(basename "$0"): the app exited"; exit 1; }
}

# poll SECONDS CMD...: runs CMD every 0.1 s until it succeeds, checking the
# app is alive in between; fails after SECONDS.
poll() {
  local end=$(( $(now_ms) + $1 * 1000 )); shift
  until "$@"; do
    alive
    (( $(now_ms) < end )) || return 1
    sleep 0.1
  done
}

find_window() {
  wid=$(xdotool search --onlyvisible --name '^Tessera$' 2>/dev/null | head -1 || true)
  [[ -n "$wid" ]]
}

# start_app ARGS...: starts the app, waits for its window and focuses it.
start_app() {
  "$bin" "$@" >"$log" 2>&1 &
  app=$!
  poll 10 find_window || { cat "$log"; echo "$(basename "$0"): no window titled Tessera"; exit 1; }
  xdotool windowfocus --sync "$wid"
}

# stop_app: ends the app this script started (by its PID) and waits.
stop_app() {
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  app=""
}

# ocr FILE: the window's text as tesseract reads it (scaled up twice first:
# the app's 13-15 px text is small for it).
ocr() {
  convert "$1" -resize 200% -colorspace gray "$1.ocr.png"
  tesseract "$1.ocr.png" - 2>/dev/null
}

# mark_clipboard TEXT: a known text on the clipboard first (an earlier test
# may have left a code there), checked.
mark_clipboard() {
  printf '%s' "$1" | xclip -selection clipboard -i >/dev/null 2>&1
  [[ "$(xclip -o -selection clipboard 2>/dev/null || true)" == "$1" ]] \
    || { echo "$(basename "$0"): could not set the clipboard"; exit 1; }
}

# copied_code MARKER KEY SINCE: waits up to 5 s for the clipboard to hold
# something else than MARKER, then succeeds when it is KEY's TOTP code of any
# second from SINCE to now (a step may end between), computed by oathtool,
# not by Tessera. Leaves what it read in $got.
copied_code() {
  got=""
  local marker="$1"
  copied() {
    got=$(xclip -o -selection clipboard 2>/dev/null || true)
    [[ -n "$got" && "$got" != "$marker" ]]
  }
  poll 5 copied || { echo "$(basename "$0"): nothing on the clipboard 5 s after Enter"; exit 1; }
  local t
  for t in $(seq "$3" "$(date +%s)"); do
    [[ "$got" == "$(oathtool --totp -b "$2" -N "@$t")" ]] && return 0
  done
  return 1
}
