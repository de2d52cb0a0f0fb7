#!/usr/bin/env bash
# Two `tessera` started at the same moment, N times (default 50): each time
# exactly one becomes the primary and maps one window, the other hands over
# and exits (run by scripts/test inside Xvfb; TESSERA_RACE_ROUNDS overrides N).
set -euo pipefail
bin="${TESSERA_BIN:-target/release/tessera}"
rounds="${TESSERA_RACE_ROUNDS:-50}"
dir=$(mktemp -d)
a="" b=""
trap 'kill $a $b 2>/dev/null || true; rm -rf "$dir"' EXIT
# A runtime folder of its own: no other test's primary answers here.
export XDG_RUNTIME_DIR="$dir/run"
install -d -m 700 "$XDG_RUNTIME_DIR"
vault="$dir/vault.tessera"

windows() { xdotool search --onlyvisible --name '^Tessera$' 2>/dev/null | wc -l || true; }

ok=0
for round in $(seq "$rounds"); do
  "$bin" --vault "$vault" >"$dir/a.log" 2>&1 &
  a=$!
  "$bin" --vault "$vault" >"$dir/b.log" 2>&1 &
  b=$!
  # One of the two hands over and exits; the other maps its window.
  alive="" exited=""
  for _ in $(seq 200); do
    if ! kill -0 "$a" 2>/dev/null; then exited=$a alive=$b; break; fi
    if ! kill -0 "$b" 2>/dev/null; then exited=$b alive=$a; break; fi
    sleep 0.05
  done
  [[ -n "$exited" ]] || { cat "$dir"/*.log; echo "race round $round: neither start handed over"; exit 1; }
  wait "$exited" || { cat "$dir"/*.log; echo "race round $round: the second start failed"; exit 1; }
  log="$dir/a.log"; [[ "$exited" == "$b" ]] && log="$dir/b.log"
  grep -q "already running" "$log" || { cat "$log"; echo "race round $round: no hand-over"; exit 1; }
  for _ in $(seq 200); do
    [[ "$(windows)" -ge 1 ]] && break
    kill -0 "$alive" 2>/dev/null || { cat "$dir"/*.log; echo "race round $round: the primary exited"; exit 1; }
    sleep 0.05
  done
  n=$(windows)
  [[ "$n" -eq 1 ]] || { echo "race round $round: $n windows"; exit 1; }
  kill "$alive"; wait "$alive" 2>/dev/null || true
  a="" b=""
  # The window is gone before the next round counts.
  for _ in $(seq 100); do [[ "$(windows)" -eq 0 ]] && break; sleep 0.05; done
  ok=$((ok + 1))
done
echo "single instance race: $rounds double starts, $ok left exactly one window and one primary"
