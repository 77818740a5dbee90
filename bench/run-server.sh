#!/usr/bin/env bash
# Times `gatehouse push` of a 10,000-app organisation, then measures POST /api/v1/check against
# GET /healthz of the same server: saturating throughput (wrk) and p99 latency at a fixed
# 1,000 requests/s (open loop). SQLite always; PostgreSQL too when GATEHOUSE_TEST_POSTGRES is set:
#   eval "$(bash .ci/postgres.sh)" && bash bench/run-server.sh
# Bounded: about 2 minutes per engine. Extra arguments go to server-bench (see docs/benchmarks.md).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v wrk >/dev/null 2>&1; then
  echo "run-server.sh: installing wrk" >&2
  if [ "$(id -u)" -eq 0 ]; then apt_get=(apt-get); else apt_get=(sudo apt-get); fi
  "${apt_get[@]}" update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq wrk >&2
fi

# Always republish, so the numbers are for the CLI and server of this checkout.
dotnet publish src/Gatehouse.Cli -c Release -o bench/out/cli --nologo -v quiet
dotnet publish bench/Hello.Kestrel -c Release -o bench/out/hello --nologo -v quiet
dotnet build bench/Gatehouse.Bench -c Release --nologo -v quiet
exec dotnet run --project bench/Gatehouse.Bench -c Release --no-build -- server-bench "$@"
