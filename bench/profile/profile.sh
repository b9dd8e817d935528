#!/bin/bash
# Where the order path's CPU goes: runs the fill-heavy bench (one run: the published desk under
# wrk's closed loop, 10 s warm-up, SECONDS measured), records the desk with perf during the measured
# part, and prints the breakdown by part (classify.py). Needs perf and wrk; run as root (or with
# perf_event_paranoid ≤ 1). DESK=… picks another desk binary; MODE=orderentry profiles the same
# mix on the order-entry WebSocket instead of REST.
# usage: [MODE=fillheavy|orderentry] bench/profile/profile.sh [SECONDS=15]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-15}
mode=${MODE:-fillheavy}
bench=$root/bench/Phoenyra.Benchmarks/bin/Release/net9.0/linux-x64/Phoenyra.Benchmarks
[ -x "$bench" ] || dotnet build -c Release "$root/bench/Phoenyra.Benchmarks" > /dev/null
work=$(mktemp -d)
[ -n "${KEEP:-}" ] && echo "perf data kept in $work" >&2 || trap 'rm -rf "$work"' EXIT
# The desk inherits these: JIT code gets names perf can read.
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
  "$bench" "$mode" $([ "$mode" = fillheavy ] && echo --runs 1) --seconds "$seconds" ${DESK:+--desk "$DESK"} > "$work/bench.txt" 2>&1 &
for _ in $(seq 1 120); do pid=$(pgrep -f "linux-x64/Phoenyra.Web$" | head -1 || true); [ -n "$pid" ] && break; sleep 0.5; done
sleep 12   # start-up and the bench's 10 s warm-up
window=$((seconds - 3))
perf record -F 999 -g -p "$pid" -o "$work/perf.data" -- sleep "$window" > /dev/null 2>&1
wait
tail -3 "$work/bench.txt"
if [ "$mode" = fillheavy ]; then rate=$(awk '/^this build +[0-9]+ / { gsub(",", "", $4); print $4 }' "$work/bench.txt")
else rate=$(awk '/^measured +[0-9,]+ / { gsub(",", "", $2); print $2 }' "$work/bench.txt"); fi
perf script -i "$work/perf.data" -F comm,tid,ip,sym,dso 2> /dev/null > "$work/script.txt"
samples=$(grep -c '^[^[:space:]]' "$work/script.txt")
python3 "$here/classify.py" "$work/script.txt" "$(python3 -c "print($rate * $window)")" "$(python3 -c "print($samples / 999)")"
