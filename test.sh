#!/usr/bin/env bash
# The README's test command: installs what a fresh Debian machine lacks, then runs every test
# project and prints one summary line "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
root=$PWD

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=0
apt_update() { [ $apt_updated = 1 ] || { as_root apt-get update -qq && apt_updated=1; }; }

# Chromium for the browser suite; python3-websockets for the seed's stream verifier; curl, jq and
# python3-requests for the seeds' own examples (curl commands, health-check script, Python client).
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/curl ] || missing+=(curl)
[ -x /usr/bin/jq ] || missing+=(jq)
# HAProxy for the cluster test (in front of two desks, with deploy/haproxy/haproxy.cfg).
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)
/usr/bin/python3 -c 'import websockets' 2>/dev/null || missing+=(python3-websockets)
/usr/bin/python3 -c 'import requests' 2>/dev/null || missing+=(python3-requests)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# promtool, prometheus and alertmanager, extracted from Debian's packages into .tools/bin; no
# service is installed: the monitoring tests start their own servers on loopback and stop them.
extract() { # package, binaries…
  local package=$1; shift
  mkdir -p .tools/deb .tools/bin
  ( cd .tools/deb && { apt-get download "$package" >/dev/null 2>&1 || { apt_update && apt-get download "$package" >/dev/null; }; } )
  dpkg-deb -x .tools/deb/"$package"_*.deb .tools/deb/extract
  for binary in "$@"; do cp .tools/deb/extract/usr/bin/"$binary" .tools/bin/"$binary"; done
  # Debian's alertmanager reads its default notification templates from a fixed path.
  if [ -d .tools/deb/extract/usr/share/prometheus/alertmanager ] && [ ! -f /usr/share/prometheus/alertmanager/default.tmpl ]; then
    as_root mkdir -p /usr/share/prometheus/alertmanager
    as_root cp .tools/deb/extract/usr/share/prometheus/alertmanager/*.tmpl /usr/share/prometheus/alertmanager/
  fi
  rm -rf .tools/deb
}
if [ ! -x .tools/bin/promtool ] || [ ! -x .tools/bin/prometheus ]; then
  echo "test.sh: extracting promtool and prometheus from Debian's prometheus package"
  extract prometheus promtool prometheus
fi
if [ ! -x .tools/bin/prometheus-alertmanager ] || [ ! -f /usr/share/prometheus/alertmanager/default.tmpl ]; then
  echo "test.sh: extracting alertmanager from Debian's prometheus-alertmanager package"
  extract prometheus-alertmanager prometheus-alertmanager
fi
export PROMTOOL=$root/.tools/bin/promtool PROMETHEUS=$root/.tools/bin/prometheus ALERTMANAGER=$root/.tools/bin/prometheus-alertmanager

# PostgreSQL's server binaries for the store tests on the postgres provider: the tests initdb and start
# their own clusters on free loopback ports (as the postgres user when run as root) and stop them.
# Installing the package creates no cluster and starts no service.
if [ -z "${PHOENYRA_PG_BIN:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "test.sh: installing postgresql (server binaries; no cluster, no service)"
  as_root mkdir -p /etc/postgresql-common
  [ -f /etc/postgresql-common/createcluster.conf ] || echo "create_main_cluster = false" | as_root tee /etc/postgresql-common/createcluster.conf >/dev/null
  apt_update
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
fi

# The flash-arb settlement contracts: solc-js and ganache for the local chain the tests deploy to (pinned in contracts/package-lock.json).
if [ ! -f contracts/node_modules/.package-lock.json ] || [ contracts/package-lock.json -nt contracts/node_modules/.package-lock.json ]; then
  echo "test.sh: npm ci for the settlement contracts (solc-js, ganache)"
  ( cd contracts && npm ci --no-audit --no-fund --loglevel=error ) || exit 1
fi

# The seed's Node stream verifier needs npm's ws (pinned in tests/verifiers/package-lock.json).
if [ ! -f tests/verifiers/node_modules/.package-lock.json ] || [ tests/verifiers/package-lock.json -nt tests/verifiers/node_modules/.package-lock.json ]; then
  echo "test.sh: npm ci for the stream verifiers"
  ( cd tests/verifiers && npm ci --no-audit --no-fund --loglevel=error ) || exit 1
fi

# Reference data (real prices, golden values) is read in place from ../shared/data beside the
# checkout, or from wherever PHOENYRA_SHARED_DATA points (a clone elsewhere sets it). Without it
# the tests that need it are left out, and this says so.
filter=()
if [ -z "${PHOENYRA_SHARED_DATA:-}" ] && [ -d "$root/../shared/data/prices" ]; then
  export PHOENYRA_SHARED_DATA=$(cd "$root/../shared/data" && pwd)
fi
if [ -n "${PHOENYRA_SHARED_DATA:-}" ] && [ -d "$PHOENYRA_SHARED_DATA/prices" ]; then
  echo "test.sh: reference data from $PHOENYRA_SHARED_DATA"
else
  echo "test.sh: WARNING: ../shared/data not found; tests needing reference data (Category=SharedData) are skipped"
  filter=(--filter "Category!=SharedData")
fi

# Test processes write temp files (and crashed .NET processes leave debug pipes) inside the checkout.
rm -rf .tmp TestResults
mkdir -p .tmp
export TMPDIR=$root/.tmp
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

dotnet test Phoenyra.sln --logger "trx;LogFilePrefix=run" --results-directory "$root/TestResults" "${filter[@]}" "$@"
status=$?

# Nothing is left running: the clusters the tests started (listed by them) are stopped, if a crashed test process left one.
if [ -f .tmp/postgres-clusters ]; then
  while read -r cluster; do
    pid=$(head -1 "$cluster/postmaster.pid" 2>/dev/null) && kill -QUIT "$pid" 2>/dev/null && sleep 1
    rm -rf "$cluster"
  done < .tmp/postgres-clusters
fi

passed=0; failed=0
for trx in TestResults/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  e=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0} + ${e:-0}))
done
# A build failure or crashed test host produces no results: never report that as green.
if [ $status -ne 0 ] && [ $failed -eq 0 ]; then failed=1; fi
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
