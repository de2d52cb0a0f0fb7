# Helpers shared by the real-window tests (sourced by tests/desktop/*.sh;
# kept outside tests/desktop/ since scripts/test runs every script there).
# Expects $bin and $log; sets $app (the app's PID) and $wid (its window).

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
