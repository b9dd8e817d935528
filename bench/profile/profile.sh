#!/bin/bash
# Where the order path's CPU goes: runs the published desk (DESK=…, default the Release build) under
# the fill-heavy wrk load (two trader keys, resting GTC sell / crossing IOC buy), records it with
# perf for SECONDS-3 s after a WARM-second warm-up, and prints the breakdown by part (classify.py).
# usage: bench/profile/profile.sh [SECONDS=12]   (needs perf and wrk; run as root or with perf_event_paranoid ≤ 1)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
seconds=${1:-12}
desk=${DESK:-$root/Phoenyra.Web/bin/Release/net9.0/linux-x64/Phoenyra.Web}
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
seller=bench-seller-key-0123456789abcdefghij
buyer=bench-buyer-key-0123456789abcdefghijk
cat > "$work/policy.yaml" <<'YAML'
version: 1
trading_state: active
defaults:
  max_order_mw: 50
  max_order_notional_eur: 250000
  price_band_eur: 150
  max_exposure_mwh: 100000000
  max_exposure_eur: 100000000000
  submit_rate_per_second: 10000000
  submit_burst: 10000000
  key_rate_per_second: 10000000
  key_burst: 10000000
  max_open_orders: 1000000
YAML
cat > "$work/load.lua" <<LUA
local n, sell, buy = 0, nil, nil
init = function(args)
  sell = wrk.format("POST", "/api/orders", { ["X-API-Key"] = "$seller", ["Content-Type"] = "application/json" },
    '{"market":"DE-ID-60","side":"sell","quantity":0.1,"price":100.00,"type":"limit","tif":"gtc"}')
  buy = wrk.format("POST", "/api/orders", { ["X-API-Key"] = "$buyer", ["Content-Type"] = "application/json" },
    '{"market":"DE-ID-60","side":"buy","quantity":0.1,"price":100.00,"type":"limit","tif":"ioc"}')
end
request = function()
  n = n + 1
  if n % 2 == 1 then return sell else return buy end
end
LUA
cd "$work"
DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 ASPNETCORE_URLS=http://127.0.0.1:5391 Phoenyra__DataDir="$work/data" \
  Phoenyra__Auth__DemoKeys=false Logging__LogLevel__Default=Warning \
  Phoenyra__Auth__Keys__0__Id=bench-seller Phoenyra__Auth__Keys__0__Role=trader Phoenyra__Auth__Keys__0__Key=$seller \
  Phoenyra__Auth__Keys__1__Id=bench-buyer Phoenyra__Auth__Keys__1__Role=trader Phoenyra__Auth__Keys__1__Key=$buyer \
  Phoenyra__Trading__PolicyFile="$work/policy.yaml" Phoenyra__Trading__MarketMaker__Enabled=false \
  Phoenyra__Auth__RateLimit__PermitsPerSecond=10000000 Phoenyra__Auth__RateLimit__Burst=10000000 \
  "$desk" > "$work/desk.log" 2>&1 &
pid=$!
for _ in $(seq 1 60); do curl -s -o /dev/null http://127.0.0.1:5391/healthz && break; sleep 0.5; done
wrk -t1 -c32 -d"${WARM:-15}"s -s load.lua http://127.0.0.1:5391/api/orders > /dev/null
wrk -t1 -c32 -d"${seconds}"s --latency -s load.lua http://127.0.0.1:5391/api/orders > wrk.txt &
sleep 1
window=$((seconds - 3))
perf record -F 999 -g -p $pid -o perf.data -- sleep $window > /dev/null 2>&1
wait %2 || true
grep -E "Requests/sec|50%|99%" wrk.txt
rate=$(awk '/Requests\/sec/ {print $2}' wrk.txt)
perf script -i perf.data -F comm,tid,ip,sym,dso 2> /dev/null > script.txt
samples=$(grep -c '^[^[:space:]]' script.txt)
python3 "$here/classify.py" script.txt "$(python3 -c "print($rate * $window)")" "$(python3 -c "print($samples / 999)")"
